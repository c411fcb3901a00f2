"""Logs listed newest first (web log views) are read from the last line up: the same diagnosis as the log
in time order, every line number still that of the file as given (tests/data/real: the logs of real
networks, reversed here line by line, as a log view lists them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wlandoctor.parsers.order import newest_first
from wlandoctor.pipeline import Options, diagnose_paths

REAL = Path(__file__).parent / "data" / "real"
# the cases whose stamps step forward at least three times (most real logs share a few seconds)
STAMPED = [
    "client-rpi4-journal-assoc-reject16-ignore-list",
    "client-cm4-wpa-debug-iso-assoc-reject16",
    "client-circle-pizero2w-dhcp-before-link",
    "client-journal-rtw89-eapol-auth-timeout",
    "ap-openwrt-wlan0-1-open-healthy",
    "more-immortalwrt-ac2100-could-not-add-sta",
    "ap-arch-create-ap-ap0-stale-modules",
]


def _said(paths: list[str]) -> tuple[list[tuple[object, ...]], list[tuple[str, str]]]:
    report = diagnose_paths(paths, Options(jobs=1))
    stations = [
        (d.station, d.verdict, d.stage, [(c.id, c.confidence) for c in d.causes]) for d in report.diagnoses
    ]
    lines = Path(paths[0]).read_text(encoding="utf-8", errors="replace").splitlines()
    cited = sorted(
        {(ev.kind, lines[ev.line - 1]) for d in report.diagnoses for c in d.causes for ev in c.evidence}
    )
    return stations, cited


@pytest.mark.parametrize("case", STAMPED)
def test_a_log_listed_newest_first_is_diagnosed_as_in_time_order(case: str, tmp_path: Path) -> None:
    forward = next(p for p in (REAL / case).iterdir() if p.name.startswith("input"))
    lines = forward.read_text(encoding="utf-8").splitlines(keepends=True)
    backward = tmp_path / forward.name
    backward.write_text("".join(reversed(lines)), encoding="utf-8")
    assert newest_first(backward.read_bytes()) and not newest_first(forward.read_bytes())
    assert _said([str(backward)]) == _said([str(forward)])  # the cited lines are the same texts
    [summary] = diagnose_paths([str(backward)], Options(jobs=1)).inputs
    assert any("newest first" in n for n in summary.notes)


def test_a_few_lines_out_of_order_are_no_newest_first_log() -> None:
    stamps = [f"Mon Apr 11 13:14:{s:02d} 2022 daemon.info hostapd: wlan0: AP-STA-CONNECTED 02:00:00:00:00:01"
              for s in (1, 2, 5, 3, 6, 7, 8, 9, 4, 10)]  # fmt: skip
    assert not newest_first("\n".join(stamps).encode())
    assert newest_first("\n".join(reversed(stamps)).encode())
    assert not newest_first(b"wlan0: AP-STA-CONNECTED 02:00:00:00:00:01\n" * 50)  # no stamps at all


def test_no_real_log_in_time_order_is_taken_for_newest_first() -> None:
    found = {
        case.name
        for case in REAL.iterdir()
        if case.is_dir()
        for f in case.iterdir()
        if f.name.startswith("input") and newest_first(f.read_bytes())
    }
    assert found == {
        "ap-athp-freebsd-pipe-log-group-rekey-timeout",  # pfSense's log view, newest first
        "aruba-ap505-wpa3-sae-wrong-passphrase-security-log",  # `show ap debug mgmt-frames`: newest row first
    }
