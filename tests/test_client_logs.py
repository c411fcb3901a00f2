"""Client-side logs at their normal level: the kernel's mac80211 messages, NetworkManager, DHCP clients."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from wlandoctor.model import InputSummary
from wlandoctor.parsers.hostap import PARSER
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources import Input

REAL = Path(__file__).parent / "data" / "real"


def kinds(text: str) -> list[tuple[str, str]]:
    s = InputSummary("t.log", "hostap")
    return [(e.kind, e.station) for e in PARSER.parse(Input.from_bytes("t.log", text.encode()), s)]


def test_mac80211_client_messages_in_dmesg_and_the_journal() -> None:
    # net/mac80211/mlme.c wording, as dmesg prints it and as journalctl -k prints it
    for prefix in ("[ 3263.719815] ", "Jul 20 00:21:07 pca-yoga kernel: "):
        text = "".join(
            prefix + line + "\n"
            for line in (
                "wlp3s0: authenticate with dc:e3:05:52:1c:28",
                "wlp3s0: send auth to dc:e3:05:52:1c:28 (try 1/3)",
                "wlp3s0: authenticated",
                "wlp3s0: associate with dc:e3:05:52:1c:28 (try 1/3)",
                "wlp3s0: RX AssocResp from dc:e3:05:52:1c:28 (capab=0x1411 status=0 aid=3)",
                "wlp3s0: associated",
                "wlp3s0: deauthenticating from dc:e3:05:52:1c:28 by local choice (Reason: 3=DEAUTH_LEAVING)",
                "wlp3s0: associate with dc:e3:05:52:1c:28 (try 1/3)",
                "wlp3s0: RX AssocResp from dc:e3:05:52:1c:28 (capab=0x1411 status=17 aid=0)",
                "wlp3s0: association with dc:e3:05:52:1c:28 timed out",
            )
        )
        got = [k for k, _ in kinds(text)]
        assert got == [
            "auth.request",
            "auth.response",
            "assoc.request",
            "assoc.response",
            "sta.deauth",
            "assoc.request",
            "assoc.reject",
            "assoc.failure",
        ]


def test_a_real_dmesg_association_timeout_is_diagnosed() -> None:
    # lwfinger/rtlwifi_new#555: three tries, "association ... timed out", and the same again as the log ends
    report = diagnose_paths([str(REAL / "client-dmesg-rtl8822ce-assoc-timeout" / "input.log")], Options())
    [d] = report.diagnoses
    assert (d.verdict, d.stage) == ("failed", "association")
    assert d.causes[0].rule == "assoc-timeout"
    assert 7 in {e.line for e in d.causes[0].evidence}
    assert report.inputs[0].coverage.unread == 0


def test_networkmanager_device_and_dhcp_lines() -> None:
    # NetworkManager's journal form, its own [epoch] stamp after the syslog prefix
    nm = "Sep 03 02:28:12 zoltop NetworkManager[950]: <info>  [{t}] {msg}\n"
    text = "".join(
        nm.format(t=f"1756837692.{i:04d}", msg=msg)
        for i, msg in enumerate(
            (
                "device (wlan1): Activation: starting connection 'Home' (0c3d...)",
                "device (wlan1): supplicant interface state: associating -> 4way_handshake",
                "device (wlan1): supplicant interface state: 4way_handshake -> disconnected",
                "device (wlan1): state change: config -> failed (reason 'no-secrets', managed-type: 'full')",
                "dhcp4 (wlan1): activation: beginning transaction (timeout in 45 seconds)",
                "dhcp4 (wlan1): state changed new lease, address=192.168.0.21",
                "device (wlan1): Activation: successful, device activated.",
                "manager: NetworkManager state is now CONNECTED_SITE",
            )
        )
    )
    s = InputSummary("t.log", "hostap")
    events = list(PARSER.parse(Input.from_bytes("t.log", text.encode()), s))
    assert [e.kind for e in events] == [
        "handshake.failed",
        "key.mismatch.summary",
        "dhcp.discover",
        "dhcp.ack",
        "sta.online",
    ]
    assert {e.station for e in events} == {"wlan1@zoltop"}
    # the syslog prefix dates the line as it dates the file's other lines (its zone, its year); the
    # [epoch] stamp adds its fraction, the two agreeing on the second of the minute
    t = events[0].time
    assert t is not None and time.gmtime(t)[1:6] == (9, 3, 2, 28, 12)
    assert round(t % 1, 4) == 0.0002
    assert events[3].attrs["ip"] == "192.168.0.21"
    assert s.coverage.unread == 0


def test_isc_dhclient_output_names_the_interface_and_its_mac() -> None:
    # ev3dev/ev3dev#172: dhclient's console output, the interface's MAC in "Listening on LPF/wlan0/<mac>"
    report = diagnose_paths([str(REAL / "client-ev3dev-ifup-dhclient-bound" / "input.log")], Options())
    [d] = report.diagnoses
    assert d.station == "80:1f:02:f2:f9:d0" and d.verdict == "online"
    kinds_seen = [e.kind for a in d.timeline.attempts for e in a.events]
    # (as printed: the old dhclient logs its REQUEST before the OFFER it answers)
    assert kinds_seen == ["dhcp.discover", "dhcp.discover", "dhcp.request", "dhcp.offer", "dhcp.ack"]
    assert report.inputs[0].coverage.unread == 0


def test_iwd_handshake_failure_is_read() -> None:
    # McMCCRU/rtl8188gu#53: iwd's journal line names the interface by index and the IEEE reason
    report = diagnose_paths([str(REAL / "more-iwd-rtl8188gu-4way-reason15" / "input.log")], Options())
    [d] = report.diagnoses
    assert (d.verdict, d.stage) == ("failed", "4way-handshake")
    [e] = [e for a in d.timeline.attempts for e in a.events]
    assert (e.kind, e.attrs["reason"], e.ref.line) == ("handshake.failed", 15, 4)


def test_the_inner_method_s_result_rides_on_the_eap_failure(tmp_path: Path) -> None:
    # wpa_supplicant at info level (eap_mschapv2.c, eap_peap.c): the password was accepted, the tunnel failed
    log = tmp_path / "wpas.log"
    head = "Dec  4 10:15:01 laptop wpa_supplicant[1203]: "
    log.write_text(
        head
        + "wlp2s0: CTRL-EVENT-EAP-STARTED EAP authentication started\n"
        + head
        + "wlp2s0: EAP-MSCHAPV2: Authentication succeeded\n"
        + head
        + "EAP-TLV: TLV Result - Failure\n"
        + head
        + "wlp2s0: CTRL-EVENT-EAP-FAILURE EAP authentication failed\n"
        + head
        + "wlp2s0: CTRL-EVENT-EAP-STARTED EAP authentication started\n"
        + head
        + "wlp2s0: EAP-MSCHAPV2: failure message: 'Authentication rejected' (retry not allowed, error 691)\n"
        + head
        + "wlp2s0: CTRL-EVENT-EAP-FAILURE EAP authentication failed\n",
        encoding="utf-8",
    )
    report = diagnose_paths([str(log)])
    failures = [
        e for d in report.diagnoses for a in d.timeline.attempts for e in a.events if e.kind == "eap.failure"
    ]
    assert [(e.attrs.get("inner"), e.attrs.get("phase2"), e.attrs.get("inner_error")) for e in failures] == [
        ("succeeded", "server-failure", None),
        ("failed", None, 691),
    ]
    assert {e.station for e in failures} == {
        "wlp2s0@laptop"
    }  # the line without an interface is the same one's
    assert report.inputs[0].coverage.unread == 0


def test_a_line_wrapped_by_a_paste_is_joined_back(tmp_path: Path) -> None:
    # a forum paste wrapped at 100 columns: the reason of SSID-TEMP-DISABLED and of a disconnect on lines of
    # their own; a line that could stand on its own is never joined
    log = tmp_path / "paste.log"
    log.write_text(
        "Dec  4 10:15:01 laptop wpa_supplicant[1203]: wlp2s0: CTRL-EVENT-DISCONNECTED bssid=24:a4:3c:11:22:33 reason=\n"
        "15 locally_generated=1\n"
        'Dec  4 10:15:02 laptop wpa_supplicant[1203]: wlp2s0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="Home" auth_failures=1\n'
        "reason=WRONG_KEY\n"
        "Dec  4 10:15:03 laptop wpa_supplicant[1203]: wlp2s0: CTRL-EVENT-SCAN-STARTED\n"
        "nl80211: Drv Event 33 (NL80211_CMD_TRIGGER_SCAN) received for wlp2s0\n",
        encoding="utf-8",
    )
    report = diagnose_paths([str(log)])
    events = [e for d in report.diagnoses for a in d.timeline.attempts for e in a.events]
    deauth = next(e for e in events if e.kind == "sta.deauth")
    assert (deauth.ref.line, deauth.attrs["reason"], deauth.attrs["by"]) == (1, 15, "sta")
    hint = next(e for e in events if e.kind == "key.mismatch.summary")
    assert hint.ref.line == 3 and hint.attrs["strength"] == "client-verdict"
    # (joined as the input streams, sources/unwrap.py, or by the reader's own join of a field's tail)
    assert any("joined back" in n and "line 2" in n for n in report.inputs[0].notes), report.inputs[0].notes


def test_android_framework_echoes_are_understood_once(tmp_path: Path) -> None:
    # real logcat -v brief lines (CyanogenDefy/android_device_motorola_jordan#7): WifiMonitor echoes each
    # wpa_supplicant event; with the supplicant's own line they add nothing, without it they are the event
    lines = [
        "I/wpa_supplicant( 2219): Trying to associate with 00:21:91:ef:b6:14 (SSID='MimoGigabit' freq=2462 MHz)",
        "I/wpa_supplicant( 2219): CTRL-EVENT-STATE-CHANGE id=-1 state=3 BSSID=00:21:91:ef:b6:14",
        "V/WifiMonitor( 2164): Event [Trying to associate with 00:21:91:ef:b6:14 (SSID='MimoGigabit' freq=2462 MHz)]",
        "V/WifiMonitor( 2164): Event [CTRL-EVENT-STATE-CHANGE id=-1 state=3 BSSID=00:21:91:ef:b6:14]",
        "V/WifiStateTracker( 2164): Changing supplicant state: SCANNING ==> ASSOCIATING",
    ]
    for name, kept, line in (("both.log", lines, 1), ("framework.log", lines[2:], 1)):
        log = tmp_path / name
        log.write_text("\n".join(kept) + "\n", encoding="utf-8")
        report = diagnose_paths([str(log)])
        events = [
            (e.kind, e.ref.line) for d in report.diagnoses for a in d.timeline.attempts for e in a.events
        ]
        assert events == [("assoc.request", line)], name
        assert report.inputs[0].coverage.unread == 0


def test_a_realtek_vendor_drivers_lines_are_the_clients_attempt_after_its_timeout() -> None:
    """RTL871X (rtl8192eu, out-of-tree): "start auth", "auth success, start assoc", "assoc success", one
    EAPOL frame each way, then the AP's OnDisassoc: a second attempt of the interface's own station."""
    from wlandoctor.pipeline import diagnose_paths

    path = Path(__file__).parent / "data/real/client-dmesg-rtl8192eu-rtl871x-disassoc-in-4way/input.log"
    [d] = diagnose_paths([str(path)]).diagnoses
    assert d.station == "3c:46:d8:c5:36:e6"  # (wlx3c46d8c536e6: systemd names the adapter after its MAC)
    first, second = d.timeline.attempts
    assert [e.kind for e in first.events] == ["auth.timeout"]
    assert [e.kind for e in second.events] == [
        "auth.request",
        "auth.response",
        "assoc.response",
        "eapol.m1.sent",
        "eapol.m2.sent",
        "sta.disassoc",
    ]
    end = second.events[-1]
    assert end.attrs["by"] == "ap" and end.attrs["reason"] == 8 and end.bssid == "90:03:25:b9:a4:c0"


def test_busybox_udhcpc_through_netifd_gives_the_connected_clients_lease() -> None:
    """OpenWrt as a client (a real blog post's logread, tests/data/real/client-openwrt-phy1-sta0-peap-
    publicroam-udhcpc): netifd relays udhcpc's lines under its logical interface ("wwan_pubroam"), which the
    lease belongs to through the Wi-Fi client that connected; the discover broadcast before any connection
    is no station's."""
    from readers import read

    path = (
        Path(__file__).parent
        / "data"
        / "real"
        / "client-openwrt-phy1-sta0-peap-publicroam-udhcpc"
        / "input.log"
    )
    events, summary = read("hostap", path)
    dhcp = [(e.ref.line, e.kind, e.station, e.attrs.get("ip")) for e in events if e.kind.startswith("dhcp.")]
    assert dhcp == [
        (53, "dhcp.discover", "phy1-sta0@input.log", None),
        (54, "dhcp.request", "phy1-sta0@input.log", "172.30.0.100"),
        (55, "dhcp.ack", "phy1-sta0@input.log", "172.30.0.100"),
    ]
    assert summary.coverage.ratio == 1.0  # ("EAP-MSCHAPV2: Authentication succeeded" read, not an interface)


def test_an_older_realtek_trees_deauth_and_its_start_auth_after_wpa_supplicant() -> None:
    """rtl8723bu (lwfinger/rtl8723bu#32, a console where the driver's lines cut into wpa_supplicant's):
    "RTL871X: sta recv deauth reason code(1) sta:<AP>, ignore = 0" is the AP's deauthentication, and the
    driver's "start auth" right after wpa_supplicant's "Trying to associate" is that same attempt."""
    from readers import read

    path = (
        Path(__file__).parent
        / "data"
        / "real"
        / "client-rtl8723bu-wps-pbc-interleaved-printk-auth-timeout"
        / "input.log"
    )
    events, _ = read("hostap", path)
    deauth = [e for e in events if e.kind == "sta.deauth"]
    assert [(e.ref.line, e.attrs["reason"], e.attrs["by"], e.bssid) for e in deauth] == [
        (17, 1, "ap", "cc:e1:d5:2e:06:76")
    ]
    assert "auth.request" not in {e.kind for e in events}
    (d,) = diagnose_paths([str(path)], Options()).diagnoses
    assert len(d.timeline.attempts) == 4  # (four tries, as the log tells them)


def test_networkmanager_epoch_stamps_keep_the_files_clock() -> None:
    # raspberrypi/bookworm-feedback#33: the syslog prefix is local time (13:09), NetworkManager's [epoch]
    # is UTC (20:09) and the prefix has no year: the lines must stay in the file's order, one attempt,
    # which ends in NetworkManager's ip-config with no address (incomplete at dhcp, not online by keys)
    path = REAL / "client-pi0w-bookworm-nm-connected-ip-config" / "input.log"
    report = diagnose_paths([str(path)], Options())
    [d] = report.diagnoses
    [attempt] = d.timeline.attempts
    times = [e.time for e in attempt.events]
    assert times == sorted(times)  # type: ignore[type-var]
    assert attempt.events[-1].kind == "ip.configuring"
    assert (attempt.outcome.value, attempt.reached.value if attempt.reached else None) == (
        "incomplete",
        "dhcp",
    )


def test_networkmanager_giving_up_on_a_dhcp_transaction_without_a_lease_is_no_answer() -> None:
    """lore.kernel.org linux-wireless, 2023-09 (RTL8188EE on an open guest network): NetworkManager begins a
    DHCP transaction (45 s), no lease comes, the device fails with 'ip-config-unavailable', twice (a third try is cut by the radio turned off). Its
    internal DHCP client logs no offer at info level: the transaction running out is no answer in time."""
    case = REAL / "client-nm-rtl8188ee-open-guest-dhcp-no-offer" / "input.log"
    [d] = diagnose_paths([str(case)]).diagnoses
    assert (d.verdict, d.stage, len(d.timeline.attempts)) == ("failed", "dhcp", 3)
    assert d.causes[0].rule == "dhcp-no-offer"
    failures = [e for a in d.timeline.attempts for e in a.events if e.kind == "dhcp.failure"]
    assert [(e.ref.line, e.attrs["reason"], e.attrs["nm_reason"]) for e in failures] == [
        (40, "dhcp-server-timeout", "ip-config-unavailable"),
        (86, "dhcp-server-timeout", "ip-config-unavailable"),
    ]  # (the third try ends as the user turns the radio off, 44 s into its transaction: no failure of DHCP)
    summary = InputSummary(str(case), "hostap")
    list(PARSER.parse(Input.from_path(case), summary))
    # NetworkManager's echo of the supplicant's settings is known chatter, not a step left unread
    assert [n for n, _ in summary.coverage.first] == [134]  # (only "rfkill: WLAN soft blocked")


def test_a_client_declining_every_address_it_is_given_points_at_arp_answered_for_it() -> None:
    """leonsio/YAHM#87: ISC dhclient on a bridge sends DHCPDECLINE after each ACK, four times in two seconds:
    its ARP check is answered for every address, which no one device holding one address explains."""
    case = Path(__file__).parent / "data" / "hostap" / "yahm87-dhclient-decline-loop.log"
    [d] = diagnose_paths([str(case)]).diagnoses
    assert (d.verdict, d.stage) == ("failed", "dhcp")
    assert d.causes[0].id == "dhcp-address-conflict/arp-answered-for-the-station"
    declines = [e for a in d.timeline.attempts for e in a.events if e.kind == "dhcp.failure"]
    assert [(e.ref.line, e.attrs["reason"]) for e in declines] == [
        (n, "address-in-use") for n in (1, 6, 11, 16)
    ]


AMEBA_Z2 = REAL / "client-ameba-z2-matter-deauth-15-in-4way" / "input.log"


@pytest.mark.parametrize("driver", ["[Driver]: ", "RTL8721D[Driver]: ", "[WLAN-A] "])
@pytest.mark.parametrize("stamp", ["", "16:30:14.093  ", "16:30:14.093 -> ", "[16:30:14:093]"])
def test_the_ameba_driver_core_is_read_under_each_sdks_prefix_and_a_serial_monitors_stamp(
    tmp_path: Path, driver: str, stamp: str
) -> None:
    """The Ameba Z2 console (the real case) as each SDK prints its driver core (RTL8721D's "RTL8721D[Driver]: ",
    ameba-rtos's "[WLAN-A] "), behind each serial monitor's stamp: the same attempt, failed in the 4-way
    handshake on the AP's reason 15."""
    lines = AMEBA_Z2.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "console.log"
    path.write_text("".join(f"{stamp}{ln.replace('[Driver]: ', driver)}\n" for ln in lines), encoding="utf-8")
    (d,) = diagnose_paths([str(path)], Options()).diagnoses
    assert (d.verdict, d.stage) == ("failed", "4way-handshake")
    [attempt] = d.timeline.attempts
    assert [e.kind for e in attempt.events] == [
        "auth.request",
        "auth.response",
        "assoc.response",
        "sta.deauth",
    ]
    assert attempt.events[-1].attrs["reason"] == 15 and attempt.events[-1].bssid == "20:be:cd:18:27:27"


def test_newer_ameba_sdks_disconnect_and_address_lines(tmp_path: Path) -> None:
    """ameba-rtos prints the reason before the AP, with or without "sta:" ("sta recv deauth 1 <AP>",
    "sta recv disassoc 1 sta:<AP>"), and its AT layer the address or the DHCP client's give-up
    ("[$]wifi got ip:\"a.b.c.d\"", "[$]wifi got ip timeout", component/lwip/api/lwip_netconf.c)."""
    path = tmp_path / "console.log"
    path.write_text(
        "[WLAN-A] start auth to ca:4d:5e:5f:eb:87\n"
        "[WLAN-A] sta recv deauth 1 ca:4d:5e:5f:eb:87\n"
        "[WLAN-A] start auth to ca:4d:5e:5f:eb:87\n"
        "[WLAN-A] auth success, start assoc\n"
        "[WLAN-A] assoc success(8)\n"
        "[WLAN-A] set pairwise key 4(WEP40-1 WEP104-5 TKIP-2 AES-4)\n"
        "[WLAN-A] set group key 4 1\n"
        "[$]wifi connected\n"
        "[$]wifi got ip timeout\n"
        "[WLAN-A] sta recv disassoc 3 sta:ca:4d:5e:5f:eb:87\n"
        "[$]wifi disconnected\n"
        "[WLAN-A] start auth to ca:4d:5e:5f:eb:87\n"
        "[WLAN-A] auth success, start assoc\n"
        "[WLAN-A] assoc success(1)\n"
        "[WLAN-A] set pairwise key 4(WEP40-1 WEP104-5 TKIP-2 AES-4)\n"
        "[WLAN-A] set group key 4 1\n"
        '[$]wifi got ip:"192.168.32.32"\n',
        encoding="utf-8",
    )
    report = diagnose_paths([str(path)], Options())
    (d,) = report.diagnoses
    [inp] = report.inputs
    assert inp.coverage.unread == 0
    events = [
        (e.ref.line, e.kind, e.attrs.get("reason"), e.attrs.get("ip"))
        for a in d.timeline.attempts
        for e in a.events
    ]
    assert (2, "sta.deauth", 1, None) in events
    assert (9, "dhcp.failure", None, None) in events
    assert (10, "sta.disassoc", 3, None) in events
    assert events[-1] == (17, "dhcp.ack", None, "192.168.32.32")
    assert d.verdict == "online"


def test_zephyr_wps_and_wifi_direct_lines() -> None:
    """Zephyr's wpa_supplicant (nRF Connect SDK samples, tests/data/real/emb-nrf7002-* and iot-nrf70-*): its
    module-tagged lines are read as any wpa_supplicant's; a WPS exchange's EAP-Failure, which ends it by design,
    is no failure; the group owner's own start ("CTRL-EVENT-CONNECTED - Connection to <its BSSID>" after
    AP-ENABLED) and stop are no station's; its DHCP client's lease is the station's address."""
    client = (
        "[00:00:17.126,800] <inf> wpa_supp: wlan0: Associated with d2:39:fa:43:a3:c1\n"
        "[00:00:17.149,169] <inf> wpa_supp: wlan0: CTRL-EVENT-EAP-METHOD EAP vendor 14122 method 1 (WSC) selected\n"
        "[00:00:17.149,597] <inf> wpa_supp: wlan0: CTRL-EVENT-EAP-FAILURE EAP authentication failed\n"
        "[00:00:17.648,406] <inf> net_dhcpv4: Received: 192.168.119.6\n"
    )
    assert [k for k, _ in kinds(client)] == ["assoc.response", "wps.done", "dhcp.ack"]
    go = (
        "[00:00:04.112,007] <inf> wpa_supp: wlan0: AP-ENABLED\n"
        "[00:00:04.112,550] <inf> wpa_supp: wlan0: CTRL-EVENT-CONNECTED - Connection to f4:ce:36:00:d2:4c completed [id=0 id_str=]\n"
        "[00:00:21.788,629] <inf> wpa_supp: wlan0: WPS-REG-SUCCESS d2:39:fa:43:a3:c1 9c76ef98-4ad4-5c04-8101-2582fc0a75e2\n"
        "[00:00:21.793,721] <inf> wpa_supp: wlan0: CTRL-EVENT-EAP-FAILURE d2:39:fa:43:a3:c1\n"
        "[00:00:22.381,428] <inf> wpa_supp: wlan0: AP-STA-CONNECTED d2:39:fa:43:a3:c1 p2p_dev_addr=d2:39:fa:43:23:c1\n"
        "[00:00:29.505,446] <inf> wpa_supp: wlan0: CTRL-EVENT-DISCONNECTED bssid=f4:ce:36:00:d2:4c reason=3 locally_generated=1\n"
    )
    assert kinds(go) == [("wps.done", "d2:39:fa:43:a3:c1"), ("sta.connected", "d2:39:fa:43:a3:c1")]
    # without WPS, the same EAP-Failure is one
    assert [k for k, _ in kinds(client.replace("vendor 14122 method 1 (WSC)", "25 (PEAP)"))][1:3] == [
        "eap.challenge.request",
        "eap.failure",
    ]


def test_iwd_notices_pasted_without_their_journal_tag() -> None:
    """A linux-wireless report (tests/data/real/lnx-iwd-intel3168-kernel617-auth-timeout): iwd's notices without
    "iwd[pid]: " were read as nothing at all; their names are iwd's own."""
    path = REAL / "lnx-iwd-intel3168-kernel617-auth-timeout" / "input.log"
    (d,) = diagnose_paths([str(path)], Options()).diagnoses
    assert str(d.verdict) == "failed" and str(d.stage) == "802.11-auth"
    kinds_seen = {e.kind for a in d.timeline.attempts for e in a.events}
    assert "auth.timeout" in kinds_seen


def test_iwd_refusing_the_servers_eap_method_is_a_method_not_agreed() -> None:
    """iwd's EAP layer (src/eap.c), pasted without its journal tag: the server proposed EAP-MD5 (4) to a
    PEAP (25) profile, iwd refused it and EAP ended in eapFail (a real post, tests/data/real)."""
    from wlandoctor.pipeline import diagnose_paths

    case = Path(__file__).parent / "data" / "real" / "linux-arch-iwd-peap-server-offers-md5-eapfail"
    report = diagnose_paths([str(case / "input.log")])
    (d,) = report.diagnoses
    assert (str(d.verdict), str(d.stage)) == ("failed", "802.1x")
    assert d.causes[0].id == "eap-failure/method-not-agreed"
    kinds = {e.kind: e for a in d.timeline.attempts for e in a.events}
    assert kinds["eap.method_refused"].attrs["proposed"] == "4"
    assert kinds["eap.method_refused"].attrs["asked_for"] == "25"


def test_wpa_supplicant_unable_to_read_its_configuration_names_the_field_and_keeps_the_secret_out() -> None:
    """OpenWrt 24.10 (a real issue, its lines as the Markdown source kept them: "wpa_supplicant\\[1691\\]:"):
    the generated sae_password line does not parse; the value quoted in the line never reaches the evidence."""
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers.hostap import PARSER
    from wlandoctor.sources import Input

    case = Path(__file__).parent / "data" / "real"
    path = (
        case
        / "client-openwrt-2410-wpa-supplicant-sta-sae-password-quote-hash-config-parse-fail"
        / "input.log"
    )
    inp = Input.from_path(path)
    try:
        events = list(PARSER.parse(inp, InputSummary(inp.name, PARSER.name)))
    finally:
        inp.close()
    (first, *rest) = [e for e in events if e.kind == "supplicant.config_error"]
    assert (first.attrs["what"], first.attrs["config_line"], first.ref.line) == ("sae_password", 9, 2)
    assert "KEY DATA REMOVED" not in first.ref.text and "'[redacted]'" in first.ref.text
    assert "KEY DATA REMOVED" not in first.attrs["message"]
    assert rest == []  # (the block's and the file's refusal after it are the same failure)


def test_the_aps_of_cached_keys_are_not_aps_the_station_joined() -> None:
    """A laptop roaming on an EAP-TLS campus WLAN (a real linux-wireless post): wpa_supplicant keeps PMKSA
    entries for every AP of the network (PMKSA-CACHE-ADDED / -REMOVED, 32 BSSIDs); it tried four."""
    from wlandoctor.pipeline import diagnose_paths

    case = (
        Path(__file__).parent / "data" / "real" / "linux-iwlwifi-nm-eaptls-ft-rsne-mismatch-roam-then-online"
    )
    (d,) = diagnose_paths([str(case / "input.log")]).diagnoses
    assert len(d.timeline.aps) == 4


MINT = REAL / "linux-mint15-wl-nm-ttls-server-ca-self-signed-chain-refused" / "input.log"


def test_networkmanager_09_activation_lines_are_read() -> None:
    """NetworkManager 0.8 / 0.9 name the device without a colon ("Activation (eth0) Beginning DHCPv4
    transaction", "(eth1): device state change: need-auth -> failed (reason 'no-secrets')"): the failure,
    the DHCP steps and the activation's success are read, the bookkeeping around them understood."""
    report = diagnose_paths([str(MINT)], Options())
    got = {d.station: d for d in report.diagnoses}
    assert str(got["eth1@digi-Vostro-3350"].verdict) == "failed"
    # the wired eth0, named by dhclient's "Listening on LPF/eth0/<mac>" further down: one station, online
    assert str(got["18:03:73:a3:9a:c1"].verdict) == "online" and "eth0@digi-Vostro-3350" not in got
    assert report.inputs[0].coverage.unread == 0
    told = {(e.ref.line, e.kind) for d in got.values() for a in d.timeline.attempts for e in a.events}
    assert any(line == 154 for line, _ in told)  # ("need-auth -> failed (reason 'no-secrets')")
    assert {(180, "dhcp.discover"), (189, "dhcp.ack"), (212, "sta.online")} <= told


def test_a_station_named_before_its_mac_is_told_stays_one_station(tmp_path: Path) -> None:
    """A client log's first events name the interface (wpa_supplicant at its normal level gives no MAC);
    dhclient's "Listening on LPF/<iface>/<mac>" tells it later.  Within the head the MAC names the station
    from its first line; further on, the station keeps its first name and the MAC is said in a note: one
    station either way, never its join and its DHCP failure as two."""
    lines = MINT.read_text(encoding="utf-8").splitlines()
    wired = [ln for ln in lines[165:200] if "eth0" in ln]  # the wired activation, "Listening" among them
    listening = next(i for i, ln in enumerate(wired) if "Listening on LPF/eth0/" in ln)
    filler = [ln for ln in lines if "avahi-daemon" in ln] * 600  # (real lines of no station: 100 KB)
    log = tmp_path / "late.log"
    log.write_text("\n".join([*wired[:listening], *filler, *wired[listening:]]) + "\n", encoding="utf-8")
    report = diagnose_paths([str(log)], Options())
    assert [(d.station, str(d.verdict)) for d in report.diagnoses] == [("eth0@digi-Vostro-3350", "online")]
    assert any("18:03:73:a3:9a:c1" in n and "eth0@digi-Vostro-3350" in n for n in report.inputs[0].notes)
