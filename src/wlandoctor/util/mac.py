"""Station identifiers.

Vendors print MACs as ``aabb-ccdd-eeff`` (Huawei), ``aa:bb:cc:dd:ee:ff`` (Linux) or ``aabb.ccdd.eeff``
(Cisco).  Real MACs are normalised to lower-case colon form; masked ids such as ``yyyy-yyyy-yyyy`` or
``sta-mac`` are kept as given (lower-cased) so that they stay opaque station ids.
"""

from __future__ import annotations

import re
from functools import lru_cache

from netutils.mac import is_valid_mac, mac_to_format

# Anything shaped like a MAC in one of the vendor notations, hex or masked (letters stand for digits).
MAC_TOKEN = r"(?:[0-9A-Za-z]{4}[-.][0-9A-Za-z]{4}[-.][0-9A-Za-z]{4}|[0-9A-Za-z]{2}(?::[0-9A-Za-z]{2}){5}|[0-9A-Za-z]{2}(?:-[0-9A-Za-z]{2}){5})"
MAC_RE = re.compile(MAC_TOKEN)
# A MAC a poster replaced by a word ("<redacted>", "[MAC]", "<mac address>", "REDACTED"): kept as an
# opaque station id, so a log pasted that way still has its station (stations redacted alike merge).
_PLACEHOLDER_WORD = (
    r"(?:redacted|removed|hidden|masked|mac|mac[ _-]?addr(?:ess)?|sta(?:[ _-]?mac)?|client(?:[ _-]?mac)?)"
)
REDACTED_MAC = r"(?:<(?i:" + _PLACEHOLDER_WORD + r")>|\[(?i:" + _PLACEHOLDER_WORD + r")\]|REDACTED|redacted)"
_REDACTED_RE = re.compile(REDACTED_MAC)


def is_redacted(station: str) -> bool:
    """Whether ``station`` is a placeholder a poster wrote for a MAC (see REDACTED_MAC)."""
    return station[:1] in "<[rR" and _REDACTED_RE.fullmatch(station) is not None


# The notations logs print, checked here before netutils (which tries each of its forms with a regular
# expression, 60 us a token: a trace of 100,000 stations spent a tenth of its parse there)
_COMMON_FORM = re.compile(
    r"[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}|[0-9a-f]{4}([-.])[0-9a-f]{4}\2[0-9a-f]{4}"
)


@lru_cache(maxsize=65536)
def normalize_mac(token: str) -> str:
    """``AABB-CCDD-EEFF`` -> ``aa:bb:cc:dd:ee:ff``; masked ids lower-cased and kept."""
    t = token.strip().lower()
    if _COMMON_FORM.fullmatch(t):
        h = t.replace(t[2] if t[2] in ":-" else t[4], "")
        return f"{h[0:2]}:{h[2:4]}:{h[4:6]}:{h[6:8]}:{h[8:10]}:{h[10:12]}"
    if is_valid_mac(t):
        return str(mac_to_format(t, "MAC_COLON_TWO"))
    return t


def normalize_unpadded(token: str) -> str:
    """A colon MAC printed with ``%x`` bytes, without leading zeros (``0:b8:c2:39:55:a``, as macOS's airport
    and TI SimpleLink print it), normalised."""
    return normalize_mac(":".join(b.zfill(2) for b in token.split(":")))


def is_real_mac(station: str) -> bool:
    return is_valid_mac(station) is True


@lru_cache(maxsize=65536)
def huawei_form(mac: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` -> ``aabb-ccdd-eeff`` (how Huawei prints it), for matching user input."""
    h = mac.replace(":", "")
    if len(h) != 12:
        return mac
    return f"{h[0:4]}-{h[4:8]}-{h[8:12]}"


# The group addresses that reach logs and captures: broadcast, IEEE 802.1's reserved block (802.1X's PAE
# address 01:80:c2:00:00:03 among them), IPv4 and IPv6 multicast.  Not every address with the group bit:
# anonymised logs write stations as a1:a1:a1:a1:a1:a1 or 11:11:11:...
_GROUP = re.compile(
    r"ff(?::ff){5}|01:80:c2:(?:[0-9a-f]{2}:){2}[0-9a-f]{2}|01:00:5e(?::[0-9a-f]{2}){3}|33:33(?::[0-9a-f]{2}){4}"
)


def is_group_mac(mac: str) -> bool:
    """A normalised MAC that is a well-known group address (broadcast, 802.1 reserved such as 802.1X's PAE
    address 01:80:c2:00:00:03, IP multicast): never a station or an AP."""
    return _GROUP.fullmatch(mac) is not None
