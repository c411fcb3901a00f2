"""Turn the paths a user gives into inputs that can be sniffed and then streamed once."""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from wlandoctor.sources.margin import Margin, Unescaped, Unmargined, strip_lines, unescape
from wlandoctor.sources.unwrap import Unwrapped, join_head

HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"  # what Notepad writes first: not part of the first line
# A gzip input stops at this many times its size on disk (logs compress 5-30:1; a bomb, 1000:1 and more),
# said as a read error; Options.max_expansion / --max-expansion raise it.
MAX_EXPANSION = 200
_EXPANSION_FLOOR = 1024 * 1024  # a tiny file may expand to this whatever its ratio


class _HeadThenRest(io.RawIOBase):
    """A read-once stream that first replays the sniffed head, then continues with the underlying file."""

    def __init__(self, head: bytes, rest: BinaryIO, owner: Input) -> None:
        self._head = memoryview(head)
        self._pos = 0
        self._rest = rest
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos < len(self._head):
            n = min(len(b), len(self._head) - self._pos)
            b[:n] = self._head[self._pos : self._pos + n]
            self._pos += n
            self._owner.bytes_read += n
            return n
        data = self._rest.read(len(b))
        n = len(data)
        b[:n] = data
        self._owner.bytes_read += n
        if self._owner.on_read is not None:
            self._owner.on_read()
        return n

    def close(self) -> None:
        try:
            self._rest.close()
        finally:
            super().close()


class _Gunzipped(io.RawIOBase):
    """The content of a gzip file, read as a stream.  Compressed data cut short or corrupt is an OSError,
    which the pipeline reports as a read error after what was read so far (gzip and zlib raise EOFError
    and zlib.error for it)."""

    def __init__(self, f: BinaryIO, max_expansion: int = MAX_EXPANSION) -> None:
        self._file = f
        self._gz = gzip.GzipFile(fileobj=f, mode="rb")
        self.consumed = 0  # compressed bytes read so far, for progress (the file's size counts those)
        self.produced = 0
        self._ratio = max_expansion
        on_disk = os.fstat(f.fileno()).st_size if hasattr(f, "fileno") else 0
        self._limit = max(_EXPANSION_FLOOR, max_expansion * on_disk)
        self.stopped: str | None = None  # why reading stopped before the end, said by the pipeline

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._gz.read(len(b))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise OSError(f"compressed data cut short or corrupt ({exc})") from None
        self.consumed = self._file.tell()
        # (at the bound the stream ends as if the file did, so what was read is parsed; an exception here
        # would lose the buffered reader's last block)
        n = min(len(data), self._limit - self.produced)
        if n < len(data):
            self.stopped = (
                f"decompressed data reached {self._ratio} times the file's size and reading stopped there "
                f"(--max-expansion to allow more)"
            )
        self.produced += n
        b[:n] = data[:n]
        return n

    def close(self) -> None:
        try:
            self._gz.close()
            self._file.close()
        finally:
            super().close()


class _Limited(io.RawIOBase):
    """At most ``remaining`` bytes of a file, from where it stands."""

    def __init__(self, f: BinaryIO, remaining: int) -> None:
        self._f = f
        self._remaining = remaining

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self._remaining:
            size = self._remaining
        data = self._f.read(size)
        self._remaining -= len(data)
        return data

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._f.close()
        finally:
            super().close()


@dataclass
class Input:
    """One input: a file or stdin.  ``head`` is read up front for format detection."""

    name: str
    path: Path | None
    size: int | None
    head: bytes = b""
    _stream: BinaryIO | None = field(default=None, repr=False)
    bytes_read: int = 0  # bytes handed to the parser
    compressed: _Gunzipped | None = field(default=None, repr=False)  # a gzip input's stream, for progress
    first_line: int = 1  # number of the input's first line (a part of a file read in parallel starts later)
    on_read: Callable[[], None] | None = field(default=None, repr=False)  # after each read: progress
    year_hint: float | None = None  # the newest dated time of the other inputs, for stamps without a year
    margin: Margin | None = (
        None  # a paste's quote mark, indent or container prefix, taken off every line (sources/margin.py)
    )
    escaped: bool = False  # copied from a page with HTML entities for "<", ">", '"' (taken back)
    _raw_head: bytes | None = field(default=None, repr=False)  # the head as read, when a margin is taken off
    wrap: tuple[int, bytes, bool] | None = (
        None  # a paste's wrap (width, lines' start shape, narrow): sources/unwrap.py
    )
    unwrapped: Unwrapped | None = field(default=None, repr=False)  # the stream that joined the pieces

    @classmethod
    def from_path(cls, path: Path, max_expansion: int = MAX_EXPANSION) -> Input:
        """A file.  A pipe (a named FIFO, ``<(zcat trace.gz)``) and a gzip file (``trace.log.gz``, read
        through) are streams like stdin: no size, no path to read again (no parallel parts, no second pass
        of the key proof)."""
        f = open(path, "rb")  # noqa: SIM115 - handed over to the stream below
        try:
            regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode)
            if f.peek(2)[:2] == GZIP_MAGIC:
                gunzipped = _Gunzipped(f, max_expansion)
                head = (gunzipped.read(HEAD_BYTES) or b"").removeprefix(UTF8_BOM)
                return cls(str(path), None, None, head, gunzipped, compressed=gunzipped)  # type: ignore[arg-type]
            head = f.read(HEAD_BYTES).removeprefix(UTF8_BOM)
        except OSError:
            f.close()
            raise
        if not regular:
            return cls(str(path), None, None, head, f)
        return cls(str(path), path, path.stat().st_size, head, f)

    @classmethod
    def from_range(cls, name: str, path: Path, start: int, end: int, first_line: int) -> Input:
        """Bytes [start, end) of a file, whose first line is line ``first_line`` of the whole file."""
        f = open(path, "rb")  # noqa: SIM115 - handed over to the stream below
        f.seek(start)
        limited = _Limited(f, end - start)
        head = limited.read(HEAD_BYTES)
        if start == 0:
            head = head.removeprefix(UTF8_BOM)
        return cls(name, path, end - start, head, limited, first_line=first_line)  # type: ignore[arg-type]

    @classmethod
    def from_stdin(cls) -> Input:
        raw = sys.stdin.buffer
        head = raw.read(HEAD_BYTES).removeprefix(UTF8_BOM)
        return cls("<stdin>", None, None, head, raw)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Input:
        data = data.removeprefix(UTF8_BOM)
        return cls(name, None, len(data), data[:HEAD_BYTES], io.BytesIO(data[HEAD_BYTES:]))

    def unescape_html(self) -> None:
        """Take a page's HTML entities back, from now on: the head seen by detection, and the content."""
        self.escaped = True
        if self._raw_head is None:
            self._raw_head = self.head
        self.head = unescape(self.head)

    def unmargin(self, margin: Margin) -> None:
        """Take ``margin`` off every line from now on: the head seen by detection, and the content read."""
        self.margin = margin
        if self._raw_head is None:
            self._raw_head = self.head
        self.head = strip_lines(self.head, margin)

    def unwrap(self, wrap: tuple[int, bytes, bool]) -> None:
        """Join back the lines a paste wrapped, from now on: the head, and the content read."""
        self.wrap = wrap
        if self._raw_head is None:
            self._raw_head = self.head
        self.head = join_head(self.head, *wrap)

    def open(self) -> io.BufferedReader:
        """The whole content as a buffered binary stream. Inputs are read once."""
        if self._stream is None:
            raise RuntimeError(f"{self.name} was already read")
        stream, self._stream = self._stream, None
        raw: io.RawIOBase = _HeadThenRest(
            self.head if self._raw_head is None else self._raw_head, stream, self
        )
        if self.escaped:
            raw = Unescaped(raw)  # type: ignore[arg-type]
        if self.margin:
            raw = Unmargined(raw, self.margin)  # type: ignore[arg-type]
        if self.wrap is not None:
            raw = self.unwrapped = Unwrapped(raw, *self.wrap)  # type: ignore[arg-type]
        return io.BufferedReader(raw, buffer_size=1024 * 1024)

    @property
    def progress(self) -> int:
        """Bytes of the input consumed so far, as its size on disk counts them (compressed for gzip)."""
        return self.compressed.consumed if self.compressed is not None else self.bytes_read

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def expand_paths(paths: list[str]) -> Iterator[tuple[str, Path | None, str | None]]:
    """Yield (name, path, error) for every file named or found under a named folder, in a stable order.

    ``-`` means stdin (path None).  A pipe named on the command line (``<(zcat trace.gz)``) is read like
    stdin; inside folders only regular files are read (opening a pipe there could wait forever).  A file
    reached twice (named twice, or through a link) is read once.  Unreadable paths yield an error message
    instead of raising, so one bad path never stops the others from being processed.
    """
    seen: dict[tuple[int, int], str] = {}  # (device, inode) -> the name it was read under
    for p in paths:
        if p == "-":
            yield "<stdin>", None, None
            continue
        path = Path(p)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path, onerror=None):
                dirs.sort()
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    found = True
                    yield _entry(str(Path(root) / name), Path(root) / name, seen, named=False)
            if not found:
                yield p, None, "folder holds no files"
        elif path.exists():
            yield _entry(p, path, seen, named=True)
        else:
            yield p, None, "no such file or folder"


def _entry(
    name: str, path: Path, seen: dict[tuple[int, int], str], *, named: bool
) -> tuple[str, Path | None, str | None]:
    try:
        st = path.stat()
    except OSError as exc:
        return name, None, exc.strerror or str(exc)
    if stat.S_ISFIFO(st.st_mode) and named:
        return name, path, None
    if not stat.S_ISREG(st.st_mode):
        return name, None, "not a regular file"
    first = seen.get((st.st_dev, st.st_ino))
    if first is not None:
        return name, None, f"the same file as {first}: read once"
    seen[(st.st_dev, st.st_ino)] = name
    return name, path, None
