"""Stream an input as lines, safely.

Inputs are hostile: a line may be gigabytes long, hold binary junk, escape sequences or HTML.  Lines are
cut into fragments of at most MAX_LINE characters (same line number, ``fragment`` > 0 for the
continuations), so memory never grows with line length.  Control characters are made visible so that
nothing from a log can drive a terminal; HTML is escaped by the HTML reporter, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

MAX_LINE = 1024 * 1024
_CHUNK = 1024 * 1024

# C0 controls except tab, DEL, and C1 controls (ESC starts terminal escapes; CSI 0x9b too); and the Unicode
# bidirectional controls, with which a line (an SSID, a user name) can show its text in another order than
# it holds it (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069).
# (C0 and C1 controls, and the Unicode format characters that reorder or hide text: bidi marks and
# overrides, zero-width spaces and joiners, word joiners, invisible operators, the BOM inside a line)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def sanitize(text: str) -> str:
    """Make control characters visible (``\\x1b``, ``\\u202e``) so evidence can be printed anywhere."""
    if text.isprintable():  # (no control character in it: the common case, and a faster test)
        return text
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


@dataclass(slots=True)
class Line:
    number: int  # 1-based
    text: str  # decoded, without the line ending, control characters still raw
    fragment: int = 0  # 0 for the start of a line; 1.. for continuations of an over-long line
    binary: bool = False  # the line held NUL bytes or was mostly undecodable


def _is_binary(raw: bytes) -> bool:
    if b"\x00" in raw:
        return True
    if len(raw) < 8:
        return False
    try:
        raw.decode("utf-8")
        return False
    except UnicodeDecodeError:
        # Latin-1 logs and lines cut inside a multi-byte character are text with a few bad bytes;
        # binary junk is mostly bad bytes.
        text = raw[:4096].decode("utf-8", errors="replace")
        return text.count("\ufffd") > max(8, len(text) // 4)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def cut_point(raw: bytes, limit: int) -> int:
    """Where to cut ``raw`` at most ``limit`` bytes in without splitting a UTF-8 character."""
    i = limit
    while i > limit - 3 and i < len(raw) and 0x80 <= raw[i] < 0xC0:
        i -= 1
    return i if i > 0 else limit


def split_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """The complete lines of a block and what is left of a line not yet ended.  LF, CRLF and a lone CR
    (old Mac tools, some web pastes) all end a line; a CR at the very end is kept back, as it may be the
    first half of a CRLF cut by the read."""
    if b"\r" in data:
        keep = data.endswith(b"\r")
        if keep:
            data = data[:-1]
        parts = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        tail = parts.pop()
        return parts, tail + b"\r" if keep else tail
    parts = data.split(b"\n")
    tail = parts.pop()
    return parts, tail


def normalized(head: bytes) -> bytes:
    """A head of input with CR and CRLF line ends as LF, for tests that look for the start of a line."""
    return head.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in head else head


def iter_raw_lines(
    stream: BinaryIO, max_line: int = MAX_LINE, first_line: int = 1
) -> Iterator[tuple[int, bytes, int]]:
    """Yield ``(number, raw bytes, fragment)`` per line, undecoded, for parsers with a fast path.

    Lines longer than ``max_line`` come in fragments (same number, fragment 1, 2, ...), so memory never
    grows with line length.  The line ending (LF, CRLF or a lone CR) is removed.  ``first_line`` numbers a part of a
    file read on its own.  (The Huawei parser runs its own copy of this loop, with its commonest records
    decided inside it: parsers/huawei.py ``run``.)
    """
    number = first_line - 1
    pending = b""  # start of a line not yet ended
    fragment = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        data = pending + chunk if pending else chunk
        parts, pending = split_lines(data)
        for raw in parts:
            if fragment == 0:
                number += 1
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            while len(raw) > max_line:
                cut = cut_point(raw, max_line)
                yield number, raw[:cut], fragment
                fragment += 1
                raw = raw[cut:]
            yield number, raw, fragment
            fragment = 0
        while len(pending) >= max_line:
            if fragment == 0:
                number += 1
            cut = cut_point(pending, max_line)
            yield number, pending[:cut], fragment
            fragment += 1
            pending = pending[cut:]
    if pending or fragment:
        if fragment == 0:
            number += 1
        yield number, pending[:-1] if pending.endswith(b"\r") else pending, fragment


def iter_lines(stream: BinaryIO, max_line: int = MAX_LINE) -> Iterator[Line]:
    """Yield the lines of a binary stream; CRLF, CR-less and over-long lines are all handled."""
    for number, raw, fragment in iter_raw_lines(stream, max_line):
        yield _make(number, raw, fragment)


def decode_line(number: int, raw: bytes, fragment: int = 0) -> Line:
    """One raw line as a Line (binary detection and lenient UTF-8 decoding)."""
    return _make(number, raw, fragment)


def decode_text(raw: bytes) -> str | None:
    """One raw line's text (lenient UTF-8), or None when it is binary data.  For parsers that read their
    lines themselves and want no Line object for each."""
    if b"\x00" not in raw:
        try:  # the common case, decoded once
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if _is_binary(raw):
        return None
    return _decode(raw)


def _make(number: int, raw: bytes, fragment: int) -> Line:
    text = decode_text(raw)
    if text is None:
        return Line(number, "", fragment, binary=True)
    return Line(number, text, fragment)
