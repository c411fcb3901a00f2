"""Fortinet FortiGate wireless controller: the client debug of cw_acd, as pasted from the CLI after
``diagnose wireless-controller wlac sta_filter <MAC> 255`` and ``diagnose debug enable``.

A line is the controller's uptime (``91155.197``), in FortiOS 6 and later a number and the client's MAC
(``35383.537 180 06:76:90:7e:1e:18``), then the message (``<ih> IEEE 802.11 mgmt::assoc_req <== <MAC>
...``); ``diagnose debug console timestamp enable`` puts the date and time first (``2024-03-20 14:09:38``),
and a pasted session may keep the CLI prompt before the first line (``FGT (global) # 35383.537 ...``).
The CLI wraps a long line at the terminal's width, in the middle of a word: a line that does not start with
a stamp continues the one before and is joined back to it (and a blank line between them, as web copies
have, is skipped).  The messages are the catalogue ``fortinet-debug``; the station is the MAC of the
line's prefix, else the one its message names, else the last one named (the 4-way handshake's lines name
none in the older form).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun, judge, load, text_lines
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac

MAX_READ = 8192  # bytes of a line read (a message is under 300 characters)
MAX_JOINED = 16  # wrapped lines joined to one message at most; beyond, the rest is its own line
_PREFIX = re.compile(
    r"(?:[^#\n]{0,64}# )?"  # (the CLI prompt a pasted session keeps before its first line)
    r"(?:(?P<date>\d{4}-\d\d-\d\d) (?P<clock>\d\d:\d\d:\d\d) )?"
    r"(?P<up>\d{1,9})\.(?P<ms>\d{3}) "
    r"(?:\d{1,6} )?(?:(?P<mac>[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}) )?"
)
_MAC = re.compile(r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}")
_SNIFF = re.compile(
    rb"(?m)^(?:[^#\n]{0,64}# )?(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d )?\d{1,9}\.\d{3} (?:\d{1,6} )?"
    rb"(?:[0-9a-fA-F:]{17} )?<(?:ih|eh|dc|cc)> "
)
_FOUR_WAY = {"1": "eapol.m1.sent", "2": "eapol.m2.received", "3": "eapol.m3.sent", "4": "eapol.m4.received"}


class _Run(LineRun):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.station = ""  # the last station named
        codes = cat.tables.get("radius_codes") or {}
        self.radius_codes: dict[int, dict[str, object]] = {int(k): dict(v) for k, v in codes.items()}
        self.said_uptime = False

    def about_clients(self, text: str) -> bool:
        return "<ih>" in text or "<eh>" in text

    def line(self, text: str) -> bool:
        """One message (wrapped lines joined); whether it was understood."""
        prefix = _PREFIX.match(text)
        if prefix is None:
            return False
        body = text[prefix.end() :]
        found = self.cat.match(body)
        if found is None:
            return False
        spec, m = found
        groups = m.groupdict()
        mac = prefix.group("mac") or groups.get("mac") or ""
        if not mac:
            named = _MAC.search(body, 0, 400)
            mac = named.group() if named else ""
        if mac:
            self.station = normalize_mac(mac)
        if spec.kind is None:
            return True
        if not self.station:
            return False  # (a step of a station the paste never named)
        kind = spec.kind
        attrs: dict[str, object] = {**spec.attrs, "daemon": "fortinet"}
        if spec.handler == "four_way":
            kind = _FOUR_WAY[groups["n"]]
        elif spec.handler == "radius":
            entry = self.radius_codes.get(int(groups["code"]))
            if entry is None:
                return False  # (a code the table does not hold: said as not understood)
            if entry.get("kind") is None:
                return True
            kind = str(entry["kind"])
            attrs["code"] = int(groups["code"])
        elif spec.handler == "assoc_response" and groups.get("status") not in (None, "0"):
            kind, attrs["status"] = "assoc.reject", int(groups["status"])
        if groups.get("re"):
            attrs["reassoc"] = True
        self.add(kind, self.station, self.time_of(prefix), attrs)
        return True

    def time_of(self, prefix: re.Match[str]) -> float | None:
        """The console's date and time when the paste has them, else none (the uptime orders the lines)."""
        if prefix.group("date") is None:
            if not self.said_uptime:
                self.said_uptime = True
                self.summary.notes.append(
                    "the debug stamps its lines with the controller's uptime, not a date (diagnose debug "
                    "console timestamp enable adds one): events are in the order logged"
                )
            return None
        y, mo, d = (int(x) for x in prefix.group("date").split("-"))
        h, mi, s = (int(x) for x in prefix.group("clock").split(":"))
        return self.dated(mo, d, h, mi, s, int(prefix.group("ms")) / 1000, year=y)


class FortinetDebugParser(CatalogueParser):
    name = "fortinet-debug"
    description = "Fortinet FortiGate wireless controller client debug (cw_acd: diagnose wireless-controller wlac sta_filter)"
    example = "91155.197 <ih> IEEE 802.11 mgmt::assoc_req <== 30:46:9a:f9:fa:34 vap signal-check rId 0 wId 0 00:09:0f:f3:20:45"
    catalogue = "fortinet-debug"
    max_read = MAX_READ
    sniffs = _SNIFF
    scores = (75, 92)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        run = _Run(inp, summary, load(self.catalogue))
        held: list[str] = []  # the message being read: its first line and the lines wrapped from it
        first = 0
        for number, text in text_lines(inp, summary, MAX_READ):
            if held and not _PREFIX.match(text) and len(held) < MAX_JOINED:
                held.append(text)  # (the end of a wrapped line)
                continue
            if held:
                yield from _message(run, summary, first, held)
            held, first = [text], number
        if held:
            yield from _message(run, summary, first, held)
        yield from run.finish()


def _message(run: _Run, summary: InputSummary, number: int, parts: list[str]) -> Iterator[Event]:
    text = "".join(parts)  # (a hard wrap at the terminal's width: no blank was lost)
    run.number, run.text = number, text
    judge(run, summary, number, text)
    if run.out:
        yield from run.out
        run.out.clear()


def message_of(line: str) -> str:
    """The message of a line as the catalogue sees it: the line without its stamps."""
    prefix = _PREFIX.match(line)
    return line[prefix.end() :] if prefix else line


PARSER = FortinetDebugParser()
