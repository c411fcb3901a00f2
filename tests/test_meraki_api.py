"""Cisco Meraki Dashboard API JSON (parsers/meraki_api.py): the events endpoint as JSON Lines, as an array
and in its envelope, clients named by clientId, failedConnections, the counters endpoints said, and
detection."""

from __future__ import annotations

from pathlib import Path

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data" / "meraki-api"


def _events(name: str) -> tuple[list[Event], InputSummary]:
    return read("meraki-api", DATA / name)


def test_an_event_export_newest_first_with_records_that_name_only_the_client_id() -> None:
    """The wpa_auth and association records name only clientId kd9a3d9; the disassociations before them
    (newest first) name its MAC: every event is the MacBook's, and it got online."""
    events, summary = _events("itris-devnet-events.jsonl")
    got = sorted((e.ref.line, e.kind, e.station, e.ap) for e in events)
    mac = "d0:81:7a:xx:xx:xx"
    assert got == [
        (1, "sta.disassoc", mac, "Office AP"),
        (2, "dhcp.ack", mac, "Office AP"),
        (2, "sta.disassoc", mac, "Office AP"),
        (3, "handshake.success", mac, "Office AP"),
        (4, "assoc.response", mac, "Office AP"),
    ]
    assoc = next(e for e in events if e.kind == "assoc.response")
    assert assoc.attrs["snr"] == 59 and assoc.time == 1650894982.106483
    assert summary.records == 5 and summary.coverage.unread == 0 and not summary.problems
    [d] = diagnose_paths([str(DATA / "itris-devnet-events.jsonl")]).diagnoses
    assert (d.station, d.verdict) == (mac, "online")


def test_the_client_id_waits_for_a_mac_named_later() -> None:
    """The same records oldest first: the association comes before any record names the MAC."""
    lines = (DATA / "itris-devnet-events.jsonl").read_text().splitlines()
    path = DATA.parent.parent / "out-meraki-api-reversed.jsonl"
    try:
        path.write_text("\n".join(reversed(lines)) + "\n")
        events, _ = read("meraki-api", path)
    finally:
        path.unlink()
    assert {e.station for e in events} == {"d0:81:7a:xx:xx:xx"}


def test_a_pasted_array_with_switch_events() -> None:
    events, summary = _events("rknightion-mr-ms-events.json")
    assert [(e.kind, e.station) for e in sorted(events, key=lambda e: e.time or 0)] == [
        ("sta.disassoc", "40:ed:cf:74:d6:03"),
        ("assoc.response", "40:ed:cf:74:d6:03"),
        ("handshake.success", "40:ed:cf:74:d6:03"),
    ]
    disassoc = next(e for e in events if e.kind == "sta.disassoc")
    assert disassoc.attrs["reason"] == 2 and disassoc.ap == "GarageAP" and disassoc.ref.line == 35
    # the switch's mac_flap_detected records: not read, not about Wi-Fi clients (not counted as unread)
    assert summary.records == 3 and summary.skipped == 2 and summary.coverage.unread == 0


def test_failed_connections_give_the_failing_step() -> None:
    result = diagnose_paths([str(DATA / "openapi-v0-failed-connections.json")])
    got = {d.station: (d.verdict, d.stage, len(d.timeline.attempts)) for d in result.diagnoses}
    assert got == {
        "00:61:71:c8:51:27": ("failed", "802.1x", 4),
        "1c:4d:70:7f:5e:5e": ("failed", "association", 1),
        "1c:4d:70:81:8d:0a": ("failed", "802.1x", 1),
    }
    events, _ = _events("openapi-v0-failed-connections.json")
    first = events[0]
    assert (first.kind, first.time, first.ap, first.ref.line) == (
        "eap.failure",
        1532032592.0,
        "Q2JC-2MJM-FHRD",
        2,
    )
    assert first.attrs["failure_type"] == "802.1X auth fail"
    assert events[1].ap == "Q2FJ-3SHB-Y2K2"  # (nodeId, the older name of the AP's serial)


def test_what_is_not_an_attempt_is_said() -> None:
    """A dns-step failure, counters and a connectivity event with no client: no station, and the input's
    notes say what the records held instead of a bare 'no station found'."""
    events, summary = _events("openapi-v1-failed-connections-dns.json")
    assert events == [] and any("dns step" in n and "22:33:44:55:66:77" in n for n in summary.notes)
    events, summary = _events("openapi-v0-clients-connection-stats.json")
    assert events == [] and any(
        "00:61:71:c8:51:27: failed at auth 4; 10 succeeded" in n for n in summary.notes
    )
    events, summary = _events("openapi-v1-connectivity-events.json")
    assert events == [] and any("name no client" in n for n in summary.notes)


def test_the_envelope_and_a_broken_record() -> None:
    events, _ = _events("openapi-v1-events-envelope.json")
    assert [(e.kind, e.station, e.ref.line) for e in events] == [("assoc.response", "22:33:44:55:66:77", 6)]
    text = (DATA / "itris-devnet-events.jsonl").read_text().splitlines()
    text[1] = text[1][:200]  # (a record cut short: said with its line, the others read)
    path = DATA.parent.parent / "out-meraki-api-broken.jsonl"
    try:
        path.write_text("\n".join(text) + "\n")
        events, summary = read("meraki-api", path)
    finally:
        path.unlink()
    assert [p.line for p in summary.problems] == [2]
    assert {e.ref.line for e in events} == {1, 3, 4}


def test_detection() -> None:
    for name in sorted(p.name for p in DATA.glob("*.json*")):
        assert detect((DATA / name).read_bytes())[0] is by_name("meraki-api"), name
    for other in ("meraki/header-forms.log", "windows/osquery-winevents-dot1x.xml", "unifi"):
        path = DATA.parent / other
        if path.is_file():
            assert detect(path.read_bytes())[0] is not by_name("meraki-api"), other
