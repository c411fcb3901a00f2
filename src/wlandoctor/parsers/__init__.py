"""One module per input kind.  Each exposes a ``PARSER`` object following ``parsers.base.Parser``.

Register a new parser by adding its module name to ``PARSER_MODULES`` (order breaks sniff ties).
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from wlandoctor.parsers.base import Parser

PARSER_MODULES: tuple[str, ...] = ("wlandoctor.parsers.huawei", "wlandoctor.parsers.hostap")
PARSER_MODULES += ("wlandoctor.parsers.capture",)
PARSER_MODULES += ("wlandoctor.parsers.freeradius",)


@cache
def all_parsers() -> tuple[Parser, ...]:
    return tuple(importlib.import_module(m).PARSER for m in PARSER_MODULES)


def by_name(name: str) -> Parser | None:
    return next((p for p in all_parsers() if p.name == name), None)


DEEP_WINDOW = 64 * 1024
DEEP_LIMIT = 64 * 1024 * 1024  # bytes read on through a file whose head no parser recognised


def detect_further(path: Path) -> tuple[Parser | None, int]:
    """For a file whose head no parser takes: the parser that takes a later window of it (the first
    64 MiB, 64 KiB at a time), and where that window starts.  Each parser reads the whole file; what
    comes before its content is reported as lines it did not recognise."""
    try:
        with open(path, "rb") as f:
            f.seek(DEEP_WINDOW)
            pos = DEEP_WINDOW
            while pos < DEEP_LIMIT:
                window = f.read(DEEP_WINDOW)
                if not window:
                    break
                parser, _ = detect(window)
                if parser is not None:
                    return parser, pos
                pos += len(window)
    except OSError:
        pass
    return None, 0


def detect(head: bytes) -> tuple[Parser | None, int]:
    """The parser that scores highest on this head, and its score (None when nobody scores > 0)."""
    best: Parser | None = None
    best_score = 0
    for p in all_parsers():
        score = p.sniff(head)
        if score > best_score:
            best, best_score = p, score
    return best, best_score
