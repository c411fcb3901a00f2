"""A captive portal's lines in a router's log (uspot and its RADIUS client, radcli), by the catalogue
``catalogues/portal.yaml``; read for the hostap reader, whose logs (OpenWrt logread) hold them.

A portal's web handler names the station by its IP address only.  The DHCP lines of the same log tie an
address to a MAC (the lease the server acknowledged last); a portal line whose address no DHCP line named
before keeps the address as the station's name, said once in a note, so that a failure is never lost for
want of a MAC.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from typing import Any, Protocol

from wlandoctor.model import InputSummary
from wlandoctor.parsers.catalogue import load
from wlandoctor.util.mac import normalize_mac

MAX_LEASES = 65536  # addresses remembered (the oldest forgotten first): memory stays bounded

# what a line must start with (after the syslog prefix) to be tried: uhttpd's "uspot: <IP> - ..." and
# radcli's errors, whose tag is often empty (": radcli: ...")
STARTS = ("uspot: ", "radcli: ", ": radcli: ")
DAEMONS = frozenset(("uspot",))  # syslog tags whose every line is the portal's


class Emitter(Protocol):
    def __call__(self, kind: str, station: str, message: str, **attrs: Any) -> None: ...


class PortalLines:
    def __init__(self, summary: InputSummary) -> None:
        self.summary = summary
        self.leases: OrderedDict[str, str] = OrderedDict()  # IP address -> MAC
        self.unleased_noted = False

    @staticmethod
    def wants(tag: str | None, body: str) -> bool:
        return tag in DAEMONS or body.startswith(STARTS)

    def lease(self, ip: str | None, mac: str) -> None:
        """A DHCP line tied ``ip`` to ``mac``."""
        if not ip:
            return
        self.leases[ip] = mac
        self.leases.move_to_end(ip)
        if len(self.leases) > MAX_LEASES:
            self.leases.popitem(last=False)

    def read(self, body: str, emit: Emitter, problem: Any) -> bool:
        """Whether the line is a portal message this catalogue knows (its event, if any, emitted)."""
        found = load("portal").match(body)
        if found is None:
            return False
        msg, m = found
        fields = {k: v for k, v in m.groupdict().items() if v}
        ip, mac = fields.pop("ip", None), fields.pop("mac", None)
        if ip is not None:
            try:
                ip = str(ipaddress.ip_address(ip))
            except ValueError:
                problem(f"portal line without a valid client address ({msg.id})")
                return True
        if msg.kind is None:
            return True
        attrs = {**msg.attrs, **fields, "portal_message": msg.id}
        if mac is not None:
            station = normalize_mac(mac)
        elif ip is not None:
            attrs["ip"] = ip
            station = self.leases.get(ip) or self.unleased(ip)
        else:
            station = ""  # about the portal itself, no station (a global event)
        emit(msg.kind, station, body, daemon="portal", **attrs)
        return True

    def unleased(self, ip: str) -> str:
        if not self.unleased_noted:
            self.unleased_noted = True
            self.summary.notes.append(
                f"portal lines name stations by IP address (the first: {ip}) that no DHCP line before them "
                "ties to a MAC: the address stands for the station (read the DHCP server's log with this one "
                "to see its MAC)"
            )
        return ip
