"""UniFi Network application (controller) client events: its API / websocket JSON in the forms tools print
it, and its SIEM syslog (CEF).  Real samples only (tests/data/unifi-network/SOURCES.md, the real-log corpus)."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import Report
from wlandoctor.pipeline import Options, diagnose_paths

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"


def _report(path: Path) -> Report:
    return diagnose_paths([str(path)], Options())


def test_cef_client_connected_is_online_and_a_device_event_is_read_with_no_station() -> None:
    report = _report(DATA / "unifi-network" / "network-cef-elastic-connected-device-offline.log")
    assert report.inputs[0].format == "unifi-network"
    assert report.inputs[0].coverage.unread == 0
    (d,) = report.diagnoses
    assert d.station == "01:23:45:12:f6:c1" and str(d.verdict) == "online"
    assert d.online_evidence == "controller"  # (the controller's record: "connected to ohai!secure")


def test_cef_disconnection_with_its_duration_was_online_before() -> None:
    """401 WiFi Client Disconnected says "Time Connected: 31m 59s" (UNIFIduration): the client was online
    that long, its record placed at the start of it."""
    report = _report(DATA / "unifi-network" / "network-cef-wazuh-connected-disconnected-roamed.log")
    by = {d.station: d for d in report.diagnoses}
    assert set(by) == {"aa:bb:cc:11:11:11", "aa:bb:cc:22:22:22", "aa:bb:cc:33:33:33"}
    assert all(str(d.verdict) == "online" for d in by.values())
    events = [e for a in by["aa:bb:cc:11:11:11"].timeline.attempts for e in a.events]
    before = next(e for e in events if e.attrs.get("what") == "connected-for")
    gone = next(e for e in events if e.kind == "sta.offline")
    assert before.attrs["duration_s"] == 31 * 60 + 59
    assert gone.time is not None and before.time == gone.time - 1919


def test_api_events_in_the_forms_tools_print_them() -> None:
    """aiounifi's websocket DEBUG line (compact JSON, redacted placeholders), the controller's older spaced
    JSON, and aiounifi's warning with the event as a Python dict: each is read to its client."""
    compact = _report(REAL / "unifi-network-events-disconnected-then-roamradio" / "input.log")
    (d,) = compact.diagnoses
    assert d.station == "<<user_mac>>" and str(d.verdict) == "online"
    assert any("redacted" in n for n in compact.inputs[0].notes)
    spaced = _report(REAL / "unifi-network-events-spaced-json-wu-roam-wife-phone" / "input.log")
    assert [str(x.verdict) for x in spaced.diagnoses] == ["online"]
    guest = _report(REAL / "unifi-network-events-aiounifi-warning-hs-authed-by-noauth-guest" / "input.log")
    (g,) = guest.diagnoses
    kinds = [e.kind for a in g.timeline.attempts for e in a.events]
    assert kinds == ["sta.online"] and guest.inputs[0].coverage.unread == 0


def test_an_absurd_connected_time_is_said_and_not_placed(tmp_path: Path) -> None:
    """Fuzzing found it: a disconnection whose "duration" reaches before any date put the client's start out
    of range.  The real aiounifi line with its duration made absurd: said with its line, the rest read."""
    real = (REAL / "unifi-network-events-disconnected-then-roamradio" / "input.log").read_text()
    assert '"duration":477' in real
    hostile = tmp_path / "absurd.log"
    hostile.write_text(real.replace('"duration":477', '"duration":9999999999999999999977', 1))
    report = _report(hostile)
    (d,) = report.diagnoses
    events = [e for a in d.timeline.attempts for e in a.events]
    assert not any(e.attrs.get("what") == "connected-for" for e in events)
    assert any(e.kind == "sta.offline" for e in events)
    problems = report.inputs[0].problems
    assert any("is not a session" in p.message and p.line == 1 for p in problems)
