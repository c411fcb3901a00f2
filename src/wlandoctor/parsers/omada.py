"""TP-Link Omada: the Omada controller's event log of its clients, as a syslog server stores it or as its
webhooks send the text.

A line is a syslog server's header (any form of ``parsers/prefix.py``: ``2024-09-12T09:17:24.601673+01:00
controller_X  ``), the controller's own stamp and site (``2024-09-12 01:17:23 Controller - - - ``), then the
message; a webhook's text is the message alone.  A client is ``[client:<name>:<MAC>]`` (``[client:<MAC>]``, or
``client[MAC: <MAC>]`` in the DHCP server's lines), an AP ``[ap:<name>:<MAC>]``.  The messages are data
(``parsers/catalogues/omada.yaml``).  The syslog server's stamp, which has a zone, dates a line; the
controller's own (its local time, no zone) when there is no other.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model import InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac

SEEN_KEPT = 65_536  # clients remembered (beyond: forgotten, and a later end is read as an end alone)
MAX_READ = 2048  # characters of a line looked at (an event is under 400)
_DURATION = re.compile(r"(?:(\d{1,5})h)?(?:(\d{1,2})m)?(?:(\d{1,2})s)?")
# the controller's own stamp and site: "2024-09-12 01:17:23 Controller - - - "
_OWN = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) (.{1,64}?) - - - ")
_CLIENT = re.compile(r"\[client:(?:([^\]]{0,64}):)?([0-9A-Fa-f]{2}(?:[-:][0-9A-Fa-f]{2}){5})\]")
_NAMED = re.compile(r"(?P<name>.{0,128}):(?P<mac>[0-9A-Fa-f]{2}(?:[-:][0-9A-Fa-f]{2}){5})$")
_SNIFF = re.compile(
    rb"\[client:[^\]\n]{1,160}\] {1,2}(?:\(IP: [^)\n]{1,80}\) {1,2})?(?:is connected to \[|is disconnected from "
    rb"|went (?:online|offline) |failed to connect|is roaming from \[)|DHCP Server allocated IP address "
)
_HEX = re.compile(r"[-:]")
# lines that are about clients whatever their words: never skipped unsaid
_ABOUT_CLIENTS = ("[client:", "client[MAC:")


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.seen: set[str] = set()  # clients the input has told of (bounded: SEEN_KEPT)

    def about_clients(self, text: str) -> bool:
        return any(w in text for w in _ABOUT_CLIENTS)

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a message known to carry none)."""
        p = split_prefix(text)
        dated = p.time is not None or p.yearless is not None or p.timeofday is not None
        time = self.header_time(p) if dated else None
        body = p.body
        own = _OWN.search(body, 0, 200)
        if own is not None:
            if time is None:
                y, mo, d, hh, mi, ss = (int(g) for g in own.groups()[:6])
                time = self.dated(mo, d, hh, mi, ss, 0.0, y)
            body = body[own.end() :]
        body = body.removesuffix("#015").rstrip()  # (rsyslog's escape of a carriage return)
        found = self.cat.read(body)
        if found is None:
            return False
        spec, fields = found
        if spec.kind is None and spec.handler is None:
            return True
        mac = fields.pop("mac", None) or fields.pop("mac2", None)
        fields.pop("mac2", None)
        client = _CLIENT.search(body, 0, 200) if mac is None else None
        if client is not None:
            mac = client.group(2)
        if mac is None:
            return False  # (no client named: said, not guessed)
        station = normalize_mac(mac)
        if "ip2" in fields:
            fields["ip"] = fields.pop("ip2")
        attrs: dict[str, Any] = {**spec.attrs, **fields}
        for key in ("ap", "to_ap", "from_ap"):
            if key in fields:
                attrs[key] = _ap_name(fields[key])
        for key in ("channel", "count"):
            if key in fields:
                attrs[key] = int(fields[key])
        if "duration" in attrs:
            attrs["duration_s"] = _seconds(attrs.pop("duration"))
        if spec.handler == "disconnected":
            to_ap, to_ssid = attrs.pop("to_ap", None), attrs.pop("to_ssid", None)
            self.emit(spec.kind or "sta.offline", station, time, attrs)
            if to_ap is not None:
                self.emit("sta.connected", station, time, {"ap": to_ap, "ssid": to_ssid, "moved": True})
            return True
        assert spec.kind is not None
        self.emit(spec.kind, station, time, attrs)
        return True

    def emit(self, kind: str, station: str, time: float | None, attrs: dict[str, Any]) -> None:
        if station not in self.seen:
            if len(self.seen) >= SEEN_KEPT:
                self.seen.clear()
            self.seen.add(station)
            if kind == "sta.offline":
                # the first the input says of the client is the end of its connection ("went offline ...
                # (5h25m connected)"): it was online before the input began
                self.emit("sta.connected", station, time, {"ap": attrs.get("ap"), "what": "before_input"})
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["daemon"] = "omada"
        ap = attrs.pop("ap", None)
        self.add(kind, station, time, attrs, ap=ap)


def _ap_name(value: str) -> str:
    """An AP's name, or its MAC (normalised) when the controller knows no name ("[ap:<MAC>:<MAC>]")."""
    m = _NAMED.match(value)
    if m is None:
        return value
    name, mac = m.group("name"), m.group("mac")
    if not name or _HEX.sub("", name).lower() == _HEX.sub("", mac).lower():
        return normalize_mac(mac)
    return name


def _seconds(text: str) -> int | None:
    m = _DURATION.fullmatch(text)
    if m is None or not any(m.groups()):
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it (for tests and tools)."""
    body = split_prefix(line).body
    own = _OWN.search(body, 0, 200)
    return (body[own.end() :] if own else body).removesuffix("#015").rstrip()


class OmadaParser(CatalogueParser):
    name = "omada"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = "TP-Link Omada controller event log (its clients: remote syslog, or a webhook's text)"
    example = (
        "[client:76-4B-5C-A6-30-6F:76-4B-5C-A6-30-6F] failed to connect to [ap:EC-75-0C-18-6F-F8:EC-75-0C-18-6F-F8]"
        ' with SSID "Welcome" on channel 64 because the password was wrong.(1 time in the last minute)'
    )
    catalogue = "omada"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (60, 85)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = OmadaParser()
