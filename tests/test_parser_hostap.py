"""hostapd / wpa_supplicant / dnsmasq parser: real issue excerpts, healthy logs, message mapping, hostile input."""

from __future__ import annotations

import io
import itertools
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wlandoctor.model import Event, InputSummary
from wlandoctor.model.kinds import FAILURE, KINDS, TERMINAL
from wlandoctor.parsers import by_name, detect
from wlandoctor.parsers.hostap import PARSER
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data" / "hostap"
CORPUS = sorted(p for p in DATA.glob("*.log") if not p.name.startswith("healthy_"))
HEALTHY = sorted(DATA.glob("healthy_*.log"))


# pieces of real lines, recombined with random bytes by the property test
FRAGMENTS = [line.encode() for p in sorted(DATA.glob("*.log")) for line in p.read_text().splitlines()[:6]] + [
    b"\x1b[31m",
    b"STA ",
    b"AP-STA-CONNECTED ",
    b"DHCPACK(br-lan) ",
    b"\r",
    b"\x00",
    b"<3>",
    b"IFNAME=",
    b" daemon=x",
    b" bssid=",
    b" reason=",
    b" status_code=99999999999",
    b"wlan0: ",
    b"CTRL-EVENT-",
    b"RADIUS message: code=2 (Access-Accept)",
]


def parse_path(path: Path) -> tuple[list[Event], InputSummary]:
    inp = Input.from_path(path)
    summary = InputSummary(inp.name, PARSER.name)
    try:
        return list(PARSER.parse(inp, summary)), summary
    finally:
        inp.close()


def parse_text(text: str | bytes, name: str = "paste.log") -> tuple[list[Event], InputSummary]:
    data = text.encode() if isinstance(text, str) else text
    inp = Input.from_bytes(name, data)
    summary = InputSummary(name, PARSER.name)
    return list(PARSER.parse(inp, summary)), summary


def rows(events: list[Event]) -> list[tuple[int, str, str]]:
    return [(e.ref.line, e.kind, e.station) for e in events]


def failure_kinds(events: list[Event]) -> set[str]:
    return {e.kind for e in events if KINDS[e.kind].role in (FAILURE, TERMINAL)}


def test_registered() -> None:
    assert by_name("hostap") is PARSER


# ---- real excerpts: what each issue thread describes ----------------------------------------------------


def test_88x2bu_wpa_supplicant_wrong_key_hint_is_weak() -> None:
    events, summary = parse_path(DATA / "88x2bu_issue78_wpa_supplicant_wrong_key.log")
    sta = "b4:4b:d6:2b:49:7a"  # from the interface name wlxb44bd62b497a
    assert rows(events) == [(1, "sta.deauth", sta), (2, "key.mismatch.summary", sta)]
    deauth, hint = events
    assert deauth.attrs["reason"] == 15 and deauth.attrs["by"] == "ap"
    assert deauth.bssid == deauth.ap == "2c:4d:54:5c:f2:50"
    # the thread says the key was right: the message is printed for any disconnect during the handshake
    assert hint.attrs["strength"] == "weak"
    assert hint.ap == "2c:4d:54:5c:f2:50"
    assert hint.attrs["daemon"] == "wpa_supplicant" and hint.attrs["iface"] == "wlxb44bd62b497a"
    assert "pre-shared key may be incorrect" in hint.attrs["message"]
    assert "eapol.m2.mic_failure" not in {e.kind for e in events}
    assert summary.problems == []


def test_asuswrt_mediatek_mic_different() -> None:
    events, _ = parse_path(DATA / "asuswrt-xiaomi_issue7_mediatek_mic_different.log")
    opaque = "unknown@asuswrt-xiaomi_issue7_mediatek_mic_different.log"
    fails = [(e.ref.line, e.station) for e in events if e.kind == "eapol.m2.mic_failure"]
    assert fails == [(n, opaque) for n in (1, 2, 3, 12, 13, 14)]
    # each failure comes with the M2 it implies
    assert [e.ref.line for e in events if e.kind == "eapol.m2.received"] == [1, 2, 3, 12, 13, 14]
    assert all(e.attrs["daemon"] == "driver" for e in events)
    ok = [e for e in events if e.kind == "handshake.success"]
    assert [(e.ref.line, e.station) for e in ok] == [(19, "00:08:22:53:24:41")]
    assert ok[0].attrs["auth_mode"] == "WPA2PSK"
    # year-less syslog: times kept in order
    times = [e.time for e in events]
    assert all(t is not None for t in times) and times == sorted(times)  # type: ignore[type-var]


def test_rt_n56u_single_kernel_line() -> None:
    events, _ = parse_path(DATA / "rt-n56u_issue648_mediatek_mic_different.log")
    assert [k for _, k, _ in rows(events)] == ["eapol.m2.received", "eapol.m2.mic_failure"]
    assert events[1].time is None and events[1].attrs["daemon"] == "driver"


def test_gnab_ptkstart_retry_limit_is_handshake_timeout() -> None:
    events, _ = parse_path(DATA / "gnab-rtl8812au_issue163_ptkstart_retry_limit.log")
    sta = "d8:9b:3b:d5:88:22"
    assert rows(events) == [(4, "eapol.m1.retry", sta), (11, "eapol.timeout", sta), (13, "sta.deauth", sta)]
    assert events[1].attrs["waiting_for"] == "m2" and events[1].attrs["retries"] == 4
    assert events[2].attrs["reason"] == 2 and events[2].attrs["by"] == "ap"
    assert events[0].attrs["iface"] == "enp0s26f7u1"
    # no M2 at all: nothing may claim a key mismatch
    assert not {"eapol.m2.received", "eapol.m2.mic_failure", "key.mismatch.summary"} & {
        e.kind for e in events
    }


def test_haasmesh_success_then_psk_mismatch() -> None:
    events, summary = parse_path(DATA / "haasmesh_issue2_psk_mismatch.log")
    good, bad = "a4:34:d9:be:76:2f", "8a:19:02:28:12:a8"
    assert rows(events) == [
        (1, "sta.deauth", good),
        (2, "auth.response", good),
        (3, "assoc.response", good),
        (5, "sta.connected", good),
        (7, "handshake.success", good),
        (8, "dhcp.request", good),
        (9, "dhcp.ack", good),
        (10, "auth.response", bad),
        (11, "assoc.response", bad),
        (12, "eapol.m2.received", bad),
        (12, "eapol.m2.mic_failure", bad),
    ]
    ack = events[6]
    assert ack.attrs["ip"] == "192.168.2.142" and ack.attrs["hostname"] == "DESKTOP-BDV8NPV"
    assert ack.attrs["daemon"] == "dnsmasq"
    assert events[2].attrs["aid"] == 1 and events[2].attrs["iface"] == "wlan0-1"
    assert events[-1].attrs["iface"] == "wlan2"
    assert events[0].time == 1628962528.0  # Sat Aug 14 17:35:28 2021 (logread carries the year)
    assert failure_kinds(events[1:9]) == set()
    assert summary.records == 10 and summary.problems == []


def test_openwrt_13787_four_psk_mismatches_then_wps() -> None:
    events, _ = parse_path(DATA / "openwrt_issue13787_wps_psk_mismatch.log")
    sta = "74:38:b7:xx:xx:xx"  # redacted by the poster, kept as an opaque id
    assert {e.station for e in events} == {sta}
    assert [e.ref.line for e in events if e.kind == "eapol.m2.mic_failure"] == [3, 4, 5, 6]
    assert [e.ref.line for e in events if e.kind == "eapol.m2.received"] == [3, 4, 5, 6]
    times = [e.time for e in events if e.kind == "eapol.m2.mic_failure"]
    assert [b - a for a, b in itertools.pairwise(times)] == [1.0, 1.0, 1.0]  # type: ignore[operator]
    assert rows(events)[10:] == [
        (7, "sta.deauth", sta),
        (9, "auth.response", sta),
        (10, "assoc.response", sta),
        (11, "eapol.start", sta),
        (12, "eap.identity.request", sta),
    ]
    assert events[10].attrs["by"] == "ap"
    assert all(e.radio == 0 for e in events)  # phy0-ap0


def test_rtl871xdrv_eapol_retries() -> None:
    events, _ = parse_path(DATA / "hostapd-rtl871xdrv_issue15_ios_eapol_retries.log")
    sta = "a4:b8:05:c4:f9:44"
    assert rows(events) == [(3, "eapol.m1.retry", sta), (25, "eapol.m2.received", sta)]
    # the invalid-MIC line is only in the issue title, not in the excerpt
    assert "eapol.m2.mic_failure" not in {e.kind for e in events}


def test_linux_router_m1_twice_then_m2() -> None:
    events, _ = parse_path(DATA / "linux-router_issue65_hostapd_dd.log")
    sta = "6e:0d:e3:c2:48:9b"
    assert rows(events) == [
        (20, "eapol.m1.sent", sta),
        (30, "eapol.m1.sent", sta),
        (41, "eapol.m2.received", sta),
    ]
    assert all(e.attrs["daemon"] == "hostapd" for e in events)


def test_openmiko_supplicant_station_is_own_mac() -> None:
    events, _ = parse_path(DATA / "openmiko_issue105_wpa_supplicant_msg1_msg2.log")
    own, ap = "c8:02:8f:7f:9e:40", "3c:7c:3f:f6:c4:c0"
    assert rows(events) == [(1, "eapol.m1.sent", own), (14, "eapol.m2.sent", own)]
    assert events[0].attrs["seen_by"] == "sta" and events[0].attrs["key_version"] == 2
    assert all(e.ap == ap and e.bssid == ap for e in events)
    assert all(e.attrs["daemon"] == "wpa_supplicant" for e in events)


@pytest.mark.parametrize("path", CORPUS + HEALTHY, ids=lambda p: p.name)
def test_every_fixture_parses_cleanly(path: Path) -> None:
    events, summary = parse_path(path)
    assert events
    assert summary.problems == []
    assert all(e.kind in KINDS and e.stage == KINDS[e.kind].stage for e in events)
    assert all(e.ref.source == str(path) and e.ref.line >= 1 for e in events)
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    lines = path.read_text().splitlines()
    for e in events:  # the evidence is the line the event came from
        assert e.ref.text == lines[e.ref.line - 1]


# ---- healthy logs ---------------------------------------------------------------------------------------


def test_healthy_hostapd_dd() -> None:
    events, summary = parse_path(DATA / "healthy_hostapd_dd_wpa2psk.log")
    sta = "02:00:00:00:02:00"
    assert [k for _, k, s in rows(events) if s == sta] == [
        "auth.request",
        "auth.response",
        "assoc.request",
        "assoc.response",
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m3.sent",
        "eapol.m4.received",
        "sta.connected",
        "handshake.success",
    ]
    assert failure_kinds(events) == set()
    assert {e.station for e in events} == {sta}
    # "Using interface wlan0 with hwaddr ... and ssid" gives the BSS
    assert all(e.bssid == "02:00:00:00:01:00" and e.ssid == "HomeNet" for e in events)
    assert events[0].time == pytest.approx(1700000012.400198)
    assert summary.skipped > 60  # hexdumps, nl80211 and state-machine lines are not events


def test_healthy_openwrt_logread_with_dhcp() -> None:
    events, _ = parse_path(DATA / "healthy_openwrt_logread_dhcp.log")
    kinds = [e.kind for e in events]
    assert kinds == [
        "auth.response",
        "assoc.response",
        "sta.connected",
        "handshake.success",
        "dhcp.discover",
        "dhcp.offer",
        "dhcp.request",
        "dhcp.ack",
    ]  # the group rekey ten minutes later is routine, not onboarding: no event
    assert failure_kinds(events) == set()
    assert {e.station for e in events} == {"3a:5f:11:22:9c:01"}
    assert events[7].attrs["ip"] == "192.168.1.171" and events[7].attrs["hostname"] == "Pixel-7"


# ---- sniffing -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS + HEALTHY, ids=lambda p: p.name)
def test_sniff_picks_hostap(path: Path) -> None:
    head = path.read_bytes()[:65536]
    parser, score = detect(head)
    assert parser is PARSER and score >= 70


def test_sniff_rejects_huawei_traces() -> None:
    text = (DATA / "huawei_trace_lines.txt").read_bytes()
    assert text.count(b"\n") == 55
    assert PARSER.sniff(text) == 0
    for line in text.splitlines():
        assert PARSER.sniff(line) == 0


# ---- message mapping (exact hostap / dnsmasq strings) ----------------------------------------------------

MAPPING = [
    # hostapd logger lines
    (
        "wlan0: STA 02:11:22:33:44:55 WPA: invalid MIC in msg 2/4 of 4-Way Handshake",
        ["eapol.m2.received", "eapol.m2.mic_failure"],
    ),
    ("wlan0: STA 02:11:22:33:44:55 WPA: PTKINITNEGOTIATING: Retry limit 4 reached", ["eapol.timeout"]),
    ("wlan0: STA 02:11:22:33:44:55 WPA: received EAPOL-Key with invalid MIC", ["handshake.failed"]),
    ("wlan0: STA 02:11:22:33:44:55 WPA: sending 1/2 msg of Group Key Handshake", ["group.m1.sent"]),
    ("wlan0: STA 02:11:22:33:44:55 WPA: received EAPOL-Key frame (2/2 Group)", ["group.m2.received"]),
    ("wlan0: STA 02:11:22:33:44:55 WPA: group key handshake completed (WPA)", ["group.m2.received"]),
    # a rekey of a station the input never named before: it is connected (its join came before the log)
    ("wlan0: STA 02:11:22:33:44:55 WPA: group key handshake completed (RSN)", ["sta.connected"]),
    ("wlan0: STA 02:11:22:33:44:55 IEEE 802.11: disassociated", ["sta.disassoc"]),
    (
        "wlan0: STA 02:11:22:33:44:55 IEEE 802.11: deauthenticated due to inactivity (timer DEAUTH/REMOVE)",
        ["sta.deauth"],
    ),
    ("wlan0: STA 02:11:22:33:44:55 IEEE 802.1X: received EAPOL-Start from STA", ["eapol.start"]),
    ("wlan0: STA 02:11:22:33:44:55 IEEE 802.1X: STA identity 'alice'", ["eap.identity.response"]),
    ("wlan0: STA 02:11:22:33:44:55 IEEE 802.1X: authenticated - EAP type: 25 (PEAP)", ["eap.success"]),
    (
        "wlan0: STA 02:11:22:33:44:55 IEEE 802.1X: authentication failed - EAP type: 25 (PEAP)",
        ["eap.failure"],
    ),
    ("wlan0: STA 02:11:22:33:44:55 RADIUS: Resending RADIUS message (id=7)", ["radius.no_reply"]),
    # hostapd control events
    # (alone, the first word of the station: hostapd says it only of a station it had authorized)
    ("wlan0: AP-STA-DISCONNECTED 02:11:22:33:44:55", ["sta.connected", "sta.offline"]),
    ("wlan0: AP-REJECTED-MAX-STA 02:11:22:33:44:55", ["assoc.reject"]),
    ("wlan0: AP-REJECTED-BLOCKED-STA 02:11:22:33:44:55", ["sta.blacklisted"]),
    ("wlan0: CTRL-EVENT-EAP-FAILURE2 02:11:22:33:44:55", ["eap.failure"]),
    ("wlan0: CTRL-EVENT-EAP-SUCCESS2 02:11:22:33:44:55", ["eap.success"]),
    ("wlan0: CTRL-EVENT-EAP-TIMEOUT-FAILURE2 02:11:22:33:44:55", ["eap.retries_exceeded"]),
    # wpa_supplicant
    ("wlan0: CTRL-EVENT-ASSOC-REJECT bssid=3c:7c:3f:f6:c4:c0 status_code=17", ["assoc.reject"]),
    (
        "wlan0: CTRL-EVENT-AUTH-REJECT 3c:7c:3f:f6:c4:c0 auth_type=3 auth_transaction=2 status_code=15",
        ["auth.reject"],
    ),
    ("wlan0: CTRL-EVENT-NETWORK-NOT-FOUND", ["network.not_found"]),
    ("wlan0: CTRL-EVENT-EAP-STARTED EAP authentication started", ["eapol.start"]),
    ("wlan0: CTRL-EVENT-EAP-METHOD EAP vendor 0 method 25 (PEAP) selected", ["eap.challenge.request"]),
    ("wlan0: CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully", ["eap.success"]),
    ("wlan0: CTRL-EVENT-EAP-FAILURE EAP authentication failed", ["eap.failure"]),
    (
        'wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="HomeNet" auth_failures=1 duration=10 reason=WRONG_KEY',
        ["key.mismatch.summary"],
    ),
    (
        'wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="Corp" auth_failures=2 duration=20 reason=AUTH_FAILED',
        ["aaa_fail.record"],
    ),
    (
        'wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="HomeNet" auth_failures=1 duration=10 reason=CONN_FAILED',
        ["online_fail.record"],
    ),
    (
        "wlan0: CTRL-EVENT-CONNECTED - Connection to 3c:7c:3f:f6:c4:c0 completed [id=0 id_str=]",
        ["sta.connected"],
    ),
    (
        "wlan0: SME: Trying to authenticate with 3c:7c:3f:f6:c4:c0 (SSID='HomeNet' freq=2437 MHz)",
        ["auth.request"],
    ),
    ("wlan0: Trying to associate with 3c:7c:3f:f6:c4:c0 (SSID='HomeNet' freq=2437 MHz)", ["assoc.request"]),
    ("wlan0: Associated with 3c:7c:3f:f6:c4:c0", ["assoc.response"]),
    ("wlan0: Authentication with 3c:7c:3f:f6:c4:c0 timed out.", ["auth.timeout"]),
    ("wlan0: WPA: RX message 3 of 4-Way Handshake from 3c:7c:3f:f6:c4:c0 (ver=2)", ["eapol.m3.sent"]),
    ("wlan0: WPA: Sending EAPOL-Key 4/4", ["eapol.m4.sent"]),
    (
        "wlan0: WPA: Key negotiation completed with 3c:7c:3f:f6:c4:c0 [PTK=CCMP GTK=CCMP]",
        ["handshake.success"],
    ),
    ("wlan0: WPA: Invalid EAPOL-Key MIC - dropping packet", ["handshake.failed"]),
    ("wlan0: PMKSA-CACHE-ADDED 3c:7c:3f:f6:c4:c0 0", ["pmksa.cache"]),
    ("RSN: found matching PMKID from PMKSA cache", ["pmksa.cache"]),
    # dnsmasq
    ("dnsmasq-dhcp[1893]: DHCPNAK(br-lan) 192.168.1.20 02:11:22:33:44:55 wrong address", ["dhcp.nak"]),
    (
        "dnsmasq-dhcp[1893]: DHCPDISCOVER(br-lan) 02:11:22:33:44:55 no address available",
        ["dhcp.discover", "dhcp.failure"],
    ),
    ("dnsmasq-dhcp[1893]: 3151273434 DHCPACK(br-lan) 192.168.1.20 02:11:22:33:44:55 laptop", ["dhcp.ack"]),
    ("wlan2: STA 28:c2:1f:00:11:22 IEEE 802.11: Could not add STA to kernel driver", ["assoc.failure"]),
    (
        "wlan2: STA 28:c2:1f:00:11:22 IEEE 802.11: did not acknowledge authentication response",
        ["auth.timeout"],
    ),
    (
        "authentication reply: STA=02:11:22:33:44:55 auth_alg=3 auth_transaction=1 resp=15 (IE len=0) (dbg=sae)",
        ["auth.reject"],
    ),
    ("wlan0: STA 02:11:22:33:44:55 WPA: group key handshake failed (RSN) after 4 tries", ["group.timeout"]),
    # odhcpd, OpenWrt's DHCP server (openwrt/odhcpd#128): a reply to the broadcast address is the answer to
    # the station it heard last
    ("Sun Apr 14 15:53:26 2019 daemon.notice odhcpd[1642]: Got DHCPv4 request", []),
    (
        "Sun Apr 14 15:53:26 2019 daemon.warn odhcpd[1642]: received DHCPV4_MSG_INFORM from d0:50:99:81:35:1f",
        ["dhcp.request"],
    ),
    # Xiaomi stock firmware's MediaTek driver (acecilia/OpenWRTInvasion#115, #116): each step of a join
    (
        '[ 9272.820000] wifi_log: [Class 1 - RECV AUTH] - if="wl1", sta_mac="50:5b:c2:09:e8:32", '
        'bssid="3c:cd:57:71:f8:fc", action="recv-auth", rssi="-32", status="0"',
        ["auth.request"],
    ),
    (
        '[ 9272.830000] wifi_log: [Class 1 - SEND AUTH_RSP] - if="wl1", sta_mac="50:5b:c2:09:e8:32", '
        'bssid="3c:cd:57:71:f8:fc", action="mlme-auth", info="send auth resp(Success)", status="0"',
        ["auth.response"],
    ),
    (
        '[ 8280.480000] wifi_log: [Class 2 - SEND ASSOC RSP] - if="wl1", sta_mac="66:64:4a:07:e9:22", '
        'bssid="3c:cd:57:71:f8:fc", action="mlme-assoc", status="0", Aid="3"',
        ["assoc.response"],
    ),
    (
        '[ 8280.580000] wifi_log: [Class 3 - EAPOL START] - if="wl1", sta_mac="66:64:4a:07:e9:22", '
        'bssid="3c:cd:57:71:f8:fc", action="eapol-start"',
        [],
    ),
    (
        '[ 9239.180000] wifi_log: [Class 3 - EAPOL DONE] - if="wl0", sta_mac="bc:fe:d9:3b:69:ce", '
        'bssid="3c:cd:57:71:f8:fd", action="eapol-done"',
        ["handshake.success"],
    ),
    ("[ 9272.870000] wifi_assoc MAC 50-5b-c2-09-e8-32, RSSI -32 StatusCode 0", ["assoc.response"]),
    ("[ 9272.810000] wifi_auth1 MAC 50-5b-c2-09-e8-32", []),
    # accounting starts once the port is authorized: with no key said before it (an open network), the admission
    ("wlan0: STA 02:11:22:33:44:55 RADIUS: starting accounting session 4F977BB2F7A19342", ["sta.connected"]),
    # lines that must not become events
    (
        "authentication reply: STA=02:11:22:33:44:55 auth_alg=0 auth_transaction=2 resp=0 (IE len=0) (dbg=handle-auth)",
        [],
    ),
    # (debug level; the info-level "authenticated" after it is the same step: one event, see below)
    ("wlan0: STA 02:11:22:33:44:55 IEEE 802.11: authentication OK (open system)", ["auth.response"]),
    ("WPA: Use EAPOL-Key timeout of 1000 ms (retry counter 1)", []),
    ("dnsmasq[1893]: query[A] example.org from 192.168.1.20", []),
]


@pytest.mark.parametrize(("line", "kinds"), MAPPING, ids=[m[0][:60] for m in MAPPING])
def test_message_mapping(line: str, kinds: list[str]) -> None:
    events, summary = parse_text(line + "\n")
    assert [e.kind for e in events] == kinds
    assert summary.problems == []
    for e in events:
        assert e.attrs["message"] and e.attrs["daemon"] in ("hostapd", "wpa_supplicant", "dnsmasq", "driver")


def test_codes_and_ssid_are_extracted() -> None:
    text = (
        "Mar  1 23:23:20 box wpa_supplicant[812]: wlan0: SME: Trying to authenticate with 3c:7c:3f:f6:c4:c0 "
        "(SSID='Home Net' freq=5180 MHz)\n"
        "Mar  1 23:23:21 box wpa_supplicant[812]: wlan0: CTRL-EVENT-ASSOC-REJECT bssid=3c:7c:3f:f6:c4:c0 "
        "status_code=17\n"
        "Mar  1 23:23:29 box wpa_supplicant[812]: wlan0: CTRL-EVENT-DISCONNECTED bssid=3c:7c:3f:f6:c4:c0 "
        "reason=3 locally_generated=1\n"
        'Mar  1 23:23:30 box wpa_supplicant[812]: wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="Home Net" '
        "auth_failures=1 duration=10 reason=WRONG_KEY\n"
    )
    events, _ = parse_text(text)
    assert [e.kind for e in events] == ["auth.request", "assoc.reject", "sta.deauth", "key.mismatch.summary"]
    # no own MAC in the log: a stable opaque id from interface and host
    assert {e.station for e in events} == {"wlan0@box"}
    assert events[0].ssid == "Home Net" and events[0].attrs["freq"] == 5180
    assert events[1].attrs["status"] == 17 and events[1].ap == "3c:7c:3f:f6:c4:c0"
    assert events[2].attrs["reason"] == 3 and events[2].attrs["by"] == "sta"
    assert events[3].attrs["strength"] == "client-verdict" and events[3].attrs["reason"] == "WRONG_KEY"
    assert events[3].ssid == "Home Net"


def test_escaped_ssids_are_decoded() -> None:
    events, _ = parse_text(
        "wlan0: Trying to associate with 3c:7c:3f:f6:c4:c0 (SSID='\\xe4\\xb8\\xad\\xe6\\x96\\x87 Bob's' "
        "freq=2412 MHz)\n"
        'wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="x\\ey" auth_failures=1 duration=10 reason=WRONG_KEY\n'
    )
    assert events[0].ssid == "中文 Bob's"
    assert events[1].ssid == "x\\x1by"  # an escape character stays visible


def test_hostapd_pmkid_offered_and_used() -> None:
    events, _ = parse_text(
        "1700000001.000001: association request: STA=02:11:22:33:44:55 capab_info=0x431 listen_interval=10 "
        "seq_ctrl=0x10\n"
        "1700000001.000002: RSN IE: STA PMKID - hexdump(len=16): 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00\n"
        "1700000001.000003: wlan0: STA 02:11:22:33:44:55 WPA: PMKID found from PMKSA cache eap_type=0 vlan=0\n"
        "1700000001.000004: wlan0: STA 02:11:22:33:44:55 WPA: No PMKSA cache entry found for SAE\n"
    )
    assert [(e.ref.line, e.kind, e.attrs.get("action")) for e in events] == [
        (1, "assoc.request", None),
        (2, "pmksa.cache", "offered"),
        (3, "pmksa.cache", "used"),
        (4, "pmksa.cache", "miss"),
    ]
    assert {e.station for e in events} == {"02:11:22:33:44:55"}
    assert events[1].time == pytest.approx(1700000001.000002)


def test_own_mac_line_sets_the_station() -> None:
    text = (
        "wlan0: Own MAC address: 00:e0:4c:68:01:02\n"
        "wlan0: CTRL-EVENT-CONNECTED - Connection to 3c:7c:3f:f6:c4:c0 completed [id=0 id_str=]\n"
        "wlan0: CTRL-EVENT-DISCONNECTED bssid=3c:7c:3f:f6:c4:c0 reason=4\n"
    )
    events, _ = parse_text(text)
    assert rows(events) == [
        (2, "sta.connected", "00:e0:4c:68:01:02"),
        (3, "sta.offline", "00:e0:4c:68:01:02"),
    ]
    assert events[1].attrs["reason"] == 4


def test_psk_mismatch_after_invalid_mic_is_one_failure() -> None:
    text = (
        "1700000001.000001: wlan0: STA 02:11:22:33:44:55 WPA: received EAPOL-Key frame (2/4 Pairwise)\n"
        "1700000001.000002: wlan0: STA 02:11:22:33:44:55 WPA: invalid MIC in msg 2/4 of 4-Way Handshake\n"
        "1700000001.000003: wlan0: AP-STA-POSSIBLE-PSK-MISMATCH 02:11:22:33:44:55\n"
        "1700000002.000001: wlan0: STA 02:11:22:33:44:55 WPA: EAPOL-Key timeout\n"
        "1700000002.000002: wlan0: STA 02:11:22:33:44:55 WPA: sending 1/4 msg of 4-Way Handshake\n"
        "1700000002.000003: wlan0: AP-STA-POSSIBLE-PSK-MISMATCH 02:11:22:33:44:55\n"
    )
    events, _ = parse_text(text)
    assert [(n, k) for n, k, _ in rows(events)] == [
        (1, "eapol.m2.received"),
        (2, "eapol.m2.mic_failure"),
        (5, "eapol.m1.retry"),
        (6, "eapol.m2.received"),
        (6, "eapol.m2.mic_failure"),
    ]
    assert events[0].time == pytest.approx(1700000001.000001)


def test_radius_no_response_goes_to_stations_waiting_for_eap() -> None:
    text = (
        "wlan0: CTRL-EVENT-EAP-STARTED 02:11:22:33:44:55\n"
        "wlan0: CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=1\n"
        "wlan0: RADIUS: No response from Authentication server 10.0.0.2:1812 - failover\n"
    )
    events, _ = parse_text(b"hostapd: " + text.encode().replace(b"\n", b"\nhostapd: ", 2))
    assert rows(events) == [
        (1, "eapol.start", "02:11:22:33:44:55"),
        (2, "eap.identity.request", "02:11:22:33:44:55"),
        (3, "radius.no_reply", "02:11:22:33:44:55"),
    ]
    assert events[2].attrs["server"] == "10.0.0.2:1812"


def test_yearless_syslog_rolls_over_and_keeps_order() -> None:
    text = (
        "Dec 31 23:59:58 box hostapd: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: authenticated\n"
        "Jan  1 00:00:01 box hostapd: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: associated (aid 1)\n"
    )
    events, _ = parse_text(text)
    assert events[1].time - events[0].time == pytest.approx(3.0)  # type: ignore[operator]
    assert events[0].ap == "box"


def test_journal_iso_time() -> None:
    events, _ = parse_text(
        "2023-10-25T17:26:50+0200 box hostapd[77]: wlan0: AP-STA-CONNECTED 02:11:22:33:44:55\n"
    )
    assert events[0].time == 1698247610.0  # 15:26:50 UTC


# ---- hostile input --------------------------------------------------------------------------------------


def test_hostile_input_gives_problems_and_the_rest_is_parsed() -> None:
    good = "Wed Oct 25 17:26:50 2023 daemon.info hostapd: phy0-ap0: STA 02:11:22:33:44:55 IEEE 802.11: authenticated"
    parts = [
        good.encode() + b"\r\n",  # 1 CRLF
        b"\x00\x01\x02\xff\xfe binary junk \x00\x00\x00\x90\x91\n",  # 2 binary
        b"phy0-ap0: AP-STA-CONNECTED 02:11:22:33:44:56 " + b"A" * (5 * 1024 * 1024) + b"\n",  # 3 5 MB line
        b"\x1b[0;1;31mphy0-ap0: AP-STA-POSSIBLE-PSK-MISMATCH 02:11:22:33:44:57\x1b[0m\n",  # 4 ANSI colours
        b"phy0-ap0: AP-STA-CONNECTED <script>alert(1)</script>\n",  # 5 HTML instead of a MAC
        b"Wed Oct 25 17:26:51 2023 daemon.info dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.9 <b>x</b>\r\n",  # 6
        good.replace("authenticated", "associated (aid 3)").encode() + b"\r\n",  # 7 CRLF again
        b"phy0-ap0: AP-STA-CONNECTED 02:11:22:3",  # 8 truncated last line, no newline
    ]
    events, summary = parse_text(b"".join(parts), name="hostile.log")
    assert rows(events) == [
        (1, "auth.response", "02:11:22:33:44:55"),
        (3, "sta.connected", "02:11:22:33:44:56"),
        (4, "eapol.m2.received", "02:11:22:33:44:57"),
        (4, "eapol.m2.mic_failure", "02:11:22:33:44:57"),
        (7, "assoc.response", "02:11:22:33:44:55"),
    ]
    problems = {p.line: p.message for p in summary.problems}
    assert set(problems) == {2, 3, 4, 5, 6, 8}
    assert "binary" in problems[2]
    assert "longer than" in problems[3]
    assert "escape" in problems[4]
    assert "MAC" in problems[5] and "MAC" in problems[6] and "MAC" in problems[8]
    assert events[0].ref.text == good  # CR removed
    assert events[-1].attrs["aid"] == 3
    assert len(events[1].ref.text) < 1000  # evidence of the 5 MB line is cut
    assert "\x1b" not in events[2].ref.text


def test_field_names_in_a_line_cannot_clash_with_event_fields() -> None:
    events, summary = parse_text(
        "wlan0: AP-STA-CONNECTED 02:11:22:33:44:55 daemon=x bssid=y message=z station=w keyid=guest\n"
    )
    assert events[0].attrs["daemon"] == "hostapd" and events[0].attrs["keyid"] == "guest"
    assert events[0].bssid is None and "station" not in events[0].attrs
    assert summary.problems == []


def test_control_characters_never_reach_evidence() -> None:
    events, _ = parse_text("wlan0: AP-STA-CONNECTED 02:11:22:33:44:55 keyid=\x07\x08bell\n")
    assert events[0].ref.text.endswith("keyid=\\x07\\x08bell")


class _Generated(io.RawIOBase):
    """An endless-looking log produced on the fly, so the test itself holds no big buffer."""

    def __init__(self, blocks: int) -> None:
        self.left = blocks
        self.buf = b""
        self.block = (DATA / "healthy_openwrt_logread_dhcp.log").read_bytes()

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self.buf) < len(b) and self.left:
            self.buf += self.block
            self.left -= 1
        n = min(len(b), len(self.buf))
        b[:n] = self.buf[:n]
        self.buf = self.buf[n:]
        return n


def _peak(blocks: int) -> tuple[int, int]:
    stream = _Generated(blocks)
    inp = Input("gen.log", None, None, b"", stream)  # type: ignore[arg-type]
    summary = InputSummary("gen.log", PARSER.name)
    tracemalloc.start()
    n = sum(1 for _ in PARSER.parse(inp, summary))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return n, peak


def test_memory_does_not_grow_with_input_size() -> None:
    # both sizes are several read chunks (1 MiB) long; three times the input must not need more memory
    n1, peak1 = _peak(2500)  # ~2.9 MB
    n2, peak2 = _peak(7500)  # ~8.8 MB
    assert n2 == 3 * n1
    assert peak2 < peak1 * 1.3


# ---- real hostapd / wpa_supplicant -dd -t runs of the project's 802.1X lab (tests/data/lab, SOURCES.md there) --

LAB = Path(__file__).parent / "data" / "lab"
STA = "02:1a:b0:00:00:02"


def lab(case: str, daemon: str) -> list[tuple[int, str]]:
    events, summary = parse_path(LAB / case / f"{daemon}.log")
    assert summary.problems == []
    assert {e.station for e in events} == {STA}  # wpa_supplicant: from "veth-sta: Own MAC address: ..."
    return [(e.ref.line, e.kind) for e in events]


def test_lab_success() -> None:
    assert lab("success", "hostapd") == [
        (30, "eapol.start"),
        (40, "eap.identity.request"),
        (69, "eap.identity.response"),
        (72, "radius.request"),
        (107, "radius.challenge"),
        (109, "eap.challenge.request"),  # EAP-MD5 proposed by the server (the supplicant NAKs it)
        (171, "eap.challenge.request"),  # then PEAP
        (745, "radius.accept"),
        (752, "eap.success"),  # EAP-SUCCESS2; the "authenticated - EAP type" line repeats it
        (756, "sta.connected"),
        (768, "sta.offline"),  # the lab stops hostapd
    ]
    assert lab("success", "wpa_supplicant") == [
        (63, "assoc.response"),
        (94, "eapol.start"),
        (143, "eap.challenge.request"),
        (611, "eap.success"),
        (616, "sta.connected"),
        (630, "sta.offline"),
    ]


def test_lab_wrong_password() -> None:
    ap = lab("wrong-password", "hostapd")
    assert ap[-3:] == [(675, "radius.reject"), (679, "eap.failure"), (688, "sta.deauth")]
    assert "radius.accept" not in {k for _, k in ap}
    sta = lab("wrong-password", "wpa_supplicant")
    assert sta[-3:] == [(578, "eap.failure"), (592, "sta.deauth"), (593, "aaa_fail.record")]
    events, _ = parse_path(LAB / "wrong-password" / "hostapd.log")
    assert events[-1].attrs["reason"] == 23 and events[-1].attrs["by"] == "ap"  # IEEE 802.1X auth failed


def test_lab_radius_down() -> None:
    ap = lab("radius-down", "hostapd")
    assert [n for n, k in ap if k == "radius.unreachable"] == [98, 102, 105]  # recvmsg: Connection refused
    assert [n for n, k in ap if k == "radius.no_reply"] == [100, 103]  # Resending RADIUS message
    assert not {"radius.accept", "radius.reject", "eap.success", "eap.failure"} & {k for _, k in ap}


def test_lab_wrong_secret() -> None:
    ap = lab("wrong-secret", "hostapd")
    assert [n for n, k in ap if k == "radius.no_reply"] == [99, 101]
    assert "radius.unreachable" not in {k for _, k in ap}  # the server is there, it drops the requests


def test_lab_no_supplicant() -> None:
    ap = lab("no-supplicant", "hostapd")
    assert ap == [
        (31, "eapol.start"),
        (36, "eap.identity.request"),
        (48, "eap.identity.timeout"),
        (55, "eap.identity.timeout"),
    ]


def test_control_interface_prefixes() -> None:
    events, summary = parse_text(
        "<3>AP-STA-CONNECTED 02:11:22:33:44:55\n"
        "IFNAME=wlan1 <3>CTRL-EVENT-CONNECTED - Connection to 3c:7c:3f:f6:c4:c0 completed [id=0 id_str=]\n"
    )
    assert [(e.kind, e.attrs.get("iface")) for e in events] == [
        ("sta.connected", None),
        ("sta.connected", "wlan1"),
    ]
    assert events[1].station == "wlan1@paste.log" and events[1].bssid == "3c:7c:3f:f6:c4:c0"
    assert summary.problems == []


def test_yearless_stamps_take_the_year_of_the_file(tmp_path: Path) -> None:
    import calendar
    import os

    log = tmp_path / "messages"
    log.write_text(
        "Dec 31 23:59:58 box hostapd: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: authenticated\n"
        "Jan  1 00:00:01 box hostapd: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: associated (aid 1)\n"
    )
    written = calendar.timegm((2021, 3, 1, 12, 0, 0, 0, 0, 0))
    os.utime(log, (written, written))
    events, _ = parse_path(log)
    assert [e.time for e in events] == [
        calendar.timegm((2020, 12, 31, 23, 59, 58, 0, 0, 0)),
        calendar.timegm((2021, 1, 1, 0, 0, 1, 0, 0, 0)),
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.binary(max_size=200), st.sampled_from(FRAGMENTS)), max_size=30))
def test_arbitrary_input_never_raises(parts: list[bytes]) -> None:
    events, summary = parse_text(b"\n".join(parts))
    for e in events:
        assert e.kind in KINDS and e.station and e.ref.line >= 1
        assert "\x1b" not in e.ref.text and "\x00" not in e.ref.text
    assert all(p.line >= 0 for p in summary.problems)


def test_android_logcat() -> None:
    events, summary = parse_text(
        "11-25 10:00:00.123  1234  1290 I wpa_supplicant: wlan0: Trying to associate with 3c:7c:3f:f6:c4:c0 "
        "(SSID='HomeNet' freq=2437 MHz)\n"
        "11-25 10:00:00.345  1234  1290 I wpa_supplicant: wlan0: CTRL-EVENT-DISCONNECTED bssid=3c:7c:3f:f6:c4:c0 "
        "reason=15\n"
        "11-25 10:00:00.346  1234  1290 I wpa_supplicant: wlan0: WPA: 4-Way Handshake failed - pre-shared key may "
        "be incorrect\n"
        '11-25 10:00:00.347  1234  1290 I wpa_supplicant: wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=1 ssid="HomeNet" '
        "auth_failures=1 duration=10 reason=WRONG_KEY\n"
    )
    assert [e.kind for e in events] == [
        "assoc.request",
        "sta.deauth",
        "key.mismatch.summary",
        "key.mismatch.summary",
    ]
    assert [e.attrs.get("strength") for e in events[2:]] == ["weak", "client-verdict"]
    assert events[1].time - events[0].time == pytest.approx(0.222)  # type: ignore[operator]
    assert all(e.attrs["daemon"] == "wpa_supplicant" and e.ssid == "HomeNet" for e in events)
    assert summary.problems == []


# TKIP countermeasures, in the wording of hostapd's src/ap/tkip_countermeasures.c and wpa_auth.c and of
# wpa_supplicant's events.c (hostapd_logger: "<iface>: STA <mac> <module>: <text>", or "<iface>: <module>
# <text>" for a line naming no station).
TKIP_HOSTAPD = """\
Tue Jun  4 09:12:40 2024 daemon.info hostapd: phy0-ap0: STA 3a:5f:11:22:9c:01 IEEE 802.11: associated (aid 1)
Tue Jun  4 09:12:40 2024 daemon.info hostapd: phy0-ap0: STA 3a:5f:11:22:9c:01 WPA: pairwise key handshake completed (WPA)
Tue Jun  4 09:12:40 2024 daemon.notice hostapd: phy0-ap0: AP-STA-CONNECTED 3a:5f:11:22:9c:01 auth_alg=open
Tue Jun  4 09:12:52 2024 daemon.info hostapd: phy0-ap0: STA 3a:5f:11:22:9c:01 WPA: received EAPOL-Key Error Request (STA detected Michael MIC failure (group=0))
Tue Jun  4 09:12:52 2024 daemon.info hostapd: phy0-ap0: STA 3a:5f:11:22:9c:01 IEEE 802.11: Michael MIC failure detected in received frame
Tue Jun  4 09:12:58 2024 daemon.info hostapd: phy0-ap0: STA 3a:5f:11:22:9c:01 IEEE 802.11: Michael MIC failure detected in received frame (local)
Tue Jun  4 09:12:58 2024 daemon.info hostapd: phy0-ap0: STA 3a:5f:11:22:9c:01 IEEE 802.11: Michael MIC failure detected in received frame
Tue Jun  4 09:12:58 2024 daemon.info hostapd: phy0-ap0: IEEE 802.11 TKIP countermeasures initiated
Tue Jun  4 09:12:58 2024 daemon.notice hostapd: phy0-ap0: AP-STA-DISCONNECTED 3a:5f:11:22:9c:01
Tue Jun  4 09:13:58 2024 daemon.info hostapd: phy0-ap0: IEEE 802.11 TKIP countermeasures ended
"""

TKIP_SUPPLICANT = """\
Oct 05 10:21:07 T410s wpa_supplicant[1123]: wlan0: CTRL-EVENT-CONNECTED - Connection to 02:18:4a:bb:32:f0 completed [id=0 id_str=]
Oct 05 10:21:13 T410s wpa_supplicant[1123]: wlan0: Michael MIC failure detected
Oct 05 10:21:14 T410s wpa_supplicant[1123]: wlan0: Michael MIC failure detected
Oct 05 10:21:14 T410s wpa_supplicant[1123]: wlan0: TKIP countermeasures started
Oct 05 10:21:16 T410s wpa_supplicant[1123]: wlan0: CTRL-EVENT-DISCONNECTED bssid=02:18:4a:bb:32:f0 reason=14 locally_generated=1
"""


def test_tkip_michael_mic_failures_and_countermeasures_hostapd() -> None:
    events, summary = parse_text(TKIP_HOSTAPD)
    assert summary.problems == []
    tkip = [(e.ref.line, e.kind, e.station, e.attrs.get("by"), e.attrs.get("group")) for e in events
            if e.kind.startswith("tkip.")]  # fmt: skip
    # the station's report (group=0: a pairwise frame), then a failure the AP detected itself; each
    # repeated line (hostapd logs every failure twice) is not a second failure
    assert tkip == [
        (4, "tkip.mic_failure", "3a:5f:11:22:9c:01", "sta", False),
        (6, "tkip.mic_failure", "3a:5f:11:22:9c:01", "ap", None),
        (8, "tkip.countermeasures", "", "ap", None),  # names no station: every one of the BSS is removed
    ]


def test_tkip_michael_mic_failures_and_countermeasures_wpa_supplicant() -> None:
    events, summary = parse_text(TKIP_SUPPLICANT)
    assert summary.problems == []
    assert [(e.ref.line, e.kind, e.attrs.get("by")) for e in events if e.kind.startswith("tkip.")] == [
        (2, "tkip.mic_failure", "sta"),
        (3, "tkip.mic_failure", "sta"),
        (4, "tkip.countermeasures", "sta"),
    ]
    assert len({e.station for e in events}) == 1  # the supplicant's own station throughout


def test_connection_failures_and_the_network_disabled_for_them() -> None:
    # wpa_supplicant's words (events.c, sme.c): a driver-chosen AP ("with SSID"), a request its driver
    # refused, and the temporary disabling that follows repeated failures (CONN_FAILED).
    text = """\
Mar 12 07:41:02 kiosk-07 wpa_supplicant[412]: wlan0: Trying to associate with SSID 'Shop-Floor'
Mar 12 07:41:11 kiosk-07 wpa_supplicant[412]: wlan0: CTRL-EVENT-ASSOC-REJECT bssid=00:00:00:00:00:00 status_code=16
Mar 12 07:41:11 kiosk-07 wpa_supplicant[412]: wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="Shop-Floor" auth_failures=1 duration=10 reason=CONN_FAILED
Mar 12 07:42:02 kiosk-07 wpa_supplicant[412]: wlan0: SME: Trying to authenticate with 9c:53:22:4e:0b:71 (SSID='Shop-Floor' freq=5220 MHz)
Mar 12 07:42:02 kiosk-07 wpa_supplicant[412]: wlan0: SME: Authentication request to the driver failed
Mar 12 07:42:02 kiosk-07 wpa_supplicant[412]: wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="Shop-Floor" auth_failures=2 duration=20 reason=CONN_FAILED
Mar 12 07:43:02 kiosk-07 wpa_supplicant[412]: wlan0: Association request to the driver failed
"""
    events, summary = parse_text(text)
    assert summary.problems == []
    got = [
        (e.ref.line, e.kind, str(e.stage), e.ssid, e.attrs.get("what") or e.attrs.get("reason"))
        for e in events
    ]
    assert got == [
        (1, "assoc.request", "association", "Shop-Floor", None),
        (2, "assoc.reject", "association", "Shop-Floor", None),
        # the first round ended at association, the second before any authentication answer
        (3, "online_fail.record", "association", "Shop-Floor", "CONN_FAILED"),
        (4, "auth.request", "802.11-auth", "Shop-Floor", None),
        (5, "driver.request_failed", "802.11-auth", "Shop-Floor", "authentication"),
        (6, "online_fail.record", "802.11-auth", "Shop-Floor", "CONN_FAILED"),
        (7, "driver.request_failed", "association", "Shop-Floor", "association"),
    ]
    assert len({e.station for e in events}) == 1


def test_a_redacted_mac_is_still_a_station_and_the_sae_downgrade_refusal_is_read(data: Path) -> None:
    # openwrt/openwrt#22021: the poster wrote the phone's MAC as <redacted> on every line; its WPA3 attempt
    # on lan5g is refused by hostapd's H2E anti-downgrade check, then it joins lan2g with WPA2-PSK
    from wlandoctor.pipeline import diagnose_paths

    case = data / "real" / "more-openwrt-lan5g-sae-h2e-downgrade-redacted-mac" / "input.log"
    report = diagnose_paths([str(case)])
    (d,) = report.diagnoses
    assert d.station == "<redacted>" and d.verdict == "online"
    first, second = d.timeline.attempts
    assert str(first.outcome) == "failed" and str(first.failed_stage) == "association"
    reject = next(e for e in first.events if e.kind == "assoc.reject")
    assert (reject.ref.line, reject.attrs["status"], reject.attrs["reason"]) == (2, 1, "sae_h2e_not_used")
    assert [e.kind for e in second.events if e.kind == "sta.pruned"] == ["sta.pruned"]
    assert any("written '<redacted>'" in n for n in report.inputs[0].notes)
    # placeholders of other forms, and words that are not one
    for placeholder in ("[MAC]", "<mac address>", "REDACTED", "<STA_MAC>"):
        line = f"wlan0: STA {placeholder} IEEE 802.11: authenticated\n"
        events = list(PARSER.parse(Input.from_bytes("x", line.encode()), InputSummary("x", "hostap")))
        assert [e.station for e in events] == [placeholder.lower()], placeholder
    events = list(
        PARSER.parse(
            Input.from_bytes("x", b"wlan0: STA <b> IEEE 802.11: authenticated\n"), InputSummary("x", "hostap")
        )
    )
    assert events == []


def test_a_client_kernel_reason_whose_name_holds_sta_is_read() -> None:
    """mac80211's "deauthenticated from <ap> (Reason: 6=CLASS2_FRAME_FROM_NONAUTH_STA)": a reason name with
    "STA" in it (6, 7, 8, 9, ...) once kept the line from the reader (a real post, lore.kernel.org)."""
    path = (
        Path(__file__).parent
        / "data"
        / "real"
        / "mikrotik-mt7921k-group-key-timeout-every-5min"
        / "input.log"
    )
    parser = by_name("hostap")
    assert parser is not None
    summary = InputSummary(str(path), "hostap")
    events = [e for e in parser.parse(Input.from_path(path), summary) if e.ref.line in (1, 15)]
    assert [(e.ref.line, e.kind, e.attrs.get("reason")) for e in events] == [
        (1, "sta.deauth", 16),
        (15, "sta.deauth", 6),
    ]


def test_the_authenticators_disconnect_with_nothing_of_the_handshake_before_is_its_failure() -> None:
    """hostapd -d (aircrack-ng/rtl8812au#120): "WPA authenticator requests disconnect" (only the key state
    machines ask for it), then sta_info.c's "ap_sta_disconnect addr <mac> reason=2": one failure of the
    4-way handshake, the second line the same disconnect."""
    path = (
        Path(__file__).parent
        / "data"
        / "real"
        / "ap-rtl8812au-wpa-auth-disconnect-reason2-debug"
        / "input.log"
    )
    events, summary = parse_path(path)
    assert rows(events) == [(1, "handshake.failed", "5c:e0:c5:51:d5:d8")]
    assert events[0].attrs["what"] == "authenticator-disconnect" and events[0].attrs["reason"] == 2
    assert summary.coverage.unread == 0


CONNMAN_IWD = (
    Path(__file__).parent / "data" / "real" / "client-connman-iwd-brcmfmac-sae-external-auth-failed-ipv4ll"
)


def test_iwd_connman_and_brcmfmac_external_auth_on_a_mailing_list_paste() -> None:
    """The real Raspberry Pi 5 post (linux-wireless, wrapped by the mail client): iwd's state change starts
    the attempt, brcmfmac's firmware SAE fails it at 802.11 authentication, and the link-local address connman
    adds afterwards is no DHCP failure of its own (no link, no DHCP)."""
    from wlandoctor.pipeline import diagnose_paths

    report = diagnose_paths([str(CONNMAN_IWD / "input.log")])
    (d,) = report.diagnoses
    kinds = [e.kind for a in d.timeline.attempts for e in a.events]
    assert kinds[0] == "auth.request" and "auth.reject" in kinds and "dhcp.failure" not in kinds
    assert str(d.verdict) == "failed" and str(d.stage) == "802.11-auth"
    reject = next(e for a in d.timeline.attempts for e in a.events if e.kind == "auth.reject")
    assert reject.attrs["status"] == 1 and reject.attrs["what"] == "sae-external"
    assert d.timeline.attempts[0].events[0].ssid == "deskSAE"
    assert report.inputs[0].coverage.unread == 0


# The security element an EAPOL-Key message repeats differs (hostap src/ap/wpa_auth.c on 2/4, hostap
# src/rsn_supp/wpa.c wpa_report_ie_mismatch() on 3/4): each form the two programs print.
@pytest.mark.parametrize(
    ("line", "station", "attrs"),
    [
        (
            "daemon.info hostapd: phy1-ap0: STA 3c:22:fb:41:7e:90 WPA: WPA IE from (Re)AssocReq did not match "
            "with msg 2/4",
            "3c:22:fb:41:7e:90",
            {"msg": 2, "element": "rsne", "seen_by": "ap"},
        ),
        (
            "wlan0: STA 3c:22:fb:41:7e:90 WPA: RSNXE from (Re)AssocReq did not match the one in EAPOL-Key "
            "msg 2/4",
            "3c:22:fb:41:7e:90",
            {"msg": 2, "element": "rsnxe", "seen_by": "ap"},
        ),
        (
            "wpa_supplicant[586]: wlp2s0: WPA: IE in 3/4 msg does not match with IE in Beacon/ProbeResp "
            "(no IE?) (src=2c:4d:54:5c:f2:50)",
            "wlp2s0@paste.log",
            {"msg": 3, "element": "rsne", "seen_by": "sta"},
        ),
        (
            "wlan0: WPA: RSNXE mismatch between Beacon/ProbeResp and EAPOL-Key msg 3/4",
            "wlan0@paste.log",
            {"msg": 3, "element": "rsnxe", "seen_by": "sta"},
        ),
        (
            "wlan0: WPA: Possible downgrade attack detected - RSN was enabled and RSN IE was in msg 3/4, but "
            "not in Beacon/ProbeResp (src=2c:4d:54:5c:f2:50)",
            "wlan0@paste.log",
            {"msg": 3, "element": "downgrade", "seen_by": "sta"},
        ),
    ],
)
def test_an_eapol_key_messages_element_that_differs_is_its_own_event(
    line: str, station: str, attrs: dict[str, object]
) -> None:
    events, summary = parse_text(line + "\n")
    found = [e for e in events if e.kind == "eapol.rsne_mismatch"]
    assert [e.station for e in found] == [station]
    assert {k: found[0].attrs[k] for k in attrs} == attrs
    assert summary.problems == []


def test_the_compared_elements_hexdumps_and_a_dropped_retransmission_are_read_quietly() -> None:
    """The real rndis_wlan excerpt of tests/kb/rsne-mismatch/trigger-3.log: every wpa_supplicant line read."""
    events, summary = parse_path(Path(__file__).parent / "kb" / "rsne-mismatch" / "trigger-3.log")
    assert [(e.ref.line, e.kind) for e in events if e.kind == "eapol.rsne_mismatch"] == [
        (4, "eapol.rsne_mismatch")
    ]
    assert summary.problems == []


def test_a_station_line_with_its_mac_cut_out_is_one_station_said_once() -> None:
    """openwrt#15169: the poster cut the MAC out of each line ("STA  IEEE 802.11", "AP-STA-DISCONNECTED" alone)."""
    events, summary = parse_path(
        Path(__file__).parent
        / "data"
        / "real"
        / "ap-openwrt-ax9000-redacted-sta-inactivity-normal"
        / "input.log"
    )
    assert {e.station for e in events} == {"<removed>"}
    assert [(e.ref.line, e.kind) for e in events] == [
        (1, "sta.connected"),  # (hostapd says DISCONNECTED only of a station it had authorized)
        (1, "sta.offline"),
        (2, "sta.disassoc"),
    ]
    assert len(summary.problems) == 1 and "MAC address cut out" in summary.problems[0].message


def test_a_disconnection_is_a_connection_before_the_input_only_for_a_station_not_named_before() -> None:
    text = (
        "wlan0: AP-STA-DISCONNECTED 3c:22:fb:41:7e:90\n"
        "wlan0: STA 3c:22:fb:41:7e:90 IEEE 802.11: authenticated\n"
        "wlan0: STA 3c:22:fb:41:7e:90 IEEE 802.11: associated (aid 1)\n"
        "wlan0: AP-STA-DISCONNECTED 3c:22:fb:41:7e:90\n"
    )
    events, _ = parse_text(text)
    kinds = [(e.ref.line, e.kind) for e in events]
    assert (1, "sta.connected") in kinds and (4, "sta.teardown") in kinds
    assert not any(e.kind == "sta.connected" and e.ref.line == 4 for e in events)


def test_a_pseudonym_in_the_shape_of_a_mac_is_the_station(data: Path) -> None:
    """lore.kernel.org linux-wireless, 2020-04-19: the poster wrote the phone's MAC as "sm:ar:tp:ho:ne:07" on
    every line of hostapd -dd; it names the station (before: no station, five lines said without a MAC)."""
    case = data / "real" / "ap-hostapd-dd-email-bcm4330-bridge-eapol-m2-never-reaches-hostapd" / "input.log"
    summary = InputSummary(str(case), "hostap")
    events = list(PARSER.parse(Input.from_path(case), summary))
    assert {e.station for e in events} == {"sm:ar:tp:ho:ne:07"}
    assert [(e.ref.line, e.kind) for e in events if e.kind.startswith("eapol.")] == [
        (37, "eapol.m1.sent"),
        (44, "eapol.m1.retry"),
    ]
    assert summary.problems == []
    # a token with other than letters and digits in a pair, or too few pairs, is no MAC's shape
    for token in ("sm:ar:tp:ho:ne", "s!:ar:tp:ho:ne:07"):
        line = f"wlan0: STA {token} IEEE 802.11: authenticated\n"
        events = list(PARSER.parse(Input.from_bytes("x", line.encode()), InputSummary("x", "hostap")))
        assert events == [], token


def test_a_station_that_starts_over_before_its_association_is_acknowledged_failed_it(data: Path) -> None:
    """lore.kernel.org linux-wireless (rtw88, RTL8822CS as an AP): hostapd -d sends "association OK (aid 1)"
    and never logs the response acknowledged ("associated"); the station authenticates again, twice. Each
    restart is the association not completed, rule assoc-timeout."""
    from wlandoctor.pipeline import diagnose_paths

    case = data / "real" / "ap-hostapd-d-rtw88-rtl8822cs-no-beacons-no-4way" / "input.log"
    events = list(PARSER.parse(Input.from_path(case), InputSummary(str(case), "hostap")))
    failures = [(e.ref.line, e.attrs["reason"]) for e in events if e.kind == "assoc.failure"]
    assert failures == [(126, "assoc-unconfirmed"), (266, "assoc-unconfirmed")]
    (d,) = diagnose_paths([str(case)]).diagnoses
    assert [str(a.outcome) for a in d.timeline.attempts] == ["failed", "failed", "incomplete"]
    assert d.causes[0].rule == "assoc-timeout"
    # hostapd at info level: "associated" alone, no restart to read
    log = b"wlan0: STA 02:00:00:00:01:00 IEEE 802.11: associated (aid 1)\nwlan0: STA 02:00:00:00:01:00 IEEE 802.11: authenticated\n"
    events = list(PARSER.parse(Input.from_bytes("x", log), InputSummary("x", "hostap")))
    assert [e.kind for e in events] == ["assoc.response", "auth.response"]


def test_a_runner_s_tags_between_stamp_and_message_and_hostapd_s_sae_lines() -> None:
    """A test bed's hostapd -d output (Omelug/wpa3_tester, tests/data/real/repo-wpa3tester-*): each line carries
    the harness's "[ap] [stdout]" after an ISO stamp. The tags are skipped only before one of hostapd's messages
    (an Ameba console's "[WLAN-A] start auth to" keeps its tag); the SAE commit starts the authentication."""
    events, summary = parse_path(
        Path(__file__).parent
        / "data"
        / "real"
        / "repo-wpa3tester-hostapd-d-sae-connected-rogue-csa-run"
        / "input.log"
    )
    got = [(e.ref.line, e.kind) for e in events if e.station == "00:c0:ca:b5:e1:58"]
    assert got[:2] == [(186, "auth.request"), (412, "assoc.response")]
    assert events[0].attrs["auth_method"] == "SAE" and events[0].attrs["status"] == 0
    assert (574, "sta.connected") in got and (577, "handshake.success") in got
    assert summary.coverage.unread == 0


@pytest.mark.parametrize(
    ("scenario", "alerts"), [("untrusted-server-cert", 1), ("wrong-password", 0), ("success", 0)]
)
def test_a_tls_alert_sized_answer_in_hostapd_d_is_the_station_stopping_the_handshake(
    scenario: str, alerts: int
) -> None:
    """The 802.1X lab's real hostapd -d logs: the station that does not trust the server's certificate answers
    its TLS flight with a 17-byte EAP-Response/PEAP (a 7-byte TLS alert record); a wrong password or a success
    never sends one (fragment acknowledgements are 6 bytes, tunnelled records 37 or more)."""
    events, _ = parse_path(Path(__file__).parent / "data" / "lab" / scenario / "hostapd.log")
    sized = [e for e in events if e.kind == "eap.tls_failure" and e.attrs.get("tls_alert_sized")]
    assert len(sized) == alerts
    assert all(e.attrs["tls_alert_by"] == "sta" and "len=17" in e.ref.text for e in sized)


def test_eapol_test_results_and_hostapd_as_a_radius_server() -> None:
    """eapol_test's result callback is the RADIUS server's answer (tests/data/real/radius-eapoltest-*: three
    accepts, online as far as RADIUS shows); hostapd's own RADIUS server (tests/data/real/radius-espadf-*) names
    the station only in the request's Calling-Station-Id dump, its EAP server's events carry 00:00:00:00:00:00."""
    real = Path(__file__).parent / "data" / "real"
    events, _ = parse_path(real / "radius-eapoltest-fr3-ttls-peap-success-tails" / "input.log")
    assert [(e.kind, e.ref.line) for e in events] == [
        ("radius.accept", 5),
        ("radius.accept", 16),
        ("radius.accept", 27),
    ]
    events, summary = parse_path(
        real / "radius-espadf-hostapd-radius-server-peap-first-challenge" / "input.log"
    )
    assert {e.station for e in events} == {"94:b9:7e:65:c2:44"}
    assert [e.kind for e in events][:1] == ["eapol.start"] and events[-1].kind == "radius.challenge"
    assert summary.coverage.unread == 0


def test_the_pairwise_state_machine_s_end_tells_the_keys_where_no_completion_line_is_logged() -> None:
    """An older UniFi AP's hostapd logs "WPA_PTK entering state PTKINITDONE" (tests/data/real/siem-unifi-wazuh-
    bnc-decoder-samples); a -d log holding "pairwise key handshake completed" tells the keys by that line."""
    line = "Aug 19 09:26:45 ap hostapd: WPA: 46:9a:d9:5c:b0:27 WPA_PTK entering state PTKINITDONE\n"
    events, _ = parse_text(line)
    assert [(e.kind, e.station) for e in events] == [("handshake.success", "46:9a:d9:5c:b0:27")]
    events, _ = parse_path(DATA / "healthy_hostapd_dd_wpa2psk.log")
    assert next(e.ref.text for e in events if e.kind == "handshake.success").endswith(
        "handshake completed (RSN)"
    )


def test_network_not_found_while_the_network_is_disabled_tells_nothing() -> None:
    """After CTRL-EVENT-SSID-TEMP-DISABLED ... duration=10, wpa_supplicant skips the network at selection
    ("skip - disabled temporarily") and reports CTRL-EVENT-NETWORK-NOT-FOUND whether or not it is on the
    air: within those seconds (or until CTRL-EVENT-SSID-REENABLED) the line gives no event, and the wrong
    key stays the station's failure.  After them, not finding the network is news again."""
    wrong_key = (Path(__file__).parent / "kb" / "4way-m2-mic-mismatch" / "trigger-wpas.log").read_text()
    assert "duration=10" in wrong_key and "17:35:52" in wrong_key
    tag = "laptop wpa_supplicant[901]: wlan0: "

    def scan(at: str) -> str:
        return "".join(
            f"2021-08-14T{at}+0000 {tag}{m}\n"
            for m in ("CTRL-EVENT-SCAN-STARTED", "CTRL-EVENT-SCAN-RESULTS", "CTRL-EVENT-NETWORK-NOT-FOUND")
        )

    events, summary = parse_text(wrong_key + scan("17:35:58"))
    assert "network.not_found" not in {e.kind for e in events} and summary.coverage.unread == 0
    events, _ = parse_text(
        wrong_key
        + f'2021-08-14T17:35:57+0000 {tag}CTRL-EVENT-SSID-REENABLED id=0 ssid="haasmesh"\n'
        + scan("17:35:58")
    )
    assert "network.not_found" in {e.kind for e in events}
    events, _ = parse_text(wrong_key + scan("17:36:20"))
    assert [e.ref.line for e in events if e.kind == "network.not_found"] == [7]


def test_associated_told_again_in_the_same_moment_is_the_same_association() -> None:
    """A Gluon AP (freifunk-gluon/gluon#1284): "associated (aid 2)", AP-STA-CONNECTED, then "associated
    (aid 2)" twice more in the same second: the station resent its request and hostapd answered again; one
    association, not two more attempts that stop at association."""
    path = (
        Path(__file__).parent / "data" / "real" / "ap-gluon-babel-client0-open-reconnect-default-route-lost"
    )
    events, summary = parse_path(path / "input.log")
    assert [(e.ref.line, e.kind) for e in events if e.kind == "assoc.response"] == [(12, "assoc.response")]
    assert summary.coverage.unread == 0
    report = diagnose_paths([str(path / "input.log")], Options())
    assert [str(d.verdict) for d in report.diagnoses] == ["online"]
