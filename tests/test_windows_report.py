"""netsh wlan show wlanreport (parsers/windows_report.py): the report's HTML page and its XML give the same
events; the session summaries and the WLAN profiles are never read as events; localized reports keep the
client's MAC; NCSI's Internet capability is the client online; hostile markup is said and the rest read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from readers import read
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.report import FORMATS, render

REPORTS = Path(__file__).parent / "data" / "windows-report"
HTML = REPORTS / "win11-ac9560-no-ap-visible-then-connected.html"
XML = REPORTS / "win11-ac9560-no-ap-visible-then-connected.xml"
BULGARIAN = REPORTS / "win10-1511-bg-driver-disconnected-while-connecting.html"
PORTUGUESE = REPORTS / "win11-ax201-pt-br-connected.xml"
CLIENT = "f0:77:c3:aa:cf:b7"


@pytest.mark.parametrize("path", [HTML, XML, BULGARIAN, PORTUGUESE])
def test_both_forms_are_detected(path: Path) -> None:
    parser, _ = detect(path.read_bytes()[:65536])
    assert parser is not None and parser.name == "windows-report"


def test_a_pasted_run_of_rows_is_detected_without_the_page() -> None:
    rows = HTML.read_bytes().split(b"<h2>Wireless Sessions</h2>", 1)[1][:6000]
    parser, _ = detect(rows)
    assert parser is not None and parser.name == "windows-report"


def test_the_html_and_the_xml_give_the_same_events() -> None:
    html_events, html_summary = read("windows-report", HTML)
    xml_events, xml_summary = read("windows-report", XML)
    assert html_summary.problems == [] and xml_summary.problems == []

    def seen(events: list) -> list[tuple[str, str, float | None]]:  # type: ignore[type-arg]
        return [(e.kind, e.station, e.time) for e in events]

    assert seen(html_events) == seen(xml_events)
    assert {e.station for e in html_events} == {CLIENT}  # (8000-8003 take the MAC of 11000-11010)
    kinds = [e.kind for e in xml_events]
    # one Session summary of the XML is a "Connect": it is never read as an event (only <WlanEvent>s are)
    assert kinds[:2] == ["assoc.request", "network.not_found"]
    assert kinds.count("sta.online") == 3  # (NCSI "internet" rows: the client reached the Internet)


def test_no_visible_ap_then_connected_is_online_with_the_failure_explained() -> None:
    report = diagnose_paths([str(HTML)])
    [d] = report.diagnoses
    assert d.station == CLIENT and str(d.verdict) in ("online", "connected")
    failed = [a for a in d.timeline.attempts if str(a.outcome) == "failed"]
    assert len(failed) == 1 and str(failed[0].failed_stage) == "discovery"
    [not_found] = [e for e in failed[0].events if e.kind == "network.not_found"]
    assert not_found.attrs["reason_name"] == "NO_VISIBLE_AP"  # (told by the English text of the reason)
    # one attempt per join: the keys renewed and NCSI's Internet told again inside a connection stay in it
    assert [str(a.outcome) for a in d.timeline.attempts] == ["failed", "online", "online"]
    assert all(a.events[0].kind == "assoc.request" for a in d.timeline.attempts)
    online = [a for a in d.timeline.attempts if any(e.kind == "sta.online" for e in a.events)]
    assert online and online[0].events[0].time > not_found.time  # type: ignore[operator]


def test_the_wlan_profiles_in_the_report_never_reach_an_output() -> None:
    # (the XML report holds the client's WLAN profiles, protected key material included)
    assert b"randomizationSeed" in XML.read_bytes()
    report = diagnose_paths([str(XML)])
    for fmt in FORMATS:
        buf = io.StringIO()
        target = Console(file=buf, width=120, no_color=True) if fmt == "text" else buf
        render(report, fmt, target, details=True)  # type: ignore[arg-type]
        out = buf.getvalue()
        assert out and "2211673809" not in out and "McDonald" not in out and "randomizationSeed" not in out


def test_a_localized_report_keeps_the_client_and_its_events() -> None:
    # Portuguese labels ("Endereço MAC Local"): the one MAC of an 11000-12999 message is the client's
    events, summary = read("windows-report", PORTUGUESE)
    assert summary.problems == []
    assert {e.station for e in events} == {"04:6c:59:18:b2:03"}
    assert [e.kind for e in events][:4] == [
        "assoc.request",
        "assoc.response",
        "handshake.success",
        "sta.connected",
    ]
    [d] = diagnose_paths([str(PORTUGUESE)]).diagnoses
    assert str(d.verdict) == "online"


def test_failures_in_another_language_are_failures_with_their_text_kept() -> None:
    [d] = diagnose_paths([str(BULGARIAN)]).diagnoses
    assert d.station == "f4:b7:e2:29:c2:39" and str(d.verdict) == "failed" and str(d.stage) == "association"
    failures = [e for a in d.timeline.attempts for e in a.events if e.kind == "assoc.failure"]
    assert len(failures) == 5
    assert all(e.attrs["reason_text"].startswith("Прекъсната връзка с драйвера") for e in failures)


def test_an_unknown_wlan_autoconfig_event_is_said(tmp_path: Path) -> None:
    row = (
        '<tr class="wlan "><td>11002<a id="9"></a></td><td>2024-01-24T21:33:00</td><td><div class="message">'
        '<span class="message-body">Wireless network association failed.<br></span></div></td></tr>'
    )
    path = tmp_path / "rows.html"
    path.write_text("<title>wlan report</title>\n" + row + "\n", encoding="utf-8")
    events, summary = read("windows-report", path)
    assert events == [] and [p.line for p in summary.problems] == [2]
    assert "event 11002 of Microsoft-Windows-WLAN-AutoConfig: not read" in summary.problems[0].message


def test_hostile_markup_is_said_and_the_rest_read(tmp_path: Path) -> None:
    good = HTML.read_text(encoding="utf-8-sig")
    cut = good.index('<div class="session">')
    # a tag whose attribute never closes (a gigabyte line, read as its first 64 KiB), text after it, and
    # an unclosed script: each said, and the report after them still read
    hostile = "<div class='" + "x" * (1024 * 1024 + 10) + "\n" + "a pasted line\n" * 70
    path = tmp_path / "hostile.html"
    path.write_text(good[:cut] + hostile + good[cut:], encoding="utf-8")
    events, summary = read("windows-report", path)
    [problem] = summary.problems
    assert "does not end within 64 lines" in problem.message and problem.line == good[:cut].count("\n") + 1
    plain, _ = read("windows-report", HTML)
    assert [e.kind for e in events] == [e.kind for e in plain] and plain


def test_scripts_and_styles_are_never_read_as_rows(tmp_path: Path) -> None:
    row = '<tr class="wlan "><td>8002<a id="9"></a></td><td>2024-01-24T21:33:00</td><td>x</td></tr>'
    page = f"<title>wlan report</title>\n<script>\nvar s = '{row}';\n</script>\n<style>{row}</style>\n"
    path = tmp_path / "scripted.html"
    path.write_text(page, encoding="utf-8")
    events, summary = read("windows-report", path)
    assert events == [] and summary.problems == []


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_an_absurd_time_is_a_problem_of_its_line(tmp_path: Path, stamp: str) -> None:
    row = HTML.read_text(encoding="utf-8-sig").replace("2024-01-25T18:05:53", stamp)
    path = tmp_path / "dates.html"
    path.write_text(row, encoding="utf-8")
    events, summary = read("windows-report", path)
    assert any("out of range" in p.message for p in summary.problems)
    assert any(e.kind == "network.not_found" and e.time is None for e in events)


def test_an_event_cut_at_the_end_is_said(tmp_path: Path) -> None:
    text = HTML.read_text(encoding="utf-8-sig")
    cut = text.index("</tr>", text.index("<td>8002<a")) - 10
    path = tmp_path / "cut.html"
    path.write_text(text[:cut], encoding="utf-8")
    events, summary = read("windows-report", path)
    assert any("ends inside an event" in p.message for p in summary.problems)
    assert events[-1].kind == "network.not_found"


def test_the_reader_is_registered_for_windows_advice() -> None:
    from wlandoctor.kb.platforms import FORMAT_PLATFORM

    assert by_name("windows-report") is not None and FORMAT_PLATFORM["windows-report"] == "windows"


def test_the_text_report_says_a_station_online_failed_before(tmp_path: Path) -> None:
    # (the report's client: one failure, then online; the first screen says so without --all)
    from wlandoctor.report.text import render_text

    buf = io.StringIO()
    render_text(diagnose_paths([str(HTML)]), Console(file=buf, width=200, no_color=True), None)
    text = buf.getvalue()
    assert f"online  {CLIENT}  (3 attempts, 1 failed)" in text
    assert "1 station online (--all lists them); 1 of them failed before getting on" in text
