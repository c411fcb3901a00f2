"""One module per input kind.  Each exposes a ``PARSER`` object following ``parsers.base.Parser``.

Register a new parser by adding its module name to ``PARSER_MODULES`` (order breaks sniff ties).
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import NamedTuple

from wlandoctor.parsers.base import Parser
from wlandoctor.sources.lines import normalized
from wlandoctor.sources.margin import Margin, strip_lines, unescape

PARSER_MODULES: tuple[str, ...] = ("wlandoctor.parsers.huawei", "wlandoctor.parsers.hostap")
PARSER_MODULES += ("wlandoctor.parsers.capture",)
PARSER_MODULES += ("wlandoctor.parsers.freeradius",)
PARSER_MODULES += ("wlandoctor.parsers.espressif",)
PARSER_MODULES += ("wlandoctor.parsers.mikrotik",)
PARSER_MODULES += ("wlandoctor.parsers.meraki",)
PARSER_MODULES += ("wlandoctor.parsers.meraki_api",)
PARSER_MODULES += ("wlandoctor.parsers.aruba",)
PARSER_MODULES += ("wlandoctor.parsers.cisco_wlc",)
PARSER_MODULES += ("wlandoctor.parsers.unifi",)
PARSER_MODULES += ("wlandoctor.parsers.unifi_network",)
PARSER_MODULES += ("wlandoctor.parsers.windows",)
PARSER_MODULES += ("wlandoctor.parsers.windows_text",)
PARSER_MODULES += ("wlandoctor.parsers.windows_evtx",)
PARSER_MODULES += ("wlandoctor.parsers.windows_report",)
PARSER_MODULES += ("wlandoctor.parsers.windows_csv",)
PARSER_MODULES += ("wlandoctor.parsers.nps",)
PARSER_MODULES += ("wlandoctor.parsers.fortinet",)
PARSER_MODULES += ("wlandoctor.parsers.fortinet_debug",)
PARSER_MODULES += ("wlandoctor.parsers.macos",)
PARSER_MODULES += ("wlandoctor.parsers.omada",)


@cache
def all_parsers() -> tuple[Parser, ...]:
    return tuple(importlib.import_module(m).PARSER for m in PARSER_MODULES)


def by_name(name: str) -> Parser | None:
    return next((p for p in all_parsers() if p.name == name), None)


def message_of(platform: str, line: str) -> str:
    """The part of a line that a catalogue's patterns are tried on, as the reader of ``platform`` splits
    it (a whole line for a platform that has no reader yet: a new catalogue's examples)."""
    parser = by_name(platform)
    module = type(parser).__module__ if parser is not None else None
    split = getattr(importlib.import_module(module), "message_of", None) if module else None
    return split(line) if split is not None else line


DEEP_WINDOW = 64 * 1024
DEEP_LIMIT = 64 * 1024 * 1024  # bytes read on through a file whose head no parser recognised


def detect_further(path: Path) -> tuple[Parser | None, int]:
    """For a file whose head no parser takes: the parser that takes a later window of it (the first
    64 MiB, 64 KiB at a time), and where that window starts.  Each parser reads the whole file; what
    comes before its content is reported as lines it did not recognise."""
    try:
        with open(path, "rb") as f:
            f.seek(DEEP_WINDOW)
            pos = DEEP_WINDOW
            while pos < DEEP_LIMIT:
                window = f.read(DEEP_WINDOW)
                if not window:
                    break
                parser, _ = detect(window)
                if parser is not None:
                    return parser, pos
                pos += len(window)
    except OSError:
        pass
    return None, 0


PART_LINES = 16  # lines a window of a text file, when its parts are told apart
SHORT_PART_LINES = 8  # ... of a short one (a forum post's two logs): a part of a few lines still shows
SHORT_FILE_LINES = 128
PARTS_MAX_BYTES = 16 * 1024 * 1024  # text files this small are looked at part by part (tickets, bundles)
MIN_PART_WINDOWS = 1  # a format must win this many windows to make a part of its own


class Part(NamedTuple):
    parser: Parser
    start: int  # byte offsets of the part in the file: [start, end)
    end: int
    first_line: int
    last_line: int  # 0 when the file is one part (not split)


def detect_parts(
    path: Path, first: Parser, margin: Margin | None = None, escaped: bool = False
) -> list[Part]:
    """A text file holding several formats one after the other (a ticket with an AC trace and a hostapd log
    pasted in turn): its parts, each with its byte range and lines.  One part (the whole file,
    ``first``'s) when only one format is seen.  Windows of PART_LINES lines (SHORT_PART_LINES in a short
    file) are sniffed; where the winner
    changes, the part starts at the first line the new format claims and the old one does not."""
    try:
        size = path.stat().st_size
        if size > PARTS_MAX_BYTES or getattr(first, "binary", False):
            return [Part(first, 0, size, 1, 0)]
        data = path.read_bytes()
    except OSError:
        return [Part(first, 0, 0, 1, 0)]
    lines = data.split(b"\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    if escaped:  # (the windows are sniffed as the readers will see them; the offsets stay the file's)
        lines = [unescape(ln) for ln in lines]
    if margin:
        lines = [strip_lines(ln, margin) for ln in lines]
    size_lines = SHORT_PART_LINES if len(lines) <= SHORT_FILE_LINES else PART_LINES
    winners: list[Parser | None] = []
    for w in range(0, len(lines), size_lines):
        winners.append(detect(b"\n".join(lines[w : w + size_lines]))[0])
    if len({p.name for p in winners if p is not None}) < 2:
        return [Part(first, 0, size, 1, 0)]
    parts: list[tuple[Parser, int]] = []  # (parser, first line index)
    current: Parser | None = None
    for wi, p in enumerate(winners):
        if p is None or (current is not None and p.name in (current.name, *getattr(current, "embeds", ()))):
            continue  # (the same format, or one the current format's reader reads within it)
        start = wi * size_lines
        if current is not None:
            # the new format's first line: from the start of the window before, the first line it claims
            # and the old format does not
            lo = max(parts[-1][1], start - size_lines)
            start = next(
                (
                    i
                    for i in range(lo, min(start + size_lines, len(lines)))  # (the last window is short)
                    if p.sniff(lines[i]) > 0 and current.sniff(lines[i]) == 0
                ),
                start,
            )
        parts.append((p, start if current is not None else 0))
        current = p
    count = len(lines) - 1 if data.endswith(b"\n") else len(lines)  # (split leaves "" after a last newline)
    out = []
    for k, (p, line_index) in enumerate(parts):
        end_index = parts[k + 1][1] if k + 1 < len(parts) else count
        end = starts[end_index] if end_index < len(starts) else size
        out.append(Part(p, starts[line_index], end, line_index + 1, end_index))
    return [o for o in out if o.end > o.start]


def detect(head: bytes) -> tuple[Parser | None, int]:
    """The parser that scores highest on this head, and its score (None when nobody scores > 0)."""
    best: Parser | None = None
    best_score = 0
    text = normalized(head)  # (a capture is binary: its head is sniffed as it is)
    for p in all_parsers():
        score = p.sniff(head if getattr(p, "binary", False) else text)
        if score > best_score:
            best, best_score = p, score
    return best, best_score
