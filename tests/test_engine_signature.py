"""Judgements remembered by what the rules can see of a station (kb/engine.py ``_Sight``) change nothing:
on every test input, the causes are those of judging each station afresh; and stations that stopped the
same way are judged once."""

from __future__ import annotations

from pathlib import Path

import pytest

from wlandoctor.kb.engine import Engine
from wlandoctor.model import Diagnosis
from wlandoctor.pipeline import Options, ingest
from wlandoctor.timeline import TimelineBuilder

TESTS = Path(__file__).parent
# every input a test reads: the knowledge base's fixtures, real logs, captures, lab runs
INPUTS = sorted(
    {
        p.parent if p.parent.parent.name in ("lab", "kb") else p
        for folder in (
            "kb",
            "data/real",
            "data/hostap",
            "data/huawei",
            "data/captures",
            "data/proof",
            "data/lab",
        )
        for p in (TESTS / folder).rglob("*")
        if p.is_file() and p.suffix not in (".md", ".py", ".yml", ".yaml", ".hccapx")
    }
)


def _judged(paths: list[Path], remember: bool) -> list[tuple[object, ...]]:
    builder = TimelineBuilder()
    summaries = ingest([str(p) for p in paths], builder, Options(jobs=1))
    engine = Engine(remember=remember)
    diagnoses = engine.diagnose(builder.build(), {s.source: s.format for s in summaries})
    return [_said(d) for d in diagnoses]


def _said(d: Diagnosis) -> tuple[object, ...]:
    return (
        d.station,
        d.verdict,
        d.stage,
        [
            (c.id, c.confidence, c.why_confidence, c.evidence, c.fix, c.confirm, c.explanation, c.extra)
            for c in d.causes
        ],
    )


def test_the_inputs_are_many() -> None:
    assert len(INPUTS) > 150


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(TESTS)))
def test_remembered_judgements_say_what_fresh_ones_say(path: Path) -> None:
    paths = (
        sorted(q for q in path.iterdir() if q.is_file() and q.suffix in (".log", ".pcapng", ".txt"))
        if path.is_dir()
        else [path]
    )
    assert _judged(paths, remember=True) == _judged(paths, remember=False)


def test_stations_that_stopped_alike_are_judged_once(tmp_path: Path) -> None:
    # real OpenWrt hostapd lines (tests/data/real), repeated for 300 stations that all stop after
    # authenticating, and 300 more that do not acknowledge the authentication response
    log = tmp_path / "ap.log"
    lines = []
    for i in range(300):
        mac = f"02:00:00:00:{i >> 8:02x}:{i & 255:02x}"
        lines.append(
            f"Mon Apr 11 13:14:49 2022 daemon.info hostapd: wlan0: STA {mac} IEEE 802.11: authenticated"
        )
    for i in range(300):
        mac = f"02:00:00:01:{i >> 8:02x}:{i & 255:02x}"
        lines.append(
            f"Wed Jan 20 13:04:01 2016 daemon.notice hostapd: wlan0-1: STA {mac} IEEE 802.11: did not acknowledge "
            "authentication response"
        )
    log.write_text("\n".join(lines) + "\n")
    builder = TimelineBuilder()
    summaries = ingest([str(log)], builder, Options(jobs=1))
    engine = Engine()
    evaluations = 0
    fresh = Engine.judge

    def counting(self: Engine, *args: object) -> object:
        nonlocal evaluations
        key = self.sees.signature(*args)  # type: ignore[arg-type]
        evaluations += key not in self._judged
        return fresh(self, *args)  # type: ignore[arg-type]

    Engine.judge = counting  # type: ignore[method-assign,assignment]
    try:
        diagnoses = engine.diagnose(builder.build(), {s.source: s.format for s in summaries})
    finally:
        Engine.judge = fresh  # type: ignore[method-assign]
    assert len(diagnoses) == 600 and evaluations <= 3
    refused = [d for d in diagnoses if d.station.startswith("02:00:00:01")]
    # each station cites its own line as evidence
    assert all(d.causes and d.causes[0].evidence[0].line == 301 + i for i, d in enumerate(refused))
