"""Evaluate the rules on each station's attempt and rank the causes (a differential, not one label)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wlandoctor.capture.codes import reason_name, status_name
from wlandoctor.kb.context import ContextCounts, InputContext
from wlandoctor.kb.loader import Rule, load_rules
from wlandoctor.kb.platforms import advice, platform_of
from wlandoctor.model import (
    Attempt,
    Cause,
    Diagnosis,
    Event,
    Evidence,
    Outcome,
    Stage,
    StationTimeline,
    stage_index,
)
from wlandoctor.timeline import Timelines
from wlandoctor.timeline.healthy import (
    dropped_at_once,
    keeps_leaving,
    keyed_after,
    left_without_address,
    online_evidence,
    server_gone,
    short_session,
)
from wlandoctor.timeline.retries import credentials_failed_before, failing_again

MIN_CONFIDENCE = 0.01
MAX_CONFIDENCE = 0.99
MAX_EVIDENCE = 12
CORROBORATION = 0.1  # a cause whose evidence comes from several sources (AP log, client log, capture)


# Judgements remembered per run (signature -> which rules hold and each hypothesis' confidence before
# corroboration): ten thousand stations that stopped the same way cost one evaluation
MAX_JUDGEMENTS = 4096


class Engine:
    def __init__(
        self,
        rules: tuple[Rule, ...] | None = None,
        disabled: frozenset[str] = frozenset(),
        remember: bool = True,
    ) -> None:
        self.formats: Mapping[str, str] = {}
        self.rules = tuple(r for r in (rules if rules is not None else load_rules()) if r.id not in disabled)
        self.sees = _Sight(self.rules)
        self.remember = remember  # False: every station judged afresh (the cache's own tests compare)
        self._judged: dict[tuple[Any, ...], list[tuple[Rule, list[tuple[Any, float, list[str]]]]]] = {}

    def diagnose(
        self,
        timelines: Timelines,
        formats: Mapping[str, str] | None = None,
        counts: ContextCounts | None = None,
    ) -> list[Diagnosis]:
        """``formats``: input name -> the parser that read it, to tell each cause's platform (its advice).
        ``counts``: the context counts of the whole input, when ``timelines`` holds a part of its stations."""
        self.formats = formats or {}
        ctx = InputContext.build(timelines, counts)
        ctx.formats = self.formats
        self._judged.clear()  # (a judgement holds for one run: the input-wide events are part of it)
        out = []
        dhcp_server_failed = "dhcp.server_failure" in ctx.global_kinds
        # the DHCP server stopped for good, and no station anywhere got an answer from one
        stopped = server_gone(timelines.global_events) if dhcp_server_failed else None
        if stopped is not None and ctx.counts.dhcp_answered:
            stopped = None
        for tl in timelines.stations.values():
            last = tl.last
            if last is not None and (
                (dhcp_server_failed and left_without_address(last))
                or (stopped is not None and keyed_after(last, stopped))
                or (last.outcome == Outcome.ONLINE and dropped_at_once(last))
                or (last.outcome == Outcome.ONLINE and online_evidence(last) == "keys" and keeps_leaving(tl))
            ):
                # keys installed, then gone within minutes with no address while the DHCP server failed, or
                # keyed after the DHCP server stopped for good, or gone within seconds, or gone soon again and
                # again: the station never had a working connection
                last.outcome, last.failed_stage = Outcome.FAILED, Stage.DHCP
            verdict = last.outcome if last else Outcome.INCOMPLETE
            diag = Diagnosis(
                station=tl.station, verdict=verdict, stage=last.failed_stage if last else None, timeline=tl
            )
            if last is not None and last.outcome == Outcome.ONLINE:
                diag.online_evidence = online_evidence(last)
            if last is not None and last.outcome != Outcome.ONLINE:
                judged = last
                if not short_session(last) and keeps_leaving(tl):
                    # (connected again at the end of the input: the last short session shows how each ended)
                    judged = next((a for a in reversed(tl.attempts) if short_session(a)), last)
                refused = credentials_failed_before(tl, judged)
                if refused is not None:
                    # (its last tries only timed out or found nothing after its credentials failed: the
                    # credentials are why it cannot get online)
                    judged, diag.stage = refused, refused.failed_stage
                diag.causes = self.causes_for(tl, judged, ctx)
                if not diag.causes and last.outcome == Outcome.INCOMPLETE:
                    # The log ends mid-attempt: what explains the station's trouble is the latest attempt
                    # that failed before it (each cause names its attempt).
                    earlier = next(
                        (a for a in reversed(tl.attempts[:-1]) if a.outcome == Outcome.FAILED), None
                    )
                    if earlier is not None:
                        refused = credentials_failed_before(tl, earlier)
                        if refused is not None:
                            # its credentials failed, then it only retried in vain until the log ended
                            earlier = refused
                            diag.verdict, diag.stage = Outcome.FAILED, refused.failed_stage
                        diag.causes = self.causes_for(tl, earlier, ctx)
                        if earlier.failed_stage is not None and (
                            last.reached == earlier.failed_stage or failing_again(tl, last, earlier)
                        ):
                            # the same failure again, up to the same stage, cut by the end of the log
                            diag.verdict, diag.stage = Outcome.FAILED, earlier.failed_stage
                if diag.stage is None and diag.causes:
                    diag.stage = diag.causes[0].stage
            out.append(diag)
        return out

    def judge(
        self, tl: StationTimeline, attempt: Attempt, ctx: InputContext
    ) -> list[tuple[Rule, list[tuple[Any, float, list[str]]]]]:
        """The rules that hold for the attempt, each with its hypotheses' confidence and reasons before
        corroboration.  Remembered by what the rules can see of the station (``_Sight.signature``)."""
        key = self.sees.signature(tl, attempt, ctx) if self.remember else None
        if key is not None:
            known = self._judged.get(key)
            if known is not None:
                return known
        judged: list[tuple[Rule, list[tuple[Any, float, list[str]]]]] = []
        for rule in self.rules:
            if not _holds(rule.when, tl, attempt, ctx):
                continue
            hypotheses = []
            for h in rule.hypotheses:
                conf = h.base
                why = [f"base {h.base:.2f}: {rule.title}"]
                for adj in h.adjust:
                    if _holds(adj.condition, tl, attempt, ctx):
                        conf += adj.delta
                        why.append(f"{adj.delta:+.2f}: {adj.because}")
                hypotheses.append((h, conf, why))
            judged.append((rule, hypotheses))
        if key is not None:
            if len(self._judged) >= MAX_JUDGEMENTS:
                self._judged.clear()
            self._judged[key] = judged
        return judged

    def causes_for(self, tl: StationTimeline, attempt: Attempt, ctx: InputContext) -> list[Cause]:
        causes: list[Cause] = []
        for rule, hypotheses in self.judge(tl, attempt, ctx):
            evidence = _evidence(rule, attempt, ctx)
            cited = _cited(attempt.events, evidence)
            codes = _code_meanings(cited)
            platforms = _platforms([*cited, *_cited(ctx.timelines.global_events, evidence)], self.formats)
            for h, conf, judged_why in hypotheses:
                why = list(judged_why)
                sources = sorted({ev.source for ev in evidence})
                if len(sources) > 1:
                    conf += CORROBORATION
                    why.append(
                        f"{CORROBORATION:+.2f}: seen independently by {len(sources)} sources ({', '.join(sources)})"
                    )
                conf = min(MAX_CONFIDENCE, max(MIN_CONFIDENCE, conf))
                cid = rule.id if (len(rule.hypotheses) == 1 and h.id == rule.id) else f"{rule.id}/{h.id}"
                causes.append(
                    Cause(
                        id=cid,
                        rule=rule.id,
                        title=h.title,
                        stage=Stage(rule.stage),
                        confidence=round(conf, 2),
                        why_confidence=why,
                        explanation=" ".join(x for x in (rule.explanation, h.explanation, codes) if x),
                        fix=advice(h.fix or rule.fix, {**rule.fix_for, **h.fix_for}, platforms),
                        confirm=advice(
                            h.confirm or rule.confirm, {**rule.confirm_for, **h.confirm_for}, platforms
                        ),
                        evidence=evidence,
                        references=list(rule.references),
                        attempt=attempt.number,
                        extra=_extra(attempt, evidence),
                    )
                )
        # Best first; on a tie the later (more specific) stage first, then the id for a stable order.
        causes.sort(key=lambda c: (-c.confidence, -stage_index(c.stage), c.id))
        return causes


class _Sight:
    """What the rules can see of a station, as a key: the attempt's outcome and furthest stage, its events
    of the kinds a condition counts (with the attributes a condition filters on), and the answer of each
    context check a rule asks.  Two stations with the same key are judged the same; only their evidence
    (their own lines) differs.  Events of the whole input (``global``) are the same for every station."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.attrs: dict[str, set[str]] = {}  # counted kind -> attributes a condition filters it on
        contexts: set[str] = set()
        for rule in rules:
            self._walk(rule.when, contexts)
            for h in rule.hypotheses:
                for adj in h.adjust:
                    self._walk(adj.condition, contexts)
        self.contexts = tuple(sorted(contexts))
        self.kinds = {k: tuple(sorted(v)) for k, v in self.attrs.items()}

    def _walk(self, cond: dict[str, Any], contexts: set[str]) -> None:
        for key in ("all", "any"):
            for c in cond.get(key, ()):
                self._walk(c, contexts)
        if "not" in cond:
            self._walk(cond["not"], contexts)
        if "context" in cond:
            contexts.add(str(cond["context"]))
        if "event" in cond:
            self.attrs.setdefault(str(cond["event"]), set()).update(cond.get("where", {}))

    def signature(self, tl: StationTimeline, attempt: Attempt, ctx: InputContext) -> tuple[Any, ...] | None:
        counted: dict[tuple[Any, ...], int] = {}
        kinds = self.kinds
        for e in attempt.events:
            names = kinds.get(e.kind)
            if names is None:
                continue
            values = tuple(_hashable(e.attrs.get(n)) for n in names)
            k = (e.kind, values)
            counted[k] = counted.get(k, 0) + 1
        try:
            events = tuple(sorted(counted.items(), key=repr))
            flags = tuple(ctx.check(name, tl, attempt) for name in self.contexts)
        except (KeyError, TypeError):  # (a context no check knows: judged afresh, and raises there)
            return None
        return (str(attempt.outcome), str(attempt.reached), events, flags)


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _count(attempt: Attempt, kind: str, where: dict[str, Any]) -> int:
    n = 0
    for e in attempt.events:
        if e.kind != kind:
            continue
        if where and not all(_attr_matches(_attr(e, k), v) for k, v in where.items()):
            continue
        n += 1
    return n


_FIELDS = frozenset(("ssid", "bssid", "ap"))  # attributes an event carries as its own fields


def _attr(e: Event, name: str) -> Any:
    """An attribute a condition names: from the event's attributes, else its field of that name."""
    value = e.attrs.get(name)
    return getattr(e, name) if value is None and name in _FIELDS else value


MATCHED_CHARS = 256  # of an attribute's text a ``matches`` pattern looks at (an SSID is 32 bytes)


def _attr_matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return actual in wanted
    if isinstance(wanted, dict):  # {matches: REGEX} (checked by the loader)
        return isinstance(actual, str) and re.search(wanted["matches"], actual[:MATCHED_CHARS]) is not None
    return bool(actual == wanted)


def _holds(cond: dict[str, Any], tl: StationTimeline, attempt: Attempt, ctx: InputContext) -> bool:
    if "all" in cond:
        return all(_holds(c, tl, attempt, ctx) for c in cond["all"])
    if "any" in cond:
        return any(_holds(c, tl, attempt, ctx) for c in cond["any"])
    if "not" in cond:
        return not _holds(cond["not"], tl, attempt, ctx)
    if "context" in cond:
        return ctx.check(str(cond["context"]), tl, attempt)
    if "outcome" in cond:
        return str(attempt.outcome) == str(cond["outcome"])
    if "reached" in cond:
        return attempt.reached is not None and stage_index(attempt.reached) >= stage_index(cond["reached"])
    if "not_reached" in cond:
        return attempt.reached is None or stage_index(attempt.reached) < stage_index(cond["not_reached"])
    where = cond.get("where", {})
    if "global" in cond:
        n = sum(
            1
            for e in ctx.timelines.global_events
            if e.kind == cond["global"] and all(_attr_matches(_attr(e, k), v) for k, v in where.items())
        )
    else:
        n = _count(attempt, cond["event"], where)
    lo = cond.get("min_count", 1)
    hi = cond.get("max_count")
    return n >= lo and (hi is None or n <= hi)


def _evidence(rule: Rule, attempt: Attempt, ctx: InputContext) -> list[Evidence]:
    """The attempt's events of the kinds the rule cites, in order, one per source line; then station-less
    events (e.g. a RADIUS shared-key error) of those kinds.  A station-less event naming a user (a row of
    the AC's blocked-user list) is cited only when the attempt's user is that one or is not known."""
    wanted = set(rule.evidence)
    users = {u for e in attempt.events if (u := e.attrs.get("user") or e.attrs.get("identity"))}
    out: list[Evidence] = []
    seen: set[tuple[str, int, str]] = set()
    for e in [*attempt.events, *ctx.timelines.global_events]:
        if e.kind not in wanted:
            continue
        if not e.station and users and (named := e.attrs.get("user")) is not None and named not in users:
            continue
        key = (e.ref.source, e.ref.line, e.ref.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(Evidence(e.ref.source, e.ref.line, e.ref.text, e.kind))
        if len(out) >= MAX_EVIDENCE:
            break
    return out


def _cited(events: list[Event], evidence: list[Evidence]) -> list[Event]:
    """The events whose lines a cause cites."""
    lines = {(ev.source, ev.line) for ev in evidence}
    return [e for e in events if (e.ref.source, e.ref.line) in lines]


def _platforms(cited: list[Event], formats: Mapping[str, str]) -> list[str]:
    """The platforms the cited events came from, most cited first."""
    count: dict[str, int] = {}
    for e in cited:
        p = platform_of(e, formats)
        if p is not None:
            count[p] = count.get(p, 0) + 1
    return sorted(count, key=lambda p: -count[p])


_STATUS_KINDS = frozenset(("assoc.reject", "auth.reject", "assoc.response"))
_REASON_KINDS = frozenset(("sta.deauth", "sta.disassoc", "sta.offline", "sta.deleted"))


def _code_meanings(cited: list[Event]) -> str:
    """The plain meaning of every 802.11 status and reason code the cited events carry, so that any code
    reaches the engineer in words, whichever rule cites it."""
    said: dict[str, None] = {}
    for e in cited:
        status, reason = e.attrs.get("status"), e.attrs.get("reason")
        if e.kind in _STATUS_KINDS and isinstance(status, int) and status:
            said[f"Status {status}: {status_name(status)}."] = None
        elif e.kind in _REASON_KINDS and isinstance(reason, int):
            said[f"Reason {reason}: {reason_name(reason)}."] = None
    if not said:
        return ""
    return "IEEE 802.11 codes in the evidence: " + " ".join(said)


def _extra(attempt: Attempt, evidence: list[Evidence]) -> dict[str, Any]:
    """Facts reporters show beside a cause: the key proof it rests on, and which sources support it."""
    extra: dict[str, Any] = {}
    proof = next((e for e in attempt.events if e.kind.startswith("key.proof.")), None)
    if proof is not None and any(ev.kind == proof.kind for ev in evidence):
        extra["proof"] = {
            "verdict": proof.attrs.get("verdict"),
            "candidate": proof.attrs.get("candidate"),
            "detail": proof.ref.text,
            "frames": list(proof.attrs.get("frames", [])),
        }
    sources = sorted({ev.source for ev in evidence})
    if len(sources) > 1:
        extra["seen_by"] = sources
    return extra
