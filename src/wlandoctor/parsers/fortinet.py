"""Fortinet FortiGate / FortiAP: the FortiGate's event log (wireless events, and its DHCP server's ACK log)
as a syslog server, FortiAnalyzer's raw view or ``execute log display`` shows it.

A line is ``key=value`` fields (a value quoted when it may hold spaces), behind whatever header a syslog
server adds: ``date=2019-01-30 time=14:09:52 logid="0104043681" type="event" subtype="wireless" ...
stamac="f0:98:9d:76:64:c4" ... msg="..."``.  An event is told by its log id (``01040`` + Fortinet's message
id), never by its words, which change between FortiOS versions: ``catalogues/fortinet.yaml`` gives each
wireless message id its event kind.  The time is ``date`` and ``time`` in the FortiGate's time zone, made
UTC with ``tz`` when the line carries it (FortiOS 6.2 and later); ``eventtime`` when there is no date.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model import InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int
from wlandoctor.util.times import in_range

MAX_READ = 8192  # characters of a line looked at (a wireless event with every field is about 900)

# key=value and key="value": a key, then a quoted value (no quote inside) or a bare one
_FIELD = re.compile(r'(?<![\w-])([a-z_][a-z0-9_]{0,31})=(?:"([^"]{0,4096})"|([^\s"]{0,512}))')
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})")
_TZ = re.compile(r"([+-])(\d{2}):?(\d{2})")
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_REASON_CODE = re.compile(r"(?<!\S)(\d{1,4})$")
_SNIFF = re.compile(rb'\blogid="?01(?:04043\d{3}|00026001)"? type="?event"? subtype="?(?:wireless|system)\b')


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        ids = cat.tables.get("wireless_ids") or {}
        self.ids: dict[int, dict[str, Any]] = {int(k): dict(v) for k, v in ids.items()}

    def about_clients(self, text: str) -> bool:
        """(a wireless event, or one of the DHCP server's, is about clients whatever its id)"""
        return "0104043" in text or "stamac=" in text

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a log known to carry none)."""
        if "logid=" not in text:
            return False
        body = message_of(text)
        found = self.cat.match(body)
        if found is None:
            return False
        spec, m = found
        fields = {k: (q if q is not None and q != "" else b) for k, q, b in _FIELD.findall(body)}
        if spec.handler == "dhcp_ack":
            return self.dhcp_ack(fields)
        entry = self.ids.get(int(m.group("msgid")))
        if entry is None:
            return False  # (a wireless event of an id not in the table: said as not understood)
        kind = entry.get("kind")
        if kind is None:
            return True
        station = _mac(fields.get("stamac"))
        if station is None:
            return False
        attrs: dict[str, Any] = {**entry.get("attrs", {}), "daemon": "fortinet"}
        for key in ("ssid", "vap", "radioband", "security"):
            if fields.get(key) and fields[key] != "N/A":
                attrs[key] = fields[key]
        for key, name in (("channel", "channel"), ("snr", "snr")):
            n = _int(fields.get(key))
            if n is not None and 0 <= n < 1000:
                attrs[name] = n
        signal = _int(fields.get("signal"))
        if signal is not None and -150 < signal < 0:
            attrs["rssi"] = signal
        user = fields.get("user")
        if user and user != "N/A":
            attrs["identity"] = user
        reason = fields.get("reason")
        if reason and reason != "Reserved 0":
            attrs["reason_text"] = reason
            code = _REASON_CODE.search(reason)
            if code is not None and 0 < int(code.group(1)) < 1024:
                attrs["reason"] = int(code.group(1))
        ip = fields.get("srcip")
        if kind == "dhcp.ack":
            if not _is_address(ip):
                return True  # (an address event without an address: understood, nothing to tell)
            attrs["ip"] = ip
        ap = fields.get("ap") or fields.get("sn") or None
        self.add(kind, station, self.time(fields), attrs, ap=ap, bssid=_mac(fields.get("bssid")))
        return True

    def dhcp_ack(self, fields: dict[str, str]) -> bool:
        station = _mac(fields.get("mac"))
        if station is None:
            return False
        attrs: dict[str, Any] = {"daemon": "fortinet", "told_by": "dhcp-server"}
        if _is_address(fields.get("ip")):
            attrs["ip"] = fields["ip"]
        if fields.get("interface"):
            attrs["interface"] = fields["interface"]
        self.add("dhcp.ack", station, self.time(fields), attrs)
        return True

    def time(self, f: dict[str, str]) -> float | None:
        """``date`` + ``time`` (made UTC by ``tz`` when given), else ``eventtime`` (seconds, or nano- micro-
        or milliseconds, told by its size); out of range or impossible, a problem of the line."""
        d, t = _DATE.fullmatch(f.get("date", "")), _TIME.fullmatch(f.get("time", ""))
        if d is not None and t is not None:
            y, mo, da = (int(x) for x in d.groups())
            hh, mi, ss = (int(x) for x in t.groups())
            at = self.dated(mo, da, hh, mi, ss, year=y)
            tz = _TZ.fullmatch(f.get("tz", ""))
            if at is not None and tz is not None:
                sign = 1 if tz.group(1) == "+" else -1
                at -= sign * (int(tz.group(2)) * 3600 + int(tz.group(3)) * 60)
            return at
        raw = f.get("eventtime", "")
        n = as_int(raw, 20, signed=False)
        if n is not None:
            while n > 10**11:  # (ns, us or ms since the epoch: seconds have at most 11 digits until 5138)
                n //= 1000
            if in_range(float(n)):
                return float(n)
            self.bad_stamp()
        return None


def _mac(v: str | None) -> str | None:
    return normalize_mac(v) if v and _MAC.fullmatch(v) else None


def _is_address(v: str | None) -> bool:
    return bool(v) and v != "0.0.0.0" and _IPV4.fullmatch(v or "") is not None


def _int(v: str | None) -> int | None:
    if v is None or not 0 < len(v) <= 9:
        return None
    try:
        return int(v)
    except ValueError:
        return None


def message_of(line: str) -> str:
    """The part of a line the catalogue sees: from its date (or its log id) on."""
    start = line.find("logid=")
    if start < 0:
        return line
    head = line.rfind("date=", 0, start)
    return line[head if head >= 0 else start :]


class FortinetParser(CatalogueParser):
    name = "fortinet"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = (
        "Fortinet FortiGate event log: FortiAP wireless events and the DHCP server's ACK log (key=value)"
    )
    example = (
        'date=2019-01-30 time=14:09:52 logid="0104043681" type="event" subtype="wireless" level="notice" '
        'vd="vdom1" logdesc="Probe request from wireless station" ap="PS221E3X16000022" ssid="Guest-11" '
        'stamac="f0:98:9d:76:64:c4" action="probe-req"'
    )
    catalogue = "fortinet"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (60, 85)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = FortinetParser()
