"""Names of the IEEE 802.11 status codes (authentication/association responses) and reason codes
(deauthentication/disassociation).

Numbers follow IEEE Std 802.11-2020 tables 9-50 (status) and 9-49 (reason), as listed in hostapd's
``src/common/ieee802_11_defs.h`` (BSD licence; identifiers shown in the comments so that logs using them
can be matched).  Unassigned numbers get a generic name rather than a KeyError.
"""

from __future__ import annotations

STATUS_CODES: dict[int, str] = {
    0: "Successful",
    1: "Unspecified failure",  # WLAN_STATUS_UNSPECIFIED_FAILURE
    2: "TDLS wakeup schedule rejected, alternative provided",
    3: "TDLS wakeup schedule rejected",
    5: "Security disabled",
    6: "Unacceptable lifetime",
    7: "Not in the same BSS",
    10: "Cannot support all requested capabilities",  # WLAN_STATUS_CAPS_UNSUPPORTED
    11: "Reassociation denied: association cannot be confirmed",  # WLAN_STATUS_REASSOC_NO_ASSOC
    12: "Association denied for a reason outside the standard",  # WLAN_STATUS_ASSOC_DENIED_UNSPEC
    13: "Authentication algorithm not supported",  # WLAN_STATUS_NOT_SUPPORTED_AUTH_ALG
    14: "Authentication transaction sequence number out of order",
    15: "Authentication rejected: challenge failure",  # WLAN_STATUS_CHALLENGE_FAIL
    16: "Authentication rejected: timeout waiting for the next frame",  # WLAN_STATUS_AUTH_TIMEOUT
    17: "AP cannot handle more associated stations",  # WLAN_STATUS_AP_UNABLE_TO_HANDLE_NEW_STA
    18: "Basic rate set not supported by the station",  # WLAN_STATUS_ASSOC_DENIED_RATES
    19: "Short preamble not supported by the station",
    22: "Spectrum management required",
    23: "Power capability element unacceptable",
    24: "Supported channels element unacceptable",
    25: "Short slot time not supported",
    27: "HT features not supported",
    28: "R0KH unreachable",
    29: "PCO transition time not supported",
    30: "Association rejected temporarily; try again later (PMF SA Query)",  # ..._REJECTED_TEMPORARILY
    31: "Robust management frame policy violation",  # WLAN_STATUS_ROBUST_MGMT_FRAME_POLICY_VIOLATION
    32: "Unspecified QoS failure",
    33: "Denied: insufficient bandwidth for the QoS request",
    34: "Denied: poor channel conditions",
    35: "Denied: QoS not supported",
    37: "Request declined",
    38: "Invalid parameters",
    39: "Rejected with suggested changes",
    40: "Invalid element",  # WLAN_STATUS_INVALID_IE
    41: "Invalid group cipher",
    42: "Invalid pairwise cipher",
    43: "Invalid AKMP",
    44: "Unsupported RSNE version",
    45: "Invalid RSNE capabilities",
    46: "Cipher suite rejected by security policy",
    47: "TS not created",
    48: "Direct link not allowed in the BSS",
    49: "Destination station not present",
    50: "Destination station not a QoS station",
    51: "Listen interval too large",
    52: "Invalid FT action frame count",
    53: "Invalid PMKID",  # WLAN_STATUS_INVALID_PMKID
    54: "Invalid MDE",
    55: "Invalid FTE",
    56: "Requested TCLAS not supported",
    57: "Insufficient TCLAS processing resources",
    58: "Try another BSS",
    59: "GAS advertisement protocol not supported",
    60: "No outstanding GAS request",
    61: "GAS response not received from the advertisement server",
    62: "Timed out waiting for the GAS response",
    63: "GAS response larger than the limit",
    64: "Request refused by the home network",
    65: "Advertisement server unreachable",
    67: "Request refused by the SSPN",
    68: "Request refused: unauthenticated access not supported",
    72: "Invalid RSNE",  # WLAN_STATUS_INVALID_RSNIE
    73: "U-APSD coexistence not supported",
    74: "Requested U-APSD coexistence mode not supported",
    75: "Bad interval with U-APSD coexistence",
    76: "Anti-clogging token required (SAE)",  # WLAN_STATUS_ANTI_CLOGGING_TOKEN_REQ
    77: "Finite cyclic group not supported (SAE)",  # WLAN_STATUS_FINITE_CYCLIC_GROUP_NOT_SUPPORTED
    78: "Cannot find an alternative TBTT",
    79: "Transmission failure",
    80: "Requested TCLAS not supported",
    81: "TCLAS resources exhausted",
    82: "Rejected with suggested BSS transition",
    83: "Rejected with schedule",
    84: "Rejected: no wakeup specified",
    85: "Success, power save mode",
    86: "Pending admitting FST session",
    87: "Performing FST now",
    88: "Pending gap in BA window",
    89: "Rejected U-PID setting",
    92: "Refused for an external reason",
    93: "Refused: AP out of memory",
    94: "Rejected: emergency services not supported",
    95: "Query response outstanding",
    96: "Rejected: DSE band",
    97: "TCLAS processing terminated",
    98: "TS schedule conflict",
    99: "Denied with suggested band and channel",
    100: "MCCAOP reservation conflict",
    101: "MAF limit exceeded",
    102: "MCCA track limit exceeded",
    103: "Denied due to spectrum management",
    104: "VHT features not supported",
    105: "Enablement denied",
    106: "Restriction from an authorized GDB",
    107: "Authorization deenabled",
    112: "FILS authentication failure",
    113: "Unknown authentication server",
    123: "Unknown password identifier (SAE)",
    124: "HE features not supported",
    126: "SAE hash-to-element",  # WLAN_STATUS_SAE_HASH_TO_ELEMENT (H2E commit)
    127: "SAE-PK",
    130: "Denied: station affiliated with an MLD with an existing association",
    131: "EPCS denied: unauthorized",
    132: "EPCS denied",
    133: "Denied: TID-to-link mapping",
    134: "Preferred TID-to-link mapping suggested",
    135: "EHT features not supported",
    136: "Invalid public key",
    137: "PASN base AKMP failed",
    138: "OCI mismatch",
    139: "Denied: TX link not accepted",
    140: "EPCS denied: verification failure",
    141: "Denied: operation parameter update",
    152: "IEEE 802.1X authentication failed",
    153: "IEEE 802.1X authentication succeeded",
    154: "Rejected: seamless transition preparation limit exceeded",
    155: "Rejected: seamless transition executed after preparation timeout",
    157: "UHR features not supported",
    158: "Rejected: seamless transition target not prepared",
    159: "Rejected: invalid security profile",
}

REASON_CODES: dict[int, str] = {
    1: "Unspecified reason",  # WLAN_REASON_UNSPECIFIED
    2: "Previous authentication no longer valid",  # WLAN_REASON_PREV_AUTH_NOT_VALID
    3: "Station is leaving (or has left) the ESS",  # WLAN_REASON_DEAUTH_LEAVING
    4: "Disassociated due to inactivity",  # WLAN_REASON_DISASSOC_DUE_TO_INACTIVITY
    5: "AP is unable to handle all currently associated stations",  # WLAN_REASON_DISASSOC_AP_BUSY
    6: "Class 2 frame received from a nonauthenticated station",
    7: "Class 3 frame received from a nonassociated station",
    8: "Station is leaving (or has left) the BSS",  # WLAN_REASON_DISASSOC_STA_HAS_LEFT
    9: "Station requesting (re)association is not authenticated",
    10: "Power capability element unacceptable",
    11: "Supported channels element unacceptable",
    12: "Disassociated due to BSS transition management",
    13: "Invalid element",  # WLAN_REASON_INVALID_IE
    14: "Message integrity code (MIC) failure",  # WLAN_REASON_MICHAEL_MIC_FAILURE
    15: "4-Way Handshake timeout",  # WLAN_REASON_4WAY_HANDSHAKE_TIMEOUT
    16: "Group Key Handshake timeout",  # WLAN_REASON_GROUP_KEY_UPDATE_TIMEOUT
    17: "Element in 4-Way Handshake differs from (Re)Association Request/Probe Response/Beacon",
    18: "Invalid group cipher",
    19: "Invalid pairwise cipher",
    20: "Invalid AKMP",
    21: "Unsupported RSNE version",
    22: "Invalid RSNE capabilities",
    23: "IEEE 802.1X authentication failed",  # WLAN_REASON_IEEE_802_1X_AUTH_FAILED
    24: "Cipher suite rejected by security policy",
    25: "TDLS direct link teardown: peer unreachable",
    26: "TDLS direct link teardown: unspecified reason",
    27: "Disassociated: session terminated by SSP request",
    28: "Disassociated: no SSP roaming agreement",
    29: "Requested service rejected: SSP cipher suite or AKM requirement",
    30: "Requested service not authorized in this location",
    31: "TS deleted: QoS AP lacks bandwidth due to a change in BSS service characteristics",
    32: "Disassociated for an unspecified QoS-related reason",
    33: "Disassociated: QoS AP lacks sufficient bandwidth for this station",
    34: "Disassociated: excessive frames not acknowledged (poor channel conditions)",
    35: "Disassociated: station transmitting outside its TXOP limits",
    36: "Requesting station is leaving the BSS or resetting",
    37: "Requesting station no longer uses the stream or session",
    38: "Requesting station received frames for an unset-up mechanism",
    39: "Requested from the peer station due to a timeout",
    45: "Peer station does not support the requested cipher suite",
    46: "Disassociated: authorized access limit reached",
    47: "Disassociated due to external service requirements",
    48: "Invalid FT action frame count",
    49: "Invalid PMKID",  # WLAN_REASON_INVALID_PMKID
    50: "Invalid MDE",
    51: "Invalid FTE",
    52: "Mesh peering cancelled",
    53: "Mesh maximum peers reached",
    54: "Mesh configuration policy violation",
    55: "Mesh close received",
    56: "Mesh maximum retries",
    57: "Mesh confirm timeout",
    58: "Mesh invalid GTK",
    59: "Mesh inconsistent parameters",
    60: "Mesh invalid security capability",
    61: "Mesh path error: no proxy information",
    62: "Mesh path error: no forwarding information",
    63: "Mesh path error: destination unreachable",
    64: "MAC address already exists in the MBSS",
    65: "Mesh channel switch: regulatory requirements",
    66: "Mesh channel switch: unspecified",
}


def status_name(code: int | None) -> str:
    """A readable name for an 802.11 status code."""
    if code is None:
        return "unknown"
    return STATUS_CODES.get(code, f"Reserved/unknown status code {code}")


def reason_name(code: int | None) -> str:
    """A readable name for an 802.11 reason code."""
    if code is None:
        return "unknown"
    return REASON_CODES.get(code, f"Reserved/unknown reason code {code}")


AUTH_ALGORITHMS: dict[int, str] = {
    0: "Open System",
    1: "Shared Key",
    2: "Fast BSS Transition",
    3: "SAE",
    4: "FILS shared key",
    5: "FILS shared key with PFS",
    6: "FILS public key",
    7: "PASN",
    0x80: "Network EAP (Cisco LEAP)",
}

EAP_CODES = {1: "Request", 2: "Response", 3: "Success", 4: "Failure", 5: "Initiate", 6: "Finish"}
EAP_TYPES = {
    1: "Identity",
    2: "Notification",
    3: "Nak",
    4: "MD5-Challenge",
    6: "GTC",
    13: "TLS",
    17: "LEAP",
    18: "SIM",
    21: "TTLS",
    23: "AKA",
    25: "PEAP",
    26: "MSCHAPv2",
    43: "FAST",
    50: "AKA'",
    52: "PWD",
    55: "TEAP",
    254: "Expanded (WSC)",
}
DHCP_TYPES = {
    1: "DHCPDISCOVER",
    2: "DHCPOFFER",
    3: "DHCPREQUEST",
    4: "DHCPDECLINE",
    5: "DHCPACK",
    6: "DHCPNAK",
    7: "DHCPRELEASE",
    8: "DHCPINFORM",
}


# EAP methods that carry TLS records (RFC 5216 EAP-TLS, RFC 5281 TTLS, PEAP, RFC 4851 FAST, TEAP)
TLS_EAP_TYPES = frozenset((13, 21, 25, 43, 55))
# TLS alert descriptions (RFC 5246 7.2, RFC 8446 6), worded as OpenSSL's SSL_alert_desc_string_long prints
# them (what hostapd, wpa_supplicant and FreeRADIUS logs say), so that one wording serves logs and captures
TLS_ALERTS = {
    0: "close notify",
    10: "unexpected_message",
    20: "bad record mac",
    22: "record overflow",
    40: "handshake failure",
    42: "bad certificate",
    43: "unsupported certificate",
    44: "certificate revoked",
    45: "certificate expired",
    46: "certificate unknown",
    47: "illegal parameter",
    48: "unknown CA",
    49: "access denied",
    50: "decode error",
    51: "decrypt error",
    70: "protocol version",
    71: "insufficient security",
    80: "internal error",
    86: "inappropriate fallback",
    90: "user canceled",
    109: "missing extension",
    110: "unsupported extension",
    112: "unrecognized name",
    113: "bad certificate status response",
    115: "unknown PSK identity",
    116: "certificate required",
    120: "no application protocol",
}
