"""Stream a pcap or pcapng file and decode the frames that matter for onboarding.

Containers are read with ``dpkt.pcap.Reader`` and, for pcapng, ``capture.pcapng.PcapngReader`` (each
packet with its own interface's link type), picked by the magic number, fed through a guard that refuses
absurd record lengths, so a corrupt length can neither make us read the rest of the file into memory nor
crash the caller.  The 802.11, radiotap, Prism/AVS,
Ethernet, EAPOL, EAP and DHCP layers are decoded here with ``struct``: dpkt has no EAPOL-Key layer, and
the few fields we need are cheaper to read directly than through a generic decoder.

Frames are numbered from 1 in file order, like Wireshark, so a frame number printed by wlandoctor can be
typed into Wireshark's "Go to packet".  Every frame that is relevant but cannot be decoded is counted and
reported with its number (``Capture.problems``); nothing raised while decoding one frame escapes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import dpkt

from wlandoctor.capture.codes import TLS_EAP_TYPES
from wlandoctor.capture.pcapng import UNKNOWN_INTERFACE, PcapngReader
from wlandoctor.model.errors import InputError
from wlandoctor.util.times import MAX_YEAR, MIN_YEAR, in_range

# Link types we decode.
DLT_EN10MB = 1
DLT_IEEE802_11 = 105
DLT_PRISM_HEADER = 119
DLT_IEEE802_11_RADIO = 127
DLT_IEEE802_11_RADIO_AVS = 163
SUPPORTED_LINKTYPES = {
    DLT_EN10MB: "Ethernet",
    DLT_IEEE802_11: "IEEE 802.11",
    DLT_PRISM_HEADER: "Prism header + 802.11",
    DLT_IEEE802_11_RADIO: "radiotap + 802.11",
    DLT_IEEE802_11_RADIO_AVS: "AVS header + 802.11",
}

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1",  # little-endian, microseconds
    b"\xa1\xb2\xc3\xd4",  # big-endian, microseconds
    b"\x4d\x3c\xb2\xa1",  # little-endian, nanoseconds
    b"\xa1\xb2\x3c\x4d",  # big-endian, nanoseconds
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"

# No real capture record is longer than this (the largest snaplen tools write is 262144).
MAX_RECORD = 1 << 20
MAX_PROBLEMS = 500
FRAME_STAMP_PROBLEM = (
    f"time stamp out of range (years {MIN_YEAR}-{MAX_YEAR} are read); the frame takes the time of the frame "
    "before it"
)

ETH_P_EAPOL = 0x888E
ETH_P_IP = 0x0800
ETH_P_VLAN = (0x8100, 0x88A8)
RADIUS_AUTH_PORTS = (1812, 1645)  # RADIUS authentication, and the port older servers use
LLC_SNAP = b"\xaa\xaa\x03\x00\x00\x00"
LLC_SNAP_BRIDGE = b"\xaa\xaa\x03\x00\x00\xf8"

RSN_OUI = b"\x00\x0f\xac"
WPA_OUI = b"\x00\x50\xf2"

# EAPOL packet types
EAPOL_EAP = 0
EAPOL_START = 1
EAPOL_LOGOFF = 2
EAPOL_KEY = 3

# Key Information bits (IEEE 802.11-2020 12.7.2, figure 12-33)
KI_VERSION = 0x0007
KI_PAIRWISE = 0x0008
KI_INSTALL = 0x0040
KI_ACK = 0x0080
KI_MIC = 0x0100
KI_SECURE = 0x0200
KI_ERROR = 0x0400
KI_REQUEST = 0x0800
KI_ENCRYPTED = 0x1000
KI_SMK = 0x2000

# Offset of the MIC field inside an EAPOL-Key frame (from the 802.1X version byte).
MIC_OFFSET = 81

MGMT_SUBTYPES = {
    0: "assoc-req",
    1: "assoc-resp",
    2: "reassoc-req",
    3: "reassoc-resp",
    5: "probe-resp",
    8: "beacon",
    10: "disassoc",
    11: "auth",
    12: "deauth",
}


_KNOWN = ", ".join(f"{k} ({v})" for k, v in sorted(SUPPORTED_LINKTYPES.items()))


def _linktypes_text(linktypes: list[int]) -> str:
    return ", ".join(str(lt) for lt in dict.fromkeys(linktypes))


class CaptureError(InputError):
    """The file as a whole cannot be read as a capture (empty, not pcap/pcapng, unsupported link type)."""


class _BadLength(ValueError):
    """A record length the guard refuses: a ValueError, so it ends the file like any other corruption."""


def _mac(b: bytes) -> str:
    return b.hex(":")


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Suite:
    """A cipher or AKM suite selector: OUI (``00-0f-ac`` for RSN, ``00-50-f2`` for WPA1) and type."""

    oui: bytes
    type: int

    @property
    def standard(self) -> bool:
        return self.oui in (RSN_OUI, WPA_OUI)

    def __str__(self) -> str:
        return f"{self.oui.hex('-')}:{self.type}"


@dataclass(slots=True)
class RsnInfo:
    """An RSN element (or the WPA1 vendor element, ``wpa1=True``)."""

    version: int = 1
    group_cipher: Suite | None = None
    pairwise_ciphers: tuple[Suite, ...] = ()
    akm_suites: tuple[Suite, ...] = ()
    capabilities: int | None = None
    pmkids: tuple[bytes, ...] = ()
    group_mgmt_cipher: Suite | None = None
    wpa1: bool = False

    @property
    def akms(self) -> tuple[int, ...]:
        """AKM numbers of the standard suites (WPA1's 00-50-f2:1/2 map to 1/2)."""
        return tuple(s.type for s in self.akm_suites if s.standard)

    @property
    def mfp_required(self) -> bool:
        return bool(self.capabilities is not None and self.capabilities & 0x0040)

    @property
    def mfp_capable(self) -> bool:
        return bool(self.capabilities is not None and self.capabilities & 0x0080)


@dataclass(slots=True)
class EapolKey:
    """The fields of an EAPOL-Key frame."""

    descriptor_type: int  # 2 = RSN (IEEE 802.11), 254 = WPA1
    key_info: int
    key_length: int
    replay_counter: int
    nonce: bytes
    key_iv: bytes
    rsc: bytes
    mic: bytes
    key_data: bytes
    pmkids: tuple[bytes, ...] = ()  # from PMKID KDEs in unencrypted key data
    rsn: RsnInfo | None = None  # RSN/WPA element carried in unencrypted key data (M2, WPA1 M3)

    @property
    def version(self) -> int:
        """Key descriptor version (1 HMAC-MD5/RC4, 2 HMAC-SHA1/AES, 3 AES-CMAC, 0 AKM-defined)."""
        return self.key_info & KI_VERSION

    @property
    def pairwise(self) -> bool:
        return bool(self.key_info & KI_PAIRWISE)

    @property
    def install(self) -> bool:
        return bool(self.key_info & KI_INSTALL)

    @property
    def ack(self) -> bool:
        return bool(self.key_info & KI_ACK)

    @property
    def has_mic(self) -> bool:
        return bool(self.key_info & KI_MIC)

    @property
    def secure(self) -> bool:
        return bool(self.key_info & KI_SECURE)

    @property
    def error(self) -> bool:
        return bool(self.key_info & KI_ERROR)

    @property
    def request(self) -> bool:
        return bool(self.key_info & KI_REQUEST)

    @property
    def encrypted_key_data(self) -> bool:
        return bool(self.key_info & KI_ENCRYPTED)

    @property
    def nonce_is_zero(self) -> bool:
        return not any(self.nonce)


@dataclass(slots=True)
class Frame:
    """One decoded frame that matters for onboarding.

    ``type`` is one of beacon, probe-resp, auth, assoc-req, reassoc-req, assoc-resp (``reassoc`` tells a
    reassociation response), deauth, disassoc, eapol, dhcp.  ``src``/``dst``/``bssid`` are lower-case
    colon MACs (``bssid`` is None on Ethernet captures).
    """

    number: int
    time: float
    type: str
    src: str
    dst: str
    bssid: str | None = None
    retry: bool = False
    protected: bool = False
    reassoc: bool = False
    ssid: bytes | None = None
    rsn: RsnInfo | None = None  # RSN element, else the WPA1 element
    auth_alg: int | None = None
    auth_seq: int | None = None
    status: int | None = None
    reason: int | None = None
    eapol_version: int | None = None
    eapol_type: int | None = None
    eap_code: int | None = None
    eap_id: int | None = None
    eap_type: int | None = None
    eap_identity: bytes | None = None
    tls_alert: tuple[int, int] | None = None  # (level, description) of a TLS alert sent in the clear
    key: EapolKey | None = None
    eapol: bytes = b""  # raw EAPOL frame (version byte to end of body), needed for the MIC
    dhcp_type: int | None = None
    dhcp_client: str | None = None
    radius_code: int | None = None  # 1 Access-Request, 2 Accept, 3 Reject, 11 Challenge
    radius_id: int | None = None
    radius_client: str | None = None  # "ip:port" of the authenticator (NAS)
    radius_server: str | None = None  # "ip:port" of the RADIUS server
    radius_auth: bytes = b""  # Request/Response Authenticator: a retransmission repeats the request's
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ssid_text(self) -> str | None:
        """The SSID as text: UTF-8 when it decodes, else the bytes with non-UTF-8 parts as ``\\xNN``."""
        if self.ssid is None:
            return None
        return ssid_text(self.ssid)


def ssid_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


class _Malformed(Exception):
    pass


# -------------------------------------------------------------------------------- element decoding


def _suite(b: bytes, off: int) -> Suite:
    return Suite(bytes(b[off : off + 3]), b[off + 3])


def parse_rsn(body: bytes, wpa1: bool = False) -> RsnInfo:
    """Decode an RSN element body (after id/length) or a WPA1 vendor element body (after OUI+type).

    Trailing optional fields may be absent (the standard allows truncation after any field).
    """
    n = len(body)
    if n < 2:
        raise _Malformed("RSN element shorter than its version field")
    info = RsnInfo(version=struct.unpack_from("<H", body, 0)[0], wpa1=wpa1)
    off = 2
    if off + 4 > n:
        return info
    info.group_cipher = _suite(body, off)
    off += 4
    if off + 2 > n:
        return info
    count = struct.unpack_from("<H", body, off)[0]
    off += 2
    if off + 4 * count > n:
        raise _Malformed(f"RSN element: {count} pairwise suites do not fit in {n} bytes")
    info.pairwise_ciphers = tuple(_suite(body, off + 4 * i) for i in range(count))
    off += 4 * count
    if off + 2 > n:
        return info
    count = struct.unpack_from("<H", body, off)[0]
    off += 2
    if off + 4 * count > n:
        raise _Malformed(f"RSN element: {count} AKM suites do not fit in {n} bytes")
    info.akm_suites = tuple(_suite(body, off + 4 * i) for i in range(count))
    off += 4 * count
    if wpa1 or off + 2 > n:
        return info
    info.capabilities = struct.unpack_from("<H", body, off)[0]
    off += 2
    if off + 2 > n:
        return info
    count = struct.unpack_from("<H", body, off)[0]
    off += 2
    if off + 16 * count > n:
        raise _Malformed(f"RSN element: {count} PMKIDs do not fit in {n} bytes")
    info.pmkids = tuple(bytes(body[off + 16 * i : off + 16 * (i + 1)]) for i in range(count))
    off += 16 * count
    if off + 4 <= n:
        info.group_mgmt_cipher = _suite(body, off)
    return info


def _elements(buf: bytes, off: int, frame: Frame, strict: bool = False) -> None:
    """Walk information elements from ``off``: SSID, RSN, WPA1.  A truncated last element is tolerated
    (trailing FCS or padding) unless ``strict``."""
    n = len(buf)
    rsn: RsnInfo | None = None
    wpa: RsnInfo | None = None
    while off + 2 <= n:
        eid = buf[off]
        elen = buf[off + 1]
        start = off + 2
        end = start + elen
        if end > n:
            if strict:
                raise _Malformed(f"element {eid} runs past the end of the frame")
            break
        if eid == 0 and frame.ssid is None:
            frame.ssid = bytes(buf[start:end])
        elif eid == 48 and rsn is None:
            rsn = parse_rsn(buf[start:end])
        elif eid == 221 and elen >= 4 and buf[start : start + 4] == WPA_OUI + b"\x01" and wpa is None:
            wpa = parse_rsn(buf[start + 4 : end], wpa1=True)
        off = end
    frame.rsn = rsn if rsn is not None else wpa


def _key_data_items(kd: bytes) -> tuple[tuple[bytes, ...], RsnInfo | None]:
    """PMKID KDEs and the RSN/WPA element in plaintext key data.  Stops quietly at padding (0xdd 0x00)."""
    pmkids: list[bytes] = []
    rsn: RsnInfo | None = None
    off = 0
    n = len(kd)
    while off + 2 <= n:
        eid = kd[off]
        elen = kd[off + 1]
        start = off + 2
        end = start + elen
        if end > n:
            break
        if eid == 0xDD and elen == 0:
            break  # padding
        if eid == 48 and rsn is None:
            with suppress(_Malformed):
                rsn = parse_rsn(kd[start:end])
        elif eid == 0xDD and elen >= 4:
            head = kd[start : start + 4]
            if head == RSN_OUI + b"\x04" and elen >= 20:
                pmkids.append(bytes(kd[start + 4 : start + 20]))
            elif head == WPA_OUI + b"\x01" and rsn is None:
                with suppress(_Malformed):
                    rsn = parse_rsn(kd[start + 4 : end], wpa1=True)
        off = end
    return tuple(pmkids), rsn


# -------------------------------------------------------------------------------- EAPOL / EAP / DHCP


def parse_eapol_key(raw: bytes) -> EapolKey:
    """Decode an EAPOL-Key frame (``raw`` starts at the 802.1X version byte and ends with the key data).

    The MIC is 16 bytes for every AKM we can verify; 24-byte MICs (Suite B 192, SHA-384 AKMs) are
    recognised by the key data length that then fits.
    """
    n = len(raw)
    if n < 4 + 95:
        raise _Malformed(f"EAPOL-Key frame of {n} bytes is shorter than the 99-byte minimum")
    desc = raw[4]
    key_info, key_length = struct.unpack_from(">HH", raw, 5)
    replay = struct.unpack_from(">Q", raw, 9)[0]
    nonce = raw[17:49]
    key_iv = raw[49:65]
    rsc = raw[65:73]
    mic_len = 16
    kdl = struct.unpack_from(">H", raw, 97)[0]
    if 99 + kdl != n and n >= 107:
        alt = struct.unpack_from(">H", raw, 105)[0]
        if 107 + alt == n:
            mic_len = 24
            kdl = alt
    mic = raw[MIC_OFFSET : MIC_OFFSET + mic_len]
    kd_start = MIC_OFFSET + mic_len + 2
    if kd_start + kdl > n:
        raise _Malformed(f"EAPOL-Key data length {kdl} runs past the end of the {n}-byte frame")
    key_data = raw[kd_start : kd_start + kdl]
    key = EapolKey(
        desc,
        key_info,
        key_length,
        replay,
        bytes(nonce),
        bytes(key_iv),
        bytes(rsc),
        bytes(mic),
        bytes(key_data),
    )
    if (
        key_data
        and not key.encrypted_key_data
        and not (desc == 254 and key.ack and key.has_mic and not key.pairwise)
    ):
        key.pmkids, key.rsn = _key_data_items(key_data)
    return key


def _eapol(payload: bytes, frame: Frame) -> None:
    if len(payload) < 4:
        raise _Malformed("EAPOL header truncated")
    version, ptype, length = struct.unpack_from(">BBH", payload, 0)
    if 4 + length > len(payload):
        raise _Malformed(f"EAPOL body length {length} exceeds the {len(payload) - 4} bytes captured")
    raw = bytes(payload[: 4 + length])
    frame.type = "eapol"
    frame.eapol_version = version
    frame.eapol_type = ptype
    frame.eapol = raw
    if ptype == EAPOL_KEY:
        frame.key = parse_eapol_key(raw)
    elif ptype == EAPOL_EAP:
        if length < 4:
            raise _Malformed("EAP packet shorter than its header")
        code, ident, elen = struct.unpack_from(">BBH", raw, 4)
        frame.eap_code = code
        frame.eap_id = ident
        if code in (1, 2) and elen >= 5 and 4 + elen <= len(raw):
            frame.eap_type = raw[8]
            if frame.eap_type == 1 and code == 2:
                frame.eap_identity = bytes(raw[9 : 4 + elen])
            elif frame.eap_type in TLS_EAP_TYPES:
                frame.tls_alert = _tls_alert(raw[9 : 4 + elen])


def _tls_alert(data: bytes) -> tuple[int, int] | None:
    """The TLS alert an EAP-TLS/PEAP/TTLS packet's data carries in the clear (a handshake given up before
    its keys: encrypted alerts are longer than two bytes), as (level, description), else None."""
    if not data:
        return None
    at = 5 if data[0] & 0x80 else 1  # the flags byte, and the TLS message length when the L bit is set
    rec = data[at : at + 7]
    # content type 21 (alert), version 3.x, length 2: level, description
    if len(rec) == 7 and rec[0] == 21 and rec[1] == 3 and rec[2] <= 4 and rec[3:5] == b"\x00\x02":
        return rec[5], rec[6]
    return None


def _ipv4(payload: bytes, frame: Frame) -> bool:
    """Fill the fields of ``payload`` (an IPv4 packet) when it is DHCP, RADIUS authentication, or an ICMP
    "port unreachable" answering a RADIUS request; return False when it is none of them."""
    if len(payload) < 20 or payload[0] >> 4 != 4:
        return False
    ihl = (payload[0] & 0x0F) * 4
    proto = payload[9]
    if proto == 1:
        return _icmp_radius(payload, ihl, frame)
    if proto != 17 or len(payload) < ihl + 8:
        return False
    sport, dport = struct.unpack_from(">HH", payload, ihl)
    if sport in RADIUS_AUTH_PORTS or dport in RADIUS_AUTH_PORTS:
        return _radius(payload, ihl, sport, dport, frame)
    if not ({sport, dport} <= {67, 68}):
        return False
    bootp = payload[ihl + 8 :]
    frame.type = "dhcp"
    if len(bootp) < 240 or bootp[236:240] != b"\x63\x82\x53\x63":
        raise _Malformed("DHCP packet truncated or without the magic cookie")
    hlen = bootp[2]
    if hlen == 6:
        frame.dhcp_client = _mac(bootp[28:34])
    off = 240
    n = len(bootp)
    while off < n:
        opt = bootp[off]
        if opt == 255:
            break
        if opt == 0:
            off += 1
            continue
        if off + 2 > n:
            break
        olen = bootp[off + 1]
        if opt == 53 and olen >= 1 and off + 3 <= n:
            frame.dhcp_type = bootp[off + 2]
            break
        off += 2 + olen
    if frame.dhcp_type is None:
        raise _Malformed("DHCP packet without a message type option")
    return True


def _ip_pair(payload: bytes) -> tuple[str, str]:
    return ".".join(map(str, payload[12:16])), ".".join(map(str, payload[16:20]))


def _radius(payload: bytes, ihl: int, sport: int, dport: int, frame: Frame) -> bool:
    """RADIUS authentication (RFC 2865) between an authenticator and its server: code, identifier, the
    endpoints (to pair an answer with its request) and the attributes a diagnosis reads.  Parsed with
    dpkt's RADIUS layer; accounting (1813) is not read."""
    try:
        r = dpkt.radius.RADIUS(payload[ihl + 8 :])
    except (dpkt.dpkt.Error, struct.error, ValueError, IndexError):
        raise _Malformed("RADIUS packet truncated or malformed") from None
    if r.code not in (1, 2, 3, 11):
        return False
    src, dst = _ip_pair(payload)
    frame.type = "radius"
    frame.radius_code = r.code
    frame.radius_id = r.id
    frame.radius_client = f"{src}:{sport}" if r.code == 1 else f"{dst}:{dport}"
    frame.radius_server = f"{dst}:{dport}" if r.code == 1 else f"{src}:{sport}"
    frame.radius_auth = bytes(r.auth)
    for typ, value in r.attrs:
        if typ == dpkt.radius.RADIUS_CALLING_STATION_ID:
            frame.extra["calling_station"] = value.decode("ascii", "replace")
        elif typ == dpkt.radius.RADIUS_USER_NAME:
            frame.extra["user"] = value.decode("utf-8", "replace")
        elif typ == 18:  # Reply-Message
            frame.extra.setdefault("reply_message", value.decode("utf-8", "replace"))
        elif typ == 79:  # EAP-Message
            frame.extra["eap"] = True
    return True


def _icmp_radius(payload: bytes, ihl: int, frame: Frame) -> bool:
    """ICMP destination/port unreachable quoting a UDP datagram to a RADIUS port: the server host has
    nothing listening there (or a firewall says so)."""
    icmp = payload[ihl:]
    if len(icmp) < 8 + 20 or icmp[0] != 3:
        return False
    inner = icmp[8:]
    iihl = (inner[0] & 0x0F) * 4
    if inner[0] >> 4 != 4 or inner[9] != 17 or len(inner) < iihl + 4:
        return False
    sport, dport = struct.unpack_from(">HH", inner, iihl)
    if dport not in RADIUS_AUTH_PORTS:
        return False
    src, dst = _ip_pair(inner)
    frame.type = "radius-unreachable"
    frame.radius_client = f"{src}:{sport}"
    frame.radius_server = f"{dst}:{dport}"
    frame.extra["icmp_code"] = icmp[1]
    return True


# -------------------------------------------------------------------------------- link layers


def _radiotap(buf: bytes) -> tuple[bytes | None, str | None]:
    """Strip a radiotap header; returns (802.11 frame, None) or (None, reason to skip)."""
    if len(buf) < 8:
        raise _Malformed("radiotap header truncated")
    hlen = struct.unpack_from("<H", buf, 2)[0]
    if hlen < 8 or hlen > len(buf):
        raise _Malformed(f"radiotap length {hlen} does not fit the {len(buf)}-byte record")
    present = struct.unpack_from("<I", buf, 4)[0]
    off = 8
    word = present
    while word & 0x80000000:
        if off + 4 > hlen:
            raise _Malformed("radiotap present bitmaps run past the header")
        word = struct.unpack_from("<I", buf, off)[0]
        off += 4
    flags = 0
    if present & 0x1:  # TSFT, 8 bytes aligned to 8
        off = (off + 7) & ~7
        off += 8
    if present & 0x2 and off < hlen:
        flags = buf[off]
    frame = buf[hlen:]
    if flags & 0x40:
        return None, "bad FCS"
    if flags & 0x10 and len(frame) >= 4:
        frame = frame[:-4]
    return frame, None


def _prism(buf: bytes) -> bytes:
    if len(buf) < 8:
        raise _Malformed("Prism/AVS header truncated")
    if buf[:4] == b"\x80\x21\x10\x01" or buf[:4] == b"\x80\x21\x10\x02":  # AVS header (big-endian)
        hlen = struct.unpack_from(">I", buf, 4)[0]
    else:
        hlen = struct.unpack_from("<I", buf, 4)[0]  # Prism msglen, normally 144
        if hlen != 144 and not (8 <= hlen <= 1024):
            hlen = 144
    if hlen > len(buf):
        raise _Malformed(f"Prism/AVS header length {hlen} exceeds the {len(buf)}-byte record")
    return buf[hlen:]


def _ieee80211(buf: bytes, number: int, ts: float) -> Frame | None:
    n = len(buf)
    if n < 10:
        if n >= 2 and (buf[0] >> 2) & 3 == 1:
            return None  # short control frames are fine
        raise _Malformed(f"802.11 frame of {n} bytes is too short")
    fc0, fc1 = buf[0], buf[1]
    if fc0 & 3:
        raise _Malformed(f"802.11 protocol version {fc0 & 3} is not 0")
    ftype = (fc0 >> 2) & 3
    subtype = fc0 >> 4
    retry = bool(fc1 & 0x08)
    protected = bool(fc1 & 0x40)
    if ftype == 0:
        name = MGMT_SUBTYPES.get(subtype)
        if name is None:
            return None
        if n < 24:
            raise _Malformed(f"{name} frame of {n} bytes is shorter than the 24-byte header")
        hdr = 24 + (4 if fc1 & 0x80 else 0)
        f = Frame(number, ts, name, _mac(buf[10:16]), _mac(buf[4:10]), _mac(buf[16:22]), retry, protected)
        _management(buf, hdr, subtype, f)
        return f
    if ftype != 2 or protected or subtype & 0x4:  # not data, encrypted, or a null-data frame
        return None
    tods, fromds = fc1 & 1, fc1 & 2
    hdr = 30 if (tods and fromds) else 24
    if subtype & 0x8:  # QoS
        hdr += 2
        if fc1 & 0x80:
            hdr += 4
    if n < hdr + 8:
        return None if n >= hdr else _raise(f"data frame of {n} bytes is shorter than its header")
    a1, a2, a3 = buf[4:10], buf[10:16], buf[16:22]
    if tods and fromds:
        src, dst, bssid = buf[24:30], a3, a2
    elif tods:
        src, dst, bssid = a2, a3, a1
    elif fromds:
        src, dst, bssid = a3, a1, a2
    else:
        src, dst, bssid = a2, a1, a3
    llc = buf[hdr : hdr + 6]
    if llc != LLC_SNAP and llc != LLC_SNAP_BRIDGE:
        return None
    ethertype = (buf[hdr + 6] << 8) | buf[hdr + 7]
    if ethertype != ETH_P_EAPOL and ethertype != ETH_P_IP:
        return None
    f = Frame(number, ts, "data", _mac(src), _mac(dst), _mac(bssid), retry, False)
    if tods and fromds:
        f.extra["wds"] = True
        f.extra["ta"] = _mac(a2)
        f.extra["ra"] = _mac(a1)
    payload = buf[hdr + 8 :]
    if ethertype == ETH_P_EAPOL:
        _eapol(payload, f)
        return f
    return f if _ipv4(payload, f) else None


def _raise(msg: str) -> Any:
    raise _Malformed(msg)


def _management(buf: bytes, hdr: int, subtype: int, f: Frame) -> None:
    n = len(buf)
    if subtype in (8, 5):  # beacon, probe response: timestamp 8, interval 2, capability 2
        if n < hdr + 12:
            raise _Malformed(f"{f.type} body truncated")
        f.extra["capability"] = struct.unpack_from("<H", buf, hdr + 10)[0]
        _elements(buf, hdr + 12, f)
    elif subtype in (0, 2):  # (re)association request: capability 2, listen interval 2, [current AP 6]
        fixed = 4 if subtype == 0 else 10
        f.reassoc = subtype == 2
        if n < hdr + fixed:
            raise _Malformed(f"{f.type} body truncated")
        _elements(buf, hdr + fixed, f)
    elif subtype in (1, 3):  # (re)association response: capability 2, status 2, AID 2
        f.type = "assoc-resp"
        f.reassoc = subtype == 3
        if n < hdr + 6:
            raise _Malformed("association response body truncated")
        f.status = struct.unpack_from("<H", buf, hdr + 2)[0]
        f.extra["aid"] = struct.unpack_from("<H", buf, hdr + 4)[0] & 0x3FFF
        _elements(buf, hdr + 6, f)
    elif subtype == 11:  # authentication: algorithm, sequence, status
        if f.protected:  # shared key auth frame 3 (WEP): fields encrypted
            return
        if n < hdr + 6:
            raise _Malformed("authentication body truncated")
        f.auth_alg, f.auth_seq, f.status = struct.unpack_from("<HHH", buf, hdr)
        if f.auth_alg == 3 and f.auth_seq == 1 and f.status == 0 and n >= hdr + 8:
            f.extra["sae_group"] = struct.unpack_from("<H", buf, hdr + 6)[0]
    elif subtype in (10, 12):  # disassociation / deauthentication: reason
        if f.protected:
            return  # PMF-protected: the reason code is encrypted
        if n < hdr + 2:
            raise _Malformed(f"{f.type} body truncated")
        f.reason = struct.unpack_from("<H", buf, hdr)[0]


def _ethernet(buf: bytes, number: int, ts: float) -> Frame | None:
    if len(buf) < 14:
        raise _Malformed(f"Ethernet frame of {len(buf)} bytes is too short")
    off = 12
    ethertype = (buf[off] << 8) | buf[off + 1]
    while ethertype in ETH_P_VLAN and off + 6 <= len(buf):
        off += 4
        ethertype = (buf[off] << 8) | buf[off + 1]
    if ethertype != ETH_P_EAPOL and ethertype != ETH_P_IP:
        return None
    f = Frame(number, ts, "data", _mac(buf[6:12]), _mac(buf[0:6]), None)
    payload = buf[off + 2 :]
    if ethertype == ETH_P_EAPOL:
        _eapol(payload, f)
        return f
    return f if _ipv4(payload, f) else None


# -------------------------------------------------------------------------------- the container


class _Guard:
    """A file wrapper that refuses reads of absurd length (corrupt record headers) and notes short reads."""

    def __init__(self, f: Any) -> None:
        self._read = f.read
        self.name = getattr(f, "name", "<stream>")
        self.short: tuple[int, int] | None = None  # (wanted, got) of the last short read

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or n > MAX_RECORD:
            raise _BadLength(f"record length {n} is impossible (corrupt or truncated file)")
        data: bytes = self._read(n)
        if len(data) < n:
            self.short = (n, len(data))
        return data


def sniff_format(head: bytes) -> str | None:
    """'pcap', 'pcapng' or None, from the first 4 bytes."""
    if head[:4] in PCAP_MAGICS:
        return "pcap"
    if head[:4] == PCAPNG_MAGIC:
        return "pcapng"
    return None


class Capture:
    """One capture being streamed.  Create with ``Capture(stream, name)``; iterate ``frames()`` once.

    After (or during) iteration: ``records`` = capture records read, ``relevant`` = frames yielded,
    ``malformed`` = relevant frames that could not be decoded, ``problems`` = (frame number, message)
    for each (the first MAX_PROBLEMS), ``truncated`` = a message when the file ended mid-record.
    """

    def __init__(self, stream: BinaryIO, name: str = "<capture>") -> None:
        self.name = name
        self.records = 0
        self.relevant = 0
        self.malformed = 0
        self.skipped_bad_fcs = 0
        self.problems: list[tuple[int, str]] = []
        self.problems_dropped = 0
        self.truncated: str | None = None
        peek = getattr(stream, "peek", None)
        if peek is not None:  # buffered streams: look at the magic without consuming it
            head = peek(4)[:4]
            source: Any = stream
        else:
            head = stream.read(4)
            source = _Prefixed(head, stream)  # replays the magic to dpkt
        if not head:
            raise CaptureError(name, 0, "empty file: no pcap/pcapng header")
        fmt = sniff_format(head)
        if fmt is None:
            raise CaptureError(
                name,
                0,
                "not a pcap or pcapng file (unknown magic number "
                f"{head[:4].hex()}); save the capture as pcap or pcapng",
            )
        self.format = fmt
        self._guard = _Guard(source)
        self.unread: dict[int, list[int]] = {}  # link type not decoded -> [frames, first frame number]
        self._pcapng: PcapngReader | None = None
        try:
            if fmt == "pcap":
                self._reader: Any = dpkt.pcap.Reader(self._guard)
                linktypes = [int(self._reader.datalink())]
            else:
                self._reader = self._pcapng = PcapngReader(self._guard)
                linktypes = self._pcapng.linktypes()
        except (ValueError, dpkt.dpkt.Error, struct.error) as e:
            raise CaptureError(name, 0, f"{fmt} file header unreadable: {e}") from None
        if not linktypes:
            raise CaptureError(name, 0, "pcapng file describes no interface before its first packet")
        self.linktype = linktypes[0]  # the first interface's (pcapng files may have several)
        if not any(lt in SUPPORTED_LINKTYPES for lt in linktypes):
            raise CaptureError(
                name, 0, f"link type {_linktypes_text(linktypes)} is not supported; wlandoctor reads {_KNOWN}"
            )

    def _problem(self, number: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((number, message))
        else:
            self.problems_dropped += 1

    def records_iter(self) -> Iterator[tuple[int, float, bytes, int]]:
        """(frame number, timestamp, raw record, link type) for every record; stops cleanly at corruption."""
        it: Iterator[tuple[float, bytes, int]] = (
            iter(self._pcapng)
            if self._pcapng is not None
            else ((ts, b, self.linktype) for ts, b in self._reader)
        )
        guard = self._guard
        last = 0.0
        while True:
            guard.short = None
            try:
                ts, buf, linktype = next(it)
            except StopIteration:
                return
            except (dpkt.dpkt.Error, struct.error, ValueError) as e:
                self.truncated = f"after frame {self.records}: {e or type(e).__name__}"
                self._problem(self.records + 1, f"file truncated or corrupt: {e or type(e).__name__}")
                return
            self.records += 1
            if guard.short is not None:
                wanted, got = guard.short
                self.truncated = f"frame {self.records} is cut short ({got} of {wanted} bytes)"
                self._problem(
                    self.records, f"file ends in the middle of this frame ({got} of {wanted} bytes)"
                )
            t = float(ts)
            if not in_range(t):
                # (a pcapng if_tsresol / if_tsoffset or a corrupt stamp past the year 2200, or NaN)
                self._problem(self.records, FRAME_STAMP_PROBLEM)
                t = last
            last = t
            yield self.records, t, buf, linktype

    def frames(self) -> Iterator[Frame]:
        decoders: dict[int, Any] = {}
        for number, ts, buf, linktype in self.records_iter():
            decode = decoders.get(linktype)
            if decode is None:
                decode = decoders[linktype] = self._decoder(linktype)
            if decode is False:  # an interface of a link type not decoded (pcapng with several)
                unread = self.unread.setdefault(linktype, [0, number])
                unread[0] += 1
                continue
            try:
                f = decode(buf, number, ts)
            except _Malformed as e:
                self.malformed += 1
                self._problem(number, str(e))
                continue
            except (IndexError, struct.error, ValueError) as e:  # defensive: never let one frame escape
                self.malformed += 1
                self._problem(number, f"undecodable frame ({type(e).__name__}: {e})")
                continue
            if f is None:
                continue
            if f.type == "data":
                continue  # not EAPOL/DHCP after all
            self.relevant += 1
            yield f
        for linktype, (count, first) in sorted(self.unread.items(), key=lambda kv: kv[1][1]):
            what = (
                "an interface the file never describes"
                if linktype == UNKNOWN_INTERFACE
                else f"an interface of link type {linktype}"
            )
            self._problem(
                first,
                f"{count} frame(s) from {what} not read (first: frame {first}); wlandoctor reads {_KNOWN}",
            )

    def _decoder(self, lt: int) -> Any:
        """The decoding function for link type ``lt``, or False when it is not one wlandoctor reads."""
        if lt not in SUPPORTED_LINKTYPES:
            return False
        if lt == DLT_EN10MB:
            return _ethernet
        if lt == DLT_IEEE802_11:
            return _ieee80211

        def wrapped(buf: bytes, number: int, ts: float) -> Frame | None:
            if lt == DLT_IEEE802_11_RADIO:
                inner, _skip = _radiotap(buf)
                if inner is None:
                    self.skipped_bad_fcs += 1
                    return None
            else:
                inner = _prism(buf)
            return _ieee80211(inner, number, ts)

        return wrapped


class _Prefixed:
    """Replays bytes already read (the magic) before the rest of a stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest
        self.name = getattr(rest, "name", "<stream>")

    def read(self, n: int) -> bytes:
        if self._head:
            out = self._head[:n]
            self._head = self._head[n:]
            if len(out) < n:
                out += self._rest.read(n - len(out))
            return out
        return self._rest.read(n)


@contextmanager
def open_capture(path: str | Path) -> Iterator[Capture]:
    """Open a capture file for streaming: ``with open_capture(p) as cap: for f in cap.frames(): ...``."""
    p = Path(path)
    try:
        fh = open(p, "rb", buffering=1 << 20)  # noqa: SIM115 - closed below
    except OSError as e:
        raise CaptureError(str(path), 0, f"cannot open: {e.strerror or e}") from None
    try:
        yield Capture(fh, str(path))
    finally:
        fh.close()
