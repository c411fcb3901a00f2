"""TP-Link Omada (parsers/omada.py): the controller's client events as a syslog server stores them and as its
webhooks send them; the wrong password, the MAC filter and the DHCP server's answers, each to its rule.
The inputs are real (tests/data/omada/SOURCES.md)."""

from __future__ import annotations

import calendar
from pathlib import Path

from readers import read
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data" / "omada"
SYSLOG = DATA / "controller-syslog-clients.log"
WEBHOOK = DATA / "webhook-text.log"


def test_both_forms_are_detected_and_every_line_is_read() -> None:
    for path in (SYSLOG, WEBHOOK):
        assert detect(path.read_bytes())[0] is by_name("omada"), path.name
        _, summary = read("omada", path)
        assert summary.problems == [] and summary.coverage.unread == 0, path.name
    for other in (
        "hostap/healthy_openwrt_logread_dhcp.log",
        "mikrotik/prefix-forms.log",
        "macos/console-copy-group-key.log",
    ):
        assert detect((DATA.parent / other).read_bytes())[0] is not by_name("omada"), other


def test_the_syslog_servers_stamp_dates_a_line_and_the_client_is_its_mac() -> None:
    events, _ = read("omada", SYSLOG)
    first = events[0]
    assert (first.kind, first.station, first.ap) == ("sta.connected", "74:71:1c:08:3a:78", "second_AP")
    assert first.attrs["ssid"] == "GUEST SSID" and first.attrs["channel"] == 1
    # 09:17:24.601673+01:00, the receiver's stamp (the controller's own, 01:17:23, has no zone)
    assert first.time == calendar.timegm((2024, 9, 12, 8, 17, 24)) + 0.601673
    # wired clients (a switch's, the gateway's port) give nothing
    assert "dc:d6:32:73:4e:a9" not in {e.station for e in events if e.ref.line in (2, 12, 13)}


def test_an_end_first_was_online_before_and_a_move_is_a_new_connection() -> None:
    events, _ = read("omada", SYSLOG)
    line3 = [
        (e.kind, e.ap, e.attrs.get("what"), e.attrs.get("duration_s")) for e in events if e.ref.line == 3
    ]
    assert line3 == [
        ("sta.connected", "second_AP", "before_input", None),
        ("sta.offline", "second_AP", None, 13 * 3600 + 28 * 60),
        ("sta.connected", "second_AP", None, None),
    ]


def test_a_wrong_password_ranks_the_key_first_with_omadas_own_advice() -> None:
    report = diagnose_paths([str(WEBHOOK)])
    d = next(d for d in report.diagnoses if d.station == "76:4b:5c:a6:30:6f")
    assert (d.verdict, d.stage) == ("failed", "4way-handshake")
    assert d.causes[0].rule == "4way-m2-mic-mismatch"
    assert d.causes[0].evidence[0].line == 5
    steps = [s for c in d.causes for s in c.fix]
    assert any(s.startswith("In the Omada controller") for s in steps)
    assert not [s for s in steps if "display " in s or "hostapd_cli" in s or "uci " in s]


def test_a_mac_filter_block_is_a_block_list_and_the_dhcp_servers_answers_are_read() -> None:
    report = diagnose_paths([str(SYSLOG)])
    by_station = {d.station: d for d in report.diagnoses}
    blocked = by_station["5d:12:cc:ff:a4:19"]
    assert (blocked.verdict, blocked.causes[0].rule) == ("failed", "sta-blacklisted")
    events, _ = read("omada", SYSLOG)
    dhcp = [(e.ref.line, e.kind, e.station, e.attrs.get("ip")) for e in events if e.kind.startswith("dhcp.")]
    assert dhcp == [
        (9, "dhcp.ack", "32:e7:e6:07:bd:0d", "10.40.60.2"),
        (10, "dhcp.nak", "70:5b:0f:9e:61:10", "10.10.45.6"),
        (17, "dhcp.failure", "45:22:54:9f:eb:54", "10.54.1.199"),
        (22, "dhcp.ack", "21:c1:d0:b7:3c:29", "1.1.1.2"),
        (23, "dhcp.failure", "10:b7:c6:17:bd:0d", "1.1.1.1"),
        (24, "dhcp.nak", "10:b7:c6:17:bd:0d", "2.8.0.2"),
    ]
