"""The compact report (JSON contract 2.0): what a script or a fleet dashboard needs per station, each
piece of prose once.

A report on a day of controller traces holds tens of thousands of stations, most of them healthy, and a
few causes shared by every failed one.  Written in full (the 1.0 form of ``data.to_dict``) it repeats the
cause prose once per failed station, every evidence line once per hypothesis that cites it and every event
of every station: more bytes than the input.  Here:

- the prose of each cause (title, explanation, fix, confirm, references) is written once, in a catalogue
  keyed by the cause id (``id#2``, ``id#3`` for a cause whose advice differs by platform);
- a station names its causes by that key, with its own confidence, reasons and evidence;
- the evidence lines of a station are listed once and cited by position by each cause;
- inputs are listed once at the top and named by position;
- a healthy station (online, no cause, nothing unread) is one short record;
- events are written only when asked (``events=True``: ``--events``, or ``--station``).

Strings are sanitised and redacted by the report's ``Cleaner``, as in every other report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from wlandoctor.model import Diagnosis, Outcome, Report
from wlandoctor.report.data import JSON, Cleaner, _cause, _event, attempt_summary, unwritable
from wlandoctor.util.times import iso

COMPACT_VERSION = "2.0"
PROSE = ("title", "explanation", "fix", "confirm", "references")


class Catalogue:
    """Cause prose seen so far, keyed for stations to cite; ``new`` holds entries not yet written."""

    def __init__(self, clean: Cleaner) -> None:
        self.clean = clean
        self._keys: dict[tuple[Any, ...], str] = {}
        self._variants: Counter[str] = Counter()
        self.entries: dict[str, dict[str, JSON]] = {}
        self.new: list[str] = []
        # when a list: the wording of every cause keyed, in order (report/rendered.py)
        self.cited: list[tuple[Any, ...]] | None = None

    def key(self, cause: Mapping[str, Any]) -> str:
        # (keyed on the raw prose: cleaning it is the costly part, done once per entry)
        raw = (cause["id"], cause["rule"], cause["stage"], *(_frozen(cause[k]) for k in PROSE))
        if self.cited is not None:
            self.cited.append(raw)
        key = self._keys.get(raw)
        if key is None:
            cid = str(cause["id"])
            self._variants[cid] += 1
            n = self._variants[cid]
            key = cid if n == 1 else f"{cid}#{n}"
            self._keys[raw] = key
            entry = {"id": cid, "rule": cause["rule"], "stage": cause["stage"]}
            entry.update({k: cause[k] for k in PROSE})
            cleaned: dict[str, JSON] = self.clean(entry)
            self.entries[key] = cleaned
            self.new.append(key)
        return key

    def wordings(self) -> dict[tuple[Any, ...], str]:
        """The key given to each wording (a cause's id, rule, stage and prose) so far."""
        return dict(self._keys)

    def take_new(self) -> list[tuple[str, dict[str, JSON]]]:
        """Entries added since the last call, in the order they were first cited."""
        out = [(k, self.entries[k]) for k in self.new]
        self.new = []
        return out


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def input_index(report: Report) -> dict[str, int]:
    """Input name -> its position in the report's ``inputs`` (the first, for a name given twice)."""
    index: dict[str, int] = {}
    for i, s in enumerate(report.inputs):
        index.setdefault(s.source, i)
    return index


def compact_station(
    d: Diagnosis, clean: Cleaner, catalogue: Catalogue, inputs: Mapping[str, int], events: bool = False
) -> dict[str, JSON]:
    """One station in the 2.0 form; a station that cannot be written keeps its name, verdict and why."""
    try:
        return _compact(d, clean, catalogue, inputs, events)
    except Exception as exc:  # the last guard: one station never loses the report
        st = unwritable(d.station, d.verdict, exc)
        return {"station": st["station"], "verdict": st["verdict"], "problem": st["problem"]}


def _where(source: str, inputs: Mapping[str, int], fix: Callable[[str], str]) -> dict[str, JSON]:
    i = inputs.get(source)
    return {"input": i} if i is not None else {"source": fix(source)}


def _compact(
    d: Diagnosis, clean: Cleaner, catalogue: Catalogue, inputs: Mapping[str, int], events: bool
) -> dict[str, JSON]:
    # (built clean, each text through the cleaner's ``fix`` as it is placed: a hundred thousand stations
    # are not walked again by the generic cleaner)
    fix = clean.fix
    tl = d.timeline
    outcomes: Counter[str] = Counter(str(a.outcome) for a in tl.attempts)
    for outcome, n in tl.dropped_outcomes.items():
        outcomes[str(outcome)] += n
    starts = [a.start for a in tl.attempts if a.start is not None]
    ends = [a.end for a in tl.attempts if a.end is not None]
    st: dict[str, JSON] = {
        "station": fix(d.station),
        "verdict": str(d.verdict),
        "online_evidence": d.online_evidence,
        "aps": [fix(a) for a in sorted(tl.aps)],
        "ssids": [fix(s) for s in sorted(tl.ssids)],
        "inputs": sorted({inputs.get(s, -1) for s in tl.sources} - {-1}),
        "attempt_count": len(tl.attempts) + tl.attempts_dropped,
        "outcomes": dict(sorted(outcomes.items())),
        "first": iso(min(starts)) if starts else None,
        "last": iso(max(ends)) if ends else None,
    }
    if d.verdict == Outcome.ONLINE and not d.causes and not d.unread_count and not events:
        return st
    st["stage"] = str(d.stage) if d.stage is not None else None
    st["attempts"] = [attempt_summary(a) for a in tl.attempts]
    evidence: list[dict[str, JSON]] = []
    cited: dict[tuple[str, int, str, str], int] = {}
    causes: list[dict[str, JSON]] = []
    for c in d.causes:
        full = _cause(c)
        refs: list[int] = []
        for ev in c.evidence:
            k = (ev.source, ev.line, ev.text, ev.kind)
            i = cited.get(k)
            if i is None:
                i = cited[k] = len(evidence)
                evidence.append(
                    {
                        **_where(ev.source, inputs, fix),
                        "line": ev.line,
                        "text": fix(ev.text),
                        "kind": fix(ev.kind),
                    }
                )
            refs.append(i)
        item: dict[str, JSON] = {
            "key": fix(catalogue.key(full)),
            "id": fix(full["id"]),
            "confidence": full["confidence"],
            "why_confidence": [fix(w) for w in full["why_confidence"]],
            "attempt": full["attempt"],
            "evidence": refs,
        }
        if "proof" in full:
            item["proof"] = clean(full["proof"])
        if "seen_by" in full:
            item["seen_by"] = [fix(x) for x in full["seen_by"]]
        causes.append(item)
    st["causes"] = causes
    st["evidence"] = evidence
    if d.unread_count:
        st["unread_lines"] = {
            "count": d.unread_count,
            "first": [{**_where(src, inputs, fix), "line": n} for src, n in d.unread],
        }
    if events:
        listed: list[JSON] = []
        for a in tl.attempts:
            for e in a.events:
                item = _event(e, clean)  # (built clean)
                del item["source"]
                item.update(_where(e.ref.source, inputs, fix))
                item["attempt"] = a.number
                listed.append(item)
        st["events"] = listed
        st["events_dropped"] = sum(a.dropped_events for a in tl.attempts)
    return st
