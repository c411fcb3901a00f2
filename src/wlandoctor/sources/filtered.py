"""A read-once binary stream made from another by a filter (a paste's margin, a page's entities, a wrap):
the plumbing the filters share, each giving its output a block at a time (``_fill``)."""

from __future__ import annotations

import io
from typing import BinaryIO


class Filtered(io.RawIOBase):
    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self._out = b""  # filtered bytes not yet handed on
        self._eof = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:  # pragma: no cover - each filter has its own
        raise NotImplementedError

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._out:
            self._fill()
        k = min(len(b), len(self._out))
        b[:k] = self._out[:k]
        self._out = self._out[k:]
        return k

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()
