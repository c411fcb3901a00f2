"""Reading one test input with one reader, for the tests of each format."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name
from wlandoctor.sources import Input


def read(fmt: str, path: Path) -> tuple[list[Event], InputSummary]:
    """The events the reader named ``fmt`` gives for ``path``, and the input's summary."""
    parser = by_name(fmt)
    assert parser is not None, fmt
    summary = InputSummary(str(path), fmt)
    return list(parser.parse(Input.from_path(path), summary)), summary
