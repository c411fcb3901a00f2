"""What an online attempt shows, and when it is unremarkable enough to be kept as a summary.

A day of controller traces holds tens of thousands of stations that simply got online.  Their events
explain nothing and are most of the memory, so once such an attempt is final the builder keeps only its
outcome, stages, times, event count and what showed it online (``summarise``).  An attempt is
summarised only when nothing any rule or report reads of it goes with its events: it is online, no weak
signal was seen in it, and it did not leave soon after with no address (which the DHCP-server context
turns into a failure).
"""

from __future__ import annotations

from wlandoctor.model import Attempt, Event, Outcome

SERVER_DAEMONS = frozenset(("freeradius",))
WEAK_RSSI_DBM = -75
WEAK_SNR_DB = 15
# kinds after which the key exchange is known to have worked (the builder's CONNECTED_KINDS)
CONNECTED = frozenset(
    {"handshake.success", "eapol.m4.received", "group.m2.received", "sta.connected", "dhcp.ack", "sta.online"}
)
LEFT_SOON_S = 120.0  # a station connected and gone this soon, with no address, while the DHCP server failed


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


def left_without_address(attempt: Attempt) -> bool:
    """Online by installed keys only, then offline again within LEFT_SOON_S, with no DHCP lease."""
    if attempt.outcome != Outcome.ONLINE or online_evidence(attempt) != "keys":
        return False
    connected = next((e.time for e in attempt.events if e.kind == "sta.connected"), None)
    for e in attempt.events:
        if e.kind in ("sta.offline", "sta.teardown") and e.time is not None and connected is not None:
            return e.time - connected <= LEFT_SOON_S
    return False


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
    if how == "keys" and left_without_address(a):
        return None
    return how


def summarise(a: Attempt, how: str) -> None:
    """Keep of an unremarkable attempt its outcome, stages, times, event count and online evidence."""
    a.span = (a.start, a.end)
    a.online_by = how
    a.dropped_events += len(a.events)
    a.events = []
