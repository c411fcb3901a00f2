"""The whole chain as one library call: sources -> parsers -> events -> timeline -> rules -> diagnoses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wlandoctor.kb.engine import Engine
from wlandoctor.model import InputSummary, Report
from wlandoctor.parsers import by_name, detect
from wlandoctor.sources import Input, expand_paths
from wlandoctor.timeline import TimelineBuilder, Timelines

# Called with (input name, bytes read so far, its size or None) to drive a progress bar.
Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 2048  # events between two progress calls


@dataclass
class Options:
    station: str | None = None  # keep only this station (normalised)
    force_format: str | None = None
    clock_skew_s: float = 0.0
    disabled_rules: frozenset[str] = frozenset()
    progress: Progress | None = None


def ingest(paths: Iterable[str], builder: TimelineBuilder, opts: Options) -> list[InputSummary]:
    """Parse every input into the builder; one bad input never stops the others."""
    summaries: list[InputSummary] = []
    for name, path, error in expand_paths(list(paths)):
        if error:
            s = InputSummary(name, "unreadable")
            s.problem(0, error)
            summaries.append(s)
            continue
        try:
            inp = Input.from_stdin() if path is None else Input.from_path(path)
        except OSError as exc:
            s = InputSummary(name, "unreadable")
            s.problem(0, exc.strerror or str(exc))
            summaries.append(s)
            continue
        summaries.append(ingest_one(inp, builder, opts))
    return summaries


def ingest_one(inp: Input, builder: TimelineBuilder, opts: Options) -> InputSummary:
    if not inp.head:
        s = InputSummary(inp.name, "empty")
        s.problem(0, "empty input")
        inp.close()
        return s
    parser = by_name(opts.force_format) if opts.force_format else detect(inp.head)[0]
    if parser is None:
        s = InputSummary(inp.name, "unknown")
        s.problem(0, "format not recognised (see `wlandoctor formats`)")
        inp.close()
        return s
    s = InputSummary(inp.name, parser.name)
    progress = opts.progress
    try:
        for n, event in enumerate(parser.parse(inp, s)):
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(inp.name, inp.bytes_read, inp.size)
            if opts.station and event.station and event.station != opts.station:
                continue
            builder.add(event)
        if progress is not None:
            progress(inp.name, inp.bytes_read, inp.size)
    except OSError as exc:
        s.problem(0, f"read error: {exc.strerror or exc}")
    finally:
        inp.close()
    return s


def diagnose_paths(paths: list[str], opts: Options | None = None) -> Report:
    opts = opts or Options()
    builder = TimelineBuilder(clock_skew_s=opts.clock_skew_s)
    summaries = ingest(paths, builder, opts)
    timelines = builder.build()
    return diagnose_timelines(timelines, summaries, opts)


def diagnose_timelines(timelines: Timelines, summaries: list[InputSummary], opts: Options) -> Report:
    engine = Engine(disabled=opts.disabled_rules)
    return Report(inputs=summaries, diagnoses=engine.diagnose(timelines))
