"""Narrowing a report (wlandoctor/narrow.py) and `wlandoctor stations`: the criteria on real inputs, bad
criteria refused as usage errors, the report saying what it shows of how many."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wlandoctor.narrow import NarrowError, Narrowing, narrow
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data"
ARUBA = str(DATA / "aruba")


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return diagnose_paths([ARUBA])


def _stations(r) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.station for d in r.diagnoses}


def test_each_criterion(report) -> None:  # type: ignore[no-untyped-def]
    every = _stations(report)
    failed = _stations(narrow(report, Narrowing(verdict="failed")))
    assert failed == {d.station for d in report.diagnoses if d.verdict == "failed"} and failed < every
    assert _stations(narrow(report, Narrowing(stage="802.1x"))) == {"70:d8:23:00:f2:bc"}
    assert _stations(narrow(report, Narrowing(cause="sae-auth-rejected"))) == {"84:ab:1a:11:d2:f6"}
    assert _stations(narrow(report, Narrowing(cause="WPA3 PASSWORD"))) == {
        "84:ab:1a:11:d2:f6"
    }  # (title words)
    assert _stations(narrow(report, Narrowing(ap="B8:3A:5A:8B:28"))) >= {"70:d8:23:00:f2:bc"}
    both = narrow(report, Narrowing(verdict="failed", ap="b8:3a:5a:8b:36:d0"))
    assert _stations(both) == {"84:ab:1a:11:d2:f6"}
    assert both.extra["narrowed"] == {
        "criteria": ["--verdict failed", "--ap b8:3a:5a:8b:36:d0"],
        "shown": 1,
        "of": len(every),
    }


def test_time_windows(report) -> None:  # type: ignore[no-untyped-def]
    """Absolute times (UTC unless a zone is given) and spans before the newest event of the inputs."""
    in_2015 = _stations(narrow(report, Narrowing(since="2015-12-13T00:00", until="2015-12-14T00:00")))
    assert in_2015 and "84:ab:1a:11:d2:f6" not in in_2015
    newest = max(a.end for d in report.diagnoses for a in d.timeline.attempts if a.end is not None)
    last_hour = narrow(report, Narrowing(since="1h"))
    assert last_hour.diagnoses and all(
        any(a.end is not None and a.end >= newest - 3600 for a in d.timeline.attempts)
        for d in last_hour.diagnoses
    )
    assert not narrow(report, Narrowing(until="1990-01-01")).diagnoses


@pytest.mark.parametrize(
    "bad",
    [
        Narrowing(verdict="broken"),
        Narrowing(stage="wpa"),
        Narrowing(since="yesterday"),
        Narrowing(until="5 parsecs"),
    ],
)
def test_bad_criteria_are_refused(bad: Narrowing) -> None:
    with pytest.raises(NarrowError):
        bad.check()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_diagnose_narrowed_says_so_in_every_format(tmp_path: Path) -> None:
    text = _cli("diagnose", ARUBA, "--stage", "802.1x", "--brief")
    assert text.returncode == 1  # (the station shown failed)
    assert "narrowed (--stage 802.1x): 1 of 26 stations shown" in text.stdout
    assert "70:d8:23:00:f2:bc" in text.stdout and "84:ab:1a:11:d2:f6" not in text.stdout
    out = tmp_path / "r.json"
    assert _cli("diagnose", ARUBA, "--on-ssid", "no-such-ssid", "-o", str(out)).returncode == 0
    data = json.loads(out.read_text())
    assert data["summary"]["stations"] == 0 and data["summary"]["narrowed"] == {
        "criteria": ["--on-ssid no-such-ssid"],
        "of": 26,
    }
    bad = _cli("diagnose", ARUBA, "--since", "last tuesday")
    assert bad.returncode == 2 and "--since 'last tuesday'" in bad.stderr


def test_stations_lists_and_sorts() -> None:
    run = _cli("stations", ARUBA, "--format", "json", "--verdict", "failed", "--sort", "last")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)["stations"]
    assert {r["verdict"] for r in rows} == {"failed"}
    lasts = [r["last"] or "" for r in rows]
    assert lasts == sorted(lasts)
    sae = next(r for r in rows if r["station"] == "84:ab:1a:11:d2:f6")
    assert (sae["stage"], sae["attempts"], sae["aps"], sae["cause"]) == (
        "802.11-auth",
        2,
        ["b8:3a:5a:8b:36:d0"],
        "sae-auth-rejected/wrong-password",
    )
    text = _cli("stations", ARUBA)
    lines = text.stdout.splitlines()
    assert lines[0].split()[:3] == ["station", "verdict", "stage"]
    assert lines[1].split()[1] == "failed"  # (failed first)
    assert "84:ab:1a:11:d2:f6" in text.stdout  # (not an emoji: ':ab:' is text)
    assert lines[-1].startswith("26 stations; times UTC")
    assert _cli("stations", ARUBA, "--sort", "size").returncode == 2


def test_timeline_keeps_the_attempts_in_the_window() -> None:
    """The SAE station's two attempts are 80 ms apart: a window from between them keeps the second."""
    every = json.loads(_cli("timeline", ARUBA, "-s", "84:ab:1a:11:d2:f6", "-f", "json").stdout)
    assert [a["number"] for a in every["attempts"]] == [1, 2]
    second = every["attempts"][1]["start"]  # (its date: the year the other inputs give the folder's syslogs)
    late = _cli("timeline", ARUBA, "-s", "84:ab:1a:11:d2:f6", "-f", "json", "--since", second)
    assert [a["number"] for a in json.loads(late.stdout)["attempts"]] == [2]
    text = _cli("timeline", ARUBA, "-s", "84:ab:1a:11:d2:f6", "--since", second)
    assert f"1 of 2 attempts shown (--since {second})" in text.stdout
