"""The founding case from a capture: candidates turn the differential into a proof, and stay secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wlandoctor.capture.candidates import Candidate
from wlandoctor.pipeline import Options, diagnose_paths

ROOT = Path(__file__).parent.parent
CAPTURE = ROOT / "tests" / "data" / "proof" / "stale-key-handshake.pcap"
HEALTHY = ROOT / "tests" / "data" / "captures" / "wpa2.eapol.cap"
STATION = "00:13:46:fe:32:0c"
NEW, OLD, OTHER = "NewPassw0rd-2026", "12345678", "Summer2025!"


def diag(path: Path, candidates: list[Candidate] | None):
    report = diagnose_paths([str(path)], Options(candidates=candidates))
    return report, next(d for d in report.diagnoses if d.station == STATION)


def test_capture_alone_gives_the_differential() -> None:
    _, d = diag(CAPTURE, None)
    assert d.verdict == "failed" and d.stage == "4way-handshake"
    ids = [c.id for c in d.causes]
    # without candidates nothing shows a cached key: the plain cause leads, the stale key follows
    assert ids[:2] == ["4way-m2-mic-mismatch/mistyped-passphrase", "4way-m2-mic-mismatch/stale-cached-key"]
    assert d.causes[0].confidence < 0.6  # not proven without candidates
    assert any(e.kind == "eapol.m2.unanswered" and e.line == 4 for e in d.causes[0].evidence)


def test_previous_passphrase_proves_the_stale_key() -> None:
    report, d = diag(CAPTURE, [Candidate("current", NEW, 1), Candidate("previous", OLD, 2)])
    top = d.causes[0]
    assert top.id == "4way-m2-mic-mismatch/stale-cached-key"
    assert top.confidence >= 0.95
    assert top.extra["proof"]["candidate"] == "previous"
    assert top.extra["proof"]["frames"] == [2, 3]
    assert any("previous" in w for w in top.why_confidence) or any(
        "earlier passphrase" in w for w in top.why_confidence
    )
    assert {c.id: c.confidence for c in d.causes}["4way-m2-mic-mismatch/mistyped-passphrase"] < 0.1
    assert any(e.kind == "key.proof.mismatch" and e.line == 2 for e in top.evidence)
    assert report.extra["redact"] == [NEW, OLD]


def test_no_matching_candidate_points_at_an_unknown_key() -> None:
    _, d = diag(CAPTURE, [Candidate("current", NEW, 1), Candidate("previous", OTHER, 2)])
    top = d.causes[0]
    assert top.id == "4way-m2-mic-mismatch/mistyped-passphrase"
    assert top.confidence >= 0.85
    assert top.extra["proof"]["verdict"] == "no-match"


def test_healthy_capture_with_the_current_key_raises_no_alarm() -> None:
    _, d = diag(HEALTHY, [Candidate("current", OLD, 1)])
    assert d.verdict == "online" and d.causes == []
    kinds = [e.kind for a in d.timeline.attempts for e in a.events]
    assert "key.proof.current" in kinds


@pytest.mark.parametrize("fmt", ["text", "json", "html", "markdown"])
def test_reports_show_the_proof_but_never_a_passphrase(tmp_path: Path, fmt: str) -> None:
    cands = tmp_path / "cands.txt"
    cands.write_text(f"current: {NEW}\nprevious: {OLD}\n")
    out = tmp_path / f"report.{fmt}"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "wlandoctor",
            "diagnose",
            str(CAPTURE),
            "--candidates",
            str(cands),
            "-f",
            fmt,
            "-o",
            str(out),
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 1, r.stderr.decode()
    text = out.read_text()
    assert NEW not in text and OLD not in text
    assert NEW.encode() not in r.stdout + r.stderr and OLD.encode() not in r.stdout + r.stderr
    assert "previous" in text
    if fmt == "json":
        st = json.loads(text)["stations"][0]
        assert st["causes"][0]["proof"]["candidate"] == "previous"


def test_candidates_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "WLANDOCTOR_CANDIDATES": f"current: {NEW}\nprevious: {OLD}"}
    r = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(CAPTURE), "-f", "json"],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    doc = json.loads(r.stdout)
    assert doc["stations"][0]["causes"][0]["proof"]["candidate"] == "previous"


def test_m2_then_reason_15_is_the_key_mismatch_even_without_retries() -> None:
    """M1, M2, no M3, then the AP's deauthentication with reason 15: the AP did not accept the M2."""
    capture = ROOT / "tests" / "data" / "proof" / "stale-key-m2-then-timeout.pcap"
    report = diagnose_paths(
        [str(capture)], Options(candidates=[Candidate("current", NEW, 1), Candidate("old", OLD, 2)])
    )
    d = next(x for x in report.diagnoses if x.station == STATION)
    assert d.verdict == "failed" and d.stage == "4way-handshake"
    top = d.causes[0]
    assert top.id == "4way-m2-mic-mismatch/stale-cached-key" and top.confidence >= 0.95
    assert {e.line for e in top.evidence} >= {3, 4}  # the M2 and the deauthentication


def test_warnings_on_stderr_are_redacted_like_the_reports(tmp_path: Path) -> None:
    # a controller row whose reason text is not in the knowledge base is a warning quoting that text;
    # here the text holds a candidate passphrase, which stderr must not show while the reports redact it
    row = ROOT / "tests" / "data" / "huawei" / "founding-per-line.txt"
    log = tmp_path / "odd-row.txt"
    log.write_text(
        row.read_text()
        + f"dc:21:e2:ad:ba:e2  AP  19  18F-AP02  2/1  2021-03-05/17:41:57  reason {NEW} here\n"
    )
    cands = tmp_path / "cands.txt"
    cands.write_text(f"current: {NEW}\nprevious: {OLD}\n")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "wlandoctor",
            "diagnose",
            str(log),
            str(CAPTURE),
            "--candidates",
            str(cands),
            *("-f", "json", "-o", str(tmp_path / "r.json")),
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    err = r.stderr.decode()
    assert "not in the knowledge base: reason «redacted» here" in err, err
    assert NEW not in err and NEW not in (tmp_path / "r.json").read_text()
    # one warning, one line: not cut at 80 columns on a pipe
    assert all(line.startswith("warning:") for line in err.splitlines()), err
