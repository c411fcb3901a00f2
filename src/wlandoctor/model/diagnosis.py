"""What the knowledge base concludes, in the shape every reporter renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wlandoctor.model.stages import Stage
from wlandoctor.model.timeline import Outcome, StationTimeline

# the unread lines of one input naming one station: (input, [count, line, line, ...])
Unread = list[tuple[str, list[int]]]


@dataclass(frozen=True, slots=True)
class Evidence:
    source: str
    line: int
    text: str
    kind: str = ""


@dataclass(slots=True)
class Cause:
    """One ranked hypothesis of the differential."""

    id: str  # "<rule id>/<hypothesis id>" or the rule id when it has one hypothesis
    rule: str
    title: str
    stage: Stage
    confidence: float
    why_confidence: list[str]
    explanation: str
    fix: list[str]
    confirm: list[str]
    evidence: list[Evidence]
    references: list[str] = field(default_factory=list)
    attempt: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Diagnosis:
    station: str
    verdict: Outcome
    stage: Stage | None
    timeline: StationTimeline
    causes: list[Cause] = field(default_factory=list)
    # Lines naming this station that look like onboarding events but were not understood: how many,
    # and the first few as (input, line).
    # For an online station, what shows it: "address" (a DHCP lease, the client's own "activated"),
    # "controller" (a controller's online record), or "keys" (keys installed, nothing of the network layer
    # in the inputs: the AP side of a bridged network).  None when not online.
    online_evidence: str | None = None
    unread_count: int = 0
    unread: list[tuple[str, int]] = field(default_factory=list)


@dataclass(slots=True)
class Problem:
    line: int
    message: str


HINTS_COUNTED = 1000  # lines that speak of Wi-Fi counted at most (parsers/relevance.py): past it, "or more"


@dataclass(slots=True)
class Coverage:
    """How much of an input that looks like onboarding events was understood (parsers/relevance.py)."""

    understood: int = 0  # lines that gave an event (or state an event depends on)
    unread: int = 0  # lines that look like onboarding events and were not understood
    first: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of the first unread lines
    by_station: dict[str, list[int]] = field(default_factory=dict)  # station -> [count, line, line, line]
    # while nothing was understood: lines that only speak of Wi-Fi ("start auth to ...", "wifi got ip"), so
    # an input of an unknown form is never silent (relevance.HINT)
    hinted: int = 0
    hints: list[tuple[int, str]] = field(default_factory=list)
    # given every unread line as (line, text) when set (``wlandoctor unknown`` mines them); never pickled
    tap: Callable[[int, str], None] | None = field(default=None, compare=False, repr=False)

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.understood, self.unread, self.first, self.by_station, self.hinted, self.hints)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.understood, self.unread, self.first, self.by_station, self.hinted, self.hints = state
        self.tap = None

    @property
    def ratio(self) -> float | None:
        """Lines understood / lines that look relevant; None when nothing looked relevant."""
        total = self.understood + self.unread
        return self.understood / total if total else None


@dataclass(slots=True)
class InputSummary:
    source: str
    format: str
    records: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_dropped: int = 0  # problems beyond the cap, counted
    coverage: Coverage = field(default_factory=Coverage)
    notes: list[str] = field(default_factory=list)  # what the reader should know (a year guessed, ...)
    # Lines a reader skipped as not its format (counted in ``skipped`` too), said once by relevance.finish.
    unrecognised: int = 0
    first_unrecognised: int = 0
    unrecognised_as: str = ""

    MAX_PROBLEMS = 200

    def hinted_lines(self) -> int:
        """The lines that speak of Wi-Fi in an input that gave nothing else (no event, no line understood,
        none that looks relevant): what is said of it (parsers/relevance.py).  (Counted only while nothing
        else was found, so the same whether the input is read whole or in byte ranges.)"""
        cov = self.coverage
        return cov.hinted if not (self.records or cov.understood or cov.unread) else 0

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append(Problem(line, message))
        else:
            self.problems_dropped += 1


@dataclass(slots=True)
class Report:
    inputs: list[InputSummary]
    diagnoses: list[Diagnosis]
    extra: dict[str, Any] = field(default_factory=dict)
