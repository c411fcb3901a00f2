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
from wlandoctor.parsers.cli_tables import Tables, specs
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int
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
    rb"(?m)^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d +(?:station-up|wpa[23]?(?:-[a-z0-9]{1,12})?-key\d|sae-[a-z-]+|eap-[a-z-]+|rad-[a-z]+|station-data-ready) +(?:\*|<-|->) "
    rb"|^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d\.\d{1,6} +(?:auth|(?:re)?assoc-re(?:q|sp)|deauth|disassoc) +[0-9a-f]{2}:"
    rb"|[<:](?:50\d{4}|52\d{4}|12\d{4}|132094|1359\d\d|138207)[>:] {1,3}(?:<\d{1,8}> {1,3})?<(?:NOTI|INFO|WARN|ERRS|DBUG)> {1,3}"
    rb"(?:\\?\|(?:stm|authmgr|dot1x-proc|wpa3_sae|AP [^|]{1,60})|<|AP:)"
    # Instant's "show clients" table (its header)
    rb"|Name +IP Address +MAC Address +OS +ESSID +Access Point"
)
_NO_BSSID = "00:00:00:00:00:00"
# "show ap debug mgmt-frames": "Jul  1 11:50:06.099  assoc-resp  <source> <destination> <BSSID>  15  Success"
_FRAME = re.compile(
    r"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)\.(\d{1,6}) +([a-z][a-z-]{1,20}) +("
    + _MAC
    + r") +("
    + _MAC
    + r") +("
    + _MAC
    + r") +\d{1,5} +(.{1,120}?) *$"
)
# syslog and user-debug: "<501100> <NOTI>" or ":501100: <NOTI>" (ArubaOS 8 adds the pid: "<501100> <2452> <NOTI>")
_SYSLOG = re.compile(
    r"(?:<|:)(\d{6})(?:>|:) {1,3}(?:<\d{1,8}> {1,3})?<(?:NOTI|INFO|WARN|ERRS|DBUG|CRIT|ALRT|EMRG|ERRO?R?)> {1,3}"
)
# then where it comes from: "|stm|", "|AP name@ip stm| |client-mgmt|", "<controller ip>", "AP:name <ip mac>"
_ORIGIN = re.compile(
    r"(?:\|[^|]{1,80}\| {1,3}(?:\|[^|]{1,40}\| {1,3})?|<[^<>]{1,80}(?:<[^<>]{1,40}>[^<>]{0,40})?> {1,3}"
    r"|AP:\S{1,64} <[^<>]{1,80}> {1,3})?"
)
_MON_DAY = re.compile(r"([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?: (\d{4}))?")
_MAC_FULL = re.compile(_MAC)


_CLIENT_DAEMONS = re.compile(r"\b(?:stm|authmgr|dot1x)\[\d{1,10}\]:")


_ZERO_IP = "0.0.0.0"
_MAC_IN = re.compile(_MAC)  # (a line of an open client table that names a MAC is a client's row)


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.open_encryption: set[str] = (
            set()
        )  # stations whose unicast encryption the controller said is Open
        self.unassigned = False
        self.tables = Tables(specs(cat.tables.get("client_tables")))

    def about_clients(self, text: str) -> bool:
        """(a row of the table names its station, whatever its step; so does a known message whose station
        could not be told)"""
        return (
            self.unassigned
            or _ROW.match(text) is not None
            or (self.tables.open is not None and _MAC_IN.search(text, 0, MAX_READ) is not None)
        )

    def table_line(self, text: str) -> bool:
        """Instant's ``show clients``: its header, the dashes under it, or a client's row.  A client in the
        table is associated with its keys in place; its address says whether DHCP gave it one."""
        t = self.tables
        if ("MAC Address" in text and t.header(text)) or t.rule(text):
            return True
        row = t.row(text) if t.open is not None else None
        if row is None:
            return t.open is not None and text.startswith(("Client List", "Number of Clients"))
        spec = t.open
        assert spec is not None
        ip = row.get("IP", "")
        ap = row.get("AP_NAME") or None
        attrs: dict[str, Any] = {"daemon": "aruba", "told_by": spec.id, "ssid": row.get("ESSID") or None}
        station = normalize_mac(row["MAC"])
        kinds = ["assoc.response", "handshake.success"]
        kinds += ["dhcp.ack"] if ip and ip != _ZERO_IP else ["sta.connected", "ip.configuring"]
        for kind in kinds:
            extra = {"ip": ip} if kind == "dhcp.ack" else {}
            self.add(kind, station, None, {**attrs, **extra}, ap=ap, bssid=None)
        return True

    def line(self, text: str) -> bool:
        self.unassigned = False
        m = _ROW.match(text)
        if m is None:
            return (
                self.table_line(text)
                or self.frame(text)
                or self.syslog(text)
                or _KNOWN.match(text) is not None
            )
        mon, day, hh, mi, ss, step, direction, mac, bssid, ident, _length, more = m.groups()
        found = self.cat.match(f"{step} {more}" if more else step)
        if found is None:
            return False
        spec, fields_m = found
        if spec.kind is None:
            return True
        t = self.row_time(mon, day, hh, mi, ss)
        attrs: dict[str, Any] = {**spec.attrs, **{k: v for k, v in fields_m.groupdict().items() if v}}
        attrs["daemon"] = "aruba"
        attrs["direction"] = direction
        attrs["time_to_second"] = True  # (whole seconds, beside the frame rows' milliseconds)
        if step == "station-up" and more:
            attrs["security"] = more
        vlan = as_int(ident, 4, signed=False) if step == "station-data-ready" else None
        if vlan is not None:
            attrs["vlan"] = vlan
        ap = normalize_mac(bssid) if bssid != _NO_BSSID else None
        self.add(spec.kind, normalize_mac(mac), t, attrs, ap=ap, bssid=ap)
        return True

    def row_time(
        self, mon: str, day: str, hh: str, mi: str, ss: str, frac: str = "", year: str | None = None
    ) -> float | None:
        """A stamp's time ("Jul  1 11:50:06[.099][ 2015]"; no year: dated by the file)."""
        month = MONTHS.get(mon.lower())
        f = int(frac) / 10 ** len(frac) if frac else 0.0
        return (
            self.dated(month, int(day), int(hh), int(mi), int(ss), f, int(year) if year else None)
            if month
            else None
        )

    # -- management frames ("show ap debug mgmt-frames")

    def frame(self, text: str) -> bool:
        m = _FRAME.match(text)
        if m is None:
            return False
        mon, day, hh, mi, ss, frac, _subtype, src, dst, bssid, _info = m.groups()
        found = self.cat.match(_frame_message(m))
        if found is None:
            return False
        spec, fm = found
        if spec.kind is None:
            return True
        t = self.row_time(mon, day, hh, mi, ss, frac)
        station = normalize_mac(dst if src.lower() == bssid.lower() else src)
        attrs: dict[str, Any] = {**spec.attrs, **{k: v for k, v in fm.groupdict().items() if v}}
        attrs["daemon"] = "aruba"
        ap = normalize_mac(bssid)
        self.add(spec.kind, station, t, attrs, ap=ap, bssid=ap)
        return True

    # -- syslog and user-debug

    def syslog(self, text: str) -> bool:
        head, message = _syslog_message(text)
        if message is None:
            return False
        found = self.cat.match(message)
        if found is None:
            # a line of the daemons that handle clients (station management, authentication): weighed as
            # about clients, so that one not understood is said, whatever its words
            self.unassigned = _CLIENT_DAEMONS.search(head) is not None
            return False
        spec, m = found
        fields = {k: v for k, v in m.groupdict().items() if v}
        mac = fields.pop("mac", "")
        station = normalize_mac(mac) if _MAC_FULL.fullmatch(mac) else None
        if spec.handler == "encryption":
            if station and fields.get("encr", "").lower() == "open":
                self.open_encryption.add(station)
            return True
        if spec.kind is None:
            return True
        if station == _NO_BSSID:
            return True  # (a message about no station: the all-zero address, as anonymised logs print it)
        if station is None and spec.kind not in ("radius.no_reply", "radius.unreachable"):
            self.unassigned = True  # (said as not understood: whose it is cannot be told)
            return False
        t = self.stamp(head)
        attrs: dict[str, Any] = {**spec.attrs, **fields}
        attrs["time_to_second"] = True  # (a syslog stamp: whole seconds, beside the frame rows' milliseconds)
        for key in ("vlan", "reason_code"):
            n = as_int(str(attrs.get(key, "")), 6, signed=False)
            if n is not None:
                attrs[key] = n
        bssid = attrs.pop("bssid", None)
        bssid = normalize_mac(bssid) if bssid and _MAC_FULL.fullmatch(bssid) else None
        kind = spec.kind
        if spec.handler == "station_up" and station in self.open_encryption:
            kind = "sta.connected"  # (an open SSID: the station is joined once it is up)
        elif spec.handler == "deauth" and "roamed" in str(attrs.get("reason_text", "")):
            kind = "sta.teardown"  # (it left for another AP of the network: not a failure here)
        ip = attrs.pop("ip", None)
        self.add(kind, station or "", t, attrs, ap=bssid, bssid=bssid)
        if spec.handler == "authenticated" and ip and ip != "0.0.0.0" and station:
            self.add(
                "dhcp.ack", station, t, {"daemon": "aruba", "ip": ip, "told_by": "authentication"}, ap=bssid
            )
        return True

    def stamp(self, head: str) -> float | None:
        m = _MON_DAY.search(head)
        if m is None:
            return None
        mon, day, hh, mi, ss, year = m.groups()
        return self.row_time(mon, day, hh, mi, ss, year=year)


def _frame_message(m: re.Match[str]) -> str:
    """A frame row as the catalogue sees it: "frame-<subtype> <ap|sta> <info>" (who sent it)."""
    src, bssid = m.group(8), m.group(10)
    return f"frame-{m.group(7)} {'ap' if src.lower() == bssid.lower() else 'sta'} {m.group(11)}"


def _syslog_message(text: str) -> tuple[str, str | None]:
    """What comes before a syslog line's message id, and "<id> <message>" (a CEF wrapper's msg= taken off
    and unescaped), or None when the line is not of that form."""
    if "CEF:" in text[:200]:
        at = text.find("msg=")
        if at < 0:
            return text, None
        text = text[: at + 4] + text[at + 4 :].replace("\\|", "|").replace("\\=", "=")
    m = _SYSLOG.search(text, 0, 400)
    if m is None:
        return text, None
    origin = _ORIGIN.match(text, m.end())
    rest = text[origin.end() if origin is not None else m.end() :]
    return text[: m.start()], f"{m.group(1)} {rest.strip()}"


def message_of(line: str) -> str:
    """The text the catalogue sees for a row ("wpa2-key2 mic failure") or a syslog line ("501100 Assoc
    success ..."), for tests and tools."""
    m = _ROW.match(line)
    if m is None:
        frame = _FRAME.match(line)
        return _frame_message(frame) if frame is not None else (_syslog_message(line)[1] or line)
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
