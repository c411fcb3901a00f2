"""Named context checks: facts about the whole input that raise or lower a hypothesis."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from wlandoctor.model import Attempt, Event, Outcome, Stage, StationTimeline
from wlandoctor.timeline import Timelines

HANDSHAKE_DONE = frozenset({"handshake.success", "eapol.m4.received"})
WEAK_RSSI_DBM = -75
WEAK_SNR_DB = 15


def _wlan_keys(tl: StationTimeline) -> set[str]:
    """What identifies 'the same WLAN' for a station: its SSIDs, else its APs."""
    keys = {f"ssid:{s}" for s in tl.ssids}
    return keys or {f"ap:{a}" for a in tl.aps}


@dataclass
class InputContext:
    """Facts computed once per diagnosis run, then looked up per station."""

    timelines: Timelines
    completed_by_wlan: Counter[str] = field(default_factory=Counter)
    failed_stage_by_wlan: Counter[tuple[str, Stage]] = field(default_factory=Counter)
    dot1x_failed_stations: int = 0
    global_kinds: Counter[str] = field(default_factory=Counter)

    @classmethod
    def build(cls, timelines: Timelines) -> InputContext:
        ctx = cls(timelines)
        for tl in timelines.stations.values():
            keys = _wlan_keys(tl)
            completed = (
                any(e.kind in HANDSHAKE_DONE for a in tl.attempts for e in a.events)
                or any(a.outcome == Outcome.ONLINE for a in tl.attempts)
                or tl.dropped_outcomes.get(Outcome.ONLINE.value, 0) > 0
            )
            failed_stages = {
                a.failed_stage for a in tl.attempts if a.outcome == Outcome.FAILED and a.failed_stage
            }
            for k in keys:
                if completed:
                    ctx.completed_by_wlan[k] += 1
                for st in failed_stages:
                    ctx.failed_stage_by_wlan[(k, st)] += 1
            if Stage.DOT1X in failed_stages:
                ctx.dot1x_failed_stations += 1
        ctx.global_kinds.update(e.kind for e in timelines.global_events)
        return ctx

    def check(self, name: str, tl: StationTimeline, attempt: Attempt) -> bool:
        keys = _wlan_keys(tl)
        if name == "other-stations-same-wlan-completed-handshake":
            me = 1 if any(e.kind in HANDSHAKE_DONE for a in tl.attempts for e in a.events) else 0
            return any(self.completed_by_wlan[k] - me > 0 for k in keys)
        if name == "other-stations-same-wlan-failed-same-way":
            st = attempt.failed_stage
            return st is not None and any(self.failed_stage_by_wlan[(k, st)] > 1 for k in keys)
        if name == "station-offered-pmkid":
            return any(_offered_pmkid(e) for e in attempt.events)
        if name == "repeated-failures":
            failed = sum(1 for a in tl.attempts if a.outcome == Outcome.FAILED)
            return failed + tl.dropped_outcomes.get(Outcome.FAILED.value, 0) >= 2
        if name == "weak-signal":
            return any(_weak(e) for a in tl.attempts for e in a.events)
        if name == "many-stations-failed-dot1x":
            return self.dot1x_failed_stations >= 3
        raise KeyError(name)


def _offered_pmkid(e: Event) -> bool:
    if e.kind != "assoc.request":
        return False
    a = e.attrs
    return bool(a.get("pmkid") or a.get("pmkids") or (isinstance(a.get("pmk"), int) and a["pmk"] > 0))


def _weak(e: Event) -> bool:
    rssi = e.attrs.get("rssi")
    snr = e.attrs.get("snr")
    return (isinstance(rssi, int) and rssi <= WEAK_RSSI_DBM) or (isinstance(snr, int) and snr <= WEAK_SNR_DB)
