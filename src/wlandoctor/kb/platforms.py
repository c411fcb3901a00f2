"""Advice for the platform the evidence came from.

Each event belongs to a platform: ``huawei`` (AC and AP output), ``hostapd`` (a Linux/OpenWrt AP: hostapd,
dnsmasq, the router's syslog), ``linux-client`` (wpa_supplicant, NetworkManager, iwd, the kernel, DHCP
clients), ``freeradius`` or ``capture``.  A rule's fix and confirm steps are neutral, name one platform's
commands (told by the patterns of ``kb/platforms.yaml``), or are given for one platform (``fix_for``,
``confirm_for``).  A cause shows the steps for the platforms of its evidence and the neutral ones; a step
for another platform only when nothing else is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

import yaml

from wlandoctor.model import Event

PLATFORMS = (
    "huawei",
    "hostapd",
    "linux-client",
    "freeradius",
    "capture",
    "espressif",
    "mikrotik",
    "meraki",
    "aruba",
    "cisco-9800",
    "cisco-aireos",
    "cisco-ios-ap",
    "unifi",
    "windows",
    "fortinet",
    "macos",
    "omada",
    "nps",
)

# platforms whose logs are the station's own (what it sent, not what the network heard)
CLIENT_PLATFORMS = frozenset({"linux-client", "espressif", "windows", "macos"})

# the parser an input was read with -> platform, when its events do not name their daemon
FORMAT_PLATFORM = {
    "huawei-ac": "huawei",
    "pcap": "capture",
    "freeradius": "freeradius",
    "hostap": "hostapd",
    "espressif": "espressif",
    "mikrotik": "mikrotik",
    "meraki": "meraki",
    "meraki-api": "meraki",
    "aruba": "aruba",
    "cisco-wlc": "cisco-9800",
    "unifi": "unifi",
    "windows": "windows",
    "windows-text": "windows",
    "windows-evtx": "windows",
    "windows-report": "windows",
    "windows-csv": "windows",
    "fortinet": "fortinet",
    "fortinet-debug": "fortinet",
    "macos": "macos",
    "omada": "omada",
    "nps": "nps",
}
_DAEMON_PLATFORM = {
    "hostapd": "hostapd",
    "dnsmasq": "hostapd",
    "dhcp-server": "hostapd",
    "dhcpd": "hostapd",
    "driver": "hostapd",
    "wpa_supplicant": "linux-client",
    "NetworkManager": "linux-client",
    "dhclient": "linux-client",
    "dhcpcd": "linux-client",
    "zephyr-dhcp": "linux-client",  # (Zephyr's DHCP client, beside its wpa_supplicant)
    "mac80211": "linux-client",
    "client-driver": "linux-client",
    "iwd": "linux-client",
    "connmand": "linux-client",
    "freeradius": "freeradius",
    "eapol_test": "freeradius",  # (hostap's RADIUS test client: its advice is the server's)
    "espressif": "espressif",
    "routeros": "mikrotik",
    "meraki": "meraki",
    "aruba": "aruba",
    "cisco-9800": "cisco-9800",
    "cisco-aireos": "cisco-aireos",
    "cisco-ios-ap": "cisco-ios-ap",
    "unifi": "unifi",
    "windows": "windows",
    "fortinet": "fortinet",
    "macos": "macos",
    "omada": "omada",
    "nps": "nps",
}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    text = resources.files("wlandoctor.kb").joinpath("platforms.yaml").read_text(encoding="utf-8")
    raw: dict[str, list[str]] = yaml.safe_load(text)
    return {p: re.compile("|".join(f"(?:{x})" for x in raw[p])) for p in PLATFORMS if raw.get(p)}


def step_platform(step: str) -> str | None:
    """The platform whose commands a step names, or None for a neutral step."""
    for platform, pattern in _patterns().items():
        if pattern.search(step):
            return platform
    return None


def platform_of(e: Event, formats: Mapping[str, str]) -> str | None:
    """The platform an event came from: its daemon, else the parser of its input."""
    daemon = e.attrs.get("daemon")
    if isinstance(daemon, str) and daemon in _DAEMON_PLATFORM:
        return _DAEMON_PLATFORM[daemon]
    return FORMAT_PLATFORM.get(formats.get(e.ref.source, ""))


def advice(neutral: Iterable[str], specific: Mapping[str, Iterable[str]], platforms: list[str]) -> list[str]:
    """The steps for these platforms (most cited first), then the neutral ones; steps naming another
    platform's commands are left out, unless nothing would be left."""
    out: list[str] = []
    for p in platforms:
        out.extend(s for s in specific.get(p, ()) if s not in out)
    steps = list(neutral)
    owners = [step_platform(s) for s in steps]
    # a step naming the evidence's own platform's commands before the plain-words ones (a rule lists its
    # neutral step first, for every other platform's user)
    for s, owner in zip(steps, owners, strict=True):
        if platforms and owner in platforms and s not in out:
            out.append(s)
    for s, owner in zip(steps, owners, strict=True):
        if (owner is None or not platforms) and s not in out:
            out.append(s)
    return out or steps
