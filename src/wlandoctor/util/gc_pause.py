"""Fewer runs of Python's cycle collector while a large input is read.

Reading a trace builds hundreds of thousands of small objects (events, attempts) that live until the
report is written and hold no reference cycles.  The collector, triggered every 700 new objects, walks
them again and again: rebuilding one partial timeline from a worker took 1.2 s with it and 0.25 s
without (docs/performance.md).  Inside this context it still runs, only after many more allocations.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
