"""``wlandoctor diagnose`` and ``wlandoctor timeline``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from wlandoctor.cli.app import EXIT_FAILED, EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE, app
from wlandoctor.cli.common import (
    CLOCK_SKEW,
    err_console,
    escape,
    fail,
    no_traceback,
    out_console,
    output_stream,
    progress_for,
    station_option,
)
from wlandoctor.cli.narrowing import AP, CAUSE, SINCE, SSID_FILTER, STAGE, UNTIL, VERDICT, narrowing_of
from wlandoctor.model import Diagnosis, Outcome, Report
from wlandoctor.narrow import narrow, overlaps, window
from wlandoctor.parsers import all_parsers
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.report import FORMATS, render
from wlandoctor.report.data import report_redactor
from wlandoctor.report.rendered import EXTRA as RENDERED
from wlandoctor.report.rendered import Rendered
from wlandoctor.sources import MAX_EXPANSION, sanitize
from wlandoctor.timeline.builder import DEFAULT_MAX_STATIONS
from wlandoctor.util.times import iso

PATHS = typer.Argument(..., help="Files, folders (read recursively) or - for stdin. Formats are detected.")


def exit_code(report: Report) -> int:
    if not any(s.records for s in report.inputs):
        return EXIT_NO_INPUT
    rendered = report.extra.get(RENDERED)
    bad = (
        rendered.flagged
        if isinstance(rendered, Rendered)
        else any(
            d.verdict != Outcome.ONLINE and (d.verdict == Outcome.FAILED or d.causes)
            for d in report.diagnoses
        )
    )
    return EXIT_FAILED if bad else EXIT_OK


# the report format a file name asks for, by its extension
_BY_SUFFIX = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}
_BY_SUFFIX |= {".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "text", ".log": "text"}


def format_for(output: Path | None) -> str:
    """The format -o's file name asks for (report.html: html), text when it names none or there is none."""
    return _BY_SUFFIX.get(output.suffix.lower(), "text") if output is not None else "text"


def _problems_to_stderr(report: Report, fmt: str, output: Path | None) -> None:
    """Input problems always reach the user, even when the report goes to a file or is JSON."""
    if fmt == "text" and output is None:
        return  # the text report shows them itself
    # (the same redaction as the reports': a problem may quote a log line that holds a candidate passphrase)
    redact = report_redactor(report)
    for s in report.inputs:
        source = redact(sanitize(s.source))
        for p in s.problems[:5]:
            # (a file's name is the user's, but may hold escape sequences: shown like a log's text)
            where = f"{source}:{p.line}" if p.line else source
            err_console.print(f"[yellow]warning:[/] {escape(where)}: {escape(redact(sanitize(p.message)))}")
        more = len(s.problems) - 5 + s.problems_dropped
        if more > 0:
            err_console.print(f"[yellow]warning:[/] {escape(source)}: {more} more problem(s) in the report")


def _candidates(path: Path | None, ask: bool) -> list | None:  # type: ignore[type-arg]
    """Candidates only when asked for (file, prompt) or set in the environment."""
    import os

    from wlandoctor.capture.candidates import ENV_VAR
    from wlandoctor.cli.verify_cmd import _load_candidates

    if path is None and not ask and not os.environ.get(ENV_VAR):
        return None
    return _load_candidates(path)


@app.command("diagnose")
def diagnose(
    paths: list[str] = PATHS,
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help=f"Report format: {', '.join(FORMATS)} (default: from the -o file's extension, else text).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to FILE instead of stdout (`-`: stdout)."
    ),
    station: str | None = typer.Option(
        None, "--station", "-s", help="Only this station (MAC in any notation)."
    ),
    input_format: str | None = typer.Option(
        None, "--input-format", help="Skip detection; see `wlandoctor formats`."
    ),
    clock_skew: float = CLOCK_SKEW,
    candidates: Path | None = typer.Option(
        None,
        "--candidates",
        help="Candidate passphrases for the key proof on captures (`label: passphrase` per line). "
        "Also read from $WLANDOCTOR_CANDIDATES. Never give a passphrase on the command line.",
    ),
    ask_candidates: bool = typer.Option(
        False, "--ask-candidates", help="Prompt for candidate passphrases (hidden)."
    ),
    ssid: str | None = typer.Option(
        None, "--ssid", help="SSID for the key proof when the capture does not name it."
    ),
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even when a station failed (errors still give 3 or 4)."
    ),
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Processes for large inputs, the work split by station (default: $WLANDOCTOR_WORKERS, else 2 on "
        "a multi-core machine); with --engine dask, the workers of the local cluster. See docs/fleet.md.",
    ),
    engine: str = typer.Option(
        "local",
        "--engine",
        help="local (this machine's processes) or dask (a Dask cluster: pip install 'wlandoctor[fleet]').",
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="With --engine dask: the scheduler's address (tcp://host:8786); default a local cluster.",
    ),
    max_expansion: int = typer.Option(
        MAX_EXPANSION,
        "--max-expansion",
        min=1,
        help="A gzip input is read up to this many times its size on disk; beyond, reading stops and the "
        "report says so.",
    ),
    max_stations: int = typer.Option(
        DEFAULT_MAX_STATIONS,
        "--max-stations",
        min=1,
        help="Stations held at most; beyond, stations that got online with nothing notable are counted in "
        "the summary instead of listed, so memory stops growing.",
    ),
    progress: bool = typer.Option(
        True,
        "--progress/--no-progress",
        help="Progress bar for large inputs on a terminal; elsewhere a progress line each minute.",
    ),
    events: bool = typer.Option(
        False,
        "--events",
        help="JSON reports: every station's events (with --station, that station's are always listed).",
    ),
    details: bool | None = typer.Option(
        None,
        "--details/--brief",
        help="Text report: every cause, its evidence, fix and checks for each station not online (--details), "
        "or the summary alone (--brief). Default: the summary, then a short block per station not online "
        "(one line each beyond 20).",
    ),
    show_all: bool = typer.Option(False, "--all", help="Text report: list the stations that got online too."),
    show_inputs: bool = typer.Option(
        False,
        "--inputs",
        help="Text report: every problem of each input (by default its first, the rest counted).",
    ),
    quiet: bool = typer.Option(
        False,
        "--quiet",
        "-q",
        help="Only the report: no progress and no warnings on stderr (the report still lists problems).",
    ),
    verdict: str | None = VERDICT,
    stage: str | None = STAGE,
    cause: str | None = CAUSE,
    ap: str | None = AP,
    on_ssid: str | None = SSID_FILTER,
    since: str | None = SINCE,
    until: str | None = UNTIL,
) -> None:
    """Explain why each station in the inputs did or did not get online.

    Narrow the report with --verdict, --stage, --cause, --ap, --on-ssid, --since and --until, for example
    `wlandoctor diagnose trace.log --verdict failed --stage 802.1x --since 2h`.

    Exit codes: 0 no station failed; 1 at least one station failed (or stopped with a cause found);
    2 bad command line; 3 no input could be read or understood, or the --station asked for is not in
    them; 4 internal error.
    """
    if output is not None and str(output) == "-":
        output = None  # as for inputs, "-" is the standard stream
    if fmt is None:
        fmt = format_for(output)
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}", 2)
    narrowing = narrowing_of(verdict, stage, cause, ap, on_ssid, since, until)
    readers = [p.name for p in all_parsers()]
    if input_format is not None and input_format not in readers:
        fail(f"unknown input format {input_format!r}; choose one of: {', '.join(readers)}", 2)
    if engine not in ("local", "dask"):
        fail(f"unknown engine {engine!r}; choose local or dask", EXIT_USAGE)
    if scheduler is not None and engine != "dask":
        fail("--scheduler is for --engine dask", EXIT_USAGE)
    with no_traceback(), progress_for(paths, progress and not quiet) as bar:
        cands = _candidates(candidates, ask_candidates)
        opts = Options(
            candidates=cands,
            ssid=ssid,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            station=station_option(station),
            force_format=input_format,
            clock_skew_s=clock_skew,
            progress=bar,
            max_expansion=max_expansion,
            max_stations=max_stations,
            keep_healthy=events,  # (every station's events listed: none is summarised)
            # (a run split by station may write the JSON stations' lines where it judged them)
            # (narrowed, the stations are chosen after they are judged: none is written ahead)
            json_lines=fmt in ("json", "jsonl") and not events and not narrowing.given(),
        )
        report = narrow(diagnose_paths(paths, opts), narrowing)
        try:
            with output_stream(output) as out:
                if fmt == "text":
                    console = out_console() if output is None else out_console(out)
                    render(report, "text", console, details, show_all=show_all, show_inputs=show_inputs)
                else:
                    render(report, fmt, out, events=events or opts.station is not None)
        finally:
            rendered = report.extra.get(RENDERED)
            if isinstance(rendered, Rendered):
                rendered.close()  # (the station lines' files: the command leaves without collecting)
        if not quiet:
            _problems_to_stderr(report, fmt, output)
    if opts.station and not report.diagnoses and any(s.records for s in report.inputs):
        not_found(report, station)  # (as `timeline` says it)
    code = exit_code(report)
    raise typer.Exit(EXIT_OK if exit_zero and code == EXIT_FAILED else code)


STATIONS_NAMED = 10  # stations named when the one asked for is not found or none was named


def stations_named(names: list[str]) -> str:
    more = len(names) - STATIONS_NAMED
    return ", ".join(names[:STATIONS_NAMED]) + (f" and {more} more" if more > 0 else "")


def not_found(report: Report, asked: str | None) -> None:
    """Exit: the station asked for is not in the inputs; those that are named, so the next command can be typed
    (a client log's own station is often `unknown@FILE`, known only this way)."""
    found = report.extra.get("stations_found") or []
    tail = f"; found: {stations_named(found)}" if found else ""
    fail(f"station {asked} not found in the inputs{tail}", EXIT_NO_INPUT)


def one_station(report: Report, asked: str | None, sta: str | None) -> Diagnosis:
    """The station `timeline` shows: the one asked for, or the only one there is."""
    if sta is None:
        found = [d.station for d in report.diagnoses]
        if len(found) == 1:
            return report.diagnoses[0]
        if not found:
            fail("no station found in the inputs", EXIT_NO_INPUT)
        fail(
            f"the inputs hold {len(found)} stations; name one with --station: {stations_named(found)}",
            EXIT_USAGE,
        )
    diag = next((d for d in report.diagnoses if d.station == sta), None)
    if diag is None:
        not_found(report, asked)
    assert diag is not None  # (fail() raises)
    return diag


@app.command("timeline")
def timeline(
    paths: list[str] = PATHS,
    station: str | None = typer.Option(
        None,
        "--station",
        "-s",
        help="The station (MAC in any notation, or a masked id); may be left out when the inputs hold one.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    clock_skew: float = CLOCK_SKEW,
    since: str | None = SINCE,
    until: str | None = UNTIL,
) -> None:
    """Show one station's events and attempts, in order, with the source line of each.

    --since / --until keep the attempts in a time window (`wlandoctor timeline trace.log -s MAC --since 1h`).
    """
    if fmt not in ("text", "json"):
        fail(f"--format {fmt!r}: timeline writes text or json", EXIT_USAGE)
    narrowing = narrowing_of(None, None, None, None, None, since, until)
    with no_traceback():
        sta = station_option(station)
        report = diagnose_paths(paths, Options(station=sta, clock_skew_s=clock_skew))
        diag = one_station(report, station, sta)
        lo, hi = window(report, narrowing)
        shown = [a for a in diag.timeline.attempts if overlaps(a, lo, hi)]
        if fmt == "json":
            from wlandoctor.report.data import to_dict
            from wlandoctor.report.json_report import safe

            data = to_dict(report, all_events=True)
            one: dict[str, Any] = next(s for s in data["stations"] if s["station"] == diag.station)
            numbers = {a.number for a in shown}
            one["attempts"] = [a for a in one["attempts"] if a["number"] in numbers]
            typer.echo(safe(json.dumps(one, indent=2, ensure_ascii=False)))
            return
        console = out_console()
        console.print(
            f"[bold]{escape(diag.station)}[/]  verdict: [bold]{diag.verdict}[/]  stage: {diag.stage or '-'}"
        )
        if len(shown) < len(diag.timeline.attempts):
            console.print(
                f"{len(shown)} of {len(diag.timeline.attempts)} attempts shown ({' '.join(narrowing.given())})"
            )
        for a in shown:
            t = Table(
                title=f"attempt {a.number}: {a.outcome}"
                + (f" at {a.failed_stage}" if a.failed_stage else "")
                + (f" (reached {a.reached})" if a.reached else ""),
                title_justify="left",
                show_lines=False,
            )
            t.add_column("time", no_wrap=True)
            t.add_column("stage", no_wrap=True)
            t.add_column("kind", no_wrap=True)
            t.add_column("source:line", overflow="fold")
            t.add_column("text", overflow="fold", ratio=1)
            for e in a.events:
                t.add_row(
                    (iso(e.time) or "-") + (" (inferred)" if e.attrs.get("time_inferred") else ""),
                    str(e.stage),
                    e.kind,
                    escape(f"{sanitize(e.ref.source)}:{e.ref.line}"),
                    escape(e.ref.text),
                )
            if a.dropped_events:
                t.caption = f"{a.dropped_events} event(s) not kept (memory bound)"
            console.print(t)
