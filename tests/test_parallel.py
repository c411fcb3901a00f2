"""A large input read in parallel parts gives exactly the diagnosis of a single pass, line numbers included."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from pathlib import Path

from wlandoctor import parallel
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.report.data import to_dict

ROOT = Path(__file__).parent.parent


def _essentials(report) -> dict:
    """The whole report as written (every station, attempt, event kept, cause and evidence line), but for
    the time it was made.  Which events of older healthy attempts survive memory compaction depends on
    where it ran (``wlandoctor timeline`` shows them); the report lists none of them."""
    d = to_dict(report)
    d.pop("generated")
    return d


def _trace(tmp_path: Path, size: str, seed: int, stations: int) -> Path:
    """A generated AC trace (benchmarks/gen_ac_trace.py)."""
    trace = tmp_path / "trace.log"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", size]
    subprocess.run([*cmd, "--seed", str(seed), "--stations", str(stations)], check=True, timeout=120)
    return trace


def test_parallel_parts_equal_one_pass(tmp_path: Path, monkeypatch) -> None:
    trace = tmp_path / "trace.log"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "gen_ac_trace.py"),
            "-o",
            str(trace),
            "--size",
            "3M",
            "--seed",
            "11",
            "--stations",
            "60",
        ],
        check=True,
        timeout=120,
    )
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    three = diagnose_paths([str(trace)], Options(jobs=3))
    assert one.inputs[0].records == three.inputs[0].records > 10_000
    assert _essentials(one) == _essentials(three)
    assert any(d.causes for d in one.diagnoses)


def test_plan_cuts_at_record_starts_and_counts_lines(tmp_path: Path, data: Path) -> None:
    text = (data / "huawei" / "founding-per-line.txt").read_bytes() * 50
    p = tmp_path / "x.log"
    p.write_bytes(text)
    ranges = parallel.plan(p, 4)
    assert ranges[0][:1] == (0,) and ranges[-1][1] == len(text)
    assert parallel.first_line(p, 0) == 1
    for (_s, e), nxt in itertools.pairwise(ranges):
        assert e == nxt[0]
        assert (
            text[nxt[0] : nxt[0] + 3] == b"<7>"
            or text[nxt[0] : nxt[0] + 8] == b"[BTRACE]"
            or text[nxt[0] - 1 : nxt[0]] == b"\n"
        )
        assert parallel.first_line(p, nxt[0]) == text[: nxt[0]].count(b"\n") + 1


def _state(partial) -> list:
    accs, globals_ = partial

    def ev(e):
        return (
            e.kind,
            e.station,
            e.stage,
            e.ref,
            e.time,
            e.seq,
            e.ap,
            e.bssid,
            e.radio,
            e.wlan,
            e.ssid,
            e.attrs,
        )

    return [
        (
            k,
            [ev(e) for e in a.open_events],
            [(x.number, x.outcome, x.reached, x.failed_stage, x.dropped_events, [ev(e) for e in x.events])
             for x in a.closed],
            [ev(e) for e in a.summaries],
            a.summaries_dropped, a.ssids, a.aps, a.sources, a.attempts_dropped, a.dropped_outcomes,
            a.head and (a.head.number, a.head.outcome, [ev(e) for e in a.head.events]),
        )
        for k, a in sorted(accs.items())
    ] + [[ev(e) for e in globals_]]  # fmt: skip


def _partial_of(path: Path):
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers import by_name
    from wlandoctor.sources import Input
    from wlandoctor.timeline import TimelineBuilder

    builder = TimelineBuilder(part=True)  # (as a worker: each station's first attempt kept whole)
    parser = by_name("huawei-ac")
    assert parser is not None
    for e in parser.parse(Input.from_path(path), InputSummary(str(path), "huawei-ac")):
        builder.add(e)
    return builder.export()


def _write(partial) -> bytes:
    from wlandoctor.timeline import handover

    buf = io.BytesIO()
    handover.write(partial, buf)
    return buf.getvalue()


def _read(blob: bytes):
    """The partial back, the way parse_parallel reads it: joined station by station into a builder."""
    from wlandoctor.timeline import TimelineBuilder, handover

    builder = TimelineBuilder()
    for kind, value in handover.read(io.BytesIO(blob)):
        if kind == "station":
            builder._acc[value.station] = value  # as read, before any joining
        else:
            builder.absorb_globals(value)
    return builder.export()


def test_handover_keeps_the_whole_partial_state(data: Path) -> None:
    """What a worker hands over (marshal) is rebuilt exactly: events, attempts, counters, sets."""

    partial = _partial_of(data / "huawei" / "huawei-public.txt")
    assert sum(len(a.open_events) + len(a.closed) for a in partial[0].values()) > 20
    expected = _state(partial)
    blob = _write(partial)  # (empties the partial as it goes)
    assert blob[:1] == b"M"
    assert _state(_read(blob)) == expected


def test_handover_falls_back_to_pickle_for_values_marshal_cannot_write(data: Path) -> None:
    from wlandoctor.model import Stage

    partial = _partial_of(data / "huawei" / "founding-per-line.txt")
    acc = next(iter(partial[0].values()))
    (acc.open_events or acc.closed[0].events)[0].attrs["stage_seen"] = Stage.FOURWAY  # an enum: not marshal
    expected = _state(partial)
    blob = _write(partial)
    assert blob[:1] == b"P"
    assert _state(_read(blob)) == expected


def test_progress_advances_while_reading_in_parts(tmp_path: Path, monkeypatch) -> None:
    trace = tmp_path / "trace.log"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", "8M"],
        check=True,
        timeout=120,
    )
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    calls: list[tuple[int, int | None]] = []
    diagnose_paths([str(trace)], Options(jobs=2, progress=lambda _n, done, size: calls.append((done, size))))
    size = trace.stat().st_size
    assert len(calls) >= 3  # more than the start and the end
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and 0 < dones[1] < size and dones[-1] == size
    assert all(d < size for d in dones[:-1])  # full only once everything is read
    assert {s for _, s in calls} == {size}


def test_parts_where_stations_fill_their_attempt_cap(tmp_path: Path, monkeypatch) -> None:
    """Few stations, many attempts each: every part keeps only the latest 16 attempts of a station, so the
    attempt open at a cut must survive in the next part to be joined (no extra attempt at the cut)."""
    trace = _trace(tmp_path, "3M", 5, 4)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    one = to_dict(diagnose_paths([str(trace)], Options(jobs=1)), all_events=True)
    three = to_dict(diagnose_paths([str(trace)], Options(jobs=3)), all_events=True)

    assert all(s["attempts_dropped"] > 0 for s in one["stations"])  # the cap is reached

    def last(d):  # (its number counts the attempts before it: see below)
        return [(s["station"], s["verdict"], {**s["attempts"][-1], "number": 0}) for s in d["stations"]]

    assert last(three) == last(one)
    # Attempts seen in all: a cut may still move one attempt boundary, not add one per station.
    totals = [
        abs((a["attempts_dropped"] + len(a["attempts"])) - (b["attempts_dropped"] + len(b["attempts"])))
        for a, b in zip(one["stations"], three["stations"], strict=True)
    ]
    assert sum(totals) == 0, totals


def test_a_failed_worker_part_is_read_here_and_said(tmp_path: Path, monkeypatch) -> None:
    trace = _trace(tmp_path, "2M", 3, 30)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    # A worker that dies at once (as one killed for memory would): its part is read by this process.
    monkeypatch.setattr(parallel, "WORKER", (sys.executable, "-c", "import sys; sys.exit('out of memory')"))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert _essentials(two)["stations"] == _essentials(one)["stations"]  # (the inputs say a worker failed)
    assert two.inputs[0].records == one.inputs[0].records
    [problem] = [p for p in two.inputs[0].problems if "worker" in p.message]
    assert "out of memory" in problem.message and "read it here instead" in problem.message
    assert problem.line == parallel.first_line(trace, parallel.plan(trace, 2)[1][0]) > 1


def test_the_worker_imports_no_more_than_it_reads_with() -> None:
    """Its memory is what keeps two processes inside the target of one: no command line, rules, reports
    or capture libraries in it."""
    code = (
        "import sys, wlandoctor.parallel_worker, wlandoctor.parsers.huawei\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'typer', 'click', 'dpkt', "
        "'cryptography', 'jsonschema'}), sorted(m for m in sys.modules if m.startswith(('wlandoctor.kb', "
        "'wlandoctor.report', 'wlandoctor.cli', 'wlandoctor.capture'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["[]", "[]"]


def test_a_worker_that_cannot_start_is_said_and_its_part_read_here(tmp_path: Path, monkeypatch) -> None:
    trace = _trace(tmp_path, "1M", 4, 20)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "WORKER", (str(tmp_path / "no-such-python"),))
    one = diagnose_paths([str(trace)], Options(jobs=1))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert _essentials(two)["stations"] == _essentials(one)["stations"]  # (the inputs say a worker failed)
    [problem] = [p for p in two.inputs[0].problems if "worker" in p.message]
    assert "could not start" in problem.message


def test_the_worker_gets_no_candidate_passphrases(tmp_path: Path, monkeypatch) -> None:
    trace = _trace(tmp_path, "1M", 4, 20)
    seen = tmp_path / "seen.txt"
    # A stand-in worker that writes down what it was given, then fails (its part is read here).
    spy = f"import os, sys; open({str(seen)!r}, 'w').write(repr(sorted(os.environ))); sys.exit(3)"
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "WORKER", (sys.executable, "-c", spy))
    monkeypatch.setenv("WLANDOCTOR_CANDIDATES", "current: correct horse battery staple")
    diagnose_paths([str(trace)], Options(jobs=2))
    names = seen.read_text()
    assert "PYTHONPATH" in names and "WLANDOCTOR_CANDIDATES" not in names


def test_without_a_temporary_directory_the_input_is_read_in_one_process(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    trace = _trace(tmp_path, "1M", 6, 20)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    one = diagnose_paths([str(trace)], Options(jobs=1))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no" / "such" / "dir"))
    two = diagnose_paths([str(trace)], Options(jobs=2))
    assert _essentials(two)["stations"] == _essentials(one)["stations"]
    assert two.inputs[0].records == one.inputs[0].records
    [problem] = two.inputs[0].problems
    assert problem.line == 0 and problem.message.startswith("read in one process, not in parts (no temporary")


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
        assert parallel.first_line(path, offset) == number, offset
