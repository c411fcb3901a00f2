"""Cisco wireless controllers: Catalyst 9800 (IOS XE) and AireOS, whose syslog one collector's file often
mixes; each event names its platform (``cisco-9800``, ``cisco-aireos``) for the advice.

The 9800's line forms, as engineers collect them:

- a trace (``show logging profile wireless filter mac <mac> to-file bootflash:ra.txt``, ``debug wireless mac
  <mac>``): ``2023/09/19 15:49:46.962897741 {wncd_x_R0-0}{1}: [client-orch-sm] [17435]: (note): MAC:
  845f.04e7.d557  Association received. ...``; the ``MAC: <mac>`` part names the station (a message may name
  it inside instead).  Some pastes keep only ``MAC: <mac>  <message>`` or the message itself;
- syslog: ``<189>31175732: [host: ][seq: ]Jun  2 16:05:58[.nnn][ TZ]: %DOT1X-5-FAIL: Chassis 1 R0/5: wncd:
  <text>`` (behind any syslog server's header; the same messages appear in traces after ``(debug): ``).

AireOS: ``debug client`` lines (``*apfMsConnTask_5: Aug 13 00:50:21.187: <client MAC> <message>``) and its
syslog (``%FAC-N-MNEMONIC: [PA]file.c:NNN <message>``, or ``#`` for ``%``).  ``show wireless client mac-address
<mac> detail`` is read as a record from its ``Client MAC Address :`` line to the next CLI prompt.

The messages are data (``parsers/catalogues/cisco-wlc.yaml``), with the table of client delete reasons
(``CO_CLIENT_DELETE_REASON_*``: the event each gives, Cisco's meaning and action) and of the reasons a
client is excluded or fails authentication.  A trace line without a MAC (a pasted excerpt) belongs to the
station of the trace when the trace has named one station only; else it is said as not understood.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model import InputSummary, Stage
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun, Message
from wlandoctor.parsers.cli_tables import Tables, TableSpec, specs
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.sources import Input, sanitize
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.times import MONTHS

MAX_READ = 4096  # characters of a line looked at (a trace line with its fsm history is about 400)

_DOTTED = r"[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}"
_TRACE = re.compile(
    r"(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? \{[\w.-]{1,40}\}\{\d{1,3}\}: "
    r"\[([\w-]{1,40})\] \[\d{1,10}\]: \(\w{1,10}\): "
)
_MAC_HEAD = re.compile(r"MAC: (" + _DOTTED + r") +")
_BRACKET_MAC = re.compile(r"\[(" + _DOTTED + r"):[^\]]{0,40}\] ")
# (AireOS writes "#" for "%" in some releases and its messages' own log)
_SYSLOG = re.compile(r"[%#][A-Z][A-Z0-9_]{1,40}-\d-[A-Z][A-Z0-9_]{1,60}: ")
# after the mnemonic: the 9800's origin ("Chassis 1 R0/5: wncd: "), AireOS's source file ("[PA]1x_ptsm.c:550 ")
_ORIGIN = re.compile(
    r"(?:Chassis \d{1,2} )?(?:R\d{1,2}/\d{1,2}|F\d{1,2}): [\w-]{1,30}: |(?:\[\w{1,4}\])?[\w.-]{1,40}\.c:\d{1,6} +"
)
# an AireOS "debug client" line: "*apfMsConnTask_5: Aug 13 00:50:21.187: cc:20:e8:7f:64:8c <message>"
_DEBUG = re.compile(
    r"\*[\w ]{1,40}: [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d{1,9})?: ([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}) "
)
# the controller's own stamp, right before the message: "*Jul  9 09:06:15.007: ", "Jun  2 2026 15:54:02.964 GMT: "
_STAMP = re.compile(
    r"\*?([A-Z][a-z]{2}) {1,2}(\d{1,2})(?: (\d{4}))? (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?: [A-Za-z]{1,8})?: $"
)
_NULL_MAC = "00:00:00:00:00:00"
# a detail record's line: "Key : value", "Key: value", or an indented "  Key : value"; AireOS leads the
# value with dots ("Client MAC Address............. 84:5c:f3:48:ff:30", "Hostname: ........ DESKTOP-1")
_DETAIL_FIELD = re.compile(
    r"\s{0,8}([A-Za-z0-9][\w ().\-/]{1,60}?)(?: ?: ?\.{2,} ?| ?\.{2,}:? ?| ?: ?)(.{0,256})$"
)
_COLON_MAC = re.compile(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}")
_PROMPT = re.compile(r"(?:\([\w .-]{1,40}\) ?|[\w.\-()]{1,64})(?:#|>) ?(?:show|debug|sh|no|config)\b")
_DOTTED_FULL = re.compile(_DOTTED)
_MASKED = re.compile(r"[*xX]")  # a digit of a MAC masked by whoever posted the log
_MAC_LIKE = re.compile(r"[0-9A-Za-z]{1,4}(?:[:.\-][0-9A-Za-z]{1,4}){2,7}")  # (an address's shape, not a MAC)
_DETAIL_KEYS = {
    "Client IPv4 Address": "ip",
    "IP Address": "ip",  # (AireOS)
    "AP Name": "ap",
    "Wireless LAN Network Name (SSID)": "ssid",
    "Join Time Of Client": "joined",
}
_JOIN_TIME = re.compile(r"(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d):(\d\d)")
_SNIFF = re.compile(
    rb"\{wncd_x_R\d-\d\}\{\d{1,3}\}: \[[\w-]{1,40}\]|%(?:CLIENT_ORCH_LOG|CLIENT_EXCLUSION_SERVER|SESSION_MGR|DOT1X|MAB"
    rb"|RADIUS_AUDIT_MESSAGE|APMGR_TRACE_MESSAGE|CAPWAPAC_SMGR_TRACE_MESSAGE)-\d-[A-Z_]{2,60}: (?:Chassis \d{1,2} )?R\d"
    rb"|MAC: [0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}  (?:Association|EAP key M|Client)"
    # "show wireless client mac-address <mac> detail"; AireOS "show client detail <mac>" (dot leaders)
    rb"|Client MAC Address : [0-9a-f]{4}\.|Policy Manager State ?: "
    rb"|Client MAC Address\.{8,} ?[0-9a-fA-F]{2}:|Policy Manager State\.{8,} ?[A-Z]"
    # client tables: "show wireless client summary" and "show wireless fabric client summary" (9800, with or
    # without the Type column), "show client summary" (AireOS)
    rb"|MAC Address +AP Name +(?:Type ID +State +Protocol +Method|WLAN +State +Protocol +Method"
    rb"|Slot +Status +WLAN +Auth +Protocol)"
    rb"|Manually Disabled Clients"
    # AireOS: its syslog (a source file after the mnemonic) and "debug client" lines
    rb"|[%#](?:DOT1X|APF|LWAPP|DTL|AAA|LOG|RRM|WPS|SISF)-\d-[A-Z_]{2,60}: (?:\[\w{1,4}\])?[\w.-]{1,40}\.c:\d"
    rb"|\*[\w ]{1,40}: [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d\.\d{3}: [0-9a-f]{2}(?::[0-9a-f]{2}){5} "
    # autonomous IOS access points: the DOT11 facility's client messages
    rb"|%DOT11-\d-(?:ASSOC|DISASSOC|MAXRETRIES): (?:Interface [\w/.-]{1,40}, |Packet to client )"
)


def _words(entry: dict[str, Any], name: str) -> bool:
    """Whether a table entry's words are all in a reason's name: each word one or more of its parts
    ("_" between), in a row (DOT1X_TIMEOUT is in CLIENT_DOT1X_TIMEOUT, MIC is not in DYNAMIC)."""
    parts = "_" + name + "_"
    return all(f"_{w}_" in parts for w in entry.get("words", ()))


def _text_words(entry: dict[str, Any], text: str) -> bool:
    low = text.lower()
    return all(str(w) in low for w in entry.get("words", ()))


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.time: float | None = None
        self.trace = False  # the line is a trace line (or its pasted message), not syslog
        self.stations: set[str] = set()  # named by the input so far (up to two: is there one only?)
        self.told_masked = False  # a masked client MAC was said
        self.unassigned = False  # the line was a known message, but of no station that could be told
        self.detail: dict[str, str] | None = None  # the client detail record being read
        self.tables = Tables(specs(cat.tables.get("client_tables")))

    # -- the line prefix

    def split(self, text: str) -> tuple[str, str | None]:
        """The message of a line (``self.time`` and ``self.trace`` set) and the station its prefix names."""
        msg, station, trace, syslog_head = _split(text)
        self.trace = syslog_head is None
        self.time = None
        if trace is not None:
            y, mo, d, hh, mi, ss, frac = trace.groups()[:7]
            f = int(frac) / 10 ** len(frac) if frac else 0.0
            self.time = self.dated(int(mo), int(d), int(hh), int(mi), int(ss), f, int(y))
        elif syslog_head is not None:
            self.time = self._syslog_time(syslog_head)
        return msg, station

    def _syslog_time(self, head: str) -> float | None:
        m = _STAMP.search(head)
        if m is not None:
            mon = MONTHS.get(m.group(1).lower())
            if mon is not None:
                frac = m.group(7)
                return self.dated(
                    mon,
                    int(m.group(2)),
                    int(m.group(4)),
                    int(m.group(5)),
                    int(m.group(6)),
                    int(frac) / 10 ** len(frac) if frac else 0.0,
                    int(m.group(3)) if m.group(3) else None,
                )
        return self.header_time(split_prefix(head))  # (no stamp of the controller's own: a syslog server's)

    # -- one line

    def about_clients(self, text: str) -> bool:
        """(a known message whose station could not be told, or a trace line naming a client, is about
        clients, whatever its words)"""
        return (
            self.unassigned
            or (  # (a line of an open client table that names a MAC is a client's row)
                self.tables.open is not None
                and (_COLON_MAC.search(text, 0, 300) or _DOTTED_FULL.search(text, 0, 300)) is not None
            )
            or _DEBUG.search(text, 0, 250) is not None
            or (_TRACE.search(text, 0, 200) is not None and _MAC_HEAD.search(text, 0, 300) is not None)
        )

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a message known to carry none)."""
        self.unassigned = False
        if self.table_line(text) or self.detail_line(text):
            return True
        msg, station = self.split(text)
        found = self.cat.match(msg)
        if found is None:
            return False
        spec, m = found
        if spec.kind is None:
            return True
        fields = {k: v for k, v in m.groupdict().items() if v}
        named = fields.pop("mac", None)
        if named is not None:
            station = normalize_mac(named) if not _MASKED.search(named) else self.masked(named)
        if station is None and self.trace and len(self.stations) == 1:
            station = next(iter(self.stations))  # (a pasted excerpt of one station's trace)
        if station == _NULL_MAC:
            return True  # (a message about no station: the all-zero address, as anonymised logs print it)
        if station is None and spec.kind != "radius.unreachable":
            self.unassigned = True  # (said as not understood: whose it is cannot be told)
            return False
        if station is not None and len(self.stations) < 2:
            self.stations.add(station)
        attrs: dict[str, Any] = {**spec.attrs, **fields}
        for key in ("aid", "code", "slot", "channel", "status", "reason"):
            if key in attrs:
                attrs[key] = int(attrs[key])
        for key in ("bssid", "ap_mac"):
            if key in attrs:
                attrs[key] = normalize_mac(attrs[key])
        if "reassoc" in attrs:
            attrs["reassoc"] = True
        self.handle(spec, station or "", attrs)
        return True

    def masked(self, named: str) -> str:
        """A client MAC masked by whoever posted the log ("d**3.****.****", "aa:bb:cc:xx:xx:xx"): its
        lines are one station under that name, said once."""
        if not self.told_masked:
            self.told_masked = True
            self.summary.problem(
                self.number,
                f"the client MAC address {sanitize(named)!r} is masked; lines naming it are read as one station",
            )
        return named.lower()

    def handle(self, spec: Message, station: str, attrs: dict[str, Any]) -> None:
        assert spec.kind is not None
        if spec.handler == "deleted":
            self.deleted(station, attrs)
        elif spec.handler == "excluded":
            self.emit(spec.kind, station, {**attrs, "dynamic": True})
            entry = self.first("exclusion_reasons", attrs.get("reason_text", ""), _text_words)
            if entry is not None and entry.get("kind"):
                self.emit(entry["kind"], station, {**attrs, **(entry.get("attrs") or {})})
        elif spec.handler == "authentication_failed":
            entry = self.first("authentication_reasons", attrs.get("reason_text", ""), _text_words)
            kind = spec.kind
            if entry is not None:
                kind = entry.get("mab", entry["kind"]) if attrs.get("method") == "MAB" else entry["kind"]
                attrs = {**attrs, **(entry.get("attrs") or {})}
            elif attrs.get("method") == "MAB":
                kind = "radius.reject"
            self.emit(kind, station, attrs)
        elif spec.handler == "assoc_status":
            # "Sending Assoc Response (status: 'N')": 0 an acceptance, else the refusal with its status
            self.emit("assoc.response" if not attrs.get("status") else "assoc.reject", station, attrs)
        elif spec.handler == "eapol_message":
            msg = attrs.pop("msg", "2")
            self.emit("eapol.m4.received" if msg == "4" else "eapol.m2.received", station, attrs)
        elif spec.handler == "eapol_timer":
            attrs["waiting_for"] = str(attrs.get("waiting_for", "")).lower() or None
            self.emit("eapol.timeout", station, attrs)
        elif spec.handler == "eapol_retry":
            msg = attrs.pop("msg", "1")
            self.emit("eapol.m3.retry" if msg == "3" else "eapol.m1.retry", station, attrs)
        else:
            self.emit(spec.kind, station, attrs)

    def deleted(self, station: str, attrs: dict[str, Any]) -> None:
        """A client deleted: the event of its reason (delete_reasons), or, for a reason no entry names, an
        end when it was online and a deletion at the stage of its state otherwise."""
        name, state = attrs.pop("name"), attrs.pop("state")
        attrs = {**attrs, "reason_name": name, "client_state": state}
        attrs["reason"] = attrs.pop("code", None)
        entry = self.first("delete_reasons", name, _words)
        if entry is not None:
            if entry.get("meaning"):
                attrs["meaning"] = entry["meaning"]
            if entry.get("kind"):
                self.emit(entry["kind"], station, {**attrs, **(entry.get("attrs") or {})})
                return
        if state == "S_CO_RUN":
            self.emit("sta.teardown", station, {**attrs, "by": "controller"})
            return
        stage = self.first("client_states", state, _words)
        where = Stage(stage["stage"]) if stage is not None else None
        self.emit("sta.deleted", station, attrs, stage=where)

    # -- client tables: "show wireless client summary" (9800), "show client summary" (AireOS)

    def table_line(self, text: str) -> bool:
        """A table's header, the dashes under it, or one of its rows (events from the client's state)."""
        t = self.tables
        if ("MAC Address" in text and t.header(text)) or t.rule(text):
            return True
        row = t.row(text) if t.open is not None else None
        if row is None:
            return False
        spec = t.open
        assert spec is not None
        self.time = None
        if spec.kinds:
            self.table_record(spec, row)
            return True
        state = row.get(spec.state or "", "")
        entry = self.first("policy_states", state, _text_words) or {}
        kinds = list(entry.get("kinds") or ["assoc.response"])
        if entry.get("method"):
            step = self.first("methods", row.get("METHOD", ""), _text_words)
            kinds += (step or {}).get("kinds") or []
        if row.get("AUTH") == "Yes":
            kinds += entry.get("authenticated") or []
        attrs: dict[str, Any] = {
            "policy_state": state,
            "ap": row.get("AP_NAME"),
            "method": row.get("METHOD"),
            "told_by": spec.id,
            "daemon": spec.platform,
        }
        if "sta.blacklisted" in kinds:
            attrs["excluded"] = True
        for kind in kinds:
            self.emit(kind, normalize_mac(row["MAC"]), attrs)
        return True

    def table_record(self, spec: TableSpec, row: dict[str, str]) -> None:
        """A row of a table without a state (the exclusion lists): its fixed events, and the event its reason
        names (the catalogue's reasons table, as the controller's syslog gives them)."""
        station = normalize_mac(row["MAC"])
        reason = row.get(spec.reason or "", "").strip()
        attrs: dict[str, Any] = {**dict(spec.attrs), "told_by": spec.id, "daemon": spec.platform}
        if reason:
            attrs["reason_text"] = reason
        for kind in spec.kinds:
            self.emit(kind, station, attrs)
        entry = self.first(spec.reasons, reason, _text_words) if spec.reasons and reason else None
        if entry is not None and entry.get("kind"):
            self.emit(entry["kind"], station, {**attrs, **(entry.get("attrs") or {})})

    # -- "show wireless client mac-address <mac> detail": a record of "key : value" lines

    def detail_line(self, text: str) -> bool:
        """A line of a client's detail record: its start ("Client MAC Address : ..."), the fields kept (the
        address, AP, SSID, join time), the policy manager's state, which gives the events (policy_states),
        or another line of the record (fields, section titles, hex dumps: understood).  A CLI prompt or a
        line of the traces' or the syslog's form ends the record."""
        if self.detail is None and "Client MAC Address" not in text:
            return False  # (the common case, without a regular expression)
        m = _DETAIL_FIELD.match(text)
        if m is not None and m.group(1).strip() == "Client MAC Address":
            value = m.group(2).strip()
            if _DOTTED_FULL.fullmatch(value):
                self.detail = {"station": normalize_mac(value), "daemon": "cisco-9800"}
            elif _COLON_MAC.fullmatch(value):
                self.detail = {"station": normalize_mac(value), "daemon": "cisco-aireos"}
            elif _MAC_LIKE.fullmatch(value):
                # a MAC mistyped or masked by whoever pasted it ("04:67:f8:63:2a:cfb"): the record is read
                # under that name, and said
                daemon = "cisco-9800" if "." in value else "cisco-aireos"
                self.detail = {"station": value.lower(), "daemon": daemon}
                self.summary.problem(
                    self.number,
                    f"the client MAC address {sanitize(value)!r} is not a valid MAC; its record is read under that name",
                )
            else:
                return False
            return True
        if self.detail is None:
            return False
        if (
            _PROMPT.match(text)
            or _TRACE.search(text, 0, 200)
            or _SYSLOG.search(text, 0, 600)
            or _DEBUG.search(text, 0, 250)
        ):
            self.detail = None
            return False
        if m is not None:
            key, value = m.group(1).strip(), m.group(2).strip()
            if key in _DETAIL_KEYS:
                self.detail[_DETAIL_KEYS[key]] = value[:128]
            elif key == "Policy Manager State":
                self.detail_state(value)
        return True

    def detail_state(self, state: str) -> None:
        d = self.detail
        assert d is not None
        self.time = None
        joined = _JOIN_TIME.search(d.get("joined", ""))
        if joined is not None:
            mo, day, y, hh, mi, ss = (int(g) for g in joined.groups())
            self.time = self.dated(mo, day, hh, mi, ss, year=y)
        entry = self.first("policy_states", state, _text_words)
        kinds = (entry or {}).get("kinds") or ["assoc.response"]
        attrs: dict[str, Any] = {
            "policy_state": state,
            "ssid": d.get("ssid"),
            "ap": d.get("ap"),
            "told_by": "client-detail",
            "daemon": d.get("daemon"),
        }
        for kind in kinds:
            if kind == "dhcp.ack":
                if not d.get("ip") or d["ip"] == "0.0.0.0":
                    continue
                self.emit(kind, d["station"], {**attrs, "ip": d["ip"]})
            else:
                self.emit(kind, d["station"], attrs)

    def first(self, table: str, text: str, test: Any) -> dict[str, Any] | None:
        for entry in self.cat.tables.get(table) or ():
            if test(entry, text):
                return dict(entry)
        return None

    def emit(self, kind: str, station: str, attrs: dict[str, Any], stage: Stage | None = None) -> None:
        attrs = {k: v for k, v in attrs.items() if v is not None and v != ""}
        attrs.setdefault("daemon", "cisco-9800")  # (AireOS's messages set their own)
        ap = attrs.get("ap")
        self.add(kind, station, self.time, attrs, ap=ap, bssid=attrs.get("bssid"), stage=stage)


def _split(text: str) -> tuple[str, str | None, re.Match[str] | None, str | None]:
    """A line's message, the station its prefix names, its trace prefix (when it has one) and what comes
    before its syslog mnemonic (when it is a syslog line: the time stamps are there)."""
    syslog = _SYSLOG.search(text, 0, 600)
    trace = _TRACE.search(text, 0, 200)
    head = None
    if trace is not None and (syslog is None or trace.start() < syslog.start()):
        rest = text[trace.end() :]
    elif syslog is not None:
        trace, head, rest = None, text[: syslog.start()], text[syslog.start() :]
    else:
        debug = _DEBUG.search(text, 0, 250)
        if debug is not None:  # (AireOS: the stamp before the MAC, read as a syslog stamp is)
            return text[debug.end() :].strip(), normalize_mac(debug.group(1)), None, text[: debug.start(1)]
        rest = text  # (a trace's message pasted without its prefix)
    station = None
    m = _MAC_HEAD.match(rest) or _BRACKET_MAC.match(rest)
    if m is not None:
        station = normalize_mac(m.group(1))
        rest = rest[m.end() :]
    mnemonic = _SYSLOG.match(rest)
    if mnemonic is not None:  # the origin ("Chassis 1 R0/5: wncd: ") after the mnemonic
        origin = _ORIGIN.match(rest, mnemonic.end())
        if origin is not None:
            rest = rest[: mnemonic.end()] + rest[origin.end() :]
    return rest.strip(), station, trace, head


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it (for tests and tools)."""
    return _split(line)[0]


class CiscoWlcParser(CatalogueParser):
    name = "cisco-wlc"
    description = (
        "Cisco wireless controllers: Catalyst 9800 client traces, syslog and client detail; AireOS debug "
        "client and syslog"
    )
    example = (
        "2023/02/27 14:42:06.171706 {wncd_x_R0-0}{1}: [client-keymgmt] [16602]: (ERR): MAC: c81c.fe19.f2e5  "
        "Keymgmt: Failed to eapol key m3 retransmit failure. Max retries for M3 over"
    )
    catalogue = "cisco-wlc"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (60, 85)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = CiscoWlcParser()
