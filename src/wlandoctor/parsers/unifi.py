"""Ubiquiti UniFi access points: their own log of clients (``/var/log/messages`` on the AP, or the syslog it
sends to a server or the UniFi console).

A line is a prefix, a program and a message.  The prefix may be a syslog server's header, the AP's own
stamp (``Wed Jul 24 08:13:04 2019 daemon.info``), the AP's tag (``f492bfa5743c,U6-Lite-5.60.16+13023:``
since firmware 5.43, ``("U7LR,44d9e7f618f2,v3.7.17.5220")`` before), a collector's tab-separated columns
(``10.10.30.5<TAB>Apr 17 09:20:05<TAB>U6-LR<TAB>...``), or nothing; the program is named once or twice
(``stahtd: stahtd[10213]:``, ``: stahtd[1924]:``, ``libubnt[1699]: wevent[1699]:``, ``hostapd[3346]:``).

The messages are data (``parsers/catalogues/unifi.yaml``): stahtd's association tracker (one JSON record a
client attempt, told by its counters and phase times: ``tracker`` below), wevent's client events, and the
hostapd and dnsmasq lines the same log holds.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from typing import Any

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.recent import recent

MAX_JOINED = 4096  # joins held for stations no other line told of yet
MAX_TOLD = 65536  # stations whose association a line told (bounded: the least recent forgotten)
SAME_ASSOCIATION_S = 5.0  # the tracker's record of an association hostapd told this long before is that one
MAX_READ = 4096  # characters of a line looked at (a tracker record with every field is about 700)

# where the message starts: after the last program name of the line (programs can be named twice)
_PROGRAM = re.compile(
    # ("syslog": the older firmware's wevent, '("U7LT,f09fc23d6d51,v3.9.3.7537") syslog: wevent.ubnt_...')
    r"(?:stahtd|wevent|libubnt|hostapd|mcad|dnsmasq-dhcp|dnsmasq|dhcpd|kernel|syslog)(?:\[\d{1,10}\])?: "
    r"(?!(?:stahtd|wevent|mcad)(?:\[\d{1,10}\])?: )"
)
_KEY_MESSAGES = {
    "M1": "eapol.m1.sent",
    "M2": "eapol.m2.received",
    "M3": "eapol.m3.sent",
    "M4": "eapol.m4.received",
}
_IP_COLUMN = re.compile(r"\d{1,3}(?:\.\d{1,3}){3} ")
_KEY_VALUE = re.compile(r"(\w{1,40}): (\S{1,64})")
_SNIFF = re.compile(
    rb"\[STA-TRACKER\]\.stahtd_dump_event|wevent\.ubnt_custom_event\(\): EVENT_STA_|EVT_AP_STA_ASSOC_TRACKER_DBG"
    # the AP's tag, as syslog gives it ("...+13023: ") or a collector's tab-separated columns ("...+15623<TAB>")
    rb"|[0-9a-f]{12},U[\w-]{1,30}-\d{1,2}\.\d{1,3}\.\d{1,3}\+\d{1,6}(?:: |\t)"
    # the older firmware's tag, the model first ("U7PG2,80daa889aa69,v4.3.24.11355: "), quoted before 4.0
    rb"|\(?\"?U[\w-]{1,16},[0-9a-f]{12},v\d{1,2}\.\d{1,3}\.\d{1,3}\.\d{1,6}\"?\)?:? "
)


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.time: float | None = None
        # wevent's EVENT_STA_JOIN of a station no other line tells of (held, bounded): its join comes before or
        # after the keys depending on the firmware, so it gives an event only when it is all there is
        self.joined: dict[str, Event] = {}
        # when each station's association (or connection) was last told by a line of its own: wevent's JOIN
        # and stahtd's association record after it are bookkeeping of the same association
        self.told: OrderedDict[str, float | None] = OrderedDict()
        self.limit_us = int(cat.tables.get("phase_limit_us", 60_000_000))

    def stamp(self, head: str) -> None:
        """The line's time, from what comes before its program (``self.time``)."""
        head = head.replace("\t", " ")
        m = _IP_COLUMN.match(head)
        if m is not None:
            head = head[m.end() :]  # (a collector's column of the sender's address)
        self.time = self.header_time(split_prefix(head))

    def about_clients(self, text: str) -> bool:
        """(a tracker record or a wevent client event is about clients, whatever its words)"""
        return "STA-TRACKER" in text or "EVENT_STA_" in text or "TRACKER_DBG" in text

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a message known to carry none)."""
        program = _last_program(text)
        if program is None:
            return False
        body = text[program.end() :]
        found = self.cat.match(body)
        if found is None:
            return False
        spec, m = found
        self.stamp(text[: program.start()])
        if spec.kind is None:
            return True
        fields = {k: v for k, v in m.groupdict().items() if v}
        if spec.handler == "tracker":
            return self.tracker(body[m.end() :])
        station = fields.pop("mac", None)
        if station is None:
            return False
        attrs: dict[str, Any] = {**spec.attrs, **fields}
        if "aid" in attrs:
            attrs["aid"] = int(attrs["aid"])
        kind = spec.kind
        if spec.handler == "key_message":
            kind = _KEY_MESSAGES[attrs.pop("message")]
        elif spec.handler == "dhcp":
            kind = {
                "DISCOVER": "dhcp.discover",
                "OFFER": "dhcp.offer",
                "ACK": "dhcp.ack",
                "NAK": "dhcp.nak",
            }.get(attrs.pop("what"), "dhcp.request")
        station = normalize_mac(station)
        join = spec.handler == "join"
        if join and station in self.told:
            return True  # (the association its other lines told: the join is its bookkeeping)
        self.emit(kind, station, attrs, hold=join)
        return True

    def just_told(self, station: str) -> bool:
        """Whether a line told this station's association a moment ago (or at no known time)."""
        if station not in self.told:
            return False
        when = self.told[station]
        return when is None or self.time is None or abs(self.time - when) <= SAME_ASSOCIATION_S

    # -- the association tracker

    def tracker(self, record: str) -> bool:
        """A tracker record: its JSON object (keys in any order, values strings, text after it) or the older
        "key: value" form.  What it gives depends on its event type and, for a failure, on how far the
        attempt got (phase times) and which counter is set."""
        f = _record(record)
        if f is None:
            return False
        mac = f.get("mac") or f.get("sta_mac")
        if not mac or not re.fullmatch(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}", mac):
            return False
        station = normalize_mac(mac)
        event = f.get("event_type", "")
        attrs: dict[str, Any] = {"vap": f.get("vap"), "tracker": event}
        rssi = _number(f.get("auth_rssi") or f.get("avg_rssi"))
        if rssi is not None and -120 <= rssi < 0:
            attrs["rssi"] = int(rssi)
        reached = {phase: self.phase(f, phase) for phase in ("assoc_delta", "wpa_auth_delta", "ip_delta")}
        if event == "success":
            self.emit("assoc.response", station, attrs)
            if reached["wpa_auth_delta"]:
                self.emit("handshake.success", station, attrs)
            if reached["ip_delta"] and f.get("ip_assign_type") == "dhcp":
                self.emit("dhcp.ack", station, {**attrs, "told_by": "tracker"})
            self.emit("sta.online", station, attrs)
        elif event in ("failure", "deny"):
            self.failure(station, f, reached, attrs)
        elif event == "association":
            if not self.just_told(station):
                self.emit("assoc.response", station, attrs)
        elif event == "sta_leave":
            reason = _number(f.get("deauth_reason") or f.get("disassoc_reason"))
            if reason is not None and 0 < reason < 1024:
                attrs["reason"] = int(reason)
            self.emit("sta.disassoc", station, {**attrs, "by": "sta", "what": f.get("sta_dc_reason")})
        elif event == "fixup" and "yes" in (f.get("dns_resp_seen"), f.get("arp_reply_gw_seen")):
            # the tracker's correction of a client already on: it names the client's traffic it saw (DNS
            # answers, the gateway's ARP reply), the proof of an online client a log cut before its
            # success record still holds
            self.emit("sta.online", station, {**attrs, "told_by": "tracker fixup"})
        elif event == "dns timeout" and station not in self.told:
            # the tracker saw the station's DNS queries go unanswered: it is associated and sends traffic, so
            # it joined before the input starts (its DNS trouble is past the join)
            timeouts = _number(f.get("dns_timeouts"))
            if timeouts is not None and 0 < timeouts < 1e9:
                attrs["dns_timeouts"] = int(timeouts)
            self.emit(
                "sta.connected", station, {**attrs, "what": "before_input", "told_by": "tracker dns timeout"}
            )
        # (soft failure, sta_roam, a dns timeout of a station already told, a fixup that saw no traffic:
        # known, no onboarding event; a roam, or DNS after it got online)
        return True

    def failure(
        self, station: str, f: dict[str, str], reached: dict[str, bool], attrs: dict[str, Any]
    ) -> None:
        """A failed attempt: where it stopped.  A policy refusal has a non-zero assoc_status (not an IEEE
        status) with the check named after the record; else the counter that is set and the last phase
        reached tell the stage."""
        status = _number(f.get("assoc_status"))
        policy = f.get("_after", "").strip(" -").split(",")[0].strip() or None
        if reached["assoc_delta"]:
            self.emit("assoc.response", station, attrs)
        if status and policy:
            self.emit("assoc.reject", station, {**attrs, "tracker_status": int(status), "policy": policy})
        elif (_number(f.get("wpa_auth_failures")) or 0) > 0 or (
            reached["assoc_delta"] and not reached["wpa_auth_delta"]
        ):
            self.emit(
                "handshake.failed",
                station,
                {
                    **attrs,
                    "what": "wpa-auth-failures",
                    "failures": int(_number(f.get("wpa_auth_failures")) or 0),
                },
            )
        elif (_number(f.get("auth_failures")) or 0) > 0 and not reached["assoc_delta"]:
            self.emit(
                "auth.timeout", station, {**attrs, "failures": int(_number(f.get("auth_failures")) or 0)}
            )
        elif reached["wpa_auth_delta"] and not reached["ip_delta"]:
            self.emit("dhcp.failure", station, {**attrs, "reason": "no-ip"})
        else:
            self.emit("assoc.failure", station, {**attrs, "reason": "tracker-failure"})

    def phase(self, f: dict[str, str], key: str) -> bool:
        """Whether the attempt reached a phase: its time is there and is a time (0 to a minute)."""
        v = _number(f.get(key))
        return v is not None and 0 <= v <= self.limit_us

    def emit(self, kind: str, station: str, attrs: dict[str, Any], hold: bool = False) -> None:
        attrs = {k: v for k, v in attrs.items() if v is not None and v != ""}
        attrs["daemon"] = "unifi"
        self.add(kind, station, self.time, attrs, ap=attrs.get("vap"))
        if hold:
            if station not in self.joined and len(self.joined) >= MAX_JOINED:
                self.out.insert(0, self.joined.pop(next(iter(self.joined))))  # (the oldest told after all)
            self.joined[station] = self.out.pop()
        else:
            self.joined.pop(station, None)  # (its other lines tell the join)
            if kind in _ASSOCIATED:
                recent(self.told, station, lambda: None, MAX_TOLD)
                self.told[station] = self.time

    def finish(self) -> list[Event]:
        """At the end of the input: the joins of stations no other line told of."""
        super().finish()
        held, self.joined = list(self.joined.values()), {}
        return held


# lines that tell a station's association, its connection or its address: a join after them is bookkeeping
_ASSOCIATED = frozenset(("assoc.response", "sta.connected", "handshake.success", "dhcp.ack", "sta.online"))


def _record(text: str) -> dict[str, str] | None:
    """The fields of a tracker record: a JSON object (with what follows it as ``_after``; quotes doubled by
    a CSV export undone), or "key: value" pairs."""
    text = text.lstrip()
    if text.startswith("{"):
        for candidate in (text, text.replace('""', '"')):
            try:
                obj, end = json.JSONDecoder().raw_decode(candidate)
            except (ValueError, RecursionError):  # (not JSON; or arrays nested past the interpreter's depth)
                continue
            if isinstance(obj, dict):
                out = {str(k): str(v) for k, v in obj.items() if isinstance(v, str | int | float)}
                out["_after"] = candidate[end : end + 80]
                return out
        return None
    pairs = dict(_KEY_VALUE.findall(text))
    return pairs or None


def _number(v: str | None) -> float | None:
    if v is None or len(v) > 24:
        return None
    try:
        x = float(v)
    except ValueError:
        return None
    return x if x == x and abs(x) < 1e15 else None


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it (for tests and tools)."""
    program = _last_program(line)
    return line[program.end() :] if program is not None else line


def _last_program(text: str) -> re.Match[str] | None:
    """The last program named before the message (a line can name two: "libubnt[1699]: wevent[1699]: ")."""
    last = None
    for m in _PROGRAM.finditer(text, 0, 600):
        last = m
    return last


class UnifiParser(CatalogueParser):
    name = "unifi"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = "Ubiquiti UniFi AP log: stahtd association tracker, wevent client events, hostapd (syslog or /var/log/messages)"
    example = (
        "<30>Nov  2 09:43:55 LoftAP6 f492bfa5743c,U6-Lite-5.60.16+13023: stahtd: stahtd[10213]: "
        '[STA-TRACKER].stahtd_dump_event(): {"mac":"0c:cf:89:81:de:d1","assoc_status":"2048","event_type":"failure"}'
    )
    catalogue = "unifi"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (80, 95)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = UnifiParser()
