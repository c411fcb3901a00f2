"""A run split by station: the same steps on worker processes of this machine (``--jobs N``) or on a
Dask cluster (``--engine dask``), giving the report a one-process run gives, byte for byte.

1. Read: every segment (fleet/segments.py) is read where it is sent; its events go to one stream per
   partition (``tasks.partition_of``: a stable hash of the station), station-less events aside.
2. Build: each partition builds its stations from its streams of every segment, in input order, and
   counts the context the rules ask about (stations of the WLAN that completed or failed the same way).
3. Exchange: the counts of all partitions are summed (a few counters, the only thing that travels
   between partitions), and each partition judges its stations with the sum.
4. The partitions' diagnoses, each in station order, are merged in station order.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wlandoctor.kb.context import ContextCounts
from wlandoctor.model import Diagnosis, Event, InputSummary, Report
from wlandoctor.model.diagnosis import Unread
from wlandoctor.model.errors import EngineError
from wlandoctor.parsers.relevance import finish
from wlandoctor.pipeline import Options, note_overlaps
from wlandoctor.report.compact import input_index
from wlandoctor.report.rendered import RenderedPart, render_part
from wlandoctor.timeline.builder import MAX_GLOBALS
from wlandoctor.timeline.handover import unpack_diagnoses

from . import tasks
from .local import Worker, WorkerFailed
from .segments import Segment, first_line, join_parts, plan_inputs
from .tasks import (
    Built,
    SegmentResult,
    build_partition,
    judge_packed,
    judge_partition,
    read_segment,
    remote_options,
)

CONNECT_TIMEOUT = "10s"  # to reach a Dask scheduler


class FleetError(EngineError):
    """The run could not be done this way (the message says why, in one line)."""


@dataclass
class Outcome:
    summaries: list[InputSummary]
    diagnoses: list[Diagnosis]
    # Said on the first input: a worker that failed, whose work this process did instead.
    problems: list[str] = field(default_factory=list)
    counted: int = 0  # stations online counted, not listed (over the station limit)
    # the stations as JSON report lines, rendered by each partition (then ``diagnoses`` is empty), and the
    # directory of the files that hold them (removed with the report's ``Rendered``)
    rendered: list[RenderedPart] | None = None
    lines_directory: str | None = None


def _key(seg: Segment) -> tuple[int, int]:
    return (seg.index, seg.start)


def run_local(paths: list[str], opts: Options, jobs: int) -> Outcome:
    """Split by station over ``jobs`` processes: this one and ``jobs - 1`` workers.  FleetError when no
    temporary directory can hold the streams (the caller reads in one process, and says so)."""
    plan = plan_inputs(paths, jobs, opts.force_format, bool(opts.candidates), opts.max_expansion)
    segments = [x for x in plan if isinstance(x, Segment)]
    try:
        tmp_dir = tempfile.TemporaryDirectory(prefix="wlandoctor-")
    except OSError as exc:
        raise FleetError(f"no temporary directory: {exc.strerror or exc}") from None
    with tmp_dir as tmp:
        workers = [Worker(Path(tmp) / f"worker-{k}.err") for k in range(1, jobs)]
        try:
            return _run_local(plan, segments, opts, jobs, tmp, workers)
        finally:
            for w in workers:
                w.close()


def _run_local(
    plan: list[Segment | InputSummary],
    segments: list[Segment],
    opts: Options,
    jobs: int,
    tmp: str,
    workers: list[Worker],
) -> Outcome:
    mine, theirs = _assign(segments, jobs)
    remote = remote_options(opts)
    for w, group in zip(workers, theirs, strict=True):
        if group:
            w.send(tasks.read_segments, group, jobs, tmp, remote)
    results: dict[tuple[int, int], SegmentResult] = {}
    sizes = _sizes(segments)
    for seg in mine:
        results[_key(seg)] = read_segment(seg, jobs, tmp, _scaled(opts, seg, sizes))
    for w, group in zip(workers, theirs, strict=True):
        if not group:
            continue
        try:
            got: list[SegmentResult] = w.receive()
        except WorkerFailed as exc:
            for seg in group:  # read here instead (streams of its own name: the worker's may be half written)
                r = read_segment(seg, jobs, tmp, opts, tag=f"again-{seg.index}-{seg.start}")
                where = first_line(Path(seg.path), seg.start) if seg.is_range and seg.path else 0
                from_ = f" for the part from line {where}" if seg.is_range else ""
                r.summaries[0].problem(where, f"worker process{from_} failed ({exc}); read it here instead")
                results[_key(seg)] = r
        else:
            for seg, r in zip(group, got, strict=True):
                results[_key(seg)] = r
    summaries, globals_ = _assemble(plan, results)
    _progress_done(opts, segments, sizes)
    ordered = [results[_key(s)] for s in segments]
    formats = {s.source: s.format for s in summaries}
    problems: list[str] = []

    def args(part: int) -> tuple[Any, ...]:
        return (
            part,
            [r.streams[part] for r in ordered],
            [r.held[part] for r in ordered],
            globals_,
            opts.clock_skew_s,
            opts.station,
            opts.keep_healthy,
            part_limit(opts, jobs),
        )

    for part, w in enumerate(workers, 1):
        w.send(tasks.build_and_keep, *args(part))
    built: dict[int, Built] = {0: build_partition(*args(0))}
    total = ContextCounts()
    total.add(built[0].counts)
    overlaps = [built[0].overlaps]
    counted = built[0].timelines.counted.online
    for part, w in enumerate(workers, 1):
        try:
            counts, overlap, n = w.receive()
            total.add(counts)
            overlaps.append(overlap)
            counted += n
        except WorkerFailed as exc:
            problems.append(
                f"worker process for stations of partition {part} failed ({exc}); built here instead"
            )
            built[part] = build_partition(*args(part))
            total.add(built[part].counts)
            overlaps.append(built[part].overlaps)
            counted += built[part].timelines.counted.online
    note_overlaps(summaries, overlaps)
    judging = [part for part in range(1, jobs) if part not in built]
    lines = _lines_for(opts, summaries, jobs)
    lines_dir = _lines_directory() if lines is not None else None
    if lines_dir is None:
        lines = None

    def path(part: int) -> str:
        assert lines_dir is not None
        return os.path.join(lines_dir, f"part-{part}.lines")

    for part in judging:
        if lines is None:
            workers[part - 1].send(tasks.judge_kept, part, total, formats, opts.disabled_rules)
        else:
            workers[part - 1].send(
                tasks.render_kept, part, total, formats, opts.disabled_rules, *lines.of(part), path(part)
            )
    judged = {part: judge_partition(b, total, formats, opts.disabled_rules) for part, b in built.items()}
    if lines is not None:
        parts = {part: render_part(d, *lines.of(part), path(part)) for part, d in judged.items()}
        for part in judging:
            try:
                parts[part] = workers[part - 1].receive()
                workers[part - 1].close()  # (done: its memory is given back before the report is written)
            except WorkerFailed as exc:
                problems.append(
                    f"worker process for stations of partition {part} failed ({exc}); judged here instead"
                )
                b = build_partition(*args(part))
                parts[part] = render_part(
                    judge_partition(b, total, formats, opts.disabled_rules), *lines.of(part), path(part)
                )
        return Outcome(summaries, [], problems, counted, [parts[p] for p in sorted(parts)], lines_dir)
    lists: list[Iterable[Diagnosis]] = list(judged.values())
    for part in judging:
        try:
            lists.append(unpack_diagnoses(workers[part - 1].receive()))
            workers[part - 1].close()  # (done: its memory is given back before the diagnoses are unpacked)
        except WorkerFailed as exc:
            problems.append(
                f"worker process for stations of partition {part} failed ({exc}); judged here instead"
            )
            lists.append(judge_partition(build_partition(*args(part)), total, formats, opts.disabled_rules))
    return Outcome(summaries, list(heapq.merge(*lists, key=_station)), problems, counted)


@dataclass
class _Lines:
    """What the partitions need to write their stations' JSON lines (report/rendered.py)."""

    inputs: dict[str, int]  # input name -> its index in the report
    unread: list[dict[str, Unread]] | None  # by partition: the unread lines naming each station

    def of(self, part: int) -> tuple[dict[str, int], dict[str, Unread] | None]:
        return self.inputs, None if self.unread is None else self.unread[part]


def _lines_directory() -> str | None:
    """A directory for the partitions' station lines, which outlives the run (the report is written from
    it); None when none can be made (the diagnoses come back instead)."""
    try:
        return tempfile.mkdtemp(prefix="wlandoctor-lines-")
    except OSError:
        return None


def _lines_for(opts: Options, summaries: list[InputSummary], parts: int) -> _Lines | None:
    """When the partitions may write their stations' JSON lines: a JSON report without events and no
    passphrase to redact; else None (diagnoses come back and the report is written from them)."""
    if not opts.json_lines or opts.candidates or opts.station:
        return None
    index = input_index(Report(inputs=summaries, diagnoses=[]))  # (as the report will number them)
    if not any(s.coverage.by_station for s in summaries):
        return _Lines(index, None)
    unread: list[dict[str, Unread]] = [{} for _ in range(parts)]
    for s in summaries:  # (in input order, as pipeline._attach_unread adds them)
        for station, seen in s.coverage.by_station.items():
            if seen:
                unread[tasks.partition_of(station, parts)].setdefault(station, []).append((s.source, seen))
    return _Lines(index, unread)


def _station(d: Diagnosis) -> str:
    return d.station


def _assign(segments: list[Segment], jobs: int) -> tuple[list[Segment], list[list[Segment]]]:
    """Segments for this process and for each worker: a large file's first range here (it is planned
    the larger), the rest largest first to the least loaded; what must be read here, here."""
    mine: list[Segment] = []
    theirs: list[list[Segment]] = [[] for _ in range(jobs - 1)]
    load = [0] * jobs
    for seg in segments:
        if seg.local or (seg.is_range and seg.start == 0):
            mine.append(seg)
            load[0] += seg.size
    for seg in sorted((s for s in segments if s not in mine), key=lambda s: -s.size):
        k = min(range(jobs), key=lambda i: load[i])
        load[k] += seg.size
        (mine if k == 0 else theirs[k - 1]).append(seg)
    order = {id(s): i for i, s in enumerate(segments)}
    mine.sort(key=lambda s: order[id(s)])
    for group in theirs:
        group.sort(key=lambda s: order[id(s)])
    return mine, theirs


def _assemble(
    plan: list[Segment | InputSummary], results: dict[tuple[int, int], SegmentResult]
) -> tuple[list[InputSummary], list[Event]]:
    """The summaries in input order (a file read in ranges: one, joined), and the station-less events a
    one-process run keeps: the timed inputs' first, then those of inputs without time."""
    summaries: list[InputSummary] = []
    ranges: list[InputSummary] = []
    timed: list[Event] = []
    untimed: list[Event] = []
    for i, item in enumerate(plan):
        if isinstance(item, InputSummary):
            summaries.append(item)
            continue
        r = results[_key(item)]
        timed.extend(r.globals)
        untimed.extend(r.held_globals)
        if not item.is_range:
            summaries.extend(r.summaries)
            continue
        ranges.extend(r.summaries)
        nxt = plan[i + 1] if i + 1 < len(plan) else None
        if not (isinstance(nxt, Segment) and nxt.index == item.index):
            whole = join_parts(ranges)
            finish(whole)
            summaries.append(whole)
            ranges = []
    return summaries, (timed + untimed)[:MAX_GLOBALS]


def _sizes(segments: list[Segment]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for s in segments:
        if s.is_range:
            sizes[s.index] = sizes.get(s.index, 0) + s.size
    return sizes


def _scaled(opts: Options, seg: Segment, sizes: dict[int, int]) -> Options:
    """For this process' range of a large file: progress of the whole file, the other ranges taken to
    advance at the pace of this one (full only once all are read)."""
    progress = opts.progress
    if progress is None or not seg.is_range:
        return opts
    whole, part = sizes[seg.index], max(seg.size, 1)

    def tick(name: str, done: int, _size: int | None) -> None:
        assert progress is not None
        progress(name, min(done * whole // part, whole - 1), whole)

    return Options(**{**opts.__dict__, "progress": tick})


def _progress_done(opts: Options, segments: list[Segment], sizes: dict[int, int]) -> None:
    if opts.progress is None:
        return
    for seg in segments:
        if seg.is_range and seg.start == 0:
            opts.progress(seg.name, sizes[seg.index], sizes[seg.index])
        elif not seg.is_range and not seg.local:
            opts.progress(seg.name, seg.size, seg.size or None)


# ---- Dask -----------------------------------------------------------------------------------------


def run_dask(paths: list[str], opts: Options, scheduler: str | None, jobs: int) -> Outcome:
    """The same steps as tasks of a Dask cluster: the one at ``scheduler``, or a LocalCluster of ``jobs``
    worker processes.  Segments that need candidate passphrases or stdin are read here and their
    streams sent; everything else is read by the workers, from the same paths."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise FleetError("the Dask engine needs its extra: pip install 'wlandoctor[fleet]'") from None
    import contextlib

    with contextlib.ExitStack() as stack:
        try:
            if scheduler:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            else:
                cluster = stack.enter_context(
                    LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
                )
                client = stack.enter_context(Client(cluster))
        except (OSError, TimeoutError, RuntimeError) as exc:
            raise FleetError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
        try:
            client.get_versions(check=True)
        except ValueError as exc:
            raise FleetError(
                f"the Dask workers differ from this machine: {str(exc).splitlines()[0]}"
            ) from None
        return _run_dask(client, paths, opts, max(1, sum(client.nthreads().values())))
    raise AssertionError("unreachable")  # (for type checkers: the with block returns)


def _run_dask(client: Any, paths: list[str], opts: Options, parts: int) -> Outcome:
    from distributed import as_completed

    plan = plan_inputs(paths, parts, opts.force_format, bool(opts.candidates), opts.max_expansion)
    segments = [x for x in plan if isinstance(x, Segment)]
    remote = remote_options(opts)
    futures: dict[tuple[int, int], Any] = {}
    for seg in segments:
        if seg.local:
            [futures[_key(seg)]] = client.scatter([read_segment(seg, parts, None, opts)])
        else:
            futures[_key(seg)] = client.submit(read_segment, seg, parts, None, remote, pure=False)
    metas = {k: client.submit(_meta, f, pure=False) for k, f in futures.items()}
    done: dict[tuple[int, int], SegmentResult] = {}
    by_future = {f.key: k for k, f in metas.items()}
    try:
        for f in as_completed(list(metas.values())):
            k = by_future[f.key]
            done[k] = f.result()
            seg = next(s for s in segments if _key(s) == k)
            if opts.progress is not None and not seg.local:
                opts.progress(seg.name, seg.end or seg.size, seg.size or None)
        summaries, globals_ = _assemble(plan, done)
        formats = {s.source: s.format for s in summaries}
        ordered = [futures[_key(s)] for s in segments]
        built = [
            client.submit(
                build_partition,
                part,
                [client.submit(_stream, f, part, pure=False) for f in ordered],
                [client.submit(_held, f, part, pure=False) for f in ordered],
                globals_,
                opts.clock_skew_s,
                opts.station,
                opts.keep_healthy,
                part_limit(opts, parts),
                pure=False,
            )
            for part in range(parts)
        ]
        total = ContextCounts()
        overlaps = []
        counted = 0
        for counts, overlap, n in client.gather([client.submit(_counts, b, pure=False) for b in built]):
            total.add(counts)
            overlaps.append(overlap)
            counted += n
        note_overlaps(summaries, overlaps)
        lines = _lines_for(opts, summaries, parts)
        if lines is not None:
            rendered = [
                client.submit(
                    tasks.judge_rendered, b, total, formats, opts.disabled_rules, *lines.of(part), pure=False
                )
                for part, b in enumerate(built)
            ]
            return Outcome(summaries, [], counted=counted, rendered=client.gather(rendered))
        judged = [
            client.submit(judge_packed, b, total, formats, opts.disabled_rules, pure=False) for b in built
        ]
        lists = [unpack_diagnoses(data) for data in client.gather(judged)]
    except FleetError:
        raise
    except Exception as exc:  # a task that failed on a worker: said in one line
        raise FleetError(f"a Dask task failed ({type(exc).__name__}: {str(exc)[:200]})") from None
    return Outcome(summaries, list(heapq.merge(*lists, key=_station)), counted=counted)


# (small functions run on the workers, where a segment's result lives: only what is asked travels)
def _meta(r: SegmentResult) -> SegmentResult:
    return SegmentResult(r.index, r.summaries, r.globals, [], [], r.held_globals, r.bytes_read)


def _stream(r: SegmentResult, part: int) -> Any:
    return r.streams[part]


def _held(r: SegmentResult, part: int) -> Any:
    return r.held[part]


def _counts(b: Built) -> tuple[ContextCounts, dict[str, int], int]:
    return b.counts, b.overlaps, b.timelines.counted.online


def part_limit(opts: Options, parts: int) -> int | None:
    """Each partition's share of the station limit (the stations are spread evenly by their hash)."""
    return None if opts.max_stations is None else max(1, opts.max_stations // parts)
