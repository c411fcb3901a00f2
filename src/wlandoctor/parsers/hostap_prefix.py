"""Line prefixes of hostapd / wpa_supplicant / dnsmasq logs: time stamps, host names, syslog tags.

Forms read (the message part after the prefix is handled by ``parsers.hostap``):

- ``1700000000.123456: msg``                                  hostapd/wpa_supplicant ``-t`` debug output
- ``Mon Apr 11 13:14:49 2022 daemon.notice hostapd: msg``     OpenWrt ``logread``
- ``Mar  1 23:23:29 box hostapd: msg``                        classic syslog / ``journalctl`` (no year)
- ``Mar  1 23:23:29.123456 box wpa_supplicant[12]: msg``      ``journalctl -o short-precise``
- ``2023-10-25T17:26:50+0200 box hostapd[9]: msg``            ``journalctl -o short-iso`` / RFC 3339 syslog
- ``[  123.456789] msg``                                     ``dmesg`` (relative seconds: no time kept)
- ``11-25 10:00:00.123  1234  1290 I wpa_supplicant: msg``    Android ``logcat -v threadtime`` (no year)
- ``kernel: msg`` / ``hostapd: msg``                          a syslog tag without a time
- anything else is taken as a bare message (``hostapd -dd`` without ``-t``)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from wlandoctor.util.times import MONTHS

_WEEKDAYS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
_EPOCH = re.compile(r"(\d{9,11})\.(\d{1,9}): ")
_LOGREAD = re.compile(r"[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4}) ")
_SYSLOG = re.compile(r"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ")
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)? ")
_DMESG = re.compile(r"\[ *\d+\.\d+\] ")
# Android logcat -v threadtime: "11-25 10:00:00.123  1234  1290 I wpa_supplicant: wlan0: CTRL-EVENT-..."
_LOGCAT = re.compile(r"(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) +\d+ +\d+ [VDIWEF] ([\w.\-/]+)\s*: ")
_TAG = re.compile(r"([A-Za-z][\w.\-/]*)(?:\[(\d+)\])?: ")
_FACILITY = re.compile(r"[a-z]+\.[a-z]+ ")
_WORD = re.compile(r"(\S+) ")
_PRI = re.compile(r"<\d{1,3}>")

# Tags recognised on a line without a time stamp ("kernel: MIC Different ...").
KNOWN_TAGS = ("hostapd", "wpa_supplicant", "kernel", "dnsmasq", "dnsmasq-dhcp")


def daemon_of(tag: str | None) -> str | None:
    """The daemon a syslog tag names, or None when the tag says nothing useful."""
    if not tag:
        return None
    if tag.startswith("hostapd"):
        return "hostapd"
    if tag.startswith("wpa_supplicant"):
        return "wpa_supplicant"
    if tag.startswith("dnsmasq"):
        return "dnsmasq"
    if tag == "kernel":
        return "driver"
    return None


@dataclass(slots=True)
class Prefix:
    body: str  # the message after time, host and tag
    time: float | None = None
    host: str | None = None
    tag: str | None = None
    yearless: tuple[int, int, int, int, int, float] | None = None  # (month, day, h, m, s, frac) to be dated


def _frac(digits: str | None) -> float:
    return int(digits) / (10 ** len(digits)) if digits else 0.0


def _zone(tz: str | None) -> float:
    if not tz or tz == "Z":
        return 0.0
    sign = -1 if tz[0] == "-" else 1
    t = tz[1:].replace(":", "")
    return sign * (int(t[:2]) * 3600 + int(t[2:4]) * 60)


def _tag_and_host(text: str, pos: int, p: Prefix, allow_host: bool) -> None:
    """After a time stamp: ``[host] [facility.level] tag[pid]: body``."""
    m = _TAG.match(text, pos)
    if m is None and allow_host:
        w = _WORD.match(text, pos)
        if w is not None and not w.group(1).endswith(":"):
            p.host = w.group(1)
            pos = w.end()
    f = _FACILITY.match(text, pos)
    if f is not None:
        pos = f.end()
    m = _TAG.match(text, pos)
    if m is not None:
        p.tag = m.group(1)
        pos = m.end()
    p.body = text[pos:]


def split_prefix(text: str) -> Prefix:
    """Split a log line into time, host, tag and message; never raises."""
    p = Prefix(text)
    if not text:
        return p
    c = text[0]
    if c == "<":
        m = _PRI.match(text)
        if m is not None:
            text = text[m.end() :]
            p.body = text
            if not text:
                return p
            c = text[0]
    if c.isdigit():
        m = _EPOCH.match(text)
        if m is not None:
            p.time = int(m.group(1)) + _frac(m.group(2))
            end = m.end()
            # hostapd -t -f: the logger adds its own stamp ("1795646419.697163: 1795646419.697163: veth-ap: ...")
            m2 = _EPOCH.match(text, end)
            if m2 is not None:
                end = m2.end()
            t = _TAG.match(text, end)
            if t is not None and t.group(1) in KNOWN_TAGS:
                p.tag = t.group(1)
                end = t.end()
            p.body = text[end:]
            return p
        iso = _ISO.match(text)
        if iso is not None:
            y, mo, d, hh, mi, ss = (int(iso.group(i)) for i in range(1, 7))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                secs = calendar.timegm((y, mo, d, hh, mi, ss, 0, 0, 0))
                p.time = secs + _frac(iso.group(7)) - _zone(iso.group(8))
                _tag_and_host(text, iso.end(), p, allow_host=True)
            return p
        lc = _LOGCAT.match(text)
        if lc is not None:
            lmon = int(lc.group(1))
            if 1 <= lmon <= 12:
                p.yearless = (
                    lmon,
                    int(lc.group(2)),
                    int(lc.group(3)),
                    int(lc.group(4)),
                    int(lc.group(5)),
                    _frac(lc.group(6)),
                )
                p.tag = lc.group(7)
                p.body = text[lc.end() :]
            return p
        return p
    if c == "[":
        m = _DMESG.match(text)
        if m is not None:
            p.body = text[m.end() :]
            p.tag = "kernel"
        return p
    if "A" <= c <= "Z":
        if text[:3] in _WEEKDAYS:
            m = _LOGREAD.match(text)
            if m is not None:
                mon = MONTHS.get(m.group(1).lower())
                if mon is not None:
                    p.time = float(
                        calendar.timegm(
                            (
                                int(m.group(6)),
                                mon,
                                int(m.group(2)),
                                int(m.group(3)),
                                int(m.group(4)),
                                int(m.group(5)),
                                0,
                                0,
                                0,
                            )
                        )
                    )
                    _tag_and_host(text, m.end(), p, allow_host=False)
                    return p
        m = _SYSLOG.match(text)
        if m is not None:
            mon = MONTHS.get(m.group(1).lower())
            if mon is not None:
                p.yearless = (
                    mon,
                    int(m.group(2)),
                    int(m.group(3)),
                    int(m.group(4)),
                    int(m.group(5)),
                    _frac(m.group(6)),
                )
                _tag_and_host(text, m.end(), p, allow_host=True)
                return p
    m = _TAG.match(text)
    if m is not None and m.group(1) in KNOWN_TAGS:
        p.tag = m.group(1)
        p.body = text[m.end() :]
    return p


class YearGuess:
    """Dates year-less syslog stamps: the year of a reference time (file mtime), rolled over on Dec -> Jan.

    If the first stamp would lie after the reference (a log cannot be written in the future), the year
    before is taken.  Each later jump back by six months or more starts a new year, so order is kept.
    """

    def __init__(self, reference: float) -> None:
        import time as _time

        tm = _time.gmtime(reference)
        self.ref_year = tm.tm_year
        self.ref_md = (tm.tm_mon, tm.tm_mday)
        self.year: int | None = None
        self.last_month = 0

    def epoch(self, stamp: tuple[int, int, int, int, int, float]) -> float:
        mon, day, hh, mi, ss, frac = stamp
        if self.year is None:
            self.year = self.ref_year - 1 if (mon, day) > self.ref_md else self.ref_year
        elif self.last_month - mon >= 6:
            self.year += 1
        self.last_month = mon
        return calendar.timegm((self.year, mon, day, hh, mi, ss, 0, 0, 0)) + frac
