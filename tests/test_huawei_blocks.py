"""The Huawei parser reads its input in blocks with its own line loop (parsers/huawei.py ``run``): what it
finds must not depend on where the blocks end, on line ends, or on how a flattened paste falls on them."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from wlandoctor.model import Event, InputSummary, SourceRef
from wlandoctor.parsers import huawei
from wlandoctor.parsers.relevance import finish
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data" / "huawei"
INPUTS = sorted(p.name for p in DATA.glob("*.txt"))


def _events(data: bytes, monkeypatch: pytest.MonkeyPatch, block: int, max_line: int) -> tuple:
    monkeypatch.setattr(huawei, "_BLOCK", block)
    monkeypatch.setattr(huawei, "MAX_LINE", max_line)
    summary = InputSummary("x", "huawei-ac")
    inp = Input("x", None, len(data), data[:4096], io.BytesIO(data[4096:]))  # type: ignore[arg-type]
    events = [
        (e.kind, e.station, e.ref.line, e.ref.text, e.time, e.seq, e.ap, sorted(e.attrs.items()))
        for e in huawei.PARSER.parse(inp, summary)
    ]
    finish(summary)  # (as the pipeline does once an input is read: skipped lines are said there)
    problems = [(p.line, p.message) for p in summary.problems]
    return events, summary.records, summary.skipped, problems


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("block", [1, 7, 150, 4096])
def test_block_size_does_not_matter(name: str, block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (DATA / name).read_bytes()
    whole = _events(data, monkeypatch, 1 << 20, huawei.MAX_LINE)
    assert whole[0], f"{name}: no events at all"
    assert _events(data, monkeypatch, block, huawei.MAX_LINE) == whole


@pytest.mark.parametrize("name", ["founding-flattened.txt", "founding-per-line.txt", "huawei-public.txt"])
def test_line_ends_and_a_missing_last_line_end(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (DATA / name).read_bytes().replace(b"\r\n", b"\n")
    lf = _events(data, monkeypatch, 1 << 20, huawei.MAX_LINE)
    crlf = _events(data.replace(b"\n", b"\r\n"), monkeypatch, 64, huawei.MAX_LINE)
    assert crlf == lf
    bare = _events(data.rstrip(b"\n"), monkeypatch, 33, huawei.MAX_LINE)
    assert bare == lf


@pytest.mark.parametrize("block", [97, 1 << 20])
def test_over_long_flattened_line_in_fragments(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A paste flattened onto one line longer than MAX_LINE is read in fragments; a record cut by a
    fragment boundary is joined again, whatever the block size."""
    per_line = (DATA / "founding-per-line.txt").read_bytes().replace(b"\r\n", b"\n")
    flat = per_line.replace(b"\n", b" ")
    reference = _events(per_line, monkeypatch, 1 << 20, huawei.MAX_LINE)[0]
    got = _events(flat + b"\n", monkeypatch, block, 1000)[0]
    assert len(flat) > 3 * 1000
    # Same events (all on line 1 now), in the same order, with the same times.
    assert [(k, s, t) for k, s, _, _, t, *_ in got] == [(k, s, t) for k, s, _, _, t, *_ in reference]
    assert {line for _, _, line, *_ in got} == {1}


def test_an_over_long_record_is_reported_once_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Junk without a record boundary, many fragments long: one problem for the line, not one per
    fragment, and the records on both sides of it are still read."""
    per_line = (DATA / "founding-per-line.txt").read_bytes().replace(b"\r\n", b"\n")
    first, rest = per_line.split(b"\n", 1)
    data = first + b" " + b"x" * 10_000 + b"\n" + rest
    events, _records, _skipped, problems = _events(data, monkeypatch, 97, 1000)
    assert [p for p in problems if "longer than" in p[1]] == [(1, "record longer than 1000 characters, cut")]
    reference = _events(per_line, monkeypatch, 1 << 20, huawei.MAX_LINE)[0]
    assert [e[0] for e in events] == [e[0] for e in reference]


def test_a_record_start_cut_by_a_fragment_end_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fragments of every length from 500 to 560 characters: some end inside a record's start
    ("<7>Mar 0" | "5 2021 ..."), which is then found again from the last characters before the join."""
    monkeypatch.setattr(huawei, "_JOIN_LOOKBACK", 60)
    per_line = (DATA / "founding-per-line.txt").read_bytes().replace(b"\r\n", b"\n")
    flat = per_line.replace(b"\n", b" ") + b"\n"
    reference = [(e[0], e[1], e[3]) for e in _events(per_line, monkeypatch, 1 << 20, huawei.MAX_LINE)[0]]
    for max_line in range(500, 561):
        got = [(e[0], e[1], e[3]) for e in _events(flat, monkeypatch, 1 << 20, max_line)[0]]
        assert got == reference, max_line


def _public_block(first: str, last: str) -> list[str]:
    """Lines of huawei-public.txt from the line starting ``first`` to the one starting ``last``."""
    lines = (DATA / "huawei-public.txt").read_text("utf-8").splitlines()
    start = next(i for i, t in enumerate(lines) if t.startswith(first))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(last))
    return lines[start : end + 1]


def _wrapped(lines: list[str], width: int) -> bytes:
    """The lines joined with spaces and wrapped at ``width``, the way a ticket wraps a pasted block."""
    out: list[str] = []
    for text in lines:
        if out and len(out[-1]) + 1 + len(text) <= width:
            out[-1] += " " + text
        else:
            out.append(text)
    return ("\n".join(out) + "\n").encode()


@pytest.mark.parametrize("width", [70, 120, 200, 299])
def test_short_lines_holding_several_records(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines shorter than a flattened paste is taken to be (huawei._SPLIT_OVER) may still hold several
    records, or the end of one and the start of the next: the public AAA record, online-fail table and
    AC trace, and the founding case's AP trace, read the same wrapped at any width."""
    aaa = _public_block("[HUAWEI] display aaa online-fail-record mac-address 64e5", "SSID")
    table = _public_block("[AC-diagnose] display station online-fail-record", "yyyy-yyyy-yyyy AP 19")
    row = table[-1]
    table += [
        row.replace("yyyy-yyyy-yyyy", "64e5-99f3-18f6"),
        row.replace("yyyy-yyyy-yyyy", "00e0-fc2d-0c70"),
    ]
    ac = _public_block("[HUAWEI] trace object mac-address 64e5", "AAA receive AAA_RD_MSG_AUTHENREJECT")
    ap = (DATA / "founding-per-line.txt").read_text("utf-8").splitlines()
    for lines, count in ((aaa, 1), (table, 3), (ac, 2), (ap, 11)):
        per_line = ("\n".join(lines) + "\n").encode()
        reference = _events(per_line, monkeypatch, 1 << 20, huawei.MAX_LINE)
        wrapped = _wrapped(lines, width)
        assert max(len(t) for t in wrapped.splitlines()) < max(width, max(map(len, lines))) + 1
        got = _events(wrapped, monkeypatch, 1 << 20, huawei.MAX_LINE)
        assert got[3] == reference[3] == []  # no problems: every field understood
        assert [(k, s, t, a) for k, s, _, _, t, _, _, a in got[0]] == [
            (k, s, t, a) for k, s, _, _, t, _, _, a in reference[0]
        ]
        assert len(reference[0]) == count


def _fields(data: bytes) -> list[Event]:
    """The events parsed from ``data``, but for where they were found (line, seq): compared whole."""
    inp = Input("x", None, len(data), data[:4096], io.BytesIO(data[4096:]))  # type: ignore[arg-type]
    return [
        dataclasses.replace(e, ref=SourceRef(e.ref.source, 0, e.ref.text), seq=0)
        for e in huawei.PARSER.parse(inp, InputSummary("x", "huawei-ac"))
    ]


def test_wlan_wifi_records_read_alike_on_both_paths() -> None:
    """A WLAN_WIFI record on a line of its own is read by the line loop's fast path, inside a flattened
    line by the general one: both give the same event, every field but where it was found."""
    records = sorted(
        {
            line.strip()
            for path in (*DATA.glob("*.txt"), DATA.parent / "benchmark" / "huawei-sample-lines.txt")
            for line in path.read_text("utf-8", "replace").splitlines()
            if "[WLAN_WIFI]" in line and line.strip().startswith(("<", "Mar", "May"))
        }
    )
    assert len(records) >= 20
    filler = "<7>Mar 05 2021 18:06:10.270.1 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):[WPA] x " * 3
    found = 0
    for record in records:
        alone = _fields((record + "\n").encode())
        assert alone == _fields((filler + record + "\n").encode()), record
        found += len(alone)
    assert found >= 10


def test_records_cut_inside_words_are_said_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A paste whose lines were broken inside words (a mail client wrapping at a fixed width) cannot be
    read back: here every trace record is cut inside its station tag.  The pieces are reported as lines
    not recognised; none is taken silently for the message of a record before it."""
    per_line = (DATA / "founding-per-line.txt").read_text("utf-8").splitlines()
    folded: list[str] = []
    for text in per_line:
        cut = text.find("yyyy-") + len("yyyy-") if "BTRACE" in text else -1
        folded += [text[:cut], text[cut:]] if cut > 0 else [text]
    cut_records = len(folded) - len(per_line)
    assert cut_records > 10
    events, _records, skipped, problems = _events(
        ("\n".join(folded) + "\n").encode(), monkeypatch, 1 << 20, huawei.MAX_LINE
    )
    [(_first, message)] = [p for p in problems if "not recognised" in p[1]]
    assert message.startswith(f"{skipped} line(s) not recognised")
    assert skipped >= 2 * cut_records  # both pieces of every cut record
    # Nothing is made up from the pieces: the one event left is the online-fail row's.
    assert [e[0] for e in events] == ["online_fail.record"]

    # Wrapped at 72 columns: a record's first piece may hold only its priority, time and AP name.
    import textwrap

    pieces = {t: textwrap.wrap(t, 72, break_on_hyphens=False) for t in per_line}
    wrapped = [piece for t in per_line for piece in pieces[t]]
    assert any(piece.endswith(" AP01") for piece in wrapped)
    events, _records, skipped, _problems = _events(
        ("\n".join(wrapped) + "\n").encode(), monkeypatch, 1 << 20, huawei.MAX_LINE
    )
    assert skipped >= sum(len(v) for t, v in pieces.items() if "BTRACE" in t)  # every piece of every record
    assert [e[0] for e in events] == ["online_fail.record"]
