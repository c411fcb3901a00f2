"""The report as plain data: the JSON contract every renderer starts from.

``to_dict`` turns a ``Report`` into dicts, lists, strings, numbers and None only, in the full form
documented in docs/json.md (version ``FULL_VERSION``, checked by ``report/full.schema.json``): every
station with its attempts and events, every cause with its prose.  Every renderer builds its output from
this dict (the JSON report writes the compact form of ``report.compact`` from the same pieces), so the
safety steps below are applied once for all formats:

- every string value at any depth (and every attribute name) goes through ``sources.lines.sanitize`` so
  that no control character from a log can reach a terminal or a file unescaped;
- every occurrence of a string listed in ``Report.extra["redact"]`` is replaced by ``REDACTED`` (in
  numeric attribute values too, for all-digit secrets);
- attribute values are made JSON-safe (bytes as hex, sets as sorted lists, non-finite floats as text).

Escaping for the output language (HTML entities, rich markup, Markdown punctuation) is the job of each
renderer, not of this module.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from importlib import resources
from typing import Any, TypeVar

from wlandoctor import __version__
from wlandoctor.model import Attempt, Cause, Diagnosis, Event, InputSummary, Outcome, Report
from wlandoctor.model.kinds import FAILURE, KINDS, SUMMARY
from wlandoctor.sources.lines import sanitize
from wlandoctor.util.times import from_iso, iso

FULL_VERSION = "1.0"  # the full form (to_dict, `timeline --format json`)
SCHEMA_VERSION = "2.0"  # the JSON report, compact (report/compact.py; report/schema.json)
TOOL_NAME = "wlandoctor"
REDACTED = "«redacted»"
R = TypeVar("R")
PROOF_VERDICTS = ("match", "no-match", "incomplete", "cannot-check-offline")

JSON = Any  # a value made only of dict/list/str/int/float/bool/None


def load_schema(form: str = "report") -> dict[str, Any]:
    """A JSON Schema shipped in the package: ``report`` (the JSON report, 2.0), ``jsonl`` (one line of its
    JSON Lines form) or ``full`` (the full form of ``to_dict``, 1.0)."""
    name = "full.schema.json" if form == "full" else "schema.json"
    text = resources.files("wlandoctor.report").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    if form == "jsonl":
        return {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/jsonl_record"}
    return schema


# --------------------------------------------------------------------------------------------- redaction


def redactor(secrets: Iterable[object] | None) -> Callable[[str], str]:
    """A function replacing every occurrence of any of ``secrets`` by ``REDACTED``.

    Longer secrets win over shorter ones they contain; empty and non-string entries are ignored.
    """
    given = {s for s in (secrets or ()) if isinstance(s, str) and s}
    # The sanitised form too: a secret holding a control character is stored made visible.
    words = sorted(given | {sanitize(s) for s in given}, key=len, reverse=True)
    if not words:
        return _identity
    pattern = re.compile("|".join(re.escape(w) for w in words))

    def _redact(text: str) -> str:
        return pattern.sub(REDACTED, text)

    return _redact


def _identity(text: str) -> str:
    return text


def report_redactor(report: Report) -> Callable[[str], str]:
    secrets = report.extra.get("redact") if isinstance(report.extra, Mapping) else None
    if isinstance(secrets, str):
        secrets = [secrets]
    return redactor(secrets if isinstance(secrets, Iterable) else None)


# ----------------------------------------------------------------------------------------- JSON safety


def json_safe(value: object, _depth: int = 0) -> JSON:
    """``value`` as JSON data: bytes -> hex, sets -> sorted lists, tuples -> lists, others -> text."""
    if _depth > 32:
        return "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Enum):
        return json_safe(value.value, _depth + 1)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(json_safe(k, _depth + 1)): json_safe(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [json_safe(v, _depth + 1) for v in value]
        return sorted(items, key=lambda v: (type(v).__name__, json.dumps(v, sort_keys=True, default=str)))
    if isinstance(value, list | tuple):
        return [json_safe(v, _depth + 1) for v in value]
    return str(value)


class _Cleaned(list):  # type: ignore[type-arg]
    """A list whose items were built clean already (events): ``_clean`` passes it through."""


def _clean(value: JSON, fix: Callable[[str], str], digits: bool = False, in_attrs: bool = False) -> JSON:
    """Apply ``fix`` (sanitize, then redact) to every string value at any depth.

    Keys are fixed inside event ``attrs`` only, where parsers put data-derived names; the other keys are
    the contract's own field names and must stay intact for every renderer.  ``digits`` (a secret is all
    digits): numbers inside ``attrs`` that would print the secret are replaced by the redaction mark;
    structural numbers (lines, counts) keep their type.
    """
    if isinstance(value, str):
        return fix(value)
    if type(value) is _Cleaned:
        return value
    if isinstance(value, dict):
        if in_attrs:
            return {fix(k): _clean(v, fix, digits, True) for k, v in value.items()}
        return {k: _clean(v, fix, digits, k == "attrs") for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, fix, digits, in_attrs) for v in value]
    if digits and in_attrs and isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
        return REDACTED if fix(text) != text else value
    return value


# --------------------------------------------------------------------------------------------- builders


def _generated(report: Report) -> str:
    """When the report was made: ``Report.extra["generated"]`` (epoch seconds or text) or now."""
    given = report.extra.get("generated")
    if isinstance(given, str) and given:
        return given
    if isinstance(given, int | float) and not isinstance(given, bool) and math.isfinite(given):
        return iso(float(given)) or ""
    return iso(time.time()) or ""


def _input(s: InputSummary) -> dict[str, JSON]:
    return {
        "source": s.source,
        "format": s.format,
        "records": s.records,
        "skipped": s.skipped,
        "problems": [{"line": p.line, "message": p.message} for p in s.problems],
        "problems_dropped": s.problems_dropped,
        "coverage": {
            "understood": s.coverage.understood,
            "unread": s.coverage.unread,
            "ratio": None if s.coverage.ratio is None else round(s.coverage.ratio, 4),
            "first_unread": [{"line": n, "text": t} for n, t in s.coverage.first],
            # (only for an input that gave no event: its lines that speak of Wi-Fi, relevance.HINT)
            **({"hinted": hinted} if (hinted := s.hinted_lines()) else {}),
        },
        "notes": list(s.notes),
    }


def _event(e: Event, c: Cleaner) -> dict[str, JSON]:
    # Built clean here rather than walked again by ``_clean``: events are most of a report.
    fix = c.fix
    return {
        "time": None if (printed := iso(e.time)) is None else fix(printed),
        "stage": fix(str(e.stage)),
        "kind": fix(e.kind),
        "source": fix(e.ref.source),
        "line": e.ref.line,
        "text": fix(e.ref.text),
        "ap": None if e.ap is None else fix(e.ap),
        "ssid": None if e.ssid is None else fix(e.ssid),
        "attrs": _attrs(e.attrs, c) if e.attrs else {},
    }


_PLAIN = frozenset({str, int, bool, type(None)})


def _attrs(attrs: dict[str, Any], c: Cleaner) -> JSON:
    # Most attributes are a few flat names and numbers: cleaned directly, not through two recursive walks.
    if not c.digits and all(type(k) is str and type(v) in _PLAIN for k, v in attrs.items()):
        fix = c.fix
        return {fix(k): fix(v) if type(v) is str else v for k, v in attrs.items()}
    return _clean(json_safe(attrs), c.fix, c.digits, True)


def attempt_summary(a: Attempt) -> dict[str, JSON]:
    """An attempt without its events: number, outcome, stages and times (both JSON forms)."""
    return {
        "number": a.number,
        "outcome": str(a.outcome),
        "reached": str(a.reached) if a.reached is not None else None,
        "failed_stage": str(a.failed_stage) if a.failed_stage is not None else None,
        "start": iso(a.start),
        "end": iso(a.end),
    }


def _attempt(a: Attempt, c: Cleaner, with_events: bool = True) -> dict[str, JSON]:
    # A healthy attempt's events are left out of a diagnosis (counted in dropped_events): on a large
    # input they are most of the report and explain nothing.  ``wlandoctor timeline`` lists them all.
    return {
        **attempt_summary(a),
        "dropped_events": a.dropped_events + (0 if with_events else len(a.events)),
        "events": _Cleaned(_event(e, c) for e in a.events) if with_events else [],
    }


def confidence(c: float) -> float:
    """A confidence as reports show it: 0 to 1, rounded to 2 decimals (0 for what is not a number)."""
    if not isinstance(c, int | float) or not math.isfinite(c):
        return 0.0
    return round(min(1.0, max(0.0, float(c))), 2)


def _proof(raw: object) -> dict[str, JSON]:
    p = raw if isinstance(raw, Mapping) else {"detail": raw}
    verdict = str(p.get("verdict", "incomplete"))
    candidate = p.get("candidate")
    frames = p.get("frames") or []
    return {
        "verdict": verdict if verdict in PROOF_VERDICTS else "incomplete",
        "candidate": None if candidate is None else str(candidate),
        "detail": "" if p.get("detail") is None else str(p.get("detail")),
        "frames": [int(f) for f in frames if isinstance(f, int | float) and not isinstance(f, bool)]
        if isinstance(frames, list | tuple | set | frozenset)
        else [],
    }


def _cause(c: Cause) -> dict[str, JSON]:
    d: dict[str, JSON] = {
        "id": c.id,
        "rule": c.rule,
        "title": c.title,
        "stage": str(c.stage),
        "confidence": confidence(c.confidence),
        "why_confidence": [str(w) for w in c.why_confidence],
        "explanation": c.explanation,
        "fix": [str(f) for f in c.fix],
        "confirm": [str(f) for f in c.confirm],
        "references": [str(r) for r in c.references],
        "attempt": c.attempt,
        "evidence": [
            {"source": ev.source, "line": ev.line, "text": ev.text, "kind": ev.kind} for ev in c.evidence
        ],
    }
    extra = c.extra if isinstance(c.extra, Mapping) else {}
    if "proof" in extra:
        d["proof"] = _proof(extra["proof"])
    seen_by = extra.get("seen_by")
    if seen_by:
        names = [seen_by] if isinstance(seen_by, str) else list(seen_by)
        d["seen_by"] = list(dict.fromkeys(str(s) for s in names))
    return d


def _station(d: Diagnosis, c: Cleaner, all_events: bool = False) -> dict[str, JSON]:
    try:
        return _station_unguarded(d, c, all_events)
    except Exception as exc:  # the last guard: one station never loses the report
        return unwritable(d.station, d.verdict, exc)


def unwritable(station: object, verdict: object, exc: Exception) -> dict[str, JSON]:
    """What a report holds for a station it could not write: its name, verdict and why, nothing else."""
    known = {o.value for o in Outcome}
    return {
        "station": str(station) or "?",
        "verdict": str(verdict) if str(verdict) in known else Outcome.INCOMPLETE.value,
        "online_evidence": None,
        "stage": None,
        "aps": [],
        "ssids": [],
        "sources": [],
        "attempts": [],
        "attempts_dropped": 0,
        "dropped_outcomes": {},
        "causes": [],
        "unread_lines": {"count": 0, "first": []},
        "problem": f"this station could not be written in full (internal error: {type(exc).__name__}); "
        "the rest of the report is complete",
    }


def guarded(render_one: Callable[..., R], st: Mapping[str, Any], *args: Any) -> R:
    """``render_one(st, *args)``; if it raises, the same renderer on what ``unwritable`` gives."""
    try:
        return render_one(st, *args)
    except Exception as exc:  # the last guard of every renderer, station by station
        return render_one(unwritable(st.get("station", "?"), st.get("verdict"), exc), *args)


def _station_unguarded(d: Diagnosis, c: Cleaner, all_events: bool = False) -> dict[str, JSON]:
    tl = d.timeline
    last = tl.attempts[-1] if tl.attempts else None
    return {
        "station": d.station,
        "verdict": str(d.verdict),
        "online_evidence": d.online_evidence,
        "stage": str(d.stage) if d.stage is not None else None,
        "aps": sorted(tl.aps),
        "ssids": sorted(tl.ssids),
        "sources": sorted(tl.sources),
        "attempts": [
            _attempt(a, c, all_events or a is last or a.outcome != Outcome.ONLINE) for a in tl.attempts
        ],
        "attempts_dropped": tl.attempts_dropped,
        "dropped_outcomes": dict(sorted(tl.dropped_outcomes.items())),
        "causes": [_cause(c) for c in d.causes],
        "unread_lines": {
            "count": d.unread_count,
            "first": [{"source": src, "line": n} for src, n in d.unread],
        },
    }


def to_dict(report: Report, all_events: bool = False) -> dict[str, JSON]:
    """The report as JSON data in the full form (version ``FULL_VERSION``), sanitised and redacted.

    Events of healthy attempts other than a station's last are listed only with ``all_events``."""
    c = Cleaner(report)
    data: dict[str, JSON] = {
        **top_dict(report),
        "stations": [_station(d, c, all_events) for d in report.diagnoses],
    }
    cleaned: dict[str, JSON] = c(data)
    return cleaned


def top_dict(report: Report) -> dict[str, JSON]:
    """Everything of the report but its stations (not yet cleaned)."""
    rendered = report.extra.get("rendered")  # (report/rendered.py: the stations' lines, no diagnoses)
    verdicts = getattr(rendered, "verdicts", None)
    if verdicts is None:
        verdicts = Counter(str(d.verdict) for d in report.diagnoses)
    narrowed = report.extra.get("narrowed")
    counted = 0 if narrowed else report.extra.get("counted_online", 0)  # (counted ones match no criterion)
    summary: dict[str, JSON] = {
        "stations": sum(verdicts.values()) + counted,
        "online": verdicts[Outcome.ONLINE.value] + counted,
        "failed": verdicts[Outcome.FAILED.value],
        "incomplete": verdicts[Outcome.INCOMPLETE.value],
    }
    if narrowed:
        summary["narrowed"] = {"criteria": list(narrowed["criteria"]), "of": int(narrowed["of"])}
    if counted:
        # online stations over the station limit: counted here, not listed (docs/performance.md)
        summary["counted_not_listed"] = counted
        summary["max_stations"] = report.extra.get("max_stations")
    return {
        "version": FULL_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "generated": _generated(report),
        "inputs": [_input(s) for s in report.inputs],
        "summary": summary,
    }


def station_dict(d: Diagnosis, c: Cleaner, all_events: bool = False) -> dict[str, JSON]:
    """One station of the report, sanitised and redacted with ``c``."""
    station: dict[str, JSON] = c(_station(d, c, all_events))
    return station


_SEEN_MAX = 65_536  # cleaned strings remembered by one cleaner


class Cleaner:
    """The sanitise-and-redact pass of ``to_dict`` for one report's secrets, reusable piece by piece
    (the streaming JSON writer cleans one station at a time with one cleaner).

    ``fix`` cleans one string; calling the cleaner cleans any JSON value at any depth."""

    def __init__(self, report: Report) -> None:
        redact = report_redactor(report)
        seen: dict[str, str] = {}  # keys and short values repeat a lot (field names, stages, sources)

        def fix(text: str) -> str:
            done = seen.get(text)
            if done is None:
                done = redact(sanitize(text))
                if len(text) <= 256:
                    if len(seen) >= _SEEN_MAX:
                        seen.clear()
                    seen[text] = done
            return done

        secrets = report.extra.get("redact") if isinstance(report.extra, Mapping) else None
        self.fix = fix
        self.digits = isinstance(secrets, list | tuple | set) and any(
            isinstance(x, str) and x.isdigit() for x in secrets
        )

    def __call__(self, value: JSON) -> JSON:
        return _clean(value, self.fix, self.digits)


# ------------------------------------------------------------------------------ helpers for renderers


@dataclass(frozen=True)
class CauseGroup:
    """Stations that did not get online and share their most likely cause (``cause_id`` "" for none)."""

    cause_id: str
    title: str
    stages: list[str]
    stations: list[str]


EXAMPLE_STATIONS = 3  # stations named per group where the reports cannot list them all


def cause_groups(stations: list[Mapping[str, Any]]) -> list[CauseGroup]:
    """The stations of a report (``to_dict`` form) that did not get online, grouped by their most likely
    cause, largest group first: what the failures of many stations have in common.  Empty when fewer
    than two stations did not get online (there is nothing to have in common)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for st in stations:
        if st["verdict"] == "online":
            continue
        top = st["causes"][0] if st["causes"] else None
        key = (top["id"], top["title"]) if top else ("", f"{st['verdict']}, no cause found")
        groups.setdefault(key, []).append(st)
    if sum(len(ms) for ms in groups.values()) < 2:
        return []
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [
        CauseGroup(
            cid, title, sorted({str(m["stage"]) for m in ms if m["stage"]}), [m["station"] for m in ms]
        )
        for (cid, title), ms in ordered
    ]


def deciding_evidence(cause: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The evidence line that shows a cause best: the first that records a failure (a failure or summary
    event, such as the MIC mismatch or the controller's reason), else the last line cited."""
    evidence = cause.get("evidence") or []
    for ev in evidence:
        info = KINDS.get(str(ev.get("kind", "")))
        if info is not None and info.role in (FAILURE, SUMMARY):
            return ev  # type: ignore[no-any-return]
    return evidence[-1] if evidence else None


COMMON_WINDOW_S = 600  # failures within this span are said to share a time window


def in_common(stations: list[Mapping[str, Any]]) -> list[str]:
    """What the stations that did not get online (``to_dict`` form, two or more) share: one AP, one SSID,
    a short time window, one vendor prefix (the MAC's first three bytes, when not locally administered).
    Each as a phrase ('all on AP b8:3a:5a:8b:36:d0'); empty when they share nothing or are fewer than two."""
    troubled = [st for st in stations if st["verdict"] != "online"]
    if len(troubled) < 2:
        return []
    out: list[str] = []
    for key, label, quote in (("aps", "AP", str), ("ssids", "SSID", lambda n: f'"{n}"')):
        shared = set.intersection(*(set(st[key]) for st in troubled))
        if shared:
            out.append(f"all on {label} {', '.join(quote(n) for n in sorted(shared))}")
    ends = [a["end"] or a["start"] for st in troubled for a in st["attempts"][-1:] if a["end"] or a["start"]]
    if len(ends) == len(troubled):
        first, last = min(ends), max(ends)
        t0, t1 = from_iso(first), from_iso(last)
        if t0 is not None and t1 is not None and t1 - t0 <= COMMON_WINDOW_S:
            out.append(f"all within {max(1, round((t1 - t0) / 60))} min ({first} to {last})")
    prefixes = {st["station"][:8] for st in troubled}
    if len(prefixes) == 1:
        prefix = next(iter(prefixes))
        if re.fullmatch(r"[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}", prefix) and not int(prefix[1], 16) & 2:
            out.append(f"all with the vendor prefix {prefix} (one client type)")
    return out


def cause_groups_heading(groups: list[CauseGroup]) -> str:
    return f"{plural(sum(len(g.stations) for g in groups), 'station')} not online, by most likely cause"


def example_stations(g: CauseGroup, quote: Callable[[str], str] = str) -> str:
    """The first EXAMPLE_STATIONS stations of a group, and how many more."""
    more = len(g.stations) - EXAMPLE_STATIONS
    return ", ".join(quote(s) for s in g.stations[:EXAMPLE_STATIONS]) + (
        f" and {more} more" if more > 0 else ""
    )


def no_cause_line(station: Mapping[str, JSON]) -> str:
    """What to say of a station that is not online and that no rule explains."""
    if station.get("verdict") == Outcome.INCOMPLETE.value:
        return "The input ends before this attempt finished, and nothing failed in what was seen."
    return "No rule explains this failure yet."


def evidence_keys(station: Mapping[str, JSON]) -> dict[tuple[str, int], list[str]]:
    """(source, line) -> evidence texts cited by any cause of this station."""
    keys: dict[tuple[str, int], list[str]] = {}
    for cause in station["causes"]:
        for ev in cause["evidence"]:
            keys.setdefault((ev["source"], ev["line"]), []).append(ev["text"])
    return keys


def is_evidence(event: Mapping[str, JSON], keys: Mapping[tuple[str, int], list[str]]) -> bool:
    """Whether a timeline event is cited as evidence.

    Several events may share one line (traces pasted flattened onto a single line), so an event counts
    when its source and line match and one text contains the other; a cited line whose text matches no
    event's text marks every event of that line.
    """
    texts = keys.get((event["source"], event["line"]))
    if texts is None:
        return False
    text = event["text"]
    return any(t and (t in text or text in t) for t in texts)


def marked_events(station: Mapping[str, JSON]) -> set[tuple[int, int]]:
    """(attempt index, event index) of every event cited as evidence, with the line-level fallback."""
    keys = evidence_keys(station)
    marked: set[tuple[int, int]] = set()
    matched: set[tuple[str, int]] = set()
    by_line: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for ai, attempt in enumerate(station["attempts"]):
        for ei, ev in enumerate(attempt["events"]):
            key = (ev["source"], ev["line"])
            if key not in keys:
                continue
            by_line.setdefault(key, []).append((ai, ei))
            if is_evidence(ev, keys):
                marked.add((ai, ei))
                matched.add(key)
    for key, positions in by_line.items():
        if key not in matched:
            marked.update(positions)
    return marked


ATTEMPTS_SHOWN = 10  # attempt lines in the text and Markdown reports; HTML and JSON keep them all


def attempts_shown(station: Mapping[str, JSON], limit: int = ATTEMPTS_SHOWN) -> tuple[int, list[JSON]]:
    """How many earlier attempts are left out, and the last ``limit`` attempts of a station."""
    attempts = station["attempts"]
    hidden = max(0, len(attempts) - limit)
    return hidden, attempts[hidden:]


def counted_line(summary: Mapping[str, JSON]) -> str:
    """What a report says of the online stations it counted and does not list (over the station limit)."""
    n = summary["counted_not_listed"]
    return (
        f"{n} of the online stations are counted, not listed: the input held more than "
        f"{summary['max_stations']} stations (--max-stations), and those that got online with nothing "
        "notable were let go, oldest first."
    )


def percent(confidence: float) -> str:
    return f"{round(confidence * 100)}%"


def narrowed_line(summary: Mapping[str, JSON]) -> str | None:
    """'narrowed (--stage 802.1x): 3 of 25 stations shown', when the report was narrowed."""
    n = summary.get("narrowed")
    if not isinstance(n, dict):
        return None
    return (
        f"narrowed ({' '.join(n['criteria'])}): {summary['stations']} of {plural(n['of'], 'station')} shown"
    )


def quoted(names: list[str]) -> list[str]:
    """SSIDs as a report shows them: in double quotes (an SSID may hold blanks, commas or nothing)."""
    return [f'"{n}"' for n in names]


_CODE_SPAN = re.compile(r"`([^`\n]{1,400})`")


def code_spans(text: str) -> list[tuple[str, bool]]:
    """A rule's prose cut into (part, is_code): the commands it writes between back-ticks are code."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for m in _CODE_SPAN.finditer(text):
        if m.start() > at:
            parts.append((text[at : m.start()], False))
        parts.append((m.group(1), True))
        at = m.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 station', '2 stations' ('words' for an irregular plural)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def attempt_line(attempt: Mapping[str, JSON]) -> str:
    """'attempt 1: failed at 4way-handshake (reached association), 14 events'; with no step forward, what
    was seen instead ('(no step forward; seen: assoc.failure ×4)')."""
    n = len(attempt["events"])
    parts = [f"attempt {attempt['number']}: {attempt['outcome']}"]
    if attempt["failed_stage"]:
        parts.append(f" at {attempt['failed_stage']}")
    parts.append(
        f" (reached {attempt['reached']})"
        if attempt["reached"]
        else f" (no step forward; seen: {_seen(attempt)})"
    )
    parts.append(f", {plural(n, 'event')}")
    if attempt["dropped_events"]:
        parts.append(f" (+{attempt['dropped_events']} not kept)")
    return "".join(parts)


def _seen(attempt: Mapping[str, JSON]) -> str:
    """The kinds of an attempt's events, in order, with their counts: 'auth.timeout', 'assoc.failure ×4'."""
    counts: dict[str, int] = {}
    for e in attempt["events"]:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    shown = [k if c == 1 else f"{k} ×{c}" for k, c in list(counts.items())[:3]]
    return ", ".join(shown) + (", ..." if len(counts) > 3 else "") if shown else "nothing"


def seen_by_line(cause: Mapping[str, JSON]) -> str | None:
    names = cause.get("seen_by") or []
    if not names:
        return None
    n = len(names)
    return f"confirmed by {n} source{'s' if n != 1 else ''}: {', '.join(names)}"


def proof_line(proof: Mapping[str, JSON]) -> str:
    """One line describing a key proof: verdict, candidate, frames, detail."""
    parts = [f"Key check: {proof['verdict']}"]
    if proof.get("candidate"):
        parts.append(f"candidate {proof['candidate']}")
    frames = proof.get("frames") or []
    if frames:
        parts.append(f"frame{'s' if len(frames) != 1 else ''} {', '.join(str(f) for f in frames)}")
    line = ", ".join(parts)
    if proof.get("detail"):
        line += f" - {proof['detail']}"
    return line


def problems_shown(inp: Mapping[str, JSON], limit: int = 10) -> tuple[list[Mapping[str, JSON]], int]:
    """The first ``limit`` problems of an input and how many more there are (dropped ones included)."""
    problems = inp["problems"]
    more = max(0, len(problems) - limit) + int(inp["problems_dropped"])
    return problems[:limit], more


def problem_where(problem: Mapping[str, JSON], inp: Mapping[str, JSON]) -> str:
    """'line 12' ('frame 12' in a capture, 'record 12' in a .evtx file), or 'whole input' for problems
    about the input as a whole (line 0)."""
    if not problem["line"]:
        return "whole input"
    return f"{UNIT.get(str(inp['format']), 'line')} {problem['line']}"


UNIT = {"pcap": "frame", "windows-evtx": "record"}  # what a problem's number counts, by format


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, saying how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [+{len(text) - limit} characters]"
