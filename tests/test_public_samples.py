"""Each public Huawei sample (tests/data/huawei/huawei-public.txt) yields the diagnosis its comment describes.

The file holds several independent cases; each is cut out by its header and diagnosed on its own, as an
engineer would paste it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wlandoctor.model import InputSummary
from wlandoctor.parsers.huawei import PARSER
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.sources import Input

SAMPLES = Path(__file__).parent / "data" / "huawei" / "huawei-public.txt"
HEADER = re.compile(r"^\[S\d\] .*$", re.M)


def sections() -> dict[str, str]:
    text = SAMPLES.read_text()
    heads = list(HEADER.finditer(text))
    out = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out[m.group()] = text[m.end() : end]
    return out


# header prefix -> (station, verdict, a cause id that must rank first, other cause ids that must appear)
EXPECTED = {
    "[S1] display station online-fail-record": (
        "yyyy-yyyy-yyyy",
        "failed",
        "4way-m2-mic-mismatch/stale-cached-key",
        [],
    ),
    "[S2] display aaa online-fail-record — 802.1X, RADIUS reject": (
        "64:e5:99:f3:18:f6",
        "failed",
        "radius-reject",
        [],
    ),
    "[S2] trace object (AC-side BTRACE) — RADIUS reject": (
        "64:e5:99:f3:18:f6",
        "failed",
        "radius-reject",
        [],
    ),
    "[S2] display aaa online-fail-record — RADIUS server does not answer": (
        "00:e0:fc:2d:0c:70",
        "failed",
        "radius-no-reply",
        [],
    ),
    "[S2] trace — server up but no response": ("00:e0:fc:2d:0c:70", "failed", "radius-no-reply", []),
    "[S2] Authorization data error": ("64:e5:99:f3:18:f6", "failed", "authz-data-error", []),
    "[S2] Account locked / MAC quiet": ("00:0c:29:1a:4b:03", "failed", None, ["user-blocked", "dot1x-quiet"]),
    "[S2] STA does not answer EAP Request/Identity": (
        "64:e5:99:f3:18:f6",
        "failed",
        "eap-identity-timeout",
        [],
    ),
    "[S2] STA does not answer EAP Request/Challenge": (
        "64:e5:99:f3:18:f6",
        "failed",
        "eap-challenge-timeout",
        [],
    ),
    "[S2] station-trace — oversized EAP frame": ("3c:2e:ff:90:66:2f", "failed", "eap-oversized-frame", []),
    "[S2] 4-way handshake failure as seen by the AC": (
        "04:33:c2:ad:90:08",
        "failed",
        "ac-4way-handshake-failed",
        [],
    ),
}
# Sections that show a healthy exchange: no alarm.
QUIET = {
    "[S2] matching station-trace on the AP": "64:e5:99:f3:18:f6",
    "[S5] AC trace of a (re)association": "80:00:0b:76:b7:a4",
}


def _diagnose(tmp_path: Path, header: str) -> list:
    body = next(v for k, v in sections().items() if k.startswith(header))
    p = tmp_path / "sample.txt"
    p.write_text(body)
    return diagnose_paths([str(p)]).diagnoses


def test_every_expected_header_exists() -> None:
    heads = list(sections())
    for h in [*EXPECTED, *QUIET]:
        assert any(k.startswith(h) for k in heads), h


@pytest.mark.parametrize("header", list(EXPECTED))
def test_public_sample_diagnosis(tmp_path: Path, header: str) -> None:
    station, verdict, top, included = EXPECTED[header]
    diag = next(d for d in _diagnose(tmp_path, header) if d.station == station)
    assert diag.verdict == verdict
    ids = [c.id for c in diag.causes]
    rules = [c.rule for c in diag.causes]
    if top is not None:
        assert top in (ids[0], rules[0]), ids
    for cid in included:
        assert cid in ids or cid in rules, ids
    assert all(e.line > 0 for c in diag.causes for e in c.evidence)


@pytest.mark.parametrize("header", list(QUIET))
def test_healthy_public_samples_raise_no_alarm(tmp_path: Path, header: str) -> None:
    diag = next(d for d in _diagnose(tmp_path, header) if d.station == QUIET[header])
    assert diag.causes == []
    assert diag.verdict != "failed"


def test_shared_key_debug_raises_the_shared_key_cause(tmp_path: Path) -> None:
    """The no-reply case plus the RDS 'check share key config' debug line: the shared key ranks up."""
    s = sections()
    body = next(v for k, v in s.items() if k.startswith("[S2] trace — server up but no response"))
    debug = next(v for k, v in s.items() if k.startswith("[S2] debug — RADIUS shared-key mismatch"))
    alone = tmp_path / "alone.txt"
    alone.write_text(body)
    both = tmp_path / "both.txt"
    both.write_text(body + debug)
    conf_alone = {c.id: c.confidence for c in diagnose_paths([str(alone)]).diagnoses[0].causes}
    diag = diagnose_paths([str(both)]).diagnoses[0]
    conf_both = {c.id: c.confidence for c in diag.causes}
    key = next(k for k in conf_both if "shared" in k)
    assert conf_both[key] > conf_alone.get(key, 0)
    assert diag.causes[0].id == key
    assert any("check share key" in e.text for e in diag.causes[0].evidence)


def test_blocked_user_list_is_read_and_cited(tmp_path: Path) -> None:
    """`display remote-user authen-fail blocked`: its row was reported as a line not recognised; now it is
    a station-less event cited for the blocked station, whose user the paste does not name."""
    body = next(v for k, v in sections().items() if k.startswith("[S2] Account locked / MAC quiet"))
    p = tmp_path / "sample.txt"
    p.write_text(body)
    summary = InputSummary(str(p), "huawei-ac")
    (row,) = [e for e in PARSER.parse(Input.from_path(p), summary) if e.kind == "aaa.user_blocked"]
    assert summary.problems == []
    assert row.station == "" and row.time == 1604401874.0  # 2020-11-03 19:11:14+08:00
    assert row.attrs == {
        "user": "test",
        "retry_interval_min": 0,
        "time_left_min": 0,
        "block_duration_min": 5,
        "blocked_at": "2020-11-03 19:11:14+08:00",
    }
    diag = next(d for d in diagnose_paths([str(p)]).diagnoses if d.station == "00:0c:29:1a:4b:03")
    blocked = next(c for c in diag.causes if c.rule == "user-blocked")
    reason = 1 + body.splitlines().index("User online fail reason : Remote user is blocked")
    assert [e.line for e in blocked.evidence] == [reason, row.ref.line]


def test_roam_track_is_read_as_online_records(tmp_path: Path) -> None:
    """`display station roam-track sta-mac M` (S7): two-line records naming no station, the command's
    station.  Each is an online record at an AP, with the RSSI the AC saw.  The section's other table,
    `display ap online-fail-record`, is about an AP."""
    body = next(v for k, v in sections().items() if k.startswith("[S7] Adjacent command examples"))
    p = tmp_path / "sample.txt"
    p.write_text(body)
    summary = InputSummary(str(p), "huawei-ac")
    events = list(PARSER.parse(Input.from_path(p), summary))
    roam = [(e.kind, e.station, e.ap, e.bssid, e.ssid, e.attrs) for e in events if e.station]
    assert roam == [
        ("sta.roam_record", "00:11:43:c7:d7:3e", "Huawei1", "dc:d2:fc:9d:0b:b0", "huawei",
         {"roam_type": "--", "rssi": -51, "rssi_out": -48, "rx_rate": 46, "tx_rate": 13}),
        ("sta.roam_record", "00:11:43:c7:d7:3e", "Huawei2", "e4:68:a3:4d:af:b0", "huawei",
         {"roam_type": "L2", "rssi": -58}),
    ]  # fmt: skip
    # the AP online-fail row is an AP's record: a station-less event
    assert summary.problems == [] and summary.records == 3
    (ap_fail,) = [e for e in events if e.kind == "ap.online_fail"]
    assert (ap_fail.station, ap_fail.attrs) == (
        "",
        {"ap_mac": "10:47:80:b1:56:a0", "reason_text": "The AP is added to the AP blacklist."},
    )
    (diag,) = diagnose_paths([str(p)]).diagnoses
    assert (diag.station, diag.verdict, diag.causes) == ("00:11:43:c7:d7:3e", "online", [])


def test_weak_rssi_in_the_roam_track_counts_as_weak_signal(tmp_path: Path) -> None:
    """The AC's WSEC handshake failure (kb fixture) heard at a good RSSI, then with the station's roam
    track showing it at -81 dBm earlier: the air-interference hypothesis rises by the weak-signal step."""
    kb = Path(__file__).parent / "kb" / "ac-4way-handshake-failed" / "trigger.log"
    trace = kb.read_text().replace("Rssi:-79", "Rssi:-60")
    roam = (
        "<AC6605-1>display station roam-track sta-mac 0433-c2ad-9008\n"
        "Access SSID:Corp-WLAN\n"
        "------------------------------------------------------------------------------------------\n"
        "L2/L3 AP-AC IP AC-AC IP AP name Radio ID\n"
        "BSSID TIME In/Out RSSI Out Rx/Tx\n"
        "------------------------------------------------------------------------------------------\n"
        "-- 10.20.0.22 - WH-AP22 1\n"
        "e468-a34d-b3c1 2021/06/28 11:40:02 -81/-77 6/1\n"
        "------------------------------------------------------------------------------------------\n"
        "Number: 1\n"
    )
    alone, both = tmp_path / "trace.txt", tmp_path / "both.txt"
    alone.write_text(trace)
    both.write_text(roam + "\n" + trace)

    def top(path: Path) -> Any:
        (diag,) = [d for d in diagnose_paths([str(path)]).diagnoses if d.station == "04:33:c2:ad:90:08"]
        assert diag.verdict == "failed"
        return next(c for c in diag.causes if c.id == "ac-4way-handshake-failed/air-interference")

    before, after = top(alone), top(both)
    assert round(after.confidence - before.confidence, 2) == 0.3
    assert any("-75 dBm" in w for w in after.why_confidence)


def test_an_ap_that_failed_to_go_online_raises_wlan_not_on_air(tmp_path: Path) -> None:
    """A station that cannot find its network (kb fixture, wpa_supplicant), read with the AC's AP
    online-fail record (S7): the hypothesis that the WLAN is not on the air rises, citing the AP's row."""
    station_log = Path(__file__).parent / "kb" / "network-not-found" / "trigger.log"
    body = next(v for k, v in sections().items() if k.startswith("[S7] Adjacent command examples"))
    ap_table = tmp_path / "ap-fail.txt"
    ap_table.write_text(body[body.index("<AC> display ap online-fail-record") :])

    def cause(paths: list[str]) -> Any:
        (diag,) = diagnose_paths(paths).diagnoses
        return next(c for c in diag.causes if c.id == "network-not-found/wlan-not-on-air")

    before, after = cause([str(station_log)]), cause([str(station_log), str(ap_table)])
    # +0.15 for the AP, +0.10 as the evidence now comes from two sources
    assert round(after.confidence - before.confidence, 2) == 0.25
    assert any("could not go online" in w for w in after.why_confidence)
    assert any(e.source == str(ap_table) and "AP blacklist" in e.text for e in after.evidence)
