"""A run split by station (worker processes, or a real Dask LocalCluster) writes exactly the report of a
one-process run, in every format, line numbers included; and what goes wrong on the way is said."""

from __future__ import annotations

import gzip
import itertools
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import report_fixtures as fx
from wlandoctor.capture.candidates import Candidate
from wlandoctor.fleet import local, segments, tasks
from wlandoctor.fleet.segments import first_line, plan
from wlandoctor.model import Report
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.timeline.handover import EventStream, read_events

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
# Every folder of test inputs, each read as one run (several formats and stations merged); fuzz
# regression inputs included: hostile input must split the same way.
FOLDERS = sorted(p.name for p in DATA.iterdir() if p.is_dir())


def rendered(report: Report) -> dict[str, str]:
    return fx.rendered(report)


def _trace(tmp_path: Path, size: str, seed: int, stations: int, name: str = "trace.log") -> Path:
    """A generated AC trace (benchmarks/gen_ac_trace.py)."""
    trace = tmp_path / name
    cmd = [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", size]
    subprocess.run([*cmd, "--seed", str(seed), "--stations", str(stations)], check=True, timeout=120)
    return trace


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split even small inputs (large files into byte ranges too)."""
    monkeypatch.setattr(segments, "PARALLEL_MIN_BYTES", 1)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed", reason="the test extra installs dask[distributed]")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_split_by_station_equals_one_pass(tmp_path: Path, split_small: None) -> None:
    trace = _trace(tmp_path, "3M", 11, 60)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    three = diagnose_paths([str(trace)], Options(jobs=3))
    assert one.inputs[0].records == three.inputs[0].records > 10_000
    assert any(d.causes for d in one.diagnoses)
    assert rendered(three) == rendered(one)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_test_input_splits_to_the_same_report(folder: str, split_small: None) -> None:
    paths = [str(DATA / folder)]
    one = diagnose_paths(paths, Options(jobs=1))
    # (benchmark and unread hold no station by design; windows-evtx holds real .evtx files of other logs,
    # no public one of the WLAN log being known)
    assert one.diagnoses or folder in ("benchmark", "unread", "windows-evtx")
    assert rendered(diagnose_paths(paths, Options(jobs=3))) == rendered(one)


def test_a_capture_proved_with_candidates_splits_to_the_same_report(split_small: None) -> None:
    """Captures read with candidate passphrases stay in the command's process; the report is the same."""
    paths = [str(DATA / "captures"), str(DATA / "hostap")]
    cands = [Candidate("current", "12345678", 1), Candidate("old", "dictionary", 2)]
    one = diagnose_paths(paths, Options(jobs=1, candidates=cands))
    two = diagnose_paths(paths, Options(jobs=2, candidates=cands))
    assert any("proof" in c.extra for d in one.diagnoses for c in d.causes)
    assert rendered(two) == rendered(one)


def _archive(tmp_path: Path) -> Path:
    """A day of traces as an operations team hands it over: several files, one compressed, one in
    another format, in a folder."""
    folder = tmp_path / "archive"
    folder.mkdir()
    _trace(folder, "2M", 21, 80, "ac1-trace.log")
    second = _trace(tmp_path, "1M", 22, 40, "ac2-trace.log")
    (folder / "ac2-trace.log.gz").write_bytes(gzip.compress(second.read_bytes()))
    for f in (DATA / "hostap").iterdir():
        if f.suffix in (".log", ".txt"):
            (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_dask_on_a_local_cluster_equals_one_pass(tmp_path: Path, dask_cluster: str) -> None:
    folder = _archive(tmp_path)
    one = diagnose_paths([str(folder)], Options(jobs=1))
    assert len(one.diagnoses) > 100
    on_dask = diagnose_paths([str(folder)], Options(engine="dask", scheduler=dask_cluster))
    assert rendered(on_dask) == rendered(one)


@pytest.mark.parametrize("folder", FOLDERS)
def test_dask_on_every_test_input(folder: str, dask_cluster: str) -> None:
    paths = [str(DATA / folder)]
    one = diagnose_paths(paths, Options(jobs=1))
    assert rendered(diagnose_paths(paths, Options(engine="dask", scheduler=dask_cluster))) == rendered(one)


@pytest.mark.parametrize("folder", ["real", "huawei", "unread"])
def test_dask_partitions_write_the_json_lines(folder: str, dask_cluster: str) -> None:
    """Asked for JSON, the Dask workers write their stations' lines (report/rendered.py): the same bytes."""
    from wlandoctor.report.rendered import EXTRA

    paths = [str(DATA / folder)]
    one = diagnose_paths(paths, Options(jobs=1))
    on_dask = diagnose_paths(paths, Options(engine="dask", scheduler=dask_cluster, json_lines=True))
    assert EXTRA in on_dask.extra and not on_dask.diagnoses
    json_only = ("json", "jsonl")
    assert fx.rendered(on_dask, json_only, events=False) == fx.rendered(one, json_only, events=False)


def test_dask_reads_captures_with_candidates_here_and_sends_only_events(dask_cluster: str) -> None:
    """A capture read with candidate passphrases is read by the command's process (the passphrases never
    go to a worker); its event streams are scattered to the cluster; the report is the same."""
    paths = [str(DATA / "captures"), str(DATA / "hostap")]
    cands = [Candidate("current", "12345678", 1), Candidate("old", "dictionary", 2)]
    one = diagnose_paths(paths, Options(jobs=1, candidates=cands))
    on_dask = diagnose_paths(paths, Options(engine="dask", scheduler=dask_cluster, candidates=cands))
    assert rendered(on_dask) == rendered(one)


def test_dask_with_its_own_local_cluster_from_the_command_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the test extra installs dask[distributed]")
    trace = _trace(tmp_path, "1M", 4, 30)
    cmd = [sys.executable, "-m", "wlandoctor", "diagnose", str(trace), "-f", "json", "--no-progress"]
    one = subprocess.run([*cmd, "-j", "1"], capture_output=True, text=True, timeout=300)
    dask = subprocess.run([*cmd, "--engine", "dask", "-j", "2"], capture_output=True, text=True, timeout=300)
    assert dask.returncode == one.returncode == 1, dask.stderr
    strip = [ln for ln in one.stdout.splitlines() if '"generated"' not in ln]
    assert [ln for ln in dask.stdout.splitlines() if '"generated"' not in ln] == strip


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the test extra installs dask[distributed]")
    trace = _trace(tmp_path, "200K", 4, 5)
    cmd = [sys.executable, "-m", "wlandoctor", "diagnose", str(trace), "--engine", "dask"]
    out = subprocess.run(
        [*cmd, "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in out.stderr
    assert "Traceback" not in out.stderr
    bad = subprocess.run([*cmd[:-2], "--engine", "spark"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unknown engine 'spark'" in bad.stderr


def test_the_partition_of_a_station_is_the_same_everywhere() -> None:
    """CRC-32, not Python's salted hash: the same in every process, run and machine."""
    station = "00:1a:2b:3c:4d:5e"
    assert tasks.partition_of(station, 7) == zlib.crc32(station.encode()) % 7
    code = f"from wlandoctor.fleet.tasks import partition_of; print(partition_of({station!r}, 1000))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert seen == {f"{zlib.crc32(station.encode()) % 1000}\n"}


def test_plan_cuts_at_record_starts_and_counts_lines(tmp_path: Path, data: Path) -> None:
    text = (data / "huawei" / "founding-per-line.txt").read_bytes() * 50
    p = tmp_path / "x.log"
    p.write_bytes(text)
    ranges = plan(p, 4)
    assert ranges[0][:1] == (0,) and ranges[-1][1] == len(text)
    assert first_line(p, 0) == 1
    for (_s, e), nxt in itertools.pairwise(ranges):
        assert e == nxt[0]
        assert text[nxt[0] : nxt[0] + 3] == b"<7>" or text[nxt[0] : nxt[0] + 8] == b"[BTRACE]"
        assert first_line(p, nxt[0]) == text[: nxt[0]].count(b"\n") + 1


def _events(path: Path) -> list:
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers import by_name
    from wlandoctor.sources import Input

    parser = by_name("huawei-ac")
    assert parser is not None
    return list(parser.parse(Input.from_path(path), InputSummary(str(path), "huawei-ac")))


@pytest.mark.parametrize("to_file", [True, False])
def test_event_streams_give_back_every_event(data: Path, tmp_path: Path, to_file: bool) -> None:
    events = _events(data / "huawei" / "huawei-public.txt") * 300  # (more than one record of CHUNK)
    stream = EventStream(tmp_path / "s.ev" if to_file else None)
    stream.extend(events)
    ref = stream.close()
    assert isinstance(ref, str if to_file else bytes)
    assert list(read_events(ref)) == events
    assert list(read_events(EventStream().close())) == []


def test_event_streams_fall_back_to_pickle_for_values_marshal_cannot_write(data: Path) -> None:
    from wlandoctor.model import Stage

    events = _events(data / "huawei" / "founding-per-line.txt")
    events[0].attrs["stage_seen"] = Stage.FOURWAY  # an enum: not for marshal
    stream = EventStream()
    stream.extend(events)
    ref = stream.close()
    assert isinstance(ref, bytes) and ref[:1] == b"P"
    assert list(read_events(ref)) == events


def test_progress_advances_while_reading_in_parts(tmp_path: Path, split_small: None) -> None:
    trace = _trace(tmp_path, "8M", 3, 100)
    calls: list[tuple[int, int | None]] = []
    diagnose_paths([str(trace)], Options(jobs=2, progress=lambda _n, done, size: calls.append((done, size))))
    size = trace.stat().st_size
    assert len(calls) >= 3  # more than the start and the end
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and 0 < dones[1] < size and dones[-1] == size
    assert all(d < size for d in dones[:-1])  # full only once everything is read
    assert {s for _, s in calls} == {size}


def test_parts_where_stations_fill_their_attempt_cap(tmp_path: Path, split_small: None) -> None:
    """Few stations, many attempts each, cut in three byte ranges: exactly the one-pass report."""
    trace = _trace(tmp_path, "3M", 5, 4)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    assert all(d.timeline.attempts_dropped > 0 for d in one.diagnoses)  # the cap is reached
    assert rendered(diagnose_paths([str(trace)], Options(jobs=3))) == rendered(one)


def test_a_failed_worker_is_said_and_its_work_done_here(
    tmp_path: Path, monkeypatch, split_small: None
) -> None:
    trace = _trace(tmp_path, "2M", 3, 30)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    # A worker that dies at once (as one killed for memory would): its work is done by this process.
    monkeypatch.setattr(local, "WORKER", (sys.executable, "-c", "import sys; sys.exit('out of memory')"))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert rendered(two)["json"].count('"station"') == rendered(one)["json"].count('"station"')
    assert [d.causes for d in two.diagnoses] == [d.causes for d in one.diagnoses]
    assert two.inputs[0].records == one.inputs[0].records
    said = [p for p in two.inputs[0].problems if "worker" in p.message]
    [read] = [p for p in said if "read it here instead" in p.message]
    assert "out of memory" in read.message
    assert read.line == first_line(trace, plan(trace, 2)[1][0]) > 1
    assert any("partition 1 failed" in p.message and "built here instead" in p.message for p in said)


def test_a_worker_that_fails_midway_leaves_no_hole(tmp_path: Path, monkeypatch, split_small: None) -> None:
    """A worker that reads its part, then dies when asked to build its stations: they are built here."""
    trace = _trace(tmp_path, "1M", 8, 30)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    monkeypatch.setattr(local, "WORKER", (sys.executable, "-c", _STAND_IN))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert [(d.station, d.verdict, d.causes) for d in two.diagnoses] == [
        (d.station, d.verdict, d.causes) for d in one.diagnoses
    ]
    assert any("partition 1 failed (out of memory)" in p.message for p in two.inputs[0].problems)


# A worker that serves its calls, but fails every call to build stations as one out of memory would.
_STAND_IN = """
import sys
from wlandoctor.fleet import tasks, worker
def dies(*args):
    raise MemoryError
tasks.build_and_keep = dies
sys.exit(worker.serve())
"""


def test_the_worker_imports_no_command_line_nor_reporters() -> None:
    code = (
        "import sys, wlandoctor.fleet.worker, wlandoctor.fleet.tasks\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'typer', 'click', "
        "'jsonschema', 'distributed'}), sorted(m for m in sys.modules if m.startswith(("
        "'wlandoctor.report', 'wlandoctor.cli'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["[]", "[]"]


def test_a_worker_that_cannot_start_is_said_and_its_part_read_here(
    tmp_path: Path, monkeypatch, split_small: None
) -> None:
    trace = _trace(tmp_path, "1M", 4, 20)
    monkeypatch.setattr(local, "WORKER", (str(tmp_path / "no-such-python"),))
    one = diagnose_paths([str(trace)], Options(jobs=1))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert [d.causes for d in two.diagnoses] == [d.causes for d in one.diagnoses]
    said = [p.message for p in two.inputs[0].problems if "worker" in p.message]
    assert said and all("could not start" in m for m in said)


def test_the_worker_gets_no_candidate_passphrases(tmp_path: Path, monkeypatch, split_small: None) -> None:
    trace = _trace(tmp_path, "1M", 4, 20)
    seen = tmp_path / "seen.txt"
    # A stand-in worker that writes down what it was given, then fails (its work is done here).
    spy = f"import os, sys; open({str(seen)!r}, 'w').write(repr(sorted(os.environ))); sys.exit(3)"
    monkeypatch.setattr(local, "WORKER", (sys.executable, "-c", spy))
    monkeypatch.setenv("WLANDOCTOR_CANDIDATES", "current: correct horse battery staple")
    diagnose_paths([str(trace)], Options(jobs=2))
    names = seen.read_text()
    assert "PYTHONPATH" in names and "WLANDOCTOR_CANDIDATES" not in names


def test_without_a_temporary_directory_the_input_is_read_in_one_process(
    tmp_path: Path, monkeypatch, split_small: None
) -> None:
    import tempfile

    trace = _trace(tmp_path, "1M", 6, 20)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no" / "such" / "dir"))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert [d.causes for d in two.diagnoses] == [d.causes for d in one.diagnoses]
    assert two.inputs[0].records == one.inputs[0].records
    [problem] = two.inputs[0].problems
    assert problem.line == 0
    assert problem.message.startswith("read in one process, not split by station (no temporary")


def test_small_inputs_are_read_in_one_process(tmp_path: Path, monkeypatch) -> None:
    """Below PARALLEL_MIN_BYTES in all, no worker is started."""
    trace = _trace(tmp_path, "1M", 6, 20)
    monkeypatch.setattr(local, "WORKER", (str(tmp_path / "no-such-python"),))
    report = diagnose_paths([str(trace)], Options(jobs=2))
    assert not any("worker" in p.message for p in report.inputs[0].problems)


def test_first_line_counts_every_line_end_the_readers_count(tmp_path: Path) -> None:
    from wlandoctor.sources.lines import iter_raw_lines

    data = b"a\nb\r\nc\rd\r" + b"\ne\rf\n"
    path = tmp_path / "mixed.log"
    path.write_bytes(data)
    with open(path, "rb") as f:
        read = [n for n, _raw, _frag in iter_raw_lines(f)]
    assert read == [1, 2, 3, 4, 5, 6]
    starts = {0: 1, 2: 2, 5: 3, 7: 4, 10: 5, 12: 6}
    for offset, number in starts.items():
        assert first_line(path, offset) == number, offset
