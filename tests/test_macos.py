"""macOS clients (parsers/macos.py): every prefix form a Mac's Wi-Fi lines were posted in, the link and key
messages of IO80211Family, eapolclient's 802.1X failures, and detection beside the other formats.  The
inputs are real (tests/data/macos/SOURCES.md)."""

from __future__ import annotations

import calendar
from pathlib import Path

import pytest

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data" / "macos"
REAL = Path(__file__).parent / "data" / "real"


def _events(name: str) -> tuple[list[Event], InputSummary]:
    return read("macos", DATA / name)


def _kinds(events: list[Event]) -> list[tuple[int, str]]:
    return [(e.ref.line, e.kind) for e in events]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.log")))
def test_every_real_file_is_detected_and_read_without_problems(name: str) -> None:
    assert detect((DATA / name).read_bytes())[0] is by_name("macos"), name
    _, summary = _events(name)
    assert summary.problems == []
    assert summary.coverage.unread == 0, summary.coverage.first


@pytest.mark.parametrize(
    ("name", "line", "when"),
    [
        # Console.app, ISO date and a 12-hour clock
        ("console-2012-link-down-reason-255.log", 1, (2012, 7, 25, 17, 24, 59, 0.0)),
        # Console.app, US date
        ("console-2016-link-down-reason-8.log", 1, (2016, 2, 10, 17, 53, 54, 0.0)),
        # log show: the zone (+0800) taken off
        ("unified-default-link-up-message-1.log", 7, (2020, 2, 18, 14, 34, 56, 0.473542)),
        # the itlwm driver under log show, +0200
        ("unified-default-itlwm-handshake.log", 2, (2020, 6, 10, 7, 53, 47, 0.936632)),
    ],
)
def test_dated_prefix_forms_give_the_time_in_utc(name: str, line: int, when: tuple[int, ...]) -> None:
    events, _ = _events(name)
    event = next(e for e in events if e.ref.line == line)
    *whole, frac = when
    assert event.time == pytest.approx(calendar.timegm((*whole,)) + frac)  # type: ignore[arg-type]


def test_wifi_log_reads_the_key_messages_and_skips_the_key_dumps() -> None:
    """/var/log/wifi.log: message 3/4 received, the reply (4/4) sent; the PTK and GTK lines are steps."""
    events, summary = _events("wifi-log-message-3-of-4-keys.log")
    assert _kinds(events) == [(5, "eapol.m3.sent"), (7, "eapol.m4.sent")]
    assert {e.station for e in events} == {"en1@wifi-log-message-3-of-4-keys.log"}
    assert all(e.time is not None for e in events)
    assert summary.coverage.unread == 0


def test_a_line_with_two_stamps_is_read_by_the_second() -> None:
    events, _ = _events("wifi-log-link-down-two-stamps.log")
    # the link lost is the first the input says of the Mac: it was online before the input began
    assert _kinds(events) == [(3, "sta.connected"), (3, "sta.offline")]
    assert events[0].attrs["what"] == "before_input"


def test_a_link_lost_while_online_ends_the_session_and_awdl_is_not_the_wlan() -> None:
    events, _ = _events("system-log-loghub-wifi-lines.log")
    # (awdl0's Link Up / Link Down lines give nothing: AirDrop's interface, not the Mac's WLAN link)
    assert {e.attrs["iface"] for e in events} == {"en0"}
    # a link that held hours with no key exchange after it (a campus's open network): a session that ended
    ends = [(e.ref.line, e.kind, e.attrs.get("reason")) for e in events if e.kind.startswith("sta.")]
    assert ends == [(10, "sta.connected", None), (10, "sta.offline", 8), (12, "sta.deauth", 8)]
    assert events[2].attrs["what"] == "link-held"
    # configd's "v4(en0:10.105.163.202)" is the address the Mac holds; "v4(en0-:..." one it lost
    acks = [e for e in events if e.kind == "dhcp.ack"]
    assert [(e.ref.line, e.attrs["ip"]) for e in acks] == [(24, "10.105.163.202"), (31, "10.105.160.237")]


def test_a_join_after_wake_is_online_and_a_roam_opens_no_failed_attempt() -> None:
    [d] = diagnose_paths([str(DATA / "system-log-wake-join-roam.log")]).diagnoses
    assert d.verdict == "online"
    assert [a.outcome.value for a in d.timeline.attempts if a.outcome.value == "failed"] == []
    events, _ = _events("system-log-wake-join-roam.log")
    auth = next(e for e in events if e.kind == "auth.response")
    assert auth.bssid == "5c:d9:98:65:83:d4"


def test_events_before_the_interface_is_named_take_its_name() -> None:
    """The kernel's message buffer: "MAC AUTH succeeded" names en1 after its first line; the key messages
    of wifi.log name none, and wait for the line that does."""
    events, _ = _events("msgbuf-join-roam.log")
    assert {e.station for e in events} == {"en1@msgbuf-join-roam.log"}
    events, _ = _events("unified-default-itlwm-handshake.log")
    assert [e.kind for e in events] == ["eapol.m1.sent", "eapol.m2.sent", "assoc.response"]
    assert {e.station for e in events} == {"wifi@unified-default-itlwm-handshake.log"}  # (none is named)


def test_the_group_key_message_of_a_console_copy() -> None:
    events, summary = _events("console-copy-group-key.log")
    assert _kinds(events) == [(4, "group.m1.sent")]
    assert "time stamps carry no date: placed on" in " ".join(summary.notes)


def test_a_scan_the_driver_refuses_is_a_scan_failure() -> None:
    events, _ = _events("system-log-scan-request-failed.log")
    assert [(e.kind, e.attrs["error"]) for e in events] == [("scan.failed", 16)]


def test_a_server_certificate_the_mac_does_not_trust_ranks_first_with_the_macs_advice() -> None:
    """eaphammer#3: a Mac on a rogue WPA2-Enterprise AP refuses its certificate (errSSLXCertChainInvalid)."""
    [d] = diagnose_paths([str(DATA / "system-log-eapolclient-cert-not-trusted.log")]).diagnoses
    assert (d.verdict, d.stage, d.station) == (
        "failed",
        "802.1x",
        "en0@system-log-eapolclient-cert-not-trusted.log",
    )
    first = d.causes[0]
    assert first.id == "eap-failure/station-refused-server-certificate"
    assert 5 in [ev.line for ev in first.evidence]
    assert first.fix[0].startswith("On the Mac")
    assert not [s for s in (*first.fix, *first.confirm) if "display aaa" in s or "trace object" in s]


def test_the_founding_osx_console_case_is_online() -> None:
    [d] = diagnose_paths([str(REAL / "macos-osx2016-console-linkliar-rsn-complete" / "input.log")]).diagnoses
    assert d.verdict == "online"


def test_other_formats_are_not_taken_for_macos() -> None:
    for other in (
        "hostap/healthy_openwrt_logread_dhcp.log",
        "hostap/haasmesh_issue2_psk_mismatch.log",
        "mikrotik/prefix-forms.log",
    ):
        assert detect((DATA.parent / other).read_bytes())[0] is not by_name("macos"), other


def test_an_airport_i_snapshot_says_where_the_link_stands() -> None:
    """`airport -I` pasted in a forum (tests/data/real/client-macos-airport-i-wpa2-running): not a log but the
    link's state; "state: running" is a joined link, its BSSID printed without leading zeros."""
    path = REAL / "client-macos-airport-i-wpa2-running" / "input.log"
    assert detect(path.read_bytes())[0] is by_name("macos")
    events, summary = read("macos", path)
    assert [(e.kind, e.bssid, e.ref.line) for e in events] == [("sta.connected", "00:b8:c2:39:55:0a", 5)]
    assert events[0].attrs["ssid"] == "Chen_Gili" and events[0].attrs["link_auth"] == "wpa2-psk"
    assert summary.problems == []


def test_an_airport_snapshot_after_lines_naming_the_interface_is_not_lost(tmp_path: Path) -> None:
    """The snapshot is told at the end of the input: also when earlier lines named the interface (its event
    then waits in the reader's output, not among those held for a name)."""
    real = (REAL / "client-macos-airport-i-wpa2-running" / "input.log").read_text()
    # (a real line: tests/data/macos/system-log-loghub-wifi-lines.log)
    link_up = "Jul  1 09:31:48 authorMacBook-Pro kernel[0]: AirPort: Link Up on en0\n"
    path = tmp_path / "mixed.log"
    path.write_text(link_up + real)
    events, _ = read("macos", path)
    assert [(e.kind, e.station) for e in events] == [
        ("assoc.response", "en0@mixed.log"),
        ("sta.connected", "en0@mixed.log"),
    ]


def test_an_associate_time_out_beside_a_failed_directed_scan_is_the_network_not_found() -> None:
    """Mac OS X 10.6 (a user's blog post): each Apple80211Associate() -3905 sits beside the Broadcom
    driver's "directed SSID scan fail", before or after it; the 802.11d country code had left the Mac on
    four 5 GHz channels.  The join found no AP of the SSID; no AP was left unanswered."""
    case = REAL / "mac-osx-10.6-blog-markdown-airportd-associate-timeout-directed-scan-fail" / "input.log"
    events, _ = read("macos", case)
    kinds = [(e.kind, e.ref.line) for e in events if e.kind in ("network.not_found", "assoc.failure")]
    # (the scan's line when it comes after the time-out, as on lines 1-2; the time-out's when it comes after
    # the scan, as on lines 22-23; the paste's stamps are unread, so lines side by side count)
    assert kinds == [("network.not_found", n) for n in (2, 3, 23, 25)]
    (d,) = diagnose_paths([str(case)]).diagnoses
    assert (str(d.verdict), str(d.stage), d.causes[0].rule) == ("failed", "discovery", "network-not-found")
