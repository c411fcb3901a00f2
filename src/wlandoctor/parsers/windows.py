"""Windows clients: the WLAN AutoConfig service's event log (Microsoft-Windows-WLAN-AutoConfig/Operational)
in Windows event XML (``wevtutil qe ... /f:xml``, Event Viewer's "Save as XML", ``$_.ToXml()``).

Each ``<Event>`` is read whole, on one line or over several (the XML view pretty-prints it), and matched
by provider and event id, never by its message text (Windows writes that in the user's language).  The
fields are the event's ``EventData``; ``ConnectionId`` ties the events of one attempt.  The client's own
MAC (``LocalMac``) is in the 11000-12014 events, not in 8000-8003: those wait (bounded) for an event of
the same adapter (``InterfaceGuid`` = ``DeviceGuid``) that names it; at the end of the input they take the
one MAC the input named, or the computer's name (``windows@<computer>``) when it named none or several.
A document type declaration (entities) is refused, not expanded.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.parsers.nps import nps_reason, reasons_of
from wlandoctor.sources import Input, sanitize
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int
from wlandoctor.util.times import from_iso, in_range

MAX_READ = 65536  # characters of a line looked at (a one-line event is about 1,400)
MAX_EVENT = 262_144  # characters of one event gathered over several lines; beyond, it is said and dropped
MAX_PENDING = 10_000  # events held for their adapter's MAC
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}")
_UNSHOWN = frozenset(("InterfaceGuid", "DeviceGuid", "VendorID", "VendorType", "AuthorID", "BSSType"))
# (the WLAN AutoConfig service's events, Network Policy Server's audit events, Security-Auditing 6272-6278, or
# the client's own 802.1X audit, 5632 / 5633)
_SNIFF = re.compile(
    rb"<Provider Name=['\"]Microsoft-Windows-WLAN-AutoConfig['\"]"
    rb"|<Provider Name=['\"]Microsoft-Windows-Security-Auditing['\"][^>]{0,120}>\s{0,8}<EventID>(?:627[2-8]|563[23])<"
)


def _words(text: str) -> str:
    """A reason's text as compared: lower case, without the final period and surrounding blanks."""
    return text.strip().rstrip(".").strip().lower()


def _event_start(text: str) -> int:
    """Where an <Event> element starts in a line (not <Events>), or -1."""
    a, b = text.find("<Event "), text.find("<Event>")
    return min(a, b) if a >= 0 and b >= 0 else max(a, b)


# Network Policy Server's audit events and the 802.1X audit: an event of these ids whose provider is not
# recognised is said, not passed over as another provider's
_OWN_IDS = frozenset(("5632", "5633", "6272", "6273", "6274", "6275", "6276", "6277", "6278"))


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.block: list[str] | None = None  # the lines of an event read so far
        self.block_chars = 0
        self.block_line = 0
        self.macs: dict[str, str] = {}  # adapter GUID -> the client's MAC
        self.named: set[str] = set()  # MACs the input named (up to two: is there one only?)
        self.pending: list[tuple[Event, str]] = []  # (event, adapter GUID) waiting for a MAC
        self.computer = ""
        self.nps_reasons = reasons_of(cat)
        reasons = cat.tables.get("wlan_reasons") or {}
        self.reasons: dict[int, dict[str, Any]] = {int(k): dict(v) for k, v in reasons.items()}
        self.reason_texts = {
            _words(str(t)): code
            for code, entry in self.reasons.items()
            for t in [entry.get("meaning") or "", *(entry.get("texts") or [])]
            if t
        }

    def about_clients(self, text: str) -> bool:
        """(an event of the WLAN AutoConfig provider that could not be read is about clients)"""
        return "WLAN-AutoConfig" in text

    def line(self, text: str) -> bool:
        """One line: events, a part of one, or the XML around events; whether it was understood."""
        if self.block is None:
            start = _event_start(text)
            if start < 0:
                # the document around the events ("<?xml ...?>", "<Events>") is understood, anything else not
                return text.startswith(("<?xml", "<Events", "</Events", "<!--"))
            text = text[start:]
            self.block, self.block_chars, self.block_line = [], 0, self.number
        ok = True
        while True:  # (several events on one line, as a flattened export has them)
            self.block.append(text)
            self.block_chars += len(text)
            if self.block_chars > MAX_EVENT:
                self.summary.problem(self.block_line, f"an event longer than {MAX_EVENT} characters, skipped")
                self.block = None
                return False
            if "</Event>" not in text:
                return ok  # (the rest of the event follows)
            joined = "\n".join(self.block)
            end = joined.find("</Event>") + len("</Event>")
            self.block = None
            ok = self.event(joined[:end], self.block_line) and ok
            rest = joined[end:]
            start = _event_start(rest)
            if start < 0:
                return ok
            text = rest[start:]
            self.block, self.block_chars, self.block_line = [], 0, self.number

    def event(self, xml: str, first_line: int) -> bool:
        if "<!DOCTYPE" in xml or "<!ENTITY" in xml:
            self.summary.problem(first_line, "an event with a document type declaration: not read")
            return False
        try:
            root = ElementTree.fromstring(xml)
        except ElementTree.ParseError as exc:
            self.summary.problem(first_line, f"an event that is not well-formed XML ({exc}), skipped")
            return False
        system: dict[str, str] = {}
        data: dict[str, str] = {}
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "Provider":
                system["provider"] = el.get("Name", "")
            elif tag == "TimeCreated":
                system["time"] = el.get("SystemTime", "")
            elif tag in ("EventID", "Computer") and el.text:
                system[tag] = el.text.strip()
            elif tag == "Data" and el.get("Name"):
                data[str(el.get("Name"))] = (el.text or "").strip()[:512]
        return self.record(system, data, first_line)

    def record(self, system: dict[str, str], data: dict[str, str], first_line: int, shown: str = "") -> bool:
        """One event, in any form: ``system`` (provider, EventID, time as ISO 8601, Computer), ``data`` (the
        EventData fields by name); ``shown`` the evidence text when not made of them.  Whether understood."""
        found = self.cat.match(f"{system.get('provider', '')} {system.get('EventID', '')}")
        if found is None:
            # (another provider's: known, but for the ids this reader exists for - a provider name it cannot
            # place, said as an event not read rather than passed over)
            return (
                system.get("provider") != "Microsoft-Windows-WLAN-AutoConfig"
                and system.get("EventID") not in _OWN_IDS
            )
        spec, _m = found
        if spec.handler == "nps":
            return self.nps(spec.kind, dict(spec.attrs), system, data, first_line)
        self.computer = self.computer or system.get("Computer", "")
        self.number = first_line
        # (the evidence shown: the event's id, time and fields, not its XML)
        fields = " ".join(f"{k}={v}" for k, v in data.items() if v and k not in _UNSHOWN)
        self.text = shown or f"Event {system.get('EventID')} {system.get('time', '')} {fields}"
        guid = (data.get("DeviceGuid") or data.get("InterfaceGuid") or "").lower()
        mac = data.get("LocalMac", "")
        if _MAC.fullmatch(mac):
            station = normalize_mac(mac)
            if guid:
                self.macs[guid] = station
            if len(self.named) < 2:
                self.named.add(station)
            self.release(guid, station)
        if spec.kind is None:
            return True
        kind, attrs = spec.kind, {**spec.attrs}
        if (
            spec.handler == "dot1x_audit"
            and as_int(data.get("ReasonCode", "").lower().removeprefix("0x"), 8) == 0
        ):
            kind = "eap.success"  # (5632 / 5633 with ReasonCode 0x0: "The operation was successful.")
        elif spec.handler in ("reason", "dot1x_audit"):
            kind, attrs = self.reason(kind, attrs, data)
        for key, name in (("ssid", "SSID"), ("identity", "Identity"), ("attempt_id", "ConnectionId")):
            if data.get(name):
                attrs[key] = data[name]
        eap_type = as_int(data.get("EapType"), 3, signed=False)
        if eap_type is not None:
            attrs["eap_type"] = eap_type
        for key, name in (
            ("reason_text", "FailureReason"),
            ("reason_text", "Reason"),
            ("restart", "RestartReason"),
        ):
            if data.get(name) and key not in attrs:
                attrs[key] = data[name]
        attrs["daemon"] = "windows"
        peer = data.get("PeerMac", "")
        bssid = normalize_mac(peer) if _MAC.fullmatch(peer) else None
        self.add(kind, "", self.time_of(system.get("time", ""), first_line), attrs, bssid=bssid)
        self.place(guid)
        return True

    def nps(
        self, kind: str | None, attrs: dict[str, Any], system: dict[str, str], data: dict[str, str], line: int
    ) -> bool:
        """A Network Policy Server audit event (6272 granted, 6273 denied): the request of the station its
        Calling-Station-Id names, and NPS's Reason Code (``nps_reasons``).  A VPN's or a dial-up port's
        request is no station's (known, no event)."""
        port = data.get("NASPortType", "")
        if port and not port.startswith(("Wireless", "Ethernet")) and port != "-":
            return True
        calling = data.get("CallingStationID", "").strip()
        if kind is None or not calling or calling == "-":
            return True
        station = normalize_mac(calling) if _MAC.fullmatch(calling) else sanitize(calling[:40]).lower()
        self.number = line
        shown = ("CallingStationID", "FullyQualifiedSubjectUserName", "ClientName", "AuthenticationType")
        fields = " ".join(
            f"{k}={data[k]}" for k in (*shown, "ReasonCode", "Reason") if data.get(k, "-") != "-"
        )
        self.text = f"Event {system.get('EventID')} {system.get('time', '')} {fields}"
        attrs.update(nps_reason(as_int(data.get("ReasonCode"), 5, signed=False), self.nps_reasons))
        if data.get("Reason", "-") != "-":
            attrs["reason"] = data["Reason"][:200]  # (the event's own words, in the language Windows writes)
        for key, name in (
            ("user", "FullyQualifiedSubjectUserName"),
            ("eap_method", "EAPType"),
            ("nas", "ClientName"),
        ):
            if data.get(name, "-") != "-":
                attrs[key] = data[name][:128]
        bssid, _, ssid = data.get("CalledStationID", "").partition(":")
        if ssid:
            attrs["ssid"] = ssid[:64]
        attrs["daemon"] = "nps"
        bssid_mac = normalize_mac(bssid) if _MAC.fullmatch(bssid) else None
        self.add(kind, station, self.time_of(system.get("time", ""), line), attrs, bssid=bssid_mac)
        return True

    def place(self, guid: str) -> None:
        """The event just added takes its adapter's MAC, or waits for an event that names it."""
        event = self.out[-1]
        known = self.macs.get(guid)
        if known is not None:
            event.station = known
        else:
            self.out.pop()
            self.hold(event, guid)

    def reason(self, kind: str, attrs: dict[str, Any], data: dict[str, str]) -> tuple[str, dict[str, Any]]:
        """The event a failure's ReasonCode (decimal in 8002, hex in 12013) gives, by the wlan_reasons table."""
        raw = data.get("ReasonCode", "")
        try:
            code = int(raw, 16) if raw.lower().startswith("0x") else int(raw)
        except ValueError:
            # (the text forms give the reason's words only: Windows' own text for a code, when known)
            said = data.get("FailureReason") or data.get("Reason") or data.get("ReasonText") or ""
            found = self.reason_texts.get(_words(said))
            if found is None:
                return kind, attrs
            code = found
        if not 0 <= code < 2**32:
            return kind, attrs
        attrs["reason_code"] = code
        entry = self.reasons.get(code)
        if entry is None:
            return kind, attrs
        attrs["reason_name"] = entry.get("name")
        attrs.update(entry.get("attrs") or {})
        return entry.get("kind") or kind, attrs

    def time_of(self, stamp: str, line: int) -> float | None:
        if not stamp:
            return None
        t = from_iso(stamp)
        if t is None or not in_range(t):
            self.summary.problem(line, "time stamp out of range, event kept without its time")
            return None
        return t

    # -- events waiting for their adapter's MAC

    def hold(self, event: Event, guid: str) -> None:
        if len(self.pending) >= MAX_PENDING:
            self.flush()  # (bounded: what waits too long takes the input's station)
        self.pending.append((event, guid))

    def release(self, guid: str, station: str) -> None:
        if not self.pending:
            return
        keep = []
        for event, g in self.pending:
            if g == guid or not g:
                event.station = station
                self.out.append(event)
            else:
                keep.append((event, g))
        self.pending = keep

    def finish(self) -> list[Event]:
        """At the end of the input: an event left open is said; the events still waiting take their MAC."""
        if self.block is not None:
            self.summary.problem(self.block_line, "the input ends inside an event, which is not read")
        self.flush()
        out, self.out = self.out, []
        return out

    def flush(self) -> None:
        """The events still waiting: the one MAC the input named, or the computer's name."""
        fallback = next(iter(self.named)) if len(self.named) == 1 else f"windows@{self.computer or 'client'}"
        for event, guid in self.pending:
            event.station = self.macs.get(guid, fallback)
            self.out.append(event)
        self.pending = []


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it: "<provider> <event id>" (for tests and tools)."""
    provider = re.search(r"<Provider Name=['\"]([^'\"]{1,128})['\"]", line)
    event_id = re.search(r"<EventID[^>]{0,64}>(\d{1,6})<", line)
    if provider is None and event_id is None:
        from wlandoctor.parsers.windows_report import row_id  # (wlanreport's HTML rows)
        from wlandoctor.parsers.windows_text import row_message  # (Get-WinEvent's table rows)

        row = row_message(line)
        if row is not None:
            return row
        found = row_id(line)
        if found is not None:
            return f"Microsoft-Windows-WLAN-AutoConfig {found}"
    # (an event id without a provider: wlanreport's XML, which holds the WLAN AutoConfig's events)
    name = provider.group(1) if provider else "Microsoft-Windows-WLAN-AutoConfig" if event_id else ""
    return f"{name} {event_id.group(1) if event_id else ''}"


class WindowsParser(CatalogueParser):
    name = "windows"
    description = (
        "Windows WLAN AutoConfig event log (Microsoft-Windows-WLAN-AutoConfig/Operational) as event XML"
    )
    example = (
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider "
        "Name='Microsoft-Windows-WLAN-AutoConfig' .../><EventID>12013</EventID>...<Data Name='LocalMac'>"
        "2C:9C:58:29:12:75</Data>...<Data Name='ReasonCode'>0x50005</Data>..."
    )
    catalogue = "windows"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (80, 95)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = WindowsParser()
