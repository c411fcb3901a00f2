"""Huawei AC / AP output as engineers paste it.

One input may mix everything an AC session prints: ``display station online-fail-record`` tables,
``display aaa online-fail-record`` blocks, AP ``station-trace`` records (``<7>Mar 05 2021 18:06:10.270.1 AP01
WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][mac]:...`` and ``(BTRACE)(WLAN_AP)(mac)``), AC ``trace object`` records
(``[BTRACE][2020/11/03 14:41:00][6144][EAPoL][mac]:...`` with bodies on following lines), debug lines, and
syslog/trap lines.  Pastes from tickets arrive flattened onto one line; records are split apart again at
their natural boundaries before they are read.

The input is streamed: a line is never held whole when it is longer than MAX_LINE, and memory does not grow
with the size of the input.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

import textfsm

from wlandoctor.model import Event, InputSummary, SourceRef, Stage
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers import huawei_messages as hm
from wlandoctor.parsers.relevance import unread
from wlandoctor.sources import MAX_LINE, Input, decode_line, decode_text, sanitize
from wlandoctor.sources.lines import cut_point, split_lines
from wlandoctor.util.mac import MAC_TOKEN, normalize_mac
from wlandoctor.util.times import (
    HUAWEI_DEBUG_TIME,
    NUMERIC_TIME,
    STAMP_PROBLEM,
    in_range,
    parse_debug_time,
    parse_numeric_time,
)

EVIDENCE_CHARS = 600  # evidence text kept per event; the source line number points at the rest

_MONTH_TS = r"[A-Z][a-z]{2} +\d{1,2} \d{4} \d{2}:\d{2}:\d{2}"
# Where records start inside a flattened paste.  The starts that follow a blank share one look-behind:
# checked once per character instead of once per kind of record, which matters on huge lines.
_BOUNDARY = re.compile(
    r"<\d{1,3}>(?=" + _MONTH_TS + r")"  # AP debug record with syslog priority
    r"|\[BTRACE\]\s?\[\d{4}[/-]"  # AC trace header
    r"|-{20,}"  # table separators
    r"|(?<=\s)(?=" + _MONTH_TS + r"\.\d+\.\d+"  # AP debug record without priority
    r"|\[[\w.-]+\]\s*(?:display|station-trace|trace|undo|debugging)\b"  # [AC-diagnose] prompt
    r"|<[\w.-]+>\s*(?:display|station-trace|trace)\b"  # <HUAWEI> prompt
    r"|" + MAC_TOKEN + r"\s+\S+\s+\d+\s+\S+\s+\d+/\d+\s+\d{4}-\d{2}-\d{2}/"  # online-fail row
    r"|(?:User name to server|User name|Domain name|User MAC|User access type|User access interface"
    r"|Qinq vlan/User vlan|User IP address|User IPV6 address|User ID|User login time|User online fail reason"
    r"|Authen reply message|AP ID|Radio ID|WLAN ID|AP MAC|SSID)\s+:"  # display aaa online-fail-record
    r"|" + _MONTH_TS + r"(?:[+-]\d{2}:\d{2})? \S+ %%\d*[A-Z]+/\d/"  # syslog: "... AC6605 %%01WSTA/6/..."
    r")"
)
_SPLIT_OVER = 300  # lines longer than this may be flattened pastes
# Shorter lines are searched for record starts only when they begin like one of the short records (AAA
# field, table row, prompt) and are longer than one of those usually is.
_SHORT_RECORD = 60
# How far back into the piece carried from the last fragment a record start is looked for again: more
# than any record start's own length (a few dozen characters; an online-fail row's fields, however long).
_JOIN_LOOKBACK = 4096
_BLOCK = 1024 * 1024  # bytes read at a time
_WIFI_KEPT = (b"air", b"target")  # WLAN_WIFI records that say something end so (to air, from target)
_WIFI_RELAY_ENDS = (b"software switch", b"target(Single)", b"rx reorder", b"for release")
_WIFI_ENDS = (*_WIFI_KEPT, *_WIFI_RELAY_ENDS, b"]")  # how every WLAN_WIFI record ends ("... status[2]")

_AP_RECORD = re.compile(
    r"(?:<\d{1,3}>)?(?P<ts>" + _MONTH_TS + r"(?:\.\d+)?(?:\.\d+)?(?:[+-]\d{2}:\d{2})?)\s+(?P<host>\S+)\s+"
    r"(?:%%\d*)?(?P<mod>[A-Za-z_]+)/?\d/(?P<lvl>[A-Za-z_]+)(?:\(\w\))?(?:\[\d+\])?:\s?(?P<rest>.*)",
    re.S,
)
_TAG = re.compile(
    r"[\[(]BTRACE[\])]\s*[\[(](?P<tag>\w+)[\])]\s*[\[(](?P<mac>[^\])]+)[\])]:?\s*(?P<msg>.*)", re.S
)
# (a packet's description is a few words: bounded, so a record of repeated "SeqNo[" parts stays linear)
_WIFI = re.compile(r"SeqNo\[(?P<sn>\d+)\]\s*\[(?P<proto>\w+)\]\s*(?P<pkt>.{1,200}?) payload\[(?P<len>\d+)\]")
_AC_HEADER = re.compile(
    r"\[BTRACE\]\s?\[(?P<ts>[^\]]+)\](?:\[(?P<pid>\d+)\])?\[(?P<mod>[A-Za-z_]+)\]\[(?P<mac>[^\]:]+)\]?:?\s*(?P<msg>.*)",
    re.S,
)
_PROMPT = re.compile(r"^(?:\[[\w.-]+\]|<[\w.-]+>)\s*\S")
_AP_START = re.compile(r"<\d{1,3}>" + _MONTH_TS)  # an AP record's priority and time
_SEPARATOR = re.compile(r"^-{10,}$")
_QUOTED = re.compile(r"^(?:>[ \t]?)+")  # mail quoting before a pasted line
_ROAM_TRACK = re.compile(
    r"(?:\[[\w.-]+\]|<[\w.-]+>)\s*display station roam-track sta-mac (" + MAC_TOKEN + r")\s*$"
)
_ROAM_FIRST = re.compile(r"(?:--|L[23]\S*)\s+\S+\s+\S+\s+\S+\s+\d+$")  # a roam record's first line
# A syslog server's own header before a relayed record: "Mar  5 18:06:12 10.10.1.1", "<190>Mar 5 18:06:12 ac1"
_RELAY_HEADER = re.compile(r"(?:<\d{1,3}>)?[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} [\w.:-]+")
_ROW = re.compile(
    r"^" + MAC_TOKEN + r"\s+\S+\s+\d+\s+\S+\s+\d+/\d+\s+\d{4}-\d{2}-\d{2}/\d{2}:\d{2}:\d{2}\s+\S"
)
_AAA_KEY = re.compile(
    r"^(User name to server|User name|Domain name|User MAC|User access type|User access interface|Qinq vlan/User vlan"
    r"|User IP address|User IPV6 address|User ID|User login time|User online fail reason|Authen reply message"
    r"|AP ID|Radio ID|WLAN ID|AP MAC|SSID)\s*:"
)
_QUIET_ROW = re.compile(r"^(" + MAC_TOKEN + r")\s+(\d+)$")
# The header line that starts a CLI table read row by row: (starts with, also holds, table name)
_TABLE_HEADERS = (
    ("MacAddress", "Quiet", "quiet"),  # display dot1x quiet-user all
    ("Username", "BlockDuration", "blocked"),  # display remote-user authen-fail blocked
    ("MAC", "Last fail time", "ap_fail"),  # display ap online-fail-record
)
_STRUCTURE = re.compile(
    r"^(?:Rf/WLAN:|STA MAC\s+Device|MAC\s+Last fail|MacAddress\s+Quiet|Total\b|Info:|Number:|\d+ silent mac"
    r"|Username\s+Interval|Interval:|TimeLeft:|BlockDuration:|Access SSID|Rx/Tx:|s: Same|L2/L3|BSSID\s+TIME|#|The following)"
)
_SYSLOG_TAGS = (
    "WLAN_STA_INFO_ONLINE_FAIL",
    "WLAN_STA_INFO_AP_ASSOCIATE",
    "WLAN_STA_OFFLINE_INFO",
    "DHCPSNP_ONLINE_FAIL",
    "STA_ASSOCIATION_FAIL",
    "STA_AUTH_FAIL",
    "STATION_OFFLINE_NOTIFY",
)
# syslog fields: "KEY:[value];KEY:[value]" and "(Key=value, Key=value)"; read by splitting, not by a
# findall whose every start would rescan a long run of letters (quadratic on hostile input)
_KV_SEP = re.compile(r"[:\[]")
_NOT_KEY = re.compile(r"[^A-Za-z ]")
_MAC_FULL = re.compile(MAC_TOKEN)
_HUAWEI_MAC = re.compile(r"\b[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}\b")
_AC_BODY_MAX = 64  # body lines kept for one AC trace record
_AAA_BLOCK_MAX = 64  # fields of one display aaa online-fail-record block (a real one has about 18)


def _template(name: str) -> str:
    return resources.files("wlandoctor.parsers").joinpath("templates", name).read_text("utf-8")


class _Record:
    """A logical record: its first line number and its text parts (with their own line numbers)."""

    __slots__ = ("ap", "line", "mac", "module", "parts", "time")

    def __init__(
        self, line: int, mac: str | None, time: float | None, module: str = "", ap: str | None = None
    ) -> None:
        self.line = line
        self.mac = mac
        self.time = time
        self.module = module
        self.ap = ap
        self.parts: list[tuple[int, str]] = []


class HuaweiParser:
    name = "huawei-ac"
    splittable = True  # records start at line starts: a large file may be read in parallel parts
    description = (
        "Huawei AC/AP output: station-trace and trace-object BTRACE records (flattened or one per line), "
        "display station/aaa/ap online-fail-record, station roam-track, dot1x quiet users, blocked remote "
        "users, WSTA/DHCP syslog and traps"
    )
    example = (
        "<7>Mar 05 2021 18:06:10.270.10 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):"
        "[WPA] MIC is wrong. It will try to retransfer msg1/4."
    )

    def sniff(self, head: bytes) -> int:
        text = head.decode("latin-1")
        score = 0
        if "BTRACE" in text:
            score = 90
        elif "online-fail-record" in text or "User online fail reason" in text:
            score = 80
        elif any(tag in text for tag in _SYSLOG_TAGS):
            score = 70
        elif "display" in text and _HUAWEI_MAC.search(text):
            score = 30
        return score

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        yield from _Run(inp.name, summary).run(inp)


class _Run:
    """State of one pass over one input."""

    def __init__(self, source: str, summary: InputSummary) -> None:
        self.source = source
        self.summary = summary
        self.seq_line = 0  # events are ordered by (time, seq); seq follows the file position, so that
        self.seq_k = 0  # parts of one file read in parallel order exactly as one pass would
        self.last_time: float | None = None
        self.bad_stamp_line = 0
        self.pending: _Record | None = None  # AC trace record or debug record collecting its body
        self.queue: list[Event] = []  # events produced on the side (orphan fail reasons)
        self.out: list[Event] = []  # events of the block being read
        self.names: dict[str, str] = {}  # AP names, shared between events
        # What each message text was found to be (trace messages repeat: 5,838 distinct in 117,778 AC
        # records of 100 MiB), for AP and AC records.
        self.ap_kinds: dict[str, _Found] = {}
        self.ac_kinds: dict[str, _Found] = {}
        self.hosts: dict[bytes, str] = {}  # the same, by their bytes in WLAN_WIFI records
        self.stations: dict[bytes, str] = {}  # station ids of WLAN_WIFI records, by their bytes
        self.cut_line = 0  # last line reported as holding an over-long record
        # The last piece of a long line: the next fragment may continue it.
        self.carry: tuple[int, str] | None = None
        self.aaa_block: list[tuple[int, str]] = []
        self.table: str | None = None  # the CLI table being read (_TABLE_HEADERS, roam-track), by name
        self.orphan: tuple[int, str] | None = None  # "User online fail reason" seen without a MAC

        self.unrecognised = 0
        self.first_unrecognised = 0
        self.row_fsm = textfsm.TextFSM(
            io.StringIO(_template("huawei_display_station_online-fail-record.textfsm"))
        )
        self.aaa_fsm = textfsm.TextFSM(
            io.StringIO(_template("huawei_display_aaa_online-fail-record.textfsm"))
        )
        self.blocked_fsm = textfsm.TextFSM(
            io.StringIO(_template("huawei_display_remote-user_authen-fail_blocked.textfsm"))
        )
        self.roam_fsm = textfsm.TextFSM(io.StringIO(_template("huawei_display_station_roam-track.textfsm")))
        self.ap_fail_fsm = textfsm.TextFSM(
            io.StringIO(_template("huawei_display_ap_online-fail-record.textfsm"))
        )
        self.roam: tuple[str, str | None] | None = None  # display station roam-track: (station, Access SSID)
        self.roam_first: tuple[int, str] | None = None  # the first of a roam record's two lines
        # each table's row reader: True when the line was one of its rows
        self.table_rows = {
            "quiet": self.quiet_row,
            "blocked": self.blocked_row,
            "ap_fail": self.ap_fail_row,
            "roam": self.roam_line,
        }

    # ---- driving -------------------------------------------------------------------------------------
    def run(self, inp: Input) -> Iterator[Event]:
        """Read the input block by block.  The loop is written out here rather than over
        ``sources.iter_raw_lines`` because it runs once per line of traces of gigabytes: the commonest
        records are recognised and skipped right in it (same line numbering, CRLF and over-long line
        handling as ``iter_raw_lines``)."""
        out = self.out
        summary = self.summary
        number = inp.first_line - 1
        tail = b""  # start of a line not yet ended by the blocks read so far
        fragment = 0  # > 0 while inside an over-long line
        with inp.open() as stream:
            done = False
            while not done:
                chunk = stream.read(_BLOCK)
                if chunk:
                    data = tail + chunk if tail else chunk
                    parts, tail = split_lines(data)
                else:  # end of input: a last line without its line end is read like any other
                    done = True
                    parts = [tail] if tail and not fragment else []
                    if fragment:
                        self.long_line(number, tail[:-1] if tail[-1:] == b"\r" else tail, fragment)
                        fragment = 0
                    tail = b""
                for raw in parts:
                    if fragment:  # the end of an over-long line
                        self.long_line(number, raw[:-1] if raw[-1:] == b"\r" else raw, fragment)
                        fragment = 0
                        continue
                    number += 1
                    if self.carry is not None:
                        self.end_carry()
                    if raw[-1:] == b"\r":
                        raw = raw[:-1]
                    n = raw.count(b"BTRACE")
                    # (one record starting the line: an AP record has BTRACE twice, an AC trace header once;
                    # written out, as it runs for every line)
                    if len(raw) > _SPLIT_OVER or (
                        n
                        and not (
                            (raw[:1] == b"<" or raw[:3] in _MONTHS)
                            if n == 2
                            else n == 1 and raw.startswith(b"[BTRACE]")
                        )
                    ):
                        # A flattened paste; or a short line holding more than one trace record, or the end
                        # of one and the start of the next.
                        self.long_line(number, raw, 0)
                        continue
                    # Bookkeeping records (relay steps, key-frame receipts, AC acknowledgements) say nothing
                    # of the station: counted, not decoded (_is_bookkeeping, its WLAN_WIFI part written out
                    # here, cheapest test first: the commonest line, a relay step, is told apart on its end).
                    skip = (
                        raw.endswith(_WIFI_RELAY_ENDS)
                        and b"[BTRACE][WLAN_WIFI]" in raw
                        and b"Fail to" not in raw
                    )
                    if not skip and b"BTRACE" in raw:
                        if b"[WLAN_WIFI]" in raw:
                            if not raw.endswith(_WIFI_ENDS):  # something follows the record: cut them apart
                                self.long_line(number, raw, 0)
                                continue
                            skip = not raw.endswith(_WIFI_KEPT) and b"Fail to" not in raw
                            if not skip and (fast := self.fast(number, raw)) is not None:
                                if self.pending is not None or self.aaa_block:
                                    self.flush()
                                if fast is not _NOISE:
                                    out.append(fast)  # type: ignore[arg-type]
                                continue
                        # (_is_bookkeeping's AC and WLAN_AP parts, each for the lines it is about)
                        elif raw.startswith(b"[BTRACE]"):
                            skip = _AC_NOISE_RX.search(raw) is not None or _ap_noise(raw)
                        else:
                            skip = _ap_noise(raw)
                    if skip:
                        summary.records += 1
                        if self.pending is not None or self.aaa_block:
                            self.flush()
                        continue
                    text = decode_text(raw)  # (no Line object: this runs for every line read)
                    if text is None:
                        summary.problem(number, "binary data, skipped")
                        summary.skipped += 1
                        continue
                    self.segment(number, text)
                while len(tail) >= MAX_LINE:  # an over-long line still going on: read it in fragments
                    if fragment == 0:
                        number += 1
                        if self.carry is not None:
                            self.end_carry()
                    cut = cut_point(tail, MAX_LINE)
                    self.long_line(number, tail[:cut], fragment, whole=False)
                    fragment += 1
                    tail = tail[cut:]
                if out:
                    yield from out
                    out.clear()
            if self.carry is not None:
                self.end_carry()
        self.flush()
        yield from out
        out.clear()
        summary.coverage.understood = summary.records
        if self.unrecognised:
            # (said once the input is read, by relevance.finish: an input read in parts says it once)
            summary.skipped += self.unrecognised
            summary.unrecognised += self.unrecognised
            summary.first_unrecognised = summary.first_unrecognised or self.first_unrecognised
            summary.unrecognised_as = "Huawei output"

    def end_carry(self) -> None:
        """The last piece of a long line is a record of its own: the line it was on has ended."""
        assert self.carry is not None
        number, text = self.carry
        self.carry = None
        self.segment(number, text)

    def long_line(self, number: int, raw: bytes, fragment: int, whole: bool = True) -> None:
        """A line over _SPLIT_OVER bytes, or a fragment of one over MAX_LINE: cut into records (a
        flattened paste); the last record is carried over, as the next fragment may continue it."""
        if whole and len(raw) > MAX_LINE:
            while len(raw) > MAX_LINE:
                cut = cut_point(raw, MAX_LINE)
                self.long_line(number, raw[:cut], fragment, whole=False)
                fragment += 1
                raw = raw[cut:]
        line = decode_line(number, raw, fragment)
        if line.binary:
            self.summary.problem(number, "binary data, skipped")
            self.summary.skipped += 1
            return
        text = line.text
        scan_from = 0
        if fragment and self.carry is not None:
            # The carried piece was searched already: only a record start across the join is new.
            scan_from = max(0, len(self.carry[1]) - _JOIN_LOOKBACK)
            text = self.carry[1] + text
        self.carry = None
        pieces = _split(text, scan_from)
        for piece in pieces[:-1]:
            self.segment(number, piece)
        last = pieces[-1] if pieces else ""
        if len(last) > MAX_LINE:
            if number != self.cut_line:  # once per line, however many fragments it has
                self.cut_line = number
                self.summary.problem(number, f"record longer than {MAX_LINE} characters, cut")
            last = last[:MAX_LINE]
        self.carry = (number, last)

    def fast(self, number: int, raw: bytes) -> Event | object | None:
        """A WLAN_WIFI packet record: its event, or _NOISE when it is not one that matters; anything else
        -> None (read by the general path).  A third of a trace's events come this way, so the event is
        built here rather than through ``event`` (the same event: the parity tests compare them)."""
        if b"to air" not in raw and b"from target" not in raw:
            self.summary.records += 1
            return _NOISE
        m = _WIFI_FAST.match(raw)
        if m is None:
            return None
        base, ms, tz, host, mac, sn, pkt, length, act = m.groups()
        kind = _wifi_kind(pkt, act)
        self.summary.records += 1
        if kind is None:
            return _NOISE
        t = _second(base, tz)
        attrs: dict[str, Any] = {"payload": int(length), "seq_no": int(sn)}
        if t is None:
            t = self.last_time
        elif t == BAD_STAMP:
            t = self.bad_stamp(number, attrs)
        else:
            if ms:
                t += int(ms) / 1000.0
            self.last_time = t
        if b"status[" in act and (st := _STATUS.search(act)):
            attrs["status"] = int(st.group(1))
        text = raw.decode("utf-8", "replace")  # (no longer than _SPLIT_OVER: never cut to EVIDENCE_CHARS)
        if self.orphan is not None:  # (a quoted fail reason waits for this station: the general way)
            ap = host.decode("utf-8", "replace")
            return self.event(kind, mac.decode("ascii", "replace"), number, text, t, attrs, ap=ap)
        station = self.stations.get(mac)
        if station is None:
            if len(self.stations) >= _STATIONS_CACHED:
                self.stations.clear()
            station = self.stations[mac] = normalize_mac(mac.decode("ascii", "replace"))
        ap = self.hosts.get(host)
        if ap is None:
            if len(self.hosts) >= _NAMES_CACHED:
                self.hosts.clear()
            ap = self.hosts[host] = self.ap_name(host.decode("utf-8", "replace"))
        if number != self.seq_line:
            self.seq_line, self.seq_k = number, 0
        self.seq_k += 1
        return Event(
            kind,
            station,
            _KIND_STAGE[kind],
            SourceRef(self.source, number, text if text.isprintable() else sanitize(text)),
            t,
            number * 1_000_000 + self.seq_k,
            ap,
            None,
            None,
            None,
            None,
            attrs,
        )

    def emit(self, event: Event) -> None:
        """Hand ``event`` on, then any event made on the side while building it (a quoted fail reason)."""
        self.out.append(event)
        if self.queue:
            self.out.extend(self.queue)
            self.queue.clear()

    def flush(self) -> None:
        if self.pending is not None:
            self.finish_pending()
        if self.aaa_block:
            self.finish_aaa()

    # ---- one segment (a physical line, or a piece of a flattened one) --------------------------------
    def segment(self, number: int, raw: str) -> None:
        text = raw.strip()
        first = text[:1]
        if first == ">" or first == "`":
            # pasted from a mail or ticket: quoted ("> ", "> > ") or fenced in Markdown
            text = "" if text.startswith("```") else _QUOTED.sub("", text)
            first = text[:1]
        if not text:
            self.flush()
            self.table = None
            return
        if first == "<" or (first.isalpha() and (m := _AP_RECORD.match(text)) is not None):
            if first == "<":
                m = _AP_RECORD.match(text)
            if m is not None:
                self.flush()
                self.ap_record(number, text, m)
                return
            if first == "<" and _AP_START.match(text):
                # The start of an AP record cut short (a paste wrapped inside it): said, not taken for a
                # "<HUAWEI>" prompt.
                self.flush()
                self.not_recognised(number)
                return
        if text.startswith("[BTRACE]"):
            self.flush()
            self.ac_header(number, text)
            return
        if _AAA_KEY.match(text):
            if self.resplit(number, text):
                return
            if self.pending is not None:
                self.finish_pending()
            if len(self.aaa_block) >= _AAA_BLOCK_MAX:  # (no end in sight: read what there is, go on)
                self.finish_aaa()
            self.aaa_block.append((number, text))
            return
        if _SEPARATOR.match(text):
            self.flush()
            return
        if first == "-" and self.resplit(number, text):
            return  # a separator and what followed it
        if _ROW.match(text):
            if self.resplit(number, text):
                return
            self.flush()
            self.online_fail_row(number, text)
            return
        if first in "[<" and _PROMPT.match(text) and self.resplit(number, text):
            return  # a command line and the first records of its output: not the body of a trace record
        if self.pending is not None:
            if len(self.pending.parts) < _AC_BODY_MAX:
                self.pending.parts.append((number, text))
            return
        if any(tag in text for tag in _SYSLOG_TAGS):
            self.flush()
            self.syslog(number, text, None)
            return
        if self.table is not None and self.table_rows[self.table](number, text):
            return
        for prefix, marker, table in _TABLE_HEADERS:
            if text.startswith(prefix) and marker in text:
                self.table = table
                return
        if self.resplit(number, text):
            return
        if first in "[<" and (rt := _ROAM_TRACK.match(text)) is not None:
            self.table, self.roam, self.roam_first = "roam", (rt.group(1), None), None
            return
        if _PROMPT.match(text) or _STRUCTURE.match(text):
            self.table = None
            return
        if _RELAY_HEADER.fullmatch(text):
            return  # what a syslog server writes before a record it relays (cut off a long line)
        self.not_recognised(number)
        unread(self.summary.coverage, number, text)  # (counted when it looks like an onboarding event)

    def not_recognised(self, number: int) -> None:
        self.unrecognised += 1
        if not self.first_unrecognised:
            self.first_unrecognised = number

    def resplit(self, number: int, text: str) -> bool:
        """A line too short to be taken for a flattened paste (_SPLIT_OVER) may still hold several of the
        short records: AAA fields, table rows, a prompt and what followed it.  Read each on its own (True),
        or say there is one record (False).  Lines no longer than one such record are not searched."""
        if len(text) <= _SHORT_RECORD:
            return False
        pieces = _split(text)
        if len(pieces) == 1:
            return False
        for piece in pieces:
            self.segment(number, piece)
        return True

    # ---- AP station-trace and debug records ------------------------------------------------------------
    def ap_record(self, number: int, text: str, m: re.Match[str]) -> None:
        self.summary.records += 1
        ts, host, module, rest = m.group("ts", "host", "mod", "rest")
        tag = _TAG.match(rest)
        if tag is None:
            if any(t in text for t in _SYSLOG_TAGS):
                # A syslog/trap line with its header: "... HOST %%01DHCP/4/DHCPSNP_ONLINE_FAIL(l)[3]:..."
                self.summary.records -= 1  # counted again by syslog()
                self.syslog(number, text, _debug_time(ts))
            elif "BTRACE" in rest:
                # A trace record whose tags cannot be read (cut short, as by a line break inside a word):
                # said, and the lines after it not taken for its message.
                self.summary.records -= 1
                self.not_recognised(number)
            else:
                # A debug record such as "RDS/7/DEBUG:" whose message is on the following line(s).
                self.pending = _Record(number, None, _debug_time(ts), module, host)
                if rest.strip():
                    self.pending.parts.append((number, rest))
            return
        name, mac, msg = tag.group("tag", "mac", "msg")
        if name == "WLAN_WIFI" or "SeqNo[" in msg:
            hit = self.wifi(msg)
            if hit is None:
                return
            kind, attrs = hit
        else:
            found = _classify(self.ap_kinds, _AP_TABLES, msg)
            if found is None:
                return  # (half of these records: their time is never read)
            kind, attrs, _ = found
        self.emit(
            self.event(kind, mac, number, text, _debug_time(ts), attrs, ap=host, stage=_reason_stage(attrs))
        )

    def wifi(self, msg: str) -> tuple[str, dict[str, Any]] | None:
        if "to air" not in msg and "from target" not in msg:
            return None  # relay bookkeeping (software switch, rx reorder): no event
        w = _WIFI.search(msg)
        if w is None:
            return None
        pkt = w.group("pkt")
        for pneedle, aneedle, kind in hm.WIFI_PACKETS:
            if pneedle in pkt and aneedle in msg:
                attrs: dict[str, Any] = {"payload": int(w.group("len")), "seq_no": int(w.group("sn"))}
                st = hm.STATUS.search(msg)
                if st:
                    attrs["status"] = int(st.group(1))
                return kind, attrs
        return None

    # ---- AC trace-object records ---------------------------------------------------------------------
    def ac_header(self, number: int, text: str) -> None:
        m = _AC_HEADER.match(text)
        if m is None:
            self.not_recognised(number)
            return
        self.summary.records += 1
        ts, _, module, mac, msg = m.groups()
        self.pending = _Record(number, mac.strip(), _ac_time(ts), module)
        if msg.strip():
            self.pending.parts.append((number, msg))

    def finish_pending(self) -> None:
        rec, self.pending = self.pending, None
        if rec is None:
            return
        mac = rec.mac
        parts = rec.parts
        if len(parts) == 1:  # (most records: the message on the header's line)
            full = parts[0][1]
        else:
            full = " ".join(p[1] for p in parts)
            if not full:
                return
        module = rec.module
        found = _classify(self.ac_kinds, _AC_TABLES, full)
        attrs: dict[str, Any]
        if found is not None:
            kind, attrs, needle = found
            line, text = (
                parts[0] if len(parts) == 1 else next(((n, t) for n, t in parts if needle in t), parts[0])
            )
        elif module == "RADIUS" and (code := hm.RADIUS_CODE.search(full)):
            kind = hm.RADIUS_CODE_KINDS.get(int(code.group(1)), "")
            if not kind:
                return
            attrs = {"code": int(code.group(1))}
            line, text = next(((n, t) for n, t in rec.parts if "Code" in t), rec.parts[0])
        elif "_" in full and any(tag in full for tag in _SYSLOG_TAGS):  # (every tag has a "_")
            self.syslog(rec.line, full, rec.time)
            return
        else:
            return
        if kind in ("radius.reject", "radius.accept"):
            reply = hm.RADIUS_REPLY.search("\n".join(p[1] for p in rec.parts))
            if reply:
                attrs["reply_message"] = sanitize(reply.group(1))[:EVIDENCE_CHARS]
        self.emit(
            self.event(kind, mac or "", line, text, rec.time, attrs, ap=rec.ap, stage=_reason_stage(attrs))
        )

    # ---- tables --------------------------------------------------------------------------------------
    def online_fail_row(self, number: int, text: str) -> None:
        row = _first_record(self.row_fsm, text)
        if row is None:
            self.not_recognised(number)
            return
        self.summary.records += 1
        reason_text = row["REASON"]
        hit = hm.lookup_reason("online_fail", reason_text)
        reason, stage = hit if hit else ("unknown", "association")
        if hit is None:
            self.summary.problem(
                number, f"online-fail reason not in the knowledge base: {sanitize(reason_text)[:120]}"
            )
        attrs = {
            "reason": reason,
            "reason_text": reason_text,
            "device_type": row["DEVICE_TYPE"],
            "device_id": row["DEVICE_ID"],
        }
        self.emit(
            self.event(
                "online_fail.record",
                row["STA_MAC"],
                number,
                text,
                _table_time(row["TIME"]),
                attrs,
                stage=Stage(stage),
                ap=row["DEVICE_NAME"],
                radio=int(row["RADIO"]),
                wlan=int(row["WLAN"]),
            )
        )

    def quiet_row(self, number: int, text: str) -> bool:
        """A row of ``display dot1x quiet-user all``: a station refused for N more seconds."""
        q = _QUIET_ROW.match(text)
        if q is None:
            return False
        self.emit(self.event("dot1x.quiet", q.group(1), number, text, None, {"remaining_s": int(q.group(2))}))
        return True

    def blocked_row(self, number: int, text: str) -> bool:
        """A row of ``display remote-user authen-fail blocked``: a user name the AC refuses for a while. It
        names no station: a station-less event, cited for the stations of that user (kb.engine)."""
        row = _first_record(self.blocked_fsm, text)
        if row is None:
            return False
        self.summary.records += 1
        attrs = {
            "user": row["USERNAME"],
            "retry_interval_min": int(row["INTERVAL"]),
            "time_left_min": int(row["TIME_LEFT"]),
            "block_duration_min": int(row["BLOCK_DURATION"]),
            "blocked_at": row["BLOCK_TIME"],
        }
        self.emit(self.event("aaa.user_blocked", "", number, text, _table_time(row["BLOCK_TIME"]), attrs))
        return True

    def ap_fail_row(self, number: int, text: str) -> bool:
        """A row of ``display ap online-fail-record``: an AP that could not go online (blacklisted, not
        authorised, ...).  It names no station: a station-less event, context for stations that cannot
        find their WLAN."""
        row = _first_record(self.ap_fail_fsm, text)
        if row is None:
            return False
        self.summary.records += 1
        attrs = {"ap_mac": normalize_mac(row["AP_MAC"]), "reason_text": sanitize(row["REASON"])}
        self.emit(self.event("ap.online_fail", "", number, text, _table_time(row["TIME"]), attrs))
        return True

    def roam_line(self, number: int, text: str) -> bool:
        """A line of ``display station roam-track sta-mac M`` (True when it was one).  Each record takes two
        lines (roam type, AP-AC IP, AC-AC IP, AP name, radio; then BSSID, time, in/out RSSI, rates) and
        names no station: it is the command's.  A record is the AC's word that the station was associated
        with that AP then (an online record, with its RSSI for the weak-signal context)."""
        assert self.roam is not None
        if text.startswith("Access SSID:"):
            self.roam = (self.roam[0], text[12:].strip() or None)
            return True
        if text.startswith(("Rx/Tx:", "s: Same", "L2/L3", "BSSID")):
            return True
        if text.startswith("Number:"):
            self.table = self.roam = None
            return True
        if self.roam_first is None:
            if _ROAM_FIRST.match(text):
                self.roam_first = (number, text)
                return True
            return False
        first_number, first_text = self.roam_first
        self.roam_first = None
        row = _first_record(self.roam_fsm, f"{first_text}\n{text}")
        if row is None:
            self.not_recognised(first_number)
            return False
        self.summary.records += 1
        attrs: dict[str, Any] = {"roam_type": row["ROAM_TYPE"]}
        for key, value in (("rssi", row["RSSI_IN"]), ("rssi_out", row["RSSI_OUT"])):
            if value != "-":
                attrs[key] = int(value)
        for key, value in (("rx_rate", row["RX_RATE"]), ("tx_rate", row["TX_RATE"])):
            if value != "-":
                attrs[key] = int(value)
        station, ssid = self.roam
        event = self.event(
            "sta.roam_record",
            station,
            first_number,
            f"{first_text} / {text}",
            _table_time(row["TIME"]),
            attrs,
            ap=row["AP_NAME"],
            ssid=ssid,
            radio=int(row["RADIO"]),
        )
        event.bssid = normalize_mac(row["BSSID"])
        self.emit(event)
        return True

    def finish_aaa(self) -> None:
        block, self.aaa_block = self.aaa_block, []
        self.aaa_fsm.Reset()
        rows = self.aaa_fsm.ParseTextToDicts("\n".join(t for _, t in block) + "\n" + "-" * 20 + "\n")
        reason_line = next(((n, t) for n, t in block if t.startswith("User online fail reason")), None)
        if not rows:
            if reason_line is not None:
                # "User online fail reason : X" quoted without its block: keep it for the next station seen.
                self.orphan = reason_line
            return
        row = rows[0]
        self.summary.records += 1
        if not row["FAIL_REASON"] or reason_line is None:
            return
        hit = hm.lookup_reason("aaa_fail", row["FAIL_REASON"])
        reason, stage = hit if hit else ("unknown", "802.1x")
        # (a web or MAC user authenticates once it has its address: its failure is at authorization; told
        # by this record alone, so a file read in byte ranges gives the same)
        access = hm.lookup_reason("access_type", row["ACCESS_TYPE"] or "")
        if access is not None and stage == Stage.DOT1X:
            stage = access[1]
        if hit is None:
            self.summary.problem(
                reason_line[0],
                f"AAA fail reason not in the knowledge base: {sanitize(row['FAIL_REASON'])[:120]}",
            )
        attrs: dict[str, Any] = {
            "reason": reason,
            "reason_text": row["FAIL_REASON"],
            "user": row["USER_NAME"],
        }
        if row["REPLY_MESSAGE"] and row["REPLY_MESSAGE"] != "-":
            attrs["reply_message"] = row["REPLY_MESSAGE"]
        nt = NUMERIC_TIME.search(row["LOGIN_TIME"] or "")
        self.emit(
            self.event(
                "aaa_fail.record",
                row["USER_MAC"],
                reason_line[0],
                reason_line[1],
                _or_bad(parse_numeric_time(nt)) if nt else None,
                attrs,
                stage=Stage(stage),
                ap=row["AP_MAC"] or None,
                ssid=row["SSID"] or None,
                radio=int(row["RADIO_ID"]) if row["RADIO_ID"] else None,
                wlan=int(row["WLAN_ID"]) if row["WLAN_ID"] else None,
            )
        )

    # ---- syslog and traps ----------------------------------------------------------------------------
    def syslog(self, number: int, text: str, t: float | None) -> None:
        if t is None:
            tm = HUAWEI_DEBUG_TIME.search(text[:80])
            t = _or_bad(parse_debug_time(tm)) if tm else None
        self.summary.records += 1
        if "(" in text and "=" in text and ("OID" in text or "DHCPSNP" in text or "Client MAC" in text):
            # (the key list opens after the tag's colon; a mangled line may have its "(" only before it)
            paren = text.find("(", max(text.find(":"), 0))
            body = text[paren if paren >= 0 else text.index("(") :]
            kv = _paren_fields(body)
        else:
            body = text.split("]", 1)[1] if "]" in text else text
            kv = _semi_fields(body)
        mac = kv.get("StaMac") or kv.get("Client MAC Address") or kv.get("MAC") or kv.get("STAMAC")
        if not mac or not _MAC_FULL.fullmatch(mac):
            self.summary.problem(number, "syslog record without a station MAC, skipped")
            return
        if t is None:
            # a header whose stamp did not come through (a paste that lost the month): the record's own
            # TIME (WLAN_LOG_USER: seconds since the epoch, UTC, beside its ZONE), else said and borrowed
            own = kv.get("TIME", "")
            t = float(own) if _is_int(own) and in_range(float(own)) else None
            if t is None and self.last_time is not None:
                t = BAD_STAMP
        ap = kv.get("APNAME") or kv.get("APName") or kv.get("ApName")
        ssid = kv.get("SSID") or kv.get("Ssid")
        attrs: dict[str, Any] = {}
        stage: Stage | None = None
        if "WLAN_STA_INFO_ONLINE_FAIL" in text:
            kind, table, reason_text = "online_fail.record", "online_fail", kv.get("RESULT", "")
        elif "WLAN_STA_INFO_AP_ASSOCIATE" in text:
            reason_text = kv.get("RESULT", "")
            kind, table = (
                ("assoc.response" if reason_text.lower() == "success" else "assoc.failure"),
                "assoc_result",
            )
        elif "WLAN_STA_OFFLINE_INFO" in text:
            kind, table, reason_text = "offline.record", "offline", kv.get("OFFLINEREASON", "")
        elif "DHCPSNP_ONLINE_FAIL" in text:
            kind, table, reason_text = "dhcp.failure", "dhcp_fail", kv.get("Failure Reason", "")
        elif "STATION_OFFLINE_NOTIFY" in text:
            kind, table, reason_text = "sta.offline", "", ""
            rssi = kv.get("StaRssi", "")
            if _is_int(rssi):
                attrs["rssi"] = int(rssi)
        else:  # STA_ASSOCIATION_FAIL / STA_AUTH_FAIL traps carry the raw 802.11 code
            code_type = kv.get("StaFailCodeType", "")
            code = kv.get("StaAuthenticationFailCause", "")
            kind = "assoc.reject" if "ASSOCIATION" in text else "auth.reject"
            if _is_int(code):
                attrs["status" if code_type.strip() == "2" else "reason"] = int(code)
            reason_text = (
                kv.get("StaAssociationFailCauseStr") or kv.get("StaAuthenticationFailCauseStr") or ""
            )
            table = ""
        if reason_text:
            attrs["reason_text"] = reason_text
        if table:
            hit = hm.lookup_reason(table, reason_text)
            if hit:
                attrs["reason"], st = hit
                stage = Stage(st)
            else:
                attrs["reason"] = "unknown"
                if reason_text:
                    self.summary.problem(
                        number, f"reason not in the knowledge base: {sanitize(reason_text)[:120]}"
                    )
        self.emit(self.event(kind, mac, number, text, t, attrs, stage=stage, ap=ap, ssid=ssid))

    # ---- building events -----------------------------------------------------------------------------
    def bad_stamp(self, line: int, attrs: dict[str, Any]) -> float | None:
        """A record whose stamp is out of range: said once, and given the record before's time."""
        if line != self.bad_stamp_line:
            self.bad_stamp_line = line
            self.summary.problem(line, STAMP_PROBLEM.replace("line", "record"))
        if self.last_time is not None:
            attrs["time_inferred"] = True
        return self.last_time

    def event(
        self,
        kind: str,
        mac: str,
        line: int,
        text: str,
        t: float | None,
        attrs: dict[str, Any],
        *,
        stage: Stage | None = None,
        ap: str | None = None,
        ssid: str | None = None,
        radio: int | None = None,
        wlan: int | None = None,
    ) -> Event:
        if t is None:
            t = self.last_time
        elif t == BAD_STAMP:
            t = self.bad_stamp(line, attrs)
        else:
            self.last_time = t
        station = normalize_mac(mac) if mac else ""
        if station and self.orphan is not None:
            # A fail reason quoted without its block belongs to the station traced right after it.
            n, otext = self.orphan
            self.orphan = None
            extra = self._orphan_event(station, n, otext, t)
            if extra is not None:
                self.queue.append(extra)
        if ap is not None:
            ap = self.ap_name(ap)
        if len(text) > EVIDENCE_CHARS:
            text = text[:EVIDENCE_CHARS]
        return Event(
            kind,
            station,
            stage or KINDS[kind].stage,
            SourceRef(self.source, line, sanitize(text)),
            t,
            self.next_seq(line),
            ap,
            None,
            radio if radio is not None else attrs.get("radio"),
            wlan if wlan is not None else attrs.get("wlan"),
            ssid,
            attrs,
        )

    def ap_name(self, name: str) -> str:
        """One string per AP name, not one per event.  (Bounded: a hostile input may name a new AP on
        every line, and memory must not grow with the input.)"""
        if len(self.names) >= _NAMES_CACHED:
            self.names.clear()
        return self.names.setdefault(name, name)

    def next_seq(self, line: int) -> int:
        if line != self.seq_line:
            self.seq_line, self.seq_k = line, 0
        self.seq_k += 1
        return line * 1_000_000 + self.seq_k

    def _orphan_event(self, station: str, line: int, text: str, t: float | None) -> Event | None:
        reason_text = text.split(":", 1)[1].strip()
        hit = hm.lookup_reason("aaa_fail", reason_text)
        if hit is None:
            return None
        return Event(
            kind="aaa_fail.record",
            station=station,
            stage=Stage(hit[1]),
            ref=SourceRef(self.source, line, sanitize(text[:EVIDENCE_CHARS])),
            time=t,
            seq=self.next_seq(line),
            attrs={"reason": hit[0], "reason_text": reason_text},
        )


_NOISE = object()
_Found = tuple[str, dict[str, Any], str] | None
_AP_TABLES = (hm.WSRV_MESSAGES, hm.AC_MESSAGES)
_AC_TABLES = (hm.AC_MESSAGES,)
_KINDS_CACHED = 2048  # message texts remembered per cache (cleared when full: a few hundred recur)


def _classify(cache: dict[str, _Found], tables: tuple[Any, ...], msg: str) -> _Found:
    """``hm.classify`` over ``tables`` in order, remembered by message text.  The attributes are copied
    for each event: events' attributes are changed later (timeline compaction counts on them)."""
    try:
        found = cache[msg]
    except KeyError:
        found = None
        for table in tables:
            found = hm.classify(table, msg)
            if found is not None:
                break
        if len(cache) >= _KINDS_CACHED:
            cache.clear()
        cache[msg] = found
    if found is None:
        return None
    kind, attrs, needle = found
    return kind, dict(attrs), needle


def _is_bookkeeping(raw: bytes) -> bool:
    """The commonest records of a station-trace, which say nothing about the station: WLAN_WIFI relay
    bookkeeping (software switch, rx reorder, sending to target), WLAN_AP key-frame receipts and AC
    acknowledgements.  Half of a trace is these; they are skipped before decoding."""
    return (
        len(raw) <= _SPLIT_OVER
        and b"BTRACE" in raw
        and (
            (
                b"[WLAN_WIFI]" in raw
                and not raw.endswith((b"air", b"target", b"air\r", b"target\r"))
                and b"Fail to" not in raw
            )
            or _ap_noise(raw)
            or (raw.startswith(b"[BTRACE]") and _AC_NOISE_RX.search(raw) is not None)
        )
    )


def _ap_noise(raw: bytes) -> bool:
    """A WLAN_AP key-frame or EAP packet receipt: the WLAN_WIFI records around it say what matters."""
    return b"(WLAN_AP)" in raw and (
        b"Receive eapol-key message" in raw or (b"receive eap pkt" in raw and b"EAPoL-Start" not in raw)
    )


_MONTHS = frozenset(
    (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec")
)


_STATUS = re.compile(rb"status\[(\d+)\]")
# <7>Mar 05 2021 18:06:10.270.3 AP01 WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][mac]:SeqNo[4264] [EAPOL] EAPOL key handshake 1/4 payload[117] elapsed[0 ms] Success to send pkt to air
_WIFI_FAST = re.compile(
    rb"(?:<\d{1,3}>)?(?P<base>[A-Z][a-z]{2} +\d{1,2} \d{4} \d{2}:\d{2}:\d{2})(?:\.(?P<ms>\d{1,3}))?(?:\.\d+)?(?P<tz>[+-]\d{2}:\d{2})? "
    rb"(?P<host>\S+) WIFI/?\d/BTRACE:\[BTRACE\]\[WLAN_WIFI\]\[(?P<mac>[^\]]+)\]:SeqNo\[(?P<sn>\d+)\] \[\w+\] "
    rb"(?P<pkt>.{1,200}?) payload\[(?P<len>\d+)\](?P<act>.*)$"
)
_AC_NOISE = (
    b"successfully",
    b"[WADP]",
    b"Begin to process STA associate",
    b"End to process STA",
    b"Process add STA",
    b"Initiate eapol start",
    b"Parse STA (re)associate request",
    b"message to AAA",
    b"Sta table aging",
    b"AAA_RD_MSG_AUTHENACK",
)
_AC_NOISE_RX = re.compile(b"|".join(re.escape(n) for n in _AC_NOISE))
_WIFI_KINDS = [(p.encode(), a.encode(), k) for p, a, k in hm.WIFI_PACKETS]
_KIND_STAGE = {k: info.stage for k, info in KINDS.items()}
_STATIONS_CACHED = 65536
_NAMES_CACHED = 65536  # AP names kept for sharing


# The caches below: a whole trace holds a few dozen (packet, action) pairs and one time stamp per second.
# Records arrive in about time order, so the last TIME_CACHE seconds are all a time cache needs: a larger
# one grew with the time a trace spans (65,536 entries, about 36 MiB a process, were full at 5 GiB).
TIME_CACHE = 1024


@lru_cache(maxsize=4096)
def _wifi_kind(pkt: bytes, action: bytes) -> str | None:
    return next((kind for p, a, kind in _WIFI_KINDS if p in pkt and a in action), None)


# What the time helpers give for a stamp that is there but out of range or not a real date: never a
# time (the readers check every time against the years a log can carry); ``event`` says so and uses the
# record before's time.
BAD_STAMP = -1.0


def _or_bad(t: float | None) -> float:
    return BAD_STAMP if t is None else t


@lru_cache(maxsize=TIME_CACHE)
def _second(base: bytes, tz: bytes | None) -> float | None:
    return _debug_time(base.decode("ascii") + (tz.decode("ascii") if tz else ""))


@lru_cache(maxsize=TIME_CACHE)
def _ac_time(ts: str) -> float | None:
    """The time of an AC trace header ("2021/03/05 08:00:00"); consecutive records share it."""
    nt = NUMERIC_TIME.search(ts)
    return _or_bad(parse_numeric_time(nt)) if nt else None


def _debug_time(ts: str) -> float | None:
    """The time of an AP debug record ("Mar 05 2021 18:06:10.270.1", with or without "+08:00")."""
    m = HUAWEI_DEBUG_TIME.match(ts)
    return _or_bad(parse_debug_time(m)) if m else None


def _reason_stage(attrs: dict[str, Any]) -> Stage | None:
    """AAA fail codes name their own stage (code 16 is authorization, not 802.1X)."""
    code = attrs.get("code")
    if "reason" in attrs and code is not None:
        hit = hm.reason_tables()["aaa_fail_code"].get(str(code))
        if hit:
            return Stage(hit[1])
    return None


def _first_record(fsm: textfsm.TextFSM, text: str) -> dict[str, Any] | None:
    """The first record the TextFSM template ``fsm`` reads from ``text`` (a table row, or the lines of
    one record), or None."""
    fsm.Reset()
    rows = fsm.ParseTextToDicts(text + "\n")
    return rows[0] if rows else None


def _table_time(value: str) -> float | None:
    """A table's time column ("2021-03-05/17:41:56", "2019/04/12 16:52:58", "... +08:00") in epoch seconds."""
    m = NUMERIC_TIME.search(value)
    return _or_bad(parse_numeric_time(m)) if m else None


def _key_before(text: str) -> str:
    """The key that ends ``text``: its last run of letters and spaces (a key starts with a letter)."""
    return _NOT_KEY.split(text.rstrip())[-1].strip()


def _semi_fields(body: str) -> dict[str, str]:
    """``KEY:[value];KEY2:[value]`` (also ``KEY[value]``): keys upper-cased, values stripped."""
    fields: dict[str, str] = {}
    for part in body.split(";"):
        for sep in _KV_SEP.finditer(part):
            key = _key_before(part[: sep.start()])
            if not key:
                continue
            rest = part[sep.end() :] if sep.group() == ":" else part[sep.start() :]
            value = _semi_value(rest)
            if value is not None:
                fields[key.upper()] = value
            break
    return fields


def _semi_value(rest: str) -> str | None:
    """``[value]`` or ``value`` (no ``]`` inside), stripped; None otherwise.  Without a regular
    expression: ``\\s*\\[?([^\\]]*)\\]?\\s*`` took seconds on a value of a thousand tabs (fuzz finding)."""
    v = rest.strip()
    if v.startswith("["):
        v = v[1:]
    if v.endswith("]"):
        v = v[:-1]
    return None if "]" in v else v.strip()


def _paren_fields(body: str) -> dict[str, str]:
    """``(Key=value, Key2=value)``: a value runs to the next comma or closing parenthesis."""
    fields: dict[str, str] = {}
    for part in re.split(r"[,)]", body):
        eq = part.find("=")
        while eq >= 0:
            key = _key_before(part[:eq])
            if key:
                fields[key] = part[eq + 1 :].strip()
                break
            eq = part.find("=", eq + 1)
    return fields


def _is_int(s: str) -> bool:
    return hm.INT.fullmatch(s.strip()) is not None


def _split(text: str, scan_from: int = 0) -> list[str]:
    """Cut a (possibly flattened) line at record boundaries; separators become their own pieces.
    ``scan_from``: where to start looking (look-behinds still see the text before it)."""
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text, scan_from):
        s = m.start()
        if m.group().startswith("-"):
            if s > start:
                pieces.append(text[start:s])
            pieces.append(m.group())
            start = m.end()
            continue
        if s > start:
            pieces.append(text[start:s])
        start = s
    pieces.append(text[start:])
    return pieces


PARSER = HuaweiParser()
