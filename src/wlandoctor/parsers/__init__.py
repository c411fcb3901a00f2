"""One module per input kind.  Each exposes a ``PARSER`` object following ``parsers.base.Parser``.

Register a new parser by adding its module name to ``PARSER_MODULES`` (order breaks sniff ties).
"""

from __future__ import annotations

import importlib
from functools import cache

from wlandoctor.parsers.base import Parser

PARSER_MODULES: tuple[str, ...] = ("wlandoctor.parsers.huawei", "wlandoctor.parsers.hostap")
PARSER_MODULES += ("wlandoctor.parsers.capture",)
PARSER_MODULES += ("wlandoctor.parsers.freeradius",)


@cache
def all_parsers() -> tuple[Parser, ...]:
    return tuple(importlib.import_module(m).PARSER for m in PARSER_MODULES)


def by_name(name: str) -> Parser | None:
    return next((p for p in all_parsers() if p.name == name), None)


def detect(head: bytes) -> tuple[Parser | None, int]:
    """The parser that scores highest on this head, and its score (None when nobody scores > 0)."""
    best: Parser | None = None
    best_score = 0
    for p in all_parsers():
        score = p.sniff(head)
        if score > best_score:
            best, best_score = p, score
    return best, best_score
