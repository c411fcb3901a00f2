"""Windows WLAN AutoConfig events as text (parsers/windows_text.py): Get-WinEvent's table and list,
wevtutil /f:text, Event Viewer's copied event with and without its XML, and a message pasted without its
header; the same events as the XML form gives, and detection."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from readers import read
from wlandoctor.model import Event
from wlandoctor.parsers import by_name, detect
from wlandoctor.parsers.windows_text import _iso
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data" / "windows-text"


def _key(e: Event, whole_seconds: bool) -> tuple[object, ...]:
    t = int(e.time) if e.time is not None and whole_seconds else e.time
    return (e.kind, e.station, t, e.bssid, e.attrs.get("ssid"), e.attrs.get("reason_code"))


@pytest.mark.parametrize(("name", "whole_seconds"), [("wevtutil-text.txt", False), ("format-list.txt", True)])
def test_the_text_forms_give_the_events_the_xml_gives(name: str, whole_seconds: bool) -> None:
    """The real events of the XML fixture, printed as wevtutil and Format-List print them: the same kinds,
    station (its MAC from the 802.1X events, given to the 8000-8003 of the same adapter), times, AP, SSID
    and reason codes (8002's from its text, 12013's from "Explicit Eap failure received")."""
    xml, _ = read("windows", DATA.parent / "windows" / "osquery-winevents-dot1x.xml")
    text, summary = read("windows-text", DATA / name)
    assert not summary.problems and summary.coverage.unread == 0
    assert sorted(_key(e, whole_seconds) for e in text) == sorted(_key(e, whole_seconds) for e in xml)
    assert {e.attrs.get("eap_type") for e in text if e.kind == "eapol.start"} == {21}


def test_event_viewer_copy_with_its_xml_is_one_input() -> None:
    result = diagnose_paths([str(DATA / "eventviewer-copy.txt")])
    [summary] = result.inputs
    assert summary.format == "windows-text" and not summary.problems
    kinds = sorted(
        (e.kind, e.station) for d in result.diagnoses for a in d.timeline.attempts for e in a.events
    )
    assert kinds == [
        ("eap.failure", "2c:9c:58:29:12:75"),
        ("network.not_found", "2c:9c:58:29:12:75"),
        ("sta.connected", "2c:9c:58:29:12:75"),  # (from the Event Xml, its adapter's MAC from the text)
    ]


def test_a_message_pasted_without_its_header() -> None:
    """The real 12013 of a support case: told by its headline, the reason by its text."""
    [d] = diagnose_paths([str(DATA / "irishemin-12013-peap-identity.txt")]).diagnoses
    assert (d.station, d.verdict, d.stage) == ("aa:bb:cc:11:22:33", "failed", "802.1x")
    [e] = [e for a in d.timeline.attempts for e in a.events]
    assert (e.kind, e.bssid, e.attrs["identity"], e.attrs["reason_code"]) == (
        "eap.failure",
        "dd:ee:ff:44:55:66",
        "host/.contoso.corp",
        0x50005,
    )
    assert (
        "EAPRootCauseString=Network authentication failed due to a problem with the user account"
        in e.ref.text
    )


def test_get_winevent_table_rows() -> None:
    events, summary = read("windows-text", DATA / "wifitools-get-winevent-table.txt")
    got = [(e.ref.line, e.kind, e.station) for e in events]
    client = "windows@client"  # (no MAC in the table: the client as one)
    assert got == [
        (3, "handshake.success", client),
        (6, "sta.connected", client),
        (7, "handshake.success", client),
    ]
    assert events[0].time == datetime(2019, 10, 21, 0, 8, 55, tzinfo=UTC).timestamp()
    assert any("first line only" in n for n in summary.notes)
    failures, _ = read("windows-text", DATA / "wifitools-get-winevent-table-errors.txt")
    assert [(e.kind, e.ref.line) for e in failures] == [
        ("assoc.failure", 3),
        ("assoc.failure", 4),
        ("handshake.failed", 5),
    ]


def test_local_dates_in_every_order() -> None:
    assert _iso("10/21/2019", "12:08:55", "A") == ("2019-10-21T00:08:55+00:00", False)
    assert _iso("9/30/2019", "5:56:59", "P") == ("2019-09-30T17:56:59+00:00", False)
    assert _iso("21.10.2019", "00:08:55", None) == ("2019-10-21T00:08:55+00:00", False)
    assert _iso("2019-10-21", "00:08:55", None) == ("2019-10-21T00:08:55+00:00", False)
    assert _iso("03/04/2019", "10:00:00", None) == ("2019-03-04T10:00:00+00:00", True)  # (a guess, said)
    assert _iso("31/31/2019", "10:00:00", None) == (None, False)


def test_detection() -> None:
    for path in sorted(DATA.glob("*.txt")):
        assert detect(path.read_bytes())[0] is by_name("windows-text"), path.name
    assert detect((DATA.parent / "windows" / "osquery-winevents-dot1x.xml").read_bytes())[0] is by_name(
        "windows"
    )


def test_netsh_connect_refused_for_the_profiles_security() -> None:
    """netsh wlan connect in a PowerShell transcript (buscseik/WifiTools#11): "not connectible" and its reason
    "Capability matching failed at profile (auth not found)" (WLAN_REASON_CODE_MSMSEC_CAPABILITY_PROFILE_AUTH):
    the profile's security is not the network's, failed at association; the prompts and netsh's other
    answers are read with no event."""
    from pathlib import Path

    from wlandoctor.pipeline import Options, diagnose_paths

    case = Path(__file__).parent / "data" / "real" / "windows-netsh-connect-not-connectible-auth-not-found"
    report = diagnose_paths([str(case / "input.log")], Options())
    assert report.inputs[0].format == "windows-text"
    (d,) = report.diagnoses
    assert (str(d.verdict), str(d.stage)) == ("failed", "association")
    assert d.causes[0].id.startswith("encryption-mode-mismatch/")
    failure = next(e for a in d.timeline.attempts for e in a.events if e.kind == "assoc.failure")
    assert failure.attrs["reason"] == "encryption-mode-mismatch" and failure.attrs["profile"] == "MyWifi"
    assert failure.attrs["reason_code"] == 0x4001E


def test_a_wireless_dbg_traces_state_machine() -> None:
    """Microsoft's own examples of WlanSvc's connection state machine in a wireless_dbg trace: Associating ->
    Authenticating -> Connected is a connection; Authenticating -> Roaming with no 802.1X started is a failure
    of the key handshake; the article's 802.1X trace (the AuthMgr authenticating, the AP's DisAssoc, the state
    line cut after "State:") fails at 802.1X, cited at the line where its record starts."""
    from pathlib import Path

    from wlandoctor.pipeline import Options, diagnose_paths

    data = Path(__file__).parent / "data"
    good = diagnose_paths([str(data / "windows-text" / "wireless-dbg-fsm-good.txt")], Options())
    assert good.inputs[0].format == "windows-text"
    assert [str(d.verdict) for d in good.diagnoses] == ["online"]
    (failed,) = diagnose_paths(
        [str(data / "windows-text" / "wireless-dbg-fsm-failed.txt")], Options()
    ).diagnoses
    assert (str(failed.verdict), str(failed.stage)) == ("failed", "4way-handshake")
    case = data / "real" / "windows-wireless-dbg-etw-8021x-ap-disassoc-roaming-doc" / "input.log"
    (d,) = diagnose_paths([str(case)], Options()).diagnoses
    assert (str(d.verdict), str(d.stage)) == ("failed", "802.1x")
    last = d.timeline.attempts[-1].events[-1]
    assert last.ref.line == 13 and last.ref.text.endswith("Authenticating to State: Roaming")
