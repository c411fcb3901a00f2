"""Integers read from input text, safely.

``str.isdigit()`` is true for characters ``int()`` refuses (superscripts such as "²"), ``"--17".lstrip("-")``
looks like a number, and ``int()`` raises on a string of more than 4,300 digits: each a record lost to a
ValueError.  Every integer a reader takes from a free-text field goes through ``as_int``.
"""

from __future__ import annotations

import re

_INT = re.compile(r"[+-]?[0-9]+")  # (its length bounded before it is tried)
_UNSIGNED = re.compile(r"[0-9]+")


def as_int(text: str | None, max_digits: int = 18, signed: bool = True) -> int | None:
    """``text`` as an integer when it is one (ASCII digits, at most ``max_digits`` of them, and an optional
    sign unless ``signed`` is false: a count, an id, a time), else None."""
    if not text or len(text) > max_digits + 1:
        return None
    m = (_INT if signed else _UNSIGNED).fullmatch(text)
    if m is None or len(text.lstrip("+-")) > max_digits:
        return None
    return int(text)
