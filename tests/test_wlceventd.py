"""An ASUS router's wlceventd lines (parsers/wlceventd.py), in the forms of each firmware era as public posts
show them, and read among the router's other syslog lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers import read
from wlandoctor.parsers.wlceventd import read as read_event

REAL = Path(__file__).parent / "data" / "real"


@pytest.mark.parametrize(
    ("line", "kind", "status", "reason", "rssi"),
    [
        # 382/384 (RMerl/asuswrt-merlin.ng#425): "syslog: WLCEVENTD", the status a number, a reason always
        (
            "syslog: WLCEVENTD wlceventd_proc_event(420): eth1: Auth 00:0c:41:12:23:34, status: 0, reason: d11 RC reserved (0)",
            "auth.response",
            0,
            None,
            None,
        ),
        # 386/388 (gnuton/asuswrt-merlin.ng#294)
        (
            "wlceventd: wlceventd_proc_event(505): eth5: Auth 20:F4:78:04:A2:81, status: Successful (0)",
            "auth.response",
            0,
            None,
            None,
        ),
        (
            "wlceventd: wlceventd_proc_event(469): eth6: Deauth_ind 20:F4:78:04:A2:81, status: 0, reason: "
            "Deauthenticated because sending station is leaving (or has left) IBSS or ESS (3)",
            "sta.deauth",
            0,
            3,
            None,
        ),
        # 388.2 and 3004 add the signal (asuswrt-merlin-xrayui#3); 0 is not a measure
        (
            "wlceventd: wlceventd_proc_event(722): eth7: Assoc 28:C2:XX:XX:XX:XX, status: Successful (0), rssi:-55",
            "assoc.response",
            0,
            None,
            -55,
        ),
        (
            "wlceventd: wlceventd_proc_event(534): eth5: Assoc 28:c2:aa:bb:cc:dd, status: Unspecified failure (1)",
            "assoc.reject",
            1,
            None,
            None,
        ),
        # a code printed in hex, as a third-party parser reads them ("4-way handshake timeout (f)")
        (
            "wlceventd: wlceventd_proc_event(491): wl0.1: Deauth_ind 28:c2:aa:bb:cc:dd, status: 0, reason: 4-way handshake timeout (f)",
            "sta.deauth",
            0,
            15,
            None,
        ),
    ],
)
def test_each_firmwares_form(line: str, kind: str, status: int, reason: int | None, rssi: int | None) -> None:
    ev = read_event(line)
    assert ev is not None
    assert (ev.kind, ev.status, ev.reason, ev.rssi) == (kind, status, reason, rssi)


def test_read_among_the_routers_hostapd_and_dnsmasq_lines() -> None:
    """gnuton/asuswrt-merlin.ng#294: the phone leaves eth6 (the station's own deauthentication, reason 3)
    and joins eth5 at once; a DHCP request after its ACK (a renewal) reopens nothing: online."""
    events, summary = read("hostap", REAL / "asus-tuf-ax3000-388-roam-eth6-eth5-dhcpack" / "input.log")
    wl = [(e.ref.line, e.kind, e.attrs.get("by")) for e in events if e.attrs.get("daemon") == "wlceventd"]
    assert wl == [(4, "sta.deauth", "sta"), (6, "auth.response", None), (8, "assoc.response", None)]
    assert summary.coverage.ratio == 1.0


def test_a_mac_redacted_past_recognition_is_said() -> None:
    events, summary = read(
        "hostap", REAL / "asus-tuf-ax5400-388-wlceventd-deauth1-reauth-loop-redacted" / "input.log"
    )
    assert events == []
    assert [p.line for p in summary.problems][:6] == [1, 2, 3, 4, 5, 6]
