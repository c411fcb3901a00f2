"""Named context checks: facts about the whole input that raise or lower a hypothesis."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from wlandoctor.kb.platforms import CLIENT_PLATFORMS, platform_of
from wlandoctor.model import STAGE_INDEX, Attempt, Event, Outcome, Stage, StationTimeline
from wlandoctor.timeline import Timelines
from wlandoctor.timeline.healthy import (
    answered_by_dhcp,
    cut_short_unexplained,
    dropped_at_once,
    keeps_leaving,
    server_gone,
    weak,
    wlan_keys,
)

HANDSHAKE_DONE = frozenset({"handshake.success", "eapol.m4.received"})
# context name -> (first-send kind, retry kind) of an EAPOL-Key message the authenticator resends on timeout
RESENT = {
    "ap-resent-m1": ("eapol.m1.sent", "eapol.m1.retry"),
    "ap-resent-m3": ("eapol.m3.sent", "eapol.m3.retry"),
}


def _wlan_keys(tl: StationTimeline) -> set[str]:
    return wlan_keys(tl.ssids, tl.aps)


def _completed(tl: StationTimeline) -> bool:
    """The station completed a key exchange somewhere in the input."""
    return (
        any(a.outcome == Outcome.ONLINE for a in tl.attempts)
        or tl.dropped_outcomes.get(Outcome.ONLINE.value, 0) > 0
        or any(e.kind in HANDSHAKE_DONE for a in tl.attempts for e in a.events)
    )


@dataclass
class ContextCounts:
    """The station counts the context checks ask about.  Counted per group of stations and summed: the
    stations of an input split by station (fleet/) are counted where they are built, and only these
    counters travel (the one small exchange between the groups)."""

    completed_by_wlan: Counter[str] = field(default_factory=Counter)
    failed_stage_by_wlan: Counter[tuple[str, Stage]] = field(default_factory=Counter)
    dot1x_failed_stations: int = 0
    # stations a DHCP server answered, counted only when the input says the server stopped for good
    dhcp_answered: int = 0

    @classmethod
    def of(cls, timelines: Timelines) -> ContextCounts:
        counts = cls()
        server_stopped = server_gone(timelines.global_events) is not None
        for tl in timelines.stations.values():
            if server_stopped and answered_by_dhcp(tl):
                counts.dhcp_answered += 1
            keys = _wlan_keys(tl)
            completed = _completed(tl)
            failed_stages = {
                a.failed_stage for a in tl.attempts if a.outcome == Outcome.FAILED and a.failed_stage
            }
            for k in keys:
                if completed:
                    counts.completed_by_wlan[k] += 1
                for st in failed_stages:
                    counts.failed_stage_by_wlan[(k, st)] += 1
            if Stage.DOT1X in failed_stages:
                counts.dot1x_failed_stations += 1
        # stations online counted, not kept, over the builder's station limit: they completed
        counts.completed_by_wlan.update(timelines.counted.completed_by_wlan)
        return counts

    def add(self, other: ContextCounts) -> None:
        self.completed_by_wlan.update(other.completed_by_wlan)
        self.failed_stage_by_wlan.update(other.failed_stage_by_wlan)
        self.dot1x_failed_stations += other.dot1x_failed_stations
        self.dhcp_answered += other.dhcp_answered


@dataclass
class InputContext:
    """Facts computed once per diagnosis run, then looked up per station."""

    timelines: Timelines
    counts: ContextCounts = field(default_factory=ContextCounts)
    global_kinds: Counter[str] = field(default_factory=Counter)
    formats: Mapping[str, str] = field(default_factory=dict)  # input name -> the parser that read it

    @classmethod
    def build(cls, timelines: Timelines, counts: ContextCounts | None = None) -> InputContext:
        """``counts``: those of every station of the input, when ``timelines`` holds only some of them."""
        ctx = cls(timelines, counts if counts is not None else ContextCounts.of(timelines))
        ctx.global_kinds.update(e.kind for e in timelines.global_events)
        return ctx

    def check(self, name: str, tl: StationTimeline, attempt: Attempt) -> bool:
        keys = _wlan_keys(tl)
        if name == "other-stations-same-wlan-completed-handshake":
            me = 1 if _completed(tl) else 0  # (counted the same way as when the totals were made)
            return any(self.counts.completed_by_wlan[k] - me > 0 for k in keys)
        if name == "other-stations-same-wlan-failed-same-way":
            st = attempt.failed_stage
            return st is not None and any(self.counts.failed_stage_by_wlan[(k, st)] > 1 for k in keys)
        if name == "station-offered-pmkid":
            return any(_offered_pmkid(e) for e in attempt.events)
        if name == "repeated-failures":
            failed = sum(1 for a in tl.attempts if a.outcome == Outcome.FAILED)
            return failed + tl.dropped_outcomes.get(Outcome.FAILED.value, 0) >= 2
        if name == "failed-with-several-aps":
            return failed_with_several_aps(tl)
        if name == "found-network-earlier":
            return found_network_earlier(tl, attempt)
        if name == "weak-signal":
            return any(weak(e) for a in tl.attempts for e in a.events)
        if name == "many-stations-failed-dot1x":
            return self.counts.dot1x_failed_stations >= 3
        if name == "dropped-at-once":
            return dropped_at_once(attempt)
        if name == "keeps-leaving":
            return keeps_leaving(tl)
        if name == "cut-short":
            return cut_short_unexplained(attempt)
        if name in RESENT:
            return _resent(attempt, *RESENT[name])
        if name == "link-not-seen":
            return link_not_seen(attempt, self.formats)
        raise KeyError(name)


_DHCP = STAGE_INDEX[Stage.DHCP]
_AUTH = STAGE_INDEX[Stage.AUTH_80211]


SEVERAL_APS = 3


def failed_with_several_aps(tl: StationTimeline) -> bool:
    """The station's failed attempts in the input name this many different APs (BSSIDs) or more."""
    aps: set[str] = set()
    for a in tl.attempts:
        if a.outcome != Outcome.FAILED:
            continue
        aps.update(e.bssid for e in a.events if e.bssid)
        if len(aps) >= SEVERAL_APS:
            return True
    return False


def found_network_earlier(tl: StationTimeline, attempt: Attempt) -> bool:
    """An earlier attempt of the station, on the same network (or one of no name), got to 802.11
    authentication or further: it found that network then, so its name, band and security matched."""
    ssids = {e.ssid for e in attempt.events if e.ssid}
    for earlier in tl.attempts:
        if earlier is attempt:
            return False
        got_to = [STAGE_INDEX[s] for s in (earlier.reached, earlier.failed_stage) if s is not None]
        if not got_to or max(got_to) < _AUTH:  # (failing at a stage, it got there)
            continue
        theirs = {e.ssid for e in earlier.events if e.ssid}
        if not ssids or not theirs or ssids & theirs:
            return True
    return False


def link_not_seen(attempt: Attempt, formats: Mapping[str, str]) -> bool:
    """The attempt is the station's own DHCP client talking, and nothing shows its Wi-Fi link: no event of an
    earlier stage (authentication, association, keys), and every DHCP event from the station's own log (a
    request the network heard, in an AP's or server's log, proves the link was up)."""
    dhcp = [e for e in attempt.events if STAGE_INDEX[e.stage] >= _DHCP]
    if not dhcp or len(dhcp) < len(attempt.events):
        return False
    return all(platform_of(e, formats) in CLIENT_PLATFORMS for e in dhcp)


def _offered_pmkid(e: Event) -> bool:
    if e.kind != "assoc.request":
        return False
    a = e.attrs
    return bool(a.get("pmkid") or a.get("pmkids") or (isinstance(a.get("pmk"), int) and a["pmk"] > 0))


def _resent(attempt: Attempt, sent: str, retry: str) -> bool:
    """The authenticator sent the message again after its EAPOL timeout (it waited for the answer in vain).

    A log reports such a resend as a retry line (an event without a replay counter).  A capture shows every
    copy on the air: the authenticator increments the replay counter for each EAPOL-Key frame it sends
    (IEEE 802.11-2020 12.7.2), so a second replay counter is a resend, while copies with the same counter
    are 802.11 retransmissions of one frame (a missed 802.11 ACK, or the monitor hearing it twice), which
    say nothing about the handshake.
    """
    counters: set[object] = set()
    for e in attempt.events:
        if e.kind not in (sent, retry):
            continue
        rc = e.attrs.get("replay_counter")
        if rc is None:
            if e.kind == retry:
                return True
            continue
        counters.add(rc)
    return len(counters) >= 2
