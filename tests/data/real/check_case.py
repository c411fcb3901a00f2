"""Check real-log cases against their expected files and say what differs, station by station.

    python tests/data/real/check_case.py CASE_DIR [CASE_DIR ...]

The same checks as tests/test_real_corpus.py, printed instead of asserted, for trying a new case (its
expected file written from the source first) before it joins the corpus. Exit 0 when every case matches.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from wlandoctor.model import Diagnosis, Report
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.util.mac import normalize_mac


def find(report: Report, station: str) -> Diagnosis | None:
    if station == "*":
        # the client's own station: the one with most events (a client log names its APs too)
        return max(
            report.diagnoses,
            key=lambda d: sum(len(a.events) for a in d.timeline.attempts),
            default=None,
        )
    wanted = normalize_mac(station)
    return next((d for d in report.diagnoses if d.station == wanted), None)


def cites(d: Diagnosis, line: int) -> bool:
    """The first cause cites that line, or the same message where the cause's attempt has it (a repeated
    failure is cited where the attempt the cause is for has it)."""
    top = d.causes[0]
    cited = {e.line for e in top.evidence}
    there = {ev.kind for a in d.timeline.attempts for ev in a.events if ev.ref.line == line}
    return line in cited or bool({e.kind for e in top.evidence} & there)


def differences(case: Path) -> list[str]:
    exp: dict[str, Any] = yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
    report = diagnose_paths([str(case / exp["input"])], Options())
    out: list[str] = []
    for inp in report.inputs:
        ratio = inp.coverage.ratio
        if ratio is None:
            ratio = 1.0 if inp.records else 0.0
        if ratio < float(exp.get("min_coverage") or 0.95):
            problems = [f"line {p.line}: {p.message}" for p in inp.problems][:5]
            out.append(f"coverage {ratio:.2f} ({inp.format}); first problems: {problems}")
    for st in exp["stations"]:
        d = find(report, str(st["station"]))
        if d is None:
            out.append(f"{st['station']}: not found; found {[x.station for x in report.diagnoses]}")
            continue
        got = f"{d.verdict} at {d.stage}"
        if str(d.verdict) != st["verdict"]:
            out.append(f"{d.station}: {got}, expected {st['verdict']} at {st.get('stage')}")
            continue
        if st["verdict"] == "failed" and str(d.stage) != st["stage"]:
            out.append(f"{d.station}: {got}, expected failed at {st['stage']}")
        if st["verdict"] == "incomplete":
            last = d.timeline.last
            reached = str(d.stage or (last.reached if last else None))
            if reached != st["stage"]:
                out.append(f"{d.station}: incomplete at {reached}, expected at {st['stage']}")
        cause = st.get("cause")
        if cause:
            top = d.causes[0] if d.causes else None
            if top is None:
                out.append(f"{d.station}: no cause, expected {cause}")
            elif not (top.id == cause or ("/" not in cause and top.rule == cause)):
                rest = [f"{c.id} {c.confidence:.2f}" for c in d.causes[:4]]
                out.append(f"{d.station}: causes {rest}, expected {cause} first")
            elif st.get("evidence_line") and not cites(d, st["evidence_line"]):
                cited = sorted({e.line for e in top.evidence})
                out.append(f"{d.station}: evidence lines {cited}, expected line {st['evidence_line']}")
    return out


def main(argv: list[str]) -> int:
    failed = 0
    for arg in argv:
        diffs = differences(Path(arg))
        print(f"{'DIFFERS' if diffs else 'MATCHES'}  {arg}")
        for line in diffs:
            print(f"    {line}")
        failed += bool(diffs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
