"""The hostapd -dd benchmark input is real hostapd output replayed: every line still parses as hostapd."""

from __future__ import annotations

import sys
from pathlib import Path

from wlandoctor.pipeline import diagnose_paths

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import bench_hostap


def test_generated_hostapd_log_is_read_as_hostapd(tmp_path: Path) -> None:
    p = tmp_path / "hostapd.log"
    stats = bench_hostap.generate(p, 400_000, stations=20)
    assert stats["bytes"] >= 400_000 and stats["lines"] > 3000
    report = diagnose_paths([str(p)])
    (inp,) = report.inputs
    assert inp.format == "hostap" and inp.records > 0
    assert not [pr for pr in inp.problems if "binary" in pr.message]
    stations = {d.station for d in report.diagnoses}
    assert len(stations) >= 10
    # the replayed lab runs keep their meaning: some stations fail at 802.1X, others get online
    verdicts = {d.verdict for d in report.diagnoses}
    assert {"online", "failed"} <= verdicts
