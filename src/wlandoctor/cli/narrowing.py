"""The narrowing options shared by `diagnose` and `stations` (the criteria themselves: wlandoctor/narrow.py)."""

from __future__ import annotations

import typer

from wlandoctor.cli.app import EXIT_USAGE
from wlandoctor.cli.common import fail
from wlandoctor.model import STAGES
from wlandoctor.narrow import VERDICTS, NarrowError, Narrowing

VERDICT = typer.Option(None, "--verdict", help=f"Only stations with this verdict: {', '.join(VERDICTS)}.")
STAGE = typer.Option(None, "--stage", help=f"Only stations failing at this stage: {', '.join(STAGES)}.")
CAUSE = typer.Option(
    None,
    "--cause",
    help="Only stations with this cause: a rule id (eap-failure), a cause id, or words of its title.",
)
AP = typer.Option(None, "--ap", help="Only stations seen on this AP (part of its name or MAC, any case).")
SSID_FILTER = typer.Option(None, "--on-ssid", help="Only stations on this SSID (exactly).")
SINCE = typer.Option(
    None,
    "--since",
    help="Only stations with an attempt at or after this time: 2026-12-06T14:00 (UTC unless a zone is given) "
    "or a span before the newest event of the inputs (30m, 2h, 1d).",
)
UNTIL = typer.Option(
    None, "--until", help="Only stations with an attempt at or before this time (as --since)."
)


def narrowing_of(
    verdict: str | None,
    stage: str | None,
    cause: str | None,
    ap: str | None,
    ssid: str | None,
    since: str | None,
    until: str | None,
) -> Narrowing:
    """The criteria given, checked (a bad one: a usage error naming the option)."""
    n = Narrowing(verdict, stage, cause, ap, ssid, since, until)
    try:
        n.check()
    except NarrowError as exc:
        fail(str(exc), EXIT_USAGE)
    return n
