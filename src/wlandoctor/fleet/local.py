"""Worker processes on this machine for a run split by station (``--jobs N``).

Each worker is a fresh interpreter (fleet/worker.py) talking over its standard input and output, started
with the environment of the command minus any candidate passphrase.  A worker that cannot start, dies or
fails a call is said and its work is done by the command's own process instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from wlandoctor.sources import sanitize

WORKER = (sys.executable, "-m", "wlandoctor.fleet.worker")


class WorkerFailed(Exception):
    """A worker could not do what it was asked (the message says why, in one line)."""


class Worker:
    """One worker process: calls are sent and answered one at a time, in order."""

    def __init__(self, stderr: Path) -> None:
        from wlandoctor.capture.candidates import ENV_VAR as CANDIDATES_ENV

        self.stderr = stderr
        self.failure = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self._calls: Connection | None = None
        self._answers: Connection | None = None
        # The worker finds this very package, wherever it was imported from; it gets no passphrases.
        here = str(Path(__file__).resolve().parent.parent.parent)
        env = {k: v for k, v in os.environ.items() if k != CANDIDATES_ENV}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
        try:
            with open(stderr, "wb") as err:
                self.proc = subprocess.Popen(
                    WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env
                )
        except OSError as exc:
            self.failure = f"could not start: {exc.strerror or exc}"
            return
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._calls = Connection(os.dup(self.proc.stdin.fileno()), readable=False)
        self._answers = Connection(os.dup(self.proc.stdout.fileno()), writable=False)
        self.proc.stdin.close()
        self.proc.stdout.close()

    def send(self, fn: Callable[..., Any], *args: Any) -> None:
        if self.failure:
            return
        assert self._calls is not None
        try:
            self._calls.send((fn, args))
        except OSError:
            self.failure = self._why()

    def receive(self) -> Any:
        """The answer to the oldest call; WorkerFailed when there is none."""
        if self.failure:
            raise WorkerFailed(self.failure)
        assert self._answers is not None
        try:
            status, value = self._answers.recv()
        except (EOFError, OSError):
            self.failure = self._why()
            raise WorkerFailed(self.failure) from None
        if status != "ok":
            raise WorkerFailed(str(value))
        return value

    def _why(self) -> str:
        rc = self.proc.wait(timeout=10) if self.proc is not None else None
        try:
            lines = self.stderr.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
        except OSError:
            lines = []
        return sanitize(lines[-1])[:200] if lines else f"exit status {rc}"

    def close(self) -> None:
        for c in (self._calls, self._answers):
            if c is not None:
                c.close()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
