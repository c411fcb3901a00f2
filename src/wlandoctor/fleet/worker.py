"""A worker process of a run split by station (started by fleet/local.py).

    python -m wlandoctor.fleet.worker

A fresh interpreter rather than a fork of the command: it imports the readers, the timeline and the
rules (fleet/tasks.py), not the command line nor the reporters.  It reads calls from its standard
input, one at a time, ``(function, arguments)`` as ``multiprocessing`` connections frame them, runs each
and writes ``("ok", result)`` or ``("error", why)`` to its standard output.  It keeps the partitions it
built between two calls (``tasks.build_and_keep``).  It is never given a candidate passphrase.
"""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection


def serve() -> int:
    calls = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    # Anything printed goes to stderr: stdout carries only answers.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from wlandoctor.fleet import tasks  # noqa: F401 - (the functions called are looked up in it)

    while True:
        try:
            fn, args = calls.recv()
        except EOFError:
            # Done: leave without freeing the partitions' objects one by one (a second or more after a
            # large input), which the command would wait for.
            sys.stderr.flush()
            os._exit(0)
        try:
            answers.send(("ok", fn(*args)))
        except MemoryError:
            answers.send(("error", "out of memory"))
        except Exception as exc:
            answers.send(("error", f"{type(exc).__name__}: {exc}"[:300]))


if __name__ == "__main__":
    sys.exit(serve())
