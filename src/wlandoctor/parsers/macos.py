"""macOS clients: what a Mac logs while it joins a WLAN, in the forms engineers paste it.

A line is a prefix, then the process's message.  The prefixes read (docs/formats.md has an example each):

- system.log / syslog: ``Jul  1 11:49:29 host kernel[0]: msg`` (10.12's ``eapolclient[265] <Notice>: msg``,
  a subsystem after the process: ``eapolclient(EAP8021X)[265]``);
- the old Console.app: ``2/16/16 6:58:00.000 PM kernel[0]: msg``, ``2012-07-25 5:24:59.000 PM kernel[0]: msg``;
- /var/log/wifi.log: ``Sun Oct 23 22:37:19.791 <kernel> msg``, ``Wed Oct  7 13:08:28: <airportd[208]> msg``
  (two stamps on a line where two writes met: the second is the line's); its hex dumps' lines
  ``Sun Oct 23 22:37:19.803 [00000000] 30 14 ..`` are read as such;
- the unified log: ``log show`` (``2020-02-18 22:34:56.473105+0800 0x7ba  Default  0x0  0  0  kernel:
  (IO80211Family) msg``), ``log show --style syslog`` (``... +0800  localhost kernel[0]: (Sender) msg``),
  ``log stream --style compact`` (``2021-06-14 11:07:40.371 Df kernel[0:ce5] (IO80211Family) msg``), and
  Console.app's copy (``default<TAB>12:43:12.396630+0200<TAB>kernel<TAB>msg``);
- the kernel's message buffer (``dmesg``, a memory image): the message alone.

The messages are data (``parsers/catalogues/macos.yaml``).  A Mac's log is one station's own view: its
events are the Mac's, named ``<interface>@<file>`` (``en0@wifi.log``): the Mac's own MAC address is not in
these lines.  The interface is the one a line names, else the last one named (the EAPOL-Key lines name
none).  Times with a zone are read in UTC; those without, as the project reads every time without a zone.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun, Message
from wlandoctor.parsers.prefix import epoch_of, fraction, zone_seconds
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac, normalize_unpadded
from wlandoctor.util.numbers import as_int
from wlandoctor.util.times import MONTHS, in_range
from wlandoctor.util.told_earlier import said_on

MAX_READ = 4096  # characters of a line looked at (a unified-log line with its columns is under 400)
MAX_PENDING = 256  # events kept while no line has named the interface (then they keep "wifi")
UNNAMED = "wifi"  # the interface's name until a line names it
OPEN_LINK_HELD_S = 60  # a link up that long with no key message after it was an open network's session
NO_REASON = 255  # IO80211's "Reason 255 (unknown reason)"
APPLE80211_TIMEOUT = -3905  # Apple80211's error for an association not answered in time
SCAN_BESIDE_S = 2.0  # a directed scan's failure this close to an Associate() time-out is its cause

_EAPOL_KIND = {"1": "eapol.m1.sent", "2": "eapol.m2.sent", "3": "eapol.m3.sent", "4": "eapol.m4.sent"}
# Interfaces that are not the Mac's link to a WLAN: AWDL (AirDrop), peer-to-peer, low latency
_NOT_INFRA = re.compile(r"(?:awdl|p2p|llw)\d{1,3}")
_MAC = re.compile(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}")
_AMPM = r"(\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,6}))? ?([AaPp][Mm])"
_PROCESS = r"([\w.\-]{1,64})(?:\([\w.\-]{1,64}\))?(?:\[\d{1,10}(?::[0-9a-fA-F]{1,16})?\])?"

# /var/log/wifi.log: "Sun Oct 23 22:37:19.791 <kernel> ", "Wed Oct  7 13:08:28: <airportd[208]> "
_WIFILOG_STAMP = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?:? {1,3}"
)
_WIFILOG_PROCESS = re.compile(r"<([\w.\-]{1,64})(?:\[\d{1,10}\])?> ?")
_WIFILOG_HEX = re.compile(r"\[[0-9A-Fa-f]{8}\](?: [0-9A-Fa-f]{2}){0,64}\s*$")
# the old Console.app: "2/16/16 6:58:00.000 PM kernel[0]: ", "2012-07-25 5:24:59.000 PM kernel[0]: "
_CONSOLE = re.compile(
    r"(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}|\d\d)) " + _AMPM + " " + _PROCESS + ":? "
)
# log show's default style: stamp, thread, type, activity, pid, TTL, "process: "
_UNIFIED = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([+-]\d\d:?\d\d|Z)? {1,8}0x[0-9a-f]{1,16}"
    r" {1,16}\w{1,12}(?: \w{1,12})? {1,16}0x[0-9a-f]{1,16} {1,24}\d{1,10} {1,16}\d{1,10} {1,16}([^:\s]{1,64}): "
)
# log stream / log show --style compact: "2021-06-14 11:07:40.371 Df kernel[0:ce5] "
_COMPACT = re.compile(
    r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? (?:Df|Db|Dbg|I|E|Er|F|Ft|A|N) {1,3}"
    + _PROCESS
    + " "
)
# log show --style syslog: "2019-12-20 18:25:00.070415+0800  localhost kernel[0]: "
_UNIFIED_SYSLOG = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([+-]\d\d:?\d\d|Z)? {1,4}(\S{1,128}) {1,4}"
    + _PROCESS
    + ": "
)
# Console.app (10.12+) copied: "default<TAB>12:43:12.396630+0200<TAB>kernel<TAB>"
_CONSOLE_COPY = re.compile(
    r"(?:default|info|debug|error|fault|notice|activity)\t(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:[+-]\d\d:?\d\d)?"
    r"\t([^\t]{1,64})\t"
)
# system.log / syslog: "Jul  1 11:49:29 host kernel[0]: ", "May  8 12:17:48 host eapolclient[265] <Notice>: "
_SYSLOG = re.compile(
    r"([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\S{1,128}) "
    + _PROCESS
    + r"(?: <\w{1,16}>)?: "
)
# the unified log's sender, an image and symbol (--source), a subsystem and category, a driver's stamp
_SENDER = re.compile(r"\([\w.\-]{0,64}\) ")
_SYMBOL = re.compile(r"<[^<>`\s]{1,64}`[^<>]{1,256}> ")
_SUBSYSTEM = re.compile(r"\[[\w.\-]{1,64}:[\w.\-]{0,64}\] ")
# the column headings log show and log stream print first
_HEADINGS = re.compile(r"Timestamp {1,32}(?:Thread {1,16}Type|Ty {1,8}Process\[PID:TID\])")
_SNIFF = re.compile(
    # (a line of the unified log, in its default or syslog style, is a Mac's whatever it says)
    rb"(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}[+-]\d{4} {1,8}(?:0x[0-9a-f]{1,16} {1,16}(?:Default|Info|Debug|Error|Fault)"
    rb"|localhost kernel\[0\]: \()"
    # (log show / log stream --style compact)
    rb"|\d\d\.\d{3} (?:Df|Db|I|E|F|A) {1,3}(?:kernel\[0|airportd\[|wifid\[|eapolclient\[)[\d:a-f]{1,24}\] "
    rb"|AirPort: (?:Link (?:Up|Down) on|RSN handshake complete)|inputEAPOLFrame: |\(IO80211Family\) "
    # (`airport -I`'s snapshot of the link)
    rb"|lastAssocStatus: -?\d|agrCtlRSSI: -?\d"
    rb"|<kernel> |<airportd\[\d{1,10}\]> |eapolclient(?:\(\w{1,32}\))?\[\d{1,10}\]|Apple80211Associate"
    rb"|kernel\[0\]: (?:[a-z]{2,8}\d{1,3}: BSSID changed to|IO80211\w{0,40}::|ARPT: )|MacAuthEvent )"
)
# lines that are about joining a WLAN whatever their words: never skipped unsaid
_ABOUT_JOINING = ("AirPort:", "EAPOL", "RSN ", "Apple80211", "802.1X", "eapolclient", "Link Down", "Link Up")


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.file = PurePath(inp.name).name or inp.name
        self.iface = UNNAMED  # the Wi-Fi interface last named
        self.bssid: str | None = None
        self.time: float | None = None
        self.process = ""
        self.seen = False  # whether the Mac's link has been told of yet
        self.pending: list[Event] = []  # events before any line named the interface (bounded)
        self.online = False  # keys installed (or an address) and no link loss since
        self.link_up_at: float | None = None  # when the link came up, while no key message has followed
        self.airport: dict[str, str] = {}  # an `airport -I` snapshot's fields, told at the end of the input
        self.airport_line = 0
        # an Associate() time-out held for the line after it, which may say the directed scan for the SSID
        # failed (line, text, time, attrs, bssid); and when the last such scan failed
        self.timed_out: tuple[int, str, float | None, dict[str, Any], str | None] | None = None
        self.scan_failed_at: tuple[int, float | None] | None = None  # (line, time)

    # -- the prefix

    def split(self, text: str) -> str | None:
        """The message of a line (``self.time`` and ``self.process`` set); None for a wifi.log hex line."""
        self.time, self.process = None, ""
        m = _WIFILOG_STAMP.match(text)
        if m is not None:
            rest = text[m.end() :]
            again = _WIFILOG_STAMP.match(rest)  # (two writes met: the second stamp is the line's)
            if again is not None:
                m, rest = again, rest[again.end() :]
            p = _WIFILOG_PROCESS.match(rest)
            if p is not None or _WIFILOG_HEX.match(rest):
                mon, day, hh, mi, ss, frac = m.groups()
                self.stamp(mon, day, hh, mi, ss, frac)
                if p is None:
                    return None
                self.process = p.group(1)
                return rest[p.end() :]
        m = _UNIFIED.match(text) or _UNIFIED_SYSLOG.match(text)
        if m is not None:
            y, mo, d, hh, mi, ss, frac, zone = m.groups()[:8]
            self.iso(y, mo, d, hh, mi, ss, frac, zone)
            self.process = m.group(9) if m.re is _UNIFIED else m.group(10)
            return text[m.end() :]
        m = _COMPACT.match(text)
        if m is not None:
            y, mo, d, hh, mi, ss, frac = m.groups()[:7]
            self.iso(y, mo, d, hh, mi, ss, frac, None)
            self.process = m.group(8)
            return text[m.end() :]
        m = _CONSOLE.match(text)
        if m is not None:
            self.console(m)
            return text[m.end() :]
        m = _CONSOLE_COPY.match(text)
        if m is not None:
            hh, mi, ss, frac, self.process = m.groups()
            self.time = self.years.time_of_day((int(hh), int(mi), int(ss), fraction(frac)))
            return text[m.end() :]
        m = _SYSLOG.match(text)
        if m is not None:
            mon, day, hh, mi, ss, frac = m.groups()[:6]
            self.stamp(mon, day, hh, mi, ss, frac)
            self.process = m.group(8)
            return text[m.end() :]
        return text  # (the kernel's message buffer: the message alone)

    def stamp(self, mon: str, day: str, hh: str, mi: str, ss: str, frac: str | None) -> None:
        month = MONTHS.get(mon.lower())
        if month is not None:
            self.time = self.dated(month, int(day), int(hh), int(mi), int(ss), fraction(frac))

    def iso(
        self, y: str, mo: str, d: str, hh: str, mi: str, ss: str, frac: str | None, zone: str | None
    ) -> None:
        t = epoch_of(int(y), int(mo), int(d), int(hh), int(mi), int(ss))
        if t is not None:
            t += fraction(frac) - zone_seconds(zone)
        if t is None or not in_range(t):
            self.bad_stamp()
            return
        self.time = t

    def console(self, m: re.Match[str]) -> None:
        iy, imo, idd, um, ud, uy, hh, mi, ss, frac, ampm, process = m.groups()
        self.process = process
        hour = int(hh) % 12 + (12 if ampm.lower() == "pm" else 0)
        if iy is not None:
            year, month, day = int(iy), int(imo), int(idd)
        else:  # (US order, as Console.app writes it in English)
            year, month, day = int(uy), int(um), int(ud)
            year += 2000 if year < 100 else 0
        if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24):
            self.bad_stamp()
            return
        self.time = self.dated(month, day, hour, int(mi), int(ss), fraction(frac), year)

    # -- one line

    def about_clients(self, text: str) -> bool:
        return any(w in text for w in _ABOUT_JOINING)

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a message known to carry none)."""
        if self.timed_out is not None and "directed SSID scan fail" not in text:
            self.release_timeout()
        body = self.split(text)
        if body is None or _HEADINGS.match(text):
            return True  # (a line of a key dump in wifi.log)
        for strip in (_SENDER, _SYMBOL, _SUBSYSTEM):
            m = strip.match(body)
            if m is not None:
                body = body[m.end() :]
        found = self.cat.read(body)
        if found is None:
            return False
        spec, fields = found
        if spec.kind is None and spec.handler is None:
            return True
        iface = fields.pop("iface", None)
        if iface is not None:
            if _NOT_INFRA.fullmatch(iface):
                return True  # (AWDL and the like: not the Mac's WLAN link)
            self.iface = iface
            self.release()
        self.handle(spec, fields)
        return True

    def handle(self, spec: Message, fields: dict[str, str]) -> None:
        attrs: dict[str, Any] = {**spec.attrs}
        bssid = fields.pop("bssid", None)
        if spec.handler == "bssid":
            self.bssid = normalize_mac(bssid) if bssid and _MAC.fullmatch(bssid) else self.bssid
            return
        if spec.handler == "iface":
            return
        if spec.handler == "eapol_number":  # (net80211: "received msg 1/4", "sending msg 2/4")
            kind = _EAPOL_KIND[fields.get("msg", "1")]
            self.emit(kind, {"seen_by": "sta"}, normalize_mac(bssid) if bssid else None)
            return
        if spec.handler == "address":
            if fields.get("ip") and fields.get("flag") != "-":
                self.emit("dhcp.ack", {"ip": fields["ip"], "told_by": "configd"})
                self.online = True
            return
        if spec.handler == "airport":
            self.airport.update(fields)
            self.airport_line = self.airport_line or self.number
            return
        if spec.handler == "directed_scan":
            self.scan_failed_at = (self.number, self.time)
            if self.timed_out is not None and _close(
                (self.timed_out[0], self.timed_out[2]), self.scan_failed_at
            ):
                held, self.timed_out = self.timed_out, None
                self.emit(
                    "network.not_found", {"what": "directed-scan-failed", "error": held[3].get("error")}
                )
            return
        if spec.handler == "supplicant_state":
            # Held follows a failure its own lines told; Authenticated is EAP-Success
            if fields.get("state") == "Authenticated":
                self.emit("eap.success", {"state": "Authenticated"})
            return
        for key in ("reason", "error", "status"):
            if key in fields:
                value = int(fields.pop(key))
                if key != "reason" or 0 < value < NO_REASON:
                    attrs[key] = value
        attrs.update(fields)
        bssid_now = normalize_mac(bssid) if bssid and _MAC.fullmatch(bssid) else self.bssid
        if spec.handler == "associate" and (
            attrs.get("error") == APPLE80211_TIMEOUT or attrs.get("error_text") == "Timeout"
        ):
            if self.scan_failed_at is not None and _close(self.scan_failed_at, (self.number, self.time)):
                # the directed scan for the SSID had just failed: nothing to associate with
                self.emit("network.not_found", {"what": "directed-scan-failed", "error": attrs.get("error")})
                return
            attrs["reason"] = "assoc-timeout"
            self.release_timeout()
            self.timed_out = (self.number, self.text, self.time, attrs, bssid_now)
            return
        assert spec.kind is not None
        if spec.kind == "sta.deauth":
            self.link_lost(attrs, bssid_now)
            return
        if spec.kind == "assoc.response":
            self.online = False  # (a new association: what follows is a new join)
            self.link_up_at = self.time
        elif spec.kind.startswith(("eapol.", "eap.")):
            self.link_up_at = None  # (a key exchange or 802.1X follows the link: not an open network)
        self.emit(spec.kind, attrs, bssid_now)
        if spec.handler == "keys":
            self.online = True
            self.emit("sta.connected", {}, bssid_now)

    def release_timeout(self) -> None:
        """The held Associate() time-out, no directed scan failure beside it: an association not answered."""
        if self.timed_out is None:
            return
        (number, text, t, attrs, bssid), self.timed_out = self.timed_out, None
        with said_on(self, number=number, text=text, time=t):
            self.emit("assoc.failure", attrs, bssid)

    def link_lost(self, attrs: dict[str, Any], bssid: str | None) -> None:
        """The link lost: the end of a session when the Mac was online (or, the first thing the input says
        of it, online before the input began); else a join that failed."""
        if not self.seen:
            self.emit("sta.connected", {"what": "before_input"}, bssid)
            self.online = True
        elif not self.online and self.link_up_at is not None and self.time is not None:
            held = self.time - self.link_up_at
            if held >= OPEN_LINK_HELD_S:
                # the link held that long with no key exchange after it: an open network's session
                self.emit("sta.connected", {"what": "link-held", "held_s": round(held)}, bssid)
                self.online = True
        self.link_up_at = None
        if self.online:
            self.online = False
            self.emit("sta.offline", attrs, bssid)
        else:
            self.emit("sta.deauth", attrs, bssid)

    def emit(self, kind: str, attrs: dict[str, Any], bssid: str | None = None) -> None:
        attrs["daemon"] = "macos"
        if self.process:
            attrs["process"] = self.process
        attrs["iface"] = self.iface
        self.seen = True
        self.add(kind, f"{self.iface}@{self.file}", self.time, attrs, bssid=bssid or self.bssid)
        if self.iface == UNNAMED and len(self.pending) < MAX_PENDING:
            self.pending.append(self.out.pop())  # (named when a line names the interface)

    def release(self) -> None:
        """The events that waited for the interface's name take it (before the current line's)."""
        if self.pending:
            for event in self.pending:
                event.station = f"{self.iface}@{self.file}"
                event.attrs["iface"] = self.iface
            self.out[:0] = self.pending
            self.pending = []

    def finish(self) -> list[Event]:
        """At the end of the input: events whose interface no line named keep the name "wifi"; an `airport
        -I` snapshot says where the Mac's link stands."""
        self.release_timeout()
        self.note_guesses()
        self.snapshot()
        out, self.pending = self.pending, []
        out.extend(self.out)  # (the snapshot's event, when a line named the interface)
        self.out = []
        return out

    def snapshot(self) -> None:
        """`airport -I`: state running is a joined link (the keys installed, or an open network); another
        state with a last association status other than 0 is the AP's refusal; else the join under way."""
        a = self.airport
        if "state" not in a:
            return
        b = a.get("airport_bssid")
        bssid = normalize_unpadded(b) if b else None
        attrs: dict[str, Any] = {"what": "airport-snapshot", "state": a["state"]}
        for key in ("ssid", "link_auth"):
            if a.get(key):
                attrs[key] = a[key]
        status = as_int(a.get("lastAssocStatus") or a.get("status") or "", signed=True)
        self.time, self.number = None, self.airport_line
        self.text = f"airport -I: state {a['state']}" + (
            f", lastAssocStatus {status}" if status is not None else ""
        )
        if a["state"] == "running":
            self.emit("sta.connected", attrs, bssid)
        elif status:
            self.emit("assoc.reject", {**attrs, "status": status}, bssid)
        elif a["state"] in ("auth", "assoc"):
            self.emit("auth.request" if a["state"] == "auth" else "assoc.request", attrs, bssid)


def _close(a: tuple[int, float | None], b: tuple[int, float | None]) -> bool:
    """Two lines (number, time) within SCAN_BESIDE_S of each other, or, where a time is unknown, side by side."""
    if a[1] is None or b[1] is None:
        return abs(a[0] - b[0]) <= 2
    return abs(a[1] - b[1]) <= SCAN_BESIDE_S


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it (for tests and tools)."""
    for pattern in (_UNIFIED, _UNIFIED_SYSLOG, _COMPACT, _CONSOLE, _CONSOLE_COPY, _SYSLOG):
        m = pattern.match(line)
        if m is not None:
            line = line[m.end() :]
            break
    else:
        m = _WIFILOG_STAMP.match(line)
        if m is not None:
            rest = line[m.end() :]
            again = _WIFILOG_STAMP.match(rest)
            rest = rest[again.end() :] if again else rest
            p = _WIFILOG_PROCESS.match(rest)
            line = rest[p.end() :] if p else rest
    for strip in (_SENDER, _SYMBOL, _SUBSYSTEM):
        m = strip.match(line)
        if m is not None:
            line = line[m.end() :]
    return line


class MacosParser(CatalogueParser):
    name = "macos"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = (
        "macOS client: IO80211Family kernel lines, airportd, eapolclient and configd, from system.log, "
        "/var/log/wifi.log, the unified log (log show / log stream) or a Console.app copy"
    )
    example = "Apr 21 08:44:35 haijin-mac kernel[0]: AirPort: RSN handshake complete on en1"
    catalogue = "macos"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (60, 85)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = MacosParser()
