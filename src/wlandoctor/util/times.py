"""Timestamps as vendors print them, to seconds since the epoch.

Times without a zone are taken as UTC: what matters is the order within one controller's output, and
merging sources across zones is done with an explicit offset, not guessed.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from functools import lru_cache

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}

# Month abbreviations as journalctl and syslog print them in other locales (LC_TIME, glibc's abmon):
# English, German, French, Spanish, Italian, Portuguese, Dutch, Russian, Ukrainian, Polish, Finnish,
# Swedish, Danish and Norwegian, Czech, Turkish, Hungarian; lower case, without the dot.
_LOCAL_NAMES = (
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "jan feb mär apr mai jun jul aug sep okt nov dez",
    "janv févr mars avr mai juin juil août sept oct nov déc",
    "ene feb mar abr may jun jul ago sep oct nov dic",
    "gen feb mar apr mag giu lug ago set ott nov dic",
    "jan fev mar abr mai jun jul ago set out nov dez",
    "jan feb mrt apr mei jun jul aug sep okt nov dec",
    "янв фев мар апр май июн июл авг сен окт ноя дек",
    "січ лют бер кві тра чер лип сер вер жов лис гру",
    "sty lut mar kwi maj cze lip sie wrz paź lis gru",
    "tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu",
    "jan feb mars apr maj juni juli aug sep okt nov dec",
    "jan feb mar apr mai jun jul aug sep okt nov des",
    "led úno bře dub kvě čen čec srp zář říj lis pro",
    "oca şub mar nis may haz tem ağu eyl eki kas ara",
    "jan febr márc ápr máj jún júl aug szept okt nov dec",
)
MONTHS_LOCAL: dict[str, int] = {}
for _names in _LOCAL_NAMES:
    for _i, _name in enumerate(_names.split(), 1):
        MONTHS_LOCAL.setdefault(_name, _i)

# "Mar 05 2021 18:06:10.270.1", "May 13 2019 17:28:10.230.6+00:00", "Oct 24 2020 15:57:49.591.2+08:00"
HUAWEI_DEBUG_TIME = re.compile(
    r"(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<year>\d{4}) (?P<hms>\d{2}:\d{2}:\d{2})"
    r"(?:\.(?P<ms>\d{1,3}))?(?:\.(?P<seq>\d+))?(?P<tz>[+-]\d{2}:\d{2})?"
)
# "2020/10/19 14:53:23", "2023-12-29 16:46:28-08:08", "2021-03-05/17:41:56"
NUMERIC_TIME = re.compile(
    r"(?P<year>\d{4})[/-](?P<mon>\d{1,2})[/-](?P<day>\d{1,2})[ /T](?P<hms>\d{2}:\d{2}:\d{2})(?P<tz>[+-]\d{2}:\d{2})?"
)


# Years a log line or a capture can carry: anything else is a misread or a hostile stamp.  Each reader
# checks its times against this where it reads them; an out-of-range time is a problem of that line (or
# frame), which is then read without a time, and never reaches a report.
MIN_YEAR = 1970
MAX_YEAR = 2200
MAX_TIME = float(calendar.timegm((MAX_YEAR + 1, 1, 1, 0, 0, 0, 0, 0, 0)))
STAMP_PROBLEM = (
    f"time stamp out of range or not a real date (years {MIN_YEAR}-{MAX_YEAR} are read); "
    "the line takes the time of the line before it"
)


def in_range(t: float) -> bool:
    """Whether seconds since the epoch fall in the years a log can carry (False for NaN)."""
    return 0.0 <= t < MAX_TIME


@lru_cache(maxsize=4096)
def _epoch(year: int, mon: int, day: int, hms: str) -> float:
    """Seconds since the epoch; ValueError for a year out of range or a date or time that does not exist."""
    h, m, s = (int(x) for x in hms.split(":"))
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= mon <= 12 or h > 23 or m > 59 or s > 60:
        raise ValueError("time stamp out of range")
    if not 1 <= day <= calendar.monthrange(year, mon)[1]:
        raise ValueError("no such day")
    return float(calendar.timegm((year, mon, day, h, m, s, 0, 0, 0)))


def _offset(tz: str | None) -> float:
    if not tz:
        return 0.0
    sign = -1 if tz[0] == "-" else 1
    hh, mm = tz[1:].split(":")
    return sign * (int(hh) * 3600 + int(mm) * 60)


def parse_debug_time(m: re.Match[str]) -> float | None:
    mon = MONTHS.get(m.group("mon").lower())
    if mon is None:
        return None
    try:
        t = _epoch(int(m.group("year")), mon, int(m.group("day")), m.group("hms"))
    except (ValueError, OverflowError):
        return None
    ms = m.group("ms")
    # Huawei prints milliseconds without zero padding (".20.1" is 20 ms, sequence 1).
    frac = int(ms) / 1000.0 if ms else 0.0
    t += frac - _offset(m.group("tz"))
    return t if in_range(t) else None  # (a zone can move 1970-01-01 00:00 before the epoch)


def parse_numeric_time(m: re.Match[str]) -> float | None:
    try:
        t = _epoch(int(m.group("year")), int(m.group("mon")), int(m.group("day")), m.group("hms"))
    except (ValueError, OverflowError):
        return None
    t -= _offset(m.group("tz"))
    return t if in_range(t) else None


_FRACTION_PAST_US = re.compile(r"(\.\d{6})\d+")


def from_iso(text: str) -> float | None:
    """ISO 8601 text (``Z`` or an offset; none: UTC, as every time here) to seconds since the epoch, or None
    when it is not one.  Digits past microseconds (Windows writes 100 ns) are cut.  Not range-checked."""
    text = _FRACTION_PAST_US.sub(r"\1", text.strip().replace("Z", "+00:00"))
    try:
        t = _dt.datetime.fromisoformat(text)
        return (t if t.tzinfo else t.replace(tzinfo=_dt.UTC)).timestamp()
    except (ValueError, OverflowError):
        return None


def iso(t: float | None) -> str | None:
    """UTC ISO-8601 text with milliseconds, for reports."""
    if t is None:
        return None
    if 0 <= t < _ISO_FAST_BELOW:
        # As datetime does it (microseconds rounded half-even, then cut to milliseconds), with the text of
        # each second made once: a report prints tens of thousands of times from a few thousand seconds.
        second = int(t)
        us = round((t - second) * 1e6)
        if us < 1_000_000:
            return f"{_iso_second(second)}.{us // 1000:03d}Z"
    try:
        return (
            _dt.datetime.fromtimestamp(t, _dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
    except (ValueError, OverflowError, OSError):  # past the year 9999, NaN: the readers keep such times out
        return None


_ISO_FAST_BELOW = 2**33  # (year 2242) beyond this, and before 1970, datetime itself


@lru_cache(maxsize=8192)
def _iso_second(second: int) -> str:
    return _dt.datetime.fromtimestamp(second, _dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
