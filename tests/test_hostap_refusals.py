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


# hostapd's MAC access list (macaddr_acl with deny_mac_file / accept_mac_file, or RADIUS): the refusal at
# authentication in each of its wordings.  The first is a real run's (tests/data/real/
# ap-hostapd-deny-mac-file-not-allowed-to-authenticate); the others hostapd's own wording (handle_auth()
# and handle_probe_req() since 2.10, printed by wpa_msg after the interface) with an OpenWrt logread prefix.
ACL_REFUSALS = [
    ("1539711731.723773: Station 9c:2e:a1:91:cc:29 not allowed to authenticate", "802.11-auth"),
    (
        "Mon Mar  3 10:12:01 2025 daemon.debug hostapd: phy0-ap0: Ignore Authentication frame from "
        "9c:2e:a1:91:cc:29 due to ACL reject",
        "802.11-auth",
    ),
    (
        "Mon Mar  3 10:12:01 2025 daemon.debug hostapd: phy0-ap0: Ignore Probe Request frame from "
        "9c:2e:a1:91:cc:29 due to ACL reject ",
        "discovery",
    ),
]


@pytest.mark.parametrize(("refusal", "stage"), ACL_REFUSALS)
def test_a_station_the_mac_access_list_refuses_is_on_a_block_list(
    refusal: str, stage: str, tmp_path: Path
) -> None:
    log = tmp_path / "hostapd.log"
    after = (
        "1539711731.728669: handle_auth_cb: STA 9c:2e:a1:91:cc:29 not found" if stage != "discovery" else ""
    )
    healthy = [
        f"phy0-ap0: STA {HEALTHY} IEEE 802.11: authenticated",
        f"phy0-ap0: STA {HEALTHY} IEEE 802.11: associated (aid 1)",
        f"phy0-ap0: AP-STA-CONNECTED {HEALTHY}",
        f"phy0-ap0: STA {HEALTHY} WPA: pairwise key handshake completed (RSN)",
    ]
    log.write_text("\n".join([refusal, after, refusal, *healthy]) + "\n", encoding="utf-8")
    report = diagnose_paths([str(log)], Options())
    got = {d.station: d for d in report.diagnoses}
    refused = got["9c:2e:a1:91:cc:29"]
    assert str(refused.verdict) == "failed" and str(refused.stage) == stage
    first = refused.causes[0]
    assert (first.rule, first.id) == ("sta-blacklisted", "sta-blacklisted/static-blacklist"), first.id
    assert first.confidence >= 0.7 and {e.line for e in first.evidence} >= {1, 3}
    assert any("deny_mac_file" in step for step in first.fix)  # (hostapd's own way, from the evidence)
    assert str(got[HEALTHY].verdict) == "online"
    assert not report.inputs[0].problems and report.inputs[0].coverage.unread == 0
