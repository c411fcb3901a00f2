"""Read the records of a JSON input one at a time, with the line each starts on.

The forms an API's output takes when it is saved: one JSON document holding an array of records
(``[{...}, {...}]``, minified on one line or pretty-printed), the same array inside an envelope object
(``{"pageStartAt": ..., "events": [...]}``), or one record a line (JSON Lines).  Each record is decoded by
the standard library's decoder on its own, so memory holds one record, not the input; a record larger
than ``max_value`` characters, or one that is not valid JSON, is a problem of its line and the reading
goes on at the next line that starts a record.  Retries on an unfinished record double the text they
wait for, so the time stays linear in the size of the input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from wlandoctor.sources.lines import decode_text, iter_raw_lines

MAX_VALUE = 1024 * 1024  # characters of one record (an API event is under 2 KB)
READ_AHEAD = 16384  # characters read at a time (short lines are joined before they reach the buffer)
FIRST_TRY = 4096  # characters gathered before the first decoding of an unfinished record
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[\s,]*")
# an envelope's keys before its array of records (the array's key: any of ENVELOPE_KEYS)
_ENVELOPE = re.compile(
    r'\{\s*(?:"(?:[^"\\]|\\.){0,64}"\s*:\s*(?:"(?:[^"\\]|\\.){0,256}"|[-\w.]{0,64})\s*,\s*){0,16}'
)
_KEY = re.compile(r'"(\w{1,32})"\s*:\s*\[')
_TAIL = re.compile(
    r'\s*(?:,\s*"(?:[^"\\]|\\.){0,64}"\s*:\s*(?:"(?:[^"\\]|\\.){0,256}"|[-\w.]{0,64})\s*){0,16}\}'
)


@dataclass
class Bad:
    """A part of the input that is not a record: what was wrong, for the problems list."""

    why: str


class _Text:
    """The input's text not yet consumed, with the line number where it starts."""

    def __init__(self, stream: BinaryIO, first_line: int = 1) -> None:
        self.lines = iter_raw_lines(stream, first_line=first_line)
        self.buf = ""
        self.pos = 0
        self.line = first_line  # the line of buf[pos]
        self.started = False  # a line was read (the next one begins with the line end between them)
        self.ended = False

    def more(self) -> bool:
        """Append the next lines of the input (about READ_AHEAD characters); False at its end."""
        parts: list[str] = []
        size = 0
        for _number, raw, fragment in self.lines:
            text = decode_text(raw) or ""  # (binary: nothing of it can be JSON)
            if self.started and not fragment:
                parts.append("\n")
            parts.append(text)
            self.started = True
            size += len(text) + 1
            if size >= READ_AHEAD:
                break
        else:
            self.ended = True
        if parts:
            self.buf += "".join(parts)  # (one copy of the buffer for many lines)
        return bool(parts)

    def advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to
        if self.pos > 65536:  # (drop what was consumed, so the buffer holds one record and a little more)
            self.buf = self.buf[self.pos :]
            self.pos = 0

    def skip_space(self) -> str:
        """Skip blanks and commas; the next character ("" at the end of the input)."""
        while True:
            m = _SPACE.match(self.buf, self.pos)
            self.advance(m.end() if m else self.pos)
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def next_line(self) -> None:
        """Go on at the start of the next line (after a record that could not be read)."""
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl >= 0:
                self.advance(nl + 1)
                return
            self.buf, self.pos = "", 0
            if not self.more():
                return


def iter_records(
    stream: BinaryIO,
    array_keys: tuple[str, ...] = ("events",),
    max_value: int = MAX_VALUE,
    first_line: int = 1,
) -> Iterator[tuple[int, Any]]:
    """``(line, record)`` for each record of the input, or ``(line, Bad(why))`` for what could not be read.

    A record is an element of a top-level array, of an envelope's array under one of ``array_keys``, or a
    top-level value of its own (JSON Lines)."""
    t = _Text(stream, first_line)
    depth = 0  # 1 inside the array of records
    envelope = False  # that array is an envelope's
    while True:
        c = t.skip_space()
        if not c:
            if depth:
                yield t.line, Bad("the input ends inside its array of records")
            return
        if c == "]" and depth:
            depth -= 1
            t.advance(t.pos + 1)
            if envelope:
                while len(t.buf) - t.pos < 8192 and t.more():
                    pass
                m = _TAIL.match(t.buf, t.pos)
                if m is None:
                    yield t.line, Bad("keys after the array of records that are not read")
                    t.next_line()
                else:
                    t.advance(m.end())
                envelope = False
            continue
        if c == "[" and not depth:
            depth = 1
            t.advance(t.pos + 1)
            continue
        if c == "{" and not depth:
            while len(t.buf) - t.pos < 8192 and t.more():
                pass
            head = _ENVELOPE.match(t.buf, t.pos)
            key = _KEY.match(t.buf, head.end()) if head is not None else None
            if key is not None and key.group(1) in array_keys:
                depth, envelope = 1, True
                t.advance(key.end())
                continue
        if c not in "{[":
            yield t.line, Bad(f"{c!r} where a JSON record should start")
            t.next_line()
            continue
        yield from _one(t, max_value)


def _one(t: _Text, max_value: int) -> Iterator[tuple[int, Any]]:
    """The record that starts at the current position."""
    want = FIRST_TRY
    while True:
        have = len(t.buf) - t.pos
        if have < want and not t.ended:
            t.more()
            continue
        try:
            value, end = _DECODER.raw_decode(t.buf, t.pos)
        except json.JSONDecodeError as exc:
            # (a record cut by the end of what was read fails at its end, or in a string left open)
            unfinished = exc.msg.startswith("Unterminated string") or exc.pos >= len(t.buf) - 8
            if unfinished and not t.ended and have < max_value:
                want = min(max(want, have) * 2, max_value + 1)
                continue
            line = t.line + t.buf.count("\n", t.pos, min(exc.pos, len(t.buf)))
            if have >= max_value:
                yield t.line, Bad(f"a JSON record longer than {max_value} characters, skipped")
            elif unfinished:
                yield t.line, Bad("the input ends inside a JSON record")
            else:
                yield line, Bad(f"not valid JSON ({exc.msg})")
            t.next_line()
            return
        except RecursionError:
            yield t.line, Bad("a JSON record nested too deeply, skipped")
            t.next_line()
            return
        if end - t.pos > max_value:  # (decoded, as one read brought all of it: still over the bound)
            yield t.line, Bad(f"a JSON record longer than {max_value} characters, skipped")
        else:
            yield t.line, value
        t.advance(end)
        return
