"""Logs listed newest first: read from the last line up.

Web log views (pfSense, OPNsense, router GUIs) list the newest line first, and people paste them that way.
A reader that keeps state from one line to the next (an EAPOL-Key timeout makes the next message a
retransmission; an association opens the exchange the handshake continues) then sees every exchange
backwards.  When the time stamps of an input's first lines mostly go back in time, its lines are read in
reverse order, and every line number given back (events, problems, unread lines) is the line's number in
the file as it is.  Inputs larger than MAX_REVERSED are read as they are, and the input's summary says so.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from typing import Any, BinaryIO

from wlandoctor.model import Event, InputSummary, SourceRef
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.sources.inputs import HEAD_BYTES, Input

MAX_REVERSED = 64 * 1024 * 1024  # bytes held to be read backwards (pastes and log-view exports are small)
SAMPLE_LINES = 400
MIN_STEPS = 3  # stamps that go back in time before an input is taken as listed newest first
# Parsers whose records are single lines (a record of several lines cannot be read backwards)
LINE_READERS = frozenset({"hostap"})


def newest_first(head: bytes) -> bool:
    """Whether the stamped lines of ``head`` mostly go back in time (more than three steps back for each forward)."""
    keys: list[tuple[Any, ...]] = []
    kind = None
    for raw in head.splitlines()[:SAMPLE_LINES]:
        p = split_prefix(raw.decode("utf-8", "replace"))
        if p.time is not None:
            key: tuple[Any, ...] = ("t", p.time)
        elif p.yearless is not None:
            key = ("y", *p.yearless)
        elif p.timeofday is not None:
            key = ("d", *p.timeofday)
        else:
            continue
        if kind is None:
            kind = key[0]
        if key[0] == kind:
            keys.append(key)
    back = sum(1 for a, b in itertools.pairwise(keys) if b < a)
    forward = sum(1 for a, b in itertools.pairwise(keys) if b > a)
    return back >= MIN_STEPS and back > 3 * forward


class _Chain(io.RawIOBase):
    """Bytes already read, then the rest of the stream they came from."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self._first = io.BytesIO(first)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._first.readinto(b)
        if n:
            return n
        data = self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._rest.close()
        finally:
            super().close()


def in_time_order(inp: Input, summary: InputSummary) -> tuple[Input, int]:
    """``inp`` with its lines in reverse order, and its number of lines (to number them back); or, when
    it is too large to hold, ``inp`` as it is (said in the summary) and 0."""
    stream = inp.open()
    data = stream.read(MAX_REVERSED + 1)
    if len(data) > MAX_REVERSED:
        summary.notes.append(
            f"the lines are listed newest first, but the input is larger than {MAX_REVERSED >> 20} MiB: "
            "read in the order given, some exchanges may read backwards"
        )
        rest = io.BufferedReader(_Chain(data[HEAD_BYTES:], stream))
        return Input(inp.name, inp.path, inp.size, data[:HEAD_BYTES], rest), 0
    stream.close()
    lines = data.splitlines(keepends=True)
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += b"\n"
    summary.notes.append("the lines are listed newest first (a log view): read from the last line up")
    return Input.from_bytes(inp.name, b"".join(reversed(lines))), len(lines)


def numbered_back(events: Iterator[Event], count: int) -> Iterator[Event]:
    """Events of the reversed input with the line numbers of the file as it is."""
    for e in events:
        r = e.ref
        if r.line > 0:
            e.ref = SourceRef(r.source, count + 1 - r.line, r.text)
        yield e


def summary_numbered_back(summary: InputSummary, count: int) -> None:
    """The summary's problems and unread lines with the line numbers of the file as it is."""

    def back(n: int) -> int:
        return count + 1 - n if n > 0 else n

    for p in summary.problems:
        p.line = back(p.line)
    cov = summary.coverage
    cov.first = sorted((back(n), t) for n, t in cov.first)
    for seen in cov.by_station.values():
        seen[1:] = sorted(back(n) for n in seen[1:])
