"""The real-log corpus (tests/data/real/): one case a folder, ground truth written from the source before the
tool was run, checked by this one globbing test (the ntc-templates way).

A case the tool is known to get wrong stays, marked ``xfail`` with its reason in its expected file; the
mark is strict, so a case that starts passing must have its mark removed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from wlandoctor.pipeline import Options, diagnose_paths

REAL = Path(__file__).parent / "data" / "real"
sys.path.insert(0, str(REAL))

from check_case import cites, find  # noqa: E402  (the case checker's lookups: one for both)

CASES = sorted(p.parent for p in REAL.glob("*/expected.yml"))
REQUIRED = ("title", "source", "licence", "side", "healthy", "input", "ground_truth", "stations")
VERDICTS = ("online", "failed", "incomplete")


def load(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
    return data


def params() -> list[Any]:
    out = []
    for case in CASES:
        why = load(case).get("xfail")
        marks = [pytest.mark.xfail(reason=str(why), strict=True)] if why else []
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def test_the_corpus_is_large_and_varied_enough() -> None:
    assert len(CASES) >= 40
    healthy = [c for c in CASES if load(c)["healthy"]]
    assert len(healthy) * 3 >= len(CASES)
    sides = {load(c)["side"] for c in CASES}
    assert {"ap", "client", "server"} <= sides


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_case_names_its_source_and_ground_truth(case: Path) -> None:
    exp = load(case)
    for key in REQUIRED:
        assert exp.get(key) not in (None, ""), f"{case.name}: {key} missing"
    assert str(exp["source"]).startswith(("http://", "https://")), case.name
    assert (case / exp["input"]).is_file()
    for st in exp["stations"]:
        assert st["verdict"] in VERDICTS
        if st["verdict"] != "online":
            assert st.get("stage"), f"{case.name}: a {st['verdict']} station needs its stage"
    assert exp["healthy"] == all(st["verdict"] == "online" for st in exp["stations"])


@pytest.mark.parametrize("case", params())
def test_the_tool_gets_the_real_case_right(case: Path) -> None:
    exp = load(case)
    report = diagnose_paths([str(case / exp["input"])], Options())
    for inp in report.inputs:
        ratio = inp.coverage.ratio
        if ratio is None:
            ratio = 1.0 if inp.records else 0.0
        assert ratio >= float(exp.get("min_coverage") or 0.95), (
            f"coverage {ratio:.2f}: {inp.coverage.first} {[p.message for p in inp.problems][:3]}"
        )
    for st in exp["stations"]:
        d = find(report, str(st["station"]))
        assert d is not None, (
            f"station {st['station']} not found; found {[x.station for x in report.diagnoses]}"
        )
        assert str(d.verdict) == st["verdict"], f"{d.station}: {d.verdict} at {d.stage}"
        if st["verdict"] == "failed":
            assert str(d.stage) == st["stage"]
        elif st["verdict"] == "incomplete":
            last = d.timeline.last
            assert last is not None and str(d.stage or last.reached) == st["stage"]
        cause = st.get("cause")
        if cause:
            assert d.causes, f"{d.station}: no cause"
            top = d.causes[0]
            assert top.id == cause or ("/" not in cause and top.rule == cause), (
                f"{d.station}: top cause {top.id} {top.confidence:.2f}; then {[c.id for c in d.causes[1:4]]}"
            )
            if st.get("evidence_line"):
                assert cites(d, st["evidence_line"]), sorted({e.line for e in top.evidence})


def test_sources_md_is_up_to_date() -> None:
    import subprocess
    import sys

    before = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    subprocess.run([sys.executable, str(REAL / "make_sources.py")], check=True)
    assert (REAL / "SOURCES.md").read_text(encoding="utf-8") == before, "run tests/data/real/make_sources.py"
