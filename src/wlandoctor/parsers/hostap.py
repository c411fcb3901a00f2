"""hostapd and wpa_supplicant logs, and the dnsmasq DHCP lines that come with them.

Reads what people paste: OpenWrt ``logread``, classic syslog and ``journalctl`` output, ``hostapd -dd`` and
``wpa_supplicant -dd`` debug output (with or without ``-t`` time stamps), control-interface events
(``AP-STA-CONNECTED``, ``CTRL-EVENT-...``), dnsmasq ``DHCP...`` lines and the MediaTek driver's
``MIC Different in pairwise msg 2 of 4-way handshake!``.  Message strings are those of the hostap source
(w1.fi hostap.git); docs/hostap.md has the message -> kind table.

The input is streamed once.  Lines are first checked with cheap substring tests; only the few that can carry
an event reach a regular expression.  Per-station state (retry and handshake flags) is kept in a bounded
table, so memory does not grow with the size of the input.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from wlandoctor.model import Event, InputSummary, SourceRef
from wlandoctor.model.kinds import KINDS
from wlandoctor.model.stages import Stage
from wlandoctor.parsers import eap_tls, wlceventd
from wlandoctor.parsers.catalogue import Catalogue
from wlandoctor.parsers.catalogue import load as load_catalogue
from wlandoctor.parsers.eap_tls import TlsLines
from wlandoctor.parsers.freeradius import RadiusLines
from wlandoctor.parsers.linux_client import (
    ADDRESS_IN_USE,
    CIRCLE_DHCP_STARTS,
    DHCPCD_STARTS,
    DNSMASQ_EXIT_PHRASES,
    LISTENING,
    MAC80211_PEER,
    MAC80211_STARTS,
    REALTEK_PREFIX,
    ClientLogs,
)
from wlandoctor.parsers.portal import PortalLines
from wlandoctor.parsers.prefix import Prefix, YearGuess, daemon_of, find_tag, reference_time, split_prefix
from wlandoctor.parsers.relevance import unread
from wlandoctor.parsers.wpa_selection import SELECTION_STARTS, Rejection, Selection
from wlandoctor.sources import MAX_LINE, Input, decode_text, iter_raw_lines, sanitize
from wlandoctor.sources.lines import normalized
from wlandoctor.util.mac import REDACTED_MAC, is_real_mac, is_redacted, normalize_mac, normalize_unpadded
from wlandoctor.util.numbers import as_int
from wlandoctor.util.recent import recent
from wlandoctor.util.times import STAMP_PROBLEM
from wlandoctor.util.told_earlier import said_on

ASSOC_RETOLD_S = 2.0  # "associated (aid N)" again within this long: the station's request resent
EVIDENCE_CHARS = 600  # evidence text kept per event; the line number points at the rest
MAX_MESSAGE = 4096  # a hostapd/wpa_supplicant message is far shorter; longer lines are read this far
MAX_STATIONS = 65536  # per-station state kept; the least recently seen is forgotten beyond this

# A MAC in colon form; "x" stands for a digit redacted by the poster ("74:38:b7:xx:xx:xx"), or any letters
# for a pseudonym in the MAC's shape ("sm:ar:tp:ho:ne:07"): kept as the station's id (util/mac.py).
# Posters also mask with "*" ("**:**:**:**:**:**") or shade the rest with block characters
# ("6c:▒▒▒▒▒▒▒▒▒▒▒▒▒"): kept as opaque station ids too.
# Or write a word in its place ("<redacted>", util/mac.py REDACTED_MAC).
_MAC = r"(?:[0-9A-Za-z*]{2}(?::[0-9A-Za-z*]{2}){5}|[0-9A-Fa-f]{2}:[\u2580-\u259f]{4,20}|" + REDACTED_MAC + ")"
_MAC_RE = re.compile(_MAC)
_MAC_ANY = re.compile(
    r"[0-9A-Za-z*]{2}(?:[:-][0-9A-Za-z*]{2}){5}|[0-9A-Fa-f]{2}:[\u2580-\u259f]{4,20}|" + REDACTED_MAC
)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")


# Cheap tests: a line holding none of these phrases cannot produce an event.  An "or" chain of substring
# tests is the fastest filter CPython offers (faster than one alternation regex or any() over a tuple).
def _interesting(t: str) -> bool:
    if "STA" in t or "WPA" in t:
        return (
            "CTRL-EVENT-" in t
            or "AP-STA-" in t
            or "P2P-" in t  # ("P2P-GROUP-STARTED": below)
            or "EVENT]" in t  # (TI SimpleLink's "[WLAN EVENT] STA Connected to the AP": below)
            or "DHCP" in t
            or "IEEE 802.1" in t  # hostapd_logger's "IEEE 802.11: " and "IEEE 802.1X: "
            or "RADIUS" in t
            or (
                "WPA: " in t
                and (
                    "WPA: sending" in t
                    or "WPA: received EAPOL-Key" in t
                    or "WPA: EAPOL-Key timeout" in t
                    or "WPA: RX message" in t
                    or "WPA: Sending EAPOL-Key" in t
                    or "WPA: Failed to "
                    in t  # (the supplicant's own failures: catalogues/wpa_supplicant.yaml)
                )
            )
            or (
                "MIC" in t
                and (
                    "nvalid MIC" in t
                    or "Invalid EAPOL-Key MIC" in t
                    or "MIC Different" in t
                    or "Michael MIC" in t
                )
            )
            or (
                "andshake" in t
                and (
                    "handshake completed" in t
                    or "group key handshake failed" in t
                    or "4-Way Handshake failed" in t
                )
            )
            or (
                "entering state " in t
                and (
                    "entering state AUTHENTICATION" in t
                    or "entering state INITIALIZE" in t
                    or "entering state DISCONNECTED" in t
                    or "entering state KEYERROR" in t
                    or "entering state PTKINITDONE" in t
                )
            )
            or ("PMK" in t and ("PMKSA-CACHE-" in t or "matching PMKID" in t or "PMKSA cache" in t))
            or ("addr" in t and ("Own MAC" in t or "address=" in t or "with hwaddr" in t))
            # (a client kernel's reason names hold "STA" too: "Reason: 6=CLASS2_FRAME_FROM_NONAUTH_STA")
            or (("ssoc" in t or "uth" in t) and (_supplicant_phrase(t) or _client_phrase(t)))
            or "Retry limit" in t
            or "ap_sta_disconnect " in t
            or "handle_assoc_cb: STA " in t
            or "handle_auth_cb: STA " in t
            or "insert STA entry" in t  # (a client's kernel: linux_client.MAC80211_PHRASES)
            or "iwd" in t  # (iwd's own lines: its debug trace names WPA too, "Network is WPA3-Personal")
            or "no PSK configured" in t
            or "AP-REJECTED-" in t
            or "EAPOL-4WAY-HS-COMPLETED" in t
            or "Key negotiation completed" in t
            or "PTK derivation" in t
            or "SETKEYS DONE" in t
            # an EAPOL-Key message's security element differs (_M2_ / _M3_ELEMENT_MISMATCH)
            or ("atch" in t and ("did not match" in t or "msg does not match" in t or "RSNXE mismatch" in t))
            or "Possible downgrade attack" in t
            or "Replay Counter did not increase" in t
            or "EAPoL-Key frame from STA" in t
            or "Addr2(" in t
            or "requests disconnect" in t
            or ": STA=" in t
            or "OKC match" in t
            or "FT authentication already" in t  # (a fast transition: its keys came without a handshake)
            or "authentication OK (" in t
            or "association OK (" in t
            # wpa_supplicant's network selection (parsers/wpa_selection.py): "skip WPA IE - ...", "reject
            # due to mismatch with WPA/WPA2", "selected based on WPA IE", and a BSS's line whose SSID holds
            # "STA" or "WPA" ("0: <bssid> ssid='MyWPA' wpa_ie_len=...")
            or "skip" in t
            or "reject due to" in t
            or "selected " in t
            or "_ie_" in t
        )
    # lines naming neither a station nor WPA: the few messages that can still matter.  Each test costs a
    # scan of the line, so phrases that share a word are tested behind that word, once.
    return (
        "CTRL-EVENT-" in t
        or "DHCP" in t
        or "RADIUS" in t
        or "AP-REJECTED-" in t
        or "EAPOL-4WAY-HS-COMPLETED" in t
        # "address=", "Own MAC address", "with hwaddr", driver wrappers' "_sta_deauth: addr="
        or ("addr" in t and ("address=" in t or "Own MAC" in t or "with hwaddr" in t or "_sta_d" in t))
        # wpa_supplicant's "Trying to associate", "Associated with", "Authentication with X timed out",
        # rtl871xdrv's "is deauth, reason=", and a client's kernel (mac80211) phrases
        or (
            ("ssoc" in t or "uth" in t)
            and (
                _supplicant_phrase(t)
                or _client_phrase(t)
                or "Prune association for" in t
                or "allowed to auth" in t  # (hostapd's MAC access list: "Station <mac> not allowed to ...")
            )
        )
        or "ACL reject" in t  # ("Ignore Authentication|Probe Request frame from <mac> due to ACL reject")
        or "Connection to AP" in t  # (a client's kernel: "wlan0: Connection to AP <bssid> lost", beacon loss)
        or ("MIC" in t and ("MIC Different" in t or "Michael MIC" in t))
        or ("PMK" in t and ("PMKSA-CACHE-" in t or "matching PMKID" in t))
        or "SETKEYS DONE" in t
        or "Addr2(" in t
        or "dhcpcd" in t  # (linux_client.DHCPCD_PHRASES: a lease's steps and failures, its routine lines)
        or "iwd" in t  # (iwd's events, "event: state, old: ..., new: ...")
        or t.startswith("event: ")  # (the same pasted without iwd's tag)
        or "connmand" in t
        or "external_auth" in t  # (brcmfmac's firmware SAE: "External authentication failed: status=1")
        or "wifi_log: [" in t  # (Xiaomi stock firmware's driver steps: linux_client.WIFI_LOG_STEPS)
        or "wifi_a" in t  # (its "wifi_auth1 MAC ..." and "wifi_assoc MAC ..., StatusCode N")
        or "TKIP countermeasures" in t
        or "SAE H2E" in t  # "SAE: <mac> indicates support for SAE H2E, but did not use it"
        or "to the driver failed" in t
        or "Initializing interface" in t
        # Realtek's hostapd fork with its rtl871xdrv driver ("+rtl871x_send_eapol", ...)
        or "+rtl871x_" in t
        # Realtek vendor drivers (linux_client.REALTEK_PHRASES)
        or (
            ("RTL871X: " in t or "RTW: " in t or "[Driver]: " in t or "[WLAN-" in t)
            and ("auth" in t or "ssoc" in t or "eapol" in t or "set " in t or "On" in t or "recv " in t)
        )
        or "[$]wifi " in t  # (the Ameba AT layer's indications)
        or "No response from server" in t  # Circle's DHCP client, and its other lines below
        or "Did not receive " in t
        or "IP address is " in t
        or "REQUEST rejected with NAK" in t
        or "Lease expired" in t
        # hostapd_set_state() "interface state ENABLED->DISABLED": stations removed now are not drops
        or "interface state " in t
        or "AP-DISABLED" in t
        or "AP-ENABLED" in t
        # WPS and Wi-Fi Direct control events ("WPS-REG-SUCCESS", "P2P-GROUP-STARTED"): a WPS exchange's
        # EAP-Failure is no failure
        or "WPS-" in t
        or "P2P-" in t
        # a RADIUS message's dump naming the station (hostapd's RADIUS server: the request's only MAC)
        or "(Calling-Station-Id)" in t
        # eapol_test's result ("eapol_sm_cb: success=1", "result=0") and its timeout
        or "eapol_sm_cb" in t
        or "EAPOL test timed out" in t
        # embedded RTOS consoles (catalogues/rtos.yaml): RT-Thread's WLAN modules, TI SimpleLink's events
        or "WLAN." in t
        or "EVENT]" in t
        or "disconnected from the AP" in t
        # Zephyr's log ("[00:00:07.648,406] <inf> net_dhcpv4: Received: ..."): its modules' lines
        or (t[:1] == "[" and "] <" in t[:24])
        # wpa_supplicant's phase-2 results (eap_mschapv2.c, eap_peap.c)
        or ("EAP-" in t and ("EAP-MSCHAPV2: " in t or "EAP-TLV: " in t))
        # NetworkManager, iwd, DHCP clients and servers, radiusd
        or "Connection to AP" in t
        or "NetworkManager" in t
        or t.startswith(("<info>", "<warn>", "<debug>", "<trace>", "<error>"))  # (NetworkManager's own form)
        or "iwd[" in t
        or "radiusd" in t
        or "crash loop" in t
        or "udhcpc" in t  # BusyBox's DHCP client (parsers/linux_client.py)
        or "Failed to initiate AP scan" in t
        # the AP's driver refusing a station's entry (ath10k/ath11k/ath12k: "Failed to add station: <mac>",
        # "peer already added"): why hostapd's "Could not add STA to kernel driver" follows
        or ("dd" in t and ("Failed to add " in t or "peer already added" in t))
        # wpa_supplicant unable to read its configuration (wpa_supplicant/config_file.c)
        or ("arse" in t and ("failed to parse" in t or "read or parse configuration" in t))
        or ("Line " in t and ("unknown network field" in t or "Invalid passphrase length" in t))
        or "SCAN-FAILED" in t
        or "as the mac address" in t  # Android's ClientModeImpl naming the station's own MAC
        or "Association rejection " in t  # (and its word of a rejected association)
        or "ConnectedMacRandomization" in t
        or "wlceventd" in t  # an ASUS router's driver events (parsers/wlceventd.py)
        or "upper layer with alg:" in t  # a MediaTek driver's authentication answer (the same)
        # the TLS layer's alerts and refused certificates (parsers/eap_tls.py)
        or ("SSL" in t and ("SSL3 alert" in t or "openssl_handshake" in t))
        or "TLS alert" in t
        or "Certificate verification failed" in t
        # iwd's EAP layer (src/eap.c): "EAP server tried method 4 while client was configured for method 25"
        or ("EAP " in t and ("EAP server tried" in t or "EAP completed with" in t))
        # wpa_supplicant's network selection (parsers/wpa_selection.py): "Selecting BSS", "selected BSS",
        # "pre-selected", "skip ...", "<n>: <bssid> ssid='..' wpa_ie_len=", "wpa_parse_wpa_ie_rsn: ...",
        # "No suitable network found" / "AP found", "allow in non-WPA/WPA2"
        or "elect" in t
        or "skip" in t
        or "_ie_" in t
        or "suitable" in t
        or "allow " in t
        # a captive portal's lines (parsers/portal.py)
        or "uspot" in t
        or "radcli: " in t
        or ("dnsmasq" in t and any(phrase in t for phrase in DNSMASQ_EXIT_PHRASES))  # exiting at start
        or "ease" in t  # "free leases", "DHCP lease", "leased"
        or "bound to " in t
        or "Listening on " in t
        or "offered " in t
    )


ZERO_MAC = "00:00:00:00:00:00"
WFA_VENDOR = "14122"  # the Wi-Fi Alliance's SMI number: its expanded EAP type 1 is WSC (WPS)


def _bssid(token: str) -> str | None:
    """A BSSID from a key=value field; the all-zero one (a driver's reject before any AP answered, as
    brcmfmac's "ASSOC-REJECT bssid=00:00:00:00:00:00") names no AP."""
    if not _MAC_ANY.fullmatch(token):
        return None
    mac = normalize_mac(token)
    return None if mac == ZERO_MAC else mac


def _names_no_ap(token: str | None) -> bool:
    """No bssid= field, or the all-zero one: no AP named (a masked one, `**:**:...`, names one unseen)."""
    return token is None or (_MAC_ANY.fullmatch(token) is not None and normalize_mac(token) == ZERO_MAC)


# Tags of Android's Wi-Fi framework in logcat (frameworks/opt/net/wifi), across releases
_ANDROID_FRAMEWORK = frozenset(
    (
        "WifiMonitor",
        "WifiStateTracker",
        "WifiStateMachine",
        "ClientModeImpl",
        "WifiService",
        "WifiNative",
        "SupplicantStaIfaceHal",
        "SupplicantStaIfaceHalAidlImpl",
        "SupplicantStaIfaceHalHidlImpl",
        "WifiConnectivityManager",
        "WifiClientModeImpl",  # (Android 11 on; 12 on adds "[<id>:<iface>]" to the tag)
    )
)
_ANDROID_REJECTION = re.compile(
    r'Association rejection {1,2}ssid: "?(?P<ssid>[^"]{0,64}?)"? bssid: (?P<bssid>[0-9a-fA-F:]{17})?'
    r" ?statusCode: (?P<status>\d{1,5})(?: timedOut: (?P<timed_out>true|false))?"
)
# wpa_supplicant/config_file.c: "Line 9: failed to parse sae_password '...'.", "Line 13: failed to parse
# network block.", "Line 7: unknown network field 'x'.", "Line 5: Invalid passphrase length 5 (expected: 8..63) '...'."
# an AP driver refusing a station's entry: ath10k/ath11k/ath12k "Failed to add station: <mac> for VDEV: 0",
# "Failed to add peer: <mac> ...", "peer already added vdev id 0 req, vdev id 1 present"
_DRIVER_REFUSED = re.compile(r"\b(?:Failed to add (?:station|peer)\b|peer already added)", re.IGNORECASE)
_CONFIG_LINE = re.compile(
    r"Line (?P<line>\d{1,6}): (?:failed to parse (?P<field>\w{1,40})|unknown network field '(?P<unknown>[\w-]{1,40})'"
    r"|Invalid (?P<invalid>passphrase) length)"
)
_SECRET_FIELDS = frozenset(
    {
        "psk",
        "sae_password",
        "password",
        "passphrase",
        "wep_key0",
        "wep_key1",
        "wep_key2",
        "wep_key3",
        "private_key_passwd",
        "private_key2_passwd",
        "pin",
        "mem_only_psk",
    }
)
_QUOTED = re.compile(r"'[^']{0,200}'|\"[^\"]{0,200}\"")
_ACL_REJECT = re.compile(
    r"(?:Station (?P<mac>"
    + _MAC
    + r") not allowed to authenticate|Ignore (?P<frame>Authentication|Probe Request) frame from (?P<mac2>"
    + _MAC
    + r") due to ACL reject)$"
)
_ANDROID_IFACE = re.compile(r"\[\d{1,12}:([\w.\-]{1,24})\]$")  # "WifiClientModeImpl[148104121:wlan0]"
_ANDROID_OWN_MAC = re.compile(r"^Connecting with ((?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}) as the mac address")
# The tail of a line a paste wrapped: "reason=WRONG_KEY", "locally_generated=1", a closing ")" or quote
_TAIL = re.compile(r"[A-Za-z_][\w.\-]{0,30}=|[)\]\"'>}]")
WRAP_MIN = 60  # a line shorter than this was not wrapped by a terminal or a web page (they wrap wider)


def _continues(prev: str, nxt: str, width: int) -> bool:
    """Whether ``nxt`` is the rest of ``prev``, cut by a paste: a short piece with no prefix and no message
    of its own, that only a line's tail looks like (a key=value of its fields, a closing bracket; a value
    after a line that ends in "=").  A line that could stand on its own never continues another.
    ``width``: the length of ``prev``'s last physical line, which a wrap filled (a piece joined before was
    short: what follows it is a line of its own, such as the next key=value of a configuration dump)."""
    if width < WRAP_MIN or len(nxt) > 120:
        return False
    if ": " in nxt:  # (a syslog line's tag, a module's name: nearly every line that starts a message)
        return False
    if prev[-1] == "=":
        return nxt[0].isalnum()
    return _TAIL.match(nxt) is not None and "  " not in nxt and nxt.count("=") <= 4


def _join(prev: str, nxt: str) -> str:
    # a key=value tail was a field of its own: the wrap ate the blank between them
    return prev + nxt if prev[-1] in " =" or nxt[0] in ")]\"'>}" else prev + " " + nxt


def _reported(t: str) -> bool:
    """A debug log's line in the form of hostapd_logger / wpa_msg ("STA <mac> <module>: ...", CTRL-EVENT-,
    "<iface>: AP-..."), not one of the traces between them ("Event NEW_STA", "Attribute 79 (EAP-Message)")."""
    return " STA " in t or "CTRL-EVENT-" in t or ": AP-" in t or ">AP-" in t or t.startswith("STA ")


def _supplicant_phrase(t: str) -> bool:
    """wpa_supplicant's "Trying to associate", "Associated with", "Authentication with X timed out", and
    rtl871xdrv's "is deauth, reason=" (asked only of lines that hold "ssoc" or "uth")."""
    return (
        "Trying to" in t or "Associated with" in t or "Authentication with" in t or "is deauth, reason=" in t
    )


def _client_phrase(t: str) -> bool:
    return (
        ": authenticat" in t
        or ": associat" in t
        or "authentication with" in t
        or "association with" in t
        or "deauthenticat" in t
        or "disassociat" in t
        or "AssocResp" in t
        or " denied authentication" in t
        or " denied association" in t
    )


# "<name>: " before a message.  Whether the name is an interface is learnt from the log itself, not from a
# naming rule (wlan0, ath0, vap, wlan0_ap, phy0-ap0 are all real): a name is an interface once the log
# states it ("Using interface X with hwaddr", "Initializing interface 'X'") or once it stands before a
# message that only follows an interface name; module names ("WPA: ", "nl80211: ") never are.
_IFACE = re.compile(r"([A-Za-z][\w.\-@]{0,23}): ")
_CTRL_PRI = re.compile(r"<\d>")
# "EAP-MSCHAPV2: failure message: 'E=691 R=1 C=... V=3 M=...' (retry allowed, error 691)"
_MSCHAP_ERROR = re.compile(r"\berror (\d{1,5})\b|\bE=(\d{1,5})\b")
# Messages that hostapd / wpa_supplicant print after "<interface>: " (hostapd_logger, wpa_msg, wpa_printf
# with the interface name); a name before one of them is an interface.
_IFACE_FOLLOWERS = (
    "CTRL-EVENT-",
    "AP-STA-",
    "AP-REJECTED-",
    "AP-ENABLED",
    "AP-DISABLED",
    "EAPOL-4WAY-HS-COMPLETED",
    "STA ",
    "WPA: ",
    "RSN: ",
    "SME: ",
    "EAPOL: ",
    "EAP: ",
    "Trying to ",
    "Associated with ",
    "Authentication with ",
    "Own MAC address",
    "interface state ",
    "PMKSA-CACHE-",
    "RADIUS ",
    "IEEE 802.11 ",
    "Michael MIC",
    "TKIP countermeasures",
    "Ignore Authentication frame",  # (hostapd's MAC access list, wpa_msg: acl_reject() below)
    "Ignore Probe Request frame",
    "Associat",
    "Authenticat",
    "State: ",
    # wpa_supplicant's network selection (parsers/wpa_selection.py)
    "Selecting BSS",
    "Try to find BSS",
    "No suitable network",
    "   skip",
    "   reject due",
    "   selected ",
    "   allow ",
    "<3>",
    "<2>",
    "<4>",
    # the Linux kernel's mac80211 (net/mac80211/mlme.c), a client's side of authentication and association
    *MAC80211_STARTS,
    *DHCPCD_STARTS,
)
_NAMED_IFACE = re.compile(r"(?:Initializing interface '([^']{1,24})'|Using interface (\S{1,24}) with hwaddr)")
_SAE_STATUS = re.compile(r"status=(\d{1,5})")
# iwd's notices (iwd_notice(): "event: <name>, ..."), by names only iwd gives them
_IWD_NOTICES = (
    "event: connect-info, ",
    "event: connect-failed, ",
    "event: connect-timeout, ",
    "event: authentication-timeout,",
    "event: association-timeout,",
    "event: state, old: ",
    "event: disconnect-info, ",
    # its EAP layer's warnings (src/eap.c), which name no program either
    "EAP server tried method ",
    "EAP completed with ",
)
_BARE_MAC = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{12}(?![0-9A-Fa-f])")
_EAPOL_SM_CB = re.compile(r"eapol_sm_cb: (?:success|result)=(\d)\b")
# hostapd -d: "received EAP packet (code=2 id=208 len=17) from STA: EAP Response-PEAP (25)"
_EAP_RESPONSE = re.compile(
    r"received EAP packet \(code=2 id=\d{1,3} len=(\d{1,5})\) from STA: EAP Response-[\w-]{1,24} \((\d{1,3})\)"
)
_TLS_METHODS = frozenset({13, 21, 25, 43, 55})  # EAP-TLS, TTLS, PEAP, FAST, TEAP
# A test harness's or a runner's tags between the stamp and the message ("2026-07-23T12:16:59.9+0200 [ap]
# [stdout] wlan2: AP-STA-CONNECTED ..."): skipped when one of hostapd's or wpa_supplicant's messages follows
_RUNNER_TAGS = re.compile(r"(?:\[[\w.\-/:@]{1,32}\][ \t]+){1,3}")
_MESSAGE_START = re.compile(
    r"(?<![\w.\-@])(?:[A-Za-z][\w.\-@]{0,23}: )?(?:CTRL-EVENT-|AP-STA-|AP-REJECTED-|EAPOL-4WAY-HS-COMPLETED"
    r"|STA [0-9A-Fa-fxX]{2}:|WPA: |RSN: |SME: |Trying to (?:associate|authenticate)|Associated with "
    r"|Authentication with |DHCP[A-Z]+\()"
)
# The security element of an EAPOL-Key message that must repeat another one differs from it: hostapd on
# 2/4 (wpa_auth.c), wpa_supplicant on 3/4 (wpa.c wpa_supplicant_validate_ie(), each after "WPA: ").
_M2_ELEMENT_MISMATCH = ("WPA IE from (Re)AssocReq did not match", "RSNXE from (Re)AssocReq did not match")
_M3_ELEMENT_MISMATCH = (
    "IE in 3/4 msg does not match with IE in Beacon/ProbeResp",
    "RSNXE mismatch between Beacon/ProbeResp and EAPOL-Key msg 3/4",
    "Possible downgrade attack detected",
)
MAX_IFACES = 4096  # interface names learnt per input; beyond, the table starts again
MAX_NAMED = 65536  # stations remembered as named by an event (a rekey of one never named is its connection)
# reason values this parser gives to assoc.failure and dhcp.failure (rules may name them)
REASONS = frozenset(
    (
        "driver_add_sta_failed",
        "no_ack",
        "assoc-timeout",
        "no_station_entry",
        "assoc-unconfirmed",
        ADDRESS_IN_USE,
    )
)
# Daemons of the client's side: their host is the client, the AP is the BSSID they name.
_CLIENT_DAEMONS = frozenset(
    ("wpa_supplicant", "NetworkManager", "dhclient", "dhcpcd", "mac80211", "iwd", "connmand")
)


_NOT_IFACE = frozenset(
    (
        "nl80211",
        "random",
        "mgmt",
        "kernel",
        "hostapd",
        "dnsmasq",
        "netifd",
        "odhcpd",
        "procd",
        "dropbear",
        "l2_packet_receive",
        "wpa_driver_nl80211_set_key",
        "hostapd_wpa_auth_disconnect",
        "handle_assoc_cb",
        "handle_auth_cb",
        "EAPOL",
        "RSN",
        "WPA",
        "SME",
        "EAP",
        "TDLS",
        "P2P",
        "WPS",
        "DPP",
        "SAE",
        "OWE",
        "FT",
        "GTK",
        "GMK",
        "PTK",
        "PMK",
        "RTL871X",
        "RTW",
    )
)
# Realtek's hostapd fork: "+rtl871x_get_sta_wpaie, <mac> is sta's address", "+rtl871x_sta_deauth_ops, <mac> is
# deauth, reason=2", "+rtl871x_sta_remove_ops, <mac> is sta address removed"
_RTL871X_STA = re.compile(
    r"\+rtl871x_(get_sta_wpaie|sta_deauth_ops|sta_remove_ops), ("
    + _MAC
    + r") is [^,]{0,40}(?:, reason=(\d{1,5}))?"
)
# hostapd_logger's module right after "STA ", where the MAC was: the poster cut it out
_MODULE_AFTER_REMOVED_MAC = re.compile(r" {0,3}(?:IEEE 802\.11|IEEE 802\.1X|WPA|RADIUS|DRIVER|MLME|IAPP): ")
REMOVED_MAC = "<removed>"  # (a placeholder util/mac.py's is_redacted() knows)


def _refusals() -> Catalogue:
    """hostapd's association refusals (loaded once: the loader caches it)."""
    return load_catalogue("hostap")


def _supplicant_failures() -> Catalogue:
    """wpa_supplicant's own failures in the key handshakes (loaded once)."""
    return load_catalogue("wpa_supplicant")


def _rtos() -> Catalogue:
    """Embedded RTOS Wi-Fi managers: RT-Thread, TI SimpleLink (loaded once)."""
    return load_catalogue("rtos")


# lines of those consoles: RT-Thread's modules ("[I/WLAN.mgnt] ", the tag once the prefix is read), TI
# SimpleLink's event handlers
_RTOS_STARTS = ("[WLAN EVENT]", "[NETAPP EVENT]", "Device disconnected from the AP")


_LOGGER = re.compile(r"STA (" + _MAC + r") (IEEE 802\.11|IEEE 802\.1X|WPA|RADIUS|DRIVER|MLME|IAPP): (.*)")
_INT = re.compile(r"-?\d{1,18}(?!\d)")  # (longer is no number a log means: int() would refuse 4,300 digits)
# key=value pairs; a key only starts after a space, so a long run of word characters is scanned once
_KV = re.compile(r"(?:^|(?<=\s))(\w+)=(\"[^\"]*\"|\S*)")
# (an SSID is at most 32 bytes, 128 characters once escaped: bounded so each "(SSID='" scans a bounded span)
_SSID_PAREN = re.compile(r"\(SSID='(.{0,160}?)' freq=(\d+) MHz\)")
_SSID_QUOTED = re.compile(r"Trying to associate with SSID '(.*)'$")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|.)")
_UNESCAPE = {"n": b"\n", "r": b"\r", "t": b"\t", "e": b"\x1b"}
_EAP_TYPE = re.compile(r"EAP type: (\d+) \(([^)]*)\)")
_EAP_METHOD = re.compile(r"EAP vendor (\d+) method (\d+) \(([^)]*)\)")
# matched at the "DHCP" found by str.find (dnsmasq may put a transaction id before it)
_AP_STA_DISCONNECT = re.compile(r"ap_sta_disconnect (?:STA |addr=? ?)(" + _MAC + r") reason=(\d{1,5})")
_DHCP = re.compile(r"(DHCP[A-Z]+)\(([^)]{0,64})\)(?: (\d{1,3}(?:\.\d{1,3}){3}))? (" + _MAC + r")(?: (.*))?$")
_DHCP_NOMAC = re.compile(r"(DHCP[A-Z]+)\(([^)]{0,64})\)")
_MIC_FAILURE_GROUP = re.compile(r"\(group=(\d)\)")
_RETRY_LIMIT = re.compile(r"(PTKSTART|PTKINITNEGOTIATING): Retry limit (\d+) reached")
# newer hostapd quotes the SSID with ", older ones with '
_HWADDR = re.compile(r"Using interface (\S+) with hwaddr (" + _MAC + r") and ssid [\"'](.*)[\"']$")
_PTK_DERIV = re.compile(r"PTK derivation - A1=(" + _MAC + r") A2=(" + _MAC + r")")
_WLX = re.compile(r"wlx([0-9a-f]{12})")
_PHY = re.compile(r"phy(\d+)")

# odhcpd, OpenWrt's DHCP server (src/dhcpv4.c): "Received DHCPV4_MSG_DISCOVER from <mac> on <iface>" (older:
# "received ... from <mac>"), "Sent DHCPV4_MSG_ACK to <mac or ff:ff:ff:ff:ff:ff> - <destination address>"
_ODHCPD = re.compile(
    r"(?P<dir>[Rr]eceived|Sent) DHCPV4_MSG_(?P<msg>[A-Z]{2,20}) (?:from|to) (?P<mac>" + _MAC + r")"
    r"(?: on (?P<iface>[\w.@-]{1,24}))?(?: - (?P<ip>\d{1,3}(?:\.\d{1,3}){3}))?"
)
_ODHCPD_KIND = {
    ("received", "DISCOVER"): "dhcp.discover",
    ("received", "REQUEST"): "dhcp.request",
    ("received", "INFORM"): "dhcp.request",  # (a client that has its address asks for the rest)
    ("received", "DECLINE"): "dhcp.failure",
    ("received", "RELEASE"): "",
    ("sent", "OFFER"): "dhcp.offer",
    ("sent", "ACK"): "dhcp.ack",
    ("sent", "NAK"): "dhcp.nak",
}
_BROADCAST = "ff:ff:ff:ff:ff:ff"
# dnsmasq's reasons for a NAK to a client that asked for an address this network does not give it (its old
# lease elsewhere, an address taken): the client starts over with a DISCOVER (RFC 2131 3.2, 4.4.2)
_CLIENT_RESTARTS = (
    "wrong network",
    "wrong address",
    "wrong server-ID",
    "address not available",
    "lease not found",
    "address in use",
)
_DHCP_KIND = {
    "DHCPDISCOVER": "dhcp.discover",
    "DHCPOFFER": "dhcp.offer",
    "DHCPREQUEST": "dhcp.request",
    "DHCPACK": "dhcp.ack",
    "DHCPNAK": "dhcp.nak",
    # the client found the address it was given in use (its ARP check, RFC 2131 3.1.5) and gave it back
    "DHCPDECLINE": "dhcp.failure",
}
# key=value fields of AP-STA-CONNECTED kept as attributes (hostap ctrl_iface: keyid, auth_alg, vlan_id, ...)
_CONNECTED_KEYS = frozenset(("keyid", "auth_alg", "vlan_id", "ip_addr", "dpp_pkhash", "p2p_dev_addr"))
_TEMP_DISABLED = {
    "WRONG_KEY": ("key.mismatch.summary", {"strength": "client-verdict"}),
    "AUTH_FAILED": ("aaa_fail.record", {}),
    "CONN_FAILED": ("online_fail.record", {}),
    "NO_PSK_AVAILABLE": ("online_fail.record", {}),
}


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    m = _INT.match(text)
    return int(m.group()) if m else None


def _ssid(text: str) -> str:
    """wpa_ssid_txt() escapes (printf_encode): ``\\xe4\\xb8\\xad`` back to the UTF-8 SSID it stands for."""
    if "\\" not in text:
        return text

    def one(m: re.Match[str]) -> bytes:
        e = m.group(1)
        if e[0] == "x" and len(e) == 3:
            return bytes([int(e[1:], 16)])
        return _UNESCAPE.get(e, e.encode())

    out = b""
    pos = 0
    for m in _ESCAPE.finditer(text):
        out += text[pos : m.start()].encode() + one(m)
        pos = m.end()
    out += text[pos:].encode()
    return sanitize(out.decode("utf-8", "replace"))  # control characters stay visible, never raw


def _kv(text: str) -> dict[str, str]:
    return {k: v.strip('"') for k, v in _KV.findall(text)}


@dataclass(slots=True)
class _Sta:
    """What the log told so far about one station's current exchange."""

    timeout_pending: bool = False  # "EAPOL-Key timeout": the next M1/M3 is a retransmission
    m1_sent: int = 0
    m3_sent: int = 0
    m2_state: int = 0  # 0 none, 1 M2 received, 2 M2 reported with invalid MIC
    group_m2: bool = False
    hs_done: bool = False
    ptk_state_told: bool = (
        False  # hostapd's WPA_PTK state PTKINITDONE told the keys: its completion line follows
    )
    wpa1: bool = False  # the pairwise handshake was WPA (not RSN): the first group key comes after it
    online: bool = False
    last_deauth_line: int = -100
    reason: int | None = None  # reason code from a debug line, for the logger line that follows
    eap_started: bool = False  # EAPOL-Start and CTRL-EVENT-EAP-STARTED tell the same start
    eap_starts: int = 0  # CTRL-EVENT-EAP-STARTED lines in this exchange: more than one is a restart
    eap_result: bool = False  # EAP-SUCCESS2 and "authenticated - EAP type" tell the same result
    failed_method: str | None = (
        None  # the EAP method it failed on ("authentication failed - EAP type: 4 (MD5)")
    )
    identity: bool = False  # EAP-Response/Identity seen in this exchange
    eap_method: int | None = None  # last EAP method requested (one event per method, not per round)
    radius_answered: bool = False  # one radius.challenge per exchange, not one per round
    authenticating: bool = False  # wpa_supplicant: its last request was an authentication (SME), unanswered
    associating: bool = False  # hostapd: an association request or response seen in this exchange
    # hostapd's last "associated (aid N)" of this exchange: (aid, time, line), for the same told again
    assoc_told: tuple[int | None, float | None, int] | None = None
    # wpa_supplicant asked its driver to connect ("Trying to associate with", no SME): the driver's own
    # "start auth" that follows is that same attempt, not a new one
    driver_connect: bool = False
    # hostapd -d told the step at debug level ("authentication OK (FT)", "association OK (aid 1)"): the info
    # line that may follow ("authenticated", "associated") is the same step
    debug_told: str = ""
    # wpa_supplicant: the tunnelled (phase 2) method's own result, for the EAP-Failure that ends it
    inner: str | None = None  # "succeeded" | "failed"
    inner_error: int | None = None  # MSCHAPv2's E= code (691 wrong credentials, 648 password expired, ...)
    phase2: str | None = None  # "server-failure" (TLV Result - Failure) | "forced-failure"
    # a WPS exchange (EAP-WSC) is under way: it ends with an EAP-Failure by design (the station then joins
    # again with the credential it was given), which is no failure
    wps: bool = False


@dataclass(slots=True)
class _Iface:
    bssid: str | None = None
    ssid: str | None = None
    own: str | None = None  # wpa_supplicant: the interface's own MAC
    eap_sta: str | None = None  # hostapd: last station that started EAP here
    eap_pending: list[str] = field(default_factory=list)
    down: bool = False  # hostapd: the interface is being disabled (stations it removes now are not failures)
    # wpa_supplicant running an AP (a Wi-Fi Direct group owner, a SoftAP): its own "CTRL-EVENT-CONNECTED -
    # Connection to <its BSSID>" tells the AP started, and a DISCONNECTED from that BSSID that it stopped
    ap_mode: bool = False
    ap_bssid: str | None = None
    selection: Selection | None = None  # wpa_supplicant: its network selection under way
    # wpa_supplicant: the network it disabled for a while after failures (CTRL-EVENT-SSID-TEMP-DISABLED):
    # until when (None: not disabled; 0.0: until re-enabled, the log keeping no time)
    disabled_until: float | None = None
    # the name its station's events were given while its own MAC was not known: kept once used, so that
    # the events before and after the MAC is learnt are one station's
    unnamed: str | None = None


def _own_from_name(iface: str) -> str | None:
    """systemd names a USB/PCI Wi-Fi interface after its MAC: wlxb44bd62b497a -> b4:4b:d6:2b:49:7a."""
    m = _WLX.fullmatch(iface)
    if m is None:
        return None
    h = m.group(1)
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def _prescan(head: bytes) -> tuple[str, str | None]:
    """From the sniffed head: which side wrote a bare debug log, and the supplicant's own MAC if unambiguous."""
    text = head.decode("utf-8", "replace")
    supp = sum(
        text.count(s)
        for s in (
            "RX message 1 of 4-Way",
            "Sending EAPOL-Key 2/4",
            "wpa_supplicant",
            "CTRL-EVENT-CONNECTED",
            "Own MAC address",
            "EAP authentication started",
            "State: DISCONNECTED ->",
            "SME: Trying",
            "Trying to associate",
        )
    )
    ap = sum(
        text.count(s)
        for s in (
            "WPA_PTK entering",
            "msg of 4-Way Handshake",
            "hostapd",
            "AP-STA-",
            "IEEE 802.11: ",
            "received EAPOL-Key frame",
        )
    )
    side = "wpa_supplicant" if supp > ap else "hostapd"
    own = None
    if side == "wpa_supplicant":
        owns = {normalize_mac(m.group(1)) for m in re.finditer(r"Own MAC address: (" + _MAC + ")", text)}
        if not owns:
            owns = {normalize_mac(m.group(1)) for m in _PTK_DERIV.finditer(text)}
        if len(owns) == 1:
            own = owns.pop()
    return side, own


def _owns_by_iface(head: str) -> dict[str, str]:
    """Interfaces' own MACs the sniffed head tells, wherever in it ("dhclient: Listening on
    LPF/wlan0/<mac>" follows the join it addresses): a station's events before that line are named by it."""
    found: dict[str, str] = {}
    at = head.find("Listening on ")
    while at >= 0 and len(found) < 64:
        m = LISTENING.match(head, at)
        if m is not None and is_real_mac(normalize_mac(m.group(2))):
            found.setdefault(m.group(1), normalize_mac(m.group(2)))
        at = head.find("Listening on ", at + 13)
    return found


class _Run(ClientLogs):
    """State of one pass over one input."""

    def __init__(self, inp: Input, summary: InputSummary) -> None:
        self.source = inp.name
        self.file = PurePath(inp.name).name or inp.name
        self.summary = summary
        self.years = YearGuess(reference_time(inp.path), inp.year_hint)
        head = normalized(inp.head)
        self.side, self.default_own = _prescan(head)
        self.owns_told = _owns_by_iface(head.decode("utf-8", "replace"))
        self.inp = inp
        # A debug log (-d, -dd) traces every state machine: its lines that report events are the
        # hostapd_logger / wpa_msg ones ("STA <mac> <module>: ...", CTRL-EVENT-, AP-STA-); only those are
        # weighed for relevance, not the thousands of traces between them.
        self.debug_log = (
            head.count(b"hexdump(") + head.count(b" entering state ") + head.count(b"nl80211: ") >= 8
        )
        # hostapd logs the pairwise handshake's completion in its own words here ("pairwise key handshake
        # completed", EAPOL-4WAY-HS-COMPLETED): its state machine's PTKINITDONE says nothing more
        self.completion_logged = b"key handshake completed" in head or b"EAPOL-4WAY-HS-COMPLETED" in head
        # lines tagged wpa_supplicant seen (Android's WifiMonitor echoes them)
        self.supplicant_tagged = False
        # lines joined back to the line they continue (a paste's wrap): how many, and the first few
        self.wrapped = 0
        self.wrapped_first: list[int] = []
        self.radius_lines: RadiusLines | None = None  # FreeRADIUS lines of the same syslog (radiusd tag)
        self.portal = PortalLines(summary)
        self.tls = TlsLines()  # the TLS layer's alerts and refused certificates, for the EAP-Failure after  # a captive portal's lines, and the DHCP leases that name them
        self.stas: OrderedDict[str, _Sta] = OrderedDict()
        self.ifaces: dict[str, _Iface] = {}
        self.realtek_eapol = 0
        self.iface_names: set[str] = set()  # names the log showed to be interfaces
        self.out: list[Event] = []
        self.seq = 0
        self.redacted_noted = False  # said once per input
        # per line
        self.number = 0
        self.text = ""
        self.prefix = Prefix("")
        self.time: float | None = None
        self.borrowed_line = 0  # the last line whose stamp was unreadable: its events take the time before
        self.daemon: str | None = None
        self.iface: str | None = None
        self.ansi_reported = False
        self.ansi_lines = 0
        self.driver_mac: tuple[int, str] | None = None  # (line, mac) named by the last driver line
        self.last_8021x: str | None = None  # station of the last IEEE 802.1X line (RADIUS dumps name none)
        self.radius_rx = False
        self.radius_code: int | None = None
        # hostapd as a RADIUS server (its integrated EAP server, "RADIUS SRV: ..."): the station of the request
        # under way (its Calling-Station-Id, dumped as "Attribute 31 (Calling-Station-Id)" and "Value: '..'"),
        # whether that attribute's value is the next line, and whether the next message dump is its reply
        self.srv_station: str | None = None
        self.srv_value = False
        self.srv_reply = False
        self.last_assoc: str | None = None  # station of the last (re)association request (debug)
        self.rtl_station: str | None = None  # Realtek's hostapd fork: the station it last named
        self.handled = False  # the line was understood though it gave no event (state, a known trace)
        self.dhcp_iface: str | None = None  # interface of the DHCP client's last line that named one
        self.connected_iface: str | None = None  # wpa_supplicant's interface that connected last
        self.told_reject: tuple[int, str | None, int] | None = None  # the kernel's last refusal (a client's)
        self.dhcpcd_soliciting = False
        self.iwd_ssid: str | None = None
        self.iwd_failed = False
        self.link_failed = False
        self.odhcpd_client: str | None = None  # the station odhcpd received a DHCPv4 message from last
        self.named: set[str] = set()  # stations with an event in this input (up to MAX_NAMED)
        self.told_removed = False  # a line without its MAC was said once (removed_mac)
        self.nm_supplicant: dict[str, str] = {}  # NetworkManager's device -> its supplicant's last state
        self.nm_dhcp_waiting: set[str] = (
            set()
        )  # NetworkManager's devices whose DHCP transaction has no lease yet
        self.guessed_times = 0  # lines whose time took a guessed year (NetworkManager's own stamps do not)
        self.supplicant_rejected: tuple[float | None, str | None] | None = None  # its last ASSOC-REJECT
        self.driver_refused: tuple[int, str] | None = (
            None  # the AP driver's last refusal of an entry (line, what)
        )
        self.config_told: int | None = None  # the line of the supplicant's last configuration error said
        self.selecting: str | None = None  # the interface of wpa_supplicant's last network selection line

    # ---- helpers ------------------------------------------------------------------------------------
    def sta(self, station: str) -> _Sta:
        return recent(self.stas, station, _Sta, MAX_STATIONS)

    def ifc(self, name: str | None) -> _Iface:
        key = name or ""
        i = self.ifaces.get(key)
        if i is None:
            if len(self.ifaces) > 4096:
                self.ifaces.clear()
            i = self.ifaces[key] = _Iface()
            if name:
                i.own = _own_from_name(name) or self.owns_told.get(name)
        return i

    def is_iface(self, name: str, body: str, after: int) -> bool:
        """Whether ``name`` (before ": " in ``body``) is an interface: learnt from the log, see _IFACE."""
        if name in self.iface_names:
            return True
        if name in _NOT_IFACE or not body.startswith(_IFACE_FOLLOWERS, after):
            return False
        if name.isupper():
            # a module's prefix in capitals ("EAP-MSCHAPV2: Authentication succeeded", "WPA: ", "SME: "),
            # never an interface's name
            return False
        self.learn_iface(name)
        return True

    def learn_iface(self, name: str) -> None:
        if len(self.iface_names) >= MAX_IFACES:
            self.iface_names.clear()
        self.iface_names.add(name)

    def prefix_guessed(self) -> bool:
        """The current line's time took a guessed year."""
        return self.prefix.yearless is not None

    def set_bssid(self, bssid: str) -> None:
        self.ifc(self.iface).bssid = bssid

    def iface_bssid(self) -> str | None:
        return self.ifc(self.iface).bssid

    def set_own(self, iface: str, mac: str) -> None:
        i = self.ifc(iface)
        if i.unnamed is not None and i.own is None:
            self.summary.notes.append(
                f"{i.unnamed}'s own MAC, {mac}, is told only at line {self.number}, after its first events: "
                f"the station keeps the name {i.unnamed}"
            )
        i.own = mac

    def is_known_station(self, mac: str) -> bool:
        """Whether an AP of this log served ``mac`` (a driver's peer is then a station, not the AP)."""
        return mac in self.stas and mac != self.local_station()

    def new_exchange_of(self, station: str) -> None:
        self._new_exchange(self.sta(station))

    def opaque(self, iface: str | None) -> str:
        return f"{iface or 'unknown'}@{self.prefix.host or self.file}"

    def driver_connecting(self, station: str) -> bool:
        """Whether wpa_supplicant asked the driver to connect for ``station`` and nothing came back yet (then
        forgotten: a second "start auth" is the driver's retry, a new attempt)."""
        s = self.sta(station)
        told, s.driver_connect = s.driver_connect, False
        return told

    def names_interfaces(self) -> bool:
        """Whether the log named a Wi-Fi interface so far."""
        return any(self.ifaces)

    def only_iface(self) -> str | None:
        """For a debug line without an interface: the one interface the log names, when it names one (the
        unnamed entry, None, does not count)."""
        if len(self.ifaces) > 2:
            return None
        named = [k for k in self.ifaces if k]
        return named[0] if len(named) == 1 else None

    def local_station(self) -> str:
        """wpa_supplicant's station: the interface's own MAC when known, else a stable opaque id."""
        i = self.ifc(self.iface)
        if i.unnamed is not None:
            return i.unnamed
        own = i.own or self.default_own
        return own or self.opaque(self.iface)

    def radio(self) -> int | None:
        """OpenWrt names interfaces after their radio: phy1-ap0 is on radio 1.  Other names say nothing."""
        if self.iface:
            m = _PHY.match(self.iface)
            if m:
                return int(m.group(1))
        return None

    def emit(
        self,
        kind: str,
        station: str,
        message: str,
        *,
        bssid: str | None = None,
        ssid: str | None = None,
        daemon: str | None = None,
        stage: Stage | None = None,
        **attrs: Any,
    ) -> None:
        """``stage``: where this event happened when the kind's own stage cannot say (a record of failed
        connection attempts, at authentication or at association)."""
        info = KINDS[kind]
        if station and station[0] in "<[rR" and not self.redacted_noted and is_redacted(station):
            self.redacted_noted = True
            self.summary.notes.append(
                f"the station's MAC is written {station!r} in the input: stations redacted alike are one here"
            )
        d = daemon or self.daemon or self.side
        i = self.ifc(self.iface)
        if self.iface is None and d != "dnsmasq":
            only = self.only_iface()
            if only is not None:
                i = self.ifaces[only]
        if d in _CLIENT_DAEMONS:
            bssid = bssid or i.bssid
            ap = bssid
        else:
            bssid = bssid or i.bssid
            ap = self.prefix.host or bssid
        a: dict[str, Any] = {"message": message[:EVIDENCE_CHARS], "daemon": d}
        if self.iface:
            a["iface"] = self.iface
        for k, v in attrs.items():
            if v is not None:
                a[k] = v
        if self.number == self.borrowed_line and self.time is not None:
            a["time_inferred"] = True
        if len(self.named) < MAX_NAMED:
            self.named.add(station)
        if "@" in station:
            here = self.ifc(self.iface)
            if here.unnamed is None and here.own is None and station == self.opaque(self.iface):
                here.unnamed = station
        self.seq += 1
        text = self.text if len(self.text) <= EVIDENCE_CHARS else self.text[:EVIDENCE_CHARS] + " [...]"
        self.out.append(
            Event(
                kind=kind,
                station=station,
                stage=stage or info.stage,
                ref=SourceRef(self.source, self.number, sanitize(text)),
                time=self.time,
                seq=self.seq,
                ap=ap,
                bssid=bssid,
                radio=self.radio(),
                ssid=ssid or i.ssid,
                attrs=a,
            )
        )

    def problem(self, message: str) -> None:
        self.summary.problem(self.number, message)

    def removed_mac(self) -> str:
        """The station of a line whose MAC whoever pasted it cut out ("STA  IEEE 802.11: ...",
        "AP-STA-DISCONNECTED" alone): one opaque station for all of them, said once."""
        if not self.told_removed:
            self.told_removed = True
            self.problem(
                f"a station line with its MAC address cut out: such lines are taken as one station, {REMOVED_MAC}"
            )
        return REMOVED_MAC

    def mac(self, token: str | None, what: str) -> str | None:
        if token and _MAC_ANY.fullmatch(token):
            return normalize_mac(token)
        self.problem(f"{what}: no valid station MAC address in {sanitize((token or '')[:40])!r}")
        return None

    # ---- driving ------------------------------------------------------------------------------------
    def run(self, inp: Input) -> Iterator[Event]:
        summary = self.summary
        coverage = summary.coverage
        # Raw lines, decoded here with no Line object each: this loop runs for every line of debug logs
        # of gigabytes, most of which are traces that no test below lets through.
        debug_log = self.debug_log
        with inp.open() as stream:
            for number, text in self.texts(stream):
                if text is None:
                    summary.problem(number, "binary data, line skipped")
                    summary.skipped += 1
                    continue
                if not _interesting(text) and not (self.srv_value and "Value: '" in text):
                    summary.skipped += 1
                    # (a debug log's traces are not weighed for relevance: see ``reports``; of its
                    # hostapd_logger / wpa_msg forms, CTRL-EVENT- and AP-STA- lines are all interesting)
                    if not debug_log or " STA " in text:
                        if "hexdump" not in text:
                            unread(coverage, number, text)
                        elif "STA PMKID" in text and self.last_assoc is not None:
                            # hostapd: "RSN IE: STA PMKID - hexdump(len=16): ..." after the association
                            # request
                            summary.skipped -= 1
                            self.number, self.text = number, text[:EVIDENCE_CHARS]
                            self.stamp(self.text)
                            self.iface = None
                            self.emit(
                                "pmksa.cache",
                                self.last_assoc,
                                "RSN IE: STA PMKID",
                                daemon="hostapd",
                                action="offered",
                            )
                            summary.records += 1
                            yield from self.out
                            self.out.clear()
                    continue
                if "hexdump" in text:  # (a dump that names a phrase above is no message of it)
                    summary.skipped += 1
                    continue
                self.number = number
                if "\x1b" in text:
                    text = _ANSI.sub("", text)
                    self.ansi_lines += 1
                    if not self.ansi_reported:
                        self.ansi_reported = True
                        self.problem(
                            "terminal escape sequences removed (colour codes); the line was still read"
                        )
                self.text = text
                if len(text) > MAX_MESSAGE:
                    self.problem(f"line of {len(text)} characters; only its first {MAX_MESSAGE} were read")
                    text = text[:MAX_MESSAGE]
                self.line(text)
                if self.out:
                    summary.records += 1
                    coverage.understood += 1
                    yield from self.out
                    self.out.clear()
                else:
                    summary.skipped += 1
                    if self.handled:
                        coverage.understood += 1
                    elif self.reports(text):
                        unread(coverage, number, text)
        if self.ansi_lines > 1:
            summary.problem(0, f"{self.ansi_lines} lines held terminal escape sequences; they were removed")
        if self.wrapped:
            what = "line" if self.wrapped == 1 else "lines"
            more = ", ..." if self.wrapped > len(self.wrapped_first) else ""
            summary.notes.append(
                f"{self.wrapped} {what} wrapped by the paste joined back to the line before "
                f"(line {', '.join(str(n) for n in self.wrapped_first)}{more})"
            )
        for name, i in list(self.ifaces.items()):
            ended = i.selection.end() if i.selection is not None else None
            if ended is not None:
                self.rejected_network(ended, name or None)
                summary.records += 1
                yield from self.out
                self.out.clear()
        if self.radius_lines is not None:
            self.out.clear()
            self.collect(self.radius_lines.end(), None)
            if self.out:
                summary.records += 1
                yield from self.out
                self.out.clear()
        if "year" in self.years.guessed and self.guessed_times:
            summary.notes.append(
                f"time stamps carry no year: taken as {self.years.first_year()} ({self.years.by})"
            )
        if "date" in self.years.guessed:
            summary.notes.append(
                f"time stamps carry no date: placed on {self.years.day_by}, in the order logged"
            )

    def texts(self, stream: BinaryIO) -> Iterator[tuple[int, str | None]]:
        """The input's lines as text (None for binary data), with a line that a paste wrapped joined back to
        the line it continues (``_continues``); over-long lines are reported and cut."""
        held: tuple[int, str] | None = None
        width = 0  # the length of the held line's last physical line
        for number, raw, fragment in iter_raw_lines(stream, first_line=self.inp.first_line):
            if fragment:
                if held is not None:  # the line's start, read before its continuation is reported
                    yield held
                    held = None
                if fragment == 1:
                    self.number = number
                    self.problem(f"line longer than {MAX_LINE} characters; the rest of it was skipped")
                continue
            if not raw:
                continue
            # (sources.decode_text, its common case inline: this runs for every line)
            text = raw.decode("ascii") if raw.isascii() and b"\x00" not in raw else decode_text(raw)
            if held is not None:
                # (a stamped line starts with a digit: the common case is told at once)
                if (
                    text
                    and (not text[0].isdigit() or held[1][-1] == "=")
                    and _continues(held[1], text, width)
                ):
                    held = (held[0], _join(held[1], text))
                    width = len(text)
                    self.wrapped += 1
                    if len(self.wrapped_first) < 3:
                        self.wrapped_first.append(number)
                    continue
                yield held
            if text is None:
                held = None
                yield number, None
            else:
                held = (number, text)
                width = len(text)
        if held is not None:
            yield held

    def radius_server(self, text: str, p: Prefix) -> None:
        """A FreeRADIUS line in the same syslog (hostapd and radiusd on one router): read by the FreeRADIUS
        parser's own reader, its events numbered in this input's order."""
        if self.radius_lines is None:
            self.radius_lines = RadiusLines(self.inp, self.summary)
        reader = self.radius_lines
        reader._counted = False
        self.collect(reader._line(self.number, text, p.body, p.time), p.time)
        self.handled = self.handled or reader._counted

    def collect(self, events: Iterator[Event], time: float | None) -> None:
        for e in events:
            self.seq += 1
            e.seq = self.seq
            if e.time is None:
                e.time = time
            self.out.append(e)
            self.handled = True

    def reports(self, text: str) -> bool:
        """Whether a line not understood is weighed for relevance (see ``debug_log``)."""
        return not self.debug_log or _reported(text)

    def stamp(self, text: str) -> Prefix:
        """Split the line's prefix; dates a stamp without year or date; the message of an unknown prefix
        starts after a daemon tag found anywhere in it, or at the first message the parser knows."""
        p = self.prefix = split_prefix(text)
        if p.yearless is not None:
            self.guessed_times += 1
            p.time = self.years.epoch(p.yearless)
            if p.time is None:
                self.problem(STAMP_PROBLEM)
        elif p.timeofday is not None:
            p.time = self.years.time_of_day(p.timeofday)
        elif not p.known:
            found = find_tag(text)
            if found is not None:
                p.body, p.tag, p.known = text[found[0] :], found[1], True
        if p.bad_stamp:
            self.problem(STAMP_PROBLEM)
            p.time = self.time  # the line before's: the log's order is kept
            self.borrowed_line = self.number
        self.time = p.time
        return p

    def line(self, text: str) -> None:
        p = self.stamp(text)
        if p.tag in ("radiusd", "freeradius"):
            self.radius_server(text, p)
            return
        self.daemon = daemon_of(p.tag)
        self.handled = False
        body = p.body
        if p.zephyr and self.daemon is None and p.tag is not None and self.zephyr_module(p.tag, body):
            return
        if (
            body[:1] == "["
            and (r := _RUNNER_TAGS.match(body)) is not None
            and self.message_follows(body, r.end())
        ):
            body = body[r.end() :]
        rtos = (p.tag or "").startswith("WLAN.") or body.lstrip(" ").startswith(_RTOS_STARTS)
        if rtos and self.rtos(body):
            return
        if body.startswith(("eapol_sm_cb: ", "EAPOL test timed out")):
            self.eapol_test(body)
            return
        if p.tag and self.daemon is None and not p.host and any(c.isdigit() for c in p.tag):
            # a stamp with no host before "<iface>: <message>" ("[17:48:48.404] wlx5ca6e63fe2da: CTRL-EVENT-
            # ..."): the word taken for a tag is the interface, part of the message (an interface's name has
            # a digit, wlan0, wlp2s0, phy0-sta0; a program's, Circle's "wpa" and "dhcp", has none)
            tagged = f"{p.tag}: {body}"
            if self.is_iface(p.tag, tagged, len(p.tag) + 2):
                body = tagged
        tag = p.tag
        if tag is not None and tag.endswith("]") and "[" in tag:
            tag = tag[: tag.index("[")]  # (Android 12 on: "WifiClientModeImpl[148104121:wlan0]")
        if tag in _ANDROID_FRAMEWORK:
            # Android's Wi-Fi framework: WifiMonitor echoes each wpa_supplicant event ("Event [CTRL-EVENT-
            # ...]"), read from the supplicant's own line when the log has it; state-machine traces carry
            # no event of their own
            own = _ANDROID_OWN_MAC.search(body)
            if own is not None:
                # "Connecting with <mac> as the mac address" (ClientModeImpl): the station's own, random MAC
                self.default_own = normalize_mac(own.group(1))
                self.handled = True
                return
            if body.startswith("ConnectedMacRandomization"):
                self.handled = True  # (the random MAC being set: the line after names it)
                return
            if "State: Association rejection " in body[:48]:
                self.android_assoc_rejection(body)
                return
            if body.startswith("Event [") and body.endswith("]") and not self.supplicant_tagged:
                body = body[7:-1]
            elif body.startswith("Event [") or "supplicant state" in body or "SUPPLICANT_STATE" in body:
                self.handled = True
                return
        elif self.daemon == "wpa_supplicant":
            self.supplicant_tagged = True
        self.message(body)
        if not self.out and not self.handled and not p.known:
            # a prefix of no known form (or none): the message may start further in
            m = _MESSAGE_START.search(text, 1, 400)
            if m is not None:
                self.message(text[m.start() :])

    def android_assoc_rejection(self, body: str) -> None:
        """ClientModeImpl's own word of a rejected association ("L2ConnectingState: Association rejection
        ssid: "X" bssid: b statusCode: 1 timedOut: true ..."), from the supplicant's event it handles: read
        when the log lacks that event (a paste of the framework's lines), else the same rejection again."""
        m = _ANDROID_REJECTION.search(body)
        if m is None:
            return
        bssid = normalize_mac(m["bssid"]) if m["bssid"] else None
        said = self.supplicant_rejected
        if (
            said is not None
            and said[1] == bssid
            and (self.time is None or said[0] is None or abs(self.time - said[0]) <= 2)
        ):
            self.handled = True
            return
        iface = _ANDROID_IFACE.search(self.prefix.tag or "")
        if iface is not None and self.iface is None:
            self.iface = iface.group(1)  # (the framework's instance names its interface)
        station = self.local_station()
        ssid = _ssid(m["ssid"]) if m["ssid"] is not None else None
        self.emit(
            "assoc.reject",
            station,
            body,
            daemon="wpa_supplicant",
            bssid=bssid,
            ssid=ssid,
            status=_int(m["status"]),
            timed_out=True if m["timed_out"] == "true" else None,
            told_by="android framework",
        )

    def eapol_test(self, body: str) -> None:
        """eapol_test (hostap's RADIUS test client: supplicant and authenticator in one, talking RADIUS to
        the server): its result callback says the server's answer, "eapol_sm_cb: success=1" (older) or
        "result=1" (1 success, 0 failure, 2 an expected failure); "EAPOL test timed out" no answer."""
        self.handled = True
        station = self.local_station()
        d = "eapol_test"
        if body.startswith("EAPOL test timed out"):
            self.emit("radius.no_reply", station, body, daemon=d)
            return
        m = _EAPOL_SM_CB.match(body)
        if m is None:
            return
        if m.group(1) == "1":
            self.emit("radius.accept", station, body, daemon=d)
        elif m.group(1) == "0":
            self.emit("radius.reject", station, body, daemon=d)

    def rtos(self, body: str) -> bool:
        """An embedded RTOS console's Wi-Fi manager line (catalogues/rtos.yaml), the station's own."""
        found = _rtos().read(body.strip(" "))
        if found is None:
            return False
        self.handled = True
        msg, fields = found
        if msg.kind is not None:
            attrs: dict[str, Any] = {**msg.attrs, **fields}
            if attrs.get("bssid"):
                attrs["bssid"] = normalize_unpadded(attrs["bssid"])
            self.emit(msg.kind, self.local_station(), body.strip(" "), daemon="rtos", **attrs)
        return True

    def tls_alert_sized(self, station: str, text: str) -> bool:
        """hostapd -d: the station's answer in a TLS-based EAP method (TLS, TTLS, PEAP, FAST, TEAP) of 13 or 17
        bytes: EAP's 5-byte header, the method's flags (and its 4-byte TLS length) and one 7-byte TLS record,
        which before the tunnel is up can only be an alert (a record inside it is encrypted and longer; a
        fragment's acknowledgement is 6 bytes): the station stopped the TLS handshake. hostapd does not log
        which alert; the station's or the server's log says."""
        m = _EAP_RESPONSE.match(text)
        if m is None or int(m.group(2)) not in _TLS_METHODS or int(m.group(1)) not in (13, 17):
            return False
        self.emit(
            "eap.tls_failure", station, text, daemon="hostapd", tls_alert_by="sta", tls_alert_sized=True
        )
        return True

    def message_follows(self, text: str, at: int) -> bool:
        """One of hostapd's or wpa_supplicant's messages starts at ``at`` (after an interface's name or not)."""
        if _MESSAGE_START.match(text, at) is not None:
            return True
        i = _IFACE.match(text, at)
        return i is not None and text.startswith(_IFACE_FOLLOWERS, i.end())

    def message(self, body: str) -> None:
        if self.daemon == "NetworkManager":
            self.network_manager(body)
            return
        if self.daemon == "iwd" or (self.daemon is None and body.startswith(_IWD_NOTICES)):
            # (iwd's notices pasted without the journal's "iwd[pid]: " tag: their names are iwd's own)
            self.iwd(body)
            return
        if self.daemon == "connmand":
            self.connman(body)
            return
        if "brcmf_cfg80211_external_auth" in body[:120] and self.brcmf_external_auth(body):
            return
        if body[:1] == "<":
            m = _CTRL_PRI.match(body)
            if m:
                body = body[m.end() :]
        self.iface = None
        if self.portal.wants(self.prefix.tag, body) and self.portal.read(body, self.emit, self.problem):
            self.handled = True
            return
        if body.startswith("IFNAME="):  # wpa_cli/hostapd_cli global control interface: "IFNAME=wlan0 <3>..."
            name, _, rest = body[7:].partition(" ")
            self.iface, body = name or None, rest
            if body[:1] == "<":
                m2 = _CTRL_PRI.match(body)
                if m2:
                    body = body[m2.end() :]
        if body.startswith(": ") and body.startswith(_IFACE_FOLLOWERS, 2):
            body = body[
                2:
            ]  # (an empty interface name: hostapd as a RADIUS server alone, "`: CTRL-EVENT-...`")
        m = None if self.iface else _IFACE.match(body)
        if m is not None and self.is_iface(m.group(1), body, m.end()):
            self.iface = m.group(1)
            body = body[m.end() :]
            if body[:1] == "<":
                m2 = _CTRL_PRI.match(body)
                if m2:
                    body = body[m2.end() :]
        if self.daemon == "dhcp" and body.startswith(CIRCLE_DHCP_STARTS) and self.circle_dhcp(body):
            return
        if "DHCP" in body[:24] or (self.daemon == "dnsmasq" and "DHCP" in body):
            self.dhcp(body)
            return
        if (self.daemon == "dnsmasq" or body.startswith("dnsmasq: ")) and self.dnsmasq_exit(body):
            return
        if body.startswith("STA "):
            m = _LOGGER.match(body)
            if m is None and _MODULE_AFTER_REMOVED_MAC.match(body, 4):
                m = _LOGGER.match(f"STA {self.removed_mac()} {body[4:].lstrip(' ')}")
            if m is not None:
                self.logger(m.group(1), m.group(2), m.group(3))
            elif "STA " in body and self.daemon in (None, "hostapd"):
                mm = _MAC_ANY.search(body, 4, 40)
                if mm is None:
                    self.problem("hostapd station line without a valid MAC address")
            return
        if body.startswith("CTRL-EVENT-"):
            self.ctrl_event(body)
            return
        if body.startswith("AP-") or body.startswith("EAPOL-4WAY-HS-COMPLETED"):
            self.ap_event(body)
            return
        if body.startswith(("WPS-", "P2P-")):
            self.wps_p2p_event(body)
            return
        if body.startswith("interface state ") and self.iface is not None:
            # hostapd_set_state(): "<iface>: interface state ENABLED->DISABLED" as it stops the interface
            self.ifc(self.iface).down = not body.rstrip().endswith("->ENABLED")
            self.handled = True
            return
        if body.startswith("WPA: "):
            self.wpa(body[5:])
            return
        if (
            self.srv_value or body.lstrip(" ").startswith("Attribute 31 (Calling-Station-Id)")
        ) and self.radius_attribute(body.lstrip(" ")):
            return
        if "RADIUS" in body:
            # hostapd's RADIUS client ("<iface>: RADIUS ...", "RADIUS message: code=..."): the commonest
            # lines of an 802.1X debug log, so before the long chain of ``other``
            self.radius(body)
            return
        # the rarer families last: a client's kernel, DHCP servers and clients named by other forms
        if self.iface is not None and (body.startswith(MAC80211_STARTS) or MAC80211_PEER.match(body)):
            self.mac80211(body)
            return
        if ("crash loop" in body or "DHCP" in body or "free leases" in body) and self.dhcp_server(body):
            return
        client_dhcp = (
            body.startswith(("Listening on ", "bound to ", "No DHCPOFFERS"))
            or (self.iface is not None and body.startswith(DHCPCD_STARTS))
            or "udhcpc" in body[:80]
            or (self.prefix.tag or "").startswith("udhcpc")
        )
        if client_dhcp and self.dhcp_client(body):
            return
        if REALTEK_PREFIX.match(body) is not None and self.realtek(body):
            return
        if self.prefix.tag in ("RTL871X", "RTW") and self.realtek(body):  # ("<stamp> RTL871X: ..." as a tag)
            return
        if "to upper layer with alg:" in body and self.mediatek_auth(body):
            return
        if body.startswith(("wifi_log: [", "wifi_auth", "wifi_assoc", "wifi_reassoc")) and self.wifi_log(
            body
        ):
            return
        if "wlceventd_proc_event(" in body:
            self.wlceventd(body)
            return
        if body.startswith("+rtl871x_") and self.rtl871xdrv(body):
            return
        if (
            body.startswith(SELECTION_STARTS) or (body[:1].isdigit() and "wpa_ie_len=" in body)
        ) and self.selection(body):
            return
        self.other(body)

    # ---- hostapd: "<iface>: STA <mac> <module>: <text>" ----------------------------------------------
    def logger(self, mac_text: str, module: str, text: str) -> None:
        station = normalize_mac(mac_text)
        d = "hostapd"
        if module == "WPA":
            self.hostapd_wpa(station, text)
        elif module == "IEEE 802.11":
            s = self.sta(station)
            if text == "authenticated":
                s.assoc_told = None
                if s.debug_told == "auth":
                    s.debug_told = ""
                    self.handled = True
                    return
                self._restarted_unconfirmed(s, station, text)
                self._new_exchange(s)
                self.emit("auth.response", station, text, daemon=d)
            elif text.startswith("authentication OK ("):
                # (debug level, handle_auth: "(open system)", "(shared key)", "(FT)", "(FILS)")
                self._restarted_unconfirmed(s, station, text)
                self._new_exchange(s)
                s.debug_told = "auth"
                self.emit("auth.response", station, text, daemon=d, auth_method=text[19:].rstrip(")"))
            elif text.startswith("associated") or text.startswith("association OK (aid"):
                if text.startswith("associated") and s.debug_told == "assoc":
                    s.debug_told = ""
                    self.handled = True
                    return
                aid = _int(text[text.find("aid") + 4 :]) if "aid" in text else None
                if text.startswith("associated") and self._associated_again(s, aid):
                    self.handled = True
                    return
                self._new_exchange(s)
                s.associating = True
                s.debug_told = "assoc" if text.startswith("association OK") else ""
                if text.startswith("associated"):
                    s.assoc_told = (aid, self.time, self.number)
                self.emit("assoc.response", station, text, daemon=d, aid=aid)
            elif text.startswith("start SAE authentication (RX commit"):
                # handle_auth_sae(): the station's SAE commit, the start of its authentication (its status:
                # 0, or 126 for hash-to-element)
                self._new_exchange(s)
                m = _SAE_STATUS.search(text)
                self.emit(
                    "auth.request",
                    station,
                    text,
                    daemon=d,
                    auth_method="SAE",
                    status=_int(m.group(1)) if m else None,
                )
            elif text.startswith("SAE authentication (RX confirm"):
                self.handled = (
                    True  # (the same exchange's confirm: "authentication OK (SAE)" tells the result)
                )
            elif text.startswith("Could not ") and text.endswith("STA to kernel driver"):
                # hostapd adds the station to the driver at authentication with drivers that need it
                # before (handle_auth, "Could not add STA"), else after the association
                # (add_associated_sta, the only place of "Could not set STA")
                stage = None if s.associating or text.startswith("Could not set") else Stage.AUTH_80211
                said = self.driver_refused
                driver_said = said[1] if said is not None and self.number - said[0] <= 8 else None
                self.emit(
                    "assoc.failure",
                    station,
                    text,
                    daemon=d,
                    reason="driver_add_sta_failed",
                    stage=stage,
                    driver_said=driver_said,
                )
            elif text.startswith("Michael MIC failure detected in received frame"):
                # hostapd logs a failure it detected itself with " (local)", then once more without; a
                # failure the station reported follows the "EAPOL-Key Error Request" line (WPA module)
                self.handled = True
                if text.endswith("(local)"):
                    self.emit("tkip.mic_failure", station, text, daemon=d, by="ap")
            elif text.startswith("did not acknowledge authentication response"):
                self.emit("auth.timeout", station, text, daemon=d, what="no_ack")
            elif text.startswith("did not acknowledge association response"):
                self.emit("assoc.failure", station, text, daemon=d, reason="no_ack")
            elif text.startswith("disconnected due to excessive missing ACKs"):
                # hostapd_event_sta_low_ack(): the driver saw frames to the station go unacknowledged and
                # hostapd disassociates it with reason 34 (disassoc_low_ack=1, the default)
                self.end(station, "sta.disassoc", text, by="ap", reason=34, daemon=d, what="low_ack")
            elif text.startswith("deauthenticated") or text.startswith("disassociated"):
                by = "ap" if "local deauth request" in text or "inactivity" in text else "sta"
                reason = s.reason
                s.reason = None
                if "inactivity" in text:
                    reason = 4 if reason is None else reason
                self.end(
                    station,
                    "sta.deauth" if text[0] == "d" and text[2] == "a" else "sta.disassoc",
                    text,
                    by=by,
                    reason=reason,
                    daemon=d,
                )
            else:
                # an association refused, in hostapd's words (catalogues/hostap.yaml)
                found = _refusals().read(text)
                if found is not None and found[0].kind is not None:
                    attrs: dict[str, Any] = {**found[0].attrs, **found[1]}
                    self.emit(found[0].kind, station, text, daemon=d, **attrs)
        elif module == "IEEE 802.1X":
            self.last_8021x = station
            self.ifc(self.iface).eap_sta = station
            if text.startswith("received EAPOL-Start"):
                self.eap_start(station, text)
            elif text.startswith("authenticated - EAP type"):
                self.eap_result(station, "eap.success", text, _EAP_TYPE.search(text))
            elif text.startswith("authentication failed - EAP type"):
                m = _EAP_TYPE.search(text)
                self.sta(station).failed_method = m.group(2) if m else None
                self.eap_result(station, "eap.failure", text, m)
            elif text.startswith("Supplicant used different EAP type"):
                # (eapol_auth_sm.c, right after the failure: the type the station last answered with; 3 is an
                # EAP-Nak, the station refused the server's method and the exchange failed on it)
                self.handled = True
                if text.startswith("Supplicant used different EAP type: 3 "):
                    proposed = self.sta(station).failed_method
                    self.emit("eap.method_refused", station, text, daemon=d, proposed=proposed)
            elif text.startswith("could not extract EAP-Message from RADIUS message"):
                # ieee802_1x_decapsulate_radius(): the server answered without EAP, which an Access-Challenge
                # or an Access-Accept of an EAP exchange never does: a reject before or outside EAP
                self.emit("radius.reject", station, text, daemon=d, what="no-eap-message")
            elif text.startswith("received EAP packet (code=2 ") and self.tls_alert_sized(station, text):
                pass
            elif text.startswith("STA identity '"):
                self.sta(station).identity = True
                self.emit("eap.identity.response", station, text, daemon=d, identity=text[14:-1])
            elif text.startswith("decapsulated EAP packet (code=1 "):
                # "... from RADIUS server: EAP-Request-PEAP (25)": the server's method
                m = re.search(r"EAP-Request-(\S+) \((\d+)\)$", text)
                if m is not None:
                    self.eap_request(station, text, int(m.group(2)), m.group(1))
        elif module == "RADIUS":
            self.radius_sta(station, text)

    def _restarted_unconfirmed(self, s: _Sta, station: str, text: str) -> None:
        """hostapd -d logged "association OK" (its response sent, handle_assoc) and never "associated" (the
        response acknowledged, handle_assoc_cb): a station that starts over with a new authentication never
        completed that association."""
        if s.debug_told == "assoc":
            s.debug_told = ""
            self.emit("assoc.failure", station, text, daemon="hostapd", reason="assoc-unconfirmed")

    def _new_exchange(self, s: _Sta) -> None:
        s.timeout_pending = False
        s.m1_sent = s.m3_sent = 0
        s.m2_state = 0
        s.hs_done = False
        s.group_m2 = False
        s.eap_started = s.eap_result = s.identity = s.radius_answered = False
        s.eap_starts = 0
        s.eap_method = None
        s.associating = False
        s.wpa1 = False
        s.last_deauth_line = -100  # a deauthentication after this one is a new one, however close
        s.online = False  # a new authentication/association: the station is onboarding again

    def end(
        self,
        station: str,
        kind: str,
        message: str,
        *,
        by: str,
        reason: int | None,
        daemon: str | None = None,
        bssid: str | None = None,
        **attrs: Any,
    ) -> None:
        """A deauth/disassoc/disconnect: offline when the station was online, else the end of the attempt."""
        s = self.sta(station)
        if self.number - s.last_deauth_line <= 3:
            s.last_deauth_line = self.number
            self.handled = True
            return  # the same disconnect told twice (authenticator request, then driver/802.11 line)
        if s.online:
            s.online = False
            kind = "sta.offline"
        self._new_exchange(s)
        s.last_deauth_line = self.number
        self.emit(kind, station, message, by=by, reason=reason, daemon=daemon, bssid=bssid, **attrs)

    def hostapd_wpa(self, station: str, text: str) -> None:
        d = "hostapd"
        s = self.sta(station)
        if text.startswith("FT authentication already completed"):
            # wpa_auth_sta_associated(): a fast transition brought its keys (FT authentication), so no
            # 4-way handshake follows: the keys are agreed
            if not s.hs_done:
                s.hs_done = True
                self.emit("handshake.success", station, "WPA: " + text, daemon=d, what="ft")
            else:
                self.handled = True
            return
        if text.startswith("sending "):
            if text.startswith("sending 1/4 msg"):
                s.m1_sent += 1
                if s.timeout_pending:
                    s.timeout_pending = False
                    self.emit("eapol.m1.retry", station, text, daemon=d, count=s.m1_sent)
                else:
                    s.m2_state = 0
                    s.hs_done = False
                    self.emit("eapol.m1.sent", station, text, daemon=d, count=s.m1_sent)
            elif text.startswith("sending 3/4 msg"):
                s.m3_sent += 1
                if s.timeout_pending:
                    s.timeout_pending = False
                    self.emit("eapol.m3.retry", station, text, daemon=d, count=s.m3_sent)
                else:
                    self.emit("eapol.m3.sent", station, text, daemon=d, count=s.m3_sent)
            elif text.startswith("sending 1/2 msg of Group Key"):
                s.group_m2 = False
                self.handled = True
                # a routine rekey of a connected station is not onboarding (no event); with WPA (not RSN)
                # the first group key is sent after the pairwise handshake, and that one is
                if not (s.online or s.hs_done) or (s.wpa1 and not s.online):
                    self.emit("group.m1.sent", station, text, daemon=d)
        elif text.startswith("received EAPOL-Key frame ("):
            what = text[26:-1]
            if what == "2/4 Pairwise":
                s.m2_state = 1
                self.emit("eapol.m2.received", station, text, daemon=d)
            elif what == "4/4 Pairwise":
                self.emit("eapol.m4.received", station, text, daemon=d)
            elif what == "2/2 Group":
                s.group_m2 = True
                if not (s.online or s.hs_done):
                    self.emit("group.m2.received", station, text, daemon=d)
        elif text.startswith("received EAPOL-Key Error Request"):
            # "(STA detected Michael MIC failure (group=1))": the station's report (older: no group=)
            m = _MIC_FAILURE_GROUP.search(text)
            group = None if m is None else m.group(1) == "1"
            self.emit("tkip.mic_failure", station, text, daemon=d, by="sta", group=group)
        elif text.startswith("invalid MIC in msg 2/4"):
            self.mic_failure(station, text, "hostapd", invalid_mic_line=True)
        elif text.startswith(_M2_ELEMENT_MISMATCH):
            # wpa_auth.c (PTKCALCNEGOTIATING): the MIC was right, but the RSN element (or RSNXE) the station
            # put in 2/4 is not the one of its association request; hostapd deauthenticates it (reason 2)
            element = "rsnxe" if text.startswith("RSNXE") else "rsne"
            self.emit("eapol.rsne_mismatch", station, text, daemon=d, msg=2, element=element, seen_by="ap")
        elif text == "EAPOL-Key timeout":
            s.timeout_pending = True
            self.handled = True
        elif text.startswith("pairwise key handshake completed"):
            s.timeout_pending = False
            proto = text[text.find("(") + 1 : -1] or None
            s.wpa1 = proto == "WPA"
            if s.ptk_state_told:
                s.ptk_state_told = False
                self.handled = True  # (the state machine's PTKINITDONE just told it)
                return
            s.hs_done = True
            self.emit("handshake.success", station, text, daemon=d, proto=proto)
        elif text.startswith("group key handshake completed"):
            self.handled = True  # a rekey, or the completion of a group handshake already reported
            # with RSN the first group key comes in M3: a group handshake is a rekey (not onboarding), and
            # reporting it would open a new "attempt" for every connected station at every rekey
            if not (s.group_m2 or s.online or s.hs_done or text.endswith("(RSN)")):
                self.emit("group.m2.received", station, text, daemon=d, completed=True)
            elif station not in self.named and len(self.named) < MAX_NAMED:
                # the first the input says of this station is a rekey: it is connected (its join came
                # before the log starts)
                s.online = True
                self.emit("sta.connected", station, text, daemon=d, what="rekey")
            s.group_m2 = False
        elif "Retry limit" in text:
            m = _RETRY_LIMIT.search(text)
            if m is not None:
                waiting = "m2" if m.group(1) == "PTKSTART" else "m4"
                s.timeout_pending = False
                self.emit(
                    "eapol.timeout", station, text, daemon=d, waiting_for=waiting, retries=int(m.group(2))
                )
        elif text.startswith("received EAPOL-Key with invalid MIC"):
            self.emit("handshake.failed", station, text, daemon=d, what="invalid_mic")
        elif text.startswith("no PSK configured for the STA"):
            self.emit("handshake.failed", station, text, daemon=d, what="no_psk_for_sta")
        elif text.startswith("group key handshake failed"):
            self.emit("group.timeout", station, text, daemon=d)
        elif text.startswith(("PMKID found from PMKSA cache", "OKC match for PMKID")):
            self.emit("pmksa.cache", station, text, daemon=d, action="used")
        elif text.startswith("No PMKSA cache entry found"):
            self.emit("pmksa.cache", station, text, daemon=d, action="miss")

    def mic_failure(self, station: str, message: str, daemon: str, *, invalid_mic_line: bool) -> None:
        """M2 with a wrong MIC.  hostapd prints ``invalid MIC`` (debug) then the PSK-MISMATCH event for the
        same frame; only one failure is kept.  M2 reception is implied when no line reported it."""
        s = self.sta(station)
        if not invalid_mic_line and s.m2_state == 2:
            s.m2_state = 0
            return
        if s.m2_state != 1:
            self.emit("eapol.m2.received", station, message, daemon=daemon, inferred=True)
        self.emit("eapol.m2.mic_failure", station, message, daemon=daemon)
        s.m2_state = 2 if invalid_mic_line else 0

    # ---- control-interface events ---------------------------------------------------------------------
    def ap_event(self, body: str) -> None:
        name, _, rest = body.partition(" ")
        self.handled = True  # control-interface events: those that matter give events below
        if name in ("AP-ENABLED", "AP-DISABLED") and self.iface is not None:
            self.ifc(self.iface).down = name == "AP-DISABLED"
            if name == "AP-ENABLED":
                self.ifc(self.iface).ap_mode = True
        if name in ("AP-ENABLED", "AP-DISABLED", "AP-CSA-FINISHED") or not name.startswith(
            ("AP-STA-", "AP-REJECTED-", "EAPOL-4WAY-HS-COMPLETED")
        ):
            return
        if name not in (
            "AP-STA-CONNECTED",
            "AP-STA-DISCONNECTED",
            "AP-STA-POSSIBLE-PSK-MISMATCH",
            "AP-REJECTED-MAX-STA",
            "AP-REJECTED-BLOCKED-STA",
            "EAPOL-4WAY-HS-COMPLETED",
        ):
            return
        token = rest.split(" ", 1)[0] if rest else None
        station = self.removed_mac() if not token else self.mac(token, name)
        if station is None:
            return
        d = "hostapd"
        s = self.sta(station)
        if name == "AP-STA-CONNECTED":
            s.online = True
            extra: dict[str, Any] = {k: v for k, v in _kv(rest).items() if k in _CONNECTED_KEYS}
            self.emit("sta.connected", station, body, daemon=d, **extra)
        elif name == "AP-STA-DISCONNECTED":
            # (removed because the AP's interface is going down: said, so that it is not taken for a drop)
            down: dict[str, Any] = {"by": "ap", "what": "ap_down"} if self.ifc(self.iface).down else {}
            if not s.online and station not in self.named and len(self.named) < MAX_NAMED:
                # the first the input says of this station: hostapd says DISCONNECTED only of a station it
                # had authorized (ap_sta_set_authorized()), so it was online before the input starts
                s.online = True
                self.emit("sta.connected", station, body, daemon=d, what="before_input")
            if s.online:
                s.online = False
                self.emit("sta.offline", station, body, daemon=d, **down)
            else:
                self.emit("sta.teardown", station, body, daemon=d, **down)
        elif name == "AP-STA-POSSIBLE-PSK-MISMATCH":
            self.mic_failure(station, body, d, invalid_mic_line=False)
        elif name == "AP-REJECTED-MAX-STA":
            self.emit("assoc.reject", station, body, daemon=d, status=17)
        elif name == "AP-REJECTED-BLOCKED-STA":
            self.emit("sta.blacklisted", station, body, daemon=d)
        elif name == "EAPOL-4WAY-HS-COMPLETED" and not s.hs_done:
            s.hs_done = True
            self.emit("handshake.success", station, body, daemon=d)

    def wps_p2p_event(self, body: str) -> None:
        """WPS and Wi-Fi Direct (P2P) control events: the discovery, negotiation and credential exchange
        before a join, none a step of it; a WPS exchange that succeeded is noted for the EAP-Failure that
        ends it by design."""
        self.handled = True
        name, _, rest = body.partition(" ")
        if name == "WPS-REG-SUCCESS":  # hostapd, the registrar: "WPS-REG-SUCCESS <station> <uuid>"
            m = _MAC_RE.match(rest)
            if m is not None:
                self.sta(normalize_mac(m.group())).wps = True
        elif name == "WPS-SUCCESS" and self.side_of_line() != "hostapd":
            self.sta(self.local_station()).wps = True
        elif name == "P2P-GROUP-STARTED":  # "P2P-GROUP-STARTED wlan0 GO ssid=...": this side runs the AP
            words = rest.split(" ", 2)
            if len(words) >= 2 and words[1] == "GO":
                self.ifc(words[0]).ap_mode = True

    def ctrl_event(self, body: str) -> None:
        name, _, rest = body.partition(" ")
        self.handled = True  # control-interface events: those that matter give events below
        if name.startswith("CTRL-EVENT-EAP-"):
            self.eap_event(name, rest, body)
            return
        if name == "CTRL-EVENT-SCAN-FAILED":
            if "ret=-16" not in rest:  # (EBUSY: the driver busy with another scan or the connection; retried)
                self.emit("scan.failed", self.local_station(), body, daemon="wpa_supplicant")
            return
        if name in (
            "CTRL-EVENT-SCAN-STARTED",
            "CTRL-EVENT-SCAN-RESULTS",
            "CTRL-EVENT-BSS-ADDED",
            "CTRL-EVENT-BSS-REMOVED",
            "CTRL-EVENT-REGDOM-CHANGE",
            "CTRL-EVENT-SIGNAL-CHANGE",
        ):
            return
        d = "wpa_supplicant"
        i = self.ifc(self.iface)
        station = self.local_station()
        if name == "CTRL-EVENT-CONNECTED":
            m = _MAC_RE.search(rest)
            bssid = normalize_mac(m.group()) if m else None
            if i.ap_mode:
                i.ap_bssid = bssid  # (the AP it runs has started: no station of its own joined anything)
                return
            self.connected_iface = self.iface  # (a DHCP client that names no Wi-Fi interface is its)
            if bssid:
                i.bssid = bssid
            s = self.sta(station)
            s.online = True
            self.emit("sta.connected", station, body, daemon=d, bssid=bssid)
        elif name == "CTRL-EVENT-DISCONNECTED":
            kv = _kv(rest)
            bssid = _bssid(kv.get("bssid", ""))
            reason = _int(kv.get("reason"))
            by = "sta" if kv.get("locally_generated") == "1" else "ap"
            if bssid is not None and bssid == i.ap_bssid:
                i.ap_mode, i.ap_bssid = False, None  # (the AP it ran has stopped)
                return
            if bssid:
                i.bssid = bssid  # the lines that explain this disconnect follow it
            self.end(station, "sta.deauth", body, by=by, reason=reason, daemon=d, bssid=bssid)
        elif name == "CTRL-EVENT-ASSOC-REJECT":
            kv = _kv(rest)
            bssid = _bssid(kv.get("bssid", ""))
            self.supplicant_rejected = (self.time, bssid)  # (Android's framework tells it again)
            self.emit(
                "assoc.reject",
                station,
                body,
                daemon=d,
                bssid=bssid,
                status=_int(kv.get("status_code")),
                timed_out=True if kv.get("timeout") == "1" else None,
                # no AP named (no bssid=, or all zeros): a driver that runs the join in its firmware (brcmfmac)
                # gave up without saying on which AP or why, and reports any failure as status 16
                unnamed_ap=True if _names_no_ap(kv.get("bssid")) else None,
            )
        elif name == "CTRL-EVENT-AUTH-REJECT":
            kv = _kv(rest)
            m = _MAC_RE.match(rest)
            bssid = normalize_mac(m.group()) if m else None
            self.emit(
                "auth.reject",
                station,
                body,
                daemon=d,
                bssid=bssid,
                status=_int(kv.get("status_code")),
                auth_type=_int(kv.get("auth_type")),
            )
        elif name == "CTRL-EVENT-SSID-TEMP-DISABLED":
            kv = _kv(rest)
            why = kv.get("reason", "")
            kind, extra = _TEMP_DISABLED.get(why, ("online_fail.record", {}))
            ssid = _ssid(kv["ssid"]) if kv.get("ssid") else None
            # failed connection attempts that never got past authentication failed there
            at_auth = why == "CONN_FAILED" and self.sta(station).authenticating
            lasts = _int(kv.get("duration"))
            self.ifc(self.iface).disabled_until = (
                self.time + lasts if self.time is not None and lasts is not None else 0.0
            )
            self.emit(
                kind,
                station,
                body,
                daemon=d,
                stage=Stage.AUTH_80211 if at_auth else None,
                ssid=ssid,
                reason=why,
                auth_failures=_int(kv.get("auth_failures")),
                duration=_int(kv.get("duration")),
                **extra,
            )
        elif name == "CTRL-EVENT-NETWORK-NOT-FOUND":
            until = self.ifc(self.iface).disabled_until
            if until is not None and (until == 0.0 or self.time is None or self.time <= until + 1):
                # the network is disabled for now after its failures: wpa_supplicant skips it at selection
                # ("skip - disabled temporarily") and so finds none, whether the network is on the air or
                # not.  The failure that disabled it is the station's; this line tells nothing of its own.
                self.handled = True
                return
            self.emit("network.not_found", station, body, daemon=d)
        elif name == "CTRL-EVENT-SSID-REENABLED":
            self.ifc(self.iface).disabled_until = None
            self.handled = True

    def eap_event(self, name: str, rest: str, body: str) -> None:
        m = _MAC_RE.match(rest)
        if m is not None and normalize_mac(m.group()) == ZERO_MAC:
            # hostapd's EAP server behind its RADIUS server names no peer ("CTRL-EVENT-EAP-STARTED
            # 00:00:00:00:00:00"): the request's Calling-Station-Id does
            if self.srv_station is None:
                self.handled = True
                return
            rest = self.srv_station + rest[m.end() :]
            m = _MAC_RE.match(rest)
        if m is not None or (name == "CTRL-EVENT-EAP-PROPOSED-METHOD" and self.side_of_line() == "hostapd"):
            # hostapd's form names the station: "CTRL-EVENT-EAP-STARTED 74:38:b7:..:..:.."
            d = "hostapd"
            i = self.ifc(self.iface)
            if m is not None:
                station = normalize_mac(m.group())
            elif i.eap_sta is not None:
                station = i.eap_sta
            else:
                return
            s = self.sta(station)
            if name == "CTRL-EVENT-EAP-STARTED":
                self.eap_start(station, body)
            elif name == "CTRL-EVENT-EAP-PROPOSED-METHOD":
                kv = _kv(rest)
                if kv.get("vendor") == WFA_VENDOR:
                    s.wps = True  # (EAP-WSC, the Wi-Fi Alliance's expanded type: WPS, not an authentication)
                    return
                method = _int(kv.get("method"))
                self.eap_request(station, body, method, None)
            elif name in ("CTRL-EVENT-EAP-RETRANSMIT", "CTRL-EVENT-EAP-RETRANSMIT2"):
                # the request went unanswered for the retransmission timeout
                kind = "eap.challenge.timeout" if s.identity else "eap.identity.timeout"
                self.emit(kind, station, body, daemon=d, retransmit=True)
            elif name in ("CTRL-EVENT-EAP-SUCCESS", "CTRL-EVENT-EAP-SUCCESS2"):
                self.eap_result(station, "eap.success", body, None)
            elif name in ("CTRL-EVENT-EAP-FAILURE", "CTRL-EVENT-EAP-FAILURE2") and s.wps:
                s.wps = False
                self.emit("wps.done", station, body, daemon=d)
            elif name in ("CTRL-EVENT-EAP-FAILURE", "CTRL-EVENT-EAP-FAILURE2"):
                self.eap_result(station, "eap.failure", body, None)
            elif name in ("CTRL-EVENT-EAP-TIMEOUT-FAILURE", "CTRL-EVENT-EAP-TIMEOUT-FAILURE2"):
                self.eap_result(station, "eap.retries_exceeded", body, None)
            return
        d = "wpa_supplicant"
        station = self.local_station()
        if name == "CTRL-EVENT-EAP-TLS-CERT-ERROR":
            self.tls_failure(body, self.tls.cert_error(rest, self.number))
        elif name == "CTRL-EVENT-EAP-STATUS":
            said = self.tls.status(rest, self.number)
            if said is not None:
                self.tls_failure(body, said)
        elif name == "CTRL-EVENT-EAP-STARTED":
            self.tls.forget()
            s = self.sta(station)
            s.eap_started = True
            s.inner = s.inner_error = s.phase2 = None  # a new exchange: the last one's phase 2 is over
            self.emit("eapol.start", station, body, daemon=d)
        elif name == "CTRL-EVENT-EAP-METHOD":
            mm = _EAP_METHOD.search(rest)
            if " vendor " + WFA_VENDOR + " " in rest or "(WSC)" in rest:
                self.sta(station).wps = True  # (EAP-WSC: WPS hands the station its credential)
                return
            self.emit(
                "eap.challenge.request",
                station,
                body,
                daemon=d,
                eap_type=int(mm.group(2)) if mm else None,
                eap_method=mm.group(3) if mm else None,
            )
        elif name == "CTRL-EVENT-EAP-SUCCESS":
            self.emit("eap.success", station, body, daemon=d)
        elif name == "CTRL-EVENT-EAP-FAILURE" and self.sta(station).wps:
            self.sta(station).wps = False
            self.emit("wps.done", station, body, daemon=d)
        elif name == "CTRL-EVENT-EAP-FAILURE":
            s = self.sta(station)
            self.emit(
                "eap.failure",
                station,
                body,
                daemon=d,
                inner=s.inner,
                inner_error=s.inner_error,
                phase2=s.phase2,
                **self.tls.take(self.number),
            )
            s.inner = s.inner_error = s.phase2 = None
        elif name == "CTRL-EVENT-EAP-TIMEOUT-FAILURE":
            self.emit("eap.retries_exceeded", station, body, daemon=d)

    def wlceventd(self, body: str) -> None:
        """An ASUS router's wlceventd line (parsers/wlceventd.py): the driver's client event."""
        ev = wlceventd.read(body)
        if ev is None:
            return  # (another of its lines: weighed for relevance as any other)
        if not _MAC_ANY.fullmatch(ev.mac):
            self.problem("wlceventd line without a valid station MAC address")
            self.handled = True
            return
        station = normalize_mac(ev.mac)
        d = "wlceventd"
        at = body.find("wlceventd_proc_event(")
        text = body[body.find(": ", at) + 2 :] if at >= 0 else body
        if ev.kind in ("sta.deauth", "sta.disassoc"):
            self.end(
                station,
                ev.kind,
                text,
                by="sta",
                reason=ev.reason,
                daemon=d,
                reason_text=ev.reason_text,
                iface=ev.iface,
            )
            return
        if ev.kind == "auth.response":
            self._new_exchange(self.sta(station))
        self.emit(ev.kind, station, text, daemon=d, status=ev.status or None, rssi=ev.rssi, wl_iface=ev.iface)

    def tls_failure(self, body: str, said: dict[str, Any]) -> None:
        """A TLS line of an EAP method: an event for the station of the exchange, when it says something
        (the library's error line only adds to the failure the alert told) and the station is known."""
        self.handled = True
        if not said:
            return
        if self.side_of_line() == "hostapd":
            i = self.ifc(self.iface if self.iface is not None else self.only_iface())
            station = i.eap_sta or self.last_8021x
            if station is None:
                return  # (kept for the EAP-Failure that names the station)
            self.emit("eap.tls_failure", station, body, daemon="hostapd", **said)
        else:
            if self.iface is None:  # (the TLS layer prints without the interface)
                self.iface = self.only_iface()
                if self.iface is None and self.default_own is None:
                    return  # (no station to name yet: kept for the EAP-Failure)
            self.emit("eap.tls_failure", self.local_station(), body, daemon="wpa_supplicant", **said)

    def eap_start(self, station: str, body: str) -> None:
        """hostapd: EAPOL-Start received or EAP started (either or both are logged): one eapol.start."""
        self.handled = True  # (the second telling of a start gives no event of its own)
        s = self.sta(station)
        i = self.ifc(self.iface)
        i.eap_sta = station
        self.last_8021x = station
        if station not in i.eap_pending:
            i.eap_pending.append(station)
            del i.eap_pending[:-64]
        if s.eap_result:  # a new authentication after a finished one
            s.eap_result = s.identity = s.radius_answered = False
            s.eap_method = None
            s.eap_started = False
            s.eap_starts = 0
        if body.startswith("CTRL-EVENT-EAP-STARTED"):
            self.tls.forget()
            s.eap_starts += 1
            if s.eap_starts > 1:
                # the EAP state machine started over with no result in between (eapol_auth_sm.c)
                s.eap_method = None
                self.emit("eap.restarted", station, body, daemon="hostapd", restarts=s.eap_starts - 1)
                return
        if not s.eap_started:
            s.eap_started = True
            self.emit("eapol.start", station, body, daemon="hostapd")

    def eap_request(self, station: str, body: str, method: int | None, name: str | None) -> None:
        s = self.sta(station)
        if method is None or method == s.eap_method:
            self.handled = True  # (another round of the same method)
            return
        s.eap_method = method
        kind = "eap.identity.request" if method == 1 else "eap.challenge.request"
        self.emit(kind, station, body, daemon="hostapd", eap_type=method, eap_method=name)

    def eap_result(self, station: str, kind: str, body: str, m: re.Match[str] | None) -> None:
        """hostapd prints the result twice (EAP-SUCCESS2 event, then the 802.1X logger line): one event."""
        s = self.sta(station)
        self.eap_done(station)
        self.handled = True  # (told twice: one event)
        if s.eap_result or (kind == "eap.success" and (s.hs_done or s.online)):
            # at info level hostapd logs the EAP result when the port is authorised, after the 4-way
            # handshake its keys came from: the completed handshake told it already
            return
        s.eap_result = True
        self.emit(
            kind,
            station,
            body,
            daemon="hostapd",
            eap_type=_int(m.group(1)) if m else None,
            eap_method=m.group(2) if m else None,
            **(self.tls.take(self.number) if kind == "eap.failure" else {}),
        )

    def side_of_line(self) -> str:
        return self.daemon if self.daemon in ("hostapd", "wpa_supplicant") else self.side

    def eap_done(self, station: str) -> None:
        i = self.ifc(self.iface)
        if station in i.eap_pending:
            i.eap_pending.remove(station)

    # ---- "WPA: ..." lines: wpa_supplicant messages and hostapd debug lines -----------------------------
    def wpa(self, text: str) -> None:
        if (
            text.startswith("RX message ")
            or text.startswith("Sending EAPOL-Key ")
            or text.startswith(
                ("Key negotiation completed", "4-Way Handshake failed", "Invalid EAPOL-Key MIC")
            )
        ):
            self.supplicant_wpa(text)
            return
        if text.startswith("EAPOL-Key Replay Counter did not increase"):
            self.handled = True  # wpa.c: a retransmitted EAPOL-Key frame, dropped (no failure)
            return
        if text.startswith(_M3_ELEMENT_MISMATCH):
            # wpa_supplicant's wpa_report_ie_mismatch(): the AP's RSN element (or RSNXE) in 3/4 is not the
            # one of its beacon or probe response; the station leaves (reason 17, or the driver's own)
            if "RSNXE" in text:
                element = "rsnxe"
            elif text.startswith("Possible downgrade"):
                element = "downgrade"
            else:
                element = "rsne"
            self.emit(
                "eapol.rsne_mismatch",
                self.local_station(),
                "WPA: " + text,
                daemon="wpa_supplicant",
                msg=3,
                element=element,
                seen_by="sta",
            )
            return
        if "WPA_PTK_GROUP entering state KEYERROR" in text:
            # the group key handshake gave up (wpa_auth.c SM_STATE(WPA_PTK_GROUP, KEYERROR))
            self.handled = True
            m = _MAC_RE.match(text)
            if m is not None:
                self.emit("group.timeout", normalize_mac(m.group()), "WPA: " + text, daemon="hostapd")
            return
        if "WPA_PTK entering state " in text:
            self.handled = True
            # hostapd: "WPA: aa:bb:.. WPA_PTK entering state AUTHENTICATION2": a new handshake starts
            state = text.rsplit(" ", 1)[-1]
            m = _MAC_RE.match(text)
            if m is None:
                return
            station = normalize_mac(m.group())
            if state in ("AUTHENTICATION", "AUTHENTICATION2", "INITIALIZE", "DISCONNECTED"):
                self._new_exchange(self.sta(station))
            elif state == "PTKINITDONE" and not self.completion_logged and not self.sta(station).hs_done:
                # the pairwise handshake done (wpa_auth.c SM_STATE(WPA_PTK, PTKINITDONE)): some APs log the
                # state machine and not "pairwise key handshake completed" (UniFi); when the log holds that
                # line, it tells the keys
                s = self.sta(station)
                s.hs_done = s.ptk_state_told = True
                self.emit("handshake.success", station, "WPA: " + text, daemon="hostapd", what="ptk-state")
            return
        if text.startswith("PTK derivation"):
            self.ptk_derivation(text)
            return
        if text.startswith("Failed to "):
            # the supplicant's own failures in the key handshakes (catalogues/wpa_supplicant.yaml)
            found = _supplicant_failures().read("WPA: " + text)
            if found is not None:
                self.handled = True
            if found is not None and found[0].kind is not None:
                self.emit(
                    found[0].kind,
                    self.local_station(),
                    "WPA: " + text,
                    daemon="wpa_supplicant",
                    **{**found[0].attrs, **found[1]},
                )

    def ptk_derivation(self, text: str) -> None:
        self.handled = True
        m = _PTK_DERIV.search(text)
        if m is None:
            return
        a1 = normalize_mac(m.group(1))
        i = self.ifc(self.iface)
        if self.side_of_line() == "wpa_supplicant":
            # wpa_pmk_to_ptk(own address, authenticator address) on the supplicant side
            if i.own is None and self.default_own is None:
                i.own = a1
            i.bssid = i.bssid or normalize_mac(m.group(2))
        elif i.bssid is None:
            i.bssid = a1

    def supplicant_wpa(self, text: str) -> None:
        d = "wpa_supplicant"
        station = self.local_station()
        i = self.ifc(self.iface)
        if text.startswith("RX message "):
            m = _MAC_RE.search(text)
            bssid = normalize_mac(m.group()) if m else None
            if bssid:
                i.bssid = bssid
            ver = text.rfind("ver=")
            attrs: dict[str, Any] = {
                "seen_by": "sta",
                "key_version": _int(text[ver + 4 :]) if ver >= 0 else None,
            }
            if text.startswith("RX message 1 of 4-Way"):
                self.emit("eapol.m1.sent", station, "WPA: " + text, daemon=d, bssid=bssid, **attrs)
            elif text.startswith("RX message 3 of 4-Way"):
                self.emit("eapol.m3.sent", station, "WPA: " + text, daemon=d, bssid=bssid, **attrs)
        elif text.startswith("Sending EAPOL-Key 2/4"):
            self.emit("eapol.m2.sent", station, "WPA: " + text, daemon=d)
        elif text.startswith("Sending EAPOL-Key 4/4"):
            self.emit("eapol.m4.sent", station, "WPA: " + text, daemon=d)
        elif text.startswith("Key negotiation completed"):
            m = _MAC_RE.search(text)
            bssid = normalize_mac(m.group()) if m else None
            self.emit("handshake.success", station, "WPA: " + text, daemon=d, bssid=bssid)
        elif text.startswith("4-Way Handshake failed"):
            # printed for any disconnect during the 4-way handshake: only a weak hint of a wrong key
            self.emit("key.mismatch.summary", station, "WPA: " + text, daemon=d, strength="weak")
        elif text.startswith("Invalid EAPOL-Key MIC"):
            self.emit("handshake.failed", station, "WPA: " + text, daemon=d, what="invalid_mic")

    # ---- dnsmasq ---------------------------------------------------------------------------------------
    def dhcp(self, body: str) -> None:
        if self.dhcp_server(body) or self.dhcp_client(body):
            return
        if "DHCPV4_MSG_" in body or body.startswith("Got DHCPv4 request"):
            self.odhcpd(body)
            return
        at = body.find("DHCP")
        m = _DHCP.match(body, at)
        if m is None:
            mm = _DHCP_NOMAC.match(body, at)
            if mm is not None and mm.group(1) in _DHCP_KIND:
                self.problem(f"{mm.group(1)} line without a valid client MAC address")
            return
        before = body[:at].rstrip().rsplit(" ", 1)[-1]
        xid = as_int(before, 10, signed=False)
        kind = _DHCP_KIND.get(m.group(1))
        if kind is None:
            return
        station = normalize_mac(m.group(4))
        dhcp_if, ip, tail = m.group(2), m.group(3), (m.group(5) or "").strip()
        d = "dnsmasq"
        attrs: dict[str, Any] = {"dhcp_iface": dhcp_if, "ip": ip, "xid": xid}
        if kind == "dhcp.ack" and tail:
            attrs["hostname"] = tail
        if kind in ("dhcp.ack", "dhcp.request"):
            self.portal.lease(ip, station)
        if kind == "dhcp.failure":
            attrs["reason"] = ADDRESS_IN_USE
        if kind == "dhcp.nak" and tail:
            attrs["reason"] = tail
            if tail.startswith(_CLIENT_RESTARTS):
                attrs["client_restarts"] = True
        self.emit(kind, station, body, daemon=d, **attrs)
        if kind == "dhcp.discover" and tail and ("no address available" in tail or "no address" in tail):
            self.emit("dhcp.failure", station, body, daemon=d, dhcp_iface=dhcp_if, reason=tail)

    def odhcpd(self, body: str) -> None:
        """odhcpd's DHCPv4 exchange (``_ODHCPD``).  A reply sent to the broadcast address is the answer to the
        station whose message it received last."""
        m = _ODHCPD.search(body)
        if m is None:
            if body.startswith("Got DHCPv4 request"):
                self.handled = True  # (older odhcpd, before each "received ..." line)
            return
        kind = _ODHCPD_KIND.get((m["dir"].lower(), m["msg"]))
        if kind is None:
            return
        self.handled = True
        station = normalize_mac(m["mac"])
        if m["dir"].lower() == "received":
            self.odhcpd_client = station
        elif station == _BROADCAST:
            if self.odhcpd_client is None:
                return
            station = self.odhcpd_client
        if not kind:
            return
        ip = m["ip"] if kind in ("dhcp.offer", "dhcp.ack") and m["ip"] != "255.255.255.255" else None
        restarts = True if kind == "dhcp.nak" else None  # (odhcpd NAKs a request for an address not its)
        self.emit(
            kind,
            station,
            body,
            daemon="dnsmasq",
            dhcp_iface=m["iface"],
            ip=ip,
            server="odhcpd",
            client_restarts=restarts,
            reason=ADDRESS_IN_USE if kind == "dhcp.failure" else None,
        )

    # ---- everything else -------------------------------------------------------------------------------
    def rtl871xdrv(self, body: str) -> bool:
        """Realtek's hostapd fork (driver=rtl871xdrv, for its soft-AP drivers) prints each driver call at any
        log level: "+rtl871x_get_sta_wpaie, <mac> is sta's address" as a station associates,
        "+rtl871x_send_eapol" for each EAPOL-Key frame it sends (no station named: the one associating),
        "+rtl871x_sta_deauth_ops, <mac> is deauth, reason=N" as it deauthenticates one.  The first frame
        sent after the association is message 1/4 (the next ones, retries or 3/4, tell nothing without the
        station's answers, which the fork does not print)."""
        m = _RTL871X_STA.match(body)
        if m is not None:
            station = normalize_mac(m.group(2))
            self.rtl_station = station
            s = self.sta(station)
            if m.group(1) == "get_sta_wpaie":
                s.m1_sent = 0  # (a new association: its frames are counted anew)
            elif m.group(1) == "sta_deauth_ops" and m.group(3):
                s.reason = int(m.group(3))  # (for hostapd's "deauthenticated" line after it)
                if s.m1_sent and not s.hs_done:
                    # hostapd sends each EAPOL-Key message up to dot11RSNAConfigPairwiseUpdateCount times
                    # (4 by default) before it gives up: no more frames than that, and no completion, is
                    # message 1/4 unanswered
                    waiting = "m2" if s.m1_sent <= 4 else None
                    self.emit("eapol.timeout", station, body, daemon="hostapd", waiting_for=waiting)
            self.handled = True
            return True
        if body.startswith("+rtl871x_send_eapol"):
            self.handled = True
            named = self.rtl_station or self.last_assoc
            if named is not None:
                s = self.sta(named)
                s.m1_sent += 1
                if s.m1_sent == 1:
                    self.emit(
                        "eapol.m1.sent",
                        named,
                        body,
                        daemon="hostapd",
                        what="eapol-frame",
                        driver="rtl871xdrv",
                    )
            return True
        return False

    def other(self, body: str) -> None:
        if body.startswith(eap_tls.STARTS):
            said = self.tls.read(body, self.number, self.side_of_line())
            if said is not None:
                self.tls_failure(body, said)
                return
        if body.startswith(("Line ", "Failed to read or parse configuration")) and self.supplicant_config(
            body
        ):
            return
        if ("Failed to add " in body or "peer already added" in body) and _DRIVER_REFUSED.search(body):
            # the driver's own word before hostapd's "Could not add STA to kernel driver" (kept for it)
            self.handled = True
            why = "peer already added" if "peer already added" in body else "failed to add station"
            if self.driver_refused is None or self.number - self.driver_refused[0] > 8:
                self.driver_refused = (self.number, why)
            return
        if body.startswith("Failed to initiate AP scan") or body.startswith("CTRL-EVENT-SCAN-FAILED"):
            # wpa_supplicant could not scan (scan.c): it cannot find any network, whatever is on the air
            self.emit("scan.failed", self.local_station(), body, daemon="wpa_supplicant")
            return
        if "Michael MIC" in body or "TKIP countermeasures" in body:
            self.tkip(body)
            return
        if "MIC Different in pairwise msg 2" in body:
            mac = self.recent_driver_mac()
            station = mac or self.opaque(None)
            self.mic_failure(station, body, "driver", invalid_mic_line=False)
            return
        if "Receive EAPoL-Key frame from STA" in body or "Addr2(" in body:
            m = _MAC_ANY.search(body)
            if m is not None:
                self.driver_mac = (self.number, normalize_mac(m.group()))
                self.handled = True
            return
        if body.startswith("AP SETKEYS DONE"):
            mac = self.recent_driver_mac()
            station = mac or self.opaque(None)
            auth = re.search(r"AuthMode\(\d+\)=(\w+)", body)
            self.emit(
                "handshake.success", station, body, daemon="driver", auth_mode=auth.group(1) if auth else None
            )
            return
        if body.startswith("SAE: ") and body.endswith("indicates support for SAE H2E, but did not use it"):
            # check_assoc_ies(): the station authenticated with SAE by hunting-and-pecking while its RSNXE
            # advertises hash-to-element; with sae_pwe=2 hostapd refuses the association (status 1) as a
            # possible downgrade
            m = _MAC_RE.match(body, 5)
            if m is not None:
                self.emit(
                    "assoc.reject",
                    normalize_mac(m.group()),
                    body,
                    daemon="hostapd",
                    status=1,
                    reason="sae_h2e_not_used",
                )
            return
        if (body.endswith(" not allowed to authenticate") or "due to ACL reject" in body) and self.acl_reject(
            body
        ):
            return
        if body.startswith("handle_auth_cb: STA ") and body.endswith(" not found"):
            # handle_auth_cb(): the delivery report of an authentication response to a station hostapd made
            # no entry for - the refusal (an ACL's, said on the line before) was already read
            self.handled = _MAC_RE.match(body, 20) is not None
            return
        if body.startswith("handle_assoc_cb: STA ") and body.endswith(" not found"):
            # handle_assoc_cb(): the delivery report of a (re)association response to a station hostapd holds
            # no entry for - it refused the request before creating one, or dropped it as it answered
            m = _MAC_RE.match(body, 21)
            if m is not None:
                self.emit(
                    "assoc.failure",
                    normalize_mac(m.group()),
                    body,
                    daemon="hostapd",
                    reason="no_station_entry",
                )
            return
        if body.startswith("Prune association for "):
            # hostapd_prune_associations(): "<old iface>: Prune association for <mac>", when the station
            # associated on another BSS of the device; its old association there is dropped (reason 1)
            m = _MAC_RE.match(body, 22)
            if m is not None:
                self.emit("sta.pruned", normalize_mac(m.group()), body, daemon="hostapd")
            return
        if "WPA authenticator requests disconnect" in body:
            # (hostapd_wpa_auth_disconnect: only the key state machines ask, from their DISCONNECT state)
            self.ap_disconnect(re.search(r"STA (" + _MAC + r") reason (\d+)", body), body, keys=True)
            return
        if "_sta_deauth: addr=" in body or "_sta_disassoc: addr=" in body:
            # driver wrappers' debug lines (driver_bsd.c: "bsd_sta_deauth: addr=<mac> reason_code=2")
            m = _MAC_RE.search(body)
            if m is not None:
                kind = "sta.deauth" if "_sta_deauth" in body else "sta.disassoc"
                r = body.rfind("reason_code=")
                reason = _int(body[r + 12 :]) if r >= 0 else None
                self.end(normalize_mac(m.group()), kind, body, by="ap", reason=reason, daemon="hostapd")
            return
        if "is deauth, reason=" in body:  # rtl871xdrv: "+rtl871x_sta_deauth_ops, <mac> is deauth, reason=2"
            m = _MAC_RE.search(body)
            if m is not None:
                self.end(
                    normalize_mac(m.group()),
                    "sta.deauth",
                    body,
                    by="ap",
                    reason=_int(body[body.rfind("=") + 1 :]),
                    daemon="driver",
                )
            return
        if body.startswith(
            (
                "authentication: STA=",
                "authentication reply: STA=",
                "association request: STA=",
                "reassociation request: STA=",
                "deauthentication: STA=",
                "disassociation: STA=",
            )
        ):
            self.mgmt_debug(body)
            return
        # ("Trying to authenticate with" without "SME: ": wpa_supplicant 0.6 authenticating itself)
        if body.startswith(
            ("SME: Trying to authenticate with ", "Trying to associate with ", "Trying to auth")
        ):
            self.supplicant_try(body)
            return
        if body.endswith("request to the driver failed") and body.startswith(
            ("SME: Authentication request", "Authentication request", "Association request")
        ):
            # wpa_supplicant could not even hand the request to its driver (sme.c, wpa_supplicant.c)
            what = "association" if body.startswith("Association") else "authentication"
            stage = Stage.ASSOCIATION if what == "association" else None
            d = "wpa_supplicant"
            self.emit("driver.request_failed", self.local_station(), body, daemon=d, what=what, stage=stage)
            return
        if body.startswith("Associated with "):
            m = _MAC_RE.match(body, 16)
            s = self.sta(self.local_station())
            s.authenticating = False
            s.associating = True
            bssid_a = normalize_mac(m.group()) if m is not None else None
            if bssid_a is not None:
                self.ifc(self.iface).bssid = bssid_a
            # (a BSSID the poster redacted, "Associated with xxxxx", is still an association)
            self.emit("assoc.response", self.local_station(), body, daemon="wpa_supplicant", bssid=bssid_a)
            return
        if body.startswith("Authentication with ") and "timed out" in body:
            # wpa_supplicant_timeout(): the whole authentication did not finish in time; after the
            # association that is the EAPOL part (802.1X, then the 4-way handshake)
            m = _MAC_RE.search(body)
            bssid_t = normalize_mac(m.group()) if m else None
            station = self.local_station()
            s = self.sta(station)
            d = "wpa_supplicant"
            if not s.associating:
                self.emit("auth.timeout", station, body, daemon=d, bssid=bssid_t)
            elif s.eap_started:
                self.emit("eap.challenge.timeout", station, body, daemon=d, bssid=bssid_t, by="sta")
            else:
                self.emit("eapol.timeout", station, body, daemon=d, bssid=bssid_t, waiting_for="m1-or-m3")
            return
        if body.startswith(("EAP-MSCHAPV2: ", "EAP-TLV: ")) and self.side_of_line() != "hostapd":
            self.phase2_result(body)
            return
        if body.startswith("PMKSA-CACHE-"):
            action = "added" if body.startswith("PMKSA-CACHE-ADDED") else "removed"
            m = _MAC_RE.search(body)
            self.pmksa(action, body, normalize_mac(m.group()) if m else None)
            return
        if body.startswith("RSN: found matching PMKID"):
            self.pmksa("used", body, None)
            return
        if body.startswith("RSN: no matching PMKID"):
            self.pmksa("miss", body, None)
            return
        if "Own MAC address" in body or body.startswith("address="):
            m = _MAC_RE.search(body)
            if m is not None:
                self.ifc(self.iface).own = normalize_mac(m.group())
                self.handled = True
            return
        if "Initializing interface '" in body:
            n = _NAMED_IFACE.search(body)
            if n is not None:
                self.learn_iface(n.group(1))
                self.handled = True
            return
        if "with hwaddr" in body:
            m = _HWADDR.search(body)
            if m is not None:
                self.learn_iface(m.group(1))
                self.handled = True
                i = self.ifc(m.group(1))
                i.bssid = normalize_mac(m.group(2))
                i.ssid = _ssid(m.group(3)) or None  # wired 802.1X has no SSID
            return
        if "ap_sta_disconnect " in body:
            # sta_info.c: "ap_sta_disconnect STA <mac> reason=N", and "addr <mac>" / "addr=<mac>" in the
            # versions that print it with no station entry at hand
            self.ap_disconnect(_AP_STA_DISCONNECT.search(body), body)

    def ap_disconnect(self, m: re.Match[str] | None, body: str, keys: bool = False) -> None:
        """hostapd disconnects a station: groups 1 and 2 of ``m`` are its MAC and the reason code.  ``keys``:
        its key state machines asked for it, so the keys failed (the group key once the pairwise one was
        agreed), whatever reason code they give."""
        if m is None:
            self.problem("hostapd disconnect line without a valid station MAC address")
            return
        station = normalize_mac(m.group(1))
        s = self.sta(station)
        if keys and not s.online and not s.hs_done and not (s.m1_sent or s.m3_sent or s.m2_state):
            # the pairwise key state machine gave up (its retries, a MIC it could not verify, no PMK), and
            # the log showed nothing of the handshake that would tell it: this line is the failure
            kind, what = "handshake.failed", "authenticator-disconnect"
        else:
            kind, what = "sta.deauth", None
        self.end(station, kind, body, by="ap", reason=int(m.group(2)), daemon="hostapd", what=what)

    def pmksa(self, action: str, body: str, bssid: str | None) -> None:
        if self.side_of_line() == "hostapd" and bssid is not None:
            # hostapd's PMKSA-CACHE-ADDED names the station
            self.emit("pmksa.cache", bssid, body, daemon="hostapd", action=action)
            return
        self.emit(
            "pmksa.cache", self.local_station(), body, daemon="wpa_supplicant", action=action, bssid=bssid
        )

    def recent_driver_mac(self) -> str | None:
        if self.driver_mac is not None and self.number - self.driver_mac[0] <= 1:
            return self.driver_mac[1]
        return None

    def mgmt_debug(self, body: str) -> None:
        kv = _kv(body)
        token = kv.get("STA")
        if not token or not _MAC_ANY.fullmatch(token):
            self.problem("management frame line without a valid station MAC address")
            return
        station = normalize_mac(token)
        s = self.sta(station)
        d = "hostapd"
        self.handled = True
        if body.startswith("authentication reply:"):
            resp = _int(kv.get("resp"))
            if resp:  # status 0 is the normal answer, already told by "IEEE 802.11: authenticated"
                self.emit(
                    "auth.reject", station, body, daemon=d, status=resp, auth_alg=_int(kv.get("auth_alg"))
                )
        elif body.startswith("authentication:"):
            status = _int(kv.get("status_code"))
            if _int(kv.get("auth_transaction")) in (None, 1):
                self._restarted_unconfirmed(s, station, body)
            self._new_exchange(s)
            self.emit(
                "auth.request",
                station,
                body,
                daemon=d,
                auth_alg=_int(kv.get("auth_alg")),
                status=status,
                auth_transaction=_int(kv.get("auth_transaction")),
            )
        elif body.startswith(("association request", "reassociation request")):
            self.last_assoc = station
            s.associating = True
            self.emit("assoc.request", station, body, daemon=d, reassoc=True if body[0] == "r" else None)
        else:
            s.reason = _int(kv.get("reason_code"))

    def supplicant_config(self, body: str) -> bool:
        """wpa_supplicant could not read its configuration (config_file.c): "Line 9: failed to parse
        sae_password '...'.", "Line 13: failed to parse network block.", "Line 7: unknown network field
        'x'.", "Failed to read or parse configuration '<file>'."  It then never starts; the field it names is
        the one to fix.  A secret's value quoted in the line is kept out of the evidence."""
        m = _CONFIG_LINE.match(body)
        if m is None and not body.startswith("Failed to read or parse configuration"):
            return False
        self.handled = True
        station = self.local_station()
        field = None if m is None else (m.group("field") or m.group("unknown") or m.group("invalid"))
        if m is not None and field is not None and field != "network":
            if field in _SECRET_FIELDS or "passphrase" in body[:40]:
                self.text = _QUOTED.sub("'[redacted]'", self.text)
                body = _QUOTED.sub("'[redacted]'", body)
            self.config_told = self.number
            self.emit(
                "supplicant.config_error",
                station,
                body,
                daemon="wpa_supplicant",
                what=field,
                config_line=int(m.group("line")),
            )
        elif self.config_told is None or self.number - self.config_told > 4:
            # (the block or the file refused with no field named before it: the failure all the same)
            self.config_told = self.number
            self.emit("supplicant.config_error", station, body, daemon="wpa_supplicant")
        return True

    def selection(self, body: str) -> bool:
        """wpa_supplicant's network selection (parsers/wpa_selection.py); a parser's line about the BSS's
        element names no interface and belongs to the selection under way."""
        name = self.iface if self.iface is not None else self.selecting
        i = self.ifc(name)
        if i.selection is None:
            i.selection = Selection()
        seen, ended = i.selection.read(body, self.number, self.text, self.time)
        if not seen:
            return False
        self.selecting = name
        self.handled = True
        if ended is not None:
            self.rejected_network(ended, name)
        return True

    def _associated_again(self, s: _Sta, aid: int | None) -> bool:
        """hostapd told "associated (aid N)" of this station moments ago, with no authentication or
        disconnection since: the station resent its request (it missed the response) and was answered
        again; the same association, not a new attempt."""
        told = s.assoc_told
        if told is None or told[0] != aid or s.last_deauth_line > told[2]:
            return False
        if told[1] is not None and self.time is not None:
            return 0 <= self.time - told[1] <= ASSOC_RETOLD_S
        return self.number - told[2] <= 3

    def acl_reject(self, body: str) -> bool:
        """hostapd's MAC access list refused a station (macaddr_acl with accept_mac_file / deny_mac_file, or
        a RADIUS MAC check): "Station <mac> not allowed to authenticate" (ieee802_11_allowed_address()),
        "Ignore Authentication frame from <mac> due to ACL reject" (handle_auth() since 2.10), "Ignore
        Probe Request frame from <mac> due to ACL reject" (handle_probe_req(): not even answered)."""
        m = _ACL_REJECT.match(body.rstrip())  # (the probe's wording ends in a space)
        if m is None:
            return False
        probe = m.group("frame") == "Probe Request"
        self.emit(
            "sta.blacklisted",
            normalize_mac(m.group("mac") or m.group("mac2")),
            body,
            daemon="hostapd",
            stage=Stage.DISCOVERY if probe else Stage.AUTH_80211,
            acl=True,
            frame="probe" if probe else "auth",
        )
        return True

    def rejected_network(self, r: Rejection, iface: str | None) -> None:
        """The station ruled its network's AP out: said on the line that gave the (first) reason."""
        with said_on(self, number=r.line, text=r.text, time=r.time, iface=iface):
            self.emit(
                "network.rejected",
                self.local_station(),
                r.message,
                daemon="wpa_supplicant",
                bssid=r.bssid,
                ssid=_ssid(r.ssid) if r.ssid is not None else None,
                why=r.why,
                detail=r.detail,
                cipher=r.cipher,
                bsses=r.bsses,
            )

    def supplicant_try(self, body: str) -> None:
        i = self.ifc(self.iface)
        m = _MAC_RE.search(body)
        if m is None:
            # "Trying to associate with SSID 'x'": the driver picks the AP (connect without a BSSID)
            sq = _SSID_QUOTED.match(body)
            if sq is None:
                return
            i.ssid = _ssid(sq.group(1))
            bssid, freq = None, None
        else:
            bssid = i.bssid = normalize_mac(m.group())
            sm = _SSID_PAREN.search(body)
            if sm is not None:
                i.ssid = _ssid(sm.group(1))
            freq = int(sm.group(2)) if sm else None
        station = self.local_station()
        i.selection = None  # (a BSS was chosen, whatever the selection passed over on the way)
        i.disabled_until = None  # (a network chosen: none is held back now)
        s = self.sta(station)
        self._new_exchange(s)
        s.authenticating = body.startswith(("SME:", "Trying to authenticate"))
        s.driver_connect = not s.authenticating
        kind = "auth.request" if s.authenticating else "assoc.request"
        self.emit(kind, station, body, daemon="wpa_supplicant", bssid=bssid, freq=freq)

    def phase2_result(self, body: str) -> None:
        """wpa_supplicant's word on the tunnelled method (PEAP/TTLS phase 2), kept for the EAP-Failure:
        "EAP-MSCHAPV2: Authentication succeeded" means the password was accepted, whatever fails after."""
        if self.iface is None:  # (eap_peap.c prints with wpa_printf, without the interface)
            self.iface = self.only_iface()
        s = self.sta(self.local_station())
        if body.startswith("EAP-MSCHAPV2: Authentication succeeded"):
            s.inner = "succeeded"
        elif body.startswith("EAP-MSCHAPV2: failure message"):
            s.inner = "failed"
            m = _MSCHAP_ERROR.search(body)
            s.inner_error = int(m.group(1) or m.group(2)) if m else None
        elif body.startswith("EAP-TLV: TLV Result - Failure"):
            s.phase2 = "server-failure"
        elif body.startswith("EAP-TLV: Earlier failure - force failed Phase 2"):
            s.phase2 = "forced-failure"
        elif body.startswith("EAP-TLV: TLV Result - Success"):
            pass  # the server's word on phase 2; the EAP-Success or a forced failure follows
        else:
            return
        self.handled = True

    def tkip(self, body: str) -> None:
        """TKIP countermeasures (hostapd src/ap/tkip_countermeasures.c, wpa_supplicant events.c)."""
        if body == "IEEE 802.11 TKIP countermeasures initiated":
            # hostapd: every station of the BSS is deauthenticated with reason 14; the line names none
            self.emit("tkip.countermeasures", "", body, daemon="hostapd", by="ap")
        elif body == "Michael MIC failure detected":  # wpa_supplicant: its driver saw a frame with a bad MIC
            self.emit("tkip.mic_failure", self.local_station(), body, daemon="wpa_supplicant", by="sta")
        elif body == "TKIP countermeasures started":
            self.emit("tkip.countermeasures", self.local_station(), body, daemon="wpa_supplicant", by="sta")

    def radius_attribute(self, body: str) -> bool:
        """A RADIUS message's dump: the Calling-Station-Id attribute, whose value (the next line) names the
        station of a request hostapd's RADIUS server answers."""
        if body.startswith("Attribute 31 (Calling-Station-Id)"):
            self.srv_value = True
            self.handled = True
            return True
        self.srv_value = False
        if not body.startswith("Value: '"):
            return False
        self.handled = True
        m = _MAC_ANY.search(body, 8, 40) or _BARE_MAC.search(body, 8, 40)
        if m is not None and not self.srv_reply and is_real_mac(mac := normalize_mac(m.group())):
            self.srv_station = mac
        return True

    def hostapd_radius_server(self, body: str) -> None:
        """hostapd's RADIUS server ("RADIUS SRV: Received 155 bytes from 192.168.51.1:44318", "RADIUS SRV:
        Reply to ..."): a request opens, the message dumped after "Reply to" is its answer."""
        self.handled = True
        if body.startswith("Received ") and " bytes from " in body:
            self.srv_station, self.srv_reply = None, False
        elif body.startswith("Reply to "):
            self.srv_reply = True

    def radius(self, body: str) -> None:
        """RADIUS client lines that name no station (``<iface>: RADIUS <text>`` and ``wpa_printf`` lines)."""
        self.handled = "RADIUS message" in body  # the dumps of a message say which exchange it is
        if body.startswith("RADIUS SRV: "):
            self.hostapd_radius_server(body[12:])
            return
        if "Received RADIUS message" in body:
            self.radius_rx = True  # the "RADIUS message: code=N" dump that follows is the server's answer
            return
        if body.startswith("RADIUS message: code="):
            code = _int(body[21:])
            if self.srv_reply and self.srv_station is not None:
                # hostapd's RADIUS server answering the request of srv_station
                self.srv_reply = False
                kind = {2: "radius.accept", 3: "radius.reject", 11: "radius.challenge"}.get(code or 0)
                s = self.sta(self.srv_station)
                if kind is not None and not (kind == "radius.challenge" and s.radius_answered):
                    self.emit(kind, self.srv_station, body, daemon="hostapd")
                    s.radius_answered = kind == "radius.challenge"
                return
            if self.radius_rx:
                self.radius_rx = False
                self.radius_code = code
            elif code == 1 and self.last_8021x is not None:
                s = self.sta(self.last_8021x)
                if not s.radius_answered:  # first Access-Request of the exchange
                    self.emit("radius.request", self.last_8021x, body, daemon="hostapd")
            return
        refused = "[RADIUS]: " in body  # recvmsg[RADIUS]: Connection refused (ICMP port unreachable)
        no_response = "No response from Authentication server" in body
        gave_up = "Removing un-ACKed" in body
        if not (refused or no_response or gave_up):
            return
        i = self.ifc(self.iface)
        pending = list(i.eap_pending)
        if not pending and self.iface is None:
            only = self.only_iface()
            if only is not None:
                pending = list(self.ifaces[only].eap_pending)
        targets = pending or [self.opaque(self.iface)]
        m = re.search(r"server (\S+) - failover", body)
        kind = "radius.unreachable" if refused else "radius.no_reply"
        for station in targets:
            self.emit(
                kind,
                station,
                body,
                daemon="hostapd",
                server=m.group(1) if m else None,
                gave_up=True if gave_up else None,
                error=body.split("]: ", 1)[1] if refused else None,
                scope=None if pending else "ap",
            )

    def radius_sta(self, station: str, text: str) -> None:
        """``<iface>: STA <mac> RADIUS: <text>``."""
        self.handled = text.startswith(("Received RADIUS packet matched", "starting accounting session"))
        s = self.sta(station)
        d = "hostapd"
        if text.startswith("Received RADIUS packet matched with a pending request"):
            code, self.radius_code = self.radius_code, None
            if code == 2:
                self.emit("radius.accept", station, text, daemon=d)
            elif code == 3:
                self.emit("radius.reject", station, text, daemon=d)
            elif code == 11 and not s.radius_answered:
                self.emit("radius.challenge", station, text, daemon=d)
            if code in (2, 3, 11):
                s.radius_answered = True
        elif text.startswith("starting accounting session"):
            # accounting_sta_start(): hostapd starts a station's accounting once its port is authorized,
            # after the keys (WPA, 802.1X), or at the association of a network with neither (open, WEP):
            # logged whether or not an accounting server is set, it is the station's admission (said once:
            # after the keys, the handshake's or AP-STA-CONNECTED's line said it)
            if not (s.hs_done or s.online):
                s.online = True
                self.emit("sta.connected", station, text, daemon=d, what="authorized")
        elif text.startswith("Resending RADIUS message"):
            # the server did not answer within the retransmission timeout
            self.emit("radius.no_reply", station, text, daemon=d, resend=True, radius_id=_int(text[29:]))
        elif text.startswith("No RADIUS RX handler found") and "INVALID AUTHENTICATOR" in text:
            self.emit("radius.bad_authenticator", station, text, daemon=d)


class HostapParser:
    name = "hostap"
    unwraps = True  # (one record a line: a wrapped paste is joined back, sources/unwrap.py)
    catalogue = "portal"  # (most of what it reads is in code; a captive portal's lines are a catalogue)
    # (the supplicant's own failures: catalogues/wpa_supplicant.yaml; embedded RTOS consoles: catalogues/rtos.yaml)
    also_catalogues = ("wpa_supplicant", "rtos")
    description = (
        "hostapd / wpa_supplicant logs (OpenWrt logread, syslog, journalctl, -dd debug output, control events) "
        "and a Linux client's own (the kernel's mac80211 lines, NetworkManager, iwd, dhclient, dhcpcd), with "
        "the DHCP server, FreeRADIUS and driver lines found among them"
    )
    example = (
        "Wed Oct 25 17:26:50 2023 daemon.notice hostapd: phy0-ap0: AP-STA-POSSIBLE-PSK-MISMATCH "
        "74:38:b7:12:34:56"
    )

    _STRONG = (
        b"hostapd",
        b"wpa_supplicant",
        b"CTRL-EVENT-",
        b"AP-STA-",
        b"WPA_PTK entering state",
        b"msg of 4-Way Handshake",
        b"of 4-Way Handshake from",
        b"MIC Different in pairwise msg 2",
        b"dnsmasq-dhcp",
        b" IEEE 802.11: ",
        b": authenticate with ",
        b": associate with ",
        b"to upper layer with alg:",  # (a MediaTek driver's authentication answer, parsers/linux_client.py)
        b"wifi_log: [Class ",  # (Xiaomi stock firmware's driver steps, parsers/linux_client.py)
        b"wlceventd_proc_event(",  # (an ASUS router's driver events, parsers/wlceventd.py)
        b": RX AssocResp from ",
        b": deauthenticating from ",
        b": send auth to ",
        b"RTL871X: ",
        b"auth success, start assoc",  # (Realtek's driver core under any prefix: Ameba's "[Driver]: ")
        b"NetworkManager[",
        b" iwd[",
        b"event: connect-info, ssid: ",  # (iwd's notices, also without its journal tag)
        b"event: state, old: ",
        b"EAP server tried method ",  # (iwd's src/eap.c)
        b"EAP completed with eap",
        b"dhclient",
        b"DHCPDISCOVER on ",
        b"dhcpcd[",
        b"DHCPV4_MSG_",  # (odhcpd, OpenWrt's DHCP server)
        b"> wpa_supp: ",  # (Zephyr's wpa_supplicant module: "[00:00:07.622,070] <inf> wpa_supp: ...")
        b"/WLAN.mgnt] ",  # (RT-Thread's WLAN manager, catalogues/rtos.yaml)
        b"/WLAN.lwip] ",
        b"[WLAN EVENT] ",  # (TI SimpleLink's event handlers)
        b"[NETAPP EVENT] ",
        b"eapol_sm_cb: ",  # (eapol_test, hostap's RADIUS test client)
        b"Trying to authenticate with ",  # (wpa_supplicant's own words, under any prefix; "SME: " since 0.7)
        b"NetworkManager: <",  # (0.7 / 0.8 in syslog without a pid: "NetworkManager: <info>  (ra0): ...")
        b": Trying to associate with ",
    )
    _WEAK = (b"WPA: ", b"EAPOL-Key", b"IEEE 802.1X: ", b"DHCPACK(", b"DHCPDISCOVER(", b"RSN: ")

    def sniff(self, head: bytes) -> int:
        strong = sum(1 for s in self._STRONG if s in head)
        weak = sum(1 for s in self._WEAK if s in head)
        if strong:
            return min(95, 70 + 5 * (strong - 1) + 2 * weak)
        if weak >= 2:
            return 40
        return 20 if weak else 0

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        yield from _Run(inp, summary).run(inp)


PARSER = HostapParser()
