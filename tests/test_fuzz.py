"""The fuzz targets (fuzz/harnesses.py): every saved finding replayed, and a short coverage-guided run of
each target with atheris (docs/fuzzing.md)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SAVED = Path(__file__).parent / "data" / "fuzz"
sys.path.insert(0, str(ROOT / "fuzz"))

import harnesses  # noqa: E402
import run as fuzz_run  # noqa: E402

SHORT_RUN_S = 6  # per target: about a minute for all of them, with start-up
HAS_ATHERIS = importlib.util.find_spec("atheris") is not None


def test_the_runner_knows_every_target() -> None:
    assert tuple(harnesses.TARGETS) == fuzz_run.TARGETS


def _saved() -> list[Path]:
    return sorted(p for p in SAVED.glob("*/*") if p.is_file())


@pytest.mark.parametrize("path", _saved(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_findings_keep_every_promise(path: Path) -> None:
    assert path.parent.name in harnesses.TARGETS, f"{path}: its folder must name a target"
    harnesses.TARGETS[path.parent.name](path.read_bytes())


def test_every_target_has_seeds() -> None:
    for target in harnesses.TARGETS:
        assert next(harnesses.seeds(target), None) is not None, target


@pytest.mark.skipif(not HAS_ATHERIS, reason="atheris has wheels for Linux x86-64 only: pip install atheris")
@pytest.mark.parametrize("target", list(harnesses.TARGETS))
def test_a_short_coverage_guided_run_finds_nothing(target: str, tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), target, "--seconds", str(SHORT_RUN_S)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    tail = "\n".join(r.stderr.splitlines()[-40:])
    assert r.returncode == 0, f"{target}: a finding (saved under fuzz/findings/):\n{tail}"
    assert "Done" in r.stderr and "stat::number_of_executed_units" in r.stderr, tail
