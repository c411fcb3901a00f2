"""wpa_supplicant's network selection in its debug output (-d): after each scan it weighs every BSS against
its network blocks and says why it passes one over (wpa_supplicant/events.c):

    wlp3s0: Selecting BSS from priority group 0
    wlp3s0: 0: 60:e3:27:1f:d4:9a ssid='Home' wpa_ie_len=26 rsn_ie_len=24 caps=0x1031 level=-57 freq=5785
    wpa_parse_wpa_ie_rsn: invalid group cipher 0x8 (000fac02)
    wlp3s0:    skip RSN IE - parse failed
    wlp3s0:    skip WPA IE - GTK cipher mismatch
    wlp3s0:    reject due to mismatch with WPA/WPA2
    wlp3s0: No suitable network found

A BSS of the network's own SSID passed over for its security (or its rates, frequency, BSSID) is the
station hearing its network and ruling it out: it never tries to join, and no AP or server logs anything.
A round that ends without a selection ("No suitable network found", or the end of the input) gives one
rejection, the first such BSS's; a round that selects a BSS ("   selected BSS ...") gives none, whatever it
passed over on the way.  The reasons' wording is data: wpa_selection.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

# the line of a BSS under consideration: "<n>: <bssid> ssid='<ssid>' wpa_ie_len=..." (the BSSID may be
# masked by whoever pasted it: any six pairs)
_BSS = re.compile(r"(\d{1,4}): ([0-9A-Za-z*]{2}(?::[0-9A-Za-z*]{2}){5}) ssid='(.{0,128}?)' wpa_ie_len=")
_INVALID_CIPHER = re.compile(r"invalid (group|pairwise) cipher 0x[0-9a-fA-F]{1,8} \(([0-9a-fA-F]{8})\)")
_NO_TKIP = "TKIP as group cipher not supported"
# how the selection's lines start once the reader took off the interface ("wlp3s0: "); a BSS's own line
# starts with its index ("0: ...")
SELECTION_STARTS = (
    "Selecting BSS from priority group",
    "Try to find ",
    "No suitable network found",
    "No suitable AP found",  # (0.6 and older)
    "wpa_parse_wpa_ie_",
    "   skip",
    "   reject due to ",
    "   selected ",
    "   allow ",
    "skip",  # (the indent lost by a paste or a log collector)
    "reject due to ",
    "selected ",
    "allow ",
)
_SECTIONS = ("skip RSN IE - ", "skip WPA IE - ", "skip RSNE - ", "skip - ", "skip OWE ")
# the choice made (2.x "selected BSS", "selected current BSS"; 0.7 and older "selected WPA AP", "selected
# non-WPA AP", "selected WPS AP")
_CHOSEN = (
    "selected BSS ",
    "selected current BSS ",
    "selected WPA AP ",
    "selected non-WPA AP ",
    "selected WPS AP ",
)


@dataclass(frozen=True, slots=True)
class Reasons:
    why: dict[str, str | None]  # reason text -> group, longest first
    suites: dict[str, str]


@cache
def reasons() -> Reasons:
    text = resources.files("wlandoctor.parsers").joinpath("wpa_selection.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    table = {str(k): (str(v) if v is not None else None) for k, v in raw["reasons"].items()}
    ordered = dict(sorted(table.items(), key=lambda kv: -len(kv[0])))
    return Reasons(ordered, {str(k).lower(): str(v) for k, v in raw["cipher_suites"].items()})


def reason_of(text: str) -> tuple[str, str | None] | None:
    """(the reason's words, its group) of a skip or reject line's text after its indent, None for a line
    of another kind.  A reason the table does not know is kept with no group."""
    if text.startswith("reject due to "):
        return text, "mismatch"
    if not text.startswith("skip"):
        return None
    for head in _SECTIONS:
        if text.startswith(head):
            words = text[len(head) :]
            break
    else:
        return None
    if head == "skip OWE ":
        return text, None
    for known, why in reasons().why.items():
        if words.startswith(known):
            return words, why
    return words, None


@dataclass(slots=True)
class Rejection:
    """A BSS of the configured network passed over: where it was said and why."""

    line: int
    text: str  # the whole line, for the evidence
    message: str  # the message it holds
    time: float | None
    bssid: str | None
    ssid: str | None
    why: str
    detail: str
    cipher: str | None = None
    bsses: int = 1  # the network's BSSs the round ruled out


@dataclass(slots=True)
class _Round:
    bssid: str | None = None
    ssid: str | None = None
    cipher: str | None = None  # named by the parser's line before the skip lines
    details: list[str] = field(default_factory=list)  # this BSS's skip reasons so far
    why: str | None = None
    first: Rejection | None = None  # the round's first rejected BSS
    rejected: int = 0
    passed: bool = False  # a BSS passed the security checks ("selected based on ...", "allow ...")


class Selection:
    """The selection rounds of one wpa_supplicant interface (the reader keeps one per interface)."""

    def __init__(self) -> None:
        self.round: _Round | None = None

    def read(self, body: str, line: int, text: str, time: float | None) -> tuple[bool, Rejection | None]:
        """(whether the line is one of the selection's, the rejection a round ended with)."""
        t = body.lstrip(" \t")
        # (0.6 and older: "Try to find WPA-enabled AP", "Try to find non-WPA AP")
        if t.startswith(("Selecting BSS from priority group", "Try to find ")):
            if self.round is None:
                self.round = _Round()
            return True, None
        if t.startswith(("No suitable network found", "No suitable AP found")):
            return True, self.close()
        if t.startswith(_CHOSEN):
            self.round = None  # a BSS was chosen: what was passed over on the way does not matter
            return True, None
        r = self.round
        m = _BSS.match(t)
        if m is not None:
            if r is None:
                r = self.round = _Round()
            self._settle(r)
            bssid = m.group(2).lower()
            r.bssid = bssid if re.fullmatch(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}", bssid) else None
            r.ssid = m.group(3)  # (as wpa_ssid_txt() escaped it: the reader decodes it)
            return True, None
        if t.startswith("wpa_parse_wpa_ie_"):
            if r is not None:
                c = _INVALID_CIPHER.search(t)
                if c is not None:
                    r.cipher = reasons().suites.get(c.group(2).lower(), c.group(2).lower())
                elif _NO_TKIP in t:
                    r.cipher = "TKIP"
            return True, None
        if t.startswith(("selected based on ", "allow ")):
            if r is not None:
                r.passed = True
            return True, None
        said = reason_of(t)
        if said is None:
            return False, None
        words, why = said
        if r is None or (r.bssid is None and r.ssid is None):
            return True, None  # (a skip line without its BSS: the paste began inside a round)
        if why is None:
            return True, None
        r.details.append(words)
        if why != "mismatch" and r.why is None:
            r.why = why
        if r.first is None:
            r.first = Rejection(line, text, t, time, r.bssid, r.ssid, r.why or why, words, r.cipher)
        elif r.first.bssid == r.bssid and r.first.ssid == r.ssid and r.first.why == "mismatch" and r.why:
            r.first.why = r.why  # (the verdict line came first in a paste that cut the reasons above it)
        return True, None

    def _settle(self, r: _Round) -> None:
        """The BSS before the next one: counted when it was ruled out."""
        if r.details:
            r.rejected += 1
            if r.first is not None and r.first.bssid == r.bssid and r.first.ssid == r.ssid:
                r.first.detail = "; ".join(dict.fromkeys(r.details))
                r.first.cipher = r.first.cipher or r.cipher
        r.details, r.why, r.cipher = [], None, None

    def close(self) -> Rejection | None:
        """The round ends without a BSS chosen: its first rejection, if any."""
        r, self.round = self.round, None
        if r is None:
            return None
        self._settle(r)
        if r.first is not None and r.first.why == "mismatch":
            # (the verdict line alone, its reasons not logged or cut: the security element did not match)
            r.first.why = "cipher" if r.first.cipher else "security"
        if r.first is not None:
            r.first.bsses = max(1, r.rejected)
        return r.first

    def end(self) -> Rejection | None:
        """The input ends inside a round: a rejection stands when nothing in the round passed."""
        r = self.round
        if r is None or r.passed:
            self.round = None
            return None
        return self.close()

    def drop(self) -> None:
        """The station went on to join: the round chose a BSS even if the paste lost that line."""
        self.round = None
