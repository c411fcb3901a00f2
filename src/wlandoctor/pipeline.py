"""The whole chain as one library call: sources -> parsers -> events -> timeline -> rules -> diagnoses."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wlandoctor.capture.candidates import Candidate
from wlandoctor.kb.engine import Engine
from wlandoctor.model import Diagnosis, Event, InputSummary, Report
from wlandoctor.model.diagnosis import Unread
from wlandoctor.parsers import by_name, detect, detect_further, detect_parts, order
from wlandoctor.parsers.base import Parser
from wlandoctor.parsers.relevance import PER_STATION_SHOWN, finish, scan
from wlandoctor.sources import MAX_EXPANSION, Input, expand_paths, iter_lines
from wlandoctor.sources.dated import dated_heads
from wlandoctor.sources.margin import describe as describe_margin
from wlandoctor.sources.margin import find_margin, html_escaped
from wlandoctor.sources.unwrap import find_wrap
from wlandoctor.timeline import TimelineBuilder, Timelines
from wlandoctor.timeline.anchoring import Anchors, InputSink, anchor
from wlandoctor.timeline.builder import DEFAULT_MAX_STATIONS
from wlandoctor.util.gc_pause import fewer_collections

INTERNAL_ERROR = "internal error (please report it with this input)"

# Called with (input name, bytes read so far, its size or None) to drive a progress bar.
Progress = Callable[[str, int, int | None], None]


@dataclass
class Options:
    station: str | None = None  # report only this station (normalised); all are read, as its context
    force_format: str | None = None
    clock_skew_s: float = 0.0
    disabled_rules: frozenset[str] = frozenset()
    progress: Progress | None = None
    candidates: list[Candidate] | None = None  # for the key proof on captures; never logged
    ssid: str | None = None
    jobs: int | None = None  # processes for large inputs; None = fleet.segments.workers()
    engine: str = "local"  # "dask": the run split by station on a Dask cluster (fleet/run.py)
    scheduler: str | None = None  # the Dask scheduler's address; None: a LocalCluster of ``jobs`` workers
    max_expansion: int = MAX_EXPANSION  # a gzip input is read up to this many times its size on disk
    # every event of healthy stations kept (the HTML report and --events list them); else stations that
    # got online with nothing notable are summarised on large inputs (timeline/builder.py)
    keep_healthy: bool = False
    # stations held at most; past it, stations that got online with nothing notable are counted, not listed
    max_stations: int | None = DEFAULT_MAX_STATIONS
    # the report will be JSON or JSON Lines without events: a run split by station may render its stations'
    # lines where it judges them (report/rendered.py); the report then holds no diagnoses
    json_lines: bool = False
    # given (input, format, line, text) of every line that looks relevant but was not understood
    # (``wlandoctor unknown``)
    unread_tap: Callable[[str, str, int, str], None] | None = None


def ingest(paths: Iterable[str], builder: TimelineBuilder, opts: Options) -> list[InputSummary]:
    """Parse every input into the builder; one bad input never stops the others.  An input without any
    time stamp (``radiusd -X``) goes in last, with times taken from the timed inputs where its RADIUS
    replies match theirs (timeline/anchoring.py)."""
    summaries: list[InputSummary] = []
    anchors = Anchors()
    untimed: list[list[Event]] = []
    entries = list(expand_paths(list(paths)))
    dated = dated_heads([path for _name, path, error in entries if path is not None and not error])
    for name, path, error in entries:
        if error:
            s = InputSummary(name, "unreadable")
            s.problem(0, error)
            summaries.append(s)
            continue
        try:
            inp = Input.from_stdin() if path is None else Input.from_path(path, opts.max_expansion)
        except OSError as exc:
            s = InputSummary(name, "unreadable")
            s.problem(0, exc.strerror or str(exc))
            summaries.append(s)
            continue
        # (stamps without a year are dated by the newest dated time of the other inputs, when they have one)
        others = [t for p, t in dated.items() if p != path]
        inp.year_hint = max(others) if others else None
        summaries.extend(ingest_parts(inp, builder, opts, anchors, untimed))
    for events in untimed:
        anchor(events, anchors)
        for e in events:
            builder.add(e)
    return summaries


def ingest_parts(
    inp: Input,
    builder: TimelineBuilder,
    opts: Options,
    anchors: Anchors | None = None,
    untimed: list[list[Event]] | None = None,
) -> list[InputSummary]:
    """One input, or each part of a file that holds several formats one after the other (each read by its
    own parser, said in a note of each part's summary)."""
    path = inp.path
    text = bool(inp.head) and b"\x00" not in inp.head[:4096]
    if text and html_escaped(inp.head):
        inp.unescape_html()  # (copied from a page that escaped it: "&lt;3&gt;CTRL-EVENT-...")
    margin = find_margin(inp.head) if text else None
    if margin is not None:
        inp.unmargin(margin)  # (a quoted or indented paste: each line's margin off, before detection)
    first = None if opts.force_format or not inp.head or path is None else detect(inp.head)[0]
    if first is None or path is None or inp.size is None:
        return [ingest_one(inp, builder, opts, anchors, untimed)]
    parts = detect_parts(path, first, margin, inp.escaped)
    if len(parts) < 2:
        return [ingest_one(inp, builder, opts, anchors, untimed, parser=first)]  # (detected already)
    inp.close()
    out = []
    for parser, start, end, first_line, last in parts:
        try:
            part = Input.from_range(inp.name, path, start, end, first_line)
            part.year_hint = inp.year_hint
            if inp.escaped:
                part.unescape_html()
            if margin is not None:
                part.unmargin(margin)
        except OSError as exc:
            s = InputSummary(inp.name, parser.name)
            s.problem(first_line, f"cannot read this part: {exc.strerror or exc}")
            out.append(s)
            continue
        s = ingest_one(part, builder, opts, anchors, untimed, parser=parser)
        s.notes.append(f"lines {first_line}-{last} read as {parser.name} (the file holds several formats)")
        out.append(s)
    return out


def ingest_one(
    inp: Input,
    builder: TimelineBuilder,
    opts: Options,
    anchors: Anchors | None = None,
    untimed: list[list[Event]] | None = None,
    parser: Parser | None = None,
) -> InputSummary:
    """Parse one input into the builder.  With ``anchors`` and ``untimed``: the reply times of a timed
    input are noted, and an input without any time is appended to ``untimed`` instead of the builder."""
    if not inp.head:
        s = InputSummary(inp.name, "empty")
        s.problem(0, "empty input")
        inp.close()
        return s
    if parser is None:
        parser = by_name(opts.force_format) if opts.force_format else detect(inp.head)[0]
    found_at = 0
    if parser is None and inp.path is not None:
        # junk, prose, a giant line or binary data before the content: detection reads on through the file
        parser, found_at = detect_further(inp.path)
    if parser is None:
        s = _tapped(InputSummary(inp.name, "unknown"), opts)
        if inp.head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a UTF-16 byte-order mark ("Unicode" in Notepad)
            s.problem(0, "UTF-16 text: save it as UTF-8 (or convert: iconv -f UTF-16 -t UTF-8)")
            inp.close()
            return s
        s.problem(0, "format not recognised (see `wlandoctor formats`)")
        try:
            with inp.open() as stream:
                scan(((ln.number, ln.text) for ln in iter_lines(stream) if not ln.binary), s)
        except OSError as exc:
            s.problem(0, f"read error: {exc.strerror or exc}")
        finally:
            inp.close()
        return s
    if getattr(parser, "unwraps", False) and inp.wrap is None and b"\x00" not in inp.head[:4096]:
        wrap = find_wrap(inp.head)
        if wrap is not None:
            inp.unwrap(wrap)  # (a wrapped paste, for a reader of one record a line: pieces joined back)
    s = _tapped(InputSummary(inp.name, parser.name), opts)
    if inp.escaped:
        s.notes.append(
            "the input's HTML entities (&lt; &gt; &quot; &amp;, as a web page escapes a log) taken back"
        )
    if inp.margin:
        s.notes.append(describe_margin(inp.margin))
    if found_at:
        s.notes.append(f"recognised as {parser.name} from byte {found_at} on (what comes before is not)")
    progress = opts.progress
    proving = bool(opts.candidates) and parser.name == "pcap"
    frame_times: dict[int, float] = {}  # EAPOL frame -> time, to place proof results in the timeline
    sink = InputSink(builder, anchors if anchors is not None else Anchors())
    given, reversed_lines = inp, 0
    try:
        if parser.name in order.LINE_READERS and order.newest_first(inp.head):
            inp, reversed_lines = order.in_time_order(inp, s)  # (a log view: newest line first)
        if progress is not None:
            # (per read, not per event: a long run of lines that give no event still moves the progress)
            reading = inp
            inp.on_read = lambda: progress(reading.name, reading.progress, reading.size)
        events = parser.parse(inp, s)
        if reversed_lines:
            events = order.numbered_back(events, reversed_lines)
        for event in events:
            if proving and event.kind.startswith("eapol.") and event.time is not None:
                frame_times[event.ref.line] = event.time
            sink.add(event)
        if progress is not None:
            progress(inp.name, inp.progress, inp.size)
        if proving:
            _prove(inp, s, builder, opts, frame_times)
    except OSError as exc:
        s.problem(0, f"read error: {exc.strerror or exc}")
    except Exception as exc:  # the last guard: a reader defect never loses the run
        s.problem(0, f"{INTERNAL_ERROR} while reading ({type(exc).__name__}): what was read before is kept")
    finally:
        if given.compressed is not None and given.compressed.stopped:
            s.problem(0, given.compressed.stopped)
        joined = given.unwrapped
        if joined is not None and joined.joined:
            s.notes.append(
                f"{joined.joined} line(s) the paste wrapped at {joined.width_of} characters joined back to the "
                f"line each continues (first at line {joined.first_joined + given.first_line - 1})"
            )
        inp.close()
        given.close()
        if reversed_lines:
            order.summary_numbered_back(s, reversed_lines)
        finish(s)
        held = sink.finish()  # (also what was read before an error)
        if untimed is not None and held:
            untimed.append(held)
        else:
            for e in held:
                builder.add(e)
    return s


def _tapped(s: InputSummary, opts: Options) -> InputSummary:
    """``s``, its unread lines handed to ``opts.unread_tap`` when there is one."""
    tap = opts.unread_tap
    if tap is not None:
        source, fmt = s.source, s.format
        s.coverage.tap = lambda number, text: tap(source, fmt, number, text)
    return s


def _prove(
    inp: Input, s: InputSummary, builder: TimelineBuilder, opts: Options, frame_times: dict[int, float]
) -> None:
    """Recompute the handshake MICs/PMKIDs of a capture with the candidates; results become events."""
    from wlandoctor.capture.proof_events import proof_events
    from wlandoctor.capture.reader import CaptureError
    from wlandoctor.capture.verify import prove_run

    if inp.path is None:
        s.problem(
            0, "key proof needs a capture file it can read again: not stdin, a pipe or a compressed file"
        )
        return
    assert opts.candidates is not None
    try:
        run = prove_run(inp.path, opts.ssid, opts.candidates)
    except CaptureError as exc:
        s.problem(0, f"key proof skipped: {exc}")
        return
    for e in proof_events(run.proofs, inp.name, opts.candidates, frame_times):
        builder.add(e)


def diagnose_paths(paths: list[str], opts: Options | None = None) -> Report:
    opts = opts or Options()
    with fewer_collections():
        report, unsplit = _split(paths, opts) if _splitting(paths, opts) else (None, "")
        if report is None:
            # One station asked for by name: all its events kept; the others are still read and built, as
            # its diagnosis depends on them (other stations of its WLAN that completed or failed the same way).
            builder = TimelineBuilder(
                clock_skew_s=opts.clock_skew_s,
                whole_station=opts.station,
                keep_healthy=opts.keep_healthy,
                max_stations=opts.max_stations,
            )
            summaries = ingest(paths, builder, opts)
            note_overlaps(summaries, [builder.overlaps])
            timelines = builder.build()
            report = diagnose_timelines(timelines, summaries, opts)
            note_counted(report, timelines.counted.online, opts)
            if unsplit and report.inputs:
                report.inputs[0].problem(0, f"read in one process, not split by station ({unsplit})")
        if opts.station:
            found = [d.station for d in report.diagnoses]
            report.diagnoses = [d for d in report.diagnoses if d.station == opts.station]
            if not report.diagnoses:
                # the stations there are, for the message saying the one asked for is not among them
                report.extra["stations_found"] = found
    if opts.candidates:
        # Renderers replace any occurrence of these by «redacted»: secrets never reach a report.
        report.extra["redact"] = [c.secret for c in opts.candidates]
    return report


def note_counted(report: Report, online: int, opts: Options) -> None:
    """Stations online counted and not listed (over ``opts.max_stations``): in the report's summary."""
    if online:
        report.extra["counted_online"] = online
        report.extra["max_stations"] = opts.max_stations


def note_overlaps(summaries: list[InputSummary], overlaps: Iterable[dict[str, int]]) -> None:
    """Say on each input how many of its stations' events fell at times of attempts already summarised
    from another input (``TimelineBuilder.overlaps``): there they are attempts of their own."""
    total: dict[str, int] = {}
    for o in overlaps:
        for source, n in o.items():
            total[source] = total.get(source, 0) + n
    for s in summaries:
        n = total.pop(s.source, 0)
        if n:
            s.notes.append(
                f"{n} station{'s' if n != 1 else ''} named here also got online in an earlier input at about "
                "the same time; that attempt was kept as a summary (a large input), so the events here are "
                "shown as an attempt of their own (--format html keeps every event and merges them)"
            )


def _splitting(paths: list[str], opts: Options) -> bool:
    """Split by station (fleet/): on Dask when asked; else with several processes when the inputs are
    large enough in all to pay for starting them."""
    from wlandoctor.fleet.segments import PARALLEL_MIN_BYTES, workers

    if opts.engine == "dask":
        return True
    jobs = opts.jobs if opts.jobs is not None else workers()
    if jobs < 2:
        return False
    total = 0
    for _name, path, error in expand_paths(list(paths)):
        if path is not None and not error:
            with contextlib.suppress(OSError):
                total += path.stat().st_size
    return total >= PARALLEL_MIN_BYTES


def _split(paths: list[str], opts: Options) -> tuple[Report | None, str]:
    """The run split by station; or None and why it cannot be (then read in one process)."""
    from wlandoctor.fleet.run import FleetError, run_dask, run_local
    from wlandoctor.fleet.segments import workers

    jobs = opts.jobs if opts.jobs is not None else workers()
    try:
        if opts.engine == "dask":
            done = run_dask(paths, opts, opts.scheduler, max(jobs, 1))
        else:
            done = run_local(paths, opts, jobs)
    except FleetError as exc:
        if opts.engine == "dask":
            raise
        return None, str(exc)
    report = Report(inputs=done.summaries, diagnoses=done.diagnoses)
    if done.rendered is not None:
        from wlandoctor.report.rendered import EXTRA, Rendered

        report.extra[EXTRA] = Rendered(done.rendered, done.lines_directory)
    note_counted(report, done.counted, opts)
    for why in done.problems:
        report.inputs[0].problem(0, why)
    _attach_unread(report)
    return report, ""


def diagnose_timelines(timelines: Timelines, summaries: list[InputSummary], opts: Options) -> Report:
    engine = Engine(disabled=opts.disabled_rules)
    formats = {s.source: s.format for s in summaries}
    report = Report(inputs=summaries, diagnoses=engine.diagnose(timelines, formats))
    _attach_unread(report)
    return report


def _attach_unread(report: Report) -> None:
    """Each station gets the lines naming it that looked relevant but were not understood, from every
    input: what it might be missing is said next to its diagnosis."""
    if not any(s.coverage.by_station for s in report.inputs):
        return
    for d in report.diagnoses:
        attach_unread(
            d, [(s.source, seen) for s in report.inputs if (seen := s.coverage.by_station.get(d.station))]
        )


def attach_unread(d: Diagnosis, unread: Unread) -> None:
    """Add to ``d`` the unread lines naming its station, input by input (the first few kept)."""
    for source, seen in unread:
        d.unread_count += seen[0]
        d.unread.extend((source, n) for n in seen[1:])
    del d.unread[PER_STATION_SHOWN:]
