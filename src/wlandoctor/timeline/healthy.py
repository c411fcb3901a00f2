"""What an online attempt shows, and when it is unremarkable enough to be kept as a summary.

A day of controller traces holds tens of thousands of stations that simply got online.  Their events
explain nothing and are most of the memory, so once such an attempt is final the builder keeps only its
outcome, stages, times, event count and what showed it online (``summarise``).  An attempt is
summarised only when nothing any rule or report reads of it goes with its events: it is online, no weak
signal was seen in it, and it did not leave soon after with no address (which the DHCP-server context
turns into a failure, as does leaving within seconds: ``dropped_at_once``, or leaving soon again and again:
``keeps_leaving``).  An attempt keyed after the
DHCP server stopped for good (``server_gone``) is also turned into a failure when no station got an answer
from a DHCP server (``answered_by_dhcp``); a summarised attempt is placed by its start time then.
"""

from __future__ import annotations

from collections.abc import Iterable

from wlandoctor.model import Attempt, Event, Outcome, Stage, StationTimeline
from wlandoctor.model.kinds import FAILURE, KINDS, PROGRESS, SUCCESS, SUMMARY

# logs that end at the RADIUS answer: a server's, and eapol_test's (a test client talking RADIUS to the server)
SERVER_DAEMONS = frozenset(("freeradius", "eapol_test"))
WEAK_RSSI_DBM = -75
WEAK_SNR_DB = 15
# kinds after which the key exchange is known to have worked (the builder's CONNECTED_KINDS)
CONNECTED = frozenset(
    {"handshake.success", "eapol.m4.received", "group.m2.received", "sta.connected", "dhcp.ack", "sta.online"}
)
LEFT_SOON_S = 120.0  # a station connected and gone this soon, with no address, while the DHCP server failed
DROPPED_AT_ONCE_S = 5.0  # gone this soon after its keys were installed: it never had a working connection
# (kinds that end a connection, and the reasons by which a station says it leaves of its own will)
_GONE = frozenset({"sta.offline", "sta.disassoc", "sta.deauth", "sta.teardown", "sta.deleted"})
# Reasons a station gives when it leaves on its own (3 leaving, 8 leaving the BSS): not a failure
LEFT_ON_ITS_OWN = frozenset((3, 8))
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


def server_accepted(a: Attempt) -> bool:
    """Every event of the attempt is from a RADIUS server's log, and the last says Access-Accept."""
    return (
        bool(a.events)
        and a.events[-1].kind == "radius.accept"
        and all(e.attrs.get("daemon") in SERVER_DAEMONS for e in a.events)
    )


def online_evidence(attempt: Attempt) -> str:
    """What shows an online attempt online: an address, a controller's record, or only installed keys."""
    if attempt.online_by is not None:
        return attempt.online_by
    for e in attempt.events:
        if e.kind == "dhcp.ack" or (e.kind == "sta.online" and e.attrs.get("daemon") == "NetworkManager"):
            return "address"
    if any(e.kind in ("sta.online", "sta.roam_record") for e in attempt.events):
        return "controller"
    if server_accepted(attempt):
        return "accepted"
    return "keys"


# "connected" events that say the station had joined before the input starts (hostapd's first word of it a
# DISCONNECTED, or a group rekey): when it joined is unknown, so no session length is measured from them
JOINED_BEFORE_INPUT = frozenset(("before_input", "rekey"))


def _joined_at(e: Event) -> float | None:
    return None if e.attrs.get("what") in JOINED_BEFORE_INPUT else e.time


def left_without_address(attempt: Attempt, how: str | None = None) -> bool:
    """Online by installed keys only, then offline again within LEFT_SOON_S, with no DHCP lease.
    (``how``: its ``online_evidence`` when already known.)"""
    if attempt.outcome != Outcome.ONLINE or (how or online_evidence(attempt)) != "keys":
        return False
    connected = next((_joined_at(e) for e in attempt.events if e.kind == "sta.connected"), None)
    for e in attempt.events:
        if e.kind in ("sta.offline", "sta.teardown") and e.time is not None and connected is not None:
            return e.time - connected <= LEFT_SOON_S
    return False


def short_session(attempt: Attempt, how: str | None = None) -> bool:
    """Online by installed keys only, then gone within LEFT_SOON_S, with no DHCP exchange seen and no step
    failing (a reason that names the stage, a failure the stage's rules explain: RouterOS 6 says "connected"
    before its keys time out): a short session, whoever ended it.  (``how``: its ``online_evidence`` when
    already known.)"""
    if (how or online_evidence(attempt)) != "keys":
        return False
    connected: float | None = None
    seen = False
    for e in attempt.events:
        if e.kind.startswith("dhcp."):
            return False
        if not seen:
            if e.kind in CONNECTED:
                seen, connected = True, _joined_at(e)
            continue
        if KINDS[e.kind].role == FAILURE or e.attrs.get("reason") in REASON_STAGE:
            return False  # (a step failed after the "connected": that step's rules explain it)
        if e.kind in _GONE and e.time is not None and connected is not None:
            return e.time - connected <= LEFT_SOON_S
    return False


def keeps_leaving(tl: StationTimeline) -> bool:
    """Two or more of the station's connections were short sessions (``short_session``): connected, then gone
    within two minutes with no address, again and again.  A station whose connection works stays on it; one
    that joins and leaves over and over never had a working network behind the link (no DHCP answer, no
    traffic), whatever says who left."""
    return sum(1 for a in tl.attempts if short_session(a)) >= 2


def server_gone(global_events: Iterable[Event]) -> Event | None:
    """The first report of a DHCP server that is not running at all (it exited at start, or its supervisor
    gave up restarting it): ``dhcp.server_failure`` with ``gone``."""
    return next((e for e in global_events if e.kind == "dhcp.server_failure" and e.attrs.get("gone")), None)


def answered_by_dhcp(tl: StationTimeline) -> bool:
    """A DHCP server answered the station (an offer or a lease) in some attempt."""
    return any(online_evidence(a) == "address" for a in tl.attempts if a.outcome == Outcome.ONLINE) or any(
        e.kind in ("dhcp.offer", "dhcp.ack") for a in tl.attempts for e in a.events
    )


def keyed_after(attempt: Attempt, event: Event, how: str | None = None) -> bool:
    """Online by installed keys only, and connected after ``event``: by line in the same input (a log
    without time stamps), else by time.  Unknown order -> False."""
    if attempt.outcome != Outcome.ONLINE or (how or online_evidence(attempt)) != "keys":
        return False
    connected = next((e for e in attempt.events if e.kind == "sta.connected"), None)
    if connected is not None and connected.ref.source == event.ref.source:
        return connected.ref.line > event.ref.line
    start = connected.time if connected is not None else attempt.start
    return start is not None and event.time is not None and start >= event.time


def dropped_at_once(attempt: Attempt, how: str | None = None) -> bool:
    """Online by installed keys only, then gone within DROPPED_AT_ONCE_S with no address asked for or given,
    and nothing says the station chose to leave (reason 3 or 8 from the station) or that the AP was
    stopping (its interface going down as it removed the station): it never had a working
    connection (an AP or driver that drops it at once, a client that gives up at once).  Told from the
    events alone, so that it still holds once the attempt is judged failed for it.  (``how``: its
    ``online_evidence`` when already known.)"""
    if (how or online_evidence(attempt)) != "keys":
        return False
    connected: float | None = None
    seen = False  # the station's "connected" is behind (in the log's order: a disconnection logged before
    gone = False  # it in the same second ended an earlier connection)
    for e in attempt.events:
        kind = e.kind
        if kind.startswith("dhcp."):
            return False
        if not seen:
            if kind == "sta.connected":
                seen, connected = True, _joined_at(e)
            continue
        if kind in _GONE and e.time is not None and connected is not None:
            if e.time - connected > DROPPED_AT_ONCE_S:
                continue
            if (
                e.attrs.get("what") == "ap_down"
                or (e.attrs.get("by") == "sta" and e.attrs.get("reason") in LEFT_ON_ITS_OWN)
                or e.attrs.get("reason") in REASON_STAGE
            ):
                # (the AP stopping, the station saying it leaves, or a reason naming the stage that
                # failed, which that stage's rules explain: RouterOS 6 logs "connected" before the keys)
                return False
            gone = True
    return gone


def wlan_keys(ssids: frozenset[str], aps: frozenset[str]) -> set[str]:
    """What identifies 'the same WLAN' for a station: its SSIDs, else its APs (the rules' contexts)."""
    keys = {f"ssid:{s}" for s in ssids}
    return keys or {f"ap:{a}" for a in aps}


def weak(e: Event) -> bool:
    """The event reports a weak signal (the ``weak-signal`` context of the rules)."""
    rssi = e.attrs.get("rssi")
    snr = e.attrs.get("snr")
    return (isinstance(rssi, int) and rssi <= WEAK_RSSI_DBM) or (isinstance(snr, int) and snr <= WEAK_SNR_DB)


def summary_of(a: Attempt) -> str | None:
    """What showed the attempt online, when it is unremarkable (online, no weak signal, not gone soon with no
    address); else None: its events are kept."""
    if a.outcome != Outcome.ONLINE or not a.events or any(weak(e) for e in a.events):
        return None
    if not any(e.kind in CONNECTED for e in a.events):
        return None  # (online by what a server accepted alone: a later disconnection starts an attempt)
    how = online_evidence(a)
    if how == "keys" and (left_without_address(a, how) or dropped_at_once(a, how) or short_session(a, how)):
        return None
    return how


def summarise(a: Attempt, how: str) -> None:
    """Keep of an unremarkable attempt its outcome, stages, times, event count and online evidence."""
    a.span = (a.start, a.end)
    a.online_by = how
    a.dropped_events += len(a.events)
    a.events = []


_CUT_BY = frozenset({"sta.deauth", "sta.disassoc"})
KEY_STAGES = frozenset((Stage.DOT1X, Stage.FOURWAY, Stage.GROUP_KEY))


def cut_short(a: Attempt) -> Stage | None:
    """The key stage (802.1X, 4-way handshake, group key) an attempt was in when the association was ended
    under it - by the AP, or by the station for a reason other than leaving - before it got any further: a
    failure of that stage even when no line names one (a client's driver prints only "OnDisassoc reason=8")."""
    stage: Stage | None = None
    for e in a.events:
        role = KINDS[e.kind].role
        if role in (PROGRESS, SUCCESS):
            stage = e.stage if e.stage in KEY_STAGES else None  # (beyond the keys: not cut short)
            if e.kind == "eap.success":  # (802.1X done: the 4-way handshake is under way)
                stage = Stage.FOURWAY
        elif stage is not None and e.kind in _CUT_BY:
            by, reason = e.attrs.get("by"), e.attrs.get("reason")
            return None if by == "sta" and reason in LEFT_ON_ITS_OWN else stage
    return None


def cut_short_unexplained(attempt: Attempt) -> bool:
    """Cut short (``cut_short``) and nothing in the attempt names a failure: no failure event, no reason code
    that names a stage (15 4-way timeout, 17 RSNE differs...)."""
    if cut_short(attempt) is None:
        return False
    for e in attempt.events:
        if KINDS[e.kind].role in (FAILURE, SUMMARY) or e.kind.endswith((".retry", ".timeout")):
            return False
        if e.kind in _CUT_BY and e.attrs.get("reason") in REASON_STAGE:
            return False
    return True
