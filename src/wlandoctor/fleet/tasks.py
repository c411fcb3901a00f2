"""The steps of a run split by station, as plain functions any process can run (this one, a worker
process, a Dask worker): read a segment into one event stream per partition; build a partition's
stations and count its context; judge them once the counts of all partitions are summed."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from wlandoctor.kb.context import ContextCounts
from wlandoctor.kb.engine import Engine
from wlandoctor.model import Diagnosis, Event, InputSummary
from wlandoctor.model.diagnosis import Unread
from wlandoctor.parsers import by_name
from wlandoctor.pipeline import INTERNAL_ERROR, Options, ingest_parts
from wlandoctor.sources import Input
from wlandoctor.timeline import TimelineBuilder, Timelines
from wlandoctor.timeline.anchoring import Anchors, InputSink, anchor
from wlandoctor.timeline.builder import MAX_GLOBALS
from wlandoctor.timeline.handover import EventStream, StreamRef, pack_diagnoses, read_events
from wlandoctor.util.gc_pause import fewer_collections

from .segments import Segment, first_line

if TYPE_CHECKING:
    from wlandoctor.report.rendered import RenderedPart


def partition_of(station: str, parts: int) -> int:
    """The partition of a station: the same on every machine and in every run (CRC-32 of its normalised
    name, not Python's salted ``hash``)."""
    return zlib.crc32(station.encode("utf-8", "surrogatepass")) % parts


class PartitionSink:
    """Where a reader's events go: one stream per partition, by station; events of no station kept
    aside (the first MAX_GLOBALS, as a builder keeps them)."""

    def __init__(self, parts: int, out: Path | None, tag: str) -> None:
        self.parts = parts
        self.streams = [EventStream(out / f"{tag}-{p}.ev" if out else None) for p in range(parts)]
        self.globals: list[Event] = []
        self._where: dict[str, EventStream] = {}

    def add(self, e: Event) -> None:
        if not e.station:
            if len(self.globals) < MAX_GLOBALS:
                self.globals.append(e)
            return
        stream = self._where.get(e.station)
        if stream is None:
            stream = self._where[e.station] = self.streams[partition_of(e.station, self.parts)]
        stream.add(e)

    def close(self) -> list[StreamRef]:
        return [s.close() for s in self.streams]


@dataclass
class SegmentResult:
    """What reading a segment gave: its inputs' summaries, and its events, by partition."""

    index: int
    summaries: list[InputSummary]
    globals: list[Event] = field(default_factory=list)
    streams: list[StreamRef] = field(default_factory=list)
    # Events of an input with no time at all, per partition: timed where built (timeline/anchoring.py).
    held: list[StreamRef] = field(default_factory=list)
    held_globals: list[Event] = field(default_factory=list)
    bytes_read: int = 0


def read_segment(seg: Segment, parts: int, out: str | None, opts: Options, tag: str = "") -> SegmentResult:
    """Read one segment as a one-process run reads that input, its events routed by partition.  ``out``:
    a directory for the streams (else they are kept in memory, as a Dask task returns them)."""
    where = Path(out) if out else None
    tag = tag or f"s{seg.index}-{seg.start}"
    sink = PartitionSink(parts, where, tag)
    untimed: list[list[Event]] = []
    with fewer_collections():
        if seg.is_range:
            summaries = [_read_range(seg, sink, untimed, opts)]
        else:
            summaries = _read_whole(seg, sink, untimed, opts)
        held = PartitionSink(parts, where, tag + "-held")
        for events in untimed:
            for e in events:
                held.add(e)
    return SegmentResult(
        seg.index,
        summaries,
        sink.globals,
        sink.close(),
        held.close(),
        held.globals,
        seg.size,
    )


def _read_whole(
    seg: Segment, sink: PartitionSink, untimed: list[list[Event]], opts: Options
) -> list[InputSummary]:
    try:
        inp = Input.from_stdin() if seg.path is None else Input.from_path(Path(seg.path), opts.max_expansion)
    except OSError as exc:
        s = InputSummary(seg.name, "unreadable")
        s.problem(0, exc.strerror or str(exc))
        return [s]
    inp.year_hint = seg.year_hint
    return ingest_parts(inp, sink, opts, Anchors(), untimed)  # type: ignore[arg-type]


def _read_range(seg: Segment, sink: PartitionSink, untimed: list[list[Event]], opts: Options) -> InputSummary:
    """A byte range of a large file, read by its format's parser; the first range holds back the events
    of an input that shows no time yet, as a one-process run does."""
    parser = by_name(seg.parser or "")
    assert parser is not None and seg.path is not None and seg.end is not None
    s = InputSummary(seg.name, parser.name)
    path = Path(seg.path)
    target: InputSink | PartitionSink = sink
    if seg.start == 0:
        target = InputSink(sink, Anchors())  # type: ignore[arg-type]
    try:
        inp = Input.from_range(seg.name, path, seg.start, seg.end, first_line(path, seg.start))
        inp.year_hint = seg.year_hint
        progress = opts.progress
        if progress is not None:
            reading = inp
            inp.on_read = lambda: progress(reading.name, reading.bytes_read, reading.size)
        try:
            for event in parser.parse(inp, s):
                target.add(event)
        finally:
            inp.close()
    except OSError as exc:
        s.problem(0, f"read error: {exc.strerror or exc}")
    except Exception as exc:  # the last guard: a reader defect never loses the run
        s.problem(0, f"{INTERNAL_ERROR} while reading ({type(exc).__name__}): what was read before is kept")
    if isinstance(target, InputSink):
        held = target.finish()
        if held:
            untimed.append(held)
    return s


@dataclass
class Built:
    """One partition's stations, built, and the context counts they add to the whole input's."""

    part: int
    timelines: Timelines
    counts: ContextCounts
    overlaps: dict[str, int]  # TimelineBuilder.overlaps: said on those inputs


def build_partition(
    part: int,
    streams: list[StreamRef],
    held: list[StreamRef],
    globals_: list[Event],
    clock_skew_s: float = 0.0,
    whole_station: str | None = None,
    keep_healthy: bool = False,
    max_stations: int | None = None,
) -> Built:
    """Build the stations of one partition from every segment's stream of it, in input order (each
    station sees its events in the order a one-process run adds them); then the events of inputs without
    time, timed from the replies of the timed ones (all of one station's are in its partition)."""
    with fewer_collections():
        builder = TimelineBuilder(
            clock_skew_s=clock_skew_s,
            whole_station=whole_station,
            keep_healthy=keep_healthy,
            max_stations=max_stations,
        )
        anchors = Anchors()
        for ref in streams:
            for e in read_events(ref):
                anchors.note(e)
                builder.add(e)
            _remove(ref)
        for ref in held:
            events = list(read_events(ref))
            anchor(events, anchors)
            for e in events:
                builder.add(e)
            _remove(ref)
        for e in globals_:
            builder.add(e)
        timelines = builder.build()
        return Built(part, timelines, ContextCounts.of(timelines), builder.overlaps)


def judge_partition(
    built: Built,
    counts: ContextCounts,
    formats: dict[str, str],
    disabled: frozenset[str] = frozenset(),
) -> list[Diagnosis]:
    """Diagnose one partition's stations with the context counts of the whole input (in station order)."""
    with fewer_collections():
        return Engine(disabled=disabled).diagnose(built.timelines, formats, counts)


def remote_options(opts: Options) -> Options:
    """The options a worker reads with: no progress callback, never a candidate passphrase."""
    return replace(opts, progress=None, candidates=None)


def _remove(ref: StreamRef) -> None:
    if isinstance(ref, str):
        Path(ref).unlink(missing_ok=True)


# A worker process keeps the partitions it built until asked to judge them (fleet/local.py).
_KEPT: dict[int, Built] = {}


def build_and_keep(
    part: int,
    streams: list[StreamRef],
    held: list[StreamRef],
    globals_: list[Event],
    clock_skew_s: float,
    whole_station: str | None,
    keep_healthy: bool,
    max_stations: int | None,
) -> tuple[ContextCounts, dict[str, int], int]:
    built = build_partition(
        part, streams, held, globals_, clock_skew_s, whole_station, keep_healthy, max_stations
    )
    _KEPT[part] = built
    return built.counts, built.overlaps, built.timelines.counted.online


def judge_kept(part: int, counts: ContextCounts, formats: dict[str, str], disabled: frozenset[str]) -> bytes:
    return pack_diagnoses(judge_partition(_KEPT.pop(part), counts, formats, disabled))


def render_kept(
    part: int,
    counts: ContextCounts,
    formats: dict[str, str],
    disabled: frozenset[str],
    inputs: dict[str, int],
    unread: dict[str, Unread] | None,
    path: str | None = None,
) -> RenderedPart:
    """``judge_kept``, the stations written as JSON report lines here (report/rendered.py), to ``path``."""
    from wlandoctor.report.rendered import render_part  # (a worker that only reads never imports reporters)

    return render_part(judge_partition(_KEPT.pop(part), counts, formats, disabled), inputs, unread, path)


def judge_rendered(
    built: Built,
    counts: ContextCounts,
    formats: dict[str, str],
    disabled: frozenset[str],
    inputs: dict[str, int],
    unread: dict[str, Unread] | None,
) -> RenderedPart:
    """``judge_partition``, the stations written as JSON report lines (report/rendered.py)."""
    from wlandoctor.report.rendered import render_part

    return render_part(judge_partition(built, counts, formats, disabled), inputs, unread)


def judge_packed(
    built: Built, counts: ContextCounts, formats: dict[str, str], disabled: frozenset[str]
) -> bytes:
    """``judge_partition``, its diagnoses as bytes to travel back (timeline/handover.py)."""
    return pack_diagnoses(judge_partition(built, counts, formats, disabled))


def read_segments(segs: list[Segment], parts: int, out: str | None, opts: Options) -> list[SegmentResult]:
    return [read_segment(s, parts, out, opts) for s in segs]
