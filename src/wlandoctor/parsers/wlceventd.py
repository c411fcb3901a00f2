"""ASUS routers' wlceventd (Broadcom radios): the driver's client events as the router's syslog tells them,
read for the hostap reader, whose logs (the router's syslog, with hostapd and dnsmasq) hold them.

The program ships as a binary only; its format strings (``WLCEVENTD %s(%d): %s: Deauth_ind %s``, ``...
Disassoc %s``, ``... Auth %s``, ``... ReAssoc %s``, ``... Assoc %s``) and the lines of public posts give
the family, by firmware:

- 382/384: ``syslog: WLCEVENTD wlceventd_proc_event(420): eth1: Auth <MAC>, status: 0, reason: d11 RC
  reserved (0)``
- 386/388: ``wlceventd: wlceventd_proc_event(505): eth5: Auth <MAC>, status: Successful (0)``, and from
  388.2 on ``, rssi:-55`` after it
- ``... eth6: Deauth_ind <MAC>, status: 0, reason: Deauthenticated because sending station is leaving (or
  has left) IBSS or ESS (3)``, ``... Disassoc <MAC>, status: 0, reason: Disassociated because sending
  station is leaving (or has left) BSS (8)``

The status and reason words are the comments of Broadcom's 802.11.h; the number in brackets is the code.
``Deauth_ind`` and ``Disassoc`` are what the station sent (the driver's indications); an association
here comes before the 4-way handshake, which the router's hostapd or its firmware runs after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "<iface>: <Event> <MAC>, status: <words> (<n>)|<n>[, reason: <words> (<n>)][, rssi:<n>]"
_EVENT = re.compile(
    r"wlceventd_proc_event\(\d{1,6}\): (?P<iface>[\w.\-]{1,24}): (?P<event>Deauth_ind|Disassoc|Auth|ReAssoc|Assoc)"
    r" (?P<mac>\S{1,40}?),? status: (?:(?P<status_text>[^(,]{0,80}?) ?\((?P<status>[0-9a-fA-F]{1,4})\)|(?P<status_n>\d{1,4}))"
    r"(?:, reason: (?P<reason_text>.{0,160}?) ?\((?P<reason>[0-9a-fA-F]{1,4})\)(?=,|\s*$))?(?:, rssi:(?P<rssi>-?\d{1,3}))?"
)
KINDS = {
    "Auth": ("auth.response", "auth.reject"),
    "Assoc": ("assoc.response", "assoc.reject"),
    "ReAssoc": ("assoc.response", "assoc.reject"),
    "Deauth_ind": ("sta.deauth", "sta.deauth"),
    "Disassoc": ("sta.disassoc", "sta.disassoc"),
}


@dataclass(frozen=True, slots=True)
class WlcEvent:
    kind: str
    mac: str  # as written: the reader checks it is a MAC
    iface: str
    status: int | None
    reason: int | None
    reason_text: str | None
    rssi: int | None


def _code(text: str | None) -> int | None:
    """A code in brackets: decimal as posted; in hex when it holds a letter (seen as "(f)", "(7b7c)")."""
    if not text:
        return None
    return int(text, 16) if any(c in "abcdefABCDEF" for c in text) else int(text)


def read(body: str) -> WlcEvent | None:
    """The event of a wlceventd line, or None when the line is not one."""
    m = _EVENT.search(body)
    if m is None:
        return None
    status = _code(m["status"]) if m["status"] is not None else _code(m["status_n"])
    ok, refused = KINDS[m["event"]]
    kind = refused if status else ok
    rssi = int(m["rssi"]) if m["rssi"] and m["rssi"] != "0" else None  # (0: not measured)
    reason = _code(m["reason"])
    return WlcEvent(
        kind, m["mac"], m["iface"], status, reason or None, (m["reason_text"] or "").strip() or None, rssi
    )
