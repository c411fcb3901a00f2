"""The HTML report in a real browser (Debian's chromium, driven by playwright): it fits a 1280-pixel
screen without horizontal scrolling, the answer (counts, causes) is above the fold, the filter by verdict
works with scripts off, the colours mean verdicts only, and printing hides the controls."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wlandoctor.pipeline import diagnose_paths
from wlandoctor.report.html import render_html

ROOT = Path(__file__).parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FOLD = 800  # pixels of a 1280 x 800 screen

if CHROMIUM is None:  # (a missing browser is an error, never a silent skip: .ci/run installs it)
    raise RuntimeError(
        "Debian's chromium is needed for tests/test_html_browser.py (apt-get install chromium)"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser: Any) -> Any:
    # (scripts off: the page must work without them; the checks below run through the protocol)
    return browser.new_context(viewport={"width": 1280, "height": FOLD}, java_script_enabled=False).new_page()


def _open(page: Any, tmp_path: Path, paths: list[str], name: str) -> int:
    """The report of ``paths`` opened in the page (a screenshot beside it); how many stations it holds."""
    report = diagnose_paths(paths)
    out = tmp_path / f"{name}.html"
    out.write_text(render_html(report), encoding="utf-8")
    page.goto(out.as_uri())
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=False)
    return len(report.diagnoses)


def _layout(page: Any) -> dict[str, float]:
    return page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            counts: document.querySelector('header .meta').getBoundingClientRect().bottom,
            byCause: document.querySelector('#by-cause') ? document.querySelector('#by-cause').getBoundingClientRect().top : -1,
        })"""
    )


def _generated(tmp_path: Path, stations: int) -> str:
    trace = tmp_path / "trace.log"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", "1M",
         "--stations", str(stations), "--seed", "5"],
        check=True, timeout=120,
    )  # fmt: skip
    return str(trace)


def test_the_founding_case_fits_the_screen_answer_first(page: Any, tmp_path: Path) -> None:
    _open(page, tmp_path, [str(ROOT / "examples" / "cached-pmk-case-study.txt")], "founding")
    box = _layout(page)
    assert box["scroll"] <= box["client"] == 1280, box  # no horizontal scroll
    assert box["counts"] < FOLD / 4, box
    badge = page.eval_on_selector(".badge.failed", "e => getComputedStyle(e).color")
    assert badge == "rgb(179, 38, 30)"  # (red means failed, and only that)


def test_fifty_stations_fit_sort_and_filter_without_scripts(page: Any, tmp_path: Path) -> None:
    stations = _open(page, tmp_path, [_generated(tmp_path, 50)], "fifty")
    assert stations >= 45  # (of the 50 generated, those the trace's size reaches)
    box = _layout(page)
    assert box["scroll"] <= box["client"], box
    assert 0 < box["byCause"] < FOLD, box  # the stations not online by cause, above the fold
    verdicts = page.eval_on_selector_all("#summary tbody tr", "rows => rows.map(r => r.className)")
    assert len(verdicts) == stations
    rank = {"v-failed": 0, "v-incomplete": 1, "v-online": 2}
    assert [rank[v] for v in verdicts] == sorted(rank[v] for v in verdicts)  # failed first
    page.click("label[for=show-failed]")  # (a radio button and CSS: no script)
    shown = page.eval_on_selector_all(
        "#summary tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.className)"
    )
    assert shown and set(shown) == {"v-failed"}
    page.click("label[for=show-all]")
    assert page.eval_on_selector_all(
        "#summary tbody tr", "rows => rows.filter(r => r.offsetParent !== null).length"
    ) == len(verdicts)
    assert page.locator("svg.strip").count() == verdicts.count("v-failed") + verdicts.count("v-incomplete")


def test_printing_hides_the_controls(page: Any, tmp_path: Path) -> None:
    _open(page, tmp_path, [str(ROOT / "tests" / "data" / "aruba")], "print")
    page.emulate_media(media="print")
    try:
        assert page.eval_on_selector("label.filter", "e => getComputedStyle(e).display") == "none"
    finally:
        page.emulate_media(media="screen")


def test_the_page_script_sorts_the_table_and_nothing_else_runs(browser: Any, tmp_path: Path) -> None:
    """With scripts on, a click on a column's head sorts the stations (the page's one script, allowed by
    its hash in the policy); the policy blocks any other script, and the browser reports no violation."""
    page = browser.new_context(viewport={"width": 1280, "height": FOLD}).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _open(page, tmp_path, [_generated(tmp_path, 50)], "sorting")
    attempts = "rows => rows.map(r => parseInt(r.cells[5].textContent))"
    page.click("#summary th:nth-child(6)")
    up = page.eval_on_selector_all("#summary tbody tr", attempts)
    assert up == sorted(up) and up[0] < up[-1]
    page.click("#summary th:nth-child(6)")
    assert page.eval_on_selector_all("#summary tbody tr", attempts) == sorted(up, reverse=True)
    assert not any("Content Security Policy" in e for e in errors), errors
