"""FreeRADIUS server output: ``radiusd -X`` / ``freeradius -X`` debug output and the ``radius.log`` file.

Message strings follow the FreeRADIUS 3.x source (``src/main/auth.c`` ``rad_authlog``/``auth_name``,
``src/main/process.c`` and ``listen.c`` packet logging) and real ``freeradius -X`` runs of the project's
802.1X lab (``tests/data/lab``).  The station is the request's ``Calling-Station-Id`` (any MAC notation), or
the ``cli <mac>`` of an ``Auth:`` line.  Requests are numbered ``(N)`` by the server; the number ties a
reply to its request and station.

What is not about one station (a request dropped for a bad Message-Authenticator before its attributes were
decoded, a request from an unknown client) becomes a station-less (global) event.
"""

from __future__ import annotations

import calendar
import re
import time as _time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from wlandoctor.capture.codes import TLS_ALERTS
from wlandoctor.model import Event, InputSummary, SourceRef
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.parsers.relevance import unread
from wlandoctor.sources import Input
from wlandoctor.sources.lines import decode_line, iter_raw_lines, sanitize
from wlandoctor.util.mac import is_real_mac, normalize_mac
from wlandoctor.util.recent import recent
from wlandoctor.util.times import MAX_YEAR, MIN_YEAR, STAMP_PROBLEM, in_range

MAX_TEXT = 600  # evidence text kept per event
MAX_READ = 4096  # characters of a line looked at
MAX_REQUESTS = 4096  # open requests remembered (oldest forgotten)
INNER_OUTER_S = 5.0  # an inner verdict and its outer line are written in the same moment
MAX_HELD = 8  # events a request holds till a line names its station
UNNAMED = "radius-request"  # (the station of unnumbered lines no later line named, with the file's name)
MAX_STATIONS = 65536

# --- prefixes --------------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
# radius.log: "Tue Nov 25 22:40:19 2026 : Auth: (8) Login incorrect ..." (also "Info:", "Error:", "Debug:")
_CTIME = re.compile(
    r"^(?:[A-Z][a-z]{2} )?(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<hms>\d\d:\d\d:\d\d)(?:\.\d+)? (?P<year>\d{4,6})"
    r"(?: : (?:(?P<level>[A-Za-z]+) ?: )?|\s*$)"  # (alone on its line: a detail file's packet stamp)
)
# syslog: "Nov 25 22:40:19 host radiusd[123]: ..." or ISO "2026-11-25T22:40:19+00:00 host freeradius[1]: ..."
_SYSLOG = re.compile(
    r"^(?:(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<hms>\d\d:\d\d:\d\d)(?:\.\d+)?"
    r"|(?P<iso>\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(?P<tz>Z|[+-]\d\d:?\d\d)?)"
    # (the server's name as its syslog tag: radiusd, freeradius, or an instance's own, PacketFence's auth,
    # acct and load_balancer)
    r" (?:\S+ )?(?:radiusd|freeradius|auth|acct|load_balancer)(?:\[\d+\])?: (?:(?P<level>[A-Za-z]+) ?: )?"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LEVEL = re.compile(r"^(?:Auth|Info|Error|Warning|WARNING|ERROR|Debug|Proxy) ?: ")
_REQNUM = re.compile(r"^\((?P<n>\d{1,10})\) ")

# --- messages (after the prefix and the request number) ----------------------------------------------

_RECEIVED = re.compile(
    r"^Received (?P<code>Access-Request) Id (?P<id>\d+) from (?P<src>\S+?):(?P<sport>\d+) to (?P<dst>\S+?):(?P<dport>\d+)"
)
# FreeRADIUS 2: "rad_recv: Access-Request packet from host 10.0.0.1 port 1645, id=12, length=181"
_RECEIVED_V2 = re.compile(
    r"^rad_recv: (?P<code>Access-Request) packet from host (?P<src>\S+) port (?P<sport>\d+), id=(?P<id>\d+)"
)
_SENT = re.compile(
    r"^Sent (?P<code>Access-Accept|Access-Reject|Access-Challenge) Id (?P<id>\d+) from \S+ to (?P<dst>\S+?):(?P<dport>\d+)"
)
# FreeRADIUS 2: "Sending Access-Reject of id 12 to 10.0.0.1 port 1645"; 3.0.0-3.0.3 name the server's own
# address too: "Sending Access-Accept of id 76 from 10.0.0.253 port 1812 to 10.0.0.2 port 56318"
_SENT_V2 = re.compile(
    r"^Sending (?P<code>Access-Accept|Access-Reject|Access-Challenge) of id (?P<id>\d+)"
    r"(?: from \S+ port \d+)? to (?P<dst>\S+) port (?P<dport>\d+)"
)
# a module's expansion in -X: "(0) authorized_macs: EXPAND %{Calling-Station-ID}", then "(0) authorized_macs:
#    --> 0C-2D-83-56-00-01"
_EXPAND = re.compile(r"EXPAND %\{(?i:Calling-Station-Id)\}\s*$")
_EXPANDED = re.compile(r"-->\s{0,8}(?P<value>\S{1,64})\s*$")
_ATTR = re.compile(r"^\s+&?(?:[a-z][a-z-]*:)?(?P<name>[A-Za-z][A-Za-z0-9-]*) (?::?=|\+=) (?P<value>.*)$")
# A packet written as its attributes (the detail module's files, radclient, a hosted server's log view):
# "Packet-Type = Access-Request" (tab-indented, or after a label: "Request Reply:<tab>Packet-Type = ...")
# opens the packet, whose "Name = value" lines follow, indented or not.
_PACKET_TYPE = re.compile(
    r"^(?:[A-Za-z][\w ]{0,40}:)?\s*Packet-Type = (?P<code>Access-(?:Request|Accept|Reject|Challenge))\s*$"
)
_BARE_ATTR = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9-]*) = (?P<value>.*)$")
# radsniff (src/main/radsniff.c): "<stamp> (<packet>) [** norsp ** ]Access-Request Id 4 eth0:<src>:<port> ->
# <dst>:<port> [+<rtt>]"; its status marks a request with no response (norsp), a retransmission (rtx)
_RADSNIFF = re.compile(
    r"(?:\*\* (?P<status>[a-z]{2,8}) \*\* )?(?P<code>Access-(?:Request|Accept|Reject|Challenge)) Id (?P<id>\d{1,3})"
    r" (?:[\w.-]{1,24}:)?(?P<src>[0-9A-Fa-f.:]{2,45}):(?P<sport>\d{1,5}) (?:->|<-) (?P<dst>[0-9A-Fa-f.:]{2,45}):(?P<dport>\d{1,5})"
)
# rad_authlog: "<msg>: [<user>[/<pass>]] (from client <name> port <n>[ cli <cli>][ via TLS tunnel])<extra>"
# (auth_name() in src/main/auth.c adds " via TLS tunnel" to the inner request of PEAP / TTLS)
_AUTHLOG = re.compile(
    r"^(?P<msg>Login OK|Login incorrect|Invalid user|Rejected in post-auth)(?: \((?P<why>.{0,1024}?)\))?: "
    r"\[(?P<user>.{0,1024}?)\] \(from client (?P<client>\S+) port (?P<port>\d+)(?: cli (?P<cli>\S+?))?(?P<via> via [A-Za-z ]{1,32})?\)"
)
_BAD_AUTH = re.compile(
    r"Received (?:(?P<reply>Access-\w+) )?packet from (?:home server |client )?(?P<src>[0-9A-Fa-f.:]+)(?: port (?P<port>\d+))?"
    r" with invalid (?P<what>Message-Authenticator|Request Authenticator|Response Authenticator)"
)
_UNKNOWN_CLIENT = re.compile(
    r"Ignoring request to (?P<service>\w+)(?: proto \w+)? address (?P<addr>\S+) port (?P<port>\d+)"
    r"(?: (?:bound to|as) server (?P<server>\S+))? from unknown client (?P<client>[0-9A-Fa-f.:]+)(?: port (?P<cport>\d+))?"
)
_MAC_IN = re.compile(
    r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}(?:[-:][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}[.-][0-9A-Fa-f]{4}[.-][0-9A-Fa-f]{4}|[0-9A-Fa-f]{12})(?![0-9A-Fa-f])"
)
_CLIENT_NAME = re.compile(r"\(from client (?P<client>[^)\s]+)\)")

# The server holds no password for the user to check the answer against (rlm_mschap, rlm_pap, rlm_chap):
# not the user's mistake, the account's entry (or the module that should fetch it) lacks the password
_NO_SERVER_PASSWORD = (
    "No Cleartext-Password configured",
    "No NT/LM-Password",
    "No NT-Password",  # (FreeRADIUS 3 rlm_mschap: "FAILED: No NT-Password.  Cannot perform authentication")
    'No "known good" password',
)
# The server could not ask its directory to check the password (ntlm_auth / winbind to Active Directory,
# the domain controller out of reach, the machine's domain trust broken): no verdict on the password at all.
# ntlm_auth's and winbind's own words, as rlm_mschap's "Program returned code (1) and output '...'" quotes them.
_BACKEND_FAILURE = (
    "Reading winbind reply failed",
    "winbind client not authorized",
    "NT_STATUS_NO_LOGON_SERVERS",
    "NT_STATUS_CANT_ACCESS_DOMAIN_INFO",
    "NT_STATUS_DOMAIN_CONTROLLER_NOT_FOUND",
    "NT_STATUS_NO_TRUST_SAM_ACCOUNT",
    "NT_STATUS_ACCESS_DENIED",
    "NT_STATUS_NO_SUCH_DOMAIN",
    "failed to connect to winbind",
    "Failed to connect to winbindd",
)
# Module failures that say the credential itself was wrong (FreeRADIUS 3 rlm_mschap, rlm_pap, rlm_chap, EAP-MD5).
_WRONG_CREDENTIAL = (
    "MS-CHAP2-Response is incorrect",
    "MS-CHAP-Response is incorrect",
    "Cleartext password does not match",
    "Password comparison failed",
    "CRYPT password check failed",
    "Password is incorrect",
    "CHAP password check failed",
    "MD5 challenge response does not match",
)
# Cheap pre-filter: a line holding none of these is skipped before any regular expression runs.
_PHRASES = (
    "Access-",
    "Calling-Station-Id",
    "Login ",
    "Invalid user",
    "Rejected in post-auth",
    "incorrect",
    "unknown client",
    "invalid Message-Authenticator",
    "invalid Request Authenticator",
    "invalid Response Authenticator",
    "Unprintable characters in the password",
    "User-Name",
    "does not match",
    "check failed",
    "comparison failed",
    "Reply-Message",
    "tunneled reply",  # the inner server's answer, in the outer method ("Got tunneled reply code 3")
    "Tunneled authentication was rejected",
    "NAK'd asking for",  # rlm_eap's method negotiation: "Peer NAK'd asking for unsupported EAP type ..."
    "No mutually acceptable types",
    "Alert read:",  # the TLS layer of EAP-TLS / PEAP / TTLS: "(TLS) Alert read:fatal:unknown CA"
    "Alert write:",
    "Alert, fatal",  # the same alert from the TLS message callback: "(TLS) recv TLS 1.2 Alert, fatal unknown_ca"
    "close_notify",  # the station closing the TLS session mid-handshake, then "the peer is misbehaving"
    "close notify",
    "peer is misbehaving",
    "Using Post-Auth-Type Reject",  # the server's decision to reject (-X), before its "Sent Access-Reject"
    "** norsp **",  # (radsniff: a request no answer came to)
    "EXPAND %{Calling-Station-",  # a module's expansion of the station's MAC (its value on the next line)
    "# authorize = reject",  # the authorize section's policy rejected the request
    *_NO_SERVER_PASSWORD,
    *_BACKEND_FAILURE,
)
_NAK_ASKED = re.compile(r"NAK'd asking for unsupported (?:EAP )?type (\S{1,40}(?: \(\d{1,3}\))?)")
_PHRASES_B = re.compile("|".join(re.escape(p) for p in _PHRASES).encode())
# the detail module's stamp, alone on the line before each packet: "Wed May  9 18:57:46 2018"
_DETAIL_STAMP_B = re.compile(rb"(?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d \d{4}\s*$")
# rad_authlog prints "[user/password]" when log_auth_badpass/goodpass is on: the password never leaves here.
_LOGGED_PASSWORD = re.compile(
    r"(\((?:[^()]|\([^()]*\))*\)|Login OK|Login incorrect|Invalid user|post-auth)(: \[[^\]/]*)/(?!<)[^\]]*\]"
)


_MODULE_TRACE = re.compile(rb"(?m)^\(\d{1,10}\) (?:eap_(?:tls|ttls|peap|fast|teap|pwd)|eap|mschap|pap): ")
_BARE_TAG = re.compile(r"(?:radiusd|freeradius)(?:\[\d{1,10}\])?: ")
_TLS_ALERT = re.compile(r"Alert (?P<dir>read|write):(?P<level>\w{1,12}):(?P<desc>[^\r\n]{1,80})")
# FreeRADIUS 3.0/3.2's TLS message callback names each record: "(TLS) send TLS 1.2 Alert, fatal
# protocol_version" (3.0.x writes "(TLS) TLS - send ..."); the info callback's "Alert write:" line follows.
_TLS_MSG_ALERT = re.compile(
    r"\b(?P<dir>send|recv) (?:TLS|SSL|DTLS) ?[\d.]{1,5} Alert, fatal (?P<desc>[A-Za-z_]{1,60})"
)
# its names ("unknown_ca") worded as the info callback and the other readers word them ("unknown CA")
_ALERT_WORDING = {v.casefold().replace(" ", "_"): v for v in TLS_ALERTS.values()}
_TUNNELED_REPLY = re.compile(
    r"Got tunneled reply (?:RADIUS )?code (?P<code>\d{1,3})|(?P<rejected>Tunneled authentication was rejected)"
)
# A reject's reason that says the TLS handshake of EAP-TLS / PEAP / TTLS failed, not a credential check:
# "(TLS) Alert read:fatal:unknown CA", "(TLS) Alert write:fatal:protocol version", "(TLS) Cannot continue,
# as the peer is misbehaving", "certificate verify failed" (rlm_eap_tls, src/main/tls.c).
_TLS_FAILURE = re.compile(r"\(TLS\)|TLS Alert|certificate|SSL routines|tls: ", re.IGNORECASE)


@dataclass(slots=True)
class _Req:
    number: int | None
    line: int
    text: str
    time: float | None
    client: str | None
    station: str = ""
    user: str | None = None
    answered: bool = False  # an accept or reject was reported for this request
    implicit: bool = False  # opened by its first line in an excerpt that starts after its packet
    alerts: set[str] = field(default_factory=set)  # TLS alerts told (each is written twice, in two forms)
    # events of a request no line has named the station of yet (radius.log writes a request's TLS errors
    # before its "Login incorrect ... cli <MAC>"): given to that station, or to the request's name at the end
    held: list[Event] = field(default_factory=list)
    failure: str | None = None  # the held failure's message, for the station's reject
    nak_asked: str | None = None  # the EAP method the station asked for in its Nak ("... type PEAP (25)")
    # the section whose policy rejected the request before any credential was checked ("} # authorize =
    # reject": an unlang reject, a MAC or group check)
    rejected_in: str | None = None
    closed_by_sta: bool = False  # the station sent close_notify in the middle of the TLS handshake
    post_auth_reject: tuple[int, str, float | None] | None = (
        None  # "Using Post-Auth-Type Reject" (line, text, time)
    )


@dataclass(slots=True)
class _Sta:
    open: bool = False  # an exchange (Access-Request .. Accept/Reject) is under way
    challenged: bool = False
    failure: str | None = None  # the most specific failure message seen in this exchange
    wrong_credential: bool = False
    no_password: bool = False  # the server had no password of the user's to check against
    backend_failed: bool = False  # the server could not ask its directory (winbind, the domain controller)
    inner_ok: bool = False  # the tunnelled (inner) request of PEAP/TTLS said Login OK
    # FreeRADIUS 3's inner request said "Login incorrect" with no module's reason: every module's error
    # (rlm_mschap, rlm_pap, a directory) is written in parentheses, so none refused the password; a policy
    # did (Auth-Type := Reject, an unlang reject)
    inner_unexplained: bool = False
    said_why: bool = False  # the line that says why the password could not match is cited (once an exchange)
    nas: str | None = None
    # the inner (tunnelled) server's reject, told by the outer method ("eap_peap: Got tunneled reply code
    # 3"): the outer reject follows it; an input that ends first still holds the failure (line, text, time)
    inner_reject: tuple[int, str, float | None] | None = None


@dataclass(slots=True)
class _Pending:
    """A reply whose attribute lines (Reply-Message) may still follow."""

    kind: str
    req: _Req
    line: int
    text: str
    time: float | None
    attrs: dict[str, Any] = field(default_factory=dict)


def _ctime_epoch(mon: str, day: str, hms: str, year: int) -> float | None:
    m = _MONTHS.get(mon)
    if m is None:
        return None
    try:
        h, mi, s = (int(x) for x in hms.split(":"))
        t = float(calendar.timegm((year, m, int(day), h, mi, s, 0, 0, 0)))
    except (ValueError, OverflowError):
        return None
    # (timegm adds a day 40 or an hour 99 up; a real stamp has neither)
    ok = MIN_YEAR <= year <= MAX_YEAR and 1 <= int(day) <= 31 and h <= 23 and mi <= 59 and s <= 60
    return t if ok else None


def _iso_epoch(iso: str, tz: str | None) -> float | None:
    try:
        t = calendar.timegm(_time.strptime(iso, "%Y-%m-%dT%H:%M:%S"))
    except (ValueError, OverflowError):
        return None
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        t -= sign * (int(digits[:2]) * 3600 + int(digits[2:4]) * 60)
    return float(t) if in_range(t) else None


def _tls_failure(body: str, m: re.Match[str] | None) -> str:
    """The failure a TLS alert line tells, from the alert on (``m``: the message callback's form, if so)."""
    at = m.start() if m is not None else max(body.find("Alert "), 0)
    return sanitize(("(TLS) " + body[at:].strip())[:200])


def _station_of(value: str) -> str | None:
    """The MAC in an attribute value such as ``"02-1A-B0-00-00-02"`` or ``"021ab0000002"``; None if none."""
    m = _MAC_IN.search(value)
    if m is None:
        return None
    mac = normalize_mac(m.group())
    return mac if is_real_mac(mac) else None


def _unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


class _Run:
    def __init__(self, inp: Input, summary: InputSummary) -> None:
        self.source = inp.name
        self.summary = summary
        self.year = self._year_of(inp)
        self.reqs: OrderedDict[int, _Req] = OrderedDict()
        self.unheld: list[Event] = []  # held events of requests forgotten, to give out (``_released``)
        # radius.log without request numbers (FreeRADIUS 2) writes a request's errors and its inner tunnel's
        # verdict before the outer "Login incorrect ... cli <MAC>": kept for the next line that names one
        self.next_held: list[Event] = []
        self.next_failure: str | None = None
        # (FreeRADIUS 3 numbers the inner request apart from the outer one, which follows it from the same
        # client: "(6)   Login incorrect (mschap: ...): [u] (... via TLS tunnel)", "(7) Login incorrect
        # (eap_peap: ...): [u] (... cli <MAC>)")
        self.next_inner: tuple[str, str | None, int, str, float | None] | None = None
        self.next_inner_from: tuple[str, bool] | None = None  # its client, and whether it was numbered
        self.stas: OrderedDict[str, _Sta] = OrderedDict()
        self.last_req: _Req | None = None  # the request received last (a drop line names none)
        self.received = False  # a request's packet was read ("Received Access-Request ...")
        self.dump = False  # packets are written as their attributes ("Packet-Type = Access-Request")
        self.pending: _Pending | None = None
        self.seq = 0
        self.line = 0
        self.time: float | None = None

    @staticmethod
    def _year_of(inp: Input) -> int:
        try:
            if inp.path is not None:
                return _time.gmtime(inp.path.stat().st_mtime).tm_year
        except OSError:
            pass
        return _time.gmtime().tm_year

    # -- output

    def _unjudged(
        self, n: int | None, number: int, text: str, body: str, t: float | None, flag: str, credential: str
    ) -> Iterator[Event]:
        """A module's line saying the password could not be judged (no password on the server, the
        directory out of reach): the exchange's flag set, the line kept as its failure and cited."""
        req = self._req(n, number, text, t)
        if req is None or not req.station:
            return
        st = self._sta(req.station)
        setattr(st, flag, True)
        if ":=" not in body and "->" not in body:  # (not a copy into Module-Failure-Message)
            if st.failure is None:
                st.failure = sanitize(body.strip()[:200])
            yield from self._why(st, req.station, number, text, t, credential)

    def _why(
        self, st: _Sta, station: str, number: int, text: str, t: float | None, credential: str
    ) -> Iterator[Event]:
        """The module's line that says why the password could not match, cited beside the reject."""
        if not st.said_why:
            st.said_why = True
            yield self._event("radius.password_check", station, number, text, t, {"credential": credential})

    def _event(
        self, kind: str, station: str, line: int, text: str, t: float | None, attrs: dict[str, Any]
    ) -> Event:
        assert kind in KINDS
        self.seq += 1
        clean = sanitize(_LOGGED_PASSWORD.sub(r"\1\2/«redacted»]", text[:MAX_TEXT]))
        attrs.setdefault("message", clean)
        attrs["daemon"] = "freeradius"
        if line == self.borrowed_line and t is not None:
            attrs["time_inferred"] = True
        return Event(
            kind=kind,
            station=station,
            stage=KINDS[kind].stage,
            ref=SourceRef(self.source, line, clean),
            time=t,
            seq=self.seq,
            attrs=attrs,
        )

    def _sta(self, station: str) -> _Sta:
        return recent(self.stas, station, _Sta, MAX_STATIONS)

    def _remember(self, req: _Req) -> None:
        if req.number is not None:
            old = self.reqs.get(req.number)
            if old is not None and old is not req:
                self.unheld.extend(old.held)  # (a request number used again: the old one's events stay)
            self.reqs[req.number] = req
            self.reqs.move_to_end(req.number)
            if len(self.reqs) > MAX_REQUESTS:
                self.unheld.extend(self.reqs.popitem(last=False)[1].held)
        self.last_req = req

    def _named(self, what: str) -> str:
        """A station named after something of this input (a request, its number or RADIUS id): ``what@file``."""
        return f"{what}@{PurePath(self.source).name or self.source}"

    def _of_request(
        self,
        n: int | None,
        req: _Req | None,
        kind: str,
        number: int,
        text: str,
        t: float | None,
        attrs: dict[str, Any],
    ) -> Iterator[Event]:
        """An event of a request's station; held till a line names it when none did yet (``held``,
        ``next_held``), or named by the request's number at the end."""
        if req is not None and req.station and not (n is None and req.answered):
            yield self._event(kind, req.station, number, text, t, attrs)
            return
        if n is None:
            if len(self.next_held) < MAX_HELD:
                self.next_held.append(self._event(kind, UNNAMED, number, text, t, attrs))
            return
        named = self._named(f"request ({n})")
        event = self._event(kind, named, number, text, t, attrs)
        if req is not None and len(req.held) < MAX_HELD:
            req.held.append(event)
        else:
            yield event

    def _released(self) -> Iterator[Event]:
        """Held events whose request was forgotten (``unheld``), under the request's name."""
        if self.unheld:
            yield from self.unheld
            self.unheld.clear()

    def _still_held(self) -> Iterator[Event]:
        """At the end of the input: held events no line gave a station, under the request's name."""
        yield from self._released()
        for req in self.reqs.values():
            yield from req.held
            req.held.clear()
        if self.next_held:
            named = self._named(UNNAMED)
            yield from (replace(e, station=named) for e in self.next_held)
            self.next_held.clear()

    def _req(self, n: int | None, number: int, text: str, t: float | None) -> _Req | None:
        """The request a numbered line belongs to.  In an excerpt cut after a request's packet (no
        "Received Access-Request" read yet) the request is opened by its first line, and continues the
        station of the request before it: an excerpt is one conversation, its later requests' packets
        cut as well."""
        if n is None:
            return self.last_req
        req = self.reqs.get(n)
        if req is None and not self.received:
            before = self.last_req
            req = _Req(n, number, text, t, None, implicit=True)
            if before is not None and before.implicit:
                req.station, req.user = before.station, before.user
            self._remember(req)
        return req

    def _flush(self) -> Iterator[Event]:
        p, self.pending = self.pending, None
        if p is None:
            return
        yield from self._reply(p.kind, p.req, p.line, p.text, p.time, p.attrs)

    def _reply(
        self, kind: str, req: _Req, line: int, text: str, t: float | None, attrs: dict[str, Any]
    ) -> Iterator[Event]:
        if not req.station:
            return
        st = self._sta(req.station)
        if kind == "radius.challenge":
            if st.challenged:
                return
            st.challenged = True
        else:
            if req.answered:
                return  # "Login incorrect" and "Sent Access-Reject" of one request: one reject
            req.answered = True
            if kind == "radius.reject":
                if st.failure:
                    attrs.setdefault("reason", st.failure)
                if st.failure and _TLS_FAILURE.search(st.failure):
                    # the TLS tunnel failed (EAP-TLS, PEAP, TTLS): no password was ever checked
                    attrs["credential"] = "tls"
                elif st.inner_ok:
                    attrs["credential"] = "inner-ok"
                elif st.backend_failed:
                    attrs["credential"] = "backend"
                elif st.no_password:
                    attrs["credential"] = "none-on-server"
                elif st.wrong_credential:
                    attrs["credential"] = "wrong"
                if req.rejected_in and "credential" not in attrs:
                    attrs["policy"] = "reject-in-" + req.rejected_in
                elif st.inner_unexplained and "credential" not in attrs:
                    attrs["policy"] = "inner-reject-unexplained"
            st.open = False
            st.challenged = False
            st.inner_reject = None
            st.failure = None
            st.wrong_credential = False
            st.no_password = False
            st.backend_failed = False
            st.inner_ok = False
            st.inner_unexplained = False
            st.said_why = False
        if req.user is not None:
            attrs.setdefault("user", req.user)
        if req.client:
            attrs.setdefault("nas", req.client)
        if req.number is not None:
            attrs.setdefault("request", req.number)
        yield self._event(kind, req.station, line, text, t, attrs)

    # -- the pass

    def run(self, inp: Input) -> Iterator[Event]:
        try:
            stream = inp.open()
        except (OSError, RuntimeError) as exc:
            self.summary.problem(0, f"cannot read: {exc}")
            return
        with stream:
            for number, raw, fragment in iter_raw_lines(stream, first_line=inp.first_line):
                if fragment:
                    if fragment == 1:
                        self.summary.problem(number, "line longer than 1 MiB: the rest of it is skipped")
                    continue
                if b"\x00" in raw:
                    self.summary.problem(number, "binary data, not a FreeRADIUS log line: skipped")
                    self.summary.skipped += 1
                    continue
                if (
                    not _PHRASES_B.search(raw, 0, MAX_READ * 4)
                    and not (len(raw) < 40 and _DETAIL_STAMP_B.match(raw))
                    and self.expanding_station is None  # (the expansion's value, on the line after it)
                ):
                    # Most of -X is module trace; the reply being built keeps waiting for its Reply-Message.
                    self.summary.skipped += 1
                    continue
                line = decode_line(number, raw[: MAX_READ * 4])
                if line.binary:
                    self.summary.problem(number, "binary data, not a FreeRADIUS log line: skipped")
                    self.summary.skipped += 1
                    continue
                text = line.text[:MAX_READ]
                if "\x1b" in text:  # -X on a terminal colours errors and warnings
                    text = _ANSI.sub("", text)
                yield from self._line(number, text)
        yield from self.end()

    def end(self) -> Iterator[Event]:
        """What the input's end gives: the reply waiting for its message, events held for a station no
        line named, and inner rejects whose outer reject never came."""
        yield from self._flush()
        yield from self._unsent_rejects()
        yield from self._still_held()
        yield from self._unanswered_inner_rejects()

    def _unsent_rejects(self) -> Iterator[Event]:
        """The input ended after a request's "Using Post-Auth-Type Reject" and before its "Sent
        Access-Reject": the reject all the same, under the request's station or its number."""
        for req in list(self.reqs.values()):
            if req.post_auth_reject is None or req.answered:
                continue
            line, text, t = req.post_auth_reject
            if not req.station and req.number is not None:
                req.station = self._named(f"request ({req.number})")
                yield from self._hand_over(req.held, req.failure, req.station)
            if req.station:
                yield from self._reply("radius.reject", req, line, text, t, {"verdict": "post-auth-reject"})

    def _unanswered_inner_rejects(self) -> Iterator[Event]:
        """The input ended after an inner reject and before the outer one: the reject it told."""
        for station, st in self.stas.items():
            if st.inner_reject is None:
                continue
            line, text, t = st.inner_reject
            st.inner_reject = None
            attrs: dict[str, Any] = {"what": "inner-reject"}
            if st.failure:
                attrs["reason"] = st.failure
            if st.backend_failed:
                attrs["credential"] = "backend"
            elif st.no_password:
                attrs["credential"] = "none-on-server"
            elif st.wrong_credential:
                attrs["credential"] = "wrong"
            yield self._event("radius.reject", station, line, text, t, attrs)

    def _line(
        self, number: int, text: str, after_prefix: str | None = None, when: float | None = None
    ) -> Iterator[Event]:
        """One line; ``after_prefix`` and ``when``: its message and time, when another parser read the line's
        prefix already (FreeRADIUS lines inside a router's syslog)."""
        if self.unheld:
            yield from self._released()
        self.line = number
        body = text if after_prefix is None else after_prefix
        t: float | None = when
        m = None if after_prefix is not None else _CTIME.match(body)
        if m:
            t = _ctime_epoch(m["mon"], m["day"], m["hms"], int(m["year"]))
            body = body[m.end() :]
            if t is None:
                t = self._borrow(number)
        elif after_prefix is None:
            m = _SYSLOG.match(body)
            if m:
                if m["iso"]:
                    t = _iso_epoch(m["iso"], m["tz"])
                else:
                    t = _ctime_epoch(m["mon"], m["day"], m["hms"], self.year)
                body = body[m.end() :]
                if t is None:
                    t = self._borrow(number)
            elif body.startswith(("radiusd", "freeradius")) and (tag := _BARE_TAG.match(body)) is not None:
                body = body[tag.end() :]  # (a syslog line copied without its stamp: "radiusd[3206]: ...")
            elif body[:1].isdigit():
                # any other stamp the common prefix layer knows (a web log view: "2021-06-19T01:38:00<tab>")
                p = split_prefix(body)
                if p.known and (p.time is not None or p.bad_stamp):
                    t, body = p.time, p.body if p.tag is None else f"{p.tag}: {p.body}"
                    if p.bad_stamp:
                        t = self._borrow(number)
        if t is not None:
            self.time = t
        if m is not None and not body.strip():
            self.summary.records += 1  # (the detail module's stamp before a packet)
            self.summary.coverage.understood += 1
            return
        ml = _LEVEL.match(body)
        if ml:
            body = body[ml.end() :]
        n: int | None = None
        mn = _REQNUM.match(body)
        at = mn.end() if mn else 0
        if body.startswith(("** ", "Access-"), at):
            sniffed = _RADSNIFF.match(body, at)
            if sniffed is not None:
                # radsniff's packet lines (numbered like -X's requests, the number of a packet, not a request)
                yield from self._flush()
                yield from self._radsniff(sniffed, number, text, t)
                self._count(number, text, after_prefix)
                return
        if mn:
            n = int(mn["n"])
            body = body[mn.end() :]
        if self.pending is not None and not (n == self.pending.req.number and self._attr(body)):
            yield from self._flush()
        before = self.seq
        yield from self._message(number, text, body, n, t)
        if self.seq > before:
            self._counted = True
        self._count(number, text, after_prefix)

    def _count(self, number: int, text: str, after_prefix: str | None) -> None:
        """The line as understood (it gave an event or changed state) or skipped."""
        if self._counted:
            self.summary.records += 1
            self.summary.coverage.understood += 1
        else:
            self.summary.skipped += 1
            if after_prefix is None:  # (a line of another parser's input is weighed by that parser)
                unread(self.summary.coverage, number, text)
        self._counted = False

    def _radsniff(self, m: re.Match[str], number: int, text: str, t: float | None) -> Iterator[Event]:
        """radsniff's packet line: a request opens an exchange (its attributes follow, tab-indented); an
        answer replies to the request before it; "** norsp **" says that request got no answer."""
        self._counted = True
        self.dump = True
        status, code = m["status"], m["code"]
        req = self.last_req
        if code == "Access-Request":
            if status == "norsp":
                if req is not None and req.station and not req.answered:
                    req.answered = True
                    attrs: dict[str, Any] = {"radius_id": int(m["id"]), "server": f"{m['dst']}:{m['dport']}"}
                    yield self._event("radius.no_reply", req.station, number, text, t, attrs)
                return
            if status is None:
                self._remember(_Req(None, number, text, t, m["src"]))
            return
        if req is None or not req.station or req.answered:
            return
        kind = {"Access-Accept": "radius.accept", "Access-Reject": "radius.reject"}.get(
            code, "radius.challenge"
        )
        self.pending = _Pending(kind, req, number, text, t, {"radius_id": int(m["id"])})

    _counted = False  # a line that changed state without an event (an attribute, a failure reason)
    expanding_station: int | None = None  # the request (-1: unnumbered) whose %{Calling-Station-Id} expands

    def _attr(self, body: str) -> re.Match[str] | None:
        """An attribute line: indented (-X, a detail file), or not in a packet written as its attributes."""
        m = _ATTR.match(body)
        if m is None and self.dump and "Packet-Type" not in body:
            m = _BARE_ATTR.match(body)
        return m

    borrowed_line = 0  # the last line whose stamp was unreadable: its events take the time before

    def _borrow(self, number: int) -> float | None:
        """The time for a line whose stamp is out of range: the line before's, so the log's order is kept."""
        self.summary.problem(number, STAMP_PROBLEM)
        self.borrowed_line = number
        return self.time

    def _message(self, number: int, text: str, body: str, n: int | None, t: float | None) -> Iterator[Event]:
        m = _RECEIVED.match(body) or _RECEIVED_V2.match(body)
        if m:
            self.received = True
            self._remember(_Req(n, number, text, t, m["src"]))
            self._counted = True
            return
        m = _PACKET_TYPE.match(body)
        if m:
            yield from self._packet_type(m["code"], number, text, t)
            return
        m = self._attr(body)
        if m:
            req = self._req(n, number, text, t)
            if (
                req is None
                and n is None
                and m["name"] in ("Calling-Station-Id", "User-Name")
                and not self.received
            ):
                # a packet's attributes at the start of an excerpt, its header cut (radsniff, a detail file)
                req = _Req(None, number, text, t, None, implicit=True)
                self._remember(req)
            if self.pending is not None and n == self.pending.req.number:
                if m["name"] == "Reply-Message":
                    self.pending.attrs["reply_message"] = sanitize(_unquote(m["value"])[:200])
                self._counted = True
                return
            if req is None or req.answered:
                return
            if m["name"] == "Module-Failure-Message" and req.station:
                # the inner server's failure copied to the outer session ("&Module-Failure-Message :=
                # &request:Module-Failure-Message -> 'mschap: MS-CHAP2-Response is incorrect'")
                if any(p in m["value"] for p in _WRONG_CREDENTIAL):
                    self._sta(req.station).wrong_credential = True
                self._counted = True
                return
            if m["name"] == "Calling-Station-Id" and not req.station:
                mac = _station_of(m["value"])
                if mac is None:
                    self.summary.problem(
                        number, f"Calling-Station-Id holds no MAC address: {sanitize(m['value'][:80])}"
                    )
                    return
                req.station = mac
                st = self._sta(mac)
                if not st.open:
                    st.open = True
                    st.challenged = False
                    attrs: dict[str, Any] = {"nas": req.client}
                    if req.user is not None:
                        attrs["user"] = req.user
                    if req.number is not None:
                        attrs["request"] = req.number
                    yield self._event("radius.request", mac, req.line, req.text, req.time, attrs)
                else:
                    self._counted = True
            elif m["name"] == "User-Name" and req.user is None:
                req.user = sanitize(_unquote(m["value"])[:128])
                self._counted = True
            return
        if body.startswith("Using Post-Auth-Type Reject"):
            # the server's decision (-X): kept for an excerpt that ends before the request's "Sent
            # Access-Reject" (which, when it comes, is the reject told).  Not indented: an inner tunnel's
            # (indented after the number) is told by its outer request's reject
            req = self._req(n, number, text, t)
            if req is None and n is not None:
                req = _Req(n, number, text, t, None, implicit=True)
                self._remember(req)
            if req is not None and not req.answered:
                req.post_auth_reject = (number, text, t)
            self._counted = True
            return
        if body.lstrip().startswith("} # authorize = reject"):
            req = self._req(n, number, text, t)
            if req is not None:
                req.rejected_in = "authorize"
            self._counted = True
            return
        m = _EXPAND.search(body)
        if m is not None:
            # a module expanding %{Calling-Station-Id} (authorized_macs, a MAC filter): the next line of the
            # request gives its value ("-->  0C-2D-83-56-00-01"), the station when no packet named it
            self.expanding_station = n if n is not None else -1
            self._counted = True
            return
        if self.expanding_station is not None:
            expanding, self.expanding_station = self.expanding_station, None
            v = _EXPANDED.search(body)
            if v is not None and expanding == (n if n is not None else -1):
                req = self._req(n, number, text, t)
                value = v["value"]
                mac = normalize_mac(value) if _MAC_IN.fullmatch(value) else None
                if req is not None and not req.station and mac is not None and is_real_mac(mac):
                    req.station = mac
                self._counted = True
                return
        m = _SENT.match(body) or _SENT_V2.match(body)
        if m:
            req = self._req(n, number, text, t)
            if (req is None or not req.station) and m["code"] != "Access-Challenge":
                # an accept or reject for a request no line named the station of (an excerpt without its
                # packet, a request without Calling-Station-Id): the request's number, or the packet's RADIUS
                # id (FreeRADIUS 2 and 3.0.0 number no request), names it: not lost
                if req is None:
                    req = _Req(None, number, text, t, None, implicit=True)
                    self._remember(req)
                which = f"({n})" if n is not None else f"(id {m['id']})"
                req.station = self._named(f"request {which}")
            if req is None or not req.station:
                self._counted = True  # a reply to a request whose station is not known
                return
            kind = {"Access-Accept": "radius.accept", "Access-Reject": "radius.reject"}.get(
                m["code"], "radius.challenge"
            )
            self.pending = _Pending(kind, req, number, text, t, {"radius_id": int(m["id"])})
            self._counted = True
            return
        m = _AUTHLOG.search(body.lstrip())  # (an inner-tunnel request's lines are indented after its number)
        if m:
            yield from self._authlog(number, text, m, n, t)
            return
        m = _BAD_AUTH.search(body)
        if m and ("Shared secret is incorrect" in body or "Authenticator" in m["what"]):
            yield from self._bad_authenticator(number, text, body, m, t)
            return
        m = _UNKNOWN_CLIENT.search(body)
        if m:
            found: dict[str, Any] = {"client": m["client"], "service": m["service"], "port": int(m["port"])}
            if m["server"]:
                found["server"] = m["server"]
            yield self._event("radius.unknown_client", "", number, text, t, found)
            return
        if "Unprintable characters in the password" in body:
            req = self._req(n, number, text, t)
            station = req.station if req is not None else ""
            yield self._event(
                "radius.bad_authenticator", station, number, text, t, {"what": "garbled-password"}
            )
            return
        m = _TUNNELED_REPLY.search(body)
        if m is not None:
            # rlm_eap_peap / rlm_eap_ttls: the inner request's verdict (3: Access-Reject, 2: Accept)
            req = self._req(n, number, text, t)
            if req is not None and req.station and (m["code"] in (None, "3")):
                self._sta(req.station).inner_reject = (number, text, t)
            self._counted = True
            return
        if "NAK'd asking for" in body or "No mutually acceptable types" in body:
            # rlm_eap's method negotiation (src/modules/rlm_eap/eap.c, eap_process_nak): the station refused
            # the server's method and asked for others; none of them is allowed here
            self._counted = True
            req = self._req(n, number, text, t)
            if "NAK'd asking for" in body:
                a = _NAK_ASKED.search(body)
                if req is not None and a is not None:
                    req.nak_asked = sanitize(a.group(1))[:40]
                return
            asked = req.nak_asked if req is not None else None
            yield from self._of_request(n, req, "eap.method_refused", number, text, t, {"asked_for": asked})
            return
        if "Alert, warning close_notify" in body or "Alert read:warning:close notify" in body:
            # the station closing the TLS session in the middle of the handshake (it will not go on: a
            # server certificate it does not accept, most often, which some clients say with no alert)
            req = self._req(n, number, text, t)
            if req is not None:
                req.closed_by_sta = True
            self._counted = True
            return
        if "peer is misbehaving" in body:
            # rlm_eap's TLS layer gives up on the session ("Cannot continue, as the peer is misbehaving"):
            # after the station's close_notify, the station ended the handshake
            req = self._req(n, number, text, t)
            if req is None or not req.closed_by_sta:
                self._counted = True
                return
        closed = "peer is misbehaving" in body  # (the station's close_notify told before it)
        if closed or "Alert read:" in body or "Alert write:" in body or "Alert, fatal" in body:
            # the TLS handshake failed ("read": the station sent the alert; "write": this server did): the
            # reason of the reject that follows, told before the password was ever checked
            self._counted = True
            if "TLS-Session-Information" in body:
                return  # the reply's attribute repeats the alert already told
            a = _TLS_ALERT.search(body)
            m = _TLS_MSG_ALERT.search(body) if a is None else None
            by, desc = "", None
            if m is not None:
                by, desc = (
                    ("sta" if m["dir"] == "recv" else "server"),
                    _ALERT_WORDING.get(m["desc"].casefold(), m["desc"].replace("_", " ")),
                )
            elif a is not None:
                by, desc = ("sta" if a["dir"] == "read" else "server"), a["desc"].strip()
            elif closed:
                by, desc = "sta", "close notify"
            req = self._req(n, number, text, t)
            if n is None and (req is None or req.answered):
                # no number and no request under way: the next line naming a station tells whose
                if desc is not None and len(self.next_held) < MAX_HELD:
                    said = {"tls_alert": desc, "tls_alert_by": by}
                    self.next_held.append(self._event("eap.tls_failure", UNNAMED, number, text, t, said))
                    self.next_failure = self.next_failure or _tls_failure(body, m)
                return
            if req is not None and desc is not None:
                told = f"{by} {desc.casefold()}"
                if told in req.alerts:
                    return
                req.alerts.add(told)
            whose = req.station if req is not None and req.station else None
            if whose is not None:
                st = self._sta(whose)
                if st.failure is None:
                    st.failure = _tls_failure(body, m)
            elif n is not None and (req is None or req.implicit):
                # an excerpt of -X without the request's packet: the request number names the exchange,
                # unless a later line of the request names its station (held till then)
                whose = self._named(f"request ({n})")
            if whose is not None and desc is not None:
                said = {"tls_alert": desc, "tls_alert_by": by}
                event = self._event("eap.tls_failure", whose, number, text, t, said)
                if req is not None and not req.station and len(req.held) < MAX_HELD:
                    req.held.append(event)
                    req.failure = req.failure or _tls_failure(body, m)
                    return
                yield event
            return
        for phrases, flag, credential in (
            (_BACKEND_FAILURE, "backend_failed", "backend"),
            (_NO_SERVER_PASSWORD, "no_password", "none-on-server"),
        ):
            if any(p in body for p in phrases):
                yield from self._unjudged(n, number, text, body, t, flag, credential)
                self._counted = True
                return
        for phrase in _WRONG_CREDENTIAL:
            if phrase in body:
                req = self._req(n, number, text, t)
                if req is not None and req.station:
                    st = self._sta(req.station)
                    st.wrong_credential = True
                    if ":=" not in body and "->" not in body and not st.no_password:
                        # (not a copy into Module-Failure-Message; nor what follows a missing password)
                        st.failure = sanitize(body.strip()[:200])
                        yield from self._why(st, req.station, number, text, t, "wrong")
                    self._counted = True
                return

    def _packet_type(self, code: str, number: int, text: str, t: float | None) -> Iterator[Event]:
        """ "Packet-Type = Access-...": a request opens an exchange (its attributes follow); an answer is the
        reply to the request before it (its own attributes, a Reply-Message, may follow)."""
        self.dump = True
        self._counted = True
        yield from self._flush()
        t = t if t is not None else self.time  # (a detail file stamps each packet on the line before it)
        if code == "Access-Request":
            self._remember(_Req(None, number, text, t, None))
            return
        req = self.last_req
        if req is None or not req.station or req.answered:
            return
        kind = {"Access-Accept": "radius.accept", "Access-Reject": "radius.reject"}.get(
            code, "radius.challenge"
        )
        self.pending = _Pending(kind, req, number, text, t, {})

    def _authlog(
        self, number: int, text: str, m: re.Match[str], n: int | None, t: float | None
    ) -> Iterator[Event]:
        req = self.reqs.get(n) if n is not None else None
        station = _station_of(m["cli"]) if m["cli"] else None
        if station is None and m["cli"]:
            # a Calling-Station-Id that is no MAC (a poster's "$MACADDRESS", a NAS that sends something
            # else): kept as the station's opaque name, as hostapd's masked MACs are
            station = sanitize(m["cli"][:40]).lower()
        if station is None and req is not None:
            station = req.station or None
        why = sanitize(m["why"][:200]) if m["why"] else None
        if m["via"] and not station:
            # the inner verdict before the outer line that names the station: FreeRADIUS 2 writes it unnumbered,
            # FreeRADIUS 3 under the inner request's own number
            self.next_inner = (m["msg"], why, number, text, t)
            self.next_inner_from = (m["client"], n is not None)
            self._counted = True
            return
        if not m["via"] and station and n is None:
            yield from self._give_next(station)
        elif not m["via"] and station and self.next_inner is not None:
            self._give_inner(station, m["client"], t)
        if m["via"]:
            self._inner(station, m["msg"], why, number, text, t, numbered=n is not None)
            self._counted = True
            return
        yield from self._outer(m, n, req, station, why, number, text, t)

    def _give_inner(self, station: str, client: str, t: float | None) -> None:
        """A numbered inner verdict held for the outer line after it: the same client's, within moments."""
        held, came = self.next_inner, self.next_inner_from
        self.next_inner = self.next_inner_from = None
        if held is None or came is None or came[0] != client:
            return
        msg, why, number, text, when = held
        if t is not None and when is not None and abs(t - when) > INNER_OUTER_S:
            return
        self._inner(station, msg, why, number, text, when, numbered=came[1])

    def _give_next(self, station: str) -> Iterator[Event]:
        """What unnumbered lines before this station's login line told (``next_held``, ``next_inner``)."""
        if self.next_inner is not None:
            msg, why, number, text, t = self.next_inner
            numbered = self.next_inner_from is not None and self.next_inner_from[1]
            self.next_inner = self.next_inner_from = None
            self._inner(station, msg, why, number, text, t, numbered=numbered)
        yield from self._hand_over(self.next_held, self.next_failure, station)
        self.next_failure = None

    def _hand_over(self, held: list[Event], failure: str | None, station: str) -> Iterator[Event]:
        """Events held for a station no line had named (emptied), now ``station``'s, with their failure."""
        if not held:
            return
        yield from (replace(e, station=station) for e in held)
        held.clear()
        if failure and self._sta(station).failure is None:
            self._sta(station).failure = failure

    def _inner(
        self,
        station: str | None,
        msg: str,
        why: str | None,
        number: int,
        text: str,
        t: float | None,
        *,
        numbered: bool = False,
    ) -> None:
        """The inner (tunnelled) request of PEAP/TTLS: its verdict is the reason of the outer one."""
        if station and msg == "Login OK":
            self._sta(station).inner_ok = True  # the password was right, whatever rejects after it
        elif station:
            st = self._sta(station)
            st.failure = why or msg
            st.backend_failed = st.backend_failed or (
                why is not None and any(p in why for p in _BACKEND_FAILURE)
            )
            st.no_password = st.no_password or (
                why is not None and any(p in why for p in _NO_SERVER_PASSWORD)
            )
            # (FreeRADIUS 3 writes every module's error as the reason: a bare reject there is a policy's;
            # FreeRADIUS 2's modules mostly wrote none, so there a bare reject is taken for the password)
            unexplained = msg == "Login incorrect" and why is None and numbered
            st.inner_unexplained = st.inner_unexplained or unexplained
            st.wrong_credential = st.wrong_credential or (
                msg == "Login incorrect"
                and not st.backend_failed
                and not st.no_password
                and not unexplained
                and (why is None or any(p in why for p in _WRONG_CREDENTIAL))
            )
            # (the outer reject follows; an input that ends first still holds the inner one's failure)
            st.inner_reject = (number, text, t)

    def _outer(
        self,
        m: re.Match[str],
        n: int | None,
        req: _Req | None,
        station: str | None,
        why: str | None,
        number: int,
        text: str,
        t: float | None,
    ) -> Iterator[Event]:
        """The outer request's verdict for ``station``."""
        if station is None:
            self.summary.problem(number, "authentication log line without a station (no cli): skipped")
            return
        if req is not None and not req.station:
            # the request's errors came first: they are this station's
            yield from self._hand_over(req.held, req.failure, station)
        if req is None or req.station != station:
            # A radius.log line on its own: the request itself was not in this input.
            req = _Req(n, number, text, t, m["client"], station=station)
            self._remember(req)
        if req.user is None:
            req.user = sanitize(m["user"].split("/", 1)[0][:128])
        st = self._sta(station)
        if m["msg"] == "Login OK":
            yield from self._reply("radius.accept", req, number, text, t, {})
            return
        if why and any(p in why for p in _WRONG_CREDENTIAL):
            st.wrong_credential = True
        if m["msg"] == "Login incorrect" and why is None and st.failure is None and not st.inner_ok:
            st.wrong_credential = True  # a plain "Login incorrect" is FreeRADIUS' word for a bad password
        if why and st.failure is None:
            st.failure = why
        attrs: dict[str, Any] = {"verdict": m["msg"]}
        yield from self._reply("radius.reject", req, number, text, t, attrs)

    def _bad_authenticator(
        self, number: int, text: str, body: str, m: re.Match[str], t: float | None
    ) -> Iterator[Event]:
        attrs: dict[str, Any] = {"what": m["what"], "from": m["src"]}
        c = _CLIENT_NAME.search(body)
        if c:
            attrs["client"] = c["client"]
        station = ""
        if m["what"] == "Response Authenticator" or "home server" in body:
            attrs["side"] = "home-server"  # a proxied reply: between this server and the next one
        else:
            req = self.last_req
            if req is not None and req.station and (req.client is None or req.client == m["src"]):
                station = req.station  # the request's attributes were decoded before the check failed
        yield self._event("radius.bad_authenticator", station, number, text, t, attrs)


# FreeRADIUS lines found inside another log (radiusd on the router that also runs hostapd): the other
# parser hands them to this reader, line by line (``_line``), and flushes it at the end (``_flush``).
RadiusLines = _Run


class FreeradiusParser:
    name = "freeradius"
    description = (
        "FreeRADIUS server output: radiusd -X / freeradius -X debug output, radius.log (Auth: Login OK / "
        "Login incorrect) and radiusd syslog lines"
    )
    example = "(3) Sent Access-Reject Id 9 from 127.0.0.1:1812 to 127.0.0.1:49591 length 44"

    _STRONG = (
        b"FreeRADIUS Version",
        b"Ready to process requests",
        b") Received Access-Request Id ",
        b") Sent Access-Accept Id ",
        b") Sent Access-Reject Id ",
        b") Sent Access-Challenge Id ",
        b"Sending Access-Reject of id ",  # (FreeRADIUS 2 and 3.0.0-3.0.3 -X)
        b"Sending Access-Accept of id ",
        b"Sending Access-Challenge of id ",
        b"Shared secret is incorrect",
        b"from unknown client",
        b": Auth: ",
        b"rad_recv: Access-Request packet from host",
        b"radiusd[",
        b"freeradius[",
    )
    _WEAK = (
        b"Login OK: [",
        b"Login incorrect",
        b"Calling-Station-Id = ",
        b"Packet-Type = Access-",
        b"Listening on auth address",
        b"rlm_",
    )

    def sniff(self, head: bytes) -> int:
        strong = sum(1 for s in self._STRONG if s in head)
        weak = sum(1 for s in self._WEAK if s in head)
        # an excerpt of -X holding only a request's module lines ("(11) eap_ttls: ERROR: ...") counts as one
        # weak sign per two such lines, at most two
        weak += min(2, len(_MODULE_TRACE.findall(head, 0, 65536)) // 2)
        if strong:
            score = min(95, 75 + 5 * (strong - 1) + 2 * weak)
        elif weak >= 2:
            score = 40
        else:
            score = 15 if weak else 0
        # A hostapd log quotes RADIUS too ("RADIUS message: code=1 (Access-Request)"): never claim one.
        if (
            score
            and (b"hostapd" in head or b"wpa_supplicant" in head or b"BTRACE" in head)
            and b"FreeRADIUS" not in head
        ):
            return min(score, 10)
        return score

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        yield from _Run(inp, summary).run(inp)


PARSER = FreeradiusParser()
