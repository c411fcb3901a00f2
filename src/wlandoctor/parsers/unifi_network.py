"""The UniFi Network application (the controller): its client events, as engineers and tools paste them.

- API and websocket messages (``{"meta":{"message":"events"},"data":[{"key":"EVT_WU_Connected","user":
  "<mac>","ap":"<mac>","ssid":"...","time":<ms>,"msg":"User[..] has connected to AP[..] ..."}]}``), whole or
  behind a logger's prefix (Home Assistant's aiounifi DEBUG lines), in the controller's older spaced JSON, or
  printed as a Python dict (aiounifi's "Unsupported event {'guest': ..., 'key': 'EVT_HS_AuthedByNoAuth'}");
- its SIEM syslog (``CEF:0|Ubiquiti|UniFi Network|9.3.43|400|WiFi Client Connected|1|UNIFIclientMac=...``).

An event's key (or CEF id) gives its kind by the catalogue's ``controller_events`` and ``cef_events``
(``parsers/catalogues/unifi.yaml``); the station is the event's ``user`` or ``guest`` (CEF:
``UNIFIclientMac``), a redacted one ("XX:XX:..", "<<user_mac>>") kept as the paste wrote it.  The AP's own
log of the same clients is the ``unifi`` reader's.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from wlandoctor.model import InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.sources import Input, sanitize
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int
from wlandoctor.util.times import in_range

MAX_READ = 262144  # characters of a line read (a websocket message can hold many events)
MAX_RECORD = 8192  # characters of one event's record looked at
MAX_EVENTS_A_LINE = 256
_KEY = re.compile(r"""["'](?:key)["']\s*:\s*["'](EVT_[A-Z]{2,5}_\w{1,60})["']""")
_BARE_KEY = re.compile(r"\b(EVT_[A-Z]{2,5}_\w{1,60})\b")
_FIELD = re.compile(r"""["'](\w{1,40})["']\s*:\s*(?:["']((?:[^"'\\]|\\.){0,400})["']|(-?\d{1,20}))""")
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}")
MAX_SESSION_S = 10 * 366 * 86400  # a connected time the controller records beyond ten years is no session
# a redacted station as a paste writes it: "XX:XX:XX:XX:XX:XX", "52:66:5a:xx:xx:xx", "<<user_mac>>"
_REDACTED = re.compile(r"(?:[0-9A-Fa-fxXyYzZ*]{2}:){5}[0-9A-Fa-fxXyYzZ*]{2}|<<?\w{1,30}>>?")
_CEF = re.compile(r"CEF:\d\|Ubiquiti\|UniFi Network\|[^|]{0,40}\|(\d{1,6})\|([^|]{0,120})\|[^|]{0,10}\|(.*)$")
# a CEF extension's keys ("UNIFIclientMac=..."): a key starts the line or follows a blank, so a value runs to
# the next key (an escaped "\\=" inside a value is no key); found in one pass, each value cut from between
# two keys: a lazy value tried against a lookahead rescanned a run of blanks at every step (quadratic)
_CEF_KEY = re.compile(r"(?:^|(?<=\s))(\w{1,60})=")
MAX_CEF_VALUE = 2048


def _cef_fields(extension: str) -> dict[str, str]:
    """The key=value fields of a CEF extension, values stripped and cut to MAX_CEF_VALUE characters."""
    keys = list(_CEF_KEY.finditer(extension))
    out = {}
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(extension)
        out[m.group(1)] = extension[m.end() : end].strip()[:MAX_CEF_VALUE]
    return out


def _record(text: str, at: int) -> str:
    """The flat record (``{...}``) around position ``at``: from the brace before it to the brace after."""
    start = text.rfind("{", max(0, at - MAX_RECORD), at)
    end = text.find("}", at, at + MAX_RECORD)
    return text[start + 1 if start >= 0 else max(0, at - MAX_RECORD) : end if end >= 0 else at + MAX_RECORD]


_DURATION_PART = re.compile(r"(\d{1,6}) ?([dhms])\b")


def _duration(text: str) -> int | None:
    """Seconds of the controller's "31m 59s", "2h 5m", "1d 3h"."""
    parts = _DURATION_PART.findall(text)
    if not parts:
        return None
    unit = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    return sum(int(n) * unit[u] for n, u in parts)


def _station(value: str | None) -> str | None:
    if not value:
        return None
    if _MAC.fullmatch(value):
        return normalize_mac(value)
    return sanitize(value) if _REDACTED.fullmatch(value) else None


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.events: dict[str, dict[str, Any]] = dict(cat.tables.get("controller_events") or {})
        self.cef: dict[int, dict[str, Any]] = {
            int(k): dict(v) for k, v in (cat.tables.get("cef_events") or {}).items()
        }
        self.said_redacted = False

    def about_clients(self, text: str) -> bool:
        return "EVT_W" in text or "EVT_HS_" in text or "WiFi Client" in text

    def line(self, text: str) -> bool:
        if "CEF:" in text:
            m = _CEF.search(text)
            if m is not None:
                return self.cef_event(int(m.group(1)), m.group(3))
        if "EVT_" not in text:
            return False
        understood = False
        for n, key in enumerate(_KEY.finditer(text)):
            if n >= MAX_EVENTS_A_LINE:
                break
            understood = self.event(key.group(1), _record(text, key.start())) or understood
        if not understood and _KEY.search(text) is None:
            # a key named outside any record (aiounifi's "Unsupported event key EVT_HS_AuthedByNoAuth", the
            # warning's first line): the event itself is the record that follows
            named = _BARE_KEY.search(text)
            return named is not None and named.group(1) in self.events
        return understood

    def event(self, key: str, record: str) -> bool:
        """One API event: its kind by its key, its station, AP, SSID and time from its fields."""
        if key not in self.events:
            return False  # (a key the table does not know: said as not understood when it looks relevant)
        entry = self.events[key]
        kind = entry.get("kind")
        if not kind:
            return True
        fields: dict[str, str] = {}
        for name, text, number in _FIELD.findall(record):
            fields.setdefault(name, text if text else number)
        station = _station(fields.get("user") or fields.get("guest") or fields.get("client"))
        if station is None:
            return False
        self.note_redacted(station)
        attrs: dict[str, Any] = {**(entry.get("attrs") or {}), "daemon": "unifi", "event_key": key}
        if fields.get("msg"):
            attrs["controller_message"] = sanitize(fields["msg"].replace('\\"', '"')[:300])
        ap = _station(fields.get("ap") or fields.get("ap_to"))
        bssid = ap if ap and ":" in ap else None
        attrs["ssid"] = fields.get("ssid") or None
        t = self.time_of(fields)
        duration = as_int(fields.get("duration"), 40, signed=False)  # (an absurd one is said below)
        if duration is not None:
            attrs["duration_s"] = duration
        self.connected_before(kind, station, t, duration, attrs, ap, bssid)
        self.add(kind, station, t, attrs, ap=ap, bssid=bssid)
        return True

    def connected_before(
        self,
        kind: str,
        station: str,
        t: float | None,
        duration: int | None,
        attrs: dict[str, Any],
        ap: str | None,
        bssid: str | None,
    ) -> None:
        """A disconnection the controller records with the time the client was connected: it had been online
        that long (its own record says so), placed at the start of that time."""
        if kind != "sta.offline" or not duration or attrs.get("what"):
            return
        start = t - duration if t is not None else None
        if duration > MAX_SESSION_S or (start is not None and not in_range(start)):
            self.summary.problem(
                self.number,
                f"a client's connected time of {duration} s is not a session: its start is not placed",
            )
            return
        said = {**attrs, "what": "connected-for", "duration_s": duration}
        self.add("sta.online", station, start, said, ap=ap, bssid=bssid)

    def cef_event(self, event_id: int, extension: str) -> bool:
        """One SIEM event: its kind by its id, its client, AP, SSID and address from the UNIFI fields."""
        entry = self.cef.get(event_id)
        fields = _cef_fields(extension)
        if entry is None:
            # (a device's or an administrator's event is read with no event; a client's the table does not
            # know is said as not understood)
            return "UNIFIclientMac" not in fields
        kind = entry.get("kind")
        station = _station(fields.get("UNIFIclientMac"))
        if not kind or station is None:
            return bool(not kind)
        ap = fields.get("UNIFIconnectedToDeviceName") or fields.get("UNIFIlastConnectedToDeviceName")
        attrs: dict[str, Any] = {"daemon": "unifi", "cef_id": event_id, "ssid": fields.get("UNIFIwifiName")}
        if fields.get("UNIFIclientIp"):
            attrs["ip"] = fields["UNIFIclientIp"]
        rssi = fields.get("UNIFIWiFiRssi") or fields.get("UNIFIlastConnectedToWiFiRssi") or ""
        level = as_int(rssi, 4)
        if level is not None:
            attrs["rssi"] = level
        if fields.get("msg"):
            attrs["controller_message"] = sanitize(fields["msg"][:300])
        t = self.header_time_of_line()
        duration = _duration(fields.get("UNIFIduration", ""))
        self.connected_before(kind, station, t, duration, attrs, ap, None)
        self.add(kind, station, t, attrs, ap=ap)
        return True

    def time_of(self, fields: dict[str, str]) -> float | None:
        """The event's time: its epoch milliseconds, else its ISO datetime."""
        ms = fields.get("time", "")
        n = as_int(ms, 16, signed=False)
        if n is not None and 9 <= len(ms) <= 16:
            t = n / 1000.0
            return self.checked(t)
        iso = fields.get("datetime", "")
        try:
            return (
                self.checked(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()) if iso else None
            )
        except ValueError:
            return None

    def checked(self, t: float) -> float | None:
        return t if in_range(t) else None

    def header_time_of_line(self) -> float | None:
        """A SIEM line's time: its syslog header's (the controller's own, or a relay's before it)."""
        return self.header_time(split_prefix(self.text))

    def note_redacted(self, station: str) -> None:
        if not self.said_redacted and not _MAC.fullmatch(station):
            self.said_redacted = True
            self.summary.notes.append(
                f"the station is written {station!r} in the input (redacted): stations redacted alike are one here"
            )


class UnifiNetworkParser(CatalogueParser):
    name = "unifi-network"
    description = (
        "UniFi Network application (controller) client events: API / websocket JSON, SIEM CEF syslog"
    )
    example = (
        '{"key":"EVT_WU_Connected","user":"ea:5b:28:b2:00:b5","ap":"d0:21:f9:89:df:f9","ssid":"Home",'
        '"msg":"User[ea:5b:28:b2:00:b5] has connected to AP[d0:21:f9:89:df:f9] with SSID \\"Home\\" on \\"channel 40(na)\\""}'
    )
    catalogue = "unifi"
    max_read = MAX_READ
    sniffs = re.compile(
        rb"""["']key["']\s*:\s*["']EVT_(?:W[UGC]|HS|AD)_\w{1,40}["']|CEF:\d\|Ubiquiti\|UniFi Network\|"""
    )
    scores = (70, 90)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = UnifiNetworkParser()
