"""What each reader reads: the inputs as segments (a whole input, or a byte range of a large one).

A large file in a format whose records start at line starts and carry their own station and time
(``splittable = True``) is cut at record starts into byte ranges, one per process; every other input is
one segment.  Line numbers stay those of the whole file: the reader of a range first counts the lines
before it (a fast byte scan), so evidence still points at the right line.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from wlandoctor.model import Coverage, InputSummary
from wlandoctor.model.diagnosis import HINTS_COUNTED
from wlandoctor.parsers import detect, detect_parts, order
from wlandoctor.parsers.relevance import FIRST_SHOWN, HINTS_SHOWN, PER_STATION_SHOWN
from wlandoctor.sources import Input, expand_paths
from wlandoctor.sources.dated import dated_heads
from wlandoctor.sources.inputs import MAX_EXPANSION

PARALLEL_MIN_BYTES = 64 * 1024 * 1024  # below this in all, starting processes costs more than it saves
_SCAN = 1024 * 1024
MAIN_WEIGHT = 1.1  # the command's own range is this much larger: a worker also starts an interpreter
# Where a record may start: an AP debug record ("<7>Mar 05 ...") or an AC trace header.
_RECORD_START = re.compile(rb"\n(?:<|\[BTRACE\])")
_RECORD_LINE = (b"<", b"[BTRACE]")


@dataclass(frozen=True, slots=True)
class Segment:
    """One thing to read: an input whole, or bytes [start, end) of one (``parser`` then names its reader)."""

    index: int  # position among the inputs, in the order given
    name: str
    path: str | None  # None: the standard input
    size: int = 0
    parser: str | None = None
    start: int = 0
    end: int | None = None
    local: bool = False  # read by the command's own process: stdin, a capture read with candidate keys
    year_hint: float | None = None  # the other inputs' newest dated time (pipeline.ingest does the same)

    @property
    def is_range(self) -> bool:
        return self.end is not None


def workers() -> int:
    """Processes by default: $WLANDOCTOR_WORKERS, else two when this machine has two cores or more.

    Not more by default: every process holds the stations of its partition and its interpreter."""
    env = os.environ.get("WLANDOCTOR_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), 2 * _cpus())
    return min(2, _cpus())


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_inputs(
    paths: list[str],
    parts: int,
    force_format: str | None = None,
    secrets: bool = False,
    max_expansion: int = MAX_EXPANSION,
) -> list[Segment | InputSummary]:
    """The inputs in order: a segment for each (several for a large splittable file), or the summary of
    one that cannot be read.  ``secrets``: candidate passphrases are given, so captures (which the key
    proof reads with them) are read by the command's own process, never handed to a worker."""
    out: list[Segment | InputSummary] = []
    entries = list(expand_paths(paths))
    dated = dated_heads([path for _name, path, error in entries if path is not None and not error])
    for index, (name, path, error) in enumerate(entries):
        if error:
            s = InputSummary(name, "unreadable")
            s.problem(0, error)
            out.append(s)
            continue
        if path is None or not _regular(path):
            # stdin or a pipe: read once, by the process that plans (a FIFO's head read here is gone)
            hint = max(dated.values()) if dated else None  # (stdin and pipes are never in dated)
            out.append(Segment(index, name, str(path) if path else None, local=True, year_hint=hint))
            continue
        try:
            inp = Input.from_path(path, max_expansion)
        except OSError as exc:
            s = InputSummary(name, "unreadable")
            s.problem(0, exc.strerror or str(exc))
            out.append(s)
            continue
        others = [t for p, t in dated.items() if p != path]
        try:
            hint = max(others) if others else None
            out.extend(
                dataclasses.replace(seg, year_hint=hint)
                for seg in _segments(index, inp, parts, force_format, secrets)
            )
        finally:
            inp.close()
    return out


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # (opened next, which says why it cannot be)


def _segments(index: int, inp: Input, parts: int, force_format: str | None, secrets: bool) -> list[Segment]:
    whole = Segment(index, inp.name, inp.name, inp.size or 0)
    if inp.path is None:  # a gzip file: read as a stream, whole
        return [whole]
    parser = None
    if inp.head:
        from wlandoctor.parsers import by_name

        parser = by_name(force_format) if force_format else detect(inp.head)[0]
    if parser is None:
        return [whole]
    if secrets and parser.name == "pcap":
        return [Segment(index, inp.name, str(inp.path), inp.size or 0, local=True)]
    if (
        parts < 2
        or not getattr(parser, "splittable", False)
        or (inp.size or 0) < PARALLEL_MIN_BYTES
        or (parser.name in order.LINE_READERS and order.newest_first(inp.head))
        or (not force_format and len(detect_parts(inp.path, parser)) > 1)
    ):
        return [whole]
    return [
        Segment(index, inp.name, str(inp.path), end - start, parser.name, start, end)
        for start, end in plan(inp.path, parts)
    ]


def plan(path: Path, parts: int) -> list[tuple[int, int]]:
    """(start, end) of each byte range, cut at record starts.  The first range, read by the command's
    own process, is MAIN_WEIGHT times the others: a worker also starts an interpreter first."""
    size = path.stat().st_size
    total = MAIN_WEIGHT + parts - 1
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(int(size * (MAIN_WEIGHT + k - 1) / total))
            window = f.read(_SCAN)
            at = _record_start(window)
            if at < 0:
                continue  # no safe place here: not cut
            cut = f.tell() - len(window) + at
            if cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def _record_start(window: bytes) -> int:
    """The offset of the first line in ``window`` that starts a record right after a line that was one
    too: never inside a block of lines (a display command's output, a trace's continuation line), whose
    reading needs the lines before; -1 when there is none."""
    for m in _RECORD_START.finditer(window):
        i = m.start()
        before = window.rfind(b"\n", 0, i)
        if before >= 0 and window[before + 1 : i].startswith(_RECORD_LINE):
            return i + 1
    return -1


def first_line(path: Path, start: int) -> int:
    """The number of the line that begins at byte ``start`` (a fast count of the line ends before it)."""
    line = 1
    pos = 0
    prev_cr = False
    with open(path, "rb") as f:
        while pos < start:
            chunk = f.read(min(_SCAN * 8, start - pos))
            if not chunk:
                break
            line += chunk.count(b"\n")
            if b"\r" in chunk or prev_cr:
                # a lone CR ends a line too, as the readers count them (sources.lines.split_lines); a CR
                # that ended the block before and this LF are one CRLF
                line += chunk.count(b"\r") - chunk.count(b"\r\n") - (prev_cr and chunk[:1] == b"\n")
            prev_cr = chunk.endswith(b"\r")
            pos += len(chunk)
    return line


def merge_coverage(into: Coverage, part: Coverage) -> None:
    """A part's coverage added to the whole input's (first lines and per-station lines in file order)."""
    into.understood += part.understood
    into.unread += part.unread
    into.first = (into.first + part.first)[:FIRST_SHOWN]
    into.hinted = min(into.hinted + part.hinted, HINTS_COUNTED)  # (as counted when read whole)
    into.hints = (into.hints + part.hints)[:HINTS_SHOWN]
    for station, seen in part.by_station.items():
        mine = into.by_station.setdefault(station, [0])
        mine[0] += seen[0]
        mine[1:] = (mine[1:] + seen[1:])[:PER_STATION_SHOWN]


def join_parts(parts: list[InputSummary]) -> InputSummary:
    """The summary of an input read in byte ranges, from those of its ranges in file order."""
    total = InputSummary(parts[0].source, parts[0].format)
    for summary in parts:
        total.records += summary.records
        total.skipped += summary.skipped
        for p in summary.problems:
            total.problem(p.line, p.message)
        total.problems_dropped += summary.problems_dropped
        merge_coverage(total.coverage, summary.coverage)
        total.notes.extend(summary.notes)
        total.unrecognised += summary.unrecognised
        total.first_unrecognised = total.first_unrecognised or summary.first_unrecognised
        total.unrecognised_as = total.unrecognised_as or summary.unrecognised_as
    return total
