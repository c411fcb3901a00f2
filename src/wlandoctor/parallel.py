"""Read one large input on several cores: cut it into byte ranges at record starts, parse each range in
its own process into a partial timeline, and join the partial timelines in order.

Only for parsers that declare ``splittable = True`` (their records start at line starts and carry their
own station and time).  Line numbers stay those of the whole file: the worker of each range first counts
the lines before it (a fast byte scan), so evidence still points at the right line.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wlandoctor.model import Coverage, InputSummary
from wlandoctor.parsers import by_name
from wlandoctor.parsers.base import Parser
from wlandoctor.parsers.relevance import FIRST_SHOWN, PER_STATION_SHOWN
from wlandoctor.sources import Input, sanitize
from wlandoctor.timeline import TimelineBuilder, handover

PROGRESS_EVERY = 2048  # events between two progress calls
PARALLEL_MIN_BYTES = 64 * 1024 * 1024  # below this, starting processes costs more than it saves
_SCAN = 1024 * 1024
MAIN_WEIGHT = 1.1
WORKER = (sys.executable, "-m", "wlandoctor.parallel_worker")  # run with the job file's path
# Where a record may start: an AP debug record ("<7>Mar 05 ...") or an AC trace header.
_RECORD_STARTS = (b"\n<", b"\n[BTRACE]")


class Unavailable(Exception):
    """The input cannot be read in parts here (nothing was read yet): read it in one process."""


def workers() -> int:
    """Processes per large input: $WLANDOCTOR_WORKERS, else two when this machine has two cores.

    Not more by default: each part holds a partial timeline of every station it saw, so memory is about
    one process' worth per part (docs/performance.md: 1 GiB trace, 149 MiB in one process, 266 MiB summed
    over two, the second a lean worker)."""
    env = os.environ.get("WLANDOCTOR_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), 2 * _cpus())
    return min(2, _cpus())


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def merge_coverage(into: Coverage, part: Coverage) -> None:
    """A part's coverage added to the whole input's (first lines and per-station lines in file order)."""
    into.understood += part.understood
    into.unread += part.unread
    into.first = (into.first + part.first)[:FIRST_SHOWN]
    for station, seen in part.by_station.items():
        mine = into.by_station.setdefault(station, [0])
        mine[0] += seen[0]
        mine[1:] = (mine[1:] + seen[1:])[:PER_STATION_SHOWN]


def plan(path: Path, parts: int) -> list[tuple[int, int]]:
    """(start, end) of each byte range, cut at record starts.  The first range, read by this process, is
    MAIN_WEIGHT times the others: a worker also starts an interpreter, counts the lines before its part
    and writes its state out, and this process would otherwise wait for it (3 s at 1 GiB)."""
    size = path.stat().st_size
    total = MAIN_WEIGHT + parts - 1
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(int(size * (MAIN_WEIGHT + k - 1) / total))
            window = f.read(_SCAN)
            found = [i for i in (window.find(m) for m in _RECORD_STARTS) if i >= 0]
            if not found:
                i = window.find(b"\n")
                if i < 0:
                    continue  # one giant line here: do not cut it
                found = [i]
            cut = f.tell() - len(window) + min(found) + 1
            if cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def first_line(path: Path, start: int) -> int:
    """The number of the line that begins at byte ``start`` (a fast count of the line ends before it).
    A worker counts its own, while this process already reads: at 1 GiB the count takes about a second."""
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


def read_part(
    parser: Parser,
    inp: Input,
    summary: InputSummary,
    builder: TimelineBuilder,
    tick: Callable[[int], None] | None = None,
) -> None:
    """Parse one part into ``builder``; ``tick(bytes read)`` now and then for a progress bar."""
    try:
        for n, event in enumerate(parser.parse(inp, summary)):
            if tick is not None and n % PROGRESS_EVERY == 0:
                tick(inp.bytes_read)
            builder.add(event)
    finally:
        inp.close()


def parse_parallel(
    parser_name: str,
    inp: Input,
    builder: TimelineBuilder,
    jobs: int,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> InputSummary:
    """Parse ``inp`` (a file) in ``jobs`` processes into ``builder``; the summary of the whole input.

    This process reads the first part itself, straight into ``builder`` (nothing to hand over), while
    ``jobs - 1`` workers (parallel_worker.py) read the others; their parts are joined in file order.  A
    worker that fails leaves a problem in the summary and its part is read here instead."""
    assert inp.path is not None
    ranges = plan(inp.path, jobs)
    total = InputSummary(inp.name, parser_name)
    parser = by_name(parser_name)
    assert parser is not None
    (s0, e0), rest = ranges[0], ranges[1:]
    summaries = [InputSummary(inp.name, parser_name)]
    try:  # (workers hand their parts over through files)
        tmp_dir = tempfile.TemporaryDirectory(prefix="wlandoctor-")
    except OSError as exc:
        raise Unavailable(f"no temporary directory: {exc.strerror or exc}") from None
    with tmp_dir as tmp:
        workers = [
            _start(Path(tmp) / f"part-{i}", type(parser).__module__, inp, r, builder)
            for i, r in enumerate(rest, 1)
        ]
        try:

            def tick(read: int) -> None:
                assert progress is not None
                # The other parts advance at about the pace of this one: the same share of each is done.
                done = read * (inp.size or 0) // max(e0 - s0, 1)
                progress(inp.name, min(done, inp.size or done), inp.size)

            own = Input.from_range(inp.name, inp.path, s0, e0, 1)
            read_part(parser, own, summaries[0], builder, tick if progress is not None else None)
            # In file order: parts join at their cuts.
            for w, span in zip(workers, rest, strict=True):
                summaries.append(_join(w, parser, inp, span, builder))
        finally:
            for w in workers:
                if w.proc is not None and w.proc.poll() is None:
                    w.proc.kill()
                    w.proc.wait()
    for summary in summaries:
        total.records += summary.records
        total.skipped += summary.skipped
        for p in summary.problems:
            total.problem(p.line, p.message)
        total.problems_dropped += summary.problems_dropped
        merge_coverage(total.coverage, summary.coverage)
    return total


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes] | None  # None when it could not be started
    job: dict[str, Any]
    stderr: Path
    failure: str = ""


def _start(
    base: Path,
    module: str,
    inp: Input,
    span: tuple[int, int],
    builder: TimelineBuilder,
) -> _Worker:
    assert inp.path is not None
    start, end = span
    job = {
        "module": module,
        "name": inp.name,
        "path": str(inp.path),
        "start": start,
        "end": end,
        "whole_station": builder.whole_station,
        "clock_skew_s": builder.clock_skew_s,
        "out": str(base.with_suffix(".bin")),
        "summary": str(base.with_suffix(".json")),
    }
    job_file = base.with_suffix(".job")
    job_file.write_text(json.dumps(job), encoding="utf-8")
    stderr = base.with_suffix(".err")
    # (imported here: the worker imports this module and must stay without the capture libraries)
    from wlandoctor.capture.candidates import ENV_VAR as CANDIDATES_ENV

    # The worker finds this very package, wherever it was imported from; it gets no candidate passphrases.
    here = str(Path(__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k != CANDIDATES_ENV}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
    try:
        with open(stderr, "wb") as err:
            proc = subprocess.Popen(
                [*WORKER, str(job_file)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
            )
    except OSError as exc:  # (no process to be had: the part is read here, see _join)
        return _Worker(None, job, stderr, f"could not start: {exc.strerror or exc}")
    return _Worker(proc, job, stderr)


def _join(
    w: _Worker,
    parser: Parser,
    inp: Input,
    span: tuple[int, int],
    builder: TimelineBuilder,
) -> InputSummary:
    """Wait for one worker and join its part into ``builder``; on failure read the part here."""
    rc = w.proc.wait() if w.proc is not None else -1
    if rc == 0:
        with open(w.job["summary"], encoding="utf-8") as f:
            s = json.load(f)
        summary = InputSummary(inp.name, parser.name, s["records"], s["skipped"])
        for line, message in s["problems"]:
            summary.problem(line, message)
        summary.problems_dropped = s["problems_dropped"]
        cov = s["coverage"]
        summary.coverage = Coverage(
            cov["understood"], cov["unread"], [(n, t) for n, t in cov["first"]], cov["by_station"]
        )
        with open(w.job["out"], "rb") as f:
            for kind, value in handover.read(f):  # station by station: one part never held twice
                if kind == "station":
                    builder.absorb_station(value)
                else:
                    builder.absorb_globals(value)
        os.unlink(w.job["out"])
        return summary
    # The part is read again here, into a builder of its own, then joined like a worker's.
    start, end = span
    assert inp.path is not None
    first = first_line(inp.path, start)
    summary = InputSummary(inp.name, parser.name)
    why = w.failure or _last_line(w.stderr) or f"exit status {rc}"
    summary.problem(
        first, f"worker process for the part from line {first} failed ({why}); read it here instead"
    )
    part = TimelineBuilder(clock_skew_s=builder.clock_skew_s, part=True, whole_station=builder.whole_station)
    read_part(parser, Input.from_range(inp.name, inp.path, start, end, first), summary, part)
    accs, globals_ = part.export()
    for acc in accs.values():
        builder.absorb_station(acc)
    builder.absorb_globals(globals_)
    return summary


def _last_line(path: Path) -> str:
    try:
        lines = path.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return sanitize(lines[-1])[:200] if lines else ""
