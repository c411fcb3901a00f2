"""The normalised event: what any source said about a station, with where it said it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from wlandoctor.model.stages import Stage


class SourceRef(NamedTuple):
    """Where an event came from: input name, 1-based line (or frame number for captures), raw text.

    A named tuple rather than a frozen dataclass: one is built per event, and a tuple is built several
    times faster (and pickles and marshals as plain values)."""

    source: str
    line: int
    text: str


@dataclass(slots=True)
class Event:
    """One normalised observation about one station.

    ``kind`` is a dotted name from the documented vocabulary (``wlandoctor.model.kinds``); vendor wording
    never reaches the rules, only kinds and attributes do.  ``time`` is seconds since the epoch (UTC when
    the source gave no zone) or None when the source carries no time.  ``seq`` orders events of one
    source that share a time.
    """

    kind: str
    station: str
    stage: Stage
    ref: SourceRef
    time: float | None = None
    seq: int = 0
    ap: str | None = None
    bssid: str | None = None
    radio: int | None = None
    wlan: int | None = None
    ssid: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
