"""Windows WLAN AutoConfig events as XML (parsers/windows.py): one-line and pretty-printed events, the
client's MAC carried to the events that lack it, reason codes, other providers, and hostile XML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import Options, diagnose_paths

DATA = Path(__file__).parent / "data"
WIN = DATA / "windows"
OSQUERY = WIN / "osquery-winevents-dot1x.xml"
PRETTY = WIN / "psmths-event-viewer-8001-8003.xml"


def _events(path: Path) -> tuple[list[Event], InputSummary]:
    return read("windows", path)


def test_the_exported_events_are_one_client_with_its_attempts() -> None:
    events, summary = _events(OSQUERY)
    assert summary.problems == [] and summary.coverage.unread == 0
    assert {e.station for e in events} == {"2c:9c:58:29:12:75"}  # 8001-8003 take the adapter's MAC
    assert [e.kind for e in events] == [
        "eap.success",
        "eap.failure",
        "eapol.start",
        "eap.restarted",
        "network.not_found",
        "sta.connected",
        "sta.disassoc",
    ]
    by_kind = {e.kind: e for e in events}
    failure = by_kind["eap.failure"]
    assert (
        failure.attrs["reason_name"] == "ONEX_EAP_FAILURE_RECEIVED"
        and failure.attrs["reason_code"] == 0x50005
    )
    assert failure.bssid == "2a:0b:8b:00:f2:34"  # (PeerMac: the AP)
    missing = by_kind["network.not_found"]
    assert missing.attrs["reason_code"] == 163851 and missing.attrs["ssid"] == "dot1x-test"
    assert "Event 8002" in missing.ref.text and "<Event" not in missing.ref.text  # (its fields, not its XML)
    assert by_kind["eapol.start"].attrs["eap_type"] == 21
    expected = datetime(2026, 10, 3, 7, 8, 16, 491845, tzinfo=UTC).timestamp()
    assert abs(by_kind["eap.failure"].time - expected) < 1e-3  # type: ignore[operator]


def test_the_eap_failure_attempt_is_diagnosed_with_windows_steps() -> None:
    report = diagnose_paths([str(OSQUERY)])
    [d] = report.diagnoses
    failed = [a for a in d.timeline.attempts if a.outcome == "failed"]
    assert failed and failed[0].failed_stage == "802.1x"
    assert d.verdict == "online"  # (the last attempt connected)
    # one attempt per ConnectionId: 0x11 (802.1X succeeded), 0x12 (refused), 0x13 (restarted, then the
    # network was not available), 0x14 (connected, then disconnected)
    ids = [{e.attrs.get("attempt_id") for e in a.events} for a in d.timeline.attempts]
    assert ids == [{"0x11"}, {"0x12"}, {"0x13"}, {"0x14"}]


def test_pretty_printed_events_and_a_client_without_its_mac(tmp_path: Path) -> None:
    events, summary = _events(PRETTY)
    assert summary.problems == []
    assert [(e.kind, e.station) for e in events] == [
        ("sta.connected", "windows@HLPC01"),
        ("sta.disassoc", "windows@HLPC01"),
    ]
    assert events[1].attrs["reason_text"].startswith("The network is disconnected due to a policy")


def test_events_of_other_providers_and_the_document_around_are_understood(tmp_path: Path) -> None:
    other = (
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-"
        "Windows-NCSI'/><EventID>4042</EventID><TimeCreated SystemTime='2026-10-03T07:14:31.0Z'/></System>"
        "<EventData><Data Name='Capability'>Internet</Data></EventData></Event>"
    )
    log = tmp_path / "events.xml"
    log.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<Events>\n'
        + other
        + "\n"
        + OSQUERY.read_text().split("\n", 1)[1],
        encoding="utf-8",
    )
    events, summary = _events(log)
    assert len(events) == 7 and summary.problems == [] and summary.coverage.unread == 0


def test_several_events_on_one_line(tmp_path: Path) -> None:
    lines = [ln for ln in OSQUERY.read_text().splitlines() if ln.startswith("<Event ")]
    log = tmp_path / "flat.xml"
    log.write_text("".join(lines) + "\n", encoding="utf-8")
    events, _ = _events(log)
    assert len(events) == 7


def test_hostile_xml_is_said_with_its_line_and_the_rest_is_read(tmp_path: Path) -> None:
    good = [ln for ln in OSQUERY.read_text().splitlines() if ln.startswith("<Event ")]
    bomb = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<Event xmlns='x'><System><Provider Name='Microsoft-Windows-WLAN-AutoConfig'/><EventID>8001</EventID>"
        "</System><EventData><Data Name='SSID'>&lol2;</Data></EventData></Event>"
    )
    broken = "<Event xmlns='x'><System><Provider Name='Microsoft-Windows-WLAN-AutoConfig'/><EventID>8001</EventID></Sys></Event>"
    unended = "<Event xmlns='x'><System><Provider Name='Microsoft-Windows-WLAN-AutoConfig'/>"
    log = tmp_path / "hostile.xml"
    log.write_text("\n".join([bomb, good[0], broken, good[1], unended]) + "\n", encoding="utf-8")
    events, summary = _events(log)
    assert len(events) == 2
    said = {p.line: p.message for p in summary.problems}
    assert "document type declaration" in said[1] or "undefined entity" in said[1]  # (never expanded)
    assert "not well-formed" in said[3]
    assert "ends inside an event" in said[5]


def test_an_absurd_time_is_said_and_the_event_kept(tmp_path: Path) -> None:
    line = OSQUERY.read_text().splitlines()[1].replace("2026-10-03T06:52:12.2387869Z", "9999-99-03T06:52:12Z")
    log = tmp_path / "t.xml"
    log.write_text(line + "\n", encoding="utf-8")
    events, summary = _events(log)
    assert [e.time for e in events] == [None]
    assert any("out of range" in p.message for p in summary.problems)


def test_windows_events_are_detected_and_others_are_not() -> None:
    for path in sorted(WIN.glob("*.xml")):
        assert detect(path.read_bytes())[0] is by_name("windows"), path
    for other in ("hostap/healthy_openwrt_logread_dhcp.log", "unifi/u7-pro-tracker-8x.log"):
        assert detect((DATA / other).read_bytes())[0] is not by_name("windows"), other


def test_a_timeout_of_802_1x_is_advised_with_the_windows_client_s_commands(tmp_path: Path) -> None:
    # (the real 12013 event with the reason a client logs when nobody answers its identity: 0x50007)
    lines = [
        line
        for line in OSQUERY.read_text(encoding="utf-8").splitlines()
        if "<EventID>12011<" in line or "<EventID>12013<" in line
    ]
    path = tmp_path / "identity-timeout.xml"
    path.write_text("\n".join(lines).replace("0x50005", "0x50007") + "\n", encoding="utf-8")
    [d] = diagnose_paths([str(path)]).diagnoses
    cause = next(c for c in d.causes if c.rule == "eap-identity-timeout")
    steps = " ".join(cause.confirm)
    assert "On the Windows client" in steps and "display " not in steps and "hostapd" not in steps


NPS_TEXT = (
    Path(__file__).parent / "data" / "real" / "win-nps-6273-reason16-cisco-wlc-peap-non-domain-joined-win10"
)


def test_an_nps_event_copied_without_its_description_line_is_read(tmp_path: Path) -> None:
    """Event Viewer's text of a 6273 as a blog copied it: "Source: Microsoft Windows security" (the
    provider's display name, cut), no Date and no "Description:" line, the message right after the header.
    The station, the reason code and the reject are read; a provider name it cannot place is said."""
    report = diagnose_paths([str(NPS_TEXT / "input.log")], Options())
    [d] = report.diagnoses
    assert (d.station, str(d.verdict), str(d.stage)) == ("60:57:18:a7:ea:18", "failed", "802.1x")
    assert d.causes[0].id == "radius-reject/bad-credentials"
    text = (NPS_TEXT / "input.log").read_text(encoding="utf-8")
    odd = tmp_path / "odd.log"
    odd.write_text(
        text.replace("Source: Microsoft Windows security", "Source: Some Auditing Service"), "utf-8"
    )
    report = diagnose_paths([str(odd)], Options())
    assert not report.diagnoses
    assert any("event 6273" in p.message and "not read" in p.message for p in report.inputs[0].problems)
