"""Events said on an earlier line than the one being read.

A reader sometimes learns only later what an earlier line meant (a time-out whose cause the next lines
give, a selection round that ends with no network chosen).  The event it then emits must cite that
earlier line, with its time, as its evidence: ``said_on`` sets the reader's current-line fields to the
earlier line's for the ``with`` block and puts them back after, whatever happens inside."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def said_on(reader: Any, **line: Any) -> Iterator[None]:
    """Within the block, ``reader``'s fields named in ``line`` (number, text, time, ...) hold the given
    values; after it, their own again."""
    now = {name: getattr(reader, name) for name in line}
    for name, value in line.items():
        setattr(reader, name, value)
    try:
        yield
    finally:
        for name, value in now.items():
            setattr(reader, name, value)
