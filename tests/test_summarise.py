"""Stations that got online with nothing notable are kept as summaries on large inputs (timeline/builder.py,
timeline/healthy.py): the text, Markdown and JSON reports are the same byte for byte as when every event
is kept; the HTML report and --events keep every event; what cannot be merged any more is said."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import report_fixtures as fx
import wlandoctor.cli.diagnose_cmd  # noqa: F401 - registers the command
from wlandoctor.cli.app import app
from wlandoctor.model import Report
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.report import render
from wlandoctor.timeline import builder as builder_mod

runner = CliRunner()
ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
FOLDERS = sorted(p.name for p in DATA.iterdir() if p.is_dir())
SUMMARISING = ("text", "markdown", "json", "jsonl")  # the reports that list no healthy station's events


def rendered(report: Report) -> dict[str, str]:
    return fx.rendered(report, SUMMARISING, events=False)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sweep from the first station on, after every new station; count the attempts summarised."""
    monkeypatch.setattr(builder_mod, "SUMMARISE_ABOVE", 0)
    monkeypatch.setattr(builder_mod, "SWEEP_EVERY", 1)
    monkeypatch.setattr(builder_mod, "SWEEP_PER_WAITING", 0)
    calls = [0]
    real = builder_mod.summarise

    def counting(a, how):  # type: ignore[no-untyped-def]
        calls[0] += 1
        real(a, how)

    monkeypatch.setattr(builder_mod, "summarise", counting)
    return calls


def _both(paths: list[str]) -> tuple[Report, Report]:
    kept = diagnose_paths(paths, Options(jobs=1, keep_healthy=True))
    summarised = diagnose_paths(paths, Options(jobs=1))
    return kept, summarised


FILES = sorted(
    str(p.relative_to(DATA))
    for p in DATA.rglob("*")
    if p.is_file() and p.suffix not in (".md", ".yml", ".py")
)
OVERLAP = "also got online in an earlier input"


@pytest.mark.parametrize("name", FILES)
def test_every_test_input_reports_the_same_with_healthy_stations_summarised(name: str, counted) -> None:
    kept, summarised = _both([str(DATA / name)])
    assert rendered(summarised) == rendered(kept)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_reports_the_same_or_says_where_it_cannot(folder: str, counted) -> None:
    """Inputs read together: the same report, unless a later input names a station at the time of an
    attempt summarised from an earlier one (two captures of the same join): then that is said."""
    kept, summarised = _both([str(DATA / folder)])
    said = [s for s in summarised.inputs if any(OVERLAP in n for n in s.notes)]
    if folder == "captures":  # (wpa2.eapol.cap holds joins that an earlier capture of the folder holds too)
        assert said
    else:
        assert not said
        assert rendered(summarised) == rendered(kept)


def _trace(tmp_path: Path, size: str, seed: int, stations: int, *more: str) -> Path:
    """A generated AC trace (benchmarks/gen_ac_trace.py) of an attempt every 3 s on average: stations
    rejoin minutes apart, so their attempts settle while the trace goes on."""
    trace = tmp_path / "trace.log"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", size]
    cmd += ["--seed", str(seed), "--stations", str(stations), "--interval-ms", "3000", *more]
    subprocess.run(cmd, check=True, timeout=120)
    return trace


def test_a_generated_ac_trace_reports_the_same(tmp_path: Path, counted) -> None:
    trace = _trace(tmp_path, "2M", 5, 300)
    kept, summarised = _both([str(trace)])
    assert counted[0] > 100
    assert any(d.causes for d in kept.diagnoses)
    assert rendered(summarised) == rendered(kept)


def test_a_dense_trace_reports_the_same(tmp_path: Path, counted) -> None:
    trace = _trace(tmp_path, "1M", 3, 3000, "--dense")
    kept, summarised = _both([str(trace)])
    assert counted[0] > 100
    assert rendered(summarised) == rendered(kept)


def test_summarised_stations_keep_their_counts_times_and_online_evidence(tmp_path: Path, counted) -> None:
    trace = _trace(tmp_path, "1M", 9, 200)
    kept, summarised = _both([str(trace)])
    assert counted[0] > 50
    by_station = {d.station: d for d in kept.diagnoses}
    seen = 0
    for d in summarised.diagnoses:
        k = by_station[d.station]
        assert (d.verdict, d.stage, d.online_evidence) == (k.verdict, k.stage, k.online_evidence)
        pairs = list(zip(d.timeline.attempts, k.timeline.attempts, strict=True))
        for a, b in pairs:
            assert (a.number, a.outcome, a.reached, a.start, a.end) == (
                b.number,
                b.outcome,
                b.reached,
                b.start,
                b.end,
            )
            assert len(a.events) + a.dropped_events == len(b.events) + b.dropped_events
            if a.online_by is not None:
                seen += 1
                assert a.events == []
    assert (
        seen
        == counted[0]
        - sum(  # (summarised attempts beyond the attempt cap are counted, not kept)
            d.timeline.dropped_outcomes.get("online", 0) for d in summarised.diagnoses
        )
        or seen > 50
    )


def test_events_keeps_every_event_and_html_shows_what_was_summarised(tmp_path: Path, counted) -> None:
    trace = _trace(tmp_path, "1M", 9, 200)
    out = tmp_path / "events.json"
    runner.invoke(app, ["diagnose", str(trace), "-f", "json", "--events", "-o", str(out), "--jobs", "1"])
    assert counted[0] == 0  # (--events lists every station's events: nothing is summarised)
    events = json.loads(out.read_text())
    assert all(st["events"] for st in events["stations"])
    html = tmp_path / "r.html"
    runner.invoke(app, ["diagnose", str(trace), "-f", "html", "-o", str(html), "--jobs", "1"])
    assert counted[0] > 50  # (HTML lists healthy stations folded; summarised ones with their event counts)
    assert "more events were not kept." in html.read_text()


def test_events_of_another_input_at_the_time_of_a_summary_are_said(tmp_path: Path, counted) -> None:
    """An AP log whose station got online (and stayed) is summarised once the log has gone on for minutes; the client's
    log of the same join, read after it, cannot join that attempt any more: said on the client's log."""
    lab = DATA / "lab" / "success"
    ap = tmp_path / "hostapd.log"
    later = [  # the same AP, minutes later: two other stations join (lines of the same log, shifted)
        "1795677401.800152: veth-ap: AP-STA-CONNECTED 02:1a:b0:00:00:12",
        "1795677402.800152: veth-ap: AP-STA-CONNECTED 02:1a:b0:00:00:22",
    ]
    lines = (lab / "hostapd.log").read_text().splitlines()
    joined = next(i for i, line in enumerate(lines) if "AP-STA-DISCONNECTED" in line)
    ap.write_text("\n".join(lines[:joined] + later) + "\n")  # (it stays connected)
    client = tmp_path / "wpa_supplicant.log"
    shutil.copy(lab / "wpa_supplicant.log", client)
    kept, summarised = _both([str(ap), str(client)])
    assert counted[0] >= 1
    notes = {s.source: s.notes for s in summarised.inputs}
    assert any(OVERLAP in n for n in notes[str(client)])
    assert not any("also got online" in n for s in kept.inputs for n in s.notes)
    station = "02:1a:b0:00:00:02"
    k = next(d for d in kept.diagnoses if d.station == station)
    s = next(d for d in summarised.diagnoses if d.station == station)
    assert k.verdict == s.verdict == "online"
    assert len(s.timeline.attempts) > len(k.timeline.attempts)  # (what the note says)


def test_the_end_of_a_summarised_connection_joins_it(tmp_path: Path, counted) -> None:
    """A station online at 07:40 and disassociated for missing ACKs at 08:45 (the ath11k mailing-list
    excerpt), with another station joining in between so that the first is summarised: its disconnection
    ends the summarised attempt, as it ends the kept one."""
    lines = (DATA / "hostap" / "ath11k-list_low_ack_disassoc_after_session.log").read_text().splitlines()
    other = lines[5].replace("07:40:15", "08:00:15").replace("a4:34:d9:c4:8a:a1", "a4:34:d9:c4:8a:b2")
    log = tmp_path / "ap.log"
    log.write_text("\n".join([*lines[:9], other, *lines[9:]]) + "\n")
    kept, summarised = _both([str(log)])
    assert counted[0] >= 1
    assert rendered(summarised) == rendered(kept)
    (a,) = next(d for d in summarised.diagnoses if d.station == "a4:34:d9:c4:8a:a1").timeline.attempts
    assert a.online_by == "keys" and [e.kind for e in a.events] == ["sta.offline", "sta.teardown"]
    assert a.end is not None and a.start is not None and a.end - a.start == 3901


def _compact(report: Report) -> dict:
    buf = io.StringIO()
    report.extra["generated"] = 0
    render(report, "json", buf)
    return json.loads(buf.getvalue())


def test_over_the_station_limit_healthy_stations_are_counted_not_listed(tmp_path: Path, counted) -> None:
    """The same totals, the same stations not online with the same causes; only fewer healthy ones listed
    (stations of the dense trace come back after being counted: counted once, then listed)."""
    trace = _trace(tmp_path, "2M", 4, 3000, "--dense")
    whole = _compact(diagnose_paths([str(trace)], Options(jobs=1, max_stations=None)))
    limited = _compact(diagnose_paths([str(trace)], Options(jobs=1, max_stations=150)))
    n = limited["summary"].pop("counted_not_listed")
    assert limited["summary"].pop("max_stations") == 150
    assert n > 200
    assert limited["summary"] == whole["summary"]
    troubled = [st for st in whole["stations"] if st["verdict"] != "online"]
    assert troubled and [st for st in limited["stations"] if st["verdict"] != "online"] == troubled
    assert len(limited["stations"]) == len(whole["stations"]) - n
    assert limited["causes"] == whole["causes"]


def test_the_limit_is_said_in_every_report(tmp_path: Path, counted) -> None:
    trace = _trace(tmp_path, "1M", 4, 3000, "--dense")
    report = diagnose_paths([str(trace)], Options(jobs=1, max_stations=60))
    texts = rendered(report)
    for fmt in ("text", "markdown"):
        assert "of the online stations are counted, not listed" in texts[fmt], fmt
    assert json.loads(texts["json"])["summary"]["counted_not_listed"] > 0
    buf = io.StringIO()
    render(report, "html", buf)
    assert "of the online stations are counted, not listed" in buf.getvalue()


def test_split_by_station_counts_the_same_totals(tmp_path: Path, counted, monkeypatch) -> None:
    from wlandoctor.fleet import segments

    monkeypatch.setattr(segments, "PARALLEL_MIN_BYTES", 1)
    trace = _trace(tmp_path, "1M", 4, 3000, "--dense")
    one = _compact(diagnose_paths([str(trace)], Options(jobs=1, max_stations=None)))
    three = _compact(diagnose_paths([str(trace)], Options(jobs=3, max_stations=60)))
    # (the workers run with the default sweep settings: the stations counted there differ; the totals not)
    three["summary"].pop("counted_not_listed", None)
    three["summary"].pop("max_stations", None)
    assert three["summary"] == one["summary"]
