"""Aruba authentication trace (parsers/aruba.py): rows as the CLI prints them and as a page collapsed
them, 802.1X accepted and rejected, a wrong passphrase, and detection beside the other formats."""

from __future__ import annotations

from pathlib import Path

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data"
WPA3 = DATA / "aruba" / "iap-wpa3-8021x-accept-and-reject.log"


def test_rows_with_collapsed_columns_are_read() -> None:
    parser = by_name("aruba")
    assert parser is not None
    path = DATA / "aruba" / "kb-collapsed-columns.log"
    summary = InputSummary(str(path), "aruba")
    events = list(parser.parse(Input.from_path(path), summary))
    assert [(e.kind, e.station, e.bssid) for e in events] == [
        ("assoc.response", "00:19:7d:b8:b4:51", "00:0b:86:ae:31:91"),
        ("sta.connected", "00:19:7d:b8:b4:51", None),  # (the all-zero BSSID names no AP)
    ]
    assert events[0].attrs["security"] == "open system" and events[1].attrs["vlan"] == 400


def test_8021x_accepted_and_rejected() -> None:
    report = diagnose_paths([str(WPA3)])
    by = {d.station: d for d in report.diagnoses}
    ok = by["70:d8:23:00:e9:e3"]
    assert ok.verdict == "online" and not ok.causes
    bad = by["70:d8:23:00:f2:bc"]
    assert (bad.verdict, bad.stage) == ("failed", "802.1x")
    assert bad.causes[0].rule == "radius-reject"
    assert 34 in {e.line for e in bad.causes[0].evidence}  # the rad-reject row
    [inp] = report.inputs
    assert inp.coverage.unread == 0 and inp.problems == []


def test_aruba_traces_are_detected_and_others_are_not() -> None:
    for path in (WPA3, DATA / "real" / "ap-aruba-iap505-auth-trace-wrong-psk" / "input.log"):
        assert detect(path.read_bytes())[0] is by_name("aruba"), path
    for other in (
        "hostap/healthy_openwrt_logread_dhcp.log",
        "mikrotik/prefix-forms.log",
        "meraki/header-forms.log",
    ):
        assert detect((DATA / other).read_bytes())[0] is not by_name("aruba"), other


# ---- syslog and user-debug ("<501100> <NOTI> |stm| ..."), read by the same reader -------------------------
SYSLOG = DATA / "aruba"


def _read(path: Path) -> tuple[list[Event], InputSummary]:
    return read("aruba", path)


def test_syslog_station_up_and_down_of_a_campus_controller() -> None:
    events, summary = _read(SYSLOG / "syslog-omnilab-sjtu-station-up.log")
    assert summary.problems == [] and summary.coverage.unread == 0
    ups = [e for e in events if e.kind == "assoc.response"]
    assert ups and all(e.attrs["daemon"] == "aruba" and e.attrs["vlan"] >= 1000 for e in ups)
    first = ups[0]
    assert (first.station, first.bssid, first.attrs["ssid"]) == (
        "90:3c:92:cb:39:8f",
        "d8:c7:c8:29:05:90",
        "SJTU",
    )
    assert first.time is not None  # ("Dec 13 05:50:06 2015": the year the line gives)


def test_syslog_wrong_psk_and_wrong_sae_password() -> None:
    report = diagnose_paths([str(SYSLOG / "syslog-iap-wrong-psk-and-sae.log")])
    by = {d.station: d for d in report.diagnoses}
    psk = by["d4:e6:b7:e3:46:c3"]
    assert (psk.verdict, psk.stage, psk.causes[0].rule) == (
        "failed",
        "4way-handshake",
        "4way-m2-mic-mismatch",
    )
    sae = by["84:ab:1a:11:d2:f6"]
    assert (sae.verdict, sae.stage) == ("failed", "802.11-auth")
    assert sae.causes[0].id == "sae-auth-rejected/wrong-password"
    assert any("SAE confirm did not verify" in w for w in sae.causes[0].why_confidence)


def test_syslog_in_a_cef_wrapper_with_escaped_fields() -> None:
    events, summary = _read(SYSLOG / "syslog-cef-8021x-sekoia.log")
    assert summary.coverage.unread == 0 and summary.problems == []
    kinds = {e.kind for e in events}
    assert {
        "radius.reject",
        "eap.success",
        "assoc.response",
        "sta.disassoc",
        "sta.teardown",
        "sta.deauth",
    } <= kinds
    down = next(e for e in events if e.kind == "sta.disassoc")
    assert down.attrs["reason_code"] == 68 and down.bssid == "a2:a2:a2:a2:a2:a2"


def test_an_open_ssid_station_up_is_joined_and_a_roam_is_no_failure(tmp_path: Path) -> None:
    report = diagnose_paths([str(DATA / "real" / "ap-aruba-user-debug-open-system-kb" / "input.log")])
    [d] = report.diagnoses
    assert d.verdict == "online"  # ("Unicast Encr Open", then Station UP)
    log = tmp_path / "roam.log"
    log.write_text(
        "Sep  7 20:30:58 stm[2452]: <501080> <2452> <NOTI> <wcp2>  Deauth to sta: 88:63:df:ae:d3:83: Ageout AP "
        "STA has roamed to another AP\n",
        encoding="utf-8",
    )
    events, _ = _read(log)
    assert [e.kind for e in events] == ["sta.teardown"]


def test_an_obfuscated_mac_is_said_and_a_server_timeout_is_kept_for_every_station(tmp_path: Path) -> None:
    # (splunk-connect-for-syslog#1765: the reporter replaced MAC octets with "gg")
    log = tmp_path / "cef.log"
    log.write_text(
        "Jul 25 12:53:03 10.254.201.9 CEF:0|Aruba|A72xx|79813|log|SystemEvent|3|deviceProcessName=dot1x-proc:2 "
        "dvcpid=4387 dvchost=7205-SC msg=2[4387]: <522275> <4387> <WARN> \\|dot1x-proc:2\\|  User Authentication "
        "failed. username\\=nicole userip\\=0.0.0.0 usermac\\=gg:gg:f9:03:dd:c5 authmethod\\=802.1x\n"
        "Jul 25 12:53:24 10.254.201.9 CEF:0|Aruba|A72xx|79813|log|SystemEvent|3|deviceProcessName=dot1x-proc:2 "
        "dvcpid=4387 dvchost=7205-SC msg=2[4387]: <520002> <4387> <ERRS> \\|dot1x-proc:2\\|  Authentication server "
        "request Timeout, username\\=nicole userip\\=0.0.0.0 usermac\\=gg:gg:f9:03:dd:c5 servername\\= Radius_Cluster\n",
        encoding="utf-8",
    )
    events, summary = _read(log)
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 1
    assert [(e.kind, e.station) for e in events] == [("radius.no_reply", "")]


def test_management_frames_of_an_instant_ap() -> None:
    events, summary = _read(SYSLOG / "iap-mgmt-frames-wpa2-and-wpa3.log")
    assert summary.problems == [] and summary.coverage.unread == 0
    by: dict[str, list[tuple[str, str | None]]] = {}
    for e in events:
        by.setdefault(e.station, []).append((e.kind, e.attrs.get("by")))
    # newest first, as the AP prints them
    assert by["04:69:f8:0c:88:a6"] == [
        ("assoc.response", None),
        ("assoc.request", None),
        ("auth.response", None),
    ]
    assert sorted(by["84:ab:1a:11:d2:f6"]) == [
        ("sae.commit", "ap"),
        ("sae.commit", "sta"),
        ("sae.confirm", "ap"),
        ("sae.confirm", "sta"),
    ]
    assert detect((SYSLOG / "iap-mgmt-frames-wpa2-and-wpa3.log").read_bytes())[0] is by_name("aruba")


def test_a_station_management_line_not_understood_is_said(tmp_path: Path) -> None:
    """A line of stm or authmgr the catalogue cannot read (here a real line whose station MAC a publisher
    pseudonymised, as anonymised logs do) is about clients: said as not understood, never skipped unsaid."""
    real = (
        (Path(__file__).parent / "data" / "aruba" / "syslog-iap-wrong-psk-and-sae.log")
        .read_text()
        .splitlines()
    )
    path = tmp_path / "pseudonymised.log"
    path.write_text(
        real[0].replace("d4:e6:b7:e3:46:c3", "d4:e6:b7:<MAC: 7jhQ59up>") + "\n" + "\n".join(real[1:]) + "\n"
    )
    events, summary = read("aruba", path)
    assert 1 not in {e.ref.line for e in events}
    assert summary.coverage.unread >= 1 and summary.coverage.first[0][0] == 1
