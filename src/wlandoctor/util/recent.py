"""Per-station state kept for the most recently seen stations only."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def recent(table: OrderedDict[K, V], key: K, make: Callable[[], V], limit: int) -> V:
    """``table[key]``, made with ``make()`` when absent; past ``limit`` entries the least recently used
    one is forgotten, so memory follows the busiest stations, not every station of a long log."""
    value = table.get(key)
    if value is None:
        value = table[key] = make()
        if len(table) > limit:
            table.popitem(last=False)
    else:
        table.move_to_end(key)
    return value
