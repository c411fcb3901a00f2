"""Lines a paste wrapped: a mail client, a forum or a terminal broke every long log line at a width, and the
rest of each went on the next line.  A reader of one record a line expects whole lines, so the wrap is
found once, from the head of the input, and each piece is joined back to the line it continues while the
input streams (readers that say so: ``unwraps = True``; a reader of multi-line records never).

Found only where it cannot be mistaken: the log's lines start alike, with a time stamp (the shape of
their first characters, runs of digits as 9, of letters as a, of blanks as one blank, is shared by most of
them and holds a digit); several lines end near one width (the wrap's); and lines that start like no log
line (no digit, bracket or tag first) follow those long lines.  Such a piece is joined to the line before
it (with the blank the wrap took), and an empty line is left in its place, so every line keeps its number.
A piece is joined when the line before it ends near the width, or when the piece's first word would not
have fitted on that line (a mail client breaks before a long word, leaving a short line, and a run of
pieces follows one another the same way).  A wrap so narrow that most lines are pieces (a mail client's
word wrap at 70 columns: a record over three lines) is found when the stamp begins most of the other
lines and nearly every piece's first word would not have fitted on the line before it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import BinaryIO

from wlandoctor.sources.filtered import Filtered

SHAPE_BYTES = 10  # characters of a line's shape that tell a log line's start
MIN_WIDTH = 60  # narrower "wraps" are a log's own short lines
SAMPLE_LINES = 400
NEAR = 0.8  # a wrapped line is at least this share of the wrap's width long
WORD_WRAPPED = 0.85  # share of pieces whose first word did not fit on the line before (a narrow word wrap)
MAX_STARTS = 4096  # first words of records remembered (a log's own record starts are few)
MAX_JOINED = 8192  # bytes a joined line may grow to: a piece past it stays a line of its own
_RUNS = ((re.compile(rb"\d+"), b"9"), (re.compile(rb"[A-Za-z]+"), b"a"), (re.compile(rb"[ \t]+"), b" "))
# what a log line of its own may start with, whatever its shape: a date or a time (not a MAC's first
# bytes: "12:34:56:78:9a:bc"), an uptime or epoch stamp, a bracketed stamp, a syslog priority, a month
_LINE_START = re.compile(
    rb"\s*(?:\d{4}[-/]\d\d|\d{1,2}:\d\d:\d\d(?!:[0-9a-fA-F]{2})|\d{1,2}[-/]\d{1,2}[-/ ]|\d{1,2} \d{4} "
    rb"|\d{1,12}\.\d{1,9}:|\[\s*\d|<\d{1,3}>|\(\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ a-z/])"
)


# a shape that starts with a name holding digits and a colon ("wlan0: ", "phy0-ap0: "): an interface, no stamp
_NAME_FIRST = re.compile(rb"a9[-.a9]*: ")


def _shape(line: bytes) -> bytes:
    """A line's start as a shape (a stamp's width changes, "[   64.15]" then "[  117.90]"; its shape not)."""
    head = line[: SHAPE_BYTES * 3]
    for pattern, mark in _RUNS:
        head = pattern.sub(mark, head)
    return head[:SHAPE_BYTES]


def _piece(line: bytes, shape: bytes) -> bool:
    """Whether ``line`` can only be the rest of another: it starts like no log line."""
    return _shape(line) != shape and _LINE_START.match(line) is None


def find_wrap(head: bytes) -> tuple[int, bytes, bool] | None:
    """(the wrap's width, the shape the log's lines start with, whether it is so narrow that every line not
    starting like a log line is a piece), or None when the head is not wrapped."""
    text = head.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = [ln for ln in text.split(b"\n")[:-1][:SAMPLE_LINES] if ln.strip()]
    if len(lines) < 6:
        return None
    shapes = Counter(_shape(ln) for ln in lines)
    shape, count = shapes.most_common(1)[0]
    if not any(48 <= b <= 57 for b in shape):
        return None  # (no time-stamped start)
    width = max(len(ln) for ln in lines)
    if width < MIN_WIDTH:
        return None
    if _NAME_FIRST.match(shape):
        return None  # (the digits of the lines' common start are an interface's, "wlan0: STA 04:c8:..": no stamp)
    if count * 2 < len(lines):
        # Most lines do not start with the stamp: a log of other lines, or one wrapped so narrow that each
        # record takes two lines or more (a mail client's word wrap at 70 columns).  Only the second when
        # the stamp begins most lines that could begin a record, and nearly every other line is a word
        # that did not fit on the line before it (which no log's own short lines do).
        after = [(lines[i - 1], ln) for i, ln in enumerate(lines) if i and _piece(ln, shape)]
        # (lines of several programs share the stamp and differ in the tag after it, "09:01:50 kernel:",
        # "09:01:50 NetworkManager[8368]:": each starts a record all the same)
        count = max(count, sum(1 for ln in lines if _LINE_START.match(ln)))
        if count * 2 < len(lines) - len(after) or len(after) < 6:
            return None
        stamped = [ln for ln in lines if _shape(ln) == shape][:20]
        if not all(_LINE_START.match(ln) for ln in stamped):
            return None  # (the lines' common start is no time stamp: a table's rows and its rules)
        # (the wrap's column: a line or two a mail client could not break, a long address, stand past it,
        # so the width is where nineteen lines in twenty end)
        lengths = sorted(len(ln) for ln in lines)
        width = lengths[len(lengths) * 19 // 20]
        full = sum(1 for prev, ln in after if len(prev) + 1 + len(ln.split(None, 1)[0]) > width)
        if width < MIN_WIDTH or full < len(after) * WORD_WRAPPED:
            return None
        return width, shape, True
    long_lines = [i for i, ln in enumerate(lines) if len(ln) >= width * NEAR]
    pieces = sum(1 for i in long_lines if i + 1 < len(lines) and _piece(lines[i + 1], shape))
    if pieces < 2 or pieces * 3 < len(long_lines):
        return None  # (long lines are followed by lines of their own: no wrap)
    return width, shape, False


class Unwrapped(Filtered):
    """A binary stream of whole lines in which a piece the wrap cut off is joined to the line before it."""

    def __init__(self, raw: BinaryIO, width: int, shape: bytes, narrow: bool = False) -> None:
        super().__init__(raw)
        # (a wrap so narrow that most lines are pieces: every line that starts like no log line is one, a
        # short one too, as a mail client's reflow leaves them: "wlo1: association" / "with" / "<bssid> ...")
        self._narrow = narrow
        self._lines = io.BufferedReader(raw, buffer_size=1 << 20)  # type: ignore[type-var]
        self._width = width
        self._shape = shape
        self._held: bytes | None = None  # the last line, its end kept, until the next one is known
        self._blanks = 0  # pieces joined to it: as many empty lines follow it
        self._last = 0  # the length of the last line read (of the last piece, once one is joined)
        # the first words of the lines that were not pieces: a word that began two records begins records
        # (a host name and tag before each line, "802aa849de91,UAP-AC-Lite-5.43.43+12741:"), not a piece
        self._starts: dict[bytes, int] = {}
        self._in_fragment = False
        self._number = 0
        self.width_of = width
        self.joined = 0
        self.first_joined = 0

    def _emit(self) -> bytes:
        if self._held is None:
            return b""
        out = self._held + b"\n" * self._blanks
        self._held, self._blanks = None, 0
        return out

    def _fill(self) -> None:
        while not self._out and not self._eof:
            line = self._lines.readline(1 << 20)
            if not line:
                self._eof = True
                self._out = self._emit()
                return
            if self._in_fragment or not line.endswith((b"\n", b"\r")):
                # a line longer than a read: passed on as it is, up to its end (never joined)
                self._in_fragment = not line.endswith((b"\n", b"\r"))
                if not self._in_fragment:
                    self._number += 1
                self._out = self._emit() + line
                continue
            self._number += 1
            body = line.rstrip(b"\r\n")
            held = self._held
            word = body.split(None, 1)[0] if body.strip() else b""
            if (
                held is not None
                and word
                and (self._narrow or self._broke_before(word))
                and (_piece(body, self._shape) or self._stamp_wrapped(body, word))
                and self._starts.get(word, 0) < 2
                # (a tag the held line begins with too, "wlan0:" after "wlan0: Trying to associate ...":
                # the same program's next record, not the rest of its last)
                and not (word.endswith(b":") and held.startswith(word + b" "))
                and len(held) + len(body) < MAX_JOINED
            ):
                end = held[len(held.rstrip(b"\r\n")) :]
                start = held[: len(held) - len(end)]
                glue = b"" if start.endswith((b" ", b"=")) or body.startswith((b" ", b")", b"]")) else b" "
                self._held = start + glue + body.lstrip(b" ") + end
                self._last = len(body)
                self._blanks += 1
                self.joined += 1
                if not self.first_joined:
                    self.first_joined = self._number
                continue
            self._out = self._emit()
            self._held = line
            self._last = len(body)
            if word and (word in self._starts or len(self._starts) < MAX_STARTS):
                self._starts[word] = self._starts.get(word, 0) + 1

    def _stamp_wrapped(self, body: bytes, word: bytes) -> bool:
        """In a narrow wrap, a bracketed stamp that did not fit on the line before it: a program's own stamp
        after its tag ("NetworkManager[893]: <info>" then "[1568736941.1707] device (wlo1): ..."), no line
        of its own in a log whose lines start with another stamp."""
        return (
            self._narrow
            and body[:1] == b"["
            and _shape(body) != self._shape
            and self._last + 1 + len(word) > self._width
        )

    def _broke_before(self, word: bytes) -> bool:
        """Whether the wrap can have broken the last line before a piece that starts with ``word``: the last
        line ends near the wrap's width, or ``word`` would have taken it there (a wrap breaks before a word
        that does not fit, however short the line then is: "...iwd[2120]:" before a long "src/netdev.c:...")."""
        if self._last >= self._width * NEAR:
            return True
        # (near the width too: mail clients wrap short of the longest line they let through)
        return self._last + 1 + len(word) > self._width * NEAR

    def close(self) -> None:
        try:
            self._lines.close()  # (closes the stream under it too)
        finally:
            io.RawIOBase.close(self)


def join_head(head: bytes, width: int, shape: bytes, narrow: bool = False) -> bytes:
    """The head as the stream gives it: the same joins, the same empty lines."""
    with Unwrapped(io.BytesIO(head), width, shape, narrow) as out:
        return io.BufferedReader(out).read()
