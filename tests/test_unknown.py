"""``wlandoctor unknown``: the lines that look like onboarding events but were not understood, mined into
templates (Drain3) and written as a catalogue stub that `wlandoctor formats --check` accepts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wlandoctor import unknown
from wlandoctor.parsers.catalogue import check, parse
from wlandoctor.unknown import mine, stub, stub_pattern

DATA = Path(__file__).parent / "data"
UNREAD = sorted((DATA / "unread").glob("*/input.log"))  # real logs of formats not read yet
# a real log read with a reader not its own: every line of it is left unread
ARUBA = DATA / "real" / "ap-aruba-user-debug-open-system-kb" / "input.log"
NOT_ITS_READER = "mikrotik"


def wlandoctor(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_unread_lines_of_real_logs_become_templates_with_counts_examples_and_stations() -> None:
    summaries, miner = mine([str(ARUBA)], NOT_ITS_READER)
    _, unread_miner = mine([str(p) for p in UNREAD])
    templates = miner.templates()
    assert miner.lines == sum(s.coverage.unread for s in summaries) > 0
    assert sum(t.count for t in templates) == miner.lines
    # the two Aruba stm lines differ by their message number and one word: one template, counted twice
    assoc = next(t for t in templates if "|stm| Assoc" in t.template)
    assert assoc.count == 2 and "<MAC>" in assoc.template and "<IP>" in assoc.template
    assert "00:19:7d:b8:b4:51" in assoc.stations  # named as "...: 00:19:7d:b8:b4:51: AP": a colon after it
    assert assoc.examples[0].source == str(ARUBA) and assoc.examples[0].line == 1
    assert all(t.formats == [NOT_ITS_READER] for t in templates)
    # Ruijie's syslog (no reader yet): its dotted MACs masked and named in colon form
    leaves = next(t for t in unread_miner.templates() if "leaves BSSID" in t.template)
    assert "STA(<MAC>)" in leaves.template and "00:26:5a:08:63:80" in leaves.stations
    assert leaves.formats == ["unknown"]


def test_the_stub_loads_and_every_example_is_matched_by_its_own_message() -> None:
    _summaries, miner = mine([str(ARUBA), *map(str, UNREAD)], NOT_ITS_READER)
    templates = miner.templates()
    text = stub(templates, [str(ARUBA), *map(str, UNREAD)])
    cat = parse(text, "stub.yaml")
    assert len(cat.messages) == len(templates)
    assert check(cat) == []
    assert all(m.kind is None for m in cat.messages)  # left for the user to fill in
    ids = [m.id for m in cat.messages]
    assert len(set(ids)) == len(ids)
    # a MAC is a named field: the first "mac", the next "mac2"
    station_up = next(m for m in cat.messages if "Station" in m.pattern.pattern)
    line = station_up.examples[0]["line"]
    fields = station_up.pattern.search(line).groupdict()  # type: ignore[union-attr]
    assert fields["mac"] == "00:19:7d:b8:b4:51" and fields["mac2"] == "00:0b:86:ae:31:91"


@pytest.mark.parametrize(
    ("template", "line"),
    [
        (
            "<*> <NOTI> |stm| Assoc <*> <MAC>: AP <IP>-<MAC>-ias",
            "x <NOTI> |stm| Assoc ok 00:11:22:33:44:55: AP 1.2.3.4-aa:bb:cc:dd:ee:ff-ias",
        ),
        ("EAP (PEAP) [failed] rc=<HEX> at <TIME> *", "EAP (PEAP) [failed] rc=0x1f at 10:00:01.5 *"),
        ("a+b? $1 ^c \\d", "a+b? $1 ^c \\d"),
    ],
)
def test_a_stub_pattern_takes_every_character_of_a_template_literally(template: str, line: str) -> None:
    pattern, keyword = stub_pattern(template)
    assert re.search(pattern, line) is not None
    assert keyword in line and keyword.replace("\\", "") in pattern.replace("\\", "")


def test_the_keyword_is_a_word_when_the_template_has_one() -> None:
    assert stub_pattern("<MAC> 123456789 Deauthenticated <*>")[1] == "Deauthenticated"


def test_templates_held_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unknown, "MAX_TEMPLATES", 20)
    miner = unknown.Miner()
    for i in range(500):  # 500 messages that share nothing: 500 templates, at most 20 held
        miner.add("gen.log", "unknown", i + 1, f"w{i}a{i} x{i}b{i} y{i}c{i} assoc z{i}")
    assert miner.lines == 500
    assert len(miner._kept) <= 20 and len(miner.templates()) <= 20


def test_hostile_text_is_sanitised_in_templates_and_examples() -> None:
    miner = unknown.Miner()
    miner.add("t.log", "unknown", 1, "\x1b[31mEAPOL\u202e failure for 00:11:22:33:44:55\x07")
    t = miner.templates()[0]
    for text in (t.template, t.examples[0].text):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text


def test_cli_lists_templates_writes_a_stub_and_formats_check_accepts_it(tmp_path: Path) -> None:
    out = wlandoctor(
        "unknown",
        str(ARUBA),
        *map(str, UNREAD),
        "--input-format",
        NOT_ITS_READER,
        "--stub",
        str(tmp_path / "stub.yaml"),
    )
    assert out.returncode == 0, out.stderr
    assert "%WLAN-6-OUTPUT" in out.stdout and "Station UP" in out.stdout
    assert "written to" in out.stderr
    checked = wlandoctor("formats", "--check", str(tmp_path / "stub.yaml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "each matched by its own message" in checked.stdout


def test_cli_json(tmp_path: Path) -> None:
    out = wlandoctor("unknown", str(ARUBA), "-f", "json", "--input-format", NOT_ITS_READER)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["unread_lines"] == 3 and data["inputs"][0]["unread"] == 3
    assert data["templates"][0]["examples"][0]["source"] == str(ARUBA)


def test_cli_on_a_log_fully_understood_says_so(tmp_path: Path) -> None:
    log = DATA / "real" / "mikrotik-v6-spark-core-unicast-key-timeout" / "input.log"
    out = wlandoctor("unknown", str(log))
    assert out.returncode == 0, out.stderr
    assert "Nothing left unread" in out.stdout


def test_cli_errors() -> None:
    assert wlandoctor("unknown", "/nonexistent/x.log").returncode == 3
    assert wlandoctor("unknown", str(ARUBA), "-f", "html").returncode == 2
    # a real log read by its own reader leaves nothing
    assert "Nothing left unread" in wlandoctor("unknown", str(ARUBA)).stdout


def test_formats_check_reports_an_example_taken_by_an_earlier_message(tmp_path: Path) -> None:
    cat = tmp_path / "c.yaml"
    cat.write_text(
        "platform: x\nmessages:\n"
        "  - {id: any-assoc, keyword: Assoc, pattern: 'Assoc', kind: null, examples: [{line: 'Assoc ok'}]}\n"
        "  - {id: assoc-fail, keyword: fail, pattern: 'Assoc fail', kind: assoc.reject,"
        " examples: [{line: 'Assoc fail', kind: assoc.reject}]}\n",
        encoding="utf-8",
    )
    out = wlandoctor("formats", "--check", str(cat))
    assert out.returncode == 1
    assert "assoc-fail, example 1: matched first by message any-assoc" in out.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe")
    assert wlandoctor("formats", "--check", str(bad)).returncode == 3


def test_formats_lists_the_event_kinds_and_writes_the_catalogues_as_markdown() -> None:
    kinds = wlandoctor("formats", "--kinds")
    assert (
        kinds.returncode == 0 and "portal.pending" in kinds.stdout and "eapol.m2.mic_failure" in kinds.stdout
    )
    md = wlandoctor("formats", "--markdown")
    assert md.returncode == 0
    assert md.stdout == (Path(__file__).parent.parent / "docs" / "catalogues.md").read_text(encoding="utf-8")
