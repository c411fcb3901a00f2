"""The WPA/WPA2 key hierarchy, exactly as IEEE 802.11-2020 12.7 defines it (hashlib, hmac, cryptography).

- PMK = PBKDF2-HMAC-SHA1(passphrase, SSID, 4096, 32), or the 64-hex-digit PSK itself.
- PTK = PRF-SHA1-n (key descriptor versions 1 and 2) or KDF-SHA256-n (version 3 / AKMs 5, 6) over
  "Pairwise key expansion" || min(AA,SPA) || max(AA,SPA) || min(ANonce,SNonce) || max(ANonce,SNonce).
- MIC over the whole EAPOL frame with the MIC field zeroed: HMAC-MD5 (v1), HMAC-SHA1-128 (v2),
  AES-128-CMAC (v3), keyed with KCK = PTK[0:16].
- PMKID = HMAC-SHA1-128(PMK, "PMK Name" || AA || SPA); HMAC-SHA256-128 for the SHA-256 AKMs.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections import OrderedDict

from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.cmac import CMAC

PTK_LABEL = b"Pairwise key expansion"
PMK_NAME = b"PMK Name"
MIC_OFFSET = 81
MIC_LEN = 16

# AKMs whose PTK/PMKID use SHA-256 (IEEE 802.11-2020 table 9-151): 802.1X-SHA256, PSK-SHA256.
SHA256_AKMS = frozenset({5, 6})


def pbkdf2_pmk(passphrase: bytes, ssid: bytes) -> bytes:
    """PMK from a passphrase (IEEE 802.11-2020 J.4)."""
    return hashlib.pbkdf2_hmac("sha1", passphrase, ssid, 4096, 32)


def secret_to_pmk(secret: str, ssid: bytes) -> bytes:
    """A candidate is a passphrase (8..63 characters) or a raw 256-bit PSK written as 64 hex digits."""
    if len(secret) == 64 and all(c in "0123456789abcdefABCDEF" for c in secret):
        return bytes.fromhex(secret)
    return pbkdf2_pmk(secret.encode("utf-8"), ssid)


class PmkCache:
    """PMKs by (SSID, candidate), so each PBKDF2 (the only expensive step) runs once per pair."""

    def __init__(self, maxsize: int = 4096) -> None:
        self._d: OrderedDict[tuple[bytes, str], bytes] = OrderedDict()
        self._max = maxsize
        self.computed = 0

    def get(self, ssid: bytes, secret: str) -> bytes:
        k = (ssid, secret)
        pmk = self._d.get(k)
        if pmk is None:
            pmk = secret_to_pmk(secret, ssid)
            self.computed += 1
            self._d[k] = pmk
            if len(self._d) > self._max:
                self._d.popitem(last=False)
        return pmk

    def __repr__(self) -> str:  # never show keys or secrets
        return f"PmkCache({len(self._d)} entries)"


def prf_sha1(key: bytes, label: bytes, data: bytes, nbytes: int) -> bytes:
    """IEEE 802.11 PRF: T_i = HMAC-SHA1(K, label || 0x00 || data || i), i a one-byte counter from 0."""
    out = bytearray()
    i = 0
    prefix = label + b"\x00" + data
    while len(out) < nbytes:
        out += hmac.new(key, prefix + bytes((i,)), hashlib.sha1).digest()
        i += 1
    return bytes(out[:nbytes])


def kdf_sha256(key: bytes, label: bytes, data: bytes, nbits: int) -> bytes:
    """IEEE 802.11 KDF, SHA-256: T_i = HMAC(K, i (16-bit LE, from 1) || label || data || L (16-bit LE))."""
    out = bytearray()
    length = struct.pack("<H", nbits)
    i = 1
    while len(out) * 8 < nbits:
        out += hmac.new(key, struct.pack("<H", i) + label + data + length, hashlib.sha256).digest()
        i += 1
    return bytes(out[: (nbits + 7) // 8])


def ptk_data(aa: bytes, spa: bytes, anonce: bytes, snonce: bytes) -> bytes:
    return min(aa, spa) + max(aa, spa) + min(anonce, snonce) + max(anonce, snonce)


def derive_ptk(
    pmk: bytes, aa: bytes, spa: bytes, anonce: bytes, snonce: bytes, kver: int, akm: int | None = None
) -> bytes:
    """The PTK (KCK first).  Version 3 or a SHA-256 AKM: KDF-SHA256-384 (CCMP); else PRF-SHA1-512."""
    data = ptk_data(aa, spa, anonce, snonce)
    if kver == 3 or (akm is not None and akm in SHA256_AKMS):
        return kdf_sha256(pmk, PTK_LABEL, data, 384)
    return prf_sha1(pmk, PTK_LABEL, data, 64)


def derive_kck(
    pmk: bytes, aa: bytes, spa: bytes, anonce: bytes, snonce: bytes, kver: int, akm: int | None = None
) -> bytes:
    """Only the KCK (first 16 bytes of the PTK), computed with one hash block where possible."""
    data = ptk_data(aa, spa, anonce, snonce)
    if kver == 3 or (akm is not None and akm in SHA256_AKMS):
        return hmac.new(pmk, b"\x01\x00" + PTK_LABEL + data + b"\x80\x01", hashlib.sha256).digest()[:16]
    return hmac.new(pmk, PTK_LABEL + b"\x00" + data + b"\x00", hashlib.sha1).digest()[:16]


def zero_mic(eapol: bytes, mic_len: int = MIC_LEN) -> bytes:
    return eapol[:MIC_OFFSET] + b"\x00" * mic_len + eapol[MIC_OFFSET + mic_len :]


def compute_mic(kck: bytes, kver: int, eapol_zeroed: bytes) -> bytes:
    """The EAPOL-Key MIC over a frame whose MIC field is already zeroed."""
    if kver == 1:
        return hmac.new(kck, eapol_zeroed, hashlib.md5).digest()
    if kver == 2:
        return hmac.new(kck, eapol_zeroed, hashlib.sha1).digest()[:16]
    if kver == 3:
        c = CMAC(AES(kck))
        c.update(eapol_zeroed)
        return c.finalize()
    raise ValueError(f"key descriptor version {kver} has no passphrase-derived MIC")


def mic_matches(kck: bytes, kver: int, eapol: bytes) -> bool:
    """Whether the MIC carried in ``eapol`` is the one ``kck`` produces."""
    carried = eapol[MIC_OFFSET : MIC_OFFSET + MIC_LEN]
    return hmac.compare_digest(compute_mic(kck, kver, zero_mic(eapol)), carried)


def pmkid(pmk: bytes, aa: bytes, spa: bytes, sha256: bool = False) -> bytes:
    """PMKID = Truncate-128(HMAC-SHA1(PMK, "PMK Name" || AA || SPA)); SHA-256 for AKMs 5/6."""
    h = hashlib.sha256 if sha256 else hashlib.sha1
    return hmac.new(pmk, PMK_NAME + aa + spa, h).digest()[:16]
