"""The terminal report's layout, golden: the bundled example in each mode and a generated 50-station
trace, rendered as a file or a pipe gets them (120 columns, no colour, no box drawing) and compared with
tests/golden/*.txt.  A change of layout is a change of these files, reviewed like code
(`WLANDOCTOR_GOLDEN_UPDATE=1 python -m pytest tests/test_text_golden.py` rewrites them)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from wlandoctor.pipeline import diagnose_paths
from wlandoctor.report.text import render_text

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"


def _rendered(paths: list[str], details: bool | None, replace: dict[str, str] | None = None) -> str:
    report = diagnose_paths(paths)
    report.extra["generated"] = 0  # (the time it was made: fixed)
    buf = io.StringIO()
    render_text(report, Console(file=buf, width=120, no_color=True, force_terminal=False), details)
    text = buf.getvalue()
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("WLANDOCTOR_GOLDEN_UPDATE") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{name}: the layout changed (see the module's docstring)"
    )


@pytest.mark.parametrize(("mode", "details"), [("default", None), ("brief", False), ("details", True)])
def test_the_bundled_example(mode: str, details: bool | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # (the report names the input as given)
    _compare(f"founding-{mode}.txt", _rendered(["examples/cached-pmk-case-study.txt"], details))


def test_a_generated_fifty_station_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (read by its relative name: the layout must not depend on the length of pytest's temporary path)
    monkeypatch.chdir(tmp_path)
    trace = Path("trace.log")
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", "1M",
         "--stations", "50", "--seed", "5"],
        check=True, timeout=120,
    )  # fmt: skip
    _compare("fifty-stations.txt", _rendered([str(trace)], None))
