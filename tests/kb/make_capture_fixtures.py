"""Build the packet-capture fixtures of tests/kb from real corpus frames (run from anywhere; needs dpkt).

Every frame written is a real frame of a capture in tests/data/captures (see its SOURCES.md), copied byte
for byte, except for the one field named in each case below: a reason code, a status code, or an SAE
answer cut down to its fixed fields (what an AP sends when it refuses).  Timestamps are kept, except for
the one changed frame, placed after the frames it follows.  No key material is created or changed: nonces,
MICs, SAE scalars and elements are the captured ones.  tests/kb/SOURCES.md lists what each file is.
"""

from __future__ import annotations

import struct
from pathlib import Path

import dpkt

HERE = Path(__file__).parent
CAPTURES = HERE.parent / "data" / "captures"


def frames(name: str) -> tuple[int, list[tuple[float, bytes]]]:
    with (CAPTURES / name).open("rb") as f:
        r = dpkt.pcap.Reader(f)
        return r.datalink(), [(float(ts), bytes(buf)) for ts, buf in r]


def write(path: Path, linktype: int, records: list[tuple[float, bytes]]) -> None:
    with path.open("wb") as f:
        w = dpkt.pcap.Writer(f, linktype=linktype, nano=False)
        for ts, buf in records:
            w.writepkt(buf, ts=ts)
    print(path.relative_to(HERE), len(records), "frames")


def set_u16(buf: bytes, offset: int, value: int) -> bytes:
    return buf[:offset] + struct.pack("<H", value) + buf[offset + 2 :]


# 802.11 management frames (raw, DLT 105): 24-byte header, then the fixed fields.
REASON_AT = 24  # deauthentication / disassociation: reason code
ASSOC_STATUS_AT = 26  # (re)association response: capability, status, AID
AUTH_STATUS_AT = 28  # authentication: algorithm, transaction, status
# 802.11 data frame (no QoS): 24-byte header, LLC/SNAP 8, EAPOL header 4, descriptor type 1: Key Information
KEY_INFO_AT = 37


def deauth_after_handshake(
    reason: int, src: str, upto: float, deauth_frame: int, at: float
) -> list[tuple[float, bytes]]:
    """Frames of ``src`` up to ``upto`` s after its first M4, then its real deauthentication frame
    ``deauth_frame`` with the reason code set to ``reason``, ``at`` s after that M4."""
    _, recs = frames(src)
    m4 = recs[22][0]  # wpa-psk-linksys.cap frame 23: M4
    kept = [r for r in recs if r[0] <= m4 + upto]
    _, buf = recs[deauth_frame - 1]
    kept.append((m4 + at, set_u16(buf, REASON_AT, reason)))
    return kept


def main() -> None:
    # ---- deauthentications with a reason code after a completed WPA1/TKIP handshake (wpa-psk-linksys.cap:
    # deauths with reason 2 and 6 at frames 3, 4, 8, then M1..M4 at 18, 19, 22, 23, then encrypted data).
    # Frame 3 is the AP's deauthentication of the station (reason 2); only its reason code is changed.
    write(
        HERE / "tkip-countermeasures" / "trigger.pcap",
        105,
        deauth_after_handshake(14, "wpa-psk-linksys.cap", 2.0, 3, 2.5),
    )
    # The same, with the station's two Michael MIC failure reports before the deauthentication: copies of
    # its M4 (frame 23), shaped like a report already (no key data, zero nonce), with only the Key
    # Information changed to Request, Error, MIC, Secure, Pairwise, version 1 (IEEE 802.11-2020 12.7.2;
    # wpa_supplicant's wpa_sm_key_request), 1.0 and 1.5 s after M4 (a report's MIC is not checked here).
    recs = deauth_after_handshake(14, "wpa-psk-linksys.cap", 2.0, 3, 2.5)
    m4_ts, m4 = frames("wpa-psk-linksys.cap")[1][22]
    assert struct.unpack_from(">H", m4, KEY_INFO_AT)[0] == 0x0109  # WPA1 M4: MIC, Pairwise, v1; no key data
    report = m4[:KEY_INFO_AT] + struct.pack(">H", 0x0F09) + m4[KEY_INFO_AT + 2 :]
    recs[-1:-1] = [(m4_ts + 1.0, report), (m4_ts + 1.5, report)]
    write(HERE / "tkip-countermeasures" / "trigger-2.pcap", 105, recs)
    write(
        HERE / "group-key-timeout" / "trigger-2.pcap",
        105,
        deauth_after_handshake(16, "wpa-psk-linksys.cap", 3.0, 3, 4.0),
    )

    # ---- reason 17: wpa2-psk-linksys.cap up to its first M3 (frame 53), then the station leaves with
    # reason 17.  The station's deauthentication frame is frame 4 of wpa-psk-linksys.cap (same AP and
    # station, same session of the same publisher), reason 2 changed to 17.
    _, wpa2 = frames("wpa2-psk-linksys.cap")
    _, wpa1 = frames("wpa-psk-linksys.cap")
    m3_ts = wpa2[52][0]
    recs = [*wpa2[:53], (m3_ts + 0.012, set_u16(wpa1[3][1], REASON_AT, 17))]
    write(HERE / "rsne-mismatch" / "trigger-2.pcap", 105, recs)
    # ---- reason 15 after M3: the same frames 1-53, then the AP's deauthentication (frame 3 of
    # wpa-psk-linksys.cap) with reason 2 changed to 15, 3 s after M3 (the AP's M3 resends not captured).
    recs = [*wpa2[:53], (m3_ts + 3.0, set_u16(wpa1[2][1], REASON_AT, 15))]
    write(HERE / "4way-m3-no-m4" / "trigger-3.pcap", 105, recs)

    # ---- association rejected: pmkid-not-recognized.cap, station 24:df:a7:95:54:e6 refused by AP
    # 8c:de:f9:d0:b4:61 (SSID WML) with status 31 (frames 19185 auth, 19187 auth, 19190 association
    # request, 19192 association response).  The first beacon names the network.
    _, pk = frames("pmkid-not-recognized.cap")
    beacon = next(r for r in pk if r[1][0] == 0x80 and r[1][16:22] == bytes.fromhex("8cdef9d0b461"))
    attempt = [pk[n - 1] for n in (19185, 19187, 19190, 19192)]
    for status, dest in (
        (31, "encryption-mode-mismatch/trigger-3.pcap"),  # unchanged: the real refusal
        (17, "ap-full/trigger-3.pcap"),
        (12, "assoc-reject-status-12/trigger-3.pcap"),
        (43, "assoc-reject-invalid-akm/trigger-3.pcap"),
        (53, "assoc-reject-invalid-pmkid/trigger-2.pcap"),
        (42, "cipher-mismatch/trigger-3.pcap"),
        (40, "invalid-assoc-request/trigger-2.pcap"),
    ):
        ts, resp = attempt[-1]
        assert struct.unpack_from("<H", resp, ASSOC_STATUS_AT)[0] == 31
        write(HERE / dest, 105, [beacon, *attempt[:-1], (ts, set_u16(resp, ASSOC_STATUS_AT, status))])

    # ---- SAE refused: wpa3-psk.pcap (radiotap, 22-byte header, no FCS): beacon 1, probe response 3,
    # station commit 5, AP commit 7, station confirm 9, AP confirm 11.  hostapd answers a refused SAE
    # frame with the fixed fields only (ieee802_11.c handle_auth_sae, send_auth_reply without data).
    lt, w3 = frames("wpa3-psk.pcap")
    rt = struct.unpack_from("<H", w3[0][1], 2)[0]

    def refused(n: int, status: int, keep: int = 0) -> tuple[float, bytes]:
        ts, buf = w3[n - 1]
        buf = set_u16(buf, rt + AUTH_STATUS_AT, status)
        return ts, buf[: rt + AUTH_STATUS_AT + 2 + keep]

    head = [w3[0], w3[2], w3[4]]
    # confirm did not verify: the AP answers the station's confirm with status 15 instead of its own confirm
    write(HERE / "sae-auth-rejected" / "trigger.pcap", lt, [*head, w3[6], w3[8], refused(11, 15)])
    # group refused: the AP answers the station's commit with status 77 and the group field
    write(HERE / "sae-auth-rejected" / "trigger-2.pcap", lt, [*head, refused(7, 77, keep=2)])
    # anti-clogging: the AP answers with status 76 and the group field (the token itself is not
    # reconstructed); the station never sends its commit again
    write(HERE / "sae-auth-rejected" / "trigger-3.pcap", lt, [*head, refused(7, 76, keep=2)])


if __name__ == "__main__":
    main()
