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


@lru_cache(maxsize=65536)
def normalize_mac(token: str) -> str:
    """``AABB-CCDD-EEFF`` -> ``aa:bb:cc:dd:ee:ff``; masked ids lower-cased and kept."""
    t = token.strip().lower()
    if is_valid_mac(t):
        return str(mac_to_format(t, "MAC_COLON_TWO"))
    return t


def is_real_mac(station: str) -> bool:
    return is_valid_mac(station) is True


@lru_cache(maxsize=65536)
def huawei_form(mac: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` -> ``aabb-ccdd-eeff`` (how Huawei prints it), for matching user input."""
    h = mac.replace(":", "")
    if len(h) != 12:
        return mac
    return f"{h[0:4]}-{h[4:8]}-{h[8:12]}"
