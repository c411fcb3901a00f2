"""Windows WLAN AutoConfig events as CSV (parsers/windows_csv.py): Export-Csv of every property (Windows
PowerShell 5.1, with its type line), a Select-Object subset exported with a culture's separator and date,
the same events as the event XML they were rendered from; broken rows said and the rest read."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers import read
from wlandoctor.parsers import detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data"
PS51 = DATA / "windows-csv" / "export-csv-ps51.csv"
GERMAN = DATA / "windows-csv" / "export-csv-usculture-de.csv"
XML = DATA / "windows" / "osquery-winevents-dot1x.xml"


@pytest.mark.parametrize("path", [PS51, GERMAN])
def test_an_export_is_detected_and_stays_one_input(path: Path) -> None:
    parser, _ = detect(path.read_bytes()[:65536])
    assert parser is not None and parser.name == "windows-csv"
    report = diagnose_paths([str(path)])
    assert [i.format for i in report.inputs] == ["windows-csv"]  # (never split at a message's lines)


@pytest.mark.parametrize("path", [PS51, GERMAN])
def test_the_csv_gives_the_events_of_the_xml(path: Path) -> None:
    events, summary = read("windows-csv", path)
    assert summary.problems == [] and summary.records == 7 and summary.notes == []
    xml_events, _ = read("windows", XML)
    assert [(e.kind, e.station) for e in events] == [(e.kind, e.station) for e in xml_events]
    # (the export's time has no fraction of a second)
    assert [int(e.time or 0) for e in events] == [int(e.time or 0) for e in xml_events]
    failure = next(e for e in events if e.kind == "eap.failure")
    assert failure.attrs["reason_name"] == "ONEX_EAP_FAILURE_RECEIVED"  # (told by the reason's text)


def test_the_eap_failure_is_diagnosed_from_the_csv_as_from_the_xml() -> None:
    # (the XML's ConnectionId splits attempts the CSV cannot tell apart; the failure is the same)
    for path in (PS51, XML):
        [d] = diagnose_paths([str(path)]).diagnoses
        failed = [a for a in d.timeline.attempts if str(a.outcome) == "failed"]
        assert d.station == "2c:9c:58:29:12:75" and str(d.verdict) != "failed"
        assert "802.1x" in [str(a.failed_stage) for a in failed], path.name


def _export(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "wlan.csv"
    path.write_bytes(('"TimeCreated","Id","ProviderName","Message"\r\n' + body).encode())
    return path


def test_rows_without_an_event_id_are_said_and_the_rest_read(tmp_path: Path) -> None:
    header, rows = GERMAN.read_bytes().decode().split("\r\n", 1)
    bad = (
        '"03.10.2026 06:52:12";"not-an-id";"Information";"Wireless security started."\r\n'
        '"03.10.2026 06:52:13";"8001";"Information";"' + ("x" * 1000 + "\r\n") * 70 + '"\r\n'
    )
    path = tmp_path / "broken.csv"
    path.write_bytes((header + "\r\n" + bad + rows).encode())
    events, summary = read("windows-csv", path)
    [problem] = summary.problems  # (two rows in a row: one problem)
    assert problem.line == 2 and "lines 2-73" in problem.message and "without an event id" in problem.message
    assert len(events) == 7  # (the rows after them)


def test_an_unclosed_quote_costs_its_rows_only_and_is_said(tmp_path: Path) -> None:
    text = PS51.read_bytes().decode()
    type_line, header, rows = text.split("\r\n", 2)
    unclosed = '"8000","' + "y\r\n" * 70000  # (a message whose quote never closes: 140 KB)
    path = tmp_path / "unclosed.csv"
    path.write_bytes("\r\n".join([type_line, header, unclosed + rows]).encode())
    events, summary = read("windows-csv", path)
    assert any(
        "not CSV" in p.message and "field larger than field limit" in p.message for p in summary.problems
    )
    assert len(summary.problems) <= 3 and len(events) >= 1  # (the junk after the error: one problem)


def test_a_file_without_the_header_is_said(tmp_path: Path) -> None:
    path = tmp_path / "no-header.csv"
    path.write_text('"a","b"\r\n' * 40, encoding="utf-8")
    events, summary = read("windows-csv", path)
    assert events == [] and any(
        "no header with the columns Id and Message" in p.message for p in summary.problems
    )


def test_other_providers_rows_give_nothing_and_unknown_wlan_ids_are_said(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        '"10/3/2026 6:52:12 AM","4042","Microsoft-Windows-NCSI","Capability change on {x}"\r\n'
        '"10/3/2026 6:52:13 AM","11002","Microsoft-Windows-WLAN-AutoConfig","Wireless network association failed."\r\n',
    )
    events, summary = read("windows-csv", path)
    assert events == [] and [p.line for p in summary.problems] == [3]
    assert summary.coverage.unread == 1 and summary.records == 1
