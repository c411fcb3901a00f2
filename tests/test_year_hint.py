"""A log whose stamps carry no year, read beside inputs whose stamps carry one, takes its year from them
(sources/dated.py, parsers/prefix.py YearGuess): a syslog pasted beside an AC trace of 2021 is of 2021,
not of the year its file was saved; the report says where the year came from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from report_fixtures import rendered
from wlandoctor.fleet import segments
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources.dated import newest_date

ROOT = Path(__file__).parent.parent
TRACE = str(ROOT / "examples" / "cached-pmk-case-study.txt")  # (Huawei, "Mar 05 2021 18:06:10")
SYSLOG = str(ROOT / "tests" / "data" / "aruba" / "syslog-iap-wrong-psk-and-sae.log")  # ("Feb  7 16:39:02")
STATION = "d4:e6:b7:e3:46:c3"  # (the syslog's)


def _year(paths: list[str], jobs: int = 1) -> tuple[int, list[str]]:
    report = diagnose_paths(paths, Options(jobs=jobs))
    [d] = [d for d in report.diagnoses if d.station == STATION]
    t = next(e.time for a in d.timeline.attempts for e in a.events if e.time is not None)
    notes = [n for s in report.inputs for n in s.notes if "no year" in n]
    return datetime.fromtimestamp(t, UTC).year, notes


def test_the_other_inputs_give_the_year() -> None:
    alone, notes = _year([SYSLOG])
    assert alone >= 2025 and notes == [f"time stamps carry no year: taken as {alone} (the file's date)"]
    beside, notes = _year([SYSLOG, TRACE])  # (in either order)
    assert beside == 2021 and notes == ["time stamps carry no year: taken as 2021 (the other inputs' dates)"]
    assert _year([TRACE, SYSLOG])[0] == 2021


def test_a_run_split_by_station_dates_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "PARALLEL_MIN_BYTES", 1)
    assert _year([SYSLOG, TRACE], jobs=3)[0] == 2021
    one = diagnose_paths([SYSLOG, TRACE], Options(jobs=1))
    assert rendered(diagnose_paths([SYSLOG, TRACE], Options(jobs=3))) == rendered(one)


def test_the_dated_forms() -> None:
    def at(text: bytes) -> str | None:
        t = newest_date(text)
        return None if t is None else datetime.fromtimestamp(t, UTC).isoformat()

    assert at(b"<7>Mar 05 2021 18:06:10.270.14 AP01 WSRV/7/BTRACE") == "2021-03-05T18:06:10+00:00"
    assert at(b"Tue May  5 23:15:43 2026 daemon.notice hostapd: x") == "2026-05-05T23:15:43+00:00"
    assert at(b"2019-10-21T00:08:55.123Z a\n2019-10-22 01:00:00 b") == "2019-10-22T01:00:00+00:00"
    assert at(b"2021-03-05/17:41:56 The key is incorrect") == "2021-03-05T17:41:56+00:00"
    assert at(b"Feb  7 16:39:02 stm[2657]: no year here") is None
    assert at(b"2021-13-45T99:00:00 not a date") is None
