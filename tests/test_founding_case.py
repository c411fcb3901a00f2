"""The founding case end to end, in every form engineers paste it, through the library and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wlandoctor.pipeline import Options, diagnose_paths

ROOT = Path(__file__).parent.parent
VARIANTS = [
    ("founding-flattened.txt", "yyyy-yyyy-yyyy"),
    ("founding-per-line.txt", "yyyy-yyyy-yyyy"),
    ("founding-real-mac.txt", "dc:21:e2:ad:ba:e1"),
    ("founding-interleaved.txt", "yyyy-yyyy-yyyy"),
    ("founding-crlf-junk.txt", "yyyy-yyyy-yyyy"),
]


@pytest.mark.parametrize(("name", "station"), VARIANTS)
def test_founding_case_diagnosis(data: Path, name: str, station: str) -> None:
    report = diagnose_paths([str(data / "huawei" / name)])
    diag = next(d for d in report.diagnoses if d.station == station)
    assert diag.verdict == "failed"
    assert diag.stage == "4way-handshake"
    top = diag.causes[0]
    assert top.id == "4way-m2-mic-mismatch/stale-cached-key"
    ids = [c.id for c in diag.causes]
    assert ids.index("4way-m2-mic-mismatch/mistyped-passphrase") < ids.index(
        "4way-m2-mic-mismatch/per-station-key-not-bound"
    )
    texts = [e.text for e in top.evidence]
    assert any("MIC is wrong" in t for t in texts)
    assert any("The key is incorrect or the STA uses the cached PMK" in t for t in texts)
    assert all(e.line > 0 and e.source.endswith(name) for e in top.evidence)
    assert "forget the network" in top.fix[0].lower()
    assert "passphrase" in " ".join(top.fix).lower()


def test_other_stations_completing_raise_station_side_causes(data: Path) -> None:
    alone = diagnose_paths([str(data / "huawei" / "founding-per-line.txt")]).diagnoses[0]
    mixed = next(
        d
        for d in diagnose_paths([str(data / "huawei" / "founding-interleaved.txt")]).diagnoses
        if d.station == "yyyy-yyyy-yyyy"
    )
    conf = {c.id: c.confidence for c in alone.causes}
    conf_mixed = {c.id: c.confidence for c in mixed.causes}
    assert conf_mixed["4way-m2-mic-mismatch/stale-cached-key"] > conf["4way-m2-mic-mismatch/stale-cached-key"]
    assert any("Other stations on the same WLAN" in w for w in mixed.causes[0].why_confidence)
    others = [
        d
        for d in diagnose_paths([str(data / "huawei" / "founding-interleaved.txt")]).diagnoses
        if d.station != "yyyy-yyyy-yyyy"
    ]
    assert len(others) == 2 and all(d.verdict == "online" and not d.causes for d in others)


def test_asking_for_one_station_keeps_what_the_others_tell(data: Path) -> None:
    # --station reports one station, but its diagnosis rests on the others too (here: two stations of the
    # same WLAN complete the handshake).  The station's events were once filtered before the timelines
    # were built, and the "other stations completed" context was lost.
    path = str(data / "huawei" / "founding-interleaved.txt")
    whole = next(d for d in diagnose_paths([path]).diagnoses if d.station == "yyyy-yyyy-yyyy")
    (asked,) = diagnose_paths([path], Options(station="yyyy-yyyy-yyyy")).diagnoses
    assert [(c.id, c.confidence, c.why_confidence) for c in asked.causes] == [
        (c.id, c.confidence, c.why_confidence) for c in whole.causes
    ]
    assert (asked.verdict, asked.stage) == (whole.verdict, whole.stage)
    assert any("Other stations on the same WLAN" in w for w in asked.causes[0].why_confidence)


def test_healthy_trace_raises_no_alarm(data: Path) -> None:
    report = diagnose_paths([str(data / "huawei" / "healthy-psk-join.txt")])
    assert [(d.station, d.verdict, d.causes) for d in report.diagnoses] == [
        ("5c:87:9c:0e:41:a2", "online", [])
    ]


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args], capture_output=True, input=stdin, cwd=ROOT, timeout=120
    )


def test_cli_json_on_bundled_example() -> None:
    r = run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--format", "json")
    assert r.returncode == 1, r.stderr.decode()
    doc = json.loads(r.stdout)
    (st,) = doc["stations"]
    assert (st["station"], st["verdict"], st["stage"]) == ("yyyy-yyyy-yyyy", "failed", "4way-handshake")
    assert st["causes"][0]["id"] == "4way-m2-mic-mismatch/stale-cached-key"
    lines = {st["evidence"][i]["line"] for i in st["causes"][0]["evidence"]}
    assert lines == {10, 12}
    assert doc["inputs"][0]["format"] == "huawei-ac"


def test_cli_stdin_and_station_filter(data: Path) -> None:
    raw = (data / "huawei" / "founding-interleaved.txt").read_bytes()
    r = run_cli("diagnose", "-", "--format", "json", "--station", "5C87.9C0E.41A2", stdin=raw)
    assert r.returncode == 0, r.stderr.decode()
    doc = json.loads(r.stdout)
    assert [s["station"] for s in doc["stations"]] == ["5c:87:9c:0e:41:a2"]
    assert doc["inputs"][0]["source"] == "<stdin>"


def test_cli_text_report_and_exit_codes(tmp_path: Path) -> None:
    r = run_cli("diagnose", "examples/cached-pmk-case-study.txt")
    out = r.stdout.decode()
    assert r.returncode == 1
    assert "yyyy-yyyy-yyyy" in out and "4way-handshake" in out
    # (the short block: the most likely cause and the line that shows it)
    flat = " ".join(out.split())  # (wrapped at 80 columns off a terminal)
    assert "The station still uses a cached key" in flat
    assert "The key is incorrect or the STA uses the cached PMK" in flat
    assert (
        "MIC is wrong"
        in run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--details").stdout.decode()
    )
    assert "Traceback" not in r.stderr.decode()
    missing = run_cli("diagnose", str(tmp_path / "nope.log"), "--format", "json")
    assert missing.returncode == 3
    assert "no such file" in missing.stdout.decode() + missing.stderr.decode()
    usage = run_cli("diagnose", "examples", "--format", "yaml")
    assert usage.returncode == 2


def test_cli_timeline_and_outputs(tmp_path: Path) -> None:
    r = run_cli("timeline", "tests/data/huawei/founding-per-line.txt", "--station", "yyyy-yyyy-yyyy")
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr.decode()
    assert "attempt 1: failed at 4way-handshake" in out and "eapol.m2.mic_failure" in out
    html = tmp_path / "r.html"
    r = run_cli("diagnose", "examples", "--format", "html", "--output", str(html))
    assert r.returncode == 1
    assert "<html" in html.read_text() and "MIC is wrong" in html.read_text()


def test_cli_exit_zero_keeps_errors() -> None:
    assert (
        run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--exit-zero", "-f", "json").returncode == 0
    )
    assert run_cli("diagnose", "no/such/file.log", "--exit-zero").returncode == 3


def test_cli_brief_and_details() -> None:
    brief = run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--brief")
    full = run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--details")
    assert brief.returncode == full.returncode == 1
    out = " ".join(brief.stdout.decode().split())
    assert "failed yyyy-yyyy-yyyy 4way-handshake The station still uses a cached key" in out
    assert "Evidence:" not in out and "Evidence:" in full.stdout.decode()


def test_cli_output_dash_is_stdout(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(ROOT / "examples" / "cached-pmk-case-study.txt"),
         "--format", "json", "--output", "-"],
        capture_output=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1 and json.loads(r.stdout)["stations"][0]["station"] == "yyyy-yyyy-yyyy"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("value", ["-5", "nan", "inf", "7200"])
def test_cli_refuses_a_clock_skew_that_is_no_tolerance(value: str) -> None:
    # (a negative or NaN tolerance went through and bent the splitting of attempts)
    for command in (("diagnose",), ("timeline", "--station", "yyyy-yyyy-yyyy")):
        r = run_cli(*command, "examples/cached-pmk-case-study.txt", "--clock-skew", value)
        assert r.returncode == 2, (command, r.stdout.decode(), r.stderr.decode())
        assert "--clock-skew" in r.stderr.decode() and "0 to 3600" in " ".join(r.stderr.decode().split())
    assert run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--clock-skew", "2.5").returncode == 1


def test_cli_unknown_input_format_and_station_not_found() -> None:
    r = run_cli("diagnose", "examples/cached-pmk-case-study.txt", "--input-format", "cisco")
    assert r.returncode == 2
    assert "unknown input format 'cisco'; choose one of: huawei-ac, hostap, pcap, freeradius" in " ".join(
        r.stderr.decode().split()
    )  # (it was read as no input at all: exit 3, "No station found")
    r = run_cli(
        "diagnose", "examples/cached-pmk-case-study.txt", "--station", "0011-2233-4455", "--format", "json"
    )
    assert r.returncode == 3  # (it said "No station found in the inputs" and exited 0)
    # the message names the stations there are, so the next command can be typed
    assert "station 0011-2233-4455 not found in the inputs; found: yyyy-yyyy-yyyy" in r.stderr.decode()
    assert json.loads(r.stdout)["stations"] == []


def test_timeline_without_station_takes_the_only_one_or_names_them() -> None:
    r = run_cli("timeline", "examples/cached-pmk-case-study.txt", "--format", "json")
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(r.stdout)["station"] == "yyyy-yyyy-yyyy"
    # a client log holds one station; beside another input, the message names both
    client = "tests/data/real/android11-pixel3xl-threadtime-psk-connected/input.log"
    r = run_cli("timeline", client, "--format", "json")
    assert r.returncode == 0, r.stderr.decode()
    name = json.loads(r.stdout)["station"]
    r = run_cli("timeline", client, "examples/cached-pmk-case-study.txt")
    assert r.returncode == 2
    message = " ".join(r.stderr.decode().split())
    assert "the inputs hold 2 stations; name one with --station:" in message
    assert name in message and "yyyy-yyyy-yyyy" in message
    r = run_cli("timeline", client, "examples/cached-pmk-case-study.txt", "-s", name)
    assert r.returncode == 0, r.stderr.decode()
    r = run_cli("timeline", "examples/cached-pmk-case-study.txt", "-s", "00:11:22:33:44:55")
    assert r.returncode == 3
    assert "not found in the inputs; found: yyyy-yyyy-yyyy" in r.stderr.decode()
