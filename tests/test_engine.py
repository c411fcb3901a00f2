"""Engine behaviour that is not one rule's: which attempt is explained, and how sources corroborate."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.pipeline import diagnose_paths


def test_log_ending_mid_attempt_explains_the_failed_attempt_before(data: Path) -> None:
    """openwrt#13787: four AP-STA-POSSIBLE-PSK-MISMATCH, a deauth, then the user starts WPS and the log ends.
    The station is 'incomplete' (the WPS try has no end), but its trouble is the PSK mismatch of attempt 1."""
    d = diagnose_paths([str(data / "hostap" / "openwrt_issue13787_wps_psk_mismatch.log")]).diagnoses[0]
    assert d.verdict == "incomplete"
    assert len(d.timeline.attempts) == 2
    top = d.causes[0]
    assert top.rule == "4way-m2-mic-mismatch" and top.attempt == 1
    assert {3, 4, 5, 6} <= {e.line for e in top.evidence}
    assert d.stage == "4way-handshake"


def test_healthy_station_that_recovered_raises_no_alarm(data: Path) -> None:
    """haasmesh#2: one station connects fine; the other's mismatch is its own."""
    report = diagnose_paths([str(data / "hostap" / "haasmesh_issue2_psk_mismatch.log")])
    by = {d.station: d for d in report.diagnoses}
    assert by["a4:34:d9:be:76:2f"].verdict == "online" and not by["a4:34:d9:be:76:2f"].causes
    assert by["8a:19:02:28:12:a8"].causes[0].rule == "4way-m2-mic-mismatch"


def test_dhcp_after_layer2_connect_is_still_judged(tmp_path: Path, data: Path) -> None:
    """hostapd's AP-STA-CONNECTED means keys are installed, not that the station is online: when dnsmasq
    then offers but never acknowledges, the station failed at DHCP."""
    healthy = (data / "hostap" / "healthy_openwrt_logread_dhcp.log").read_text()
    assert "DHCPACK" in healthy
    broken = tmp_path / "no-ack.log"
    broken.write_text("".join(line for line in healthy.splitlines(keepends=True) if "DHCPACK" not in line))
    ok = diagnose_paths([str(data / "hostap" / "healthy_openwrt_logread_dhcp.log")]).diagnoses[0]
    assert ok.verdict == "online" and not ok.causes
    d = diagnose_paths([str(broken)]).diagnoses[0]
    assert d.verdict == "incomplete" and not d.causes  # one REQUEST, then the log ends
    request = next(line for line in healthy.splitlines(keepends=True) if "DHCPREQUEST" in line)
    retried = tmp_path / "retried.log"
    retried.write_text(broken.read_text() + request * 2)  # the client asks twice more, never acknowledged
    d = diagnose_paths([str(retried)]).diagnoses[0]
    assert d.verdict == "failed" or d.verdict == "incomplete"
    assert d.causes and d.causes[0].rule == "dhcp-no-ack", [c.id for c in d.causes]


def test_station_less_row_naming_a_user_is_cited_only_for_that_user() -> None:
    # tests/kb/user-blocked/trigger-2.log: scanner01 on two stations, mlopez on a third, then the AC's
    # blocked-user list (lines 68-70: scanner01, guest@visitors, jdoe).
    trigger = Path(__file__).parent / "kb" / "user-blocked" / "trigger-2.log"
    cited = {}
    for d in diagnose_paths([str(trigger)]).diagnoses:
        cause = next(c for c in d.causes if c.rule == "user-blocked")
        cited[d.station] = [e.line for e in cause.evidence]
    assert cited == {
        "0c:8b:fd:31:77:a0": [13, 68],
        "a0:c5:89:e2:4d:13": [33, 68],
        "6c:4b:90:aa:1f:02": [53],  # mlopez: none of the list's rows is about this user
    }


def test_online_says_what_shows_it(data: Path) -> None:
    """A DHCP lease makes a station online by its address; hostapd's keys alone, "connected" by its keys."""
    leased = diagnose_paths([str(data / "hostap" / "healthy_openwrt_logread_dhcp.log")]).diagnoses[0]
    assert (leased.verdict, leased.online_evidence) == ("online", "address")
    keyed = diagnose_paths([str(data / "hostap" / "healthy_hostapd_dd_wpa2psk.log")]).diagnoses[0]
    assert (keyed.verdict, keyed.online_evidence) == ("online", "keys")


def test_a_station_that_leaves_without_an_address_while_the_dhcp_server_fails_failed_at_dhcp(
    tmp_path: Path, data: Path
) -> None:
    """The healthy OpenWrt session cut before dnsmasq answers, the station leaving 20 s later, and the DHCP
    server in a crash loop (procd's line of openwrt/odhcpd#197, with dnsmasq): failed at DHCP, not online."""
    healthy = (data / "hostap" / "healthy_openwrt_logread_dhcp.log").read_text().splitlines()
    keys = [ln for ln in healthy if "dnsmasq" not in ln][:9]
    crash = "Sat Mar  2 10:15:05 2024 daemon.info procd: Instance dnsmasq::cfg01411c s in a crash loop 6 crashes, 0 seconds since last crash"
    gone = "Sat Mar  2 10:15:21 2024 daemon.notice hostapd: phy0-ap0: AP-STA-DISCONNECTED 3a:5f:11:22:9c:01"
    log = tmp_path / "logread.txt"
    log.write_text("\n".join([*keys, crash, gone]) + "\n")
    [d] = diagnose_paths([str(log)]).diagnoses
    assert (d.verdict, d.stage) == ("failed", "dhcp")
    assert d.causes[0].id == "dhcp-server-down"
    assert 10 in {e.line for e in d.causes[0].evidence}
    # without the server's failure in the input, the same station is connected (by its keys)
    log.write_text("\n".join([*keys, gone]) + "\n")
    [d] = diagnose_paths([str(log)]).diagnoses
    assert (d.verdict, d.online_evidence) == ("online", "keys")


def test_advice_names_the_commands_of_the_platform_the_evidence_came_from(data: Path) -> None:
    """A hostapd log gets hostapd / OpenWrt steps and no AC command; the AC's own output keeps them."""
    from wlandoctor.kb.platforms import step_platform

    hostapd = diagnose_paths([str(data / "hostap" / "haasmesh_issue2_psk_mismatch.log")])
    [d] = [d for d in hostapd.diagnoses if d.causes]
    steps = [s for c in d.causes for s in (*c.fix, *c.confirm)]
    assert not [s for s in steps if step_platform(s) == "huawei"]
    assert any("logread -e hostapd" in s for s in d.causes[0].confirm)
    huawei = diagnose_paths([str(data.parent.parent / "examples" / "cached-pmk-case-study.txt")])
    [h] = [d for d in huawei.diagnoses if d.causes]
    assert any(step_platform(s) == "huawei" for c in h.causes for s in (*c.fix, *c.confirm))
    assert not [s for c in h.causes for s in c.confirm if step_platform(s) in ("hostapd", "linux-client")]
    client = diagnose_paths([str(data / "hostap" / "88x2bu_issue78_wpa_supplicant_wrong_key.log")])
    [c] = [d for d in client.diagnoses if d.causes]
    assert not [s for x in c.causes for s in (*x.fix, *x.confirm) if step_platform(s) == "huawei"]


def test_dnsmasq_exiting_at_start_is_read_in_every_form(data: Path) -> None:
    """dnsmasq's die() (src/log.c): the reason on stderr as "dnsmasq: ..." (also inside a wrapper's or its
    own syslog line), at LOG_CRIT, then "FAILED to start up"; behind any prefix.  Another daemon's alike
    wording is not dnsmasq's."""
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers.hostap import HostapParser
    from wlandoctor.sources import Input

    path = data / "dnsmasq" / "dnsmasq-exits-at-start.log"
    inp = Input.from_path(path)
    summary = InputSummary(inp.name, "hostap")
    events = list(HostapParser().parse(inp, summary))
    failures = {e.ref.line: e.attrs for e in events if e.kind == "dhcp.server_failure"}
    assert sorted(failures) == [1, 2, 3, 4, 5, 6]
    assert {a["what"] for a in failures.values()} == {"cannot-listen", "failed-to-start"}
    assert all(a["gone"] and a["server"] == "dnsmasq" for a in failures.values())
    assert summary.coverage.unread == 0


def test_stations_keyed_after_the_dhcp_server_stopped_failed_at_dhcp(tmp_path: Path, data: Path) -> None:
    """tuya-convert#64 (tests/data/real): dnsmasq exits at start, then stations complete their keys in a log
    without time stamps; one leaves, one is still connected at the end.  No DHCP server ran: both failed at
    DHCP.  The same stations keyed before the server stopped, or when some station got a lease from a DHCP
    server, stay online by their keys."""
    real = data / "real" / "ap-tuya-convert-dnsmasq-port53-in-use" / "input.log"
    lines = real.read_text().splitlines()
    by = {d.station: d for d in diagnose_paths([str(real)]).diagnoses}
    for station in ("60:01:94:c0:42:32", "84:b5:41:5c:50:ce"):
        d = by[station]
        assert (d.verdict, d.stage) == ("failed", "dhcp")
        assert d.causes[0].id == "dhcp-server-down"
        assert 1 in {e.line for e in d.causes[0].evidence}
    later = tmp_path / "stopped-later.log"
    later.write_text("\n".join([*lines[1:], lines[0]]) + "\n")  # the server's failure logged last
    assert {d.verdict for d in diagnose_paths([str(later)]).diagnoses} == {"online"}
    leased = tmp_path / "leased.log"
    ack = "wlan0: DHCPACK(wlan0) 10.42.42.17 84:b5:41:5c:50:ce"  # a server answered after all
    leased.write_text("\n".join([*lines, ack]) + "\n")
    verdicts = {d.station: d.verdict for d in diagnose_paths([str(leased)]).diagnoses}
    assert verdicts == {"60:01:94:c0:42:32": "online", "84:b5:41:5c:50:ce": "online"}


def test_removal_after_the_connection_ended_is_the_teardown_not_a_failure(tmp_path: Path) -> None:
    """oblique/create_ap#372: hostapd removes a station for inactivity (timer DEAUTH/REMOVE) after it
    disassociated: the attempt got online by its keys and ended; the removal does not make it a failure at
    the stage reached."""
    log = tmp_path / "create_ap.txt"
    log.write_text(
        "ap0: STA 2c:20:0b:13:ca:0b IEEE 802.11: authenticated\n"
        "ap0: STA 2c:20:0b:13:ca:0b IEEE 802.11: associated (aid 1)\n"
        "ap0: AP-STA-CONNECTED 2c:20:0b:13:ca:0b\n"
        "ap0: STA 2c:20:0b:13:ca:0b RADIUS: starting accounting session 168AF9C83868B597\n"
        "ap0: STA 2c:20:0b:13:ca:0b WPA: pairwise key handshake completed (RSN)\n"
        "ap0: AP-STA-DISCONNECTED 2c:20:0b:13:ca:0b\n"
        "ap0: STA 2c:20:0b:13:ca:0b IEEE 802.11: disassociated\n"
        "ap0: STA 2c:20:0b:13:ca:0b IEEE 802.11: deauthenticated due to inactivity (timer DEAUTH/REMOVE)\n"
    )
    [d] = diagnose_paths([str(log)]).diagnoses
    assert [a.outcome for a in d.timeline.attempts] == ["online"]
    assert (d.verdict, d.online_evidence) == ("online", "keys")
