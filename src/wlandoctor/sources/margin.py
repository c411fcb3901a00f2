"""A paste's margin: what a reply, a mail or a Markdown page put before every line of a log it quotes.

A log quoted in a GitHub reply or a mail carries "> " before each line; one pasted as a Markdown or forum
code block carries four spaces (or a tab).  Every reader expects the program's own lines, so the margin is
found once, from the head of the input, and taken off each line while the input is read (memory does not
grow: the stream is filtered a chunk at a time).  Line numbers do not change.

A container's log viewer puts its source before each line the same way: ``docker compose logs`` (and
``docker compose up``) the service's name and replica, padded to a column and a bar (``radius-1  | ``,
Compose v1 ``radius_1  | ``), ``kubectl logs --prefix`` the pod and container in brackets
(``[pod/radius-7d9f/freeradius] ``).  That margin differs from line to line (several services
interleaved), so it is a pattern, not bytes.

A margin is taken off only when (nearly) every line holding something carries it: a quote mark or a
container's prefix on at least nine lines in ten, or the same leading blanks on every line (a log whose
own lines start at the first column has none, so nothing is taken from its indented continuation lines).
"""

from __future__ import annotations

import re
from typing import BinaryIO

from wlandoctor.sources.filtered import Filtered

MAX_MARGIN = 16  # bytes: longer common blanks are the log's own layout, not a paste's
_QUOTE = re.compile(rb"(?:[>#][ \t]?)+")  # ("# " too: a console's lines pasted as comments)
_BLANKS = re.compile(rb"[ \t]+")
SAMPLE_LINES = 400  # lines of the head looked at
# A container's prefix: Compose's service and replica number (the number is what tells it from a table's
# "Name | Value"), or kubectl's [pod/<pod>/<container>]; bounded, so a line is looked at once
CONTAINER = re.compile(
    rb"(?:[A-Za-z0-9][\w.\-]{0,80}[-_]\d{1,4}[ \t]+\|(?: |$|(?=[\r\n]))"
    rb"|\[pod/[\w.\-]{1,253}/[\w.\-]{1,63}\] )"
)
CONTAINER_MAX = 400  # bytes: the longest prefix CONTAINER matches, with margins nested in it

Margin = bytes | re.Pattern[bytes]  # the same bytes on every line, or a container's prefix


def find_margin(head: bytes) -> Margin | None:
    """The margin every line of ``head`` carries, or None.  Margins nest (a quote inside an indent, "    > ",
    a console's "# " inside a container's prefix): up to three, outermost first."""
    text = head.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    layers: list[Margin] = []
    for _ in range(3):
        found: Margin | None = CONTAINER if _mostly(text, CONTAINER) else None
        found = found or _one_margin(text)
        if found is None:
            break
        layers.append(found)
        text = strip_lines(text, found)
    if not layers:
        return None
    if all(isinstance(m, bytes) for m in layers):
        return b"".join(m for m in layers if isinstance(m, bytes))
    if len(layers) == 1:
        return layers[0]
    return re.compile(b"".join(_optional(m) for m in layers))


def _optional(m: Margin) -> bytes:
    """One layer of a nested margin as an optional part of a pattern (a line may lack it)."""
    if not isinstance(m, bytes):
        return b"(?:" + m.pattern + b")?"
    bare = m.rstrip()
    alone = b"|" + re.escape(bare) + rb"(?=[\r\n]|$)" if bare else b""  # (a quoted blank line: ">")
    return b"(?:" + re.escape(m) + alone + b")?"


def _mostly(text: bytes, prefix: re.Pattern[bytes]) -> bool:
    """Whether nine lines in ten of those holding something start with ``prefix``."""
    lines = [ln for ln in text.split(b"\n")[:SAMPLE_LINES] if ln.strip()]
    hits = sum(1 for ln in lines if prefix.match(ln, 0, CONTAINER_MAX) is not None)
    return bool(lines) and hits * 10 >= len(lines) * 9


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


def strip_lines(data: bytes, margin: Margin) -> bytes:
    """``data`` (whole lines) with the margin taken off each line that carries it."""
    if not isinstance(margin, bytes):
        out = []
        for line in data.splitlines(keepends=True):
            m = margin.match(line, 0, CONTAINER_MAX)
            out.append(line[m.end() :] if m is not None else line)
        return b"".join(out)
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

    def __init__(self, raw: BinaryIO, margin: Margin) -> None:
        super().__init__(raw)
        self._pattern = margin if not isinstance(margin, bytes) else None
        self._margin = margin if isinstance(margin, bytes) else b""
        self._bare = self._margin.rstrip()
        self._at_start = True  # the next byte starts a line
        self._after_cr = False  # the last byte was a CR (a LF right after it ends the same line)
        self._held = b""  # the start of a line too short yet to tell whether it carries the margin

    def _fill(self) -> None:
        while not self._out and not self._eof:
            chunk = self._raw.read(1024 * 1024)
            if not chunk:
                self._eof = True
                held, self._held = self._held, b""
                m = self._pattern.match(held, 0, CONTAINER_MAX) if self._pattern is not None else None
                self._out += held[m.end() :] if m is not None else held  # (the last line, unended)
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
            if self._at_start and self._pattern is not None:
                end = data.find(b"\n", i, i + CONTAINER_MAX)
                cr = data.find(b"\r", i, i + CONTAINER_MAX)
                end = cr if 0 <= cr < end or end < 0 else end
                if end < 0 and n - i < CONTAINER_MAX:
                    self._held = bytes(data[i:])  # (the line's prefix may go on in the next chunk)
                    break
                m = self._pattern.match(data, i, end if end >= 0 else i + CONTAINER_MAX)
                if m is not None:
                    i = m.end()
                self._at_start = False
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


def describe(margin: Margin) -> str:
    """The note said on an input whose margin was taken off."""
    if not isinstance(margin, bytes):
        return "each line's container prefix (docker compose's \"service-1 | \", kubectl's [pod/...]) was taken off before reading"
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
