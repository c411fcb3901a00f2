"""Group events by station, order them, split attempts, and decide how far each attempt got.

Memory is bounded by the number of stations, not by the size of the input: when a station's open event
list grows past COMPACT_AT, its closed attempts are finalised and compacted (healthy attempts keep no
events, at most KEEP_FAILED failed attempts keep theirs, each capped at MAX_EVENTS_PER_ATTEMPT).  Every
event dropped that way is counted in ``Attempt.dropped_events``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wlandoctor.model import STAGE_INDEX, STAGES, Attempt, Event, Outcome, Stage, StationTimeline, stage_index
from wlandoctor.model.kinds import FAILURE, KINDS, PROGRESS, SUCCESS, SUMMARY, TEARDOWN, TERMINAL

COMPACT_AT = 16  # open events per station before older attempts are closed (memory bound)
MAX_EVENTS_PER_ATTEMPT = 200
KEEP_FAILED = 3
MAX_ATTEMPTS = 16  # attempts kept per station; older ones are counted by outcome
MAX_SUMMARIES = 32
MAX_GLOBALS = 200
ATTEMPT_GAP_S = 120.0  # silence after which a station's next event starts a new attempt
REORDER_S = 5.0  # records may reach the log this much out of time order; attempts stay open as long
MAX_OPEN_ATTEMPTS = 4  # (but no more than these: a station retrying many times a second stays bounded)
SAME_EXCHANGE_S = 1.0  # another source's report of a stage already reached, this soon after: same attempt
TEARDOWN_WINDOW_S = 10.0  # clean-up events this soon after an end belong to the ended attempt

# Events that begin an onboarding; seen after an attempt got further, they start a new attempt.
ENTRY_KINDS = frozenset({"probe.request", "auth.request", "sae.commit", "assoc.request", "eapol.start"})
# Events that start a key exchange or authentication anew; after a completed one they begin a new attempt.
RESTART_KINDS = ENTRY_KINDS | {"eapol.m1.sent", "eap.identity.request"}
# Events after which the key exchange is known to have worked.
CONNECTED_KINDS = frozenset(
    {"handshake.success", "eapol.m4.received", "group.m2.received", "sta.connected", "dhcp.ack", "sta.online"}
)
# IEEE 802.11 reason codes that name the stage that failed, when a deauthentication or disassociation
# carries them (14 MIC failure, 15 4-way timeout, 16 group key timeout, 17 RSNE differs, 23 802.1X failed,
# 24 cipher rejected by policy).
REASON_STAGE = {
    14: Stage.FOURWAY,
    15: Stage.FOURWAY,
    16: Stage.GROUP_KEY,
    17: Stage.FOURWAY,
    23: Stage.DOT1X,
    24: Stage.ASSOCIATION,
}
# Terminal kinds that do not tell the stage by themselves (the stage is where the station was).
GENERIC_TERMINAL = frozenset({"sta.deleted", "sta.deauth"})
_LEAVING = frozenset({"sta.deauth", "sta.disassoc"})


@dataclass(slots=True)
class _StationAcc:
    station: str
    open_events: list[Event] = field(default_factory=list)
    closed: list[Attempt] = field(default_factory=list)
    summaries: list[Event] = field(default_factory=list)
    summaries_dropped: int = 0
    ssids: set[str] = field(default_factory=set)
    aps: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    attempts_dropped: int = 0
    dropped_outcomes: dict[str, int] = field(default_factory=dict)
    compact_at: int = 0  # open events at which to compact next (COMPACT_AT when made)


@dataclass(slots=True)
class Timelines:
    """The result of building: one timeline per station, plus events tied to no station."""

    stations: dict[str, StationTimeline]
    global_events: list[Event]


class TimelineBuilder:
    def __init__(self, clock_skew_s: float = 0.0, whole_station: str | None = None) -> None:
        """``whole_station``: the station asked for by name, whose kept attempts keep all their events (still
        at most MAX_ATTEMPTS of them, each capped at MAX_EVENTS_PER_ATTEMPT); the others are built as usual,
        as the context of its diagnosis."""
        self._acc: dict[str, _StationAcc] = {}
        self._globals: list[Event] = []
        self.clock_skew_s = clock_skew_s
        self.whole_station = whole_station

    def add(self, event: Event) -> None:
        if not event.station:
            if len(self._globals) < MAX_GLOBALS:
                self._globals.append(event)
            return
        acc = self._acc.get(event.station)
        if acc is None:
            acc = self._acc[event.station] = _StationAcc(event.station, compact_at=COMPACT_AT)
        if event.ssid:
            acc.ssids.add(event.ssid)
        if event.ap:
            acc.aps.add(event.ap)
        acc.sources.add(event.ref.source)
        if KINDS[event.kind].role == SUMMARY:
            if len(acc.summaries) < MAX_SUMMARIES:
                acc.summaries.append(event)
            else:
                acc.summaries_dropped += 1
            return
        acc.open_events.append(event)
        if len(acc.open_events) >= acc.compact_at:
            self._compact(acc)

    def add_all(self, events: Iterable[Event]) -> None:
        for e in events:
            self.add(e)

    def _compact(self, acc: _StationAcc) -> None:
        attempts = split_attempts(acc.open_events, self.clock_skew_s)
        if len(attempts) <= 1:
            # One long attempt: nothing to close yet. Past MAX_EVENTS_PER_ATTEMPT keep its head and tail
            # and count the rest; look again after COMPACT_AT more events.
            a = attempts[0]
            dropped = a.dropped_events  # (counts split_attempts took off the events: put them back)
            acc.open_events = a.events
            if len(a.events) > MAX_EVENTS_PER_ATTEMPT:
                keep = MAX_EVENTS_PER_ATTEMPT // 2
                dropped += len(a.events) - 2 * keep
                acc.open_events = a.events[:keep] + a.events[-keep:]
            _carry_drop(acc.open_events, dropped)
            acc.compact_at = len(acc.open_events) + COMPACT_AT
            return
        # Attempts that ended within REORDER_S of the newest event stay open with the last one: a record
        # still to come may sort before their end (AC records carry whole seconds, AP records milliseconds).
        newest = attempts[-1].end
        keep = len(attempts) - 1
        while (
            keep > 0 and len(attempts) - keep < MAX_OPEN_ATTEMPTS and _ends_after(attempts[keep - 1], newest)
        ):
            keep -= 1
        done = attempts[:keep]
        acc.open_events = [e for a in attempts[keep:] for e in _with_drop(a)]
        acc.compact_at = len(acc.open_events) + COMPACT_AT
        if not done:  # nothing old enough to close yet
            return
        for a in done:
            finish_attempt(a)
            acc.closed.append(a)
        self._shrink(acc.station, acc.closed)
        acc.closed = _cap(acc, acc.closed)

    def _shrink(self, station: str, attempts: list[Attempt], healthy: bool = True) -> None:
        if station != self.whole_station:
            _shrink(attempts, healthy)

    def build(self) -> Timelines:
        stations: dict[str, StationTimeline] = {}
        for station, acc in self._acc.items():
            attempts = list(acc.closed)
            for a in split_attempts(acc.open_events, self.clock_skew_s):
                finish_attempt(a)
                attempts.append(a)
            _attach_summaries(attempts, acc.summaries)
            attempts = _cap(acc, attempts)
            # Failed attempts past the latest KEEP_FAILED are shrunk whether or not compaction reached them
            # (so the result does not depend on where it last ran).
            self._shrink(station, attempts, healthy=False)
            for i, a in enumerate(attempts, acc.attempts_dropped + 1):
                a.number = i
                if len(a.events) > MAX_EVENTS_PER_ATTEMPT:
                    a.dropped_events += len(a.events) - MAX_EVENTS_PER_ATTEMPT
                    half = MAX_EVENTS_PER_ATTEMPT // 2
                    a.events = a.events[:half] + a.events[-half:]
            stations[station] = StationTimeline(
                station=station,
                attempts=attempts,
                ssids=acc.ssids,
                aps=acc.aps,
                sources=acc.sources,
                attempts_dropped=acc.attempts_dropped,
                dropped_outcomes=dict(acc.dropped_outcomes),
            )
        return Timelines(stations=dict(sorted(stations.items())), global_events=self._globals)


def _cap(acc: _StationAcc, attempts: list[Attempt]) -> list[Attempt]:
    """Keep the latest MAX_ATTEMPTS attempts; count the older ones by outcome."""
    if len(attempts) <= MAX_ATTEMPTS:
        return attempts
    old = attempts[:-MAX_ATTEMPTS]
    acc.attempts_dropped += len(old)
    for a in old:
        acc.dropped_outcomes[str(a.outcome)] = acc.dropped_outcomes.get(str(a.outcome), 0) + 1
    return attempts[-MAX_ATTEMPTS:]


def _ends_after(a: Attempt, newest: float | None) -> bool:
    end = a.end
    return newest is not None and end is not None and end >= newest - REORDER_S


def _with_drop(a: Attempt) -> list[Event]:
    """An attempt's events put back in the open list, its dropped count carried on the first one."""
    _carry_drop(a.events, a.dropped_events)
    return a.events


def _carry_drop(events: list[Event], n: int) -> None:
    # Counted on the next attempt split from these events (split_attempts takes it off again).
    if n and events:
        events[0].attrs["_dropped_before"] = events[0].attrs.get("_dropped_before", 0) + n


def _shrink(closed: list[Attempt], healthy: bool = True) -> None:
    """Keep events only where they matter: the latest failed attempts.

    An older failed attempt keeps its first and last event (its times, and the end the report shows).
    An older healthy attempt keeps its first event (where a station is first heard: its signal, which
    the rules look at across attempts) and its times; the report lists no events for it.  ``healthy``
    False leaves healthy attempts as they are."""
    failed_seen = 0
    for a in reversed(closed):
        if a.outcome == Outcome.ONLINE:
            if healthy and len(a.events) > 1:
                a.span = (a.start, a.end)
                a.dropped_events += len(a.events) - 1
                a.events = a.events[:1]
        elif failed_seen >= KEEP_FAILED:
            if len(a.events) > 2:
                a.dropped_events += len(a.events) - 2
                a.events = [a.events[0], a.events[-1]]
        else:
            failed_seen += 1


def _time_key(e: Event) -> tuple[float, int]:
    return (e.time if e.time is not None else float("-inf"), e.seq)


def split_attempts(events: list[Event], clock_skew_s: float = 0.0) -> list[Attempt]:
    """Split one station's events into attempts (events are ordered by time, then source order).

    Several sources (AP log, client log, capture) see the same attempt: another source's report of the
    end, soon after it, belongs to the ended attempt; and with a clock skew allowed, another source's
    event that seems to step back to an earlier stage within the skew is that source's clock, not a retry.
    """
    ordered = sorted(events, key=_time_key)
    attempts: list[Attempt] = []
    cur: Attempt | None = None
    ended_at: float | None = None  # time of the terminal/success event that closed ``cur``
    ended_by = ""  # the source that reported the end
    furthest = -1
    furthest_source, furthest_time = "", 0.0
    connected = False  # the current attempt completed its key exchange
    group_done = False  # the current attempt completed a group key exchange
    last_time: float | None = None
    gap = ATTEMPT_GAP_S + clock_skew_s
    for e in ordered:
        info = KINDS[e.kind]
        idx = STAGE_INDEX[e.stage]
        src = e.ref.source
        new = cur is None
        if not new and ended_at is not None:
            late = e.time is not None and e.time - ended_at > TEARDOWN_WINDOW_S + clock_skew_s
            new = (
                info.role in (PROGRESS, SUCCESS)
                or late
                or (info.role == TERMINAL and e.kind not in GENERIC_TERMINAL)
            )
            if not late and (info.role == TEARDOWN or (src != ended_by and e.kind not in RESTART_KINDS)):
                new = False
        elif not new:
            # Another source's view of a stage already passed, this close to it: the same exchange seen
            # from the other side (the client's EAP-Success a tenth of a millisecond after the AP's
            # "connected"), not a retry.
            skewed = (
                src != furthest_source
                and e.time is not None
                and abs(e.time - furthest_time) <= clock_skew_s + SAME_EXCHANGE_S
            )
            new = (
                (not skewed and e.kind in ENTRY_KINDS and furthest > idx)
                # back to an earlier stage; but not the keys' completion told once more (hostapd prints
                # AP-STA-CONNECTED and "pairwise key handshake completed" in either order)
                or (
                    not skewed
                    and info.role == PROGRESS
                    and furthest > idx
                    and not (connected and e.kind in CONNECTED_KINDS)
                )
                or (connected and e.kind in RESTART_KINDS and not skewed)  # keys agreed; a new exchange
                # a group key exchange after a completed one: a rekey (reported for a station whose join
                # the log does not show), which the station may leave unanswered
                or (group_done and e.kind == "group.m1.sent" and not skewed)
                or (last_time is not None and e.time is not None and e.time - last_time > gap)
            )
        if new:
            cur = Attempt(number=len(attempts) + 1)
            attempts.append(cur)
            ended_at = None
            furthest = -1
            connected = False
            group_done = False
        assert cur is not None
        dropped = e.attrs.pop("_dropped_before", 0) if e.attrs else 0
        cur.dropped_events += dropped
        cur.events.append(e)
        if info.role in (PROGRESS, SUCCESS) and idx >= furthest:
            furthest = idx
            furthest_source, furthest_time = src, e.time if e.time is not None else furthest_time
        if e.kind in CONNECTED_KINDS:
            connected = True
        if e.kind == "group.m2.received":
            group_done = True
        if info.role in (TERMINAL, SUCCESS) and ended_at is None:
            ended_at = e.time if e.time is not None else (last_time or 0.0)
            ended_by = src
        if e.time is not None:
            last_time = e.time
    return attempts


def finish_attempt(a: Attempt) -> None:
    """Decide outcome, furthest stage reached and the failing stage of a built attempt."""
    reached = -1
    fail_idx = -1
    connected_at = -1
    last_failure_at = -1
    terminal = False
    success = False
    for i, e in enumerate(a.events):
        role = KINDS[e.kind].role
        idx = STAGE_INDEX[e.stage]
        if role in (PROGRESS, SUCCESS):
            reached = max(reached, idx)
        if role == SUCCESS:
            success = True
        if e.kind in CONNECTED_KINDS:
            connected_at = i
        if role == SUMMARY and not e.attrs.get("reason"):
            # a record that names no reason (a wrapped or an older client line) says the attempt failed,
            # not where: the stage is taken from how far it got
            terminal = True
            last_failure_at = i
        elif role in (FAILURE, SUMMARY) or (role == TERMINAL and e.kind not in GENERIC_TERMINAL):
            fail_idx = max(fail_idx, idx)
            last_failure_at = i
        reason_stage = REASON_STAGE.get(e.attrs.get("reason")) if e.kind in _LEAVING else None  # type: ignore[arg-type]
        if reason_stage is not None:
            fail_idx = max(fail_idx, stage_index(reason_stage))
            last_failure_at = i
            terminal = True
        if role == TERMINAL:
            terminal = True
            last_failure_at = i
    a.reached = STAGES[reached] if reached >= 0 else None
    # Connected at layer 2 but DHCP begun and not acknowledged: not online yet.
    dhcp_open = (
        connected_at >= 0
        and any(e.kind.startswith("dhcp.") and e.kind != "dhcp.ack" for e in a.events[connected_at + 1 :])
        and not any(e.kind == "dhcp.ack" for e in a.events[connected_at + 1 :])
    )
    if dhcp_open and not success and fail_idx < 0 and not terminal:
        a.outcome, a.failed_stage = Outcome.INCOMPLETE, None
    elif success or (connected_at >= 0 and connected_at > last_failure_at and not dhcp_open):
        a.outcome = Outcome.ONLINE
        a.failed_stage = None
        a.reached = Stage.ONLINE if success else a.reached
    elif fail_idx < 0 and not terminal and server_accepted(a):
        # A RADIUS server's own log ends at the Access-Accept: the furthest this input can see.  Online as
        # far as the server shows (``online_evidence`` "accepted"; the keys and the address are beyond it).
        a.outcome = Outcome.ONLINE
        a.failed_stage = None
    elif fail_idx >= 0 or terminal:
        a.outcome = Outcome.FAILED
        if fail_idx >= 0:
            a.failed_stage = STAGES[fail_idx]
        elif a.reached == Stage.ASSOCIATION and _removed_after(a, "assoc.response"):
            # associated, then removed before any key was agreed: what failed is the stage that follows
            # (hostapd at info level, a client's kernel log: the handshake itself is not logged)
            eap = any(e.stage == Stage.DOT1X for e in a.events)
            a.failed_stage = Stage.DOT1X if eap else Stage.FOURWAY
        elif a.reached == Stage.DOT1X and _removed_after(a, "eap.success"):
            # 802.1X succeeded, then the station was removed with no key agreed: the 4-way handshake failed
            a.failed_stage = Stage.FOURWAY
        else:
            a.failed_stage = a.reached or Stage.ASSOCIATION
    else:
        a.outcome = Outcome.INCOMPLETE
        a.failed_stage = None


SERVER_DAEMONS = frozenset(("freeradius",))


def server_accepted(a: Attempt) -> bool:
    """Every event of the attempt is from a RADIUS server's log, and the last says Access-Accept."""
    return (
        bool(a.events)
        and a.events[-1].kind == "radius.accept"
        and all(e.attrs.get("daemon") in SERVER_DAEMONS for e in a.events)
    )


# Reasons a station gives when it leaves on its own (3 leaving, 8 leaving the BSS): not a failure of the
# stage after association.
_LEFT_ON_ITS_OWN = frozenset((3, 8))


def _removed_after(a: Attempt, passed: str) -> bool:
    """The attempt passed a stage (``passed``: its association accepted, its 802.1X succeeded) and the station
    was then removed (deauthenticated or disassociated), not by its own choice to leave."""
    accepted = False
    for e in a.events:
        if e.kind == passed:
            accepted = True
        elif accepted and e.kind in _LEAVING:
            by, reason = e.attrs.get("by"), e.attrs.get("reason")
            return not (by == "sta" and reason in _LEFT_ON_ITS_OWN)
    return False


SUMMED_UP_WITHIN_S = 30.0  # a client's record of a failure comes this soon after the attempt it sums up


def _just_failed(attempts: list[Attempt], s: Event) -> Attempt | None:
    """The failed attempt that ended at most SUMMED_UP_WITHIN_S before a client's summary record."""
    if s.attrs.get("daemon") != "wpa_supplicant":
        return None
    for a in reversed(attempts):
        if a.outcome != Outcome.FAILED:
            continue
        end = a.end
        if end is None or s.time is None:
            return a if end is None and s.time is None else None
        return a if 0 <= s.time - end <= SUMMED_UP_WITHIN_S else None
    return None


def _attach_summaries(attempts: list[Attempt], summaries: list[Event]) -> None:
    """Put each controller summary record on the failed attempt it describes.

    A record such as an online-fail-record carries its own (last) time, usually not the time of the trace
    the engineer captured later; it belongs with the failed attempt at the same stage, nearest in time.
    Without one, it describes an attempt of its own.
    """
    for s in sorted(summaries, key=_time_key):
        target: Attempt | None = None
        best = float("inf")
        for a in attempts:
            if a.outcome == Outcome.ONLINE:
                continue
            if a.failed_stage not in (None, s.stage):
                continue
            start = a.start
            dist = abs(start - s.time) if start is not None and s.time is not None else 0.0
            if dist < best:
                best, target = dist, a
        same_stage = target is not None
        if target is None:
            # a client's own record of what just failed (wpa_supplicant's SSID-TEMP-DISABLED) may name
            # another stage than the failure its lines showed: it sums up the attempt that just ended
            target = _just_failed(attempts, s)
        if target is None:
            target = Attempt(number=len(attempts) + 1)
            attempts.append(target)
            attempts.sort(key=lambda at: at.start if at.start is not None else s.time or 0.0)
        target.events.append(s)
        target.events.sort(key=_time_key)
        finish_attempt(target)
        if same_stage and target.failed_stage != s.stage and target.outcome == Outcome.FAILED:
            # The record states the stage outright; trust it over inference from partial traces.
            target.failed_stage = s.stage
