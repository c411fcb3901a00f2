"""Never silent: lines that look like onboarding events but that no parser understood.

A line *looks relevant* when it names a station (a MAC address in any notation) or comes from a Wi-Fi
daemon, and holds onboarding vocabulary (EAPOL, WPA, 802.1X, EAP, associat-, authenticat-, deauth,
handshake, DHCP, RADIUS, ...).  Parsers count the lines they understood and hand the others to
``Coverage.unread``; what looks relevant there is counted, its first lines kept (file:line), and tied to
the station it names.  Messages known to carry no onboarding event (debug chatter, state-machine traces)
are listed as data in ``parsers/known_chatter.txt`` and are not counted.

Coverage of an input (``model.Coverage.ratio``) = lines understood / (lines understood + relevant lines
not understood).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from wlandoctor.model import Coverage, InputSummary
from wlandoctor.model.diagnosis import (
    HINTS_COUNTED,  # (a large input of another kind is not searched to its end)
)
from wlandoctor.sources.lines import sanitize
from wlandoctor.util.mac import normalize_mac

# MACs in colon, dash, Cisco dotted and Huawei dashed notation; "x" for digits a poster redacted
# (a colon may stand right before or after one: "station:04:f7:..", "sta:9e:46:..", "Assoc request:
# 00:19:..:51: AP"; not one that continues the hex, as in an IPv6 address or a key: a pair, or a lone digit
# after a colon, before it)
MAC_PATTERN = (
    r"(?<![0-9A-Fa-f])(?<![0-9A-Fa-f]{2}:)(?<![:.][0-9A-Fa-f]:)(?:[0-9A-Fa-fxX]{2}[:-]){5}[0-9A-Fa-fxX]{2}(?![0-9A-Fa-f])(?!:[0-9A-Fa-f])"
    r"|(?<![0-9A-Fa-f.-])[0-9A-Fa-f]{4}[.-][0-9A-Fa-f]{4}[.-][0-9A-Fa-f]{4}(?![0-9A-Fa-f.-])"
)
_MAC = re.compile(MAC_PATTERN)
# Onboarding vocabulary, matched as plain substrings of the lower-cased line: a loop of `in` tests runs
# many times faster than one case-insensitive alternation (the relevance test runs on every line that
# gave no event).
_VOCAB = (
    "eapol",
    "wpa",
    "802.1x",
    "eap",
    "associat",
    "assoc",  # controllers' own abbreviations: "Assoc request", "Assoc success" (Aruba), "assoc-req"
    "station up",  # Aruba authmgr "Station UP", auth-tracebuf "station-up"
    "station-up",
    "authenticat",
    "auth_req",  # a Wi-Fi driver's own frame log: "[recv auth_req] TA:[<MAC>]" (MediaTek), "auth_rsp"
    "auth_rsp",
    "deauth",
    "disassoc",
    "handshake",
    "dhcp",
    "radius",
    "4-way",
    "pmk",
    "psk",
    "supplicant",
    "roam",
    "ssid",
    "connect",
    "ptk",
    "gtk",
    "wep",
    "sae",
    "access-accept",
    "access-reject",
    "key mismatch",
    "key incorrect",
    "wrong key",
    "secrets",
)
# Words specific enough to onboarding to make a line relevant on their own (an embedded client's serial
# log, a RADIUS server's log whose MACs were redacted)
_STRONG = (
    "4-way handshake",
    "4way_handshake",
    "4way handshake",
    "eapol",
    "login incorrect",
    "access-reject",
    "assoc reject",
    "assoc_reject",
    "association reject",
    "auth failed",
    "auth_failed",
    "authentication failed",
    "auth timeout",
    "auth_timeout",
    "authentication timeout",
    "auth reject",
    "authentication reject",
    "wrong key",
    "wrong_key",
    "wrong password",
    "pre-shared key",
    "handshake timeout",
    "handshake_timeout",
)
# Daemons whose lines are about Wi-Fi onboarding even when they name no station
# (as a syslog tag, or an interface name before one of their module names)
_DAEMON = re.compile(
    r"(?:^|[\s\]>])(?:hostapd|wpa_supplicant|NetworkManager|iwd|dhclient|dhcpcd|odhcpd|dnsmasq(?:-dhcp)?"
    r"|radiusd|freeradius)(?:\[\d+\])?: "
)
_IFACE_MESSAGE = re.compile(r"(?:^|\s)[A-Za-z][\w.\-@]{0,23}: (?:(?:WPA|RSN|EAP|EAPOL|SME): |CTRL-EVENT-)")
# Words that speak of joining a WLAN whoever prints them, weighed only while an input gave no event at all:
# an embedded client's console names no station and no daemon ("[WLAN-A] start auth to <BSSID>",
# "wifi got ip"), and a form no reader knows must still be said, not reported as "no station found".
# (A substring test first, the fast common answer; the words whole then, on the line lowered.)
_HINT_PARTS = (
    "wi-fi", "wifi", "wlan", "auth", "assoc", "connect", "got ip", "ssid", "dhcp", "lease", "handshake",
    "eap", "wpa", "rsn", "beacon", "rssi", "station", "supplicant",
)  # fmt: skip
HINT = re.compile(
    r"\b(?:wi-?fi|wlan\d*|auth\w*|assoc\w*|(?:dis|re)?connect\w*|got ip|ssid|bssid|dhcp\w*|lease|deauth\w*"
    r"|handshake|eap\w*|wpa\d?|rsn|beacon|rssi|station|supplicant)\b"
)
HINTS_SHOWN = 3
FIRST_SHOWN = 5  # unread lines kept per input, to show
PER_STATION_SHOWN = 3  # unread lines kept per station
MAX_STATIONS = 65536  # stations whose unread lines are tied to them, per input
TEXT_CHARS = 200  # of an unread line kept to show


@cache
def _chatter() -> re.Pattern[str]:
    """Known messages that carry no onboarding event, one substring a line (parsers/known_chatter.txt)."""
    text = resources.files("wlandoctor.parsers").joinpath("known_chatter.txt").read_text(encoding="utf-8")
    phrases = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    # (case-blind, on the line lowered: a retyped paste capitalises words the program did not; a pattern
    # of literals keeps the engine's fast search, which re.IGNORECASE would lose)
    return re.compile("|".join(re.escape(p.lower()) for p in phrases))


_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# the states a controller's client table shows a station in (Cisco, Aruba, Huawei, Ruckus ...)
_ROW_STATES = ("run", "ip learn", "webauth", "excluded", "probing", "associated", "online", "idle")


def _client_row(text: str, low: str) -> bool:
    """A row of a controller's client table with no onboarding word in it: columns (two blanks apart) that
    name a station beside an IPv4 address or a state word ("58bf.ea58.b399 ap-12   WLAN 17   Run   11ac")."""
    if "  " not in text.strip() or _MAC.search(text) is None:
        return False
    return _IPV4.search(text) is not None or any(f" {w} " in f" {low} " for w in _ROW_STATES)


def _may_be_relevant(t: str) -> bool:
    """A cheap first test (an "or" chain of substring tests, the fastest filter CPython offers): can the
    line name a station, a Wi-Fi daemon, or speak of onboarding on its own words at all?"""
    return (
        t.count(":") >= 5  # a MAC in colon form (or a Huawei "xxxx-xxxx-xxxx", or a dashed one, below)
        or t.count("-") >= 2
        or "hostapd" in t
        or "wpa_supplicant" in t
        or "NetworkManager" in t
        or "iwd" in t
        or "radiusd" in t
        or "DHCP" in t
        or "dhcpcd" in t
        or "dhclient" in t
        or ": WPA: " in t
        or ": EAP" in t
        or ": RSN: " in t
        or ": SME: " in t
        or "CTRL-EVENT-" in t
        or "andshake" in t
        or "ANDSHAKE" in t
        or "EAPOL" in t
        or "ogin incorrect" in t
        or "ccess-Reject" in t
        or "-shared key" in t
        or "rong key" in t
        or "WRONG" in t
        or "ASSOC_REJECT" in t
        or "AUTH_" in t
        or "uthentication failed" in t
        or "uthentication timeout" in t
    )


def looks_relevant(text: str) -> bool:
    """A line that names a station or comes from a Wi-Fi daemon, with onboarding vocabulary in it; or a
    client table's row (a station with its address or its state: ``_client_row``)."""
    if not _may_be_relevant(text):
        return False
    low = text.lower()
    for word in _VOCAB:
        if word in low:
            break
    else:
        return _client_row(text, low)
    # known chatter first: it is the commonest answer for a debug log's lines, and the tests below cost more
    if _chatter().search(low) is not None:
        return False
    # a station named, a Wi-Fi daemon's tag, an interface before a module's message ("wlan0: WPA: 4-Way
    # Handshake failed ..."), or words that speak of onboarding whoever prints them
    for phrase in _STRONG:
        if phrase in low:
            return True
    return not (
        _MAC.search(text) is None and _DAEMON.search(text) is None and _IFACE_MESSAGE.search(text) is None
    )


def finish(summary: InputSummary) -> None:
    """After an input was read: the lines its reader skipped as not its format, then its relevant lines not
    understood, each one problem naming the first."""
    if summary.unrecognised:
        summary.problem(
            summary.first_unrecognised,
            f"{summary.unrecognised} line(s) not recognised as {summary.unrecognised_as} and skipped "
            f"(first at line {summary.first_unrecognised})",
        )
        summary.unrecognised = 0
    cov = summary.coverage
    if not cov.unread:
        if summary.hinted_lines():
            lines = ", ".join(str(n) for n, _ in cov.hints)
            what = "line speaks" if cov.hinted == 1 else "lines speak"
            if cov.hinted >= HINTS_COUNTED:
                what = "or more lines speak"
            summary.problem(
                cov.hints[0][0],
                f"no event understood, but {cov.hinted} {what} of Wi-Fi in a form no reader knows "
                f"(line {lines}; first: {sanitize(cov.hints[0][1][:120])!r})",
            )
        return
    lines = ", ".join(str(n) for n, _ in cov.first[:3])
    what = "line looks" if cov.unread == 1 else "lines look"
    if summary.records == 0:
        head = f"no event understood, but {cov.unread} {what} like onboarding events"
    else:
        head = f"{cov.unread} {what} like onboarding events but {'was' if cov.unread == 1 else 'were'} not understood"
    summary.problem(cov.first[0][0], f"{head} (line {lines}; first: {sanitize(cov.first[0][1][:120])!r})")


def scan(lines: Iterable[tuple[int, str]], summary: InputSummary) -> None:
    """An input no parser took: its lines that look like onboarding events are counted and said."""
    for number, text in lines:
        unread(summary.coverage, number, text)
    finish(summary)


def unread(cov: Coverage, number: int, text: str, relevant: bool | None = None) -> None:
    """A line the parser did not understand: counted and kept in ``cov`` when it looks relevant (or when
    the parser knows it is: ``relevant``)."""
    if not (looks_relevant(text) if relevant is None else relevant):
        if cov.hinted < HINTS_COUNTED and not cov.understood and not cov.unread and _hints(text):
            cov.hinted += 1
            if len(cov.hints) < HINTS_SHOWN:
                cov.hints.append((number, text[:TEXT_CHARS]))
        return
    cov.unread += 1
    if cov.tap is not None:
        cov.tap(number, text)
    if len(cov.first) < FIRST_SHOWN:
        cov.first.append((number, text[:TEXT_CHARS]))
    for m in _MAC.finditer(text, 0, 4096):
        station = normalize_mac(m.group())
        seen = cov.by_station.get(station)
        if seen is None:
            if len(cov.by_station) >= MAX_STATIONS:
                continue
            seen = cov.by_station[station] = [0]
        seen[0] += 1
        if len(seen) <= PER_STATION_SHOWN and seen[-1] != number:
            seen.append(number)


def _hints(text: str) -> bool:
    """A line with a word of ``HINT`` (in its first KB), not a known chatter message."""
    low = text[:1024].lower()
    for part in _HINT_PARTS:
        if part in low:
            return HINT.search(low) is not None and _chatter().search(low) is None
    return False


def stations_named(text: str) -> list[str]:
    """The stations (MAC addresses, normalised) a line names, in order, each once."""
    out: list[str] = []
    for m in _MAC.finditer(text, 0, 4096):
        station = normalize_mac(m.group())
        if station not in out:
            out.append(station)
    return out
