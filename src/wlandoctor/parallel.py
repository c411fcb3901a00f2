"""Read one large input on several cores: cut it into byte ranges at record starts, parse each range in
its own process into a partial timeline, and join the partial timelines in order.

Only for parsers that declare ``splittable = True`` (their records start at line starts and carry their
own station and time).  Line numbers stay those of the whole file: the lines before each range are counted
first (a fast byte scan), so evidence still points at the right line.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from wlandoctor.model import InputSummary
from wlandoctor.parsers import by_name
from wlandoctor.parsers.base import Parser
from wlandoctor.sources import Input
from wlandoctor.timeline import TimelineBuilder, handover
from wlandoctor.util.gc_pause import fewer_collections

PROGRESS_EVERY = 2048  # events between two progress calls
PARALLEL_MIN_BYTES = 64 * 1024 * 1024  # below this, starting processes costs more than it saves
_SCAN = 1024 * 1024
# Where a record may start: an AP debug record ("<7>Mar 05 ...") or an AC trace header.
_RECORD_STARTS = (b"\n<", b"\n[BTRACE]")


def workers() -> int:
    """Processes per large input: $WLANDOCTOR_WORKERS, else 1.

    Opt-in: each part holds a partial timeline of every station it saw, so memory is about one process'
    worth per part (docs/performance.md: 1 GiB trace, 153 MiB in one process, 303 MiB summed over two),
    which would put the default run at the limit of its memory target."""
    env = os.environ.get("WLANDOCTOR_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), 2 * _cpus())
    return 1


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan(path: Path, parts: int) -> list[tuple[int, int, int]]:
    """(start, end, first line) of each range: cuts at record starts, line numbers counted exactly."""
    size = path.stat().st_size
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(size * k // parts)
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
        ranges = []
        line = 1
        f.seek(0)
        pos = 0
        for start, end in itertools.pairwise(cuts):
            while pos < start:  # lines before this range
                chunk = f.read(min(_SCAN * 8, start - pos))
                line += chunk.count(b"\n")
                pos += len(chunk)
            ranges.append((start, end, line))
    return ranges


def _parse_range(
    parser_name: str,
    name: str,
    path: str,
    start: int,
    end: int,
    first_line: int,
    station: str | None,
    clock_skew_s: float,
    out: str,
) -> InputSummary:
    """Parse one byte range into a partial timeline, written to the file ``out`` (timeline/handover.py)."""
    parser = by_name(parser_name)
    assert parser is not None
    summary = InputSummary(name, parser.name)
    builder = TimelineBuilder(clock_skew_s=clock_skew_s, part=True)
    with fewer_collections():
        _read(parser, Input.from_range(name, Path(path), start, end, first_line), summary, builder, station)
        with open(out, "wb") as f:
            handover.write(builder.export(), f)
    return summary


def _read(
    parser: Parser,
    inp: Input,
    summary: InputSummary,
    builder: TimelineBuilder,
    station: str | None,
    tick: Callable[[int], None] | None = None,
) -> None:
    """Parse one part into ``builder`` (only ``station``'s events when given); ``tick(bytes read)`` now
    and then for a progress bar."""
    try:
        for n, event in enumerate(parser.parse(inp, summary)):
            if tick is not None and n % PROGRESS_EVERY == 0:
                tick(inp.bytes_read)
            if station and event.station and event.station != station:
                continue
            builder.add(event)
    finally:
        inp.close()


def parse_parallel(
    parser_name: str,
    inp: Input,
    builder: TimelineBuilder,
    station: str | None,
    jobs: int,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> InputSummary:
    """Parse ``inp`` (a file) in ``jobs`` processes into ``builder``; the summary of the whole input.

    This process reads the first part itself, straight into ``builder`` (nothing to hand over), while
    ``jobs - 1`` workers read the others; their parts are joined in file order."""
    assert inp.path is not None
    ranges = plan(inp.path, jobs)
    total = InputSummary(inp.name, parser_name)
    parser = by_name(parser_name)
    assert parser is not None
    (s0, e0, first0), rest = ranges[0], ranges[1:]
    with (
        tempfile.TemporaryDirectory(prefix="wlandoctor-") as tmp,
        ProcessPoolExecutor(max_workers=max(1, len(rest))) as pool,
    ):
        outs = [str(Path(tmp) / f"part-{i}.bin") for i in range(1, len(ranges))]
        futures = [
            pool.submit(
                _parse_range,
                parser_name,
                inp.name,
                str(inp.path),
                s,
                e,
                first,
                station,
                builder.clock_skew_s,
                out,
            )
            for (s, e, first), out in zip(rest, outs, strict=True)
        ]
        summaries = [InputSummary(inp.name, parser_name)]

        def tick(read: int) -> None:
            assert progress is not None
            # This part is 1/jobs of the input; the others advance at about the same pace.
            done = read * len(ranges)
            progress(inp.name, min(done, inp.size or done), inp.size)

        own = Input.from_range(inp.name, inp.path, s0, e0, first0)
        _read(parser, own, summaries[0], builder, station, tick if progress is not None else None)
        for fut, out in zip(futures, outs, strict=True):  # in file order: parts join at their boundaries
            summaries.append(fut.result())
            with open(out, "rb") as f:
                for kind, value in handover.read(f):  # station by station: one part never held twice
                    if kind == "station":
                        builder.absorb_station(value)
                    else:
                        builder.absorb_globals(value)
            os.unlink(out)
    for summary in summaries:
        total.records += summary.records
        total.skipped += summary.skipped
        for p in summary.problems:
            total.problem(p.line, p.message)
        total.problems_dropped += summary.problems_dropped
    return total
