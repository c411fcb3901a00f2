"""MikroTik RouterOS logs: what an AP (or a CAPsMAN controller) says about its wireless clients and its
DHCP server, as ``/log print`` shows it or as a syslog server stores it.

A line is a time stamp, the topics, an optional logging-action prefix and the message:

- RouterOS's own stamps: ``jun/15 18:09:41`` and ``jan/01/1970 20:04:00`` (RouterOS 6), ``06-06 01:39:49`` and
  ``2025-01-22 15:29:58`` (RouterOS 7), ``13:46:53`` (an entry of today: the time alone); or a syslog
  server's header (``Nov 28 06:07:39 10.0.77.138 ``, journald's ``server 10.1.1.1[548]: ``, any form of
  ``parsers/prefix.py``);
- the topics: ``wireless,info``, ``wireless,debug``, ``caps,info``, ``dhcp,warning`` (a topic list that
  holds a severity; a space after the comma as some pastes have it);
- a logging action's prefix (``mikrotik2: ``, ``MikroTik: ``, ``debug: ``);
- the message, for a client ``<MAC>@<interface>: connected`` (RouterOS 6) or ``<MAC>@<interface> connected``
  (RouterOS 7, where an interface name may hold spaces).

The messages themselves are data (``parsers/catalogues/mikrotik.yaml``).  A station is named by the MAC of
the line; its AP by the router (the syslog host, when there is one) and interface.  A line with topics
that the catalogue does not know is counted as not understood when it names a client, and said.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from wlandoctor.model import Event, InputSummary, Stage
from wlandoctor.parsers.catalogue import Catalogue, LineRun, Message, load, read_lines
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.times import MONTHS

MAX_READ = 2048  # characters of a line looked at (a RouterOS log line is far shorter)
CLIENT_TOPICS = frozenset(("wireless", "wifi", "caps", "dhcp"))  # lines about clients: never skipped unsaid
WEAK_FLOOR_DBM = -120  # signal strengths below this (or above 0: some 7.x firmware prints them) are noise

# RouterOS's own stamps (RouterOS 6 "jun/15 18:09:41", "jan/01/1970 20:04:00", "13:46:53"; RouterOS 7
# "06-06 01:39:49", "2025-01-22 15:29:58"), at the start of a line
_ROS6 = re.compile(r"(?:([a-z]{3})/(\d\d)(?:/(\d{4}))? )?(\d\d):(\d\d):(\d\d) ")
_ROS7 = re.compile(r"(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) ")
# the topics, which always hold a severity ("wireless,info"; "caps, debug" as some pastes space them)
_TOPICS = re.compile(
    r"(?:^|(?<=[\s>:]))((?:[a-z][a-z0-9-]{0,20}, ?){1,5}(?:debug|info|warning|error|critical)"
    r"(?:, ?[a-z][a-z0-9-]{0,20}){0,4}) "
)
_MAC = r"[0-9A-Fa-fXx]{2}(?::[0-9A-Fa-fXx]{2}){5}"
_STATION_WORDS = (
    "connected|disconnected|reassociating|reconnecting|roamed to|associated|disassociated|reauthenticating"
)
# a client's line: "<MAC>@<interface>[:] <message>"
_STATION = re.compile(r"(" + _MAC + r")@([^@]{1,64}?):? (?=(?:" + _STATION_WORDS + r")\b)")
_SENDER = re.compile(r"(\d{1,3}(?:\.\d{1,3}){3})(?:\[\d{1,10}\])?: ")
_ACTION_PREFIX = re.compile(r"[\w.\-]{1,32}: ")
_SIGNAL = re.compile(r"signal strength (-?\d{1,4})")
_SNIFF = re.compile(
    rb"(?m)(?:^|[\s>:])(?:wireless|wifi|caps|dhcp)(?:, ?[a-z]+)*, ?(?:debug|info|warning|error|critical) "
)
_SNIFF_STATION = re.compile(rb"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}@[^@\n]{1,64}?:? (?:dis)?connected")
_SNIFF_BARE = re.compile(
    rb"(?m)^(?:\d\d:\d\d:\d\d )?[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}@[^@\s]{1,64}:? (?:dis)?connected\b"
)


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.time: float | None = None
        self.host: str | None = None
        self.client_topics = False  # the line's topics are about clients (wireless, wifi, caps, dhcp)

    # -- the line prefix

    def stamp(self, text: str) -> tuple[str, bool]:
        """The line after its time stamp (``self.time`` set); and whether a stamp was read."""
        self.time, self.host = None, None
        m = _ROS7.match(text)
        if m is not None:
            year, mon, day, hh, mi, ss = m.groups()
            stamp = (int(mon), int(day), int(hh), int(mi), int(ss), 0.0)
            self.time = self._dated(stamp, int(year) if year else None)
            return text[m.end() :], True
        m = _ROS6.match(text)
        if m is not None:
            mon_name, day, year, hh, mi, ss = m.groups()
            if mon_name is None:
                self.time = self.years.time_of_day((int(hh), int(mi), int(ss), 0.0))
                return text[m.end() :], True
            mon = MONTHS.get(mon_name)
            if mon is not None:
                self.time = self._dated(
                    (mon, int(day), int(hh), int(mi), int(ss), 0.0), int(year) if year else None
                )
                return text[m.end() :], True
        p = split_prefix(text)  # a syslog server's header (the topics are taken as its body)
        self.time = self.header_time(p)
        # (the router's name or address; not the topics, which a syslog time with no host puts there; a
        # syslog server that files each sender under its address as the tag, udp514-journal's
        # "server 10.1.1.1[548]: ", names the router by that tag)
        sender = _SENDER.match(p.body)
        self.host = sender.group(1) if sender else p.host if p.host and "," not in p.host else None
        return text, False

    def _dated(self, stamp: tuple[int, int, int, int, int, float], year: int | None) -> float | None:
        mon, day, hh, mi, ss, frac = stamp
        return self.dated(mon, day, hh, mi, ss, frac, year)

    # -- output

    def emit(self, kind: str, station: str, **attrs: Any) -> None:
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["daemon"] = "routeros"
        ap = attrs.pop("ap", None)
        # RouterOS 6 logs "connected" when it registers the client, before the key exchange (a key failure
        # follows as "unicast key exchange timeout"): as far as the log shows, the association
        stage = Stage.ASSOCIATION if kind == "sta.connected" and attrs.get("registered") else None
        self.add(kind, station, self.time, attrs, ap=ap, stage=stage)

    # -- one line

    def about_clients(self, _text: str) -> bool:
        """(a line of the wireless or DHCP topics is about clients, whatever its words)"""
        return self.client_topics

    def line(self, text: str) -> bool:
        """One line; whether it was understood (an event, or a message known to carry none)."""
        rest, _ = self.stamp(text)
        self.client_topics = False
        t = _TOPICS.search(rest, 0, 200)
        if t is None:
            # a line without topics (a memory action without them, a hand-copied console, a syslog server
            # that drops them): a client's, as the manual prints it ("<MAC>@<interface>: <message>"), or
            # one the catalogue knows whole (the DHCP server's "<server> assigned <ip> for <MAC>")
            body = rest.strip()
            self.client_topics = _STATION.match(body) is not None
            return self.message(body, "")
        topics = t.group(1).replace(" ", "")
        self.client_topics = topics.split(",", 1)[0] in CLIENT_TOPICS
        body = rest[t.end() :].strip()
        for _ in range(2):  # the message, or a logging action's prefix and then the message
            if self.message(body, topics):
                return True
            m = _ACTION_PREFIX.match(body)
            if m is None or _STATION.match(body) is not None:
                break
            body = body[m.end() :]
        return False

    def message(self, body: str, topics: str) -> bool:
        s = _STATION.match(body)
        registered = False
        if s is not None:
            station, iface = normalize_mac(s.group(1)), s.group(2).strip()
            msg = body[s.end() :]
            registered = s.group(0).endswith(": ")  # RouterOS 6's form ("@wlan1: connected")
        else:
            station, iface, msg = "", None, body
        found = self.cat.read(msg)
        if found is None:
            return False
        spec, fields = found
        if spec.kind is None and spec.handler is None:
            return True
        if "mac" in fields:
            station = normalize_mac(fields.pop("mac"))
            iface = iface or _debug_iface(body)
        if not station:
            return False
        attrs: dict[str, Any] = {**spec.attrs, **fields, "iface": iface, "topics": topics}
        if registered and spec.kind == "sta.connected" and spec.handler is None:
            attrs["registered"] = True
        attrs["ap"] = f"{self.host}/{iface}" if self.host and iface else iface
        sig = _SIGNAL.search(msg)
        if sig is not None:
            value = int(sig.group(1))
            if WEAK_FLOOR_DBM <= value < 0:
                attrs["rssi"] = value
        if "reason" in attrs:
            with contextlib.suppress(TypeError, ValueError):
                attrs["reason"] = int(attrs["reason"])
        self.handle(spec, station, attrs)
        return True

    def handle(self, spec: Message, station: str, attrs: dict[str, Any]) -> None:
        assert spec.kind is not None
        if spec.handler == "from_station":
            attrs["by"] = "sta"  # a deauthentication or disassociation the client sent
        elif spec.handler == "roamed":
            # the client left this AP for another one of the network: connected there
            to_iface = attrs.pop("to_iface").strip()
            attrs.pop("to_mac", None)
            attrs["roamed_from"] = attrs.get("ap")
            attrs["ap"] = f"{self.host}/{to_iface}" if self.host else to_iface
            attrs["iface"] = to_iface
        self.emit(spec.kind, station, **attrs)


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it: after stamp, topics, a logging action's prefix and
    a client's "<MAC>@<interface>" (for tests and tools)."""
    rest = _ROS7.sub("", line, count=1) if _ROS7.match(line) else _ROS6.sub("", line, count=1)
    t = _TOPICS.search(rest, 0, 200)
    body = rest[t.end() :].strip() if t is not None else rest
    m = _ACTION_PREFIX.match(body)
    if m is not None and _STATION.match(body) is None and _STATION.match(body[m.end() :]) is not None:
        body = body[m.end() :]
    s = _STATION.match(body)
    return body[s.end() :] if s is not None else body


def _debug_iface(body: str) -> str | None:
    """The interface a wireless debug line starts with ("wlan2.4: 60:AB:.. attempts to associate")."""
    head, sep, _ = body.partition(": ")
    return head if sep and len(head) <= 64 and " " not in head else None


class MikrotikParser:
    name = "mikrotik"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = (
        "MikroTik RouterOS log (wireless / wifi / CAPsMAN clients, DHCP server): /log print or syslog"
    )
    example = (
        "jun/15 18:17:20 wireless,info 0C:B3:19:29:08:13@wlan1: disconnected, unicast key exchange timeout"
    )

    def sniff(self, head: bytes) -> int:
        topics = len(_SNIFF.findall(head, 0, 65536))
        if topics == 0:
            # clients' lines without topics, each at the start of a line: "<MAC>@<interface>: connected"
            # (one such line is a paste of the message alone, as a remote syslog or an alert quotes it)
            bare = len(_SNIFF_BARE.findall(head, 0, 65536))
            return 45 if bare >= 2 else 30 if bare else 0
        if _SNIFF_STATION.search(head) is not None:
            return 85 if topics >= 2 else 70
        return 60 if topics >= 3 else 30

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        run = _Run(inp, summary, load("mikrotik"))
        yield from read_lines(inp, summary, run, MAX_READ)
        run.note_guesses()


PARSER = MikrotikParser()
