"""Fortinet FortiGate event log (parsers/fortinet.py): wireless events told by their log id, the DHCP
server's ACK log, the time zone field, and lines it must not take for what they are not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers import by_name, detect
from wlandoctor.parsers.catalogue import load
from wlandoctor.pipeline import diagnose_paths

FORTI = Path(__file__).parent / "data" / "fortinet"
DOCS = FORTI / "docs-6.2-extended-logging.log"
PORTAL = FORTI / "fgt90d-2016-captive-portal.log"
FAKE_AP = FORTI / "elastic-7.4-fake-ap-on-air.log"
DHCP_TZ = FORTI / "packetfence-dhcp-ack-tz.log"


def _events(path: Path) -> tuple[list[Event], InputSummary]:
    return read("fortinet", path)


def _utc(*parts: int) -> float:
    return datetime(*parts, tzinfo=UTC).timestamp()


def test_a_probe_request_is_the_station_discovering_the_network() -> None:
    events, summary = _events(DOCS)
    assert summary.problems == [] and summary.coverage.unread == 0
    # (the probe response, cut off in the stored page, is still read: a known event with no step)
    assert summary.records == 2
    [probe] = events
    assert (probe.kind, probe.station, probe.ap) == ("probe.request", "f0:98:9d:76:64:c4", "PS221E3X16000022")
    assert probe.attrs["ssid"] == "Guest-11" and probe.attrs["channel"] == 6
    assert probe.attrs["security"] == "WPA2 Personal" and "reason_text" not in probe.attrs  # ("Reserved 0")
    assert probe.time == _utc(2019, 1, 30, 14, 9, 52)  # (no tz field: the FortiGate's clock as printed)


def test_a_captive_portal_client_that_got_its_address_is_online() -> None:
    events, summary = _events(PORTAL)
    assert summary.problems == [] and summary.coverage.unread == 0
    assert [(e.kind, e.station) for e in events] == [
        ("sta.connected", "78:d7:5f:04:00:78"),
        ("dhcp.ack", "78:d7:5f:04:00:78"),  # (the DHCP log writes the MAC in upper case)
    ]
    connected, ack = events
    assert connected.attrs["security"] == "Captive Portal" and "identity" not in connected.attrs  # (user N/A)
    assert ack.attrs["ip"] == "192.168.10.8" and ack.attrs["told_by"] == "dhcp-server"
    [d] = diagnose_paths([str(PORTAL)]).diagnoses
    assert d.station == "78:d7:5f:04:00:78" and d.verdict == "online"


def test_the_time_zone_field_makes_the_time_utc() -> None:
    [ack], summary = _events(DHCP_TZ)
    assert summary.problems == []
    # date=2024-12-24 time=11:56:25 tz="-0500": 16:56:25 UTC (its eventtime, 1735059387.56, agrees)
    assert ack.time == _utc(2024, 12, 24, 16, 56, 25)
    assert abs(ack.time - 1735059387.56) < 3
    assert (ack.station, ack.attrs["ip"], ack.attrs["interface"]) == (
        "b0:2a:43:c1:97:dc",
        "192.168.41.249",
        "VLAN_41",
    )


def test_a_rogue_ap_detection_is_understood_and_names_no_station() -> None:
    events, summary = _events(FAKE_AP)
    assert events == [] and summary.records == 1 and summary.coverage.unread == 0


@pytest.mark.parametrize("path", [DOCS, PORTAL, FAKE_AP, DHCP_TZ], ids=lambda p: p.name)
def test_each_real_log_is_detected_as_fortinet(path: Path) -> None:
    parser, _score = detect(path.read_bytes()[:65536])
    assert parser is not None and parser.name == "fortinet"


def test_every_wireless_message_id_gives_a_known_kind_and_fortinets_meaning() -> None:
    ids = load("fortinet").tables["wireless_ids"]
    assert len(ids) > 80
    for msgid, entry in ids.items():
        assert 500 <= int(msgid) <= 799
        assert entry["kind"] is None or entry["kind"] in KINDS, msgid
        assert entry["meaning"], msgid
        assert set(entry) <= {"kind", "attrs", "meaning"}, msgid


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_an_unknown_wireless_id_or_an_absurd_date_is_said_and_the_rest_read(tmp_path: Path) -> None:
    probe = _lines(DOCS)[0]
    unknown_id = probe.replace('logid="0104043681"', 'logid="0104043999"')
    far_future = probe.replace("date=2019-01-30", "date=9999-12-31")
    path = tmp_path / "mixed.log"
    path.write_text("\n".join([unknown_id, far_future, *_lines(PORTAL)]) + "\n", encoding="utf-8")
    events, summary = _events(path)
    assert [e.kind for e in events] == ["probe.request", "sta.connected", "dhcp.ack"]
    assert events[0].time is None  # (kept without its time)
    assert [p.line for p in summary.problems] == [2]
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 1  # the unknown id, said


def test_lines_of_other_formats_are_not_taken() -> None:
    parser = by_name("fortinet")
    assert parser is not None
    hostapd = b"Mar 05 18:06:10 ap hostapd: wlan0: STA 00:11:22:33:44:55 IEEE 802.11: associated\n"
    assert parser.sniff(hostapd) == 0
    # a traffic log of the same FortiGate is not a wireless event
    assert (
        parser.sniff(b'date=2024-12-24 time=11:56:25 logid="0000000013" type="traffic" subtype="forward"\n')
        == 0
    )
