"""Narrowing a report to the stations an engineer asks about: by verdict, failing stage, cause, AP, SSID
and time window.  One library call (``narrow``) for the command line, the service and live modes.

A station is kept when it matches every criterion given: ``verdict`` its verdict; ``stage`` its failing
stage; ``cause`` (any case) a cause's id, rule, or words of its title; ``ap`` an AP it was seen on (any
case, part of the name or MAC); ``ssid`` (``--on-ssid``) one of its SSIDs (exactly); ``since`` / ``until`` an attempt of
it that overlaps the window.  Times are absolute (ISO 8601, UTC when no zone is given) or relative to the
newest event of the report ("2h" = the last two hours of the inputs, not of the clock: logs are read
after the fact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from wlandoctor.model import STAGES, Attempt, Diagnosis, Report, WlandoctorError
from wlandoctor.util.times import from_iso

VERDICTS = ("failed", "incomplete", "online")
_RELATIVE = re.compile(r"(\d{1,6})\s*(s|m|h|d|w)")
_OPTION = {"ssid": "on-ssid"}  # (the command line's name where it differs: --ssid names the proof's SSID)
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class NarrowError(WlandoctorError):
    """A narrowing criterion that cannot be read (an unknown stage, a time in no known form)."""


@dataclass(frozen=True)
class Narrowing:
    verdict: str | None = None
    stage: str | None = None
    cause: str | None = None
    ap: str | None = None
    ssid: str | None = None
    since: str | None = None
    until: str | None = None

    def given(self) -> list[str]:
        """The criteria given, as the command line writes them ('--stage 802.1x')."""
        return [f"--{_OPTION.get(k, k)} {v}" for k, v in vars(self).items() if v is not None]

    def check(self) -> None:
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise NarrowError(f"--verdict {self.verdict!r}: one of {', '.join(VERDICTS)}")
        if self.stage is not None and self.stage not in STAGES:
            raise NarrowError(f"--stage {self.stage!r}: one of {', '.join(STAGES)}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and _RELATIVE.fullmatch(value.strip()) is None and from_iso(value) is None:
                raise NarrowError(
                    f"--{name} {value!r}: a time (2026-12-06T14:00, 2026-12-06 14:00:00Z) or a span before "
                    "the newest event (30m, 2h, 1d)"
                )


def _time(text: str, newest: float | None) -> float | None:
    m = _RELATIVE.fullmatch(text.strip())
    if m is not None:
        return None if newest is None else newest - int(m.group(1)) * _UNIT_S[m.group(2)]
    return from_iso(text)


def _newest(report: Report) -> float | None:
    ends = [a.end for d in report.diagnoses for a in d.timeline.attempts if a.end is not None]
    return max(ends) if ends else None


def _matches(d: Diagnosis, n: Narrowing, since: float | None, until: float | None) -> bool:
    if n.verdict is not None and str(d.verdict) != n.verdict:
        return False
    if n.stage is not None and (d.stage is None or str(d.stage) != n.stage):
        return False
    if n.cause is not None:
        want = n.cause.lower()
        if not any(want in (c.id.lower(), c.rule.lower()) or want in c.title.lower() for c in d.causes):
            return False
    if n.ap is not None and not any(n.ap.lower() in ap.lower() for ap in d.timeline.aps):
        return False
    if n.ssid is not None and n.ssid not in d.timeline.ssids:
        return False
    return (since is None and until is None) or any(overlaps(a, since, until) for a in d.timeline.attempts)


def overlaps(a: Attempt, since: float | None, until: float | None) -> bool:
    """An attempt with a time in the window [since, until] (either end open); one without times: never."""
    start, end = a.start, a.end
    lo, hi = start if start is not None else end, end if end is not None else start
    if lo is None or hi is None:
        return since is None and until is None
    return (since is None or hi >= since) and (until is None or lo <= until)


def window(report: Report, n: Narrowing) -> tuple[float | None, float | None]:
    """The window ``n`` asks for, in epoch seconds (relative spans counted back from the newest event)."""
    newest = _newest(report)
    since = _time(n.since, newest) if n.since is not None else None
    until = _time(n.until, newest) if n.until is not None else None
    return since, until


def narrow(report: Report, n: Narrowing) -> Report:
    """The report with only the stations that match ``n``; a note on the first input says what was asked
    and how many stations of how many are shown."""
    n.check()
    if not n.given():
        return report
    since, until = window(report, n)
    kept = [d for d in report.diagnoses if _matches(d, n, since, until)]
    out = replace(report, diagnoses=kept, extra=dict(report.extra))
    out.extra["narrowed"] = {"criteria": n.given(), "shown": len(kept), "of": len(report.diagnoses)}
    return out
