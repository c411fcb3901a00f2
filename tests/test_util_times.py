"""Report times: the fast path of ``iso`` prints exactly what datetime prints."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from wlandoctor.util.times import iso


def _datetime_iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.mark.parametrize(
    "t",
    [0.0, 1.0, 1614931200.0, 1614931200.0005, 1614931200.0004999, 1614931200.9995, 1614931200.9999995,
     1614931205.484, 1614931205.1 + 0.2, 2**33 - 0.0001, 2**33 + 0.5, -1.5, 1e-7],
)  # fmt: skip
def test_iso_edges(t: float) -> None:
    assert iso(t) == _datetime_iso(t)


def test_iso_on_many_times() -> None:
    rng = random.Random(7)
    times = [rng.uniform(0, 2**33) for _ in range(20_000)]
    times += [rng.randint(0, 2**31) + rng.randint(0, 999_999) / 1e6 for _ in range(20_000)]
    times += [1614931200 + k / 1000 for k in range(5_000)]
    assert [iso(t) for t in times] == [_datetime_iso(t) for t in times]
    assert iso(None) is None
    assert iso(1614931205.484) == "2021-03-05T08:00:05.484Z"


def test_from_iso_reads_every_iso_form_as_utc_without_a_zone() -> None:
    """One reader of ISO 8601 for every caller (Windows, Meraki's API, narrowing, the reports): Z, an
    offset, or none (UTC, never the machine's zone); Windows' 7 digits of fraction; not ISO: None."""
    import calendar

    from wlandoctor.util.times import from_iso

    base = calendar.timegm((2019, 10, 21, 0, 8, 55, 0, 0, 0))
    assert from_iso("2019-10-21T00:08:55Z") == base
    assert from_iso("2019-10-21T00:08:55") == base  # (no zone: UTC)
    assert from_iso("2019-10-21T02:08:55+02:00") == base
    assert from_iso(" 2019-10-21T00:08:55.1234567Z ") == base + 0.123456
    assert from_iso("yesterday") is None and from_iso("2019-13-40T00:00:00") is None
