"""Cisco Meraki MR access points: the event log they send to a syslog server (the "events" role).

A line is ``[<PRI>1 ]<epoch.nanoseconds> <device> <role> <message>``, behind whatever header the syslog
server adds (``Sep 11 16:12:41 192.168.10.1 1 ...``).  For the ``events`` role the message is ``type=<type>``
and ``key='value'`` fields: ``client_mac`` names the client (``AA:BB:..`` or ``AA-BB-..``), ``aid`` ties the
events of one association together (an event without ``client_mac`` takes the MAC of an earlier one with
the same ``aid``), ``rssi`` is Meraki's signal-to-noise ratio in dB (kept as ``snr``), ``reason`` an IEEE
802.11 reason code, ``identity`` the 802.1X user name.  A disassociation tells the whole connection in
retrospect: how long it lasted and, when the client got one, its address (``ip_src``,
``dhcp_lease_completed``), or with ``auth_neg_failed='1'`` that the authentication failed (WPA key or
802.1X).  The message types are data (``parsers/catalogues/meraki.yaml``); the other roles (urls, flows,
Air Marshal) are known and carry no onboarding event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from wlandoctor.model import InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int
from wlandoctor.util.times import in_range

MAX_READ = 4096  # characters of a line looked at (a disassociation with every field is about 700)
AIDS_KEPT = 65_536  # association ids remembered to name the client of an event without client_mac

_HEAD = re.compile(
    r"(?:<\d{1,3}>1? ?)?(\d{9,11})\.(\d{1,9}) (\S{1,64}) "
    r"(events|airmarshal_events|urls|flows|firewall|vpn_firewall|cellular_firewall|security_event|ids-alerts) "
)
_FIELD = re.compile(r"(\w{1,40})='([^']{0,256})'")
_MAC_FIELD = re.compile(r"[0-9A-Fa-fXx]{2}(?:[:-][0-9A-Fa-fXx]{2}){5}")
_SNIFF = re.compile(
    rb"\d{9,11}\.\d{1,9} \S{1,64} (?:events type=|airmarshal_events type=|urls src=|flows (?:allow|deny) )"
)


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.aids: dict[str, str] = {}

    def emit(self, kind: str, station: str, t: float | None, ap: str, **attrs: Any) -> None:
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["daemon"] = "meraki"
        self.add(kind, station, t, attrs, ap=ap)

    def about_clients(self, text: str) -> bool:
        """(an event line of an AP is about clients, whatever its words)"""
        return " events type=" in text

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a message known to carry none)."""
        head = _HEAD.search(text, 0, 300)
        if head is None:
            return False
        body = text[head.end() :]
        role = head.group(4)

        def when() -> float | None:
            t = int(head.group(1)) + int(head.group(2)) / 10.0 ** len(head.group(2))
            if not in_range(t):
                self.summary.problem(self.number, "time stamp out of range, line kept without its time")
                return None
            return t

        return self.message(
            body if role == "events" else f"{role} {body}", _FIELD.findall(body), head.group(3), when
        )

    def message(
        self, body: str, found_fields: list[tuple[str, str]], ap: str, when: Callable[[], float | None]
    ) -> bool:
        """An event's message (``type=... key='value' ...``) and its fields, from an AP ``ap`` at ``when()``
        (asked only when the message gives an event); whether it was understood."""
        found = self.cat.match(body)
        if found is None:
            return False
        spec, _m = found
        if spec.kind is None:
            return True
        fields = dict(found_fields)
        station = self.station(fields)
        if station is None:
            return False  # (no client named, and no earlier event of its association: said, not guessed)
        t = when()
        attrs: dict[str, Any] = {
            **spec.attrs,
            "vap": fields.get("vap"),
            "channel": _int(fields.get("channel")),
        }
        snr = _int(fields.get("rssi"))
        if snr is not None and 0 <= snr <= 100:
            attrs["snr"] = snr
        reason = _int(fields.get("reason"))
        if reason is not None and 0 < reason < 1024:
            attrs["reason"] = reason
        if fields.get("identity"):
            attrs["identity"] = fields["identity"]
        if spec.handler == "disassociation":
            self.disassociation(station, t, ap, fields, attrs)
        else:
            self.emit(spec.kind, station, t, ap, **attrs)
        return True

    def station(self, fields: dict[str, str]) -> str | None:
        mac = fields.get("client_mac")
        aid = fields.get("aid")
        if mac and _MAC_FIELD.fullmatch(mac):
            station = normalize_mac(mac)
            if aid:
                if len(self.aids) >= AIDS_KEPT:
                    self.aids.clear()
                self.aids[aid] = station
            return station
        return self.aids.get(aid) if aid else None

    def disassociation(
        self, station: str, t: float | None, ap: str, f: dict[str, str], attrs: dict[str, Any]
    ) -> None:
        """The end of a connection, told with what it reached: an address (``ip_src``, ``dhcp_lease_completed``,
        ``dhcp_ip``) first when it had one; a failed authentication when ``auth_neg_failed='1'``."""
        if f.get("auth_neg_failed") == "1":
            kind = "eap.failure" if f.get("is_8021x") == "1" else "handshake.failed"
            self.emit(kind, station, t, ap, **attrs, what="auth-negotiation-failed")
            return
        ip = f.get("dhcp_ip") or f.get("ip_src")
        if ip and ip != "0.0.0.0" and (f.get("dhcp_lease_completed") or f.get("ip_resp")):
            self.emit("dhcp.ack", station, t, ap, ip=ip, told_by="disassociation")
        duration = _float(f.get("duration"))
        self.emit("sta.disassoc", station, t, ap, **attrs, duration_s=duration)


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it (for tests and tools)."""
    head = _HEAD.search(line, 0, 300)
    if head is None:
        return line
    body = line[head.end() :]
    return body if head.group(4) == "events" else f"{head.group(4)} {body}"


def _int(v: str | None) -> int | None:
    return as_int(v, 9, signed=False)


def _float(v: str | None) -> float | None:
    try:
        x = float(v) if v is not None and len(v) <= 32 else None
    except ValueError:
        return None
    return x if x is not None and 0 <= x < 10**9 else None


class MerakiParser(CatalogueParser):
    name = "meraki"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = "Cisco Meraki MR access point event log, as sent to a syslog server (events role)"
    example = (
        "<134>1 1639132851.608053271 AP1 events type=association radio='1' vap='0' "
        "client_mac='B0:A4:60:9B:3B:A6' channel='100' rssi='40' aid='125455944'"
    )
    catalogue = "meraki"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (60, 85)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


PARSER = MerakiParser()
