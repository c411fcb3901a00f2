"""Times for an input that has none, taken from the same exchanges in inputs that have them.

``radiusd -X`` prints no time stamps.  Merged with an AP log and a client log, its events sorted before
every timed event and fell into an attempt of their own, so the last attempt never held the server's
verdict.  Both the AP (hostapd) and the server log one reply per RADIUS exchange (Access-Accept or
Access-Reject): matched from the end, kind by kind, the k-th last reply of a station in the untimed input
is the k-th last one in the timed inputs.  The server's events take the time of the reply that ends
their exchange (they happen before it), the ones after its last reply that reply's time.  Exchanges
older than the timed inputs reach keep no time, nor does a station whose matched times would run
backwards (not the same exchanges).

Inferred times are marked on the event (``attrs["time_inferred"] = True``), so a report never passes
one off as read from the log.
"""

from __future__ import annotations

from collections import Counter

from wlandoctor.model import Event
from wlandoctor.timeline.builder import TimelineBuilder

# One per exchange on both sides: what the two logs can be aligned on.
ANCHOR_KINDS = frozenset({"radius.accept", "radius.reject"})
MAX_PER_STATION = 64  # reply times remembered per station and kind (the latest)
MAX_DEFERRED = 200_000  # events of an untimed input held back for anchoring; beyond, it is read as is


class Anchors:
    """The times of reply events seen in timed inputs, per station and kind, in input order."""

    def __init__(self) -> None:
        self.times: dict[str, dict[str, list[float]]] = {}

    def note(self, e: Event) -> None:
        if e.time is None or e.kind not in ANCHOR_KINDS or not e.station:
            return
        times = self.times.setdefault(e.station, {}).setdefault(e.kind, [])
        times.append(e.time)
        if len(times) > MAX_PER_STATION:
            del times[0]


def anchor(events: list[Event], anchors: Anchors) -> int:
    """Give the untimed ``events`` of one input times from ``anchors``, station by station (in place).
    Returns how many events got a time."""
    by_station: dict[str, list[Event]] = {}
    for e in events:
        if e.station and e.time is None:
            by_station.setdefault(e.station, []).append(e)
    done = 0
    for station, evs in by_station.items():
        for e, t in zip(evs, _times(evs, anchors.times.get(station, {})), strict=True):
            if t is not None:
                e.time = t
                e.attrs["time_inferred"] = True
                done += 1
    return done


def _times(evs: list[Event], known: dict[str, list[float]]) -> list[float | None]:
    """A time per event: its exchange's reply time, matched from the end; None before the first reply
    that has no match (older exchanges the timed inputs did not see)."""
    slots: list[float | None] = [None] * len(evs)
    seen: Counter[str] = Counter()
    nxt: float | None = None
    last_reply = -1
    for i in range(len(evs) - 1, -1, -1):
        kind = evs[i].kind
        if kind in ANCHOR_KINDS:
            there = known.get(kind, [])
            k = seen[kind]
            seen[kind] += 1
            if k >= len(there):
                break  # this exchange and the older ones: not in the timed inputs
            nxt = there[-1 - k]
            last_reply = max(last_reply, i)
        slots[i] = nxt
    if last_reply < 0:
        return [None] * len(evs)
    for i in range(last_reply + 1, len(evs)):  # after the last reply: its time
        slots[i] = slots[last_reply]
    anchored = [t for t in slots if t is not None]
    if anchored != sorted(anchored):
        return [None] * len(evs)  # the replies do not line up in time: not the same exchanges
    return slots


class InputSink:
    """Where the events of one input go: straight to the builder, except while every event so far has no
    time; those are held back (up to MAX_DEFERRED) to be anchored once the timed inputs are read."""

    def __init__(self, builder: TimelineBuilder, anchors: Anchors) -> None:
        self.builder = builder
        self.anchors = anchors
        self.held: list[Event] | None = []

    def add(self, e: Event) -> None:
        if self.held is not None:
            if e.time is None and len(self.held) < MAX_DEFERRED:
                self.held.append(e)
                return
            self.release()
        if e.kind in ANCHOR_KINDS:  # (a few events of a log: no call for the others)
            self.anchors.note(e)
        self.builder.add(e)

    def release(self) -> None:
        """The input has times after all (or too many events without): what was held goes in as it is."""
        held, self.held = self.held or [], None
        for e in held:
            self.builder.add(e)

    def finish(self) -> list[Event]:
        """The events still held at the end of the input (it has no time at all)."""
        held, self.held = self.held or [], None
        return held
