"""Cisco Catalyst 9800 (parsers/cisco9800.py): RadioActive traces (with and without their prefix), its syslog
(exclusions, 802.1X and session-manager failures, RADIUS servers down), client delete reasons, detection,
and advice that names the 9800's commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data"
TRACE = DATA / "cisco9800" / "ra-845f-sae-trace-excerpts.log"
PASTED = DATA / "cisco9800" / "ra-pasted-without-prefix-sae-success.log"
SYSLOG = DATA / "real" / "ap-cisco9800-syslog-elastic-exclusions-dot1x" / "input.log"
M3 = DATA / "cisco9800" / "ra-c81c-m3-retries-wrong-replay-counter.log"


def _events(path: Path) -> tuple[list[Event], InputSummary]:
    return read("cisco-wlc", path)


def test_a_trace_gives_every_stage_and_the_delete_reasons_their_events() -> None:
    events, summary = _events(TRACE)
    assert summary.problems == [] and summary.coverage.unread == 0
    assert {e.station for e in events} == {"84:5f:04:e7:d5:57"}
    kinds = [e.kind for e in events]
    for kind in (
        "assoc.request",
        "assoc.response",
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m3.sent",
        "eapol.m4.received",
        "handshake.success",
        "dhcp.ack",
        "sta.online",
        "sae.commit",
    ):
        assert kind in kinds, kind
    by_reason = {e.attrs.get("reason_name"): e for e in events if "reason_name" in e.attrs}
    pmkid = by_reason["DOT11_INVALID_PMKID"]
    assert (pmkid.kind, pmkid.attrs["status"], pmkid.attrs["reason"]) == ("assoc.reject", 53, 54)
    assert pmkid.attrs["client_state"] == "S_CO_ASSOCIATING"
    assert by_reason["SAE_AUTH_FAILURE"].kind == "auth.reject"
    assert by_reason["SAE_AUTH_FAILURE"].attrs["auth_alg"] == 3
    assert by_reason["SAE_AUTH_IN_ASSOCIATED_STATE"].kind == "sta.disassoc"
    assert by_reason["DEAUTH_OR_DISASSOC_REQ"].kind == "sta.deauth"
    first = events[0]
    assert first.kind == "assoc.request" and first.bssid == "14:84:73:40:a8:cd"
    assert first.attrs["ssid"] == "MOBILE" and first.ap == "mon-0b-ap-164"
    # nanoseconds kept (to the microsecond a float holds)
    assert first.time is not None and abs(first.time % 1 - 0.962897741) < 1e-5


def test_a_trace_pasted_without_its_prefix_is_one_station_online() -> None:
    report = diagnose_paths([str(PASTED)])
    [d] = report.diagnoses
    assert d.station == "38:00:25:11:11:11" and d.verdict == "online"
    [inp] = report.inputs
    assert inp.coverage.unread == 0 and inp.problems == []
    assert inp.records == 17  # lines without a MAC belong to the trace's one station


def test_a_line_without_a_mac_is_said_when_the_trace_names_several_stations(tmp_path: Path) -> None:
    log = tmp_path / "two.log"
    log.write_text(
        PASTED.read_text()
        + "MAC: 3800.2511.2222  Association received. BSSID 2c4f.5276.0bce\n"
        + "Client IP learn method update successful. Method: DHCP IP: 192.168.62.77\n",
        encoding="utf-8",
    )
    _, summary = _events(log)
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 19


def test_m3_retries_fail_at_the_m4_stage_with_advice_for_the_9800() -> None:
    report = diagnose_paths([str(M3)])
    [d] = report.diagnoses
    assert (d.verdict, d.stage) == ("failed", "4way-handshake")
    top = d.causes[0]
    assert top.rule == "4way-m3-no-m4"
    assert 12 in {e.line for e in top.evidence}  # "Max retries for M3 over"
    steps = " ".join(top.confirm)
    assert "show logging profile wireless filter mac" in steps
    assert "station-trace" not in steps  # (another platform's command)


@pytest.mark.parametrize(
    ("station", "stage", "rule"),
    [
        ("02:00:00:00:00:24", "4way-handshake", "4way-m2-mic-mismatch"),  # excluded: Wrong PSK
        ("02:00:00:00:00:2b", "802.1x", "eap-failure"),  # %DOT1X-5-FAIL Cred Fail
        ("02:00:00:00:00:2a", "802.1x", "radius-unreachable"),  # AAA Server Down
        ("02:00:00:00:00:2e", "802.1x", "radius-unreachable"),  # %MAB-5-FAIL AAA Server Down
        ("02:00:00:00:00:32", "authorization", "authz-data-error"),  # %SESSION_MGR-5-FAIL VLAN Failure
        ("02:00:00:00:00:1e", "association", "sta-blacklisted"),  # Excessive ARP activity
    ],
)
def test_syslog_failures(station: str, stage: str, rule: str) -> None:
    report = diagnose_paths([str(SYSLOG)], None)
    d = next(d for d in report.diagnoses if d.station == station)
    assert (d.verdict, d.stage) == ("failed", stage)
    assert d.causes[0].rule == rule


def test_syslog_run_state_is_online_and_every_line_is_read() -> None:
    report = diagnose_paths([str(SYSLOG)])
    online = {d.station for d in report.diagnoses if d.verdict == "online"}
    assert "02:00:00:00:00:29" in online
    [inp] = report.inputs
    assert inp.coverage.unread == 0 and inp.problems == []
    excluded = next(d for d in report.diagnoses if d.station == "02:00:00:00:00:1e")
    assert excluded.causes[0].id == "sta-blacklisted/excluded-after-failures"


def test_an_unknown_delete_reason_lands_at_the_stage_of_the_clients_state(tmp_path: Path) -> None:
    log = tmp_path / "t.log"
    head = "2023/09/19 15:49:46.127867824 {wncd_x_R0-0}{1}: [client-orch-sm] [17435]: (info): MAC: 845f.04e7.d557  "
    log.write_text(
        head
        + "Deleting the client, reason: 250, CO_CLIENT_DELETE_REASON_SOMETHING_NEW, Client state S_CO_IP_LEARN_IN_PROGRESS\n"
        + head
        + "Deleting the client, reason: 251, CO_CLIENT_DELETE_REASON_ANOTHER_ONE, Client state S_CO_RUN\n"
        + head
        + "Deleting the client, reason: 252, CO_CLIENT_DELETE_REASON_CLIENT_DYNAMIC_THING, Client state S_CO_INIT\n",
        encoding="utf-8",
    )
    events, _ = _events(log)
    assert [(e.kind, e.stage) for e in events] == [
        ("sta.deleted", "dhcp"),
        ("sta.teardown", "association"),  # (a client in RUN deleted: an end, not a failure)
        ("sta.deleted", "802.11-auth"),  # ("DYNAMIC" holds MIC, but not as a word of the name)
    ]


def test_9800_logs_are_detected_and_others_are_not() -> None:
    for path in (TRACE, PASTED, SYSLOG, M3):
        assert detect(path.read_bytes())[0] is by_name("cisco-wlc"), path
    for other in (
        "hostap/healthy_openwrt_logread_dhcp.log",
        "mikrotik/prefix-forms.log",
        "meraki/header-forms.log",
        "aruba/iap-wpa3-8021x-accept-and-reject.log",
    ):
        assert detect((DATA / other).read_bytes())[0] is not by_name("cisco-wlc"), other


def test_bad_stamps_are_problems_and_the_line_is_kept(tmp_path: Path) -> None:
    log = tmp_path / "bad.log"
    log.write_text(
        "9999/13/45 25:61:61.1 {wncd_x_R0-0}{1}: [client-keymgmt] [1]: (info): MAC: c81c.fe19.f2e5  EAP key M1 Sent successfully\n"
        "<189>1: Feb 30 16:05:58: %DOT1X-5-FAIL: Chassis 1 R0/0: wncd: Authentication failed for client (0200.0000.002b) with reason (Cred Fail) on Interface x\n",
        encoding="utf-8",
    )
    events, summary = _events(log)
    assert [e.kind for e in events] == ["eapol.m1.sent", "eap.failure"]
    assert events[0].time is None
    assert any("out of range" in p.message for p in summary.problems)


# ---- Cisco AireOS ("debug client" and its syslog), read by the same reader -------------------------------
AIREOS = DATA / "aireos"


def test_aireos_debug_client_lines_give_their_stages() -> None:
    events, summary = _events(AIREOS / "gist-dot1x-identity-request.log")
    assert summary.problems == [] and summary.coverage.unread == 0
    assert [e.kind for e in events] == ["eap.identity.request", "eap.identity.response", "radius.challenge"]
    assert {e.station for e in events} == {"74:2f:68:d2:b1:f3"}
    assert events[0].attrs["daemon"] == "cisco-aireos"
    assert events[0].time is not None  # (the stamp before the MAC, dated by the file's year)


def test_a_flexconnect_reassociation_refused_is_an_association_reject() -> None:
    events, _ = _events(AIREOS / "pastebin-flexconnect-11r-reassoc-failed.log")
    [reject] = [e for e in events if e.kind == "assoc.reject"]
    assert reject.attrs["status"] == 11 and reject.bssid == "44:ad:d9:8e:8b:fe"
    report = diagnose_paths([str(AIREOS / "pastebin-flexconnect-11r-reassoc-failed.log")])
    [d] = report.diagnoses
    assert (d.verdict, d.stage) == ("failed", "association")


def test_aireos_dhcp_ack_learned_from_the_reply() -> None:
    report = diagnose_paths([str(AIREOS / "putty-flexconnect-dhcp-looped.log")])
    [d] = report.diagnoses
    assert d.station == "64:b0:a6:c9:56:d2" and d.verdict == "online"
    [inp] = report.inputs
    assert inp.coverage.unread == 0  # (the login and the PuTTY banner are not relevant)


def test_aireos_m3_retry_limit_with_aireos_steps() -> None:
    path = DATA / "real" / "ap-aireos-9800-syslog-elastic-messages" / "input.log"
    report = diagnose_paths([str(path)])
    d = next(d for d in report.diagnoses if d.station == "80:7d:3a:9b:2f:fc")
    top = d.causes[0]
    assert top.rule == "4way-m3-no-m4"
    assert any("debug client" in step for step in top.confirm)
    assert not any("show logging profile wireless" in step for step in top.confirm)  # (the 9800's)


# ---- "show wireless client mac-address <mac> detail" (Genie's golden outputs of real 9800s) -----------------
def test_a_client_in_run_is_online_with_its_address_ap_and_ssid() -> None:
    events, summary = _events(DATA / "cisco9800" / "genie-detail-run-8021x-peap.txt")
    assert summary.problems == [] and summary.coverage.unread == 0 and summary.skipped == 0
    assert [e.kind for e in events] == ["assoc.response", "handshake.success", "dhcp.ack", "sta.online"]
    ack = events[2]
    assert (ack.station, ack.attrs["ip"], ack.ap, ack.attrs["ssid"]) == (
        "0a:ba:dd:ff:40:c9",
        "10.22.4.19",
        "b1-11-cap9",
        "lizzard-legacy",
    )
    assert ack.time is not None  # ("Join Time Of Client : MM/DD/YYYY hh:mm:ss")


def test_a_client_waiting_at_the_web_portal_is_not_online() -> None:
    report = diagnose_paths([str(DATA / "cisco9800" / "genie-detail-webauth-pending-cwa.txt")])
    by = {d.station: d for d in report.diagnoses}
    d = by["dc:a6:32:5d:15:0f"]
    assert d.verdict == "incomplete" and d.timeline.attempts[-1].reached == "authorization"
    kinds = [e.kind for e in d.timeline.attempts[-1].events]
    assert kinds[-1] == "portal.pending" and "dhcp.ack" in kinds
    # the same paste ends with "show wireless client summary": its one client, in Run, is online
    assert (
        set(by) == {"dc:a6:32:5d:15:0f", "20:0d:b0:33:01:fe"} and by["20:0d:b0:33:01:fe"].verdict == "online"
    )


def test_a_detail_record_after_a_prompt_and_the_record_ends_at_the_next_prompt(tmp_path: Path) -> None:
    text = (DATA / "cisco9800" / "genie-detail-run-psk-with-prompt.txt").read_text(encoding="utf-8")
    log = tmp_path / "session.log"
    log.write_text(text + "C9800-40-K9#show clock\n*10:02:33.123 UTC Tue Jun 15 2021\n", encoding="utf-8")
    events, summary = _events(log)
    assert [e.kind for e in events][-1] == "sta.online"
    assert summary.skipped == 3  # the two prompts and the clock's answer: not part of the record
