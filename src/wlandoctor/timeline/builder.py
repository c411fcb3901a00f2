"""Group events by station, order them, split attempts, and decide how far each attempt got.

Memory is bounded by the number of stations, not by the size of the input: when a station's open event
list grows past COMPACT_AT, its closed attempts are finalised and compacted (healthy attempts keep no
events, at most KEEP_FAILED failed attempts keep theirs, each capped at MAX_EVENTS_PER_ATTEMPT).  Every
event dropped that way is counted in ``Attempt.dropped_events``.

On inputs of many stations (more than SUMMARISE_ABOVE) the stations are also swept now and then: a station
silent for SETTLED_S in every input that names it has final attempts (any later event of it starts a new
one), and those that got online with nothing notable are kept as summaries (timeline/healthy.py): a few
hundred bytes instead of some kilobytes of events.  What the text, Markdown and JSON reports write is the
same either way; the HTML report and ``--events`` list healthy stations' events, so they keep them
(``keep_healthy``).  The sets of names of a station (SSIDs, APs, inputs) are frozen and shared among the
stations that have the same ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wlandoctor.model import STAGE_INDEX, STAGES, Attempt, Event, Outcome, Stage, StationTimeline, stage_index
from wlandoctor.model.kinds import FAILURE, KINDS, PROGRESS, SUCCESS, SUMMARY, TEARDOWN, TERMINAL
from wlandoctor.timeline.healthy import (
    CONNECTED,
    LEFT_ON_ITS_OWN,
    REASON_STAGE,
    cut_short,
    server_accepted,
    summarise,
    summary_of,
    weak,
    wlan_keys,
)
from wlandoctor.timeline.retries import credentials_failed
from wlandoctor.util.mac import is_group_mac

COMPACT_AT = 16  # open events per station before older attempts are closed (memory bound)
MAX_EVENTS_PER_ATTEMPT = 200
KEEP_FAILED = 3
MAX_ATTEMPTS = 16  # attempts kept per station; older ones are counted by outcome
MAX_SUMMARIES = 32
MAX_GLOBALS = 200
SUMMARISE_ABOVE = 20_000  # stations held before healthy ones are summarised (below, every event is kept)
DEFAULT_MAX_STATIONS = 1_000_000  # stations held before healthy ones are counted, not listed (--max-stations)
SWEEP_EVERY = 65_536  # events between two sweeps, at least,
SWEEP_PER_WAITING = 0.5  # and half as many as stations still waiting (sweeps cost a bounded share)
_NEVER = float("-inf")
MAX_SHARED_NAMES = 65_536  # distinct name sets shared among stations; past that each keeps its own
ATTEMPT_GAP_S = 120.0  # silence after which a station's next event starts a new attempt
REORDER_S = 5.0  # records may reach the log this much out of time order; attempts stay open as long
MAX_OPEN_ATTEMPTS = 4  # (but no more than these: a station retrying many times a second stays bounded)
SAME_EXCHANGE_S = 1.0  # another source's report of a stage already reached, this soon after: same attempt
TEARDOWN_WINDOW_S = 10.0  # clean-up events this soon after an end belong to the ended attempt
# Silence (in every input naming a station) after which its attempts are final: any later event of it is
# more than ATTEMPT_GAP_S after its last and so starts a new attempt, even REORDER_S out of order.
SETTLED_S = ATTEMPT_GAP_S + REORDER_S

# Events that begin an onboarding; seen after an attempt got further, they start a new attempt.
ENTRY_KINDS = frozenset({"probe.request", "auth.request", "sae.commit", "assoc.request", "eapol.start"})
# Events that start a key exchange or authentication anew; after a completed one they begin a new attempt.
RESTART_KINDS = ENTRY_KINDS | {"eapol.m1.sent", "eap.identity.request"}
# Events after which the key exchange is known to have worked.
CONNECTED_KINDS = CONNECTED
# Terminal kinds that do not tell the stage by themselves (the stage is where the station was).
GENERIC_TERMINAL = frozenset({"sta.deleted", "sta.deauth"})
# A key exchange completed, or the station said online, again by the source that saw the connection, with
# no end, failure or new entry since: the keys renewed within the connection (a Windows client's
# 11010/11005 in the middle of a session, NCSI's Internet after it), part of that attempt however late.
RENEWAL_KINDS = frozenset({"handshake.success", "sta.online"})
# The end of a connection told after it (the AP's AP-STA-DISCONNECTED or disassociation an hour later):
# it ends the connected attempt, however long after, rather than starting an attempt of its own.
SESSION_END = frozenset({"sta.offline", "sta.disassoc", "sta.teardown"})
_LEAVING = frozenset({"sta.deauth", "sta.disassoc"})


@dataclass(slots=True)
class _StationAcc:
    # (one per station, a hundred thousand of them: what most stations never need is None until needed)
    station: str
    open_events: list[Event] = field(default_factory=list)
    closed: list[Attempt] | None = None
    summaries: list[Event] | None = None
    summaries_dropped: int = 0
    ssids: frozenset[str] = frozenset()
    aps: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    attempts_dropped: int = 0
    dropped_outcomes: dict[str, int] | None = None
    compact_at: int = 0  # open events at which to compact next (COMPACT_AT when made)
    newest: float | None = None  # the latest time of its events
    summarised_until: float | None = None  # the end of its latest summarised attempt
    waiting: bool = True  # has events not yet looked at by a sweep


@dataclass(slots=True)
class Counted:
    """Stations that got online, counted and not kept, past the builder's station limit."""

    online: int = 0
    completed_by_wlan: Counter[str] = field(default_factory=Counter)  # (what the rules' contexts count)


@dataclass(slots=True)
class Timelines:
    """The result of building: one timeline per station, plus events tied to no station, plus the stations
    counted and not kept (over the station limit)."""

    stations: dict[str, StationTimeline]
    global_events: list[Event]
    counted: Counted = field(default_factory=Counted)


class TimelineBuilder:
    def __init__(
        self,
        clock_skew_s: float = 0.0,
        whole_station: str | None = None,
        keep_healthy: bool = False,
        summarise_above: int | None = None,
        max_stations: int | None = None,
    ) -> None:
        """``whole_station``: the station asked for by name, whose kept attempts keep all their events (still
        at most MAX_ATTEMPTS of them, each capped at MAX_EVENTS_PER_ATTEMPT); the others are built as usual,
        as the context of its diagnosis.  ``keep_healthy``: no station is summarised (for reports that list
        healthy stations' events).  ``summarise_above``: stations held before sweeps begin.
        ``max_stations``: stations held at most; past it, stations kept as summaries are counted and let
        go, oldest first (``Timelines.counted``): memory stops growing with stations."""
        self._acc: dict[str, _StationAcc] = {}
        self._globals: list[Event] = []
        self.clock_skew_s = clock_skew_s
        self.whole_station = whole_station
        self.keep_healthy = keep_healthy
        self._names: dict[frozenset[str], frozenset[str]] = {}
        self._grown_by: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self._newest: dict[str, float] = {}  # input -> the latest time of its events so far
        self._waiting: dict[str, None] = {}  # stations with events no sweep has looked at (in order)
        self._summarise_above = SUMMARISE_ABOVE if summarise_above is None else summarise_above
        self._added = 0  # station events added
        self._next_sweep = SWEEP_EVERY if not keep_healthy else 1 << 62
        self.summarised = 0  # attempts kept as summaries (timeline/healthy.py)
        # input -> stations it names at times of attempts already summarised from other inputs (which a
        # run keeping every event would have merged with them): said on that input, never silent
        self.overlaps: dict[str, int] = {}
        self._disordered: set[str] = set()  # inputs whose times went back more than REORDER_S
        self.max_stations = max_stations
        self.counted = Counted()
        # station counted -> its attempts and WLAN keys (should it come back)
        self._counted_attempts: dict[str, tuple[int, frozenset[str]]] = {}
        self._keys: dict[frozenset[str], frozenset[str]] = {}  # (shared, as the name sets are)

    def add(self, event: Event) -> None:
        station = event.station
        if not station or is_group_mac(station):  # (a broadcast or multicast address is no station)
            if len(self._globals) < MAX_GLOBALS:
                self._globals.append(event)
            return
        self._added += 1
        if self._added >= self._next_sweep:
            self._sweep()
        acc = self._acc.get(station)
        if acc is None:
            acc = self._acc[station] = _StationAcc(station, compact_at=COMPACT_AT)
            self._waiting[station] = None
            if self._counted_attempts:
                self._uncount(acc)
        elif not acc.waiting:
            acc.waiting = True
            self._waiting[station] = None
        src = event.ref.source
        t = event.time
        role = KINDS[event.kind].role
        # (a summary record carries the time it sums up, often minutes back: not a clock going back)
        if t is not None and role != SUMMARY:
            latest = self._newest.get(src)
            if latest is None or t > latest:
                self._newest[src] = t
            elif t < latest - REORDER_S - self.clock_skew_s:
                self._disordered.add(src)  # (its stations' attempts are never final before the end)
            if acc.newest is None or t > acc.newest:
                acc.newest = t
        if (
            event.kind in SESSION_END
            and acc.summarised_until is not None
            and not acc.open_events
            and acc.closed
            and acc.closed[-1].online_by is not None
        ):
            # (the end of the summarised connection: the attempt a run keeping every event puts it in)
            _end_session(acc.closed[-1], event)
            self._names_of(acc, event, src)
            return
        self._names_of(acc, event, src)
        until = acc.summarised_until
        if (
            until is not None
            and (t is None or t <= until + ATTEMPT_GAP_S + self.clock_skew_s)  # (no time: it sorts first)
            and _overlaps_summary(acc.closed or [], t, self.clock_skew_s)
        ):
            self.overlaps[src] = self.overlaps.get(src, 0) + 1
        if role == SUMMARY:
            if acc.summaries is None:
                acc.summaries = []
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

    def _names_of(self, acc: _StationAcc, event: Event, src: str) -> None:
        if event.ssid and event.ssid not in acc.ssids:
            acc.ssids = self._grown(acc.ssids, event.ssid)
        # (not a cached key's AP: wpa_supplicant keeps PMKSA entries for every AP of the network it heard or
        # pre-authenticated with, which the station never joined)
        if (
            event.ap
            and event.ap not in acc.aps
            and not is_group_mac(event.ap)
            and event.kind != "pmksa.cache"
        ):
            acc.aps = self._grown(acc.aps, event.ap)
        if src not in acc.sources:
            acc.sources = self._grown(acc.sources, src)

    def _grown(self, names: frozenset[str], name: str) -> frozenset[str]:
        """``names`` with ``name`` added, as the one shared instance of that set (remembered by the pair:
        a hundred thousand stations heard on the same AP make no set each)."""
        pair = (names, name)
        known = self._grown_by.get(pair)
        if known is not None:
            return known
        grown = names | {name}
        shared = self._names.get(grown)
        if shared is None:
            shared = grown
            if len(self._names) < MAX_SHARED_NAMES:
                self._names[grown] = grown
        if len(self._grown_by) < MAX_SHARED_NAMES:
            self._grown_by[pair] = shared
        return shared

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
        self._close(acc, done)
        if acc.station != self.whole_station:
            _shrink(acc.closed or [])

    def _close(self, acc: _StationAcc, done: list[Attempt]) -> None:
        closed = acc.closed if acc.closed is not None else []
        for a in done:
            finish_attempt(a)
            closed.append(a)
        acc.closed = _cap(acc, closed)

    def _sweep(self) -> None:
        """Close the attempts of the stations that have been silent for SETTLED_S in every input naming
        them, and summarise those that got online with nothing notable.  Runs every SWEEP_EVERY events (and
        at least SWEEP_PER_WAITING per station still waiting: the sweeps cost a bounded share of adding)."""
        waiting = self._waiting
        self._next_sweep = self._added + max(SWEEP_EVERY, int(SWEEP_PER_WAITING * len(waiting)))
        if len(self._acc) < self._summarise_above:
            return
        # an input's events up to this time are final (any later one of theirs comes SETTLED_S later)
        final = {src: t - SETTLED_S - self.clock_skew_s for src, t in self._newest.items()}
        disordered = self._disordered
        for station in list(waiting):
            acc = self._acc[station]
            newest = acc.newest
            if newest is None or station == self.whole_station:
                continue  # (no time to judge silence by; or all its events are wanted)
            if any(newest >= final.get(src, _NEVER) or src in disordered for src in acc.sources):
                continue
            del waiting[station]
            acc.waiting = False
            if not acc.open_events or acc.summaries:
                continue
            # Only a station whose every new attempt got online with nothing notable is touched: the
            # others are left exactly as they were (their attempts are split at the end, as always).
            attempts = split_attempts(acc.open_events, self.clock_skew_s)
            for a in attempts:
                finish_attempt(a)
            hows = [summary_of(a) for a in attempts]
            if None in hows:
                _put_back(attempts)
                continue
            acc.open_events.clear()
            acc.compact_at = COMPACT_AT
            for a, how in zip(attempts, hows, strict=True):
                summarise(a, how)  # type: ignore[arg-type]
            self.summarised += len(attempts)
            acc.summarised_until = newest
            acc.closed = _cap(acc, [*(acc.closed or ()), *attempts])
        if self.max_stations is not None and len(self._acc) > self.max_stations:
            self._count_out(self.max_stations)

    def _count_out(self, limit: int) -> None:
        """Let go of stations kept as summaries only (online, every attempt summarised, nothing open),
        oldest first, down to nine tenths of ``limit``; count them."""
        goal = limit - limit // 10
        for station in list(self._acc):
            if len(self._acc) <= goal:
                break
            acc = self._acc[station]
            if (
                acc.waiting
                or acc.open_events
                or acc.summaries
                or not acc.closed
                or station == self.whole_station
                or any(a.online_by is None for a in acc.closed)
            ):
                continue
            del self._acc[station]
            keys = frozenset(wlan_keys(acc.ssids, acc.aps))
            self.counted.online += 1
            self.counted.completed_by_wlan.update(keys)
            if len(self._keys) < MAX_SHARED_NAMES:
                keys = self._keys.setdefault(keys, keys)
            self._counted_attempts[station] = (len(acc.closed) + acc.attempts_dropped, keys)

    def _uncount(self, acc: _StationAcc) -> None:
        """A station counted earlier is heard of again: listed from now on, its earlier attempts counted on
        it (online, not kept), no longer in the count."""
        counted = self._counted_attempts.pop(acc.station, None)
        if counted is not None:
            n, keys = counted
            self.counted.online -= 1
            self.counted.completed_by_wlan.subtract(keys)  # (its timeline counts it from now on)
            acc.attempts_dropped = n
            acc.dropped_outcomes = {Outcome.ONLINE.value: n}

    def build(self) -> Timelines:
        stations: dict[str, StationTimeline] = {}
        # in station order, each station's accumulator let go as its timeline is made (no second copy of
        # a million stations at once)
        for station in sorted(self._acc):
            acc = self._acc.pop(station)
            attempts = list(acc.closed or ())
            for a in split_attempts(acc.open_events, self.clock_skew_s):
                finish_attempt(a)
                attempts.append(a)
            _attach_summaries(attempts, acc.summaries or [])
            attempts = _cap(acc, attempts)
            # Failed attempts past the latest KEEP_FAILED are shrunk whether or not compaction reached them
            # (so the result does not depend on where it last ran).
            if station != self.whole_station:
                _shrink(attempts, healthy=False)
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
                dropped_outcomes=dict(acc.dropped_outcomes or {}),
            )
        self._waiting.clear()
        return Timelines(stations=stations, global_events=self._globals, counted=self.counted)


def _cap(acc: _StationAcc, attempts: list[Attempt]) -> list[Attempt]:
    """Keep the latest MAX_ATTEMPTS attempts; count the older ones by outcome."""
    if len(attempts) <= MAX_ATTEMPTS:
        return attempts
    old = attempts[:-MAX_ATTEMPTS]
    acc.attempts_dropped += len(old)
    outcomes = acc.dropped_outcomes if acc.dropped_outcomes is not None else {}
    for a in old:
        outcomes[str(a.outcome)] = outcomes.get(str(a.outcome), 0) + 1
    acc.dropped_outcomes = outcomes
    return attempts[-MAX_ATTEMPTS:]


def _end_session(a: Attempt, e: Event) -> None:
    """A summarised connected attempt takes the event that ends its connection: kept (one event), its end
    moved to it, as splitting every event would have put it there."""
    start, end = a.span or (None, None)
    if e.time is not None and (end is None or e.time > end):
        end = e.time
    a.span = (start, end)
    a.events.append(e)


def _overlaps_summary(closed: list[Attempt], t: float | None, skew: float) -> bool:
    """A time within ATTEMPT_GAP_S of a summarised attempt, or no time (where another input's event would
    have joined it had its events been kept)."""
    gap = ATTEMPT_GAP_S + skew
    for a in closed:
        if a.online_by is not None and a.span is not None:
            if t is None:
                return True
            start, end = a.span
            if start is not None and end is not None and start - gap <= t <= end + gap:
                return True
    return False


def _ends_after(a: Attempt, newest: float | None) -> bool:
    end = a.end
    return newest is not None and end is not None and end >= newest - REORDER_S


def _with_drop(a: Attempt) -> list[Event]:
    """An attempt's events put back in the open list, its dropped count carried on the first one."""
    _carry_drop(a.events, a.dropped_events)
    return a.events


def _put_back(attempts: list[Attempt]) -> None:
    """Undo what splitting took off the open events (the counts of events dropped before them)."""
    for a in attempts:
        _carry_drop(a.events, a.dropped_events)


def _carry_drop(events: list[Event], n: int) -> None:
    # Counted on the next attempt split from these events (split_attempts takes it off again).
    if n and events:
        events[0].attrs["_dropped_before"] = events[0].attrs.get("_dropped_before", 0) + n


def _shrink(closed: list[Attempt], healthy: bool = True) -> None:
    """Keep events only where they matter: the latest failed attempts.

    An older failed attempt keeps its first and last event (its times, and the end the report shows).
    An older healthy attempt keeps its first event (where a station is first heard) and its times; the
    report lists no events for it.  Both keep the events that report a weak signal, which the rules look
    at across attempts.  ``healthy`` False leaves healthy attempts as they are.  The latest attempt whose
    credentials failed keeps its events too: the retries after it may be judged by it
    (timeline/retries.py)."""
    refused = next((a for a in reversed(closed) if credentials_failed(a)), None)
    failed_seen = 0
    for a in reversed(closed):
        if a.outcome == Outcome.ONLINE:
            if healthy and len(a.events) > 1:
                a.span = (a.start, a.end)
                _keep(a, 1)
        elif failed_seen >= KEEP_FAILED:
            if len(a.events) > 2 and a is not refused:
                _keep(a, 2)
        else:
            failed_seen += 1


def _keep(a: Attempt, ends: int) -> None:
    """Keep the first event (and the last, ``ends`` 2) and those reporting a weak signal; count the rest."""
    last = len(a.events) - 1
    kept = [e for i, e in enumerate(a.events) if i == 0 or (ends == 2 and i == last) or weak(e)]
    a.dropped_events += len(a.events) - len(kept)
    a.events = kept


def _time_key(e: Event) -> tuple[float, int]:
    return (e.time if e.time is not None else float("-inf"), e.seq)


WHOLE_SECOND_LAST = 0.999  # where in its second a whole-second stamp is placed among finer ones


def _merge_key(events: list[Event]) -> Callable[[Event], tuple[float, int]]:
    """How to order one station's events: by time, then by the order of their source.  A source that stamps
    whole seconds only (a controller's log, a syslog server) beside one that stamps fractions (an AP's frame
    trace, a capture) has each of its events placed at the end of its second: a log line is written when
    what it tells is done, after the frames of that second (an AP's rejection at 11:21:08 comes after the
    SAE frames at 11:21:08.080, not before them).  A reader whose one input mixes both (Aruba's syslog lines
    among its frame rows) marks its whole-second events (attr ``time_to_second``)."""
    fine: set[str] = set()
    coarse: set[str] = set()
    marked = False
    for e in events:
        if e.time is None:
            continue
        if e.attrs.get("time_to_second"):
            marked = True
        elif e.time != int(e.time):
            fine.add(e.ref.source)
        else:
            coarse.add(e.ref.source)
    whole = coarse - fine
    if not fine or not (whole or marked):
        return _time_key

    def key(e: Event) -> tuple[float, int]:
        if e.time is None:
            return (float("-inf"), e.seq)
        if e.ref.source in whole or e.attrs.get("time_to_second"):
            return (e.time + WHOLE_SECOND_LAST, e.seq)
        return (e.time, e.seq)

    return key


def split_attempts(events: list[Event], clock_skew_s: float = 0.0) -> list[Attempt]:
    """Split one station's events into attempts (events are ordered by time, then source order).

    Several sources (AP log, client log, capture) see the same attempt: another source's report of the
    end, soon after it, belongs to the ended attempt; and with a clock skew allowed, another source's
    event that seems to step back to an earlier stage within the skew is that source's clock, not a retry.
    """
    ordered = sorted(events, key=_merge_key(events))
    attempts: list[Attempt] = []
    cur: Attempt | None = None
    ended_at: float | None = None  # time of the terminal/success event that closed ``cur``
    ended_by = ""  # the source that reported the end
    furthest = -1
    furthest_source, furthest_time = "", 0.0
    furthest_daemon: object = None  # the program whose line took the attempt furthest
    connected = False  # the current attempt completed its key exchange
    connected_by = ""  # the source that said so
    torn_down = False  # the connection ended, failed or started over since
    group_done = False  # the current attempt completed a group key exchange
    failed = ""  # the source of a failure (a timeout, a rejection) the current attempt holds
    last_time: float | None = None
    # the attempt's own id when its source names one (a Windows client's ConnectionId): another id from the
    # same source is another attempt, whatever the stages say
    key: object = None
    key_source = ""
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
            if connected and e.kind in SESSION_END:
                new = False
            if connected and not torn_down and e.kind in RENEWAL_KINDS and src == connected_by:
                new = False  # (the keys renewed within the connection, however long after: no new join)
        elif not new:
            # Another source's view of a stage already passed, this close to it: the same exchange seen
            # from the other side (the client's EAP-Success a tenth of a millisecond after the AP's
            # "connected"), not a retry.
            skewed = (
                src != furthest_source
                and e.time is not None
                and abs(e.time - furthest_time) <= clock_skew_s + SAME_EXCHANGE_S
            )
            # Another program of the same log telling a step already passed, in the same moment: the
            # kernel's "authenticated" written after wpa_supplicant's "Trying to associate" that it caused
            # (programs write to syslog in their own order).  A step's answer only: a new request starts
            # an attempt whoever logs it.
            daemon = e.attrs.get("daemon") if e.attrs else None
            answered_late = (
                daemon is not None
                and furthest_daemon is not None
                and daemon != furthest_daemon
                and e.kind not in ENTRY_KINDS
                and e.time is not None
                and abs(e.time - furthest_time) <= SAME_EXCHANGE_S
            )
            new = (
                (not skewed and e.kind in ENTRY_KINDS and furthest > idx)
                # back to an earlier stage; but not the keys' completion told once more (hostapd prints
                # AP-STA-CONNECTED and "pairwise key handshake completed" in either order)
                or (
                    not skewed
                    and not answered_late
                    and info.role == PROGRESS
                    and furthest > idx
                    and not (connected and e.kind in CONNECTED_KINDS)
                )
                or (connected and e.kind in RESTART_KINDS and not skewed)  # keys agreed; a new exchange
                # a group key exchange after a completed one: a rekey (reported for a station whose join
                # the log does not show), which the station may leave unanswered
                or (group_done and e.kind == "group.m1.sent" and not skewed)
                # the station starting over after a failure its own log told ("authentication ... timed
                # out", then "authenticate with" / "start auth" again): a new attempt
                or (failed == src and e.kind in ENTRY_KINDS and not skewed)
                # ... or scanning anew after it and not finding the network (ESP-IDF's reason 201 after an
                # authentication that timed out): that scan is the next attempt's, not the failed one's
                or (failed == src and e.kind == "network.not_found" and furthest > idx and not skewed)
                or (
                    last_time is not None
                    and e.time is not None
                    and e.time - last_time > gap
                    and not (connected and e.kind in SESSION_END)
                    # the end of an association that nothing in the inputs shows failing (a client's kernel
                    # log says "associated" and never tells the keys): the connection's end, however late
                    and not (
                        e.kind in _LEAVING
                        and src == furthest_source
                        and furthest >= STAGE_INDEX[Stage.ASSOCIATION]
                        and not failed
                    )
                )
            )
        attempt_id = e.attrs.get("attempt_id") if e.attrs else None
        if attempt_id is not None and key is not None and src == key_source and attempt_id != key:
            new = True
        if new:
            cur = Attempt(number=len(attempts) + 1)
            attempts.append(cur)
            key = None
            ended_at = None
            furthest = -1
            furthest_daemon = None
            connected = False
            group_done = False
            failed = ""
            torn_down = False
        assert cur is not None
        if attempt_id is not None and key is None:
            key, key_source = attempt_id, src
        dropped = e.attrs.pop("_dropped_before", 0) if e.attrs else 0
        cur.dropped_events += dropped
        cur.events.append(e)
        if info.role in (PROGRESS, SUCCESS) and idx >= furthest:
            furthest = idx
            furthest_source, furthest_time = src, e.time if e.time is not None else furthest_time
            furthest_daemon = e.attrs.get("daemon") if e.attrs else None
        if e.kind in CONNECTED_KINDS:
            connected, connected_by = True, src
        if connected and (info.role in (TEARDOWN, TERMINAL, FAILURE) or e.kind in ENTRY_KINDS):
            torn_down = True
        if e.kind == "group.m2.received":
            group_done = True
        if info.role == FAILURE:
            failed = src
        if info.role in (TERMINAL, SUCCESS) and ended_at is None:
            ended_at = e.time if e.time is not None else (last_time or 0.0)
            ended_by = src
        elif info.role == TEARDOWN and failed and not connected and ended_at is None:
            # the station removed after a failure its source told (hostapd's "group key handshake failed"
            # then AP-STA-DISCONNECTED): that attempt is over; a join after it is a new one
            ended_at = e.time if e.time is not None else (last_time or 0.0)
            ended_by = src
        if e.time is not None:
            last_time = e.time
    return attempts


# a stage's own success: after a failure of that stage in the same attempt, the stage was passed on a retry
# (a RADIUS server's Access-Accept after its Access-Reject: the station's next exchange was accepted)
_STEP_PASSED = frozenset(
    ("auth.response", "assoc.response", "eap.success", "radius.accept", "handshake.success", "dhcp.ack")
)


def finish_attempt(a: Attempt) -> None:
    """Decide outcome, furthest stage reached and the failing stage of a built attempt."""
    reached = -1
    fail_idx = -1
    connected_at = -1
    last_failure_at = -1
    terminal = False
    success = False
    session_ended = False  # the connection ended (AP-STA-DISCONNECTED, a disassociation) after the keys
    # every failure so far is a step's own (no record, no teardown): a later stage can pass it
    soft_failure = False
    naks = 0  # DHCP NAKs that make the client start over, seen so far
    for i, e in enumerate(a.events):
        role = KINDS[e.kind].role
        idx = STAGE_INDEX[e.stage]
        if role in (PROGRESS, SUCCESS):
            reached = max(reached, idx)
            if fail_idx >= 0 and soft_failure and not terminal and (fail_idx < idx or e.kind in _STEP_PASSED):
                # a later stage went ahead after a step's failure: the step was passed after all (hostapd's
                # "did not acknowledge authentication response", then the association)
                fail_idx, last_failure_at, soft_failure = -1, -1, False
        if role == SUCCESS:
            success = True
        if e.kind in CONNECTED_KINDS:
            connected_at = i
            session_ended = False
        elif connected_at >= 0 and e.kind in SESSION_END:
            session_ended = True
        elif session_ended and e.kind in GENERIC_TERMINAL and e.attrs.get("reason") not in REASON_STAGE:
            # the station's entry removed after its connection ended (hostapd's "deauthenticated due to
            # inactivity (timer DEAUTH/REMOVE)" once it disassociated): the teardown, not a failure
            continue
        if e.kind == "dhcp.nak" and e.attrs.get("client_restarts") and not naks:
            # a first NAK to a client that asked for an address from elsewhere makes it start over (a
            # DISCOVER follows): only a repeated NAK fails the attempt
            naks += 1
            continue
        if role == SUMMARY and not e.attrs.get("reason"):
            # a record that names no reason (a wrapped or an older client line) says the attempt failed,
            # not where: the stage is taken from how far it got
            terminal = True
            last_failure_at = i
        elif role in (FAILURE, SUMMARY) or (role == TERMINAL and e.kind not in GENERIC_TERMINAL):
            soft_failure = role == FAILURE and (fail_idx < 0 or soft_failure)
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
    cut = cut_short(a)
    # Connected at layer 2 but DHCP (or the client's IP configuration) begun and not acknowledged: not
    # online yet.  (An acknowledged lease
    # stays: a request after its ACK, the client's duplicate or a renewal, reopens nothing.)
    keys_at = max(
        (i for i, e in enumerate(a.events) if e.kind in CONNECTED_KINDS and e.kind != "dhcp.ack"), default=-1
    )
    after = a.events[keys_at + 1 :] if keys_at >= 0 else []
    dhcp_open = (
        keys_at >= 0
        and any(KINDS[e.kind].stage is Stage.DHCP and e.kind != "dhcp.ack" for e in after)
        and not any(e.kind == "dhcp.ack" for e in after)
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
    elif fail_idx >= 0 or terminal or cut is not None:
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
        elif cut is not None:
            a.failed_stage = cut
        else:
            a.failed_stage = a.reached or Stage.ASSOCIATION
    elif _authenticated_again_and_again(a):
        # authenticated time after time and never associated: each association failed (hostapd says why
        # only at debug level) or was never sent
        a.outcome, a.failed_stage = Outcome.FAILED, Stage.ASSOCIATION
    else:
        a.outcome = Outcome.INCOMPLETE
        a.failed_stage = None
    if a.outcome == Outcome.ONLINE and _waiting_at_portal(a):
        # keys and address, but the controller still holds it for the web portal's login: not online yet
        a.outcome, a.reached = Outcome.INCOMPLETE, Stage.AUTHORIZATION


AUTHENTICATED_AGAIN = 3  # authentications with no association after any: the association is what fails


def _authenticated_again_and_again(a: Attempt) -> bool:
    """The station authenticated AUTHENTICATED_AGAIN times or more in the attempt and no step of the
    association or after it was seen."""
    passed = 0
    for e in a.events:
        if e.kind == "auth.response":
            passed += 1
        elif STAGE_INDEX[e.stage] >= STAGE_INDEX[Stage.ASSOCIATION] and KINDS[e.kind].role in (
            PROGRESS,
            SUCCESS,
        ):
            return False
    return passed >= AUTHENTICATED_AGAIN


def _waiting_at_portal(a: Attempt) -> bool:
    """The attempt's last word is that the station waits for the portal (nothing online after it)."""
    for e in reversed(a.events):
        if e.kind == "portal.pending":
            return True
        if e.kind == "sta.online":
            return False
    return False


def _removed_after(a: Attempt, passed: str) -> bool:
    """The attempt passed a stage (``passed``: its association accepted, its 802.1X succeeded) and the station
    was then removed (deauthenticated or disassociated), not by its own choice to leave."""
    accepted = False
    for e in a.events:
        if e.kind == passed:
            accepted = True
        elif accepted and e.kind in _LEAVING:
            by, reason = e.attrs.get("by"), e.attrs.get("reason")
            return not (by == "sta" and reason in LEFT_ON_ITS_OWN)
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


def _record_distance(a: Attempt, record: Event) -> float:
    """How far a summary record is from an attempt: in seconds when both have times; else by the order of
    the lines (a fraction below one second, so an untimed match still beats a timed one): the record sums up
    the attempt its own source wrote just before it, not the first one of the input."""
    start = a.start
    if start is not None and record.time is not None:
        return abs(start - record.time)
    before = [e.seq for e in a.events if e.ref.source == record.ref.source and e.seq < record.seq]
    if not before:
        return 0.999
    gap = record.seq - max(before)
    return gap / (gap + 1) * 0.99


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
            dist = _record_distance(a, s)
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
