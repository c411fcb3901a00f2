"""Build stale-key-handshake.pcap from the real aircrack-ng capture wpa2.eapol.cap (run from this folder).

The real beacon, M1 and M2 of station 00:13:46:fe:32:0c (whose key is the passphrase `12345678`) are kept
byte for byte. What follows is what an AP whose passphrase has since changed does with that M2: its MIC
fails, so the AP sends M1 again (same frame, replay counter + 1, one second later) and, after its retries,
deauthenticates the station with reason 15 (4-way handshake timeout), as hostapd does.
"""

import struct
from pathlib import Path

import dpkt

SRC = Path(__file__).parent.parent / "captures" / "wpa2.eapol.cap"
OUT = Path(__file__).parent / "stale-key-handshake.pcap"
# The same M2, then silence until the AP gives up (hostapd without retries in the capture): reason 15.
OUT_TIMEOUT = Path(__file__).parent / "stale-key-m2-then-timeout.pcap"

with SRC.open("rb") as f:
    frames = list(dpkt.pcap.Reader(f))
beacon, m1, m2 = frames[0], frames[1], frames[2]
ts_m1, raw_m1 = m1
ts_m2, raw_m2 = m2


def bump_replay_counter(raw: bytes, by: int) -> bytes:
    # 802.11 data header (24) + LLC/SNAP (8) + EAPOL header (4) + descriptor type (1) + key info (2) + key length (2)
    off = 24 + 8 + 4 + 1 + 2 + 2
    (rc,) = struct.unpack_from(">Q", raw, off)
    return raw[:off] + struct.pack(">Q", rc + by) + raw[off + 8 :]


def seq_bump(raw: bytes, by: int) -> bytes:
    (sc,) = struct.unpack_from("<H", raw, 22)
    return raw[:22] + struct.pack("<H", (sc + (by << 4)) & 0xFFFF) + raw[24:]


ap = raw_m1[10:16]  # transmitter of M1 is the AP
sta = raw_m1[4:10]
m1_again = seq_bump(bump_replay_counter(raw_m1, 1), 1)
m1_third = seq_bump(bump_replay_counter(raw_m1, 2), 2)
# Deauthentication: frame control 0xc0, duration, DA=sta, SA=ap, BSSID=ap, seq, reason 15
deauth = (
    struct.pack("<BBH", 0xC0, 0x00, 314) + sta + ap + ap + struct.pack("<H", 0x0100) + struct.pack("<H", 15)
)

with OUT.open("wb") as f:
    w = dpkt.pcap.Writer(f, linktype=105)
    w.writepkt(beacon[1], ts=beacon[0])
    w.writepkt(raw_m1, ts=ts_m1)
    w.writepkt(raw_m2, ts=ts_m2)
    w.writepkt(m1_again, ts=ts_m1 + 1.0)
    w.writepkt(m1_third, ts=ts_m1 + 2.0)
    w.writepkt(deauth, ts=ts_m1 + 3.0)
with OUT_TIMEOUT.open("wb") as f:
    w = dpkt.pcap.Writer(f, linktype=105)
    w.writepkt(beacon[1], ts=beacon[0])
    w.writepkt(raw_m1, ts=ts_m1)
    w.writepkt(raw_m2, ts=ts_m2)
    w.writepkt(deauth, ts=ts_m1 + 4.0)
print(OUT, OUT.stat().st_size, OUT_TIMEOUT, OUT_TIMEOUT.stat().st_size)
