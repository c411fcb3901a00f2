"""Fortinet FortiGate wireless controller client debug (parsers/fortinet_debug.py): the three forms of the
stamp, lines wrapped by the CLI joined back, the station of lines that name none, and bad input said."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers import read
from wlandoctor.kb.platforms import FORMAT_PLATFORM
from wlandoctor.parsers import detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data" / "fortinet-debug"
HANDBOOK = DATA / "handbook-successful-psk-connection.txt"
FORTIOS7 = DATA / "kb308993-fortios7-association-wrapped.txt"
RADIUS = DATA / "kb308782-radius-mac-auth-request.txt"


@pytest.mark.parametrize("path", [HANDBOOK, FORTIOS7, RADIUS])
def test_every_form_is_detected(path: Path) -> None:
    parser, _ = detect(path.read_bytes())
    assert parser is not None and parser.name == "fortinet-debug"
    assert FORMAT_PLATFORM[parser.name] == "fortinet"


def test_the_handbook_example_is_the_join_as_far_as_it_goes() -> None:
    events, summary = read("fortinet-debug", HANDBOOK)
    assert summary.problems == [] and summary.coverage.unread == 0
    assert [e.kind for e in events] == [
        "assoc.request",
        "assoc.response",
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m3.sent",
    ]
    assert {e.station for e in events} == {"30:46:9a:f9:fa:34"}  # (1/4 and 3/4 name none: the one before)
    assert any("uptime" in n for n in summary.notes) and all(e.time is None for e in events)
    [d] = diagnose_paths([str(HANDBOOK)]).diagnoses
    assert str(d.verdict) == "incomplete" and d.timeline.last is not None
    assert str(d.timeline.last.reached) == "4way-handshake"  # (the excerpt ends after message 3/4)


def test_lines_wrapped_by_the_cli_are_joined_back() -> None:
    events, summary = read("fortinet-debug", FORTIOS7)
    assert summary.problems == [] and summary.coverage.unread == 0
    assert [e.kind for e in events] == ["assoc.request", "assoc.response", "assoc.response"]
    first = events[0]
    assert first.ref.line == 1 and "ws (0-192.168.10.2:5246) vap MyNetCorp" in first.ref.text
    assert events[1].ref.line == 10 and "vap MyNetCorp rId 1" in events[1].ref.text  # ("v" + "ap MyNetCorp")
    assert summary.records == 8  # (eight messages over fifteen lines)


def test_the_console_time_stamp_dates_the_event() -> None:
    [event], summary = read("fortinet-debug", RADIUS)
    assert event.kind == "radius.request" and event.station == "f8:89:d2:b9:48:f7"
    assert event.time is not None and summary.notes == []
    from datetime import UTC, datetime

    assert datetime.fromtimestamp(event.time, UTC).isoformat() == "2024-03-20T14:09:38.953000+00:00"


def test_a_refused_association_is_a_rejection_with_its_status(tmp_path: Path) -> None:
    # (the handbook's association with another status sent: a refusal)
    text = HANDBOOK.read_text(encoding="utf-8").replace(
        "00:09:0f:f3:20:45 resp 0", "00:09:0f:f3:20:45 resp 17"
    )
    path = tmp_path / "refused.txt"
    path.write_text(text, encoding="utf-8")
    events, _ = read("fortinet-debug", path)
    reject = next(e for e in events if e.kind == "assoc.reject")
    assert reject.attrs["status"] == 17


def test_unknown_messages_and_absurd_dates_are_said(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text(
        "91155.197 <ih> IEEE 802.11 mgmt::assoc_req <== 30:46:9a:f9:fa:34 vap x rId 0 wId 0 00:09:0f:f3:20:45\n"
        "91155.300 <eh> an EAPOL message no sample showed yet for 30:46:9a:f9:fa:34\n"
        "9999-99-99 25:61:61 61778.953 f8:89:d2:b9:48:f7 <eh> RADIUS message (type=0) ==> RADIUS Server code=1 x\n"
        + "y" * 20000
        + "\n",
        encoding="utf-8",
    )
    events, summary = read("fortinet-debug", path)
    assert [e.kind for e in events] == ["assoc.request", "radius.request"]
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 2
    assert [p.line for p in summary.problems] == [3]  # (the date out of range; the long line is its end)
    assert events[1].time is None


def test_the_radius_answer_is_read_by_its_code(tmp_path: Path) -> None:
    # (the article's request line, and the same line as the answer the debug prints for a reject: the
    # arrow turned and RFC 2865's code 3; an accounting packet gives no step)
    request = RADIUS.read_text(encoding="utf-8").strip()
    reject = request.replace("14:09:38 61778.953", "14:09:39 61779.007").replace(
        "==> RADIUS Server code=1 (Access-Request)", "<== RADIUS Server code=3 (Access-Reject)"
    )
    accounting = request.replace("code=1 (Access-Request)", "code=4 (Accounting-Request)")
    unknown = request.replace("code=1 (Access-Request)", "code=99 (Something-Else)")
    path = tmp_path / "radius.txt"
    path.write_text("\n".join([request, reject, accounting, unknown]) + "\n", encoding="utf-8")
    events, summary = read("fortinet-debug", path)
    assert [(e.kind, e.attrs.get("code")) for e in events] == [("radius.request", 1), ("radius.reject", 3)]
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 4
    [d] = diagnose_paths([str(path)]).diagnoses
    assert str(d.verdict) == "failed" and str(d.stage) == "802.1x" and d.causes[0].rule == "radius-reject"
    # the advice names the FortiGate's commands, never another platform's
    steps = " ".join(d.causes[0].confirm)
    assert "diagnose test authserver radius" in steps and "display aaa" not in steps
