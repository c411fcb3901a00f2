"""``wlandoctor stations``: the stations the inputs hold, one line each, to choose what to look at."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich import box
from rich.table import Column, Table

from wlandoctor.cli.app import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE, app
from wlandoctor.cli.common import CLOCK_SKEW, escape, fail, no_traceback, out_console
from wlandoctor.cli.diagnose_cmd import PATHS
from wlandoctor.cli.narrowing import AP, CAUSE, SINCE, SSID_FILTER, STAGE, UNTIL, VERDICT, narrowing_of
from wlandoctor.model import Diagnosis, Outcome, stage_index
from wlandoctor.narrow import narrow
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources.lines import sanitize
from wlandoctor.util.times import iso

# the order of verdicts when sorted by them: what needs attention first
_VERDICT_ORDER = {Outcome.FAILED.value: 0, Outcome.INCOMPLETE.value: 1, Outcome.ONLINE.value: 2}
SORTS = ("verdict", "station", "stage", "attempts", "first", "last")


def row(d: Diagnosis) -> dict[str, Any]:
    """One station as the command lists it (and as its JSON gives it)."""
    starts = [a.start for a in d.timeline.attempts if a.start is not None]
    ends = [a.end for a in d.timeline.attempts if a.end is not None]
    top = d.causes[0] if d.causes else None
    return {
        "station": sanitize(d.station),
        "verdict": str(d.verdict),
        "stage": str(d.stage) if d.stage is not None else None,
        "attempts": len(d.timeline.attempts) + sum(d.timeline.dropped_outcomes.values()),
        "aps": sorted(sanitize(a) for a in d.timeline.aps),
        "ssids": sorted(sanitize(s) for s in d.timeline.ssids),
        "first": iso(min(starts)) if starts else None,
        "last": iso(max(ends)) if ends else None,
        "cause": top.id if top is not None else None,
    }


def _key(sort: str) -> Any:
    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        verdict = _VERDICT_ORDER.get(r["verdict"], 3)
        stage = stage_index(r["stage"]) if r["stage"] else -1
        if sort == "verdict":
            return (verdict, -stage, r["station"])
        if sort == "stage":
            return (stage, verdict, r["station"])
        if sort == "attempts":
            return (-r["attempts"], r["station"])
        if sort in ("first", "last"):
            return (r[sort] or "", r["station"])
        return (r["station"],)

    return key


@app.command("stations")
def stations(
    paths: list[str] = PATHS,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    sort: str = typer.Option("verdict", "--sort", help=f"Order: {', '.join(SORTS)} (verdict: failed first)."),
    verdict: str | None = VERDICT,
    stage: str | None = STAGE,
    cause: str | None = CAUSE,
    ap: str | None = AP,
    on_ssid: str | None = SSID_FILTER,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    clock_skew: float = CLOCK_SKEW,
) -> None:
    """List the stations in the inputs: verdict, failing stage, attempts, APs, first and last time, most
    likely cause.  Then `wlandoctor diagnose PATH --station MAC` or `wlandoctor timeline PATH -s MAC` for one.

    Example: `wlandoctor stations trace.log --verdict failed --sort last`.
    """
    if fmt not in ("text", "json"):
        fail(f"--format {fmt!r}: stations writes text or json", EXIT_USAGE)
    if sort not in SORTS:
        fail(f"--sort {sort!r}: one of {', '.join(SORTS)}", EXIT_USAGE)
    narrowing = narrowing_of(verdict, stage, cause, ap, on_ssid, since, until)
    with no_traceback():
        report = narrow(diagnose_paths(paths, Options(clock_skew_s=clock_skew)), narrowing)
        rows = sorted((row(d) for d in report.diagnoses), key=_key(sort))
        if not any(s.records for s in report.inputs):
            fail(
                "no input could be read (see `wlandoctor diagnose` for what each input holds)", EXIT_NO_INPUT
            )
        if fmt == "json":
            json.dump({"stations": rows, "narrowed": report.extra.get("narrowed")}, sys.stdout, indent=1)
            sys.stdout.write("\n")
            raise typer.Exit(EXIT_OK)
        console = out_console()
        t = Table(
            Column("station", no_wrap=True, min_width=17),
            Column("verdict", no_wrap=True, min_width=10),
            Column("stage", no_wrap=True, min_width=14),
            Column("attempts", justify="right", no_wrap=True),
            Column("first", no_wrap=True, min_width=16),
            Column("last", no_wrap=True, min_width=16),
            Column("APs", overflow="ellipsis", no_wrap=True, max_width=24),
            Column("most likely cause", overflow="ellipsis", no_wrap=True, max_width=40),
            box=box.SIMPLE_HEAD if console.is_terminal else None,
        )
        for r in rows:
            t.add_row(
                escape(r["station"]),
                r["verdict"],
                r["stage"] or "-",
                str(r["attempts"]),
                (r["first"] or "-")[:16].replace("T", " "),
                (r["last"] or "-")[:16].replace("T", " "),
                escape(", ".join(r["aps"])) or "-",
                escape(r["cause"] or "-"),
            )
        console.print(t)
        shown = f"{len(rows)} station{'s' if len(rows) != 1 else ''}"
        narrowed = report.extra.get("narrowed")
        if narrowed:
            shown += f" of {narrowed['of']} ({' '.join(narrowed['criteria'])})"
        console.print(f"{shown}; times UTC; `wlandoctor diagnose PATH --station MAC` explains one")
