"""The line prefix of text logs: time stamp, host, daemon tag and level, before the message.

One layer for every text format that logs one message a line (hostapd, wpa_supplicant, NetworkManager,
dnsmasq, FreeRADIUS's syslog lines...).  The prefix is optional: what counts is the message, and a form
not listed here never hides it (``find_tag`` finds a daemon tag wherever it stands).

Forms read, commonest first (docs/formats.md lists them with an example each):

- ``1700000000.123456: msg``                                  hostapd/wpa_supplicant ``-t`` (the logger of ``-f``
  doubles it), journalctl ``-o short-unix`` (``1700000000.123456 host tag[pid]: msg``)
- ``Mon Apr 11 13:14:49 2022 daemon.notice hostapd: msg``     OpenWrt ``logread``
- ``Mar  1 23:23:29 box hostapd: msg``                        RFC 3164 syslog, ``journalctl`` (no year), with or
  without host, fractions (``short-precise``), a year after the day (``Mar  1 2024 23:23:29``)
- ``2023-10-25T17:26:50+0200 box hostapd[9]: msg``            ISO 8601 / RFC 3339 (``short-iso``), ``2023/10/25``
- ``<165>1 2023-10-25T17:26:50.1Z box hostapd 9 - - msg``     RFC 5424 (structured data skipped)
- ``19:19:45 hostapd: msg``, ``19:19:45.123 msg``              a time of day without a date; a serial monitor's
  (``16:30:14.033 -> msg``, ``16:30:14.033 > msg``, ``16:30:14.033  msg``, ``[14:23:36:906]msg``)
- ``daemon.info hostapd: msg``                                a ``facility.level`` and a tag, no time; socklog
  puts it before a syslog stamp (``daemon.info: Apr  5 11:19:33 dhcpcd[958]: msg``)
- ``[Jul 4, 2026, 6:01:21 PM GMT+2] daemon.info: msg``        a stamp in brackets, any common date form
  (locale forms read with python-dateutil), ``[2023-10-25 17:26:50]``
- ``11-25 10:00:00.123  1234  1290 I wpa_supplicant: msg``    Android ``logcat -v threadtime`` (with ``-v uid``,
  ``usec``, ``nsec``, ``zone`` too); ``-v time``
  (``11-25 10:00:00.123 I/wpa_supplicant( 1234): msg``) and ``-v brief`` (``I/wpa_supplicant( 1234): msg``)
- ``[  123.456789] msg``                                     ``dmesg``, journalctl ``short-monotonic``
  (relative seconds: no time kept)
- ``kernel: msg`` / ``hostapd: msg``                          a syslog tag without a time
- anything else is taken as a bare message (``hostapd -dd`` without ``-t``)

A stamp without a year (``yearless``) or without a date (``timeofday``) is dated by the caller
(``YearGuess``), which says so.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from wlandoctor.util.times import MAX_TIME, MAX_YEAR, MIN_YEAR, MONTHS, MONTHS_LOCAL

_WEEKDAYS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
_EPOCH = re.compile(r"(\d{9,11})\.(\d{1,9}):? ")
_LOGREAD = re.compile(
    r"[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? (\d{4,6}) "
)
# RFC 3164; some devices print the year after the day ("Mar  5 2021 18:06:10")
_SYSLOG = re.compile(r"([^\W\d_]{3,6}\.?) +(\d{1,2})(?: (\d{4}))? (\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))? ")
_ISO = re.compile(
    # (a tab, or several blanks, after the stamp: web log views such as OPNsense's, copied from a table)
    r"(\d{4,6})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z| ?[+-]\d\d:?\d\d)?,?[ \t]+"
)
# (a serial monitor's stamp is followed by blanks and, in the Arduino IDE and PlatformIO, an arrow:
# "16:30:14.033 -> msg", "16:30:14.033 > msg"; the Ameba monitor puts two blanks)
_TIME_ONLY = re.compile(r"(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?[ \t]+(?:-?>[ \t]+)?")
# a time of day in brackets, as serial terminals stamp each line ("[14:23:36.906]", SSCOM's "[14:23:36:906]")
_TIME_INNER = re.compile(r"(\d\d):(\d\d):(\d\d)(?:[.,:](\d{1,9}))?")
_DMESG = re.compile(r"\[ *\d+\.\d+\] ")
# RT-Thread's rtdbg (include/rtdbg.h): "[I/WLAN.mgnt] msg", a level and the module
_RTDBG = re.compile(r"\[[DIWE]/([A-Za-z][\w.\-]{0,40})\] ")
# Zephyr RTOS's log (subsys/logging): "[00:00:07.622,070] <inf> wpa_supp: msg", the time since boot as
# hh:mm:ss.ms,us (or ticks, "[00001234]"), a level and the module that logged
_ZEPHYR = re.compile(
    r"\[(?:\d\d:\d\d:\d\d\.\d{3},\d{3}|\d{8})\] <(?:err|wrn|inf|dbg)> ([A-Za-z][\w.\-]{0,40}): "
)
# Android logcat -v threadtime: "11-25 10:00:00.123  1234  1290 I wpa_supplicant: wlan0: CTRL-EVENT-..."
# (logcat's other modifiers: -v usec / nsec give 6 or 9 digits of the second, -v zone a "+0000" after it,
# -v uid a column of the user before the pid, "wifi" or "1000"; Android 12 on, the framework's tags carry
# their instance, "WifiClientModeImpl[148104121:wlan0]")
_LOGCAT_TAG = r"([\w.\-/]+(?:\[[\w:.\-]{1,40}\])?)\s*: "
_LOGCAT_COLUMNS = r"(?: [+-]\d{4})? +(?:\w{1,16} +)?\d+ +\d+ [VDIWEF] "
_LOGCAT = re.compile(
    r"(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}(?:\d{3}){0,2})" + _LOGCAT_COLUMNS + _LOGCAT_TAG
)
# logcat -v threadtime after a full date (-v year): the ISO stamp is read first, then this
_LOGCAT_PIDS = re.compile(r" *(?:\w{1,16} +)?\d+ +\d+ [VDIWEF] " + _LOGCAT_TAG)
# logcat -v brief / -v time: "I/wpa_supplicant( 1234): ", with -v time after "11-25 10:00:00.123 "
_LOGCAT_BRIEF = re.compile(r"[VDIWEF]/([\w.\-/]+)\s*\(\s*\d+\): ")
_LOGCAT_TIME = re.compile(r"(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) ")
_RFC5424 = re.compile(r"1 (\S+) (\S+) (\S+) (\S+) (\S+) (?:-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: |$)")
# (a pid's brackets may be escaped, "wpa_supplicant\\[1691\\]: ", as the Markdown source of a post keeps them)
_TAG = re.compile(r"([A-Za-z][\w.\-/]*)(?:\\?\[(\d+)\\?\])?: ")
_FACILITY = re.compile(
    r"(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])"
    r"\.(?:emerg|alert|crit|err|error|warn|warning|notice|info|debug)(?::? |$)"
)
_WORD = re.compile(r"(\S+) ")
# A log view's column: "| value " up to the next "|" (a value is one word: the message is the last column)
_COLUMN = re.compile(r"[ \t]*\|[ \t]*([^\s|]{1,64})[ \t]*(?=\|)")
_COLUMN_END = re.compile(r"[ \t]*\|[ \t]*")
_TAG_PID = re.compile(r"([A-Za-z][\w.\-/]*)\[\d+\]")
_SEVERITIES = frozenset(
    (
        "emerg",
        "emergency",
        "alert",
        "crit",
        "critical",
        "err",
        "error",
        "warn",
        "warning",
        "notice",
        "info",
        "informational",
        "debug",
    )
)
_PRI = re.compile(r"<\d{1,3}>")
# NetworkManager logging on its own (`journalctl -o cat`, a foreground run): "<info>  [1750467721.8771] msg"
_NM_OWN = re.compile(r"<(?:trace|debug|info|warn|error)> {1,4}\[(\d{9,11}\.\d{1,6})\] ")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*")
# (a serial terminal glues the message on: "[14:23:36:906][WLAN-A]")
_BRACKET = re.compile(r"\[([^\[\]]{6,60})\] ?")
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d\d))?\b")

# Tags recognised on a line without a time stamp ("kernel: MIC Different ..."), and found anywhere in a
# line whose prefix is of no known form.
KNOWN_TAGS = (
    "hostapd",
    "wpa_supplicant",
    "kernel",
    "dnsmasq",
    "dnsmasq-dhcp",
    "NetworkManager",
    "iwd",
    "connmand",
    "dhclient",
    "dhcpcd",
    "odhcpd",
    "radiusd",
    "freeradius",
)
_ANY_TAG = re.compile(
    r"(?:^|[\s\]>|])(" + "|".join(re.escape(t) for t in KNOWN_TAGS) + r")(?:\\?\[\d+\\?\])?: "
)
# A bracketed stamp's content is read by python-dateutil only when it looks like a date (digits and a ':').
_DATEISH = re.compile(r"\d{1,2}:\d\d")


def daemon_of(tag: str | None) -> str | None:
    """The daemon a syslog tag names, or None when the tag says nothing useful."""
    if not tag:
        return None
    if tag.startswith("hostapd"):
        return "hostapd"
    if tag.startswith("wpa_supplicant") or tag == "wpa_supp":  # ("wpa_supp": Zephyr's module name)
        return "wpa_supplicant"
    if tag.startswith("dnsmasq"):
        return "dnsmasq"
    if tag == "kernel":
        return "driver"
    if tag == "NetworkManager":
        return "NetworkManager"
    if tag in ("dhclient", "dhcpcd", "iwd", "connmand", "dhcp"):  # ("dhcp": Circle's DHCP client's own name)
        return tag
    return None


@dataclass(slots=True)
class Prefix:
    body: str  # the message after time, host and tag
    time: float | None = None
    host: str | None = None
    tag: str | None = None
    yearless: tuple[int, int, int, int, int, float] | None = None  # (month, day, h, m, s, frac) to be dated
    timeofday: tuple[int, int, int, float] | None = None  # (h, m, s, frac): no date at all, to be dated
    known: bool = False  # a prefix form was recognised (or the line has none: a bare message)
    bad_stamp: bool = False  # a stamp of a known form whose date is out of range or does not exist
    zephyr: bool = False  # Zephyr RTOS's log form: the tag is the module that logged


def fraction(digits: str | None) -> float:
    return int(digits) / (10 ** len(digits)) if digits else 0.0


def zone_seconds(tz: str | None) -> float:
    if not tz or tz == "Z":
        return 0.0
    tz = tz.strip()
    sign = -1 if tz[0] == "-" else 1
    t = tz[1:].replace(":", "")
    return sign * (int(t[:2]) * 3600 + int(t[2:4]) * 60)


@lru_cache(maxsize=4096)
def _midnight(y: int, mo: int, d: int) -> float | None:
    """Seconds since the epoch at the start of a day, or None for a day that does not exist (Feb 30)."""
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= mo <= 12) or not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    return float(calendar.timegm((y, mo, d, 0, 0, 0, 0, 0, 0)))


def _timegm(y: int, mo: int, d: int, hh: int, mi: int, ss: int) -> float | None:
    """Seconds since the epoch, or None for a date that does not exist (month 13, hour 25)."""
    day = _midnight(y, mo, d)
    if day is None or hh > 23 or mi > 59 or ss > 60:
        return None
    return day + hh * 3600 + mi * 60 + ss


def epoch_of(y: int, mo: int, d: int, hh: int, mi: int, ss: int) -> float | None:
    """Seconds since the epoch of a date and time in UTC, or None for one out of range or that does not
    exist (for readers with stamps of their own forms)."""
    return _timegm(y, mo, d, hh, mi, ss)


def _tag_and_host(text: str, pos: int, p: Prefix, allow_host: bool, host_needs_tag: bool = False) -> None:
    """After a time stamp: ``[host] [facility.level] tag[pid]: body`` (each part optional), or the columns
    of a web log view (``| host | tag | pid | body``)."""
    p.known = True
    # (blanks a stamp's form did not take: "16:30:14.093  [WLAN-A]")
    while text[pos : pos + 1] in (" ", "\t"):
        pos += 1
    if _COLUMN.match(text, pos) is not None:
        _columns(text, pos, p)
        return
    f = _FACILITY.match(text, pos)
    if f is None:
        m = _TAG.match(text, pos)
        if m is None and allow_host:
            w = _WORD.match(text, pos)
            # (a host is a name, never a bracketed module tag: "16:30:14 [WLAN-A] start auth to ...")
            if (
                w is not None
                and not w.group(1).endswith(":")
                and w.group(1)[0] not in "[(<"
                and (
                    not host_needs_tag
                    or _TAG.match(text, w.end()) is not None
                    or _FACILITY.match(text, w.end()) is not None
                )
            ):
                p.host = w.group(1)
                pos = w.end()
                if _COLUMN.match(text, pos) is not None:  # "<stamp> <year> | host | tag: ..."
                    p.host = None
                    _columns(text, pos, p)
                    return
        f = _FACILITY.match(text, pos)
    if f is not None:
        pos = f.end()
    m = _TAG.match(text, pos)
    if m is not None:
        p.tag = m.group(1)
        pos = m.end()
    elif text.startswith("-- ", pos):  # logread -e / BusyBox "--" for an empty tag
        pos += 3
    p.body = text[pos:]


def _columns(text: str, pos: int, p: Prefix) -> None:
    """``| [host |] process | [pid |] [severity |] message``: a log view's columns copied with their
    separators (pfSense "Time | Process | PID | Message", OPNsense, web consoles).  The process is the tag;
    a word before it is the host; numbers and severities are skipped."""
    fields: list[str] = []
    while len(fields) < 5:
        m = _COLUMN.match(text, pos)
        if m is None:
            break
        fields.append(m.group(1))
        pos = m.end()
        if fields[-1].isdigit() and len(fields) > 1:  # the pid column: the message follows
            break
    m = _COLUMN_END.match(text, pos)
    if m is not None:
        pos = m.end()
    words = [f.rstrip(":") for f in fields if not f.isdigit() and f.lower().rstrip(":") not in _SEVERITIES]
    tag = next(
        (w for w in words if daemon_of(w) is not None or w in KNOWN_TAGS), words[-1] if words else None
    )
    if tag is not None:
        t = _TAG_PID.fullmatch(tag)
        p.tag = t.group(1) if t is not None else tag
        before = words[: words.index(tag)]
        if before:
            p.host = before[-1]
    t = _TAG.match(text, pos)
    if t is not None and t.group(1) in KNOWN_TAGS:  # "| gw01 | hostapd: msg": the last column was the host
        p.host, p.tag = p.tag, t.group(1)
        pos = t.end()
    p.body = text[pos:]


def _logcat_stamp(m: re.Match[str]) -> tuple[int, int, int, int, int, float] | None:
    mon = int(m.group(1))
    if not 1 <= mon <= 12:
        return None
    return (mon, int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)), fraction(m.group(6)))


def split_prefix(text: str) -> Prefix:
    """Split a log line into time, host, tag and message; never raises.  A stamp of a known form whose
    time cannot be (a year out of range, Feb 30, a zone that moves it before 1970) leaves ``time`` None
    and sets ``bad_stamp``, for the reader to say so (every time set here is checked where it is read)."""
    p = _split(text)
    if p.tag == "kernel" and p.body[:1] == "[":
        # the kernel's own uptime stamp inside a syslog line ("kernel: [  121.844764] wlo1: ..."), as
        # rsyslog's imklog keeps it: the message starts after it
        m = _KERNEL_UPTIME.match(p.body)
        if m is not None:
            p.body = p.body[m.end() :]
    return p


_KERNEL_UPTIME = re.compile(r"\[ {0,12}\d{1,10}\.\d{1,9}\] ")


def _split(text: str) -> Prefix:
    p = Prefix(text)
    if not text:
        return p
    c = text[0]
    if c == " " or c == ">" or c == "\t":
        # a paste indented in a ticket, or quoted in a mail ("> ", "> > "): read like the paste itself
        text = p.body = _QUOTE.sub("", text, 1)
        if not text:
            return p
        c = text[0]
    if c == "<":
        nm = _NM_OWN.match(text)
        if nm is not None:
            # NetworkManager's own form (`journalctl -o cat`, its stderr): its level and the epoch time
            stamp = float(nm.group(1))
            # (the body keeps its level and stamp, as NetworkManager writes them under a syslog tag too)
            p.tag, p.body, p.known = "NetworkManager", text, True
            p.time = stamp if 0.0 < stamp < MAX_TIME else None
            p.bad_stamp = p.time is None
            return p
        m = _PRI.match(text)
        if m is not None:
            text = text[m.end() :]
            p.body = text
            if not text:
                return p
            if text[0] == "1" and text[1:2] == " ":
                _rfc5424(text, p)
                return p
            c = text[0]
    if c.isdigit():
        _numeric(text, p)
        return p
    if c == "[":
        m = _DMESG.match(text)
        if m is not None:
            # dmesg (no host, no tag) or journalctl -o short-monotonic ("[  12.3] host tag[pid]: ")
            end = m.end()
            t = _TAG.match(text, end)
            if t is not None and t.group(1) not in KNOWN_TAGS:
                t = None  # "[ 12.3] wlan0: ...": an interface, not a tag
            w = _WORD.match(text, end) if t is None else None
            if w is not None and not w.group(1).endswith(":"):
                t2 = _TAG.match(text, w.end())
                if t2 is not None:
                    p.host, t = w.group(1), t2
            if t is not None:
                p.tag = t.group(1)
                end = t.end()
            else:
                p.tag = "kernel"
            p.body = text[end:]
            p.known = True
            return p
        _bracketed(text, p)
        return p
    if "A" <= c <= "Z":
        if text[:3] in _WEEKDAYS:
            m = _LOGREAD.match(text)
            if m is not None:
                mon = MONTHS.get(m.group(1).lower())
                if mon is not None:
                    y, day, hh, mi, ss = m.group(7, 2, 3, 4, 5)
                    secs = _timegm(int(y), mon, int(day), int(hh), int(mi), int(ss))
                    if secs is None:
                        p.bad_stamp = True
                    else:
                        p.time = secs + fraction(m.group(6))
                    _tag_and_host(text, m.end(), p, allow_host=False)
                    return p
        if _syslog(text, p):
            return p
        m = _LOGCAT_BRIEF.match(text)
        if m is not None:
            p.tag, p.body, p.known = m.group(1), text[m.end() :], True
            return p
    elif c.isalpha():
        f = _FACILITY.match(text) if "a" <= c <= "z" else None
        if f is not None:  # "daemon.info hostapd: ...": a facility.level and a tag, no time
            rest = text[f.end() :]
            if rest[:1].isalnum():
                # socklog's (Void Linux) "daemon.info: Apr  5 11:19:33 dhcpcd[958]: ...": the stamp after it
                q = split_prefix(rest)
                if q.time is not None or q.yearless is not None or q.timeofday is not None or q.bad_stamp:
                    return q
            _tag_and_host(text, f.end(), p, allow_host=False)
            return p
        if _syslog(text, p):  # a month in the locale's words ("ноя 04 11:05:35", "déc. 3 ...")
            return p
    m = _TAG.match(text)
    if m is not None and m.group(1) in KNOWN_TAGS:
        p.tag = m.group(1)
        p.body = text[m.end() :]
        p.known = True
    return p


def _syslog(text: str, p: Prefix) -> bool:
    """RFC 3164 ``Mmm dd [yyyy] hh:mm:ss[.frac] [host] [tag:]``; month names of common locales too."""
    m = _SYSLOG.match(text)
    if m is not None:
        mon = MONTHS_LOCAL.get(m.group(1).lower().rstrip("."))
        if mon is not None:
            day, hh, mi, ss = int(m.group(2)), int(m.group(4)), int(m.group(5)), int(m.group(6))
            if m.group(3):
                secs = _timegm(int(m.group(3)), mon, day, hh, mi, ss)
                if secs is None:
                    p.bad_stamp = True
                else:
                    p.time = secs + fraction(m.group(7))
            elif 1 <= day <= 31 and hh <= 23 and mi <= 59 and ss <= 60:
                p.yearless = (mon, day, hh, mi, ss, fraction(m.group(7)))
            else:
                p.bad_stamp = True
            _tag_and_host(text, m.end(), p, allow_host=True)
            return True
    return False


def _numeric(text: str, p: Prefix) -> None:
    """Prefixes that start with a digit: epoch, ISO / slashed dates, logcat, a time of day."""
    m = _EPOCH.match(text)
    if m is not None:
        epoch = int(m.group(1)) + fraction(m.group(2))
        if epoch < MAX_TIME:  # (never negative)
            p.time = epoch
        else:  # (eleven digits reach the year 5138)
            p.bad_stamp = True
        p.known = True
        end = m.end()
        if text[end - 2] != ":":  # journalctl -o short-unix: "1700000000.123456 host tag[pid]: msg"
            _tag_and_host(text, end, p, allow_host=True)
            return
        # hostapd -t -f: the logger adds its own stamp ("1795646419.697163: 1795646419.697163: veth-ap: ...")
        m2 = _EPOCH.match(text, end)
        if m2 is not None and text[m2.end() - 2] == ":":
            end = m2.end()
        t = _TAG.match(text, end)
        if t is not None and t.group(1) in KNOWN_TAGS:
            p.tag = t.group(1)
            end = t.end()
        p.body = text[end:]
        return
    iso = _ISO.match(text)
    if iso is not None:
        y, mo, d, hh, mi, ss = (int(iso.group(i)) for i in range(1, 7))
        _set_iso_time(p, _timegm(y, mo, d, hh, mi, ss), iso)
        lc = _LOGCAT_PIDS.match(text, iso.end())  # logcat -v year
        if lc is not None:
            p.tag, p.body, p.known = lc.group(1), text[lc.end() :], True
            return
        _tag_and_host(text, iso.end(), p, allow_host=True)
        return
    lc = _LOGCAT.match(text)
    if lc is not None:
        stamp = _logcat_stamp(lc)
        if stamp is not None:
            p.yearless, p.tag, p.body, p.known = stamp, lc.group(7), text[lc.end() :], True
        return
    lt = _LOGCAT_TIME.match(text)
    if lt is not None:
        stamp = _logcat_stamp(lt)
        b = _LOGCAT_BRIEF.match(text, lt.end())
        if stamp is not None and b is not None:
            p.yearless, p.tag, p.body, p.known = stamp, b.group(1), text[b.end() :], True
        return
    to = _TIME_ONLY.match(text)
    if to is not None:
        hh, mi, ss = int(to.group(1)), int(to.group(2)), int(to.group(3))
        if hh <= 23 and mi <= 59 and ss <= 60:
            p.timeofday = (hh, mi, ss, fraction(to.group(4)))
            # (a host only before a tag: a serial monitor's stamp is followed by the device's own prefix,
            # "16:30:14.033 -> I (4571) wifi:", whose first word is no host)
            _tag_and_host(text, to.end(), p, allow_host=True, host_needs_tag=True)


def _set_iso_time(p: Prefix, secs: float | None, iso: re.Match[str]) -> None:
    """The time of an ISO stamp, its zone applied; a bad stamp when out of range (a zone can move
    1970-01-01T00:00 before the epoch)."""
    t = None if secs is None else secs + fraction(iso.group(7)) - zone_seconds(iso.group(8))
    if t is not None and 0.0 <= t < MAX_TIME:
        p.time = t
    else:
        p.bad_stamp = True


def _rfc5424(text: str, p: Prefix) -> None:
    """``1 TIMESTAMP HOST APP PROCID MSGID SD MSG`` (after ``<PRI>``); ``-`` is a missing field."""
    m = _RFC5424.match(text)
    if m is None:
        return
    stamp, host, app = m.group(1), m.group(2), m.group(3)
    if stamp != "-":
        iso = _ISO.match(stamp + " ")
        if iso is None:
            return
        _set_iso_time(p, _timegm(*(int(iso.group(i)) for i in range(1, 7))), iso)
    p.host = None if host == "-" else host
    p.tag = None if app == "-" else app
    p.body = text[m.end() :].removeprefix("\ufeff")  # RFC 5424 lets a message start with a BOM
    p.known = True


def _bracketed(text: str, p: Prefix) -> None:
    """``[stamp] [facility.level[:]] [tag:] msg`` with the stamp in any common form."""
    r = _RTDBG.match(text)
    if r is not None:
        # RT-Thread's rtdbg: no time, the module as the tag
        p.tag, p.body, p.known = r.group(1), text[r.end() :], True
        return
    z = _ZEPHYR.match(text)
    if z is not None:
        # Zephyr's log: the time since boot (no time kept, as dmesg's) and the module as the tag
        p.tag, p.body, p.known, p.zephyr = z.group(1), text[z.end() :], True, True
        return
    m = _BRACKET.match(text)
    if m is None:
        return
    inner = m.group(1)
    to = _TIME_INNER.fullmatch(inner)
    if to is not None:
        hh, mi, ss = int(to.group(1)), int(to.group(2)), int(to.group(3))
        if hh <= 23 and mi <= 59 and ss <= 60:
            p.timeofday = (hh, mi, ss, fraction(to.group(4)))
            _tag_and_host(text, m.end(), p, allow_host=False)
        return
    iso = _ISO.match(inner + " ")
    if iso is not None and iso.end() >= len(inner):
        _set_iso_time(p, _timegm(*(int(iso.group(i)) for i in range(1, 7))), iso)
    else:
        date = parse_date(inner)
        if date is None:
            return
        p.time = date
    _tag_and_host(text, m.end(), p, allow_host=False)


def parse_date(text: str) -> float | None:
    """A date and time in any common written form ("Jul 4, 2026, 6:01:21 PM GMT+2", "04 Jul 2026
    18:01:21"), read by python-dateutil; None when it holds no full date.  ``GMT+2`` is read as two hours
    ahead of UTC, as browsers print it (dateutil alone would take the POSIX meaning, the opposite)."""
    if _DATEISH.search(text) is None or len(text) > 60:
        return None
    from datetime import UTC, datetime

    from dateutil import parser as _dateutil

    def offset(m: re.Match[str]) -> str:
        return f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}"

    normal = _GMT_OFFSET.sub(offset, text)
    default = datetime(1, 1, 1)
    try:
        d = _dateutil.parse(normal, default=default)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    if not MIN_YEAR <= d.year <= MAX_YEAR:  # (year 1: the stamp named none)
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    try:
        t = d.timestamp()
    except (OverflowError, OSError, ValueError):
        return None
    return t if 0.0 <= t < MAX_TIME else None


def find_tag(text: str) -> tuple[int, str] | None:
    """For a line whose prefix is of no known form: where a known daemon tag ends, and the tag."""
    m = _ANY_TAG.search(text, 0, 300)
    return (m.end(), m.group(1)) if m is not None else None


def reference_time(path: object) -> float:
    """What year-less and date-less stamps are dated by: the file's modification time, else now."""
    import os
    import time as _time

    if path is not None:
        try:
            return os.stat(path).st_mtime  # type: ignore[arg-type]
        except (OSError, TypeError, ValueError):
            pass
    return _time.time()


HINT_MARGIN_S = 183 * 86400  # a year-less log beside dated ones: within half a year of their newest time


class YearGuess:
    """Dates year-less syslog stamps: the year of a reference time (file mtime), rolled over on Dec -> Jan.

    If the first stamp would lie after the reference (a log cannot be written in the future), the year
    before is taken.  Each later jump back by six months or more starts a new year, so order is kept.
    A time of day without a date takes the reference's date, the day before when it would lie after the
    reference, and the next day each time the clock goes back by more than twelve hours (midnight).
    ``guessed`` says which of the two had to be guessed, for the report.
    """

    def __init__(self, reference: float, hint: float | None = None) -> None:
        """``hint``: the newest dated time of the other inputs (their stamps carry a year): a log read beside
        them is of their time, not of its file's; its year is the one that puts it within six months of
        the hint, and a time of day is placed on the hint's date."""
        import time as _time

        self.by = "the other inputs' dates" if hint is not None else "the file's date"
        self.day_by = "the other inputs' newest date" if hint is not None else "the file's date"
        if hint is not None:
            reference = hint + HINT_MARGIN_S
        self.reference = reference
        tm = _time.gmtime(reference)
        self.ref_year = tm.tm_year
        self.ref_md = (tm.tm_mon, tm.tm_mday)
        self.day_of = hint if hint is not None else reference  # (the date a time of day is placed on)
        self.year: int | None = None
        self.last_month = 0
        self.day_start: float | None = None  # midnight of the day a time of day is placed on
        self.last_tod = 0.0
        self.guessed: set[str] = set()  # "year", "date"

    def first_year(self) -> int:
        """The year given to the first stamp (for the report's note)."""
        first = getattr(self, "first", None)
        return first if first is not None else self.ref_year

    def epoch(self, stamp: tuple[int, int, int, int, int, float]) -> float | None:
        mon, day, hh, mi, ss, frac = stamp
        if self.year is None:
            self.year = self.ref_year - 1 if (mon, day) > self.ref_md else self.ref_year
            self.first: int | None = self.year
            self.guessed.add("year")
        elif self.last_month - mon >= 6:
            self.year += 1
        self.last_month = mon
        secs = _timegm(self.year, mon, day, hh, mi, ss)
        return None if secs is None else secs + frac

    def time_of_day(self, stamp: tuple[int, int, int, float]) -> float:
        hh, mi, ss, frac = stamp
        tod = hh * 3600 + mi * 60 + ss + frac
        if self.day_start is None:
            self.guessed.add("date")
            midnight = self.day_of - self.day_of % 86400
            self.day_start = midnight - 86400 if midnight + tod > self.day_of + 60 else midnight
        elif self.last_tod - tod > 12 * 3600:
            self.day_start += 86400
        self.last_tod = tod
        return self.day_start + tod
