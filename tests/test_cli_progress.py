"""The progress bar appears for large inputs on a terminal; elsewhere a line a minute (tests/test_bad_input.py)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from wlandoctor.cli import common
from wlandoctor.pipeline import Options, diagnose_paths


def test_progress_bar_on_a_terminal_for_large_inputs(monkeypatch, data: Path) -> None:
    buf = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=buf, force_terminal=True, width=100))
    monkeypatch.setattr(common, "LARGE_INPUT", 1)
    path = str(data / "huawei" / "founding-per-line.txt")
    with common.progress_for([path], enabled=True) as bar:
        assert bar is not None
        diagnose_paths([path], Options(progress=bar))
    out = buf.getvalue()
    assert "reading" in out and "3.5" in out  # the file's size, read to the end


def test_no_progress_bar_when_not_a_terminal_or_small(monkeypatch, data: Path) -> None:
    path = str(data / "huawei" / "founding-per-line.txt")
    buf = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=buf, force_terminal=False))
    monkeypatch.setattr(common, "LARGE_INPUT", 1)
    with common.progress_for([path], enabled=True) as lines:
        # off a terminal: a progress line each minute, none for a run shorter than that
        assert lines is not None
        diagnose_paths([path], Options(progress=lines))
    assert buf.getvalue() == ""
    with common.progress_for([path], enabled=False) as bar:
        assert bar is None
    monkeypatch.setattr(common, "err_console", Console(file=io.StringIO(), force_terminal=True))
    monkeypatch.setattr(common, "LARGE_INPUT", 10**9)
    with common.progress_for([path], enabled=True) as bar:
        assert bar is None
