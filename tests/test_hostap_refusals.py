"""hostapd's association refusals (parsers/catalogues/hostap.yaml): a station that authenticates and is then
refused, in each of hostapd's wordings, fails at association with the cause the wording tells ranked first,
and a station that authenticates and associates beside it stays healthy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wlandoctor.parsers.catalogue import load
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.util.mac import normalize_mac

HEALTHY = "02:11:22:33:44:55"


def _examples() -> list[Any]:
    out = []
    for msg in load("hostap").messages:
        for i, ex in enumerate(msg.examples):
            if ex.get("rule"):
                out.append(pytest.param(str(ex["line"]), str(ex["rule"]), id=f"{msg.id}-{i}"))
    return out


def test_every_refusal_names_the_cause_it_tells() -> None:
    assert {str(p.values[1]) for p in _examples()} >= {
        "encryption-mode-mismatch",
        "cipher-mismatch",
        "legacy-sta-denied",
        "ap-full",
        "sta-not-authenticated",
        "invalid-assoc-request",
    }


@pytest.mark.parametrize(("refusal", "rule"), _examples())
def test_a_refused_station_fails_at_association_for_that_cause(
    refusal: str, rule: str, tmp_path: Path
) -> None:
    head, sep, rest = refusal.partition(": STA ")
    assert sep, refusal
    station = rest.split(" ", 1)[0]
    iface = head.rsplit(" ", 1)[-1]
    lines = [
        f"{head}: STA {station} IEEE 802.11: authenticated",
        refusal,
        f"{head}: STA {station} IEEE 802.11: authenticated",
        refusal,
        f"{iface}: STA {HEALTHY} IEEE 802.11: authenticated",
        f"{iface}: STA {HEALTHY} IEEE 802.11: associated (aid 1)",
        f"{iface}: AP-STA-CONNECTED {HEALTHY}",
        f"{iface}: STA {HEALTHY} WPA: pairwise key handshake completed (RSN)",
    ]
    log = tmp_path / "hostapd.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = diagnose_paths([str(log)], Options())
    got = {d.station: d for d in report.diagnoses}
    refused = got[normalize_mac(station)]
    assert str(refused.verdict) == "failed" and str(refused.stage) == "association"
    assert refused.causes and refused.causes[0].rule == rule, [c.id for c in refused.causes[:3]]
    assert {e.line for e in refused.causes[0].evidence} & {2, 4}  # (the refusal, of either attempt)
    assert str(got[HEALTHY].verdict) == "online"
