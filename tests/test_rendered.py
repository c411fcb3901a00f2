"""JSON station lines written where the stations were judged (report/rendered.py): merged in station order,
the report is the one written from the diagnoses, byte for byte, cause catalogue keys included."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

import report_fixtures as fx
from wlandoctor.cli.diagnose_cmd import exit_code
from wlandoctor.fleet import segments
from wlandoctor.model import Diagnosis, Report
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.report import render
from wlandoctor.report import rendered as rendered_mod
from wlandoctor.report.compact import input_index
from wlandoctor.report.rendered import EXTRA, Rendered, render_part

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
FOLDERS = sorted(p.name for p in DATA.iterdir() if p.is_dir())
JSON_FORMATS = ("json", "jsonl")


def _written(report: Report) -> dict[str, str]:
    return fx.rendered(report, JSON_FORMATS, events=False)


def _from_lines(report: Report, parts: list[list[Diagnosis]]) -> Report:
    inputs = input_index(report)
    return Report(
        inputs=report.inputs,
        diagnoses=[],
        extra={**report.extra, EXTRA: Rendered([render_part(p, inputs) for p in parts])},
    )


@pytest.fixture(scope="module")
def real() -> Report:
    """Every real public log of the corpus read as one run: several platforms, so one cause id has
    several wordings (the advice differs by platform) and the catalogue keys ``id#2`` and beyond."""
    report = diagnose_paths([str(DATA / "real")], Options(jobs=1))
    assert '#2"' in _written(report)["json"]
    return report


def test_lines_of_every_split_merge_to_the_report(real: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stations split at random over 2-4 partitions (station order kept in each): the same bytes.  Some
    splits cite a cause's wordings in another order than the report: their keys are rewritten."""
    rewrites = []
    rekeyed = rendered_mod._rekeyed
    monkeypatch.setattr(
        rendered_mod, "_rekeyed", lambda line, moved: rewrites.append(moved) or rekeyed(line, moved)
    )
    expected = _written(real)
    for seed in range(12):
        pick = random.Random(seed)
        n = 2 + seed % 3
        parts: list[list[Diagnosis]] = [[] for _ in range(n)]
        for d in real.diagnoses:
            parts[pick.randrange(n)].append(d)
        assert _written(_from_lines(real, parts)) == expected, f"split {seed}"
    assert rewrites, "no split cited a cause's wordings in another order: the rewrite was not tried"


def test_the_partition_split_merges_to_the_report(real: Report) -> None:
    parts: list[list[Diagnosis]] = [[], [], []]
    for d in real.diagnoses:
        parts[zlib.crc32(d.station.encode()) % 3].append(d)
    done = _from_lines(real, parts)
    assert _written(done) == _written(real)
    assert exit_code(done) == exit_code(real) == 1


def test_a_report_of_lines_is_written_only_as_json(real: Report) -> None:
    import io

    done = _from_lines(real, [list(real.diagnoses)])
    with pytest.raises(ValueError, match="JSON station lines"):
        render(done, "markdown", io.StringIO())


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_test_input_split_writes_the_same_json(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run split in three, asked for JSON: the partitions write the lines (unless the run has unread
    passphrases), and the JSON and JSON Lines reports are those of one process."""
    monkeypatch.setattr(segments, "PARALLEL_MIN_BYTES", 1)
    paths = [str(DATA / folder)]
    one = diagnose_paths(paths, Options(jobs=1))
    three = diagnose_paths(paths, Options(jobs=3, json_lines=True))
    assert isinstance(three.extra.get(EXTRA), Rendered) and not three.diagnoses
    assert _written(three) == _written(one)
    assert exit_code(three) == exit_code(one)


def test_unread_lines_are_attached_by_the_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unread lines naming a station go to its partition, which attaches them before writing the line."""
    monkeypatch.setattr(segments, "PARALLEL_MIN_BYTES", 1)
    # (a real log whose one unread line names its station: FreeBSD's athp driver, "60:02:b4:66:e6:c7")
    athp = DATA / "real" / "ap-athp-freebsd-pipe-log-group-rekey-timeout" / "input.log"
    paths = [str(DATA / "unread"), str(DATA / "hostap"), str(athp)]
    one = diagnose_paths(paths, Options(jobs=1))
    assert any(d.unread_count for d in one.diagnoses)
    three = diagnose_paths(paths, Options(jobs=3, json_lines=True))
    assert EXTRA in three.extra
    written = _written(three)
    assert '"unread_lines"' in written["json"]
    assert written == _written(one)
