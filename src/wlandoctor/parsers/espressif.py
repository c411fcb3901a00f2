"""Espressif ESP32 / ESP8266 stations: the serial console of a device that joins a WLAN.

Three line forms, all read here (the messages themselves are data: ``parsers/catalogues/espressif.yaml``):

- ESP-IDF (ESP32 family, ESP8266 RTOS SDK 3.x): ``I (58380) wifi: state: init -> auth (b0)``; the level
  letter, the time since boot in ms (or ``(12:34:56.789)`` with a system-time stamp), the tag, the message;
  optionally in colour codes.
- Arduino-ESP32: ``[  6844][W][WiFiGeneric.cpp:1061] _eventCallback(): Reason: 15 - 4WAY_HANDSHAKE_TIMEOUT``
  (older cores without the ``[  6844]`` stamp).
- ESP8266 NONOS SDK: bare messages (``scandone``, ``state: 2 -> 0 (2)``, ``no z24 found, reconnect after 1s``).

A serial console is one station's own view: every event is about the device itself, named by its own MAC
when the log prints it (``wifi:mode : sta (d4:f9:8d:00:a4:80)``), else by the file.  The times are
milliseconds since boot, not dates: events carry no time and keep the order of the log (the uptime is kept
as an attribute).  A disconnect is often told twice (the driver's state change, then the application's
line with the reason code): the two make one event, the one that says most.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from wlandoctor.model import Event, InputSummary, SourceRef
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers.catalogue import Catalogue, Message, load
from wlandoctor.parsers.relevance import unread
from wlandoctor.sources import Input, decode_text, iter_raw_lines, sanitize
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int

MAX_TEXT = 600  # evidence text kept per event
MAX_READ = 1024  # characters of a line looked at (a console line is far shorter)
IEEE_REASON_MAX = 66  # reason codes above this are Espressif's own (wifi_err_reason_t)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# ESP-IDF: level, "(ms since boot)" or "(hh:mm:ss.mmm)", tag.  Tags hold no ": " but may hold spaces and
# dots ("wifi station", "sc:wifi....").  The Wi-Fi driver's own tag ("wifi") runs into the message without
# a space in recent releases ("wifi:state: ...").
# The earliest releases (2016-2017, as MicroPython's first ESP32 port printed them) put no level before the
# Wi-Fi driver's lines: "(5389) wifi: state: auth -> assoc (0)".
_IDF = re.compile(
    r"(?:([EWIDV]) \((\d{1,10}|\d\d:\d\d:\d\d\.\d{1,6})\) (?:(wifi):|([^:\n]{1,40}?): )"
    r"|\((\d{1,10})\) (wifi): ?)"
)
# Arduino-ESP32: "[  6844][W][WiFiGeneric.cpp:1061] _eventCallback(): " (the stamp only in 2.x cores)
_ARDUINO = re.compile(
    r"(?:\[ *(\d{1,10})\])?\[([VDIWE])\]\[([\w.\-]{1,64}):\d{1,6}\] (?:[\w:~]{1,64}\(\): )?"
)
# ESPHome: "[16:03:10][W][wifi_esp32:336]: " (the stamp is its CLI's or the dashboard's; newer releases add a
# task, "[wifi_esp32:530][arduino_events]: "), then its own message or a wrapped ESP-IDF / Arduino line
_ESPHOME = re.compile(
    r"(?:\[\d\d:\d\d:\d\d(?:\.\d{1,3})?\])?\[[VDICWE]{1,2}\]\[[\w.\-]{1,40}(?::\d{1,6})?\](?:\[[\w\-]{1,40}\])?: ?"
)
# a console's own stamp before any of them ("[20:52:07]" of ESPHome's CLI, a serial monitor's)
_CLOCK = re.compile(r"\[\d\d:\d\d:\d\d(?:\.\d{1,3})?\] ?")
# Tasmota: "00:00:01.001 WIF: ", "0:00:00 Wifi: " (2017), "00:00:00.066-026 WIF: " (heap after the stamp)
_TASMOTA = re.compile(r"\d{1,2}:\d\d:\d\d(?:\.\d{1,3})?(?:-\d{1,3})? (?=(?:ESP-)?(?:[A-Z]{3}|Wifi): )")
# EMS-ESP (emsesp/EMS-ESP32, its log and web console): "000+00:12:48.800 W 760: [emsesp] WiFi disconnected.
# Reason: no AP found (201)" (uptime as days+hh:mm:ss.mmm, level, sequence, the module)
_EMSESP = re.compile(r"\d{3}\+\d\d:\d\d:\d\d\.\d{3} [A-Z] {1,3}\d{1,9}: \[(\w{1,24})\] ")
AUTH_EXPIRE = 2  # wifi_err_reason_t WIFI_REASON_AUTH_EXPIRE
ASSOC_FAIL = 203  # wifi_err_reason_t WIFI_REASON_ASSOC_FAIL
HANDSHAKE_TIMEOUT = 204  # WIFI_REASON_HANDSHAKE_TIMEOUT
_STATE_NAMES = {"0": "init", "2": "auth", "3": "assoc", "5": "run"}  # ESP8266 NONOS numbers its states

_SNIFF_IDF = re.compile(
    rb"(?m)^(?:\x1b\[[0-9;]*m)?(?:[EWIDV] \((?:\d{1,10}|\d\d:\d\d:\d\d\.\d{1,6})\) [^:\n]{1,40}:|\(\d{1,10}\) wifi:)"
)
_SNIFF_ARDUINO = re.compile(rb"(?m)^(?:\[ *\d{1,10}\])?\[[VDIWE]\]\[[\w.\-]{1,64}:\d{1,6}\] ")
_SNIFF_ESPHOME = re.compile(
    rb"(?m)^(?:\[\d\d:\d\d:\d\d(?:\.\d{1,3})?\])?\[[VDICWE]{1,2}\]\[wifi[\w]{0,20}:\d{1,6}\](?:\[[\w\-]{1,40}\])?: "
)
_SNIFF_TASMOTA = re.compile(
    rb"(?m)^(?:\[\d\d:\d\d:\d\d\] ?)?\d{1,2}:\d\d:\d\d(?:\.\d{1,3})?(?:-\d{1,3})? (?:ESP-)?(?:WIF|Wifi): "
)
_SNIFF_EMSESP = re.compile(rb"(?m)^\d{3}\+\d\d:\d\d:\d\d\.\d{3} [A-Z] {1,3}\d{1,9}: \[emsesp\] WiFi ")
_SNIFF_NONOS = (b"scandone", b"found, reconnect after", b"mode : sta(", b"wifi evt:", b"dhcp client start")
_NONOS_STATE = re.compile(rb"(?m)^state: \d -> \d \(")
_OWN_MAC = re.compile(rb"mode : sta ?\(([0-9a-fA-F:]{17})\)")


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it (for tests and tools)."""
    return split_line(line)[0]


def split_line(text: str) -> tuple[str, int | None]:
    """The message of a console line after its ESP-IDF or Arduino prefix (or the line itself), and the
    milliseconds since boot when the prefix gives them."""
    m = _ESPHOME.match(text)
    if m is not None:
        inner = text[m.end() :]
        if _IDF.match(inner) or _ARDUINO.match(inner):  # (an ESP-IDF or Arduino line ESPHome passed on)
            return split_line(inner)
        return inner.strip(), None
    c = _CLOCK.match(text)
    if c is not None and (
        _IDF.match(text, c.end()) or _ARDUINO.match(text, c.end()) or _TASMOTA.match(text, c.end())
    ):
        text = text[c.end() :]  # (a serial monitor's stamp before the device's own prefix)
    m = _TASMOTA.match(text)
    if m is not None:
        return text[m.end() :].strip(), None
    m = _EMSESP.match(text)
    if m is not None:
        return text[m.end() :].strip(), None
    m = _IDF.match(text)
    if m is not None:
        return text[m.end() :].lstrip(), as_int(m.group(2) or m.group(5), signed=False)
    m = _ARDUINO.match(text)
    if m is not None:
        return text[m.end() :], int(m.group(1)) if m.group(1) else None
    # (a sketch's progress dots, printed without a newline, run into the SDK's next line: "...ip:192...")
    return text.strip().lstrip("."), None


class _Run:
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        self.source = inp.name
        self.summary = summary
        self.cat = cat
        own = _OWN_MAC.search(inp.head)
        # (else an opaque id, as wpa_supplicant's station without a known MAC: parsers/hostap.py)
        self.station = normalize_mac(own.group(1).decode()) if own else f"esp@{PurePath(inp.name).name}"
        self.seq = 0
        self.number = 0
        self.text = ""
        self.uptime: int | None = None
        self.online = False  # an address (or keys) since the last disconnect
        self.pending: Event | None = None  # a disconnect held for the line that may tell its reason
        self.pending_told = False  # a line named the held disconnect's code: a later code is another one
        # tries a firmware ended with a line of its own (Tasmota's "Connect failed ..."): each is an attempt
        self.tries = 0
        self.ending_try = False
        self.last: tuple[str, int] | None = None  # (kind, line) of the last event, for repeats
        self.out: list[Event] = []

    # -- output

    def event(self, kind: str, **attrs: Any) -> Event:
        self.seq += 1
        text = sanitize(self.text[:MAX_TEXT])
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["daemon"] = "espressif"
        if self.tries or self.ending_try:
            attrs["attempt_id"] = self.tries
        if self.uptime is not None:
            attrs["uptime_ms"] = self.uptime
        return Event(
            kind=kind,
            station=self.station,
            stage=KINDS[kind].stage,
            ref=SourceRef(self.source, self.number, text),
            seq=self.seq,
            bssid=attrs.pop("bssid", None),
            ssid=attrs.pop("ssid", None),
            attrs=attrs,
        )

    def emit(self, kind: str, **attrs: Any) -> None:
        if kind in ("dhcp.ack", "sta.connected") and self.last == (kind, self.number - 1):
            return  # told again by the next line (driver, then application: "sta ip", "GOT_IP", "Got IP")
        self.flush()
        if kind == "dhcp.ack" or kind == "sta.connected":
            self.online = True
        elif kind == "auth.request":
            self.online = False
        self.last = (kind, self.number)
        self.out.append(self.event(kind, **attrs))

    def flush(self) -> None:
        if self.pending is not None:
            e, self.pending = self.pending, None
            self.out.append(e)
            reason = self.cat.reason(e.attrs.get("reason") or e.attrs.get("vendor_reason"))
            if reason is not None and reason.key_hint and not e.attrs.get("was_online"):
                # Espressif's FAQ: its station reports this code when the password is wrong
                self.seq += 1
                self.out.append(
                    Event(
                        kind="key.mismatch.summary",
                        station=e.station,
                        stage=KINDS["key.mismatch.summary"].stage,
                        ref=e.ref,
                        seq=self.seq,
                        attrs={
                            "strength": "vendor-code",
                            "daemon": "espressif",
                            "reason_name": reason.name,
                            "vendor_says": reason.meaning,
                        },
                    )
                )

    # -- handlers

    def disconnect(self, code: int | None, name: str | None = None, **attrs: Any) -> None:
        """A disconnect with (or without) its reason code: one event for the lines that tell it."""
        spec = self.cat.reason(code, name)
        if spec is not None and code is None:
            code = spec.code
        was_online = self.online
        if self.pending is not None:
            held = self.pending.attrs.get("reason_code")
            if code is None or (code == held and name is None):
                # the same disconnect told again, with nothing more (a code named by a line, not read from
                # a state change: what follows with another code is a disconnect of its own)
                self.pending_told = self.pending_told or code is not None
                return
            # A code read from a state change is the driver's internal word (releases encode it
            # differently: "auth -> init (8a0)" came before "reason:202"): the line that names the
            # reason says it better.  Two named codes are two disconnects.
            if (
                held is not None
                and held != code
                and ("state_from" not in self.pending.attrs or self.pending_told)
            ):
                self.flush()  # another disconnect
            else:  # the same one, told better by this line (which may not repeat the SSID and BSSID)
                was_online = bool(self.pending.attrs.get("was_online"))
                for key in ("ssid", "bssid"):
                    if attrs.get(key) is None:
                        attrs[key] = getattr(self.pending, key)
                # (the state it left, kept apart: "state_from" marks a code read from a state change)
                left = self.pending.attrs.get("state_from") or self.pending.attrs.get("left_state")
                if left:
                    attrs["left_state"] = left
                self.pending = None
        self.last = None
        kind = spec.kind if spec is not None and spec.kind else "sta.deauth"
        left_state = attrs.get("state_from") or attrs.get("left_state")
        # (with no state change told, a firmware's own line: Espressif's driver reports its authentication
        # timing out this way, far more often than an AP's reason 2 before the station was online)
        if kind == "sta.deauth" and code == AUTH_EXPIRE and left_state in ("auth", None) and not was_online:
            # the driver left its authentication state for want of an answer (wifi_err_reason_t's
            # AUTH_EXPIRE from the auth state: the authentication timed out, not the AP's reason 2 later)
            kind = "auth.timeout"
        if was_online and kind == "sta.deauth":
            kind = "sta.offline"
        self.online = False
        if kind == "eapol.timeout":
            attrs["waiting_for"] = "m1-or-m3"
        ieee = code if code is not None and code <= IEEE_REASON_MAX else None
        self.pending_told = False
        self.pending = self.event(
            kind,
            reason=ieee,
            vendor_reason=code if ieee is None else None,
            reason_code=code,
            reason_name=spec.name if spec is not None else name,
            reason_meaning=spec.meaning if spec is not None and spec.meaning else None,
            was_online=True if was_online else None,
            **attrs,
        )

    def state(self, m: re.Match[str]) -> None:
        old = _STATE_NAMES.get(m["old"], m["old"])
        new = _STATE_NAMES.get(m["new"], m["new"])
        if new == "auth" and old != "auth":
            self.emit("auth.request")
        elif new == "assoc" and old != "assoc":
            if old == "auth":
                self.emit("auth.response")
            self.emit("assoc.request")
        elif new == "run" and old != "run":
            self.emit("assoc.response")
        elif new == "init" and old != "init":
            p = self.pending
            if p is not None and p.attrs.get("what") == "handshake-timer":
                return  # (the timer's disconnect, told above)
            try:
                value = int(m["code"], 16)
            except ValueError:
                value = 0
            if m["old"].isdigit():
                # ESP8266 NONOS numbers its states and prints the 802.11 code itself, in hex: leaving the
                # association state, the AP's status ("state: 3 -> 0 (1f)": 31, PMF required; "(12)": 18,
                # basic rates; "(11)": 17, AP full), the application's later "STA disconnect: 203" the same
                # failure; leaving another state, the reason ("state: 5 -> 0 (2)")
                if old == "assoc" and 0 < value <= 0xFF:
                    self.disconnect(ASSOC_FAIL, state_from=old, status=value)
                    return
                code = value if value <= IEEE_REASON_MAX else 0
            else:
                # the reason code is the second byte ("run -> init (f00)": 15; "(cc00)": 204); the low byte
                # holds flags, and 0 is the application's own stop or disconnect
                code = (value >> 8) & 0xFF
            if code and self.cat.reason(code) is None:
                code = 0
            by = None if code else "sta"
            self.disconnect(code or None, state_from=old, by=by)

    def own_mac(self, m: re.Match[str]) -> None:
        mac = normalize_mac(m["mac"])
        if self.station.startswith("esp@") and self.seq == 0:
            self.station = mac

    def message(self, body: str) -> bool:
        """One message (after its prefix); whether it was understood."""
        found = self.cat.match(body)
        if found is None:
            return False
        msg, m = found
        self.ending_try = bool(msg.attrs.get("ends_try"))
        if msg.handler is not None:
            self.handle(msg, m)
        elif msg.kind is not None:
            attrs = {**msg.attrs, **{k: v for k, v in m.groupdict().items() if v is not None}}
            attrs.pop("ends_try", None)
            self.emit(msg.kind, **attrs)
        if self.ending_try:
            self.tries += 1  # (the firmware's next line belongs to its next try)
            self.ending_try = False
        return True

    def handle(self, msg: Message, m: re.Match[str]) -> None:
        if msg.handler == "state":
            self.state(m)
        elif msg.handler == "own_mac":
            self.own_mac(m)
        elif msg.handler == "comeback":
            ms = int(m["ms"])
            if ms > int(self.cat.tables.get("comeback_limit_ms") or 10000):
                self.emit("assoc.reject", status=30, comeback_ms=ms)
        elif msg.handler == "reason_text":
            # ESPHome names the reason in words (get_disconnect_reason_str); its table gives the code
            g = m.groupdict()
            code = self.cat.tables.get("esphome_reasons", {}).get(g.get("reason_text", ""))
            if code is None:
                self.summary.problem(
                    self.number,
                    f"a disconnect reason not in the catalogue: {sanitize(g.get('reason_text', ''))!r}",
                )
            bssid = g.get("bssid")
            if bssid and not re.fullmatch(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}", bssid):
                bssid = None  # ("[redacted]", as ESPHome prints it unless asked)
            self.disconnect(
                int(code) if code is not None else None,
                None if code is not None else g.get("reason_text"),
                bssid=normalize_mac(bssid) if bssid else None,
                ssid=g.get("ssid") or None,
            )
        elif msg.handler == "vendor_code":
            # a firmware's own word for one of wifi_err_reason_t's codes (Tasmota's "incorrect password")
            self.disconnect(int(msg.attrs["code"]))
        elif msg.handler == "handshake_timeout":
            # the driver's own 4-way timer expired: reason 204, which the state change after it does not
            # repeat (IDF 3.x prints "run -> init (200)" there, whatever the reason)
            self.disconnect(HANDSHAKE_TIMEOUT, what="handshake-timer")
        elif msg.handler == "disconnect":
            g = m.groupdict()
            bssid = g.get("bssid")
            if bssid and not re.fullmatch(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}", bssid):
                bssid = None  # masked by the poster ("xxxxxxxxxx")
            self.disconnect(
                int(g["reason"]) if g.get("reason") else None,
                g.get("name"),
                bssid=normalize_mac(bssid) if bssid else None,
                ssid=g.get("ssid") or None,
            )

    # -- the pass

    def run(self, inp: Input) -> Iterator[Event]:
        summary, coverage = self.summary, self.summary.coverage
        with inp.open() as stream:
            for number, raw, fragment in iter_raw_lines(stream, first_line=inp.first_line):
                if fragment:
                    if fragment == 1:
                        summary.problem(number, "line longer than 1 MiB: the rest of it is skipped")
                    continue
                if not raw.strip():
                    continue
                text = decode_text(raw[: MAX_READ * 4])
                if text is None:
                    summary.problem(number, "binary data (a baud-rate mismatch or boot ROM noise?): skipped")
                    summary.skipped += 1
                    continue
                text = text[:MAX_READ]
                if "\x1b" in text:
                    text = _ANSI.sub("", text)
                self.number, self.text = number, text.rstrip()
                body, self.uptime = split_line(text)
                if self.message(body):
                    coverage.understood += 1
                    if self.out:
                        summary.records += 1
                        yield from self.out
                        self.out.clear()
                else:
                    summary.skipped += 1
                    unread(coverage, number, text)
        self.flush()
        if self.out:
            summary.records += 1
            yield from self.out
        if self.seq:
            summary.notes.append(
                "an Espressif console stamps its lines with the time since boot, not a date: events are in "
                "the order logged"
            )


class EspressifParser:
    name = "espressif"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    description = (
        "Espressif ESP32 / ESP8266 station serial console: ESP-IDF (I (1234) wifi: ...), Arduino-ESP32 "
        "([W][WiFiGeneric.cpp:...] ...) and ESP8266 NONOS SDK messages; ESPHome ([W][wifi_esp32:336]: ...) and "
        "Tasmota (WIF: ...) devices' logs"
    )
    example = "[  6844][W][WiFiGeneric.cpp:1061] _eventCallback(): Reason: 15 - 4WAY_HANDSHAKE_TIMEOUT"

    def sniff(self, head: bytes) -> int:
        idf = len(_SNIFF_IDF.findall(head, 0, 65536))
        if idf >= 2 or (idf and b"wifi:" in head):
            return 85 if (b"wifi:" in head or b"wifi station" in head or b"esp_netif" in head) else 50
        if (
            _SNIFF_ESPHOME.search(head) is not None
            or _SNIFF_TASMOTA.search(head) is not None
            or _SNIFF_EMSESP.search(head) is not None
        ):
            return 85  # (ESPHome's wifi component, Tasmota's WIF module, EMS-ESP: a device's own view)
        arduino = _SNIFF_ARDUINO.search(head)
        if arduino is not None:
            return 85 if b"WiFi" in head else 40
        nonos = sum(1 for s in _SNIFF_NONOS if s in head) + (1 if _NONOS_STATE.search(head) else 0)
        if nonos >= 2:
            return 80
        return 0

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        yield from _Run(inp, summary, load("espressif")).run(inp)


PARSER = EspressifParser()
