"""A station's onboarding, attempt by attempt."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from wlandoctor.model.events import Event
from wlandoctor.model.stages import Stage


class Outcome(StrEnum):
    ONLINE = "online"
    FAILED = "failed"
    INCOMPLETE = "incomplete"


@dataclass(slots=True)
class Attempt:
    """One try of a station to get online, from its first event to online, failure or the end of the log."""

    number: int
    events: list[Event] = field(default_factory=list)
    outcome: Outcome = Outcome.INCOMPLETE
    reached: Stage | None = None  # furthest stage with evidence of progress
    failed_stage: Stage | None = None  # where it failed, when outcome is FAILED
    dropped_events: int = 0  # events not kept to bound memory (counted, never silent)
    # (start, end) kept when events of an old healthy attempt were dropped to bound memory.
    span: tuple[float | None, float | None] | None = None
    # What showed a healthy attempt online ("address", "controller", "accepted", "keys"), kept when its
    # events were not (a station summarised once it got online with nothing notable: timeline/builder.py).
    online_by: str | None = None

    @property
    def start(self) -> float | None:
        if self.span is not None:
            return self.span[0]
        return next((e.time for e in self.events if e.time is not None), None)

    @property
    def end(self) -> float | None:
        if self.span is not None:
            return self.span[1]
        return next((e.time for e in reversed(self.events) if e.time is not None), None)

    def kinds(self) -> set[str]:
        return {e.kind for e in self.events}


@dataclass(slots=True)
class StationTimeline:
    station: str
    attempts: list[Attempt] = field(default_factory=list)
    # (frozen: the builder shares one set among the many stations seen on the same APs and SSIDs)
    ssids: frozenset[str] = frozenset()
    aps: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    # Older attempts not kept, to bound memory on long inputs: how many, and how each ended.
    attempts_dropped: int = 0
    dropped_outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None
