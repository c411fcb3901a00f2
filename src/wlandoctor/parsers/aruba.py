"""Aruba controllers and Instant APs: the authentication trace buffer (``show auth-tracebuf`` on a
controller, ``show ap debug auth-trace-buf`` on an Instant AP), one row per onboarding step:

    Jul  1 11:50:06  wpa2-key2             ->  04:69:f8:0c:88:a6  b8:3a:5a:8b:36:d1  -  117  mic failure

time (no year), step, direction (``<-`` toward the station or from the RADIUS server, ``->`` from the
station or to the server, ``*`` the AP's own state), the station, the BSSID (``bssid/<server>`` on RADIUS
rows: ``b8:3a:5a:8b:28:12/11 RADIUS``), an id (the EAP or RADIUS id; the VLAN on station-data-ready), a
length, and more (the security on station-up, the identity on eap-id-resp, the server on rad-req, "mic
failure" on wpa2-key2, "server rejected" on eap-failure).  Columns are two spaces or more apart as the
CLI prints them, one space in copies that collapsed them: both are read.  The steps are data
(``parsers/catalogues/aruba.yaml``); the command line, the table's title and ``<none>`` are known.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model import InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.times import MONTHS

MAX_READ = 1024  # a row is far shorter
_MAC = r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}"
_ROW = re.compile(
    r"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) +([a-z][a-z0-9-]{1,40}) +(\*|<-|->) +("
    + _MAC
    + r") +("
    + _MAC
    + r")(?:/\S{1,64}(?: RADIUS)?)? +(\S{1,16}) +(\S{1,16})(?: +(.{1,200}?))? *$"
)
# the lines around the rows: the command, the table's title and rule, an empty buffer
_KNOWN = re.compile(
    r"(?:\S+# *)?show (?:ap debug auth-trace-buf|auth-tracebuf)\b|Auth Trace Buffer$|-{5,}$|<none>$"
)
_SNIFF = re.compile(
    rb"(?m)^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d +(?:station-up|wpa[23]-key\d|eap-[a-z-]+|rad-[a-z]+|station-data-ready) +(?:\*|<-|->) "
)
_NO_BSSID = "00:00:00:00:00:00"


class _Run(LineRun):
    def about_clients(self, text: str) -> bool:
        """(a row of the table names its station, whatever its step)"""
        return _ROW.match(text) is not None

    def line(self, text: str) -> bool:
        m = _ROW.match(text)
        if m is None:
            return _KNOWN.match(text) is not None
        mon, day, hh, mi, ss, step, direction, mac, bssid, ident, _length, more = m.groups()
        found = self.cat.match(f"{step} {more}" if more else step)
        if found is None:
            return False
        spec, fields_m = found
        if spec.kind is None:
            return True
        month = MONTHS.get(mon.lower())
        t = self.years.epoch((month, int(day), int(hh), int(mi), int(ss), 0.0)) if month else None
        attrs: dict[str, Any] = {**spec.attrs, **{k: v for k, v in fields_m.groupdict().items() if v}}
        attrs["daemon"] = "aruba"
        attrs["direction"] = direction
        if step == "station-up" and more:
            attrs["security"] = more
        if step == "station-data-ready" and ident.isdigit():
            attrs["vlan"] = int(ident)
        ap = normalize_mac(bssid) if bssid != _NO_BSSID else None
        self.add(spec.kind, normalize_mac(mac), t, attrs, ap=ap, bssid=ap)
        return True


def message_of(line: str) -> str:
    """The text the catalogue sees for a row ("wpa2-key2 mic failure"), for tests and tools."""
    m = _ROW.match(line)
    if m is None:
        return line
    return f"{m.group(6)} {m.group(12)}" if m.group(12) else m.group(6)


class ArubaParser(CatalogueParser):
    name = "aruba"
    description = "Aruba controller / Instant AP authentication trace (show auth-tracebuf, show ap debug auth-trace-buf)"
    example = "Jul  1 11:50:06  wpa2-key2  ->  04:69:f8:0c:88:a6  b8:3a:5a:8b:36:d1  -  117  mic failure"
    catalogue = "aruba"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (60, 90)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)

    def sniff(self, head: bytes) -> int:
        score = super().sniff(head)
        # (one row is enough with the command or the table's title in the head)
        return 90 if score and (b"auth-trace" in head or b"Auth Trace Buffer" in head) else score


PARSER = ArubaParser()
