"""Windows Network Policy Server's own log (the "DTS Compliant" format NPS writes to
%SystemRoot%\\System32\\LogFiles\\IN*.log, or to SQL Server): one ``<Event>`` a line, its RADIUS attributes
as elements (``<Calling-Station-Id data_type="1">f8-1e-df-e8-84-5a</Calling-Station-Id>``).

A request (``Packet-Type`` 1) names the station (``Calling-Station-Id``); NPS's answer (2 Access-Accept, 3
Access-Reject, 11 Access-Challenge) names it only through the ``Class`` both carry, so the request's station
is remembered by its Class (bounded), and by its user name when the answer has no Class.  A reject's
``Reason-Code`` is NPS's reason (the ``windows`` catalogue's ``nps_reasons``, shared with the 6273 events of
the Security log).  Accounting records (4, 5) carry no onboarding step; a VPN's or a dial-up port's request
(``NAS-Port-Type`` not 802.11 nor Ethernet) is no station's.  ``Timestamp`` is NPS's local time
(``MM/DD/YYYY hh:mm:ss.mmm``), read as UTC as the project reads every time without a zone.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.sources import Input, sanitize
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int

MAX_READ = 65536  # characters of a line looked at (a record is about 2,000)
MAX_REMEMBERED = 4096  # requests remembered by Class and by user name (oldest forgotten)
# an element and its text (an attribute's value never holds "<": NPS escapes it)
_FIELD = re.compile(r"<([A-Za-z][\w-]{0,63})(?: data_type=\"\d{1,2}\")?>([^<]{0,2048})</\1>")
_STAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,3}))?")
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{12}")
_SNIFF = re.compile(
    rb"<Event><Timestamp data_type=\"4\">[^<]{8,40}</Timestamp>.{0,400}?<(?:Event-Source|Computer-Name)"
)
# Packet-Type -> event; accounting (4, 5) and the rest: known, no event
_PACKETS = {1: "radius.request", 2: "radius.accept", 3: "radius.reject", 11: "radius.challenge"}
_STATION_PORTS = ("19", "15", "")  # NAS-Port-Type: Wireless-802.11, Ethernet (802.1X on a switch), not said


def nps_reason(code: int | None, table: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The attributes NPS's Reason Code gives a reject (``nps_reasons``): its code, name and what the rules
    take (credential, policy, certificate, method)."""
    if code is None or code == 0:
        return {}
    out: dict[str, Any] = {"reason_code": code}
    entry = table.get(code)
    if entry is not None:
        out["reason_name"] = entry.get("name")
        if entry.get("meaning"):
            out.setdefault("reason", entry["meaning"])
        out.update(entry.get("attrs") or {})
    return out


def reasons_of(cat: Catalogue) -> dict[int, dict[str, Any]]:
    return {int(k): dict(v) for k, v in (cat.tables.get("nps_reasons") or {}).items()}


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.reasons = reasons_of(cat)
        self.by_class: dict[str, str] = {}
        self.by_user: dict[str, str] = {}

    def about_clients(self, text: str) -> bool:
        return "<Event>" in text and "Packet-Type" in text

    def line(self, text: str) -> bool:
        if not text.startswith("<Event>"):
            return False  # (said when it looks relevant)
        fields: dict[str, str] = {}
        for m in _FIELD.finditer(text):
            if len(fields) >= 128:
                break
            fields.setdefault(m.group(1), m.group(2).strip())
        packet = as_int(fields.get("Packet-Type"), 3, signed=False)
        kind = _PACKETS.get(packet) if packet is not None else None
        if kind is None:
            return "Packet-Type" in fields  # (accounting, or a record type with no step of its own)
        if fields.get("NAS-Port-Type", "") not in _STATION_PORTS:
            return True  # (a VPN or dial-up port's request: no station)
        klass = fields.get("Class", "")
        user = fields.get("Fully-Qualifed-User-Name") or fields.get("User-Name") or ""
        calling = fields.get("Calling-Station-Id", "")
        station = None
        if calling:
            station = normalize_mac(calling) if _MAC.fullmatch(calling) else sanitize(calling[:40]).lower()
            self.remember(klass, user, station)
        else:
            station = self.by_class.get(klass) if klass else None
            station = station or (self.by_user.get(user) if user else None)
        if station is None:
            return False  # (an answer whose request is not in the input: said as not understood)
        self.text = self.shown(fields)
        attrs: dict[str, Any] = {"daemon": "nps"}
        if user:
            attrs["user"] = sanitize(user[:128])
        if kind == "radius.reject":
            attrs.update(nps_reason(as_int(fields.get("Reason-Code"), 5, signed=False), self.reasons))
        bssid, _, ssid = fields.get("Called-Station-Id", "").partition(":")
        if ssid:
            attrs["ssid"] = sanitize(ssid[:64])
        self.add(
            kind,
            station,
            self.time_of(fields.get("Timestamp", "")),
            attrs,
            bssid=normalize_mac(bssid) if _MAC.fullmatch(bssid) else None,
        )
        return True

    def remember(self, klass: str, user: str, station: str) -> None:
        for table, key in ((self.by_class, klass), (self.by_user, user)):
            if key:
                if len(table) >= MAX_REMEMBERED:
                    table.pop(next(iter(table)))
                table[key] = station

    def time_of(self, stamp: str) -> float | None:
        m = _STAMP.fullmatch(stamp)
        if m is None:
            return None
        mo, d, y, hh, mi, ss = (int(m.group(i)) for i in range(1, 7))
        frac = int(m.group(7)) / 10 ** len(m.group(7)) if m.group(7) else 0.0
        return self.dated(mo, d, hh, mi, ss, frac, year=y)

    @staticmethod
    def shown(fields: dict[str, str]) -> str:
        """The evidence of a record: its time and the fields that tell the step, not its XML."""
        keys = (
            "Timestamp",
            "Packet-Type",
            "Calling-Station-Id",
            "User-Name",
            "Fully-Qualifed-User-Name",
            "Client-Friendly-Name",
            "NP-Policy-Name",
            "Reason-Code",
        )
        return " ".join(f"{k}={fields[k]}" for k in keys if fields.get(k))

    def finish(self) -> list[Event]:
        out, self.out = self.out, []
        return out


class NpsParser(CatalogueParser):
    name = "nps"
    description = "Windows Network Policy Server's log file (DTS compliant XML records, IN*.log)"
    example = (
        '<Event><Timestamp data_type="4">05/19/2014 15:21:44.008</Timestamp><Computer-Name data_type="1">'
        'NPSServer</Computer-Name>...<Packet-Type data_type="0">3</Packet-Type><Reason-Code data_type="0">8'
        "</Reason-Code></Event>"
    )
    catalogue = "windows"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (80, 95)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = NpsParser()
