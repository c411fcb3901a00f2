"""The newest full date (with its year) in the head of each input: what a log without years, read beside
them, is dated by (parsers/prefix.py ``YearGuess``).  A log pasted into a ticket beside an AC trace of
2021 is of 2021, not of the year its file was saved."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from pathlib import Path

HEAD = 64 * 1024  # bytes of each input looked at
_MONTHS = {m: i for i, m in enumerate(calendar.month_abbr) if m}
_ISO = re.compile(rb"\b((?:19|20)\d\d)[-/](\d\d)[-/](\d\d)[T /](\d\d):(\d\d):(\d\d)")
_MON_DAY_YEAR = re.compile(
    rb"\b([A-Z][a-z]{2}) {1,2}(\d{1,2}) ((?:19|20)\d\d) (\d\d):(\d\d):(\d\d)"
)  # Huawei
_CTIME = re.compile(rb"\b([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) ((?:19|20)\d\d)\b")  # OpenWrt


def _epoch(y: int, mo: int, d: int, h: int, mi: int, s: int) -> float | None:
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 61):
        return None
    try:
        return float(calendar.timegm((y, mo, d, h, mi, min(s, 59), 0, 0, 0)))
    except (ValueError, OverflowError):
        return None


def newest_date(head: bytes) -> float | None:
    """The newest time stamp with a year in ``head`` (UTC as written), or None."""
    found: list[float] = []
    for m in _ISO.finditer(head):
        t = _epoch(*(int(g) for g in m.groups()))
        if t is not None:
            found.append(t)
    for m in _MON_DAY_YEAR.finditer(head):
        mo = _MONTHS.get(m.group(1).decode())
        t = _epoch(int(m.group(3)), mo, int(m.group(2)), *(int(g) for g in m.groups()[3:])) if mo else None
        if t is not None:
            found.append(t)
    for m in _CTIME.finditer(head):
        mo = _MONTHS.get(m.group(1).decode())
        h, mi, s = (int(g) for g in m.groups()[2:5])
        t = _epoch(int(m.group(6)), mo, int(m.group(2)), h, mi, s) if mo else None
        if t is not None:
            found.append(t)
    return max(found) if found else None


def dated_heads(paths: Iterable[Path]) -> dict[Path, float]:
    """Each regular file's newest dated time stamp in its head (files that hold none are left out)."""
    out: dict[Path, float] = {}
    for path in paths:
        try:
            if not path.is_file():
                continue
            with path.open("rb") as f:
                head = f.read(HEAD)
        except OSError:
            continue
        if head[:2] == b"\x1f\x8b":
            continue  # (gzip: read once, as a stream)
        t = newest_date(head)
        if t is not None:
            out[path] = t
    return out
