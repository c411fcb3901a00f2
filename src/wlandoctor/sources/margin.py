"""A paste's margin: what a reply, a mail or a Markdown page put before every line of a log it quotes.

A log quoted in a GitHub reply or a mail carries "> " before each line; one pasted as a Markdown or forum
code block carries four spaces (or a tab).  Every reader expects the program's own lines, so the margin is
found once, from the head of the input, and taken off each line while the input is read (memory does not
grow: the stream is filtered a chunk at a time).  Line numbers do not change.

A margin is taken off only when (nearly) every line holding something carries it: a quote mark on at
least nine lines in ten, or the same leading blanks on every line (a log whose own lines start at the
first column has none, so nothing is taken from its indented continuation lines).
"""

from __future__ import annotations

import re
from typing import BinaryIO

from wlandoctor.sources.filtered import Filtered

MAX_MARGIN = 16  # bytes: longer common blanks are the log's own layout, not a paste's
_QUOTE = re.compile(rb"(?:[>#][ \t]?)+")  # ("# " too: a console's lines pasted as comments)
_BLANKS = re.compile(rb"[ \t]+")
SAMPLE_LINES = 400  # lines of the head looked at


def find_margin(head: bytes) -> bytes | None:
    """The margin every line of ``head`` carries, or None (a quote inside an indent, "    > ", is one)."""
    text = head.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    margin = b""
    for _ in range(3):
        found = _one_margin(text)
        if found is None:
            break
        margin += found
        text = strip_lines(text, found)
    return margin or None


def _one_margin(text: bytes) -> bytes | None:
    lines = text.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]  # (the last one may be cut by the head's end)
    lines = lines[:SAMPLE_LINES]
    quoted = [_QUOTE.match(ln) for ln in lines]
    content = [(ln, q) for ln, q in zip(lines, quoted, strict=True) if ln[q.end() if q else 0 :].strip()]
    if not content:
        return None  # (one line is enough: a reply quoting the one line a station's log gave)
    marks = [q.group() for _, q in content if q is not None]
    if len(marks) * 10 >= len(content) * 9:
        common = min(marks, key=len)
        if all(m.startswith(common) for m in marks) and len(common) <= MAX_MARGIN:
            return common
        return None
    blanks = [_BLANKS.match(ln) for ln, _ in content]
    if any(b is None for b in blanks):
        return None
    common = min((b.group() for b in blanks if b is not None), key=len)
    if len(common) > MAX_MARGIN or not all(ln.startswith(common) for ln, _ in content):
        return None
    if common == b" ":
        return None  # (one blank: a log's own alignment as often as a paste's)
    return common


def strip_lines(data: bytes, margin: bytes) -> bytes:
    """``data`` (whole lines) with the margin taken off each line that carries it."""
    bare = margin.rstrip()
    out = []
    for line in data.splitlines(keepends=True):
        if line.startswith(margin):
            line = line[len(margin) :]
        elif bare and line.rstrip(b"\r\n") == bare:
            line = line[len(bare) :]  # (a quoted blank line: ">" alone)
        out.append(line)
    return b"".join(out)


class Unmargined(Filtered):
    """A binary stream whose lines lose ``margin`` at their start (LF, CRLF or a lone CR end a line)."""

    def __init__(self, raw: BinaryIO, margin: bytes) -> None:
        super().__init__(raw)
        self._margin = margin
        self._bare = margin.rstrip()
        self._at_start = True  # the next byte starts a line
        self._after_cr = False  # the last byte was a CR (a LF right after it ends the same line)
        self._held = b""  # the start of a line too short yet to tell whether it carries the margin

    def _fill(self) -> None:
        while not self._out and not self._eof:
            chunk = self._raw.read(1024 * 1024)
            if not chunk:
                self._eof = True
                self._out, self._held = self._out + self._held, b""
                return
            self._out = self._filter(self._held + chunk)

    def _filter(self, data: bytes) -> bytes:
        out = bytearray()
        i, n = 0, len(data)
        self._held = b""
        # (the next LF and CR, found once and again only when passed: a search per line for a CR the
        # data does not hold would cost the rest of the chunk each time)
        nl = cr = -1
        while i < n:
            if self._after_cr:
                self._after_cr = False
                if data[i] == 0x0A:  # (CRLF: the same line end)
                    out.append(0x0A)
                    i += 1
                    continue
            if self._at_start:
                rest = data[i : i + len(self._margin)]
                if len(rest) < len(self._margin) and self._margin.startswith(rest) and i + len(rest) == n:
                    self._held = bytes(rest)  # (decided with the next chunk)
                    break
                if data.startswith(self._margin, i):
                    i += len(self._margin)
                elif (
                    self._bare
                    and data.startswith(self._bare, i)
                    and data[i + len(self._bare) : i + len(self._bare) + 1] in (b"\n", b"\r")
                ):
                    i += len(self._bare)
                self._at_start = False
            if nl != n and nl < i:
                nl = data.find(b"\n", i)
                nl = n if nl < 0 else nl
            if cr != n and cr < i:
                cr = data.find(b"\r", i)
                cr = n if cr < 0 else cr
            j = min(nl, cr)
            if j == n:
                out += data[i:]
                break
            out += data[i : j + 1]
            self._at_start = True
            self._after_cr = data[j] == 0x0D
            i = j + 1
        return bytes(out)


def describe(margin: bytes) -> str:
    """The note said on an input whose margin was taken off."""
    if margin.strip().startswith(b">"):
        return f"each line's quote mark {margin.decode('ascii', 'replace')!r} (a quoted paste) was taken off before reading"
    return f"each line's {len(margin)}-character indent (a pasted code block) was taken off before reading"


# ---- a page's escaping -------------------------------------------------------------------------------
# A log copied from a web page's source, or from a tool that escapes HTML, has "<3>" as "&lt;3&gt;" and a
# quote mark as "&gt; ": when the head holds such entities and no raw "<" at all, they are taken back.
_ENTITIES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&#39;": b"'", b"&#x27;": b"'", b"&amp;": b"&"}
_ENTITY = re.compile(rb"&(?:lt|gt|quot|#39|#x27|amp);")
ENTITY_MAX = 6  # bytes of the longest entity


def html_escaped(head: bytes) -> bool:
    """Whether ``head`` is a log with its markup characters escaped as HTML entities."""
    marks = head.count(b"&lt;") + head.count(b"&gt;") + head.count(b"&quot;")
    return marks >= 2 and b"<" not in head


def unescape(data: bytes) -> bytes:
    return _ENTITY.sub(lambda m: _ENTITIES[m.group()], data)


class Unescaped(Filtered):
    """A binary stream whose HTML entities (those a page escapes a log with) are taken back."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__(raw)
        self._tail = b""  # an entity that may go on in the next chunk

    def _fill(self) -> None:
        while not self._out and not self._eof:
            chunk = self._raw.read(1 << 20)
            if not chunk:
                self._eof = True
                self._out, self._tail = unescape(self._tail), b""
                return
            data = self._tail + chunk
            cut = data.rfind(b"&", max(0, len(data) - ENTITY_MAX))
            if cut >= 0 and b";" not in data[cut:]:
                data, self._tail = data[:cut], data[cut:]
            else:
                self._tail = b""
            self._out = unescape(data)
