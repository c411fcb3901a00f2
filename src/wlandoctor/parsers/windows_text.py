"""Windows clients: the WLAN AutoConfig event log as text, in the forms engineers paste it.

- ``Get-WinEvent -LogName Microsoft-Windows-WLAN-AutoConfig/Operational`` as its default table
  (``TimeCreated  Id LevelDisplayName Message``: one row an event, the message cut to its first line);
- the same ``| Format-List`` (``TimeCreated :``, ``ProviderName :``, ``Id :``, ``Message :`` and the message's
  lines indented under it);
- ``wevtutil qe Microsoft-Windows-WLAN-AutoConfig/Operational /f:text`` (``Event[0]:`` then ``  Log Name:``,
  ``  Source:``, ``  Date:``, ``  Event ID:`` ... ``  Description:`` and the message);
- Event Viewer's "Copy > Copy details as text" (``Log Name:`` ... ``Description:``, the message, and often
  ``Event Xml:`` with the event's XML, which is then read instead of the text).

An event is told by its id (the catalogue ``windows``, shared with the XML reader), so the kind never
depends on the wording; the message's ``Label: value`` lines give the fields by the catalogue's
``text_labels`` table (English labels; in other languages the event is still read, without its fields).
A failure's reason is its code when the text has one, else its text looked up in ``wlan_reasons``.
Times: ISO 8601 as written (wevtutil), or the local date and time of the table, list and Event Viewer
(``10/21/2019 12:08:55 AM``, ``21.10.2019 00:08:55``, ``2019-10-21 00:08:55``) read as UTC, as the
project reads every time without a zone; day or month first is told by the separator, by a part over 12,
and by AM/PM (US order), and said in a note when still a guess.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime
from typing import Any

from wlandoctor.model import InputSummary, Stage
from wlandoctor.parsers import windows
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.sources import Input
from wlandoctor.util.times import in_range

PROVIDER = "Microsoft-Windows-WLAN-AutoConfig"
MAX_FIELDS = 64  # fields of one message kept
_EVENT_N = re.compile(r"Event\[\d{1,9}\]:\s*$")
_HEADER = re.compile(
    r"\s{0,16}(Log Name|LogName|Source|ProviderName|Date|TimeCreated|Event ID|Id|Task Category|Task|Level"
    r"|LevelDisplayName|Opcode|Keywords?|User Name|User|Computer|MachineName|RecordId|Description|Message)"
    r" {0,32}: ?(.{0,2048})$"
)
_TABLE_HEAD = re.compile(r"\s{0,8}TimeCreated\s{1,64}Id\s{1,16}LevelDisplayName\s{1,16}Message\s*$")
_ROW = re.compile(
    r"\s{0,8}(\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}) {1,4}(\d{1,2}:\d{2}(?::\d{2})?)"
    r"(?: ?([AaPp])\.? ?[Mm]\.?)? {1,64}(\d{3,5}) {1,32}(\w{1,24}) {1,16}(.{0,512})$"
)
_FIELD = re.compile(r"\s{0,32}([A-Za-z][A-Za-z0-9 .()/\-]{0,40}?) ?:(.{0,1024})$")
_EAP_TYPE = re.compile(r"Type (\d{1,3})\b")
_DATE = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.? ?[Mm]\.?)?")
# netsh wlan's own answers (its console, or a PowerShell transcript around it): a refused connect says why on
# the next line ("Reason: <WlanReasonCodeToString's text>"); the rest are read with no event
_NETSH_REFUSED = re.compile(r'The network specified by profile "(.{1,256})" is not connectible\.\s*$')
_NETSH_REASON = re.compile(r"Reason: (.{1,512})$")
_NETSH_KNOWN = re.compile(
    r"Connection request was completed successfully\.|There is no such wireless interface on the system\."
    r'|Profile .{1,256} is added on interface .{1,256}\.|There is no profile ".{1,256}" assigned to the specified'
)
# A wireless_dbg trace as `netsh trace convert` writes it (and Microsoft's TextAnalysisTool shows it, with its
# own line number first): "[2] 0C34.2FF0::08/28/17-13:24:29.751 [Microsoft-Windows-WLAN-AutoConfig]<message>"
# (also "::2018-09-17 10:22:14.658").  Read: the connection state machine's "FSM Transition from State: A to
# State: B" (often broken after "State:" by a copy), 802.1X's AuthMgr, and NWiFi's "DisAssoc: <peer> Reason".
_ETW = re.compile(
    r"\s{0,4}(?:\d{1,10} )?\[\d{1,3}\] ?[0-9A-F]{4}\.[0-9A-F]{4}:: ?"
    r"(?P<date>\d\d/\d\d/\d\d|\d{4}-\d\d-\d\d)[- ](?P<clock>\d\d:\d\d:\d\d)(?:\.\d{1,9})? "
    r"\[(?P<provider>Microsoft-Windows-[\w-]{1,40})\](?P<message>.{0,1024})$"
)
_FSM = re.compile(r"FSM Transition from State: ?(?P<old>\w{1,40}) to State: (?P<new>\w{1,40})")
_NWIFI_DISASSOC = re.compile(
    r"DisAssoc: (?:0x)?(?P<peer>[0-9A-Fa-f]{12}) Reason: (?P<reason>0x[0-9A-Fa-f]{1,8}|\d{1,10})"
)
_NETSH_STARTS = ("The network specified by profile", "Connection request", "There is no ", "Profile ")
_SNIFF = re.compile(
    rb"(?m)^(?:\s{0,16}(?:Source|ProviderName) {0,32}: ?Microsoft-Windows-WLAN-AutoConfig\b"
    # Network Policy Server's audit events in the Security log (6272 granted, 6273 denied ...)
    rb"|\s{0,16}Task Category: {0,32}Network Policy Server\s*$"
    # (its message's first line, a copy without the header fields: "Network Policy Server denied access to
    # a user.")
    rb"|\s{0,16}Network Policy Server (?:denied|granted|discarded|locked|unlocked) [\w ]{1,60}\.\s*$"
    rb'|The network specified by profile ".{1,256}" is not connectible\.'
    rb"|.{0,64}\[Microsoft-Windows-WLAN-AutoConfig\]FSM Transition from State:"
    rb"|\s{0,8}TimeCreated\s{1,64}Id\s{1,16}LevelDisplayName\s{1,16}Message"
    rb"|.{0,64} (?:80\d\d|110\d\d|120\d\d) {1,32}\w{1,24} {1,16}(?:Wireless (?:security|network association|802\.1x)"
    rb"|WLAN AutoConfig service)"
    rb"|\s{0,16}(?:Wireless (?:security|network association|802\.1x authentication) \w{1,12}\.?"
    rb"|WLAN AutoConfig service \w{1,12} \w{1,12} [\w ]{0,40}wireless network\.)\s*$)"
)


def _iso(date: str, clock: str, ampm: str | None) -> tuple[str | None, bool]:
    """A local date and time as ISO 8601 in UTC, and whether the order of day and month was a guess."""
    d, c = _DATE.fullmatch(date), _CLOCK.fullmatch(clock + (f" {ampm}M" if ampm else ""))
    if d is None or c is None:
        return None, False
    a, b, y = int(d.group(1)), int(d.group(2)), int(d.group(3))
    guess = False
    if a > 31:  # year first: 2019-10-21
        year, month, day = a, b, y
    elif "." in date or a > 12:
        year, month, day = y, b, a
    elif b > 12 or ampm:
        year, month, day = y, a, b
    else:  # 03/04/2019 without AM/PM: month first (the US order PowerShell prints), said as a guess
        year, month, day, guess = y, a, b, True
    hour, minute, second = int(c.group(1)), int(c.group(2)), int(c.group(3) or 0)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    if year < 100:
        year += 2000
    try:
        return datetime(year, month, day, hour, minute, second).isoformat() + "+00:00", guess
    except ValueError:
        return None, False


class _Run(windows._Run):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        labels = cat.tables.get("text_labels") or {}
        self.labels: dict[str, str] = {str(k).lower(): str(v) for k, v in labels.items()}
        shown = cat.tables.get("text_providers") or {}
        self.providers: dict[str, str] = {str(k).lower(): str(v) for k, v in shown.items()}
        heads = cat.tables.get("text_headlines") or {}
        self.headlines: dict[str, str] = {str(k).lower(): str(v) for k, v in heads.items()}
        self.system: dict[str, str] | None = None  # the header of the event being read
        self.keys: set[str] = set()  # its header's keys read so far (a second "Log Name:" starts an event)
        self.data: dict[str, str] = {}
        # a label whose value is on the next line (a paste that broke "Label:<tabs>value" in two)
        self.awaiting: str | None = None
        self.first = 0
        self.shown = ""
        self.in_message = False
        self.in_xml = False
        self.table = False
        self.guessed_order = False
        self.said_table = False
        self.message_macs: set[str] = set()  # MACs seen in the message (up to two)
        # netsh said the profile's network is not connectible: its reason is on the next line
        self.refused: str | None = None
        self.fsm_head: str | None = None  # a trace line cut after "FSM Transition from State:"
        self.fsm_line = 0
        self.dot1x = False  # 802.1X's AuthMgr started in the current connection (the trace's own word)

    def netsh(self, text: str) -> bool:
        """netsh wlan's console answers (``_NETSH_*``); a refused connect is a failure by its reason's text."""
        refused = _NETSH_REFUSED.search(text)
        if refused is not None:
            self.refused = refused.group(1)
            return True
        if self.refused is not None:
            profile, self.refused = self.refused, None
            reason = _NETSH_REASON.match(text.strip())
            if reason is not None:
                said = reason.group(1).strip()
                attrs: dict[str, Any] = {"daemon": "windows", "profile": profile, "FailureReason": said}
                kind, attrs = self.reason("online_fail.record", attrs, {"FailureReason": said})
                attrs.pop("FailureReason", None)
                attrs["failure"] = said
                self.add(kind, "", None, attrs)
                self.hold(self.out.pop(), "")
                return True
        return _NETSH_KNOWN.search(text) is not None

    def trace(self, text: str) -> bool:
        """A wireless_dbg trace line (``_ETW``): the state machine's transitions, 802.1X's start, NWiFi's
        disassociation; the trace's other lines are read with no event."""
        if self.fsm_head is not None:
            # (the record is the head's line: its events cite it)
            self.number, text = self.fsm_line, self.fsm_head + " " + text.strip()
            self.text, self.fsm_head = text, None
        m = _ETW.match(text)
        if m is None:
            return False
        msg = m["message"].strip()
        if msg.endswith("FSM Transition from State:"):
            self.fsm_head, self.fsm_line = (
                text.rstrip(),
                self.number,
            )  # (the state names are on the next line)
            return True
        when = self.etw_time(m["date"], m["clock"])
        f = _FSM.search(msg)
        if f is not None:
            self.fsm(f["old"], f["new"], when)
        elif "AuthMgr Transition" in msg and "AUTHENTICATING" in msg:
            self.dot1x = True
            self.hold_event("eapol.start", when, {})
        elif (d := _NWIFI_DISASSOC.search(msg)) is not None:
            reason = int(d["reason"], 16) if d["reason"].startswith("0x") else int(d["reason"])
            peer = ":".join(d["peer"][i : i + 2] for i in range(0, 12, 2)).lower()
            self.hold_event("sta.disassoc", when, {"nwifi_reason": reason}, bssid=peer)
        return True

    def fsm(self, old: str, new: str, when: float | None) -> None:
        """WlanSvc's connection state machine: Reset, Ihv_Configuring, Configuring, Associating,
        Authenticating, Connected, Roaming, Wait_For_Disconnected, Disconnected."""
        said = {"fsm": f"{old}->{new}"}
        if new == "Associating":
            self.dot1x = False
            self.hold_event("assoc.request", when, said)
        elif new == "Authenticating":
            self.hold_event("assoc.response", when, said)
        elif new == "Connected":
            self.hold_event("sta.connected", when, said)
        elif old in ("Associating", "Authenticating") and new in (
            "Roaming",
            "Disconnected",
            "Wait_For_Disconnected",
        ):
            # the connection fell back before it was made: at association, or in its security (802.1X when
            # its AuthMgr had started, else the key handshake)
            stage = (
                Stage.ASSOCIATION if old == "Associating" else Stage.DOT1X if self.dot1x else Stage.FOURWAY
            )
            said["reason"] = f"fsm {old} to {new}"
            self.hold_event("online_fail.record", when, said, stage=stage)

    def hold_event(
        self,
        kind: str,
        when: float | None,
        attrs: dict[str, Any],
        bssid: str | None = None,
        stage: Stage | None = None,
    ) -> None:
        """An event of the client, whose MAC the trace may name later (``windows._Run.hold``)."""
        self.add(kind, "", when, {"daemon": "windows", **attrs}, bssid=bssid, stage=stage)
        self.hold(self.out.pop(), "")

    def etw_time(self, date: str, clock: str) -> float | None:
        """The trace's "08/28/17" (month, day, two-digit year) or "2018-09-17", and its clock: UTC, as every
        time without a zone here."""
        fmt = "%Y-%m-%d %H:%M:%S" if "-" in date else "%m/%d/%y %H:%M:%S"
        try:
            t = float(calendar.timegm(datetime.strptime(f"{date} {clock}", fmt).timetuple()))
        except ValueError:
            return None
        if not in_range(t):  # ("0128-09-17": a date strptime takes, out of the range a report can show)
            self.bad_stamp()
            return None
        return t

    def line(self, text: str) -> bool:
        if (self.fsm_head is not None or "::" in text[:40]) and self.trace(text):
            return True
        if (self.refused is not None or text.lstrip().startswith(_NETSH_STARTS)) and self.netsh(text):
            return True
        if self.in_xml:
            if windows._event_start(text) >= 0 or self.block is not None:
                ok = super().line(text)
                if self.block is None:
                    self.in_xml = False
                return ok
            self.in_xml = False
        if _EVENT_N.match(text):
            self.close()
            self.open({})
            return True
        if _TABLE_HEAD.match(text):
            self.close()
            self.table = True
            return True
        if self.table and text.startswith("---"):
            return True
        if self.table or self.system is None:  # (rows pasted without the table's head too)
            row = _ROW.match(text)
            if row is not None:
                return self.row(row)
            self.table = False
        head = _HEADER.match(text)
        key = head.group(1) if head is not None else ""
        starts = key in ("Log Name", "LogName", "TimeCreated", "ProviderName")
        if starts and (self.system is None or self.in_message or key in self.keys):
            self.close()
            self.open({})
        if self.system is None or (self.in_message and self.shown):
            # a message pasted without its header (Event Viewer's General tab) starts with its headline
            event_id = self.headlines.get(text.strip().lower())
            if event_id is not None:
                self.close()
                self.open({"EventID": event_id})
                self.in_message = True
                self.message_line(text)
                return True
        if self.system is None:
            if text.startswith("Event Xml:"):
                self.in_xml = True
                return True
            return False
        if text.startswith("Event Xml:"):
            # Event Viewer's copy: the XML that follows holds every field; the text is not used
            self.system = None
            self.in_xml = True
            return True
        if head is not None and not self.in_message:
            key, value = head.group(1), head.group(2).strip()
            self.header(key, value)
            if key in ("Description", "Message"):
                self.in_message = True
                if value:
                    self.message_line(value)
            return True
        if self.in_message:
            self.message_line(text)
            return True
        if head is None and text.strip() and self.keys & {"Event ID", "Id"}:
            # (a copy without the "Description:" line: the first line after the header that is no header
            # field starts the message, "Network Policy Server denied access to a user.")
            self.in_message = True
            self.message_line(text)
            return True
        return False

    def open(self, system: dict[str, str]) -> None:
        self.system, self.data, self.first, self.in_message = system, {}, self.number, False
        self.awaiting = None
        self.keys = set()
        self.shown = ""
        self.message_macs = set()

    def header(self, key: str, value: str) -> None:
        assert self.system is not None
        self.keys.add(key)
        if key in ("Source", "ProviderName"):
            # (Event Viewer shows a provider by its display name: "Microsoft Windows security auditing.")
            shown = value.lower().rstrip(". ")
            self.system["provider"] = next(
                (p for name, p in self.providers.items() if shown.startswith(name)), value
            )
        elif key in ("Event ID", "Id") and value.isascii() and value.isdigit():
            self.system["EventID"] = value
        elif key in ("Computer", "MachineName"):
            self.system["Computer"] = value
        elif key in ("Date", "TimeCreated"):
            self.system["time"] = self.stamp(value)

    def stamp(self, value: str) -> str:
        """A header's time as ISO 8601 ("" when it cannot be read)."""
        if value[:4].isdigit() and "T" in value[:11]:
            return value  # (wevtutil: ISO already, with Z)
        parts = value.split(None, 1)
        if len(parts) != 2:
            return ""
        clock = _CLOCK.match(parts[1])
        if clock is None:
            return ""
        iso, guess = _iso(parts[0], clock.group(0).split(" ")[0].rstrip(), clock.group(4))
        self.guessed_order = self.guessed_order or guess
        return iso or ""

    def message_line(self, text: str) -> None:
        line = text.strip()
        if not line:
            return
        if not self.shown:
            self.shown = line  # (the message's first line: the evidence shows it with the fields)
        if len(self.message_macs) < 2:
            found = windows._MAC.search(line, 0, 1024)
            if found is not None:
                self.message_macs.add(found.group().lower())
        m = _FIELD.match(line)
        if self.awaiting is not None:
            waiting, self.awaiting = self.awaiting, None
            label = m.group(1).strip().lower() if m is not None else ""
            if m is None or (label not in self.labels and label != "eap information"):
                if len(self.data) < MAX_FIELDS:
                    self.data.setdefault(waiting, line[:512])
                return
        if m is None or len(self.data) >= MAX_FIELDS:
            return
        label, value = m.group(1).strip().lower(), m.group(2).strip()[:512]
        if label == "eap information":  # ("Type 25, Vendor ID 0, Vendor Type 0, Author ID 0")
            eap = _EAP_TYPE.match(value)
            if eap is not None:
                self.data.setdefault("EapType", eap.group(1))
            return
        name = self.labels.get(label)
        if name is not None and name not in self.data:
            if value:
                self.data[name] = value
            else:
                self.awaiting = name

    def row(self, row: re.Match[str]) -> bool:
        """One row of Get-WinEvent's table: the id and the time, the message's first line only."""
        if not self.said_table:
            self.said_table = True
            self.summary.notes.append(
                "Get-WinEvent's table shows each message's first line only: no MAC, SSID or failure reason "
                "(`| Format-List` or `wevtutil qe ... /f:text` gives them)"
            )
        iso, guess = _iso(row.group(1), row.group(2), row.group(3))
        self.guessed_order = self.guessed_order or guess
        system = {"provider": PROVIDER, "EventID": row.group(4), "time": iso or ""}
        message = row.group(6).rstrip("…").rstrip(".").strip()
        return self.record(system, {}, self.number, f"{row.group(4)} {row.group(5)} {message}")

    def close(self) -> None:
        """The event read so far, made into its event."""
        system, self.system = self.system, None
        self.in_message = False
        if not system or "EventID" not in system:
            return
        system.setdefault("provider", PROVIDER)  # (Format-List without ProviderName: the log queried)
        if (
            "LocalMac" not in self.data
            and len(self.message_macs) == 1
            and system["EventID"][:2] in ("11", "12")
        ):
            # a message in another language (labels unknown): the one MAC of an 11000-12999 message is the
            # client's own (its template names the local MAC first; a peer's only in 12013, beside it)
            self.data["LocalMac"] = next(iter(self.message_macs))
        shown = " ".join(
            [f"Event {system['EventID']}", system.get("time", ""), self.shown]
            + [f"{k}={v}" for k, v in self.data.items() if v and k not in windows._UNSHOWN]
        )
        number = self.number
        if not self.record(system, self.data, self.first, shown):
            self.summary.problem(self.first, f"event {system['EventID']} of {system['provider']}: not read")
        self.number = number

    def finish(self) -> list[Any]:
        self.close()
        if self.guessed_order:
            self.summary.notes.append(
                "dates such as 03/04/2019 read month first (PowerShell's US order); no part over 12 or AM/PM "
                "told the order"
            )
        return super().finish()


def row_message(line: str) -> str | None:
    """A table row's message as the catalogue sees it ("<provider> <id>"), or None."""
    row = _ROW.match(line)
    return f"{PROVIDER} {row.group(4)}" if row is not None else None


message_of = windows.message_of  # (rows and XML events: the catalogue is one)


class WindowsTextParser(CatalogueParser):
    name = "windows-text"
    description = (
        "Windows WLAN AutoConfig events as text: Get-WinEvent's table or list, wevtutil /f:text, "
        "Event Viewer's copied event"
    )
    example = "10/8/2019 8:20:24 AM          8002 Error            WLAN AutoConfig service failed to connect to a wireless network.…"
    catalogue = "windows"
    max_read = 4096
    sniffs = _SNIFF
    scores = (85, 97)
    embeds = ("windows",)  # (Event Viewer's copy ends with the event's XML: read here, not split off)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = WindowsTextParser()
