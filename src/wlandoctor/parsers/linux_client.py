"""A Linux client's own account of getting online, beside wpa_supplicant: the kernel's mac80211 messages,
NetworkManager's device and DHCP lines, and the DHCP clients (ISC dhclient, dhcpcd).

Mixed into the hostap parser's pass (``parsers.hostap._Run``), which reads the journal or syslog these lines
come in; the station is always the interface's own (``local_station``).  Message strings: net/mac80211/mlme.c
(``sdata_info``), NetworkManager src/core/devices/nm-device.c and nm-device-wifi.c (state changes and their
reasons as ``nm_device_state_reason_to_string`` prints them), ISC dhclient ``client/dhclient.c``, dhcpcd
``src/dhcp.c``.  docs/hostap.md has the message -> kind tables.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model.stages import Stage
from wlandoctor.parsers.prefix import Prefix
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.numbers import as_int
from wlandoctor.util.times import STAMP_PROBLEM, in_range

_MAC = r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}"
_MAC_RE = re.compile(_MAC)
_PEER_TOKEN = re.compile(r"[0-9A-Fa-fxX]{2}(?::[0-9A-Za-z*]{2}){5}\b")
_LOCAL_ADDRESS = re.compile(r"\(local address=(" + _MAC + r")\)")

# mac80211 (after "<iface>: "): (phrase the message starts with, kind); the MAC in it is the AP's.
MAC80211_PHRASES = (
    ("authenticate with ", "auth.request"),
    ("send auth to ", ""),  # each try of the request: no event of its own
    ("authenticated", "auth.response"),
    ("authentication with ", "auth.timeout"),  # "... timed out"
    # the client's own stack could not set up the AP's entry before sending anything (ieee80211_prep_connection;
    # older kernels add the AP's address: "... for the AP <bssid> (error -2)")
    ("failed to insert STA entry for the AP", "auth.local_failure"),
    ("associate with ", "assoc.request"),
    ("RX AssocResp from ", "assoc.response"),
    ("RX ReassocResp from ", "assoc.response"),
    ("associated", ""),  # after RX AssocResp, which said it
    ("association with ", "assoc.failure"),  # "... timed out"
    ("deauthenticating from ", "sta.deauth"),
    ("deauthenticated from ", "sta.deauth"),
    ("disassociating from ", "sta.disassoc"),
    ("disassociated from ", "sta.disassoc"),
    ("Connection to AP ", "sta.deauth"),  # "... lost": beacons no longer received
    ("denied authentication", "auth.reject"),  # "<bssid> denied authentication (status N)"
    ("rejected association temporarily", ""),
    ("denied association", "assoc.reject"),  # "<bssid> denied association (code=N)" (mlme.c)
    ("AP denied association", "assoc.reject"),  # (older kernels: "AP denied association (code=N)")
)
MAC80211_STARTS = tuple(p for p, _ in MAC80211_PHRASES)
# mac80211 messages that begin with the AP's address ("28:80:..:6e denied authentication (status 77)")
MAC80211_PEER = re.compile(
    r"[0-9A-Fa-fxX]{2}(?::[0-9A-Za-z*]{2}){5} (denied authentication|rejected association temporarily|denied association)"
)
_STATUS = re.compile(r"(?:status|code)[= ](\d+)")
_ERROR = re.compile(r"\(error (-?\d{1,5})\)")
_REASON = re.compile(r"Reason: (\d+)=(\w+)")

# Realtek's out-of-tree drivers (rtl8188eu, rtl8192eu, rtl8812au, 88x2bu ...): core/rtw_mlme_ext.c's
# DBG_871X / RTW_INFO lines, printed "RTL871X: " (newer trees "RTW: ").  As a client: "start auth",
# "auth success, start assoc", "assoc success", "recv eapol packet" / "send eapol packet" (any EAPOL
# frame: the first of an attempt is taken as the 4-way handshake's message 1 received and 2 sent, as on the
# PSK networks these adapters mostly join), and "OnDisassoc(<iface>) reason=N, ta=<MAC>" /
# "OnDeAuth(<iface>) reason=N, ta=<MAC>[, ignore=0]" when the peer ends the link.  As an AP (the driver
# under hostapd) ``ta`` is the station's address instead.  The same driver core runs on Realtek's Ameba
# SoCs (RTL8195A, RTL8710, RTL8720, RTL8721D), whose SDK console prints it "[Driver]: " or
# "RTL8721D[Driver]: " (newer SDKs "[WLAN-A] "), names the AP ("start auth to <BSSID>",
# "association success(res=N)") and says when the keys are set ("set pairwise key to hw: alg:4", "set
# group key to hw: alg:4(...) keyid:1", newer "set pairwise key 4(...)"): the handshake's end.  Its AT
# command layer's indications ("[$]", at_printf_indicate) give the address ("wifi got ip:\"a.b.c.d\"") or
# the DHCP client's give-up ("wifi got ip timeout", LwIP_DHCP).  (phrase, kind)
REALTEK_PREFIX = re.compile(r"(?:RTL871X|RTW|(?:RTL8[0-9A-Z]{3,6})?\[Driver\]): |\[WLAN-[A-Z]\] |\[\$\]")
REALTEK_PHRASES = (
    ("start auth", "auth.request"),
    ("auth success, start assoc", "auth.response"),
    ("assoc success", "assoc.response"),
    ("association success", "assoc.response"),
    ("set pairwise key", "handshake.success"),
    ("set group key", "sta.connected"),
    ("auth alg", ""),
    ("recv eapol packet", "eapol.m1.sent"),
    ("send eapol packet", "eapol.m2.sent"),
    ("OnDisassoc(", "sta.disassoc"),
    ("OnDeAuth(", "sta.deauth"),
    # older trees: "sta recv deauth reason code(1) sta:<AP>, ignore = 0" (the client received it),
    # "ap recv deauth reason code(3) sta:<station>" (the driver under hostapd received it), and disassoc
    # (newer Ameba SDKs: "sta recv deauth 1 <AP>", "sta recv disassoc 1 sta:<AP>")
    ("sta recv deauth ", "sta.deauth"),
    ("ap recv deauth ", "sta.deauth"),
    ("sta recv disassoc ", "sta.disassoc"),
    ("ap recv disassoc ", "sta.disassoc"),
    ("set bssid:", ""),
    ("set BSSID:", ""),
    ("set ssid ", ""),
    ("wifi got ip timeout", "dhcp.failure"),
    ("wifi got ip:", "dhcp.ack"),
    ("wifi connected", ""),  # (the driver's key lines before it tell it)
    ("wifi disconnected", ""),  # (the driver's deauth / disassoc line before it tells it)
)
_REALTEK_END = re.compile(r"On(?:Disassoc|DeAuth)\(([\w.\-@]{1,24})\) reason=(\d{1,5}), ta=(" + _MAC + ")")
_REALTEK_RECV = re.compile(
    r"(sta|ap) recv (?:deauth|disassoc) (?:reason code\((\d{1,5})\)|(\d{1,5})) (?:sta:)?(" + _MAC + ")"
)
_REALTEK_GOT_IP = re.compile(r'wifi got ip:"?(\d{1,3}(?:\.\d{1,3}){3})')
# The MediaTek driver of Xiaomi's stock router firmware (MiWiFi) logs each step of a station's join as
# "wifi_log: [Class N - <STEP>] - if="wl1", sta_mac="<mac>", bssid="<mac>", action="<action>"[, status=..]":
# step -> kind ("" read with no event).  Its "wifi_auth1 MAC aa-bb-.." and "wifi_assoc MAC .., RSSI -32
# StatusCode 0" repeat a step the wifi_log line tells.
WIFI_LOG_STEPS = {
    "RECV AUTH": "auth.request",
    "SEND AUTH_RSP": "auth.response",
    "RECV ASSOC": "assoc.request",
    "RECV REASSOC": "assoc.request",
    "SEND ASSOC RSP": "assoc.response",
    "SEND REASSOC RSP": "assoc.response",
    "EAPOL START": "",
    "SEND EAPOL 1/4": "eapol.m1.sent",
    "RECV EAPOL 2/4": "eapol.m2.received",
    "SEND EAPOL 3/4": "eapol.m3.sent",
    "RECV EAPOL 4/4": "eapol.m4.received",
    "EAPOL DONE": "handshake.success",
}
_WIFI_LOG = re.compile(r"wifi_log: \[Class \d{1,2} - ([A-Z][A-Z0-9_/ ]{1,40})\] - (.{0,600})$")
_WIFI_LOG_FIELD = re.compile(r'(\w{1,20})="([^"]{0,100})"')
_WIFI_LOG_ECHO = re.compile(r"wifi_auth\d MAC [0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}")
# the driver's association result: "wifi_assoc MAC 50-5b-c2-09-e8-32, RSSI -32 StatusCode 0"
_WIFI_ASSOC = re.compile(
    r"wifi_(?:re)?assoc MAC ([0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}), RSSI (-?\d{1,3}) StatusCode (\d{1,5})"
)
_MEDIATEK_AUTH = re.compile(
    r"(?i)Report RX auth to upper layer with alg:(\d{1,3}), SN:(\d{1,5}), status:(\d{1,5})"
)
_REALTEK_BSSID = re.compile(r"set (?:bssid|BSSID): ?(" + _MAC + ")")
_REALTEK_AUTH_TO = re.compile(r"start auth to (" + _MAC + ")")

# NetworkManager: "<info>  [1709487093.0216] device (wlan0): state change: prepare -> failed (reason ...)"
# (NetworkManager 1.x; 0.8 / 0.9 print no stamp of their own and name the device "(wlan0): " or
# "Activation (wlan0/wireless): ")
_NM = re.compile(r"<(\w+)>\s+(?:\[(\d{9,11}(?:\.\d+)?)\]\s+)?(?:(\w[\w-]*)\s+\(([^)]{1,32})\):\s+)?(.*)$")
_NM_OLD_DEVICE = re.compile(r"\(([\w.\-]{1,32})\):? ")
# 0.8 / 0.9's activation steps, with no colon: "Activation (wlan0) Beginning DHCPv4 transaction (timeout in
# 45 seconds)", "Activation (eth1/wireless) Stage 2 of 5 (Device Configure) successful.  Connected to ..."
_NM_OLD_ACTIVATION = re.compile(r"Activation \(([\w.\-]{1,32})(?:/\w{1,16})?\) (.*)$")
# 0.8 / 0.9's steps of an activation that say nothing of its outcome (the outcome has lines of its own)
_NM_OLD_STEPS = (
    "Stage ",
    "starting connection",
    "asking for new secrets",
    "connection '",  # "connection 'x' has security, and secrets exist.  No new secrets needed."
    "access point '",  # "access point 'x' has security, but secrets are required."
    "Beginning IP6",
    "deactivating device",
)
_NM_STATE = re.compile(r"state change: (\S+) -> (\S+) \(reason '([^']*)'")
# 0.7 / 0.8 write the states and the reason as numbers: "(ra0): device state change: 6 -> 9 (reason 7)"
_NM_STATE_NUMBERS = re.compile(r"state change: (\d{1,2}) -> (\d{1,2}) \(reason (\d{1,3})\)")
ASSOCIATION_TOO_LONG = "association-took-too-long"  # (its supplicant did not get associated in time)
# NMDeviceState of 0.7 / 0.8 (0.9 renumbered them 10, 20, ... and writes their names)
_NM_OLD_STATES = (
    "unknown",
    "unmanaged",
    "unavailable",
    "disconnected",
    "prepare",
    "config",
    "need-auth",
    "ip-config",
    "activated",
    "failed",
)
# NMDeviceStateReason (its numbers never changed; 0.9 on writes the names, "[60 120 7]" after them)
NM_REASONS = (
    "unknown",
    "none",
    "now-managed",
    "now-unmanaged",
    "config-failed",
    "ip-config-unavailable",
    "ip-config-expired",
    "no-secrets",
    "supplicant-disconnect",
    "supplicant-config-failed",
    "supplicant-failed",
    "supplicant-timeout",
    "ppp-start-failed",
    "ppp-disconnect",
    "ppp-failed",
    "dhcp-start-failed",
    "dhcp-error",
    "dhcp-failed",
)
# (NetworkManager 1.22 on writes the key states in words, "4-way handshake", "group handshake"; before, as
# wpa_supplicant names them, "4way_handshake")
_NM_SUPPLICANT = re.compile(
    r"supplicant (?:management |connection )?(?:interface )?state: +(\S+(?: handshake)?) -> (\S+(?: handshake)?)"
)
_NM_STATE_WORDS = {"4-way handshake": "4way_handshake", "group handshake": "group_handshake"}
# the supplicant's states from which a failure is the keys' (its last state before disconnected)
KEY_STATES = frozenset(("4way_handshake", "group_handshake", "completed"))
_NM_ADDRESS = re.compile(r"address[= ]+(\d{1,3}(?:\.\d{1,3}){3})")
_NM_OWN = (
    "manager:",
    "policy:",
    "audit:",
    "agent-manager:",
    "settings:",
    "dns-mgr:",
    "Loaded",
    "ifupdown:",
    # 0.8 / 0.9: the daemon's bookkeeping around a device's activation, not a step of it
    "Policy set",
    "Marking connection",
    "Auto-activating connection",
    "Saved default",
    "Couldn't disconnect supplicant interface",
    "No agents were available",
    "get_secrets_cb()",  # (0.7: "Couldn't get connection secrets: ... canceled": the no-secrets failure follows)
)
_NM_SSID = re.compile(r"Connected to wireless network '?\"?([^'\"]*)")
# NetworkManager's reasons for a device failing (NMDeviceStateReason): the kind they give, and the stage
# where the kind cannot say.  Any other reason is an online_fail.record with the reason as written.
NM_FAILURE: dict[str, tuple[str, Stage | None]] = {
    "no-secrets": ("key.mismatch.summary", None),
    "supplicant-disconnect": ("online_fail.record", Stage.ASSOCIATION),
    "supplicant-timeout": ("online_fail.record", Stage.ASSOCIATION),
    "supplicant-failed": ("online_fail.record", Stage.ASSOCIATION),
    "ssid-not-found": ("network.not_found", None),
    "ip-config-unavailable": ("dhcp.failure", None),
    "dhcp-failed": ("dhcp.failure", None),
    "dhcp-start-failed": ("dhcp.failure", None),
    "dhcp-error": ("dhcp.failure", None),
    "config-failed": ("online_fail.record", Stage.DISCOVERY),
}

# ISC dhclient: "DHCPDISCOVER on wlan0 to ...", "DHCPOFFER of 192.168.1.3 from 192.168.1.1",
# "DHCPREQUEST for 192.168.1.3 on wlan0 to ...", "DHCPACK of 192.168.1.3 from 192.168.1.1", "DHCPACK from ..."
DHCLIENT = re.compile(
    r"(DHCP(?:DISCOVER|OFFER|REQUEST|ACK|NAK|DECLINE|RELEASE))"
    r"(?: (?:of|for) (\d{1,3}(?:\.\d{1,3}){3}))?(?: on ([\w.\-@]{1,24}))?(?: (?:from|to) (\S+))?"
)
_DHCLIENT_KIND = {
    "DHCPDISCOVER": "dhcp.discover",
    "DHCPOFFER": "dhcp.offer",
    "DHCPREQUEST": "dhcp.request",
    "DHCPACK": "dhcp.ack",
    "DHCPNAK": "dhcp.nak",
    "DHCPDECLINE": "dhcp.failure",  # (the address found in use by the client's ARP check, RFC 2131 3.1.5)
}
ADDRESS_IN_USE = "address-in-use"  # the reason of a DHCPDECLINE's dhcp.failure (rule dhcp-address-conflict)
_DHCLIENT_DROPPED = re.compile(r":? no (unknown-\d{1,3}|[\w-]{1,40}) option\.")
LISTENING = re.compile(r"Listening on \w+/([\w.\-@]{1,24})/(" + _MAC + ")")
# BusyBox udhcpc: the message (after "udhcpc: "), the event it gives (None: understood, no event)
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
UDHCPC_MESSAGES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"(?i)(?:broadcasting|sending) discover"), "dhcp.discover"),
    (
        re.compile(
            r"(?i)(?:broadcasting|sending) select for (?P<ip>"
            + _IPV4
            + r")(?:, server (?P<server>"
            + _IPV4
            + r"))?"
        ),
        "dhcp.request",
    ),
    (
        re.compile(r"(?i)lease of (?P<ip>" + _IPV4 + r") obtained(?: from (?P<server>" + _IPV4 + r"))?"),
        "dhcp.ack",
    ),
    (re.compile(r"(?i)received DHCP NAK"), "dhcp.nak"),
    (re.compile(r"(?i)no lease, (?:failing|forking to background)"), "dhcp.failure"),
    (
        re.compile(
            r"(?i)(?:started, v\d|(?:broadcasting|sending) (?:renew|release)|entering (?:released|listen) state"
            r"|performing DHCP renew|unicasting a release)"
        ),
        None,
    ),
)
_BOUND = re.compile(r"bound to (\d{1,3}(?:\.\d{1,3}){3})")
# dhcpcd (src/dhcp.c, dhcpcd.c, ipv4ll.c, ipv6nd.c, dhcp6.c), after "<iface>: ": phrase -> (kind, reason).
# The lease's steps, its failures (no answer: a link-local IPv4LL address instead, an expired lease, the last
# lease kept for want of a server), and its routine messages, read with no event ("").
DHCPCD_PHRASES: tuple[tuple[str, str, str | None], ...] = (
    ("soliciting a DHCP lease", "dhcp.discover", None),
    # (debug) each packet: the first DISCOVER is the one "soliciting a DHCP lease" said
    ("sending DISCOVER ", "dhcp.discover", None),
    ("sending REQUEST ", "dhcp.request", None),
    ("sending ", "", None),  # INFORM, RELEASE, DECLINE
    ("offered ", "dhcp.offer", None),
    ("leased ", "dhcp.ack", None),
    ("NAK:", "dhcp.nak", None),
    ("using IPv4LL address", "dhcp.failure", "dhcp-no-offer"),
    ("DHCP lease expired", "dhcp.failure", "lease expired"),
    ("timed out contacting a DHCP server", "dhcp.failure", "dhcp-server-timeout"),
    ("carrier acquired", "", None),
    ("carrier lost", "", None),
    ("carrier unknown", "", None),
    ("waiting for carrier", "", None),
    ("connected to Access Point", "", None),
    ("IAID ", "", None),
    ("IA type ", "", None),
    ("rebinding lease of ", "", None),
    ("renewing lease of ", "", None),
    ("releasing lease of ", "", None),
    ("probing address ", "", None),
    ("probing for an IPv4LL address", "", None),
    ("failed to acquire an IPv4LL address", "", None),
    ("soliciting a DHCPv6 lease", "", None),
    ("soliciting an IPv6 router", "", None),
    ("Router Advertisement from ", "", None),
    ("requesting DHCPv6 information", "", None),
    ("no IPv6 Routers available", "", None),
    ("adding default route", "", None),
    ("adding route to ", "", None),
    ("deleting default route", "", None),
    ("deleting route to ", "", None),
    ("changing route to ", "", None),
    ("adding address ", "", None),
    ("deleting address ", "", None),
    ("removing interface", "", None),
    ("using static address ", "", None),
    ("selected profile ", "", None),
    ("reading lease", "", None),
    ("writing lease", "", None),
    ("discarding expired lease", "", None),
    ("acknowledged ", "", None),  # (debug; "leased" follows)
    ("spawned ", "", None),
    ("process BPF ", "", None),
    ("probing for ", "", None),
    ("ARP probing ", "", None),
    ("ARP announcing ", "", None),
    ("DAD completed ", "", None),
    ("executing", "", None),
    ("renew in ", "", None),
    ("expire in ", "", None),
    ("delaying IPv", "", None),
    ("using ClientID ", "", None),
    ("using hwaddr ", "", None),
    ("adding IP address ", "", None),
    ("deleting IP address ", "", None),
    ("adding host route ", "", None),
    ("interface added", "", None),
    ("interface updated", "", None),
    ("waiting for an ", "", None),
)
DHCPCD_STARTS = tuple(p for p, _, _ in DHCPCD_PHRASES)
# Circle's DHCP client (bare-metal Raspberry Pi, lib/net/dhcpclient.cpp; it logs as "dhcp"): phrase ->
# (kind, reason).  "No response from server. Retrying." ends each of its four tries (4, 8, 16, 32 s) of a
# DISCOVER or a REQUEST; "Did not receive ..." ends the last.
CIRCLE_DHCP_PHRASES = (
    ("No response from server", "dhcp.discover", None),
    ("Did not receive OFFER", "dhcp.failure", "dhcp-no-offer"),
    ("Did not receive ACK or NAK", "dhcp.failure", "dhcp-no-ack"),
    ("REQUEST rejected with NAK", "dhcp.nak", None),
    ("IP address is ", "dhcp.ack", None),
    ("Lease expired", "dhcp.failure", "lease expired"),
)
CIRCLE_DHCP_STARTS = tuple(p for p, _, _ in CIRCLE_DHCP_PHRASES)
# Zephyr RTOS (nRF70 and other boards): its DHCPv4 client's lease ("<inf> net_dhcpv4: Received: 192.168.1.6",
# subsys/net/lib/dhcpv4), and the Wi-Fi status block its shell and samples print ("sta: BSSID: ..."), whose
# facts wpa_supplicant's own lines tell as events
ZEPHYR_DHCP_MODULE = "net_dhcpv4"
ZEPHYR_STATUS_FIELDS = (
    "Status: ",
    "State: ",
    "Interface Mode: ",
    "Link Mode: ",
    "Link mode: ",
    "SSID: ",
    "BSSID: ",
    "Band: ",
    "Channel: ",
    "Security: ",
    "MFP: ",
    "RSSI: ",
    "Beacon Interval: ",
    "DTIM: ",
    "TWT: ",
    "MAC: ",
    "Station connected: ",
    "Station disconnected: ",
)
# iwd: "4-Way handshake failed for ifindex: 3, reason: 15",
# "Received Deauthentication event, reason: 2, from_ap: true"
# iwd's EAP layer (src/eap.c): the server's method and the profile's ("... while client had no method
# configured" when the profile has none)
_IWD_EAP_METHOD = re.compile(
    r"EAP server tried method (\d{1,3}) while client (?:was configured for method (\d{1,3})|had no method)"
)
_IWD_4WAY = re.compile(r"4-Way handshake failed for ifindex: \d+, reason: (\d+)")
_IWD_DEAUTH = re.compile(r"Received Deauthentication event, reason: (\d+), from_ap: (true|false)")
# iwd's notices (iwd_notice(), "event: <name>, <details>"): its state changes, what it connects to, and its
# failures ("event: authentication-timeout,", "event: connect-failed, status: 1")
_IWD_EVENT = re.compile(r"event: ([a-z-]{1,40}),\s?(.{0,400})$")
_IWD_STATE = re.compile(
    r"old: ([a-z_-]{1,30}(?: \([a-z]{1,20}\))?), new: ([a-z_-]{1,30}(?: \([a-z]{1,20}\))?)"
)
_IWD_BSS = re.compile(r"\bbss(?:id)?: (" + _MAC + r")")
_IWD_SSID = re.compile(r"^ssid: (.{1,64}?), bss: ")
_IWD_STATUS = re.compile(r"status: (\d{1,5})")
_IWD_DEBUG = re.compile(r"src/[\w-]{1,40}\.c:\w{1,80}\(\)")
# 802.11 status codes of a refused authentication (the rest refuse the association): 13-16 shared key and
# sequence, 72 and 76-77 SAE (group, anti-clogging, finite cyclic group), 123-126 SAE hash-to-element
AUTH_STATUSES = frozenset((13, 14, 15, 16, 72, 76, 77, 123, 126))
# connman's service states (src/service.c): "Interface wlan0 [ wifi ] state is configuration"
_CONNMAN_STATE = re.compile(r"Interface (\S{1,24}) \[ wifi \] state is ([a-z]{1,20})")
_CONNMAN_ADDRESS = re.compile(r"(\S{1,24}) \{add\} address (\d{1,3}(?:\.\d{1,3}){3})/\d{1,2}")
# brcmfmac's firmware SAE, the kernel's line: "brcmf_cfg80211_external_auth: External authentication failed:
# status=1"
_BRCMF_EXT_AUTH = re.compile(r"External authentication failed: status=(\d{1,5})")
# The DHCP server failing, in the router's own log (dnsmasq src/dhcp.c, src/rfc2131.c; OpenWrt procd):
# (phrase, what) - the station-less event dhcp.server_failure explains stations that connect and get no address
DHCP_SERVER_FAILURES = (
    ("no address range available for DHCP request", "no-address-range"),
    ("which has no address", "interface-without-address"),
    ("failed to bind DHCP server socket", "cannot-bind"),
    ("no free leases", "no-free-leases"),
)
# dnsmasq exiting at start (src/log.c die(): the reason at LOG_CRIT, also echoed on stderr as "dnsmasq: <reason>"
# after a blank line, then "FAILED to start up"; src/network.c, src/dhcp.c): on a dnsmasq line only, as
# other daemons word their own failures alike.  (phrase, what)
DNSMASQ_EXITS = (
    ("FAILED to start up", "failed-to-start"),
    ("failed to create listening socket", "cannot-listen"),
    ("failed to bind DHCP server socket", "cannot-bind"),
    ("cannot create DHCP socket", "cannot-bind"),
    ("failed to bind server socket", "cannot-listen"),
)
DNSMASQ_EXIT_PHRASES = tuple(phrase for phrase, _ in DNSMASQ_EXITS)
# what of a dhcp.server_failure that means the server is not running at all (it exited, or procd gave up
# restarting it): no station gets an address from it afterwards
SERVER_GONE = frozenset({"failed-to-start", "cannot-listen", "cannot-bind", "crash-loop"})
_CRASH_LOOP = re.compile(r"Instance (dnsmasq|odhcpd|dhcpd)\S* s in a crash loop")
# ISC dhcpd (the server): "DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff (host) via eth1",
# "DHCPDISCOVER from aa:bb:cc:dd:ee:ff via eth1: network 10.0.0.0/24: no free leases"
ISC_DHCPD = re.compile(
    r"(DHCP(?:DISCOVER|OFFER|REQUEST|ACK|NAK))(?: (?:on|for) (\d{1,3}(?:\.\d{1,3}){3})(?: \(\S+\))?)?"
    r" (?:from|to) (" + _MAC + r")(?: \([^)]*\))? via (\S+)"
)
_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


class ClientLogs:
    """Handlers for a Linux client's kernel, NetworkManager and DHCP client lines (see the module text)."""

    iface: str | None
    handled: bool
    time: float | None
    dhcp_iface: str | None
    connected_iface: str | None  # wpa_supplicant's interface that connected last
    told_reject: tuple[int, str | None, int] | None  # (line, AP, status) of the kernel's last refusal
    dhcpcd_soliciting: bool  # dhcpcd said "soliciting a DHCP lease": its next "sending DISCOVER" is that one
    iwd_ssid: str | None  # the SSID iwd's last connect-info named
    iwd_failed: bool  # iwd said its connection failed (a timeout): the connect-failed after it is the same
    link_failed: bool  # the client's link failed since its last connect began (a link-local address follows)
    nm_supplicant: dict[str, str]  # NetworkManager's device -> its supplicant's last state of an attempt
    nm_dhcp_waiting: set[str]  # NetworkManager's devices whose DHCP transaction has no lease yet
    prefix: Prefix
    guessed_times: int
    number: int
    borrowed_line: int
    realtek_eapol: int  # EAPOL frames of the attempt a Realtek driver told (1 received, 2 sent)

    def prefix_guessed(self) -> bool:  # pragma: no cover
        raise NotImplementedError

    def names_interfaces(self) -> bool:  # pragma: no cover
        raise NotImplementedError

    def driver_connecting(self, station: str) -> bool:  # pragma: no cover
        raise NotImplementedError

    def problem(self, message: str) -> None:  # pragma: no cover
        raise NotImplementedError

    # provided by the parser's pass
    def emit(self, kind: str, station: str, message: str, **kw: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def end(self, station: str, kind: str, message: str, *, by: str, reason: int | None, **kw: Any) -> None:
        raise NotImplementedError  # pragma: no cover

    def local_station(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def set_bssid(self, bssid: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def set_own(self, iface: str, mac: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def new_exchange_of(self, station: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def iface_bssid(self) -> str | None:  # pragma: no cover
        raise NotImplementedError

    def is_known_station(self, mac: str) -> bool:  # pragma: no cover
        raise NotImplementedError

    def only_iface(self) -> str | None:  # pragma: no cover
        raise NotImplementedError

    # ---- kernel mac80211 -------------------------------------------------------------------------------
    def mac80211(self, body: str) -> None:
        """The kernel's own account of a client's authentication and association (mac80211)."""
        peer = MAC80211_PEER.match(body)
        what = body[peer.start(1) :] if peer is not None else body
        phrase, kind = next((p, k) for p, k in MAC80211_PHRASES if what.startswith(p))
        self.handled = True
        if not kind or (kind in ("auth.timeout", "assoc.failure") and "timed out" not in body):
            return
        # the AP's address right after the phrase (a poster's masked letters too, "28:80:xx:yy:zz:6e"), else
        # the first address of the line that is not the client's own "(local address=...)"
        named = _PEER_TOKEN.match(what, len(phrase))
        m = named or _MAC_RE.search(body.split(" (local address=", 1)[0])
        if peer is not None:
            bssid: str | None = normalize_mac(body[: peer.start(1) - 1])
        else:
            bssid = normalize_mac(m.group()) if m else self.iface_bssid()
        if bssid and kind in ("auth.request", "assoc.request"):
            self.set_bssid(bssid)
        if kind == "auth.request" and self.iface is not None:
            # (kernels since 6.x: "authenticate with <bssid> (local address=<own>)", the client's own MAC)
            own = _LOCAL_ADDRESS.search(body)
            if own is not None:
                self.set_own(self.iface, normalize_mac(own.group(1)))
        station = self.local_station()
        d = "mac80211"
        if kind == "auth.request":
            self.new_exchange_of(station)
            self.emit(kind, station, body, daemon=d, bssid=bssid, seen_by="sta")
        elif kind in ("assoc.response", "auth.reject", "assoc.reject"):
            st = _STATUS.search(body)
            status = int(st.group(1)) if st else 0
            if status and kind == "assoc.response":
                kind = "assoc.reject"
            elif kind == "assoc.reject":
                if not status:
                    return  # (a refusal names its code; without one the line is not this message)
                if self.told_reject == (self.number - 1, bssid, status):
                    return  # ("RX AssocResp ... status=31" said it a line before: one refusal)
            if kind == "assoc.reject":
                self.told_reject = (self.number, bssid, status)
            self.emit(kind, station, body, daemon=d, bssid=bssid, status=status or None)
        elif kind == "assoc.failure":
            self.emit(kind, station, body, daemon=d, bssid=bssid, reason="assoc-timeout")
        elif kind == "auth.local_failure":
            err = _ERROR.search(body)
            self.emit(
                kind,
                station,
                body,
                daemon=d,
                bssid=bssid,
                what="sta-entry",
                error=err.group(1) if err else None,
            )
        elif kind in ("sta.deauth", "sta.disassoc"):
            reason: int | None
            if body.startswith("Connection to AP"):
                by, reason = "sta", 4  # beacon loss: the client gives up on the AP
            else:
                r = _REASON.search(body)
                by = "sta" if body.startswith(("deauthenticating", "disassociating")) else "ap"
                reason = int(r.group(1)) if r else None
            self.end(station, kind, body, by=by, reason=reason, daemon=d, bssid=bssid)
        else:
            self.emit(kind, station, body, daemon=d, bssid=bssid)

    # ---- Realtek vendor drivers ------------------------------------------------------------------------
    def realtek(self, body: str) -> bool:
        """A Realtek vendor driver's line (REALTEK_PHRASES); whether it was one of them."""
        pm = REALTEK_PREFIX.match(body)
        what = body[pm.end() :] if pm is not None else body
        kind = next((k for p, k in REALTEK_PHRASES if what.startswith(p)), None)
        if kind is None:
            return False
        self.handled = True
        d = "client-driver"  # (a client's driver: its advice is the Linux client's; as an AP, "driver")
        if self.iface is None:  # (most of its lines name no interface: the one the log names, if one)
            self.iface = self.only_iface()
        if what.startswith(("set bssid:", "set BSSID:")):
            m = _REALTEK_BSSID.match(what)
            if m is not None and m.group(1) != "00:00:00:00:00:00":
                self.set_bssid(normalize_mac(m.group(1)))
            return True
        if not kind:
            return True
        if kind in ("sta.disassoc", "sta.deauth") and what[:3] in ("sta", "ap "):
            o = _REALTEK_RECV.match(what)
            if o is None:
                return True
            reason, peer = int(o.group(2) or o.group(3)), normalize_mac(o.group(4))
            if o.group(1) == "ap":  # (the driver of an AP: the peer is a station it served)
                self.end(peer, kind, body, by="sta", reason=reason, daemon="driver")
            else:
                self.end(self.local_station(), kind, body, by="ap", reason=reason, daemon=d, bssid=peer)
            return True
        if kind in ("sta.disassoc", "sta.deauth"):
            m = _REALTEK_END.match(what)
            if m is None:
                return True
            self.iface = m.group(1)
            peer, reason = normalize_mac(m.group(3)), int(m.group(2))
            if self.is_known_station(peer):  # (the driver of an AP: the peer is a station it served)
                self.end(peer, kind, body, by="sta", reason=reason, daemon="driver")
            else:
                self.end(self.local_station(), kind, body, by="ap", reason=reason, daemon=d, bssid=peer)
            return True
        station = self.local_station()
        bssid = self.iface_bssid()
        if kind == "auth.request":
            self.realtek_eapol = 0
            to = _REALTEK_AUTH_TO.match(what)
            if to is not None:  # (Ameba's "start auth to <BSSID>")
                bssid = normalize_mac(to.group(1))
                self.set_bssid(bssid)
            if self.driver_connecting(station):
                return True  # (the connect wpa_supplicant asked for: its attempt is open already)
            self.new_exchange_of(station)
            self.emit(kind, station, body, daemon=d, bssid=bssid, seen_by="sta")
        elif kind == "dhcp.ack":
            ip = _REALTEK_GOT_IP.match(what)
            self.emit(kind, station, body, daemon=d, bssid=bssid, ip=ip.group(1) if ip else None)
        elif kind.startswith("eapol."):
            # the first frame each way of an attempt; later ones (retries, group key) tell nothing new
            bit = 1 if kind == "eapol.m1.sent" else 2
            if not self.realtek_eapol & bit:
                self.realtek_eapol |= bit
                self.emit(kind, station, body, daemon=d, bssid=bssid, what="eapol-frame")
        else:
            self.emit(kind, station, body, daemon=d, bssid=bssid)
        return True

    # ---- MediaTek vendor drivers -----------------------------------------------------------------------
    def wifi_log(self, body: str) -> bool:
        """A Xiaomi stock router's driver step (``WIFI_LOG_STEPS``), about the station it names; a step the
        table does not know is said as not understood."""
        m = _WIFI_LOG.search(body)
        if m is None:
            a = _WIFI_ASSOC.search(body)
            if a is not None:
                self.handled = True
                code = int(a.group(3))
                self.emit(
                    "assoc.reject" if code else "assoc.response",
                    normalize_mac(a.group(1)),
                    body,
                    daemon="driver",
                    status=code or None,
                    rssi=int(a.group(2)),
                )
                return True
            if _WIFI_LOG_ECHO.search(body):
                self.handled = True  # (the same step as its wifi_log line)
                return True
            return False
        step = WIFI_LOG_STEPS.get(m.group(1).strip())
        fields = dict(_WIFI_LOG_FIELD.findall(m.group(2)))
        station = fields.get("sta_mac", "")
        if step is None or not _MAC_RE.fullmatch(station):
            return False
        kind = step
        self.handled = True
        if not kind:
            return True
        status = as_int(fields.get("status"), 5, signed=False)
        if status and kind in ("auth.response", "assoc.response"):
            kind = "auth.reject" if kind == "auth.response" else "assoc.reject"
        bssid = fields.get("bssid")
        rssi = as_int(fields.get("rssi"), 4)
        self.emit(
            kind,
            normalize_mac(station),
            body,
            daemon="driver",
            bssid=normalize_mac(bssid) if bssid and _MAC_RE.fullmatch(bssid) else None,
            status=status,
            rssi=rssi,
            iface=fields.get("if"),
        )
        return True

    def mediatek_auth(self, body: str) -> bool:
        """A MediaTek driver (gen4 saa_fsm.c "Report RX auth to upper layer with alg:%d, SN:%d, status:%d";
        the older mt_wifi/rlt "APCLI AUTH - Report RX AUTH to upper layer ..."): the AP's authentication
        answer to this client; a status other than 0 is a refusal (77 with SAE: group not supported)."""
        m = _MEDIATEK_AUTH.search(body)
        if m is None:
            return False
        self.handled = True
        alg, seq, status = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if self.iface is None:
            self.iface = self.only_iface()
        station = self.local_station()
        d = "client-driver"
        if status:
            self.emit("auth.reject", station, body, daemon=d, status=status, auth_alg=alg, auth_seq=seq)
        else:
            self.emit("auth.response", station, body, daemon=d, auth_alg=alg, auth_seq=seq)
        return True

    # ---- NetworkManager --------------------------------------------------------------------------------
    def network_manager(self, body: str) -> None:
        m = _NM.match(body)
        if m is None:
            return
        if m.group(2) is not None:
            nm_time = float(m.group(2))  # NetworkManager's own stamp: UTC, to the 0.1 ms, with the year
            if not in_range(nm_time):
                self.problem(STAMP_PROBLEM)
                if self.time is None:
                    self.borrowed_line = self.number
            elif self.time is not None:
                # the line's prefix dates the file's other lines (in their zone, with their guessed year):
                # NetworkManager's stamp would set its lines hours or years apart from the supplicant's
                # beside them.  Only its fraction is taken, where both agree on the second of the minute
                # (zones differ by quarter hours).
                if self.time == int(self.time) and int(nm_time) % 60 == int(self.time) % 60:
                    self.time += nm_time % 1
            else:
                self.time = nm_time
        what, iface, text = m.group(3), m.group(4), m.group(5)
        if what == "Activation" and iface:  # (0.8 / 0.9: "Activation (wlan0/wireless): ...")
            what, iface = "device", iface.split("/", 1)[0]
        elif what is None and (dev := _NM_OLD_DEVICE.match(text)) is not None:  # (0.8: "(wlan0): ...")
            what, iface, text = "device", dev.group(1), text[dev.end() :]
        elif what is None and text.startswith("Activation (") and ") failed" in text:
            self.handled = (
                True  # (0.8: "Activation (wlan0) failed for access point (x)": the reason came first)
            )
            return
        elif what is None and (act := _NM_OLD_ACTIVATION.match(text)) is not None:
            what, iface, text = "device", act.group(1), act.group(2)
        if what == "device" and text.startswith(("DHCPv4 ", "DHCPv6 ", "Beginning DHCP", "canceled DHCP")):
            what = "dhcp4"  # (0.8 / 0.9 name the device, not its DHCP client: "(wlan0): DHCPv4 request ...")
        elif what == "device" and text.startswith("device state change: "):
            text = text[7:]  # (0.8 / 0.9: "(wlan0): device state change: config -> need-auth ...")
        if what is None and text.startswith("sup-iface["):
            # its supplicant interface's own report of a disconnect the supplicant's line tells ("connection
            # disconnected (reason -4)": the reason, negative when locally generated)
            self.handled = True
            return
        if what is None and text.startswith(_NM_OWN):
            self.handled = True  # the daemon's own state, not a station's
            return
        if what not in ("device", "dhcp4", "dhcp6") or not iface:
            return
        self.iface = iface
        station = self.local_station()
        d = "NetworkManager"
        if what.startswith("dhcp"):
            self.handled = True
            # (a lease: "new lease", "state changed bound" / "unknown -> bound", renewed: "extended")
            if (
                "new lease" in text
                or "state changed bound" in text
                or "-> bound" in text
                or "state changed extended" in text
                or "-> extended" in text
                or text.startswith("address ")
            ):
                a = _NM_ADDRESS.search(text)
                self.nm_dhcp_waiting.discard(iface)
                self.emit("dhcp.ack", station, text, daemon=d, ip=a.group(1) if a else None)
            elif "beginning transaction" in text or text.startswith("Beginning DHCP"):
                if len(self.nm_dhcp_waiting) > 64:
                    self.nm_dhcp_waiting.clear()
                self.nm_dhcp_waiting.add(iface)
                self.emit("dhcp.discover", station, text, daemon=d)
            elif "timed out" in text or "state changed timeout" in text or "state changed fail" in text:
                self.nm_dhcp_waiting.discard(iface)
                self.emit(
                    "dhcp.failure", station, text, daemon=d, reason="dhcp-server-timeout", what=text[:80]
                )
            elif "canceled DHCP transaction" in text:
                self.nm_dhcp_waiting.discard(iface)
            return
        s = _NM_STATE.match(text)
        if s is None and (numbered := _NM_STATE_NUMBERS.match(text)) is not None:
            self.handled = True
            was, now, why = (int(x) for x in numbered.groups())
            if was >= len(_NM_OLD_STATES) or now >= len(_NM_OLD_STATES):
                return  # (a number no release of that form had)
            old, new = _NM_OLD_STATES[was], _NM_OLD_STATES[now]
            reason = NM_REASONS[why] if why < len(NM_REASONS) else f"reason {why}"
        elif s is not None:
            self.handled = True
            old, new, reason = s.groups()
        else:
            old = new = reason = ""
        if new:
            if new == "ip-config":
                # associated (and keyed): the device waits for its address, the stage a log that ends
                # here stopped at (nm-device.c NM_DEVICE_STATE_IP_CONFIG)
                self.emit("ip.configuring", station, text, daemon=d)
            elif new == "failed":
                kind, stage = NM_FAILURE.get(reason, ("online_fail.record", Stage.ASSOCIATION))
                attrs: dict[str, Any] = {"reason": reason, "nm_state": old}
                if kind == "key.mismatch.summary" and self.nm_supplicant.get(iface) not in KEY_STATES:
                    # no secrets after the supplicant never reached the key exchange: NetworkManager asks
                    # for new secrets when its supplicant times out, whatever the stage (nm-device-wifi.c)
                    kind, stage = "online_fail.record", Stage.ASSOCIATION
                    attrs["what"] = "supplicant-timeout"
                if kind == "key.mismatch.summary":
                    attrs["strength"] = "weak"  # NetworkManager asks again after any failed handshake
                if kind == "dhcp.failure":
                    attrs["reason"] = f"NetworkManager: {reason}"
                    if iface in self.nm_dhcp_waiting:
                        # the device gave up on its address while its DHCP transaction still had no lease
                        # (NetworkManager's internal client logs no offer at info level): no answer in time
                        attrs["reason"], attrs["nm_reason"] = "dhcp-server-timeout", reason
                        self.nm_dhcp_waiting.discard(iface)
                self.emit(kind, station, text, daemon=d, stage=stage, **attrs)
            return
        sup = _NM_SUPPLICANT.search(text)
        if sup is not None:
            self.handled = True
            old, new = (_NM_STATE_WORDS.get(x, x) for x in sup.groups())
            if len(self.nm_supplicant) > 64:
                self.nm_supplicant.clear()
            self.nm_supplicant[iface] = old if new == "disconnected" else new
            if old == "4way_handshake" and new in ("disconnected", "scanning", "inactive"):
                self.emit("handshake.failed", station, text, daemon=d, what="disconnected_in_4way")
            return
        if text.startswith("set-hw-addr:") and "not successfully" in text:
            # the MAC address (random or cloned) could not be set: the device cannot even start
            self.handled = True
            self.emit(
                "driver.request_failed",
                station,
                text,
                daemon=d,
                what="set-mac-address",
                stage=Stage.DISCOVERY,
            )
        elif text.startswith(("Activation: successful", "successful, device activated")):
            self.handled = True
            self.emit("sta.online", station, text, daemon=d)
        elif "Connected to wireless network" in text:
            self.handled = True
            n = _NM_SSID.search(text)
            self.emit("sta.connected", station, text, daemon=d, ssid=n.group(1) if n else None)
        elif "association took too long" in text:
            self.handled = True
            self.emit(
                "online_fail.record",
                station,
                text,
                daemon=d,
                stage=Stage.ASSOCIATION,
                reason=ASSOCIATION_TOO_LONG,
            )
        elif text.startswith(("Activation: (wifi)", "Activation: starting", "Activation: failed")):
            self.handled = True
        elif text.startswith("link timed out"):
            # (0.8 / 0.9: the supplicant lost the link and NetworkManager waited for it in vain)
            self.handled = True
            self.end(station, "sta.deauth", text, by="sta", reason=None, daemon=d, what="link-timed-out")
        elif text.startswith(("deactivating device", "no secrets:")):
            self.handled = True
        elif text.startswith((*_NM_OLD_STEPS, "supports ", "driver supports ")):
            self.handled = True  # (and a device's capabilities: "(eth1) supports 4 scan SSIDs")

    # ---- iwd -------------------------------------------------------------------------------------------
    def iwd(self, body: str) -> None:
        """iwd's journal lines (src/netdev.c, src/station.c); iwd names interfaces by index, not name."""
        station = self.local_station()
        m = _IWD_4WAY.match(body)
        if m is not None:
            self.handled = True
            self.emit(
                "handshake.failed", station, body, daemon="iwd", what="4way_failed", reason=int(m.group(1))
            )
            return
        m = _IWD_DEAUTH.match(body)
        if m is not None:
            self.handled = True
            by = "ap" if m.group(2) == "true" else "sta"
            self.end(station, "sta.deauth", body, by=by, reason=int(m.group(1)), daemon="iwd")
            return
        m = _IWD_EAP_METHOD.match(body)
        if m is not None:
            # the server proposed a method the profile is not set up for: iwd refuses it (an EAP-Nak)
            self.handled = True
            self.emit(
                "eap.method_refused",
                station,
                body,
                daemon="iwd",
                proposed=m.group(1),
                asked_for=m.group(2) or "none configured",
            )
            return
        if body.startswith("EAP completed with "):
            self.handled = True
            if body.startswith("EAP completed with eapFail"):
                self.emit("eap.failure", station, body, daemon="iwd")
            elif body.startswith("EAP completed with eapSuccess"):
                self.emit("eap.success", station, body, daemon="iwd")
            return
        if body.startswith(("CMD_SET_CQM failed", "Wiphy:", "Wiphy ")):
            self.handled = True
            return
        m = _IWD_EVENT.match(body)
        if m is not None:
            self.iwd_event(station, m.group(1), m.group(2))
        elif _IWD_DEBUG.match(body) or body.startswith(("Error loading ", "udev interface=")):
            self.handled = (
                True  # (its debug trace, "src/netdev.c:netdev_connect_common() ...", and profile notes)
            )

    def iwd_event(self, station: str, name: str, detail: str) -> None:
        """One of iwd's notices: the join's start and end from its state changes, the AP it picks, its
        failures; the rest (roaming scans, the driver's notes) read with no event."""
        self.handled = True
        d = "iwd"
        if name == "connect-info":
            b = _IWD_BSS.search(detail)
            if b is not None:
                self.set_bssid(normalize_mac(b.group(1)))
            ssid = _IWD_SSID.match(detail)
            if ssid is not None:
                self.iwd_ssid = ssid.group(1)
            return
        if name == "authentication-timeout":
            self.emit("auth.timeout", station, f"event: {name}, {detail}", daemon=d, ssid=self.iwd_ssid)
            self.iwd_failed = self.link_failed = True
            return
        if name == "connect-failed":
            st = _IWD_STATUS.search(detail)
            status = int(st.group(1)) if st else None
            if not self.iwd_failed:  # (an authentication timeout said it already)
                kind = "auth.reject" if status in AUTH_STATUSES else "assoc.reject"
                self.emit(
                    kind, station, f"event: {name}, {detail}", daemon=d, status=status, ssid=self.iwd_ssid
                )
            self.iwd_failed, self.link_failed = False, True
            return
        if name != "state":
            return
        m = _IWD_STATE.search(detail)
        if m is None:
            return
        old, new = m.group(1), m.group(2)
        line = f"event: {name}, {detail}"
        if new.startswith("connecting") and not old.startswith("connecting"):
            self.iwd_failed = self.link_failed = False
            self.new_exchange_of(station)
            self.emit("auth.request", station, line, daemon=d, ssid=self.iwd_ssid, seen_by="sta")
        elif new == "connecting (netconfig)":
            # the keys are in place; iwd's own network configuration (DHCP) begins
            self.emit("sta.connected", station, line, daemon=d, ssid=self.iwd_ssid)
            self.emit("ip.configuring", station, line, daemon=d, ssid=self.iwd_ssid)
        elif new == "connected" and old.startswith("connecting"):
            if old == "connecting (netconfig)":
                self.emit("dhcp.ack", station, line, daemon=d, ssid=self.iwd_ssid, what="netconfig")
            else:
                self.emit("sta.connected", station, line, daemon=d, ssid=self.iwd_ssid)

    # ---- connman -----------------------------------------------------------------------------------------
    def connman(self, body: str) -> None:
        """connmand's Wi-Fi service states and the addresses it adds (a link-local one: DHCP gave none)."""
        m = _CONNMAN_STATE.search(body)
        if m is not None:
            self.handled = True
            self.iface = self.iface or m.group(1)
            state = m.group(2)
            if state == "configuration":
                self.emit("ip.configuring", self.local_station(), body, daemon="connmand")
            elif state == "online":
                self.emit("sta.online", self.local_station(), body, daemon="connmand")
            return
        a = _CONNMAN_ADDRESS.search(body)
        if a is not None:
            self.handled = True
            self.iface = self.iface or a.group(1)
            ip = a.group(2)
            if ip.startswith("169.254.") and self.link_failed:
                return  # (the link itself failed: no DHCP could run, the address is no failure of its own)
            if ip.startswith("169.254."):
                self.emit(
                    "dhcp.failure",
                    self.local_station(),
                    body,
                    daemon="connmand",
                    ip=ip,
                    reason="dhcp-no-offer",
                )
            else:
                self.emit("dhcp.ack", self.local_station(), body, daemon="connmand", ip=ip)

    def brcmf_external_auth(self, body: str) -> bool:
        """brcmfmac's firmware doing SAE for the supplicant (external authentication) reports it failed."""
        m = _BRCMF_EXT_AUTH.search(body)
        if m is None:
            return False
        self.handled = True
        if self.iface is None:
            self.iface = self.only_iface()
        status = int(m.group(1))
        self.emit(
            "auth.reject",
            self.local_station(),
            body,
            daemon="client-driver",
            status=status,
            what="sae-external",
        )
        self.link_failed = True
        return True

    # ---- DHCP servers ------------------------------------------------------------------------------------
    def dhcp_server(self, body: str) -> bool:
        """The DHCP server failing as a whole (a station-less event), and ISC dhcpd's per-station lines."""
        for phrase, what in DHCP_SERVER_FAILURES:
            if phrase in body:
                self.handled = True
                m = ISC_DHCPD.search(body)
                if m is not None:  # ISC dhcpd names the station it could not serve
                    self.emit("dhcp.failure", normalize_mac(m.group(3)), body, daemon="dhcpd", reason=what)
                self.server_failure(body, what)
                return True
        c = _CRASH_LOOP.search(body)
        if c is not None:
            self.handled = True
            self.server_failure(body, "crash-loop", server=c.group(1))
            return True
        m = ISC_DHCPD.search(body)
        if m is not None:
            kind = _DHCLIENT_KIND.get(m.group(1))
            self.handled = True
            if kind is not None:
                station = normalize_mac(m.group(3))
                self.emit(
                    kind,
                    station,
                    body,
                    daemon="dhcpd",
                    ip=m.group(2),
                    dhcp_iface=m.group(4),
                    reason=ADDRESS_IN_USE if kind == "dhcp.failure" else None,
                )
            return True
        return False

    def dnsmasq_exit(self, body: str) -> bool:
        """dnsmasq giving up at start (``body``: the message of a dnsmasq line, or "dnsmasq: <reason>" as it
        echoes the reason on stderr, also when a wrapper logs that under its own name)."""
        for phrase, what in DNSMASQ_EXITS:
            if phrase in body:
                self.handled = True
                self.server_failure(body, what, server="dnsmasq")
                return True
        return False

    def server_failure(self, body: str, what: str, **attrs: object) -> None:
        self.emit(
            "dhcp.server_failure",
            "",
            body,
            daemon="dhcp-server",
            what=what,
            gone=what in SERVER_GONE,
            **attrs,
        )

    # ---- DHCP clients ----------------------------------------------------------------------------------
    def zephyr_module(self, module: str, body: str) -> bool:
        """A Zephyr line of a module other than wpa_supplicant's: its DHCP client's lease, or the Wi-Fi
        status block (read with no event); False for the rest."""
        if module == ZEPHYR_DHCP_MODULE and body.startswith("Received: "):
            ip = _IP.search(body)
            self.handled = True
            self.emit(
                "dhcp.ack", self.local_station(), body, daemon="zephyr-dhcp", ip=ip.group() if ip else None
            )
            return True
        if body.startswith(ZEPHYR_STATUS_FIELDS):
            self.handled = True
            return True
        return False

    def circle_dhcp(self, body: str) -> bool:
        """Circle's DHCP client ("dhcp: No response from server. Retrying."); False for its other lines."""
        for phrase, kind, reason in CIRCLE_DHCP_PHRASES:
            if body.startswith(phrase):
                self.handled = True
                ip = _IP.search(body) if kind == "dhcp.ack" else None
                attrs: dict[str, object] = {"reason": reason} if reason else {}
                if kind == "dhcp.discover":
                    attrs["answered"] = False  # (a try that timed out: asked, and nothing came back)
                self.emit(
                    kind,
                    self.local_station(),
                    body,
                    daemon="circle-dhcp",
                    ip=ip.group() if ip else None,
                    **attrs,
                )
                return True
        return False

    def udhcpc(self, body: str) -> bool:
        """BusyBox's DHCP client (networking/udhcp/dhcpc.c), as OpenWrt's netifd relays it ("netifd:
        wwan (1981): udhcpc: lease of A obtained from S, lease time N") or under its own tag; older releases
        word it "Sending discover...", "Lease of A obtained, lease time N"."""
        at = body.find("udhcpc: ")
        text = body[at + 8 :] if at >= 0 else body
        for pattern, kind in UDHCPC_MESSAGES:
            m = pattern.match(text)
            if m is None:
                continue
            self.handled = True
            if kind is None:
                return True
            if self.iface is None:
                # (netifd names its logical interface, not the Wi-Fi one: the client that connected last;
                # before any connected, in a log of named Wi-Fi interfaces, it is no station's yet)
                self.iface = self.connected_iface
                if self.iface is None and self.names_interfaces():
                    return True
            groups = m.groupdict()
            attrs = {k: v for k, v in groups.items() if v}
            if kind == "dhcp.failure":
                attrs["reason"] = "no lease"
            self.emit(kind, self.local_station(), body, daemon="udhcpc", **attrs)
            return True
        return False

    def dhcp_client(self, body: str) -> bool:
        """ISC dhclient and dhcpcd lines; False when the line is neither."""
        m = DHCLIENT.match(body, body.find("DHCP")) if "DHCP" in body else None
        if m is not None and (m.group(3) or m.group(4) or m.group(2)):
            if m.group(3):
                self.dhcp_iface = m.group(3)
            self.iface = self.iface or self.dhcp_iface
            kind = _DHCLIENT_KIND.get(m.group(1))
            self.handled = True
            if kind is not None:
                # dhcpoffer(): an offer without an option the client's `require` statement names is
                # dropped ("DHCPOFFER from 192.168.1.1: no broadcast-address option."): no REQUEST follows
                dropped = _DHCLIENT_DROPPED.match(body, m.end()) if kind == "dhcp.offer" else None
                self.emit(
                    kind,
                    self.local_station(),
                    body,
                    daemon="dhclient",
                    ip=m.group(2),
                    server=m.group(4).rstrip(":") if m.group(4) else None,
                    reason=ADDRESS_IN_USE if kind == "dhcp.failure" else None,
                    dropped=True if dropped else None,
                    missing_option=dropped.group(1) if dropped else None,
                )
            return True
        if body.startswith("Listening on "):
            ls = LISTENING.match(body)
            if ls is not None:
                self.dhcp_iface = ls.group(1)
                self.set_own(ls.group(1), normalize_mac(ls.group(2)))
                self.handled = True
            return ls is not None
        if body.startswith("bound to "):
            b = _BOUND.match(body)
            self.handled = b is not None
            return b is not None
        if body.startswith("No DHCPOFFERS received"):
            self.iface = self.iface or self.dhcp_iface
            self.handled = True
            self.emit("dhcp.failure", self.local_station(), body, daemon="dhclient", reason="dhcp-no-offer")
            return True
        if "udhcpc" in body[:80] or (self.prefix.tag or "").startswith("udhcpc"):
            return self.udhcpc(body)
        if self.iface is not None and body.startswith(DHCPCD_STARTS):
            kind, reason = next((k, r) for p, k, r in DHCPCD_PHRASES if body.startswith(p))
            self.handled = True
            if kind == "dhcp.discover":
                first = self.dhcpcd_soliciting and body.startswith("sending ")
                self.dhcpcd_soliciting = body.startswith("soliciting ")
                if first:
                    return True  # (the DISCOVER "soliciting a DHCP lease" already said)
            if kind:
                ip = _IP.search(body)
                self.emit(
                    kind,
                    self.local_station(),
                    body,
                    daemon="dhcpcd",
                    ip=ip.group() if ip else None,
                    reason=reason,
                )
            return True
        return False
