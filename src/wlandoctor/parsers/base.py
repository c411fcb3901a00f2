"""The parser contract: sniff a head, then stream events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from wlandoctor.model import Event, InputSummary
from wlandoctor.sources import Input


class Parser(Protocol):
    """One input format.

    ``sniff`` scores how sure it is (0 = not mine, 100 = certain) from the first 64 KiB; the best score
    wins.  ``parse`` streams the whole input once, yields events, and records counts and problems
    (file + line) in ``summary``; it never raises for bad content.
    """

    name: str
    description: str
    example: str

    def sniff(self, head: bytes) -> int: ...

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]: ...
