"""The capture reader: containers, link types, 802.11/EAPOL decoding, message identification, robustness."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import dpkt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wlandoctor.capture.candidates import Candidate
from wlandoctor.capture.messages import GROUP1, GROUP2, M1, M2, M3, M4, REQUEST, classify
from wlandoctor.capture.reader import Capture, CaptureError, Frame, open_capture, parse_eapol_key
from wlandoctor.capture.verify import MATCH, prove

CAPS = Path(__file__).parent / "data" / "captures"


def frames(name: str | Path) -> list[Frame]:
    with open_capture(CAPS / name if isinstance(name, str) else name) as cap:
        return list(cap.frames())


def keyed(fs: list[Frame]) -> dict[int, str]:
    return {f.number: classify(f.key) for f in fs if f.key is not None}


def raw_records(name: str) -> tuple[int, list[tuple[float, bytes]]]:
    with open(CAPS / name, "rb") as fh:
        r = dpkt.pcap.Reader(fh)
        return r.datalink(), [(float(ts), bytes(buf)) for ts, buf in r]


def write_pcap(path: Path, linktype: int, records: list[tuple[float, bytes]], nano: bool = False) -> Path:
    with open(path, "wb") as fh:
        w = dpkt.pcap.Writer(fh, linktype=linktype, nano=nano)
        for ts, buf in records:
            w.writepkt(buf, ts=ts)
    return path


# --------------------------------------------------------------------------------------------- link types


@pytest.mark.parametrize(
    ("name", "linktype"),
    [("wpa2.eapol.cap", 105), ("wpa.cap", 119), ("test1.pcap", 127), ("wpa3-psk.pcap", 127)],
)
def test_link_types(name: str, linktype: int) -> None:
    with open_capture(CAPS / name) as cap:
        assert cap.linktype == linktype
        assert cap.format == "pcap"
        assert list(cap.frames())


def test_prism_capture_messages_at_documented_frames() -> None:
    assert keyed(frames("wpa.cap")) == {2: M1, 4: M2, 6: M3, 8: M4}


def test_linksys_wpa1_deauths_and_handshake() -> None:
    fs = frames("wpa-psk-linksys.cap")
    deauth = {f.number: f.reason for f in fs if f.type == "deauth"}
    assert {3, 4, 8} <= set(deauth)
    assert set(deauth.values()) == {2, 6}
    assert keyed(fs) == {18: M1, 19: M2, 22: M3, 23: M4}
    assert {f.key.descriptor_type for f in fs if f.key} == {254}


def test_secure_bit_m2_is_an_m2() -> None:
    fs = {f.number: f for f in frames("wpa2-psk-linksys.cap")}
    f90 = fs[90]
    assert f90.key is not None and f90.key.key_info == 0x030A and f90.key.secure
    assert classify(f90.key) == M2
    assert classify(fs[93].key) == M4  # type: ignore[arg-type]
    assert fs[89].key.pmkids == (bytes.fromhex("d42ce8b065f8805553a1b6897f4ee452"),)  # type: ignore[union-attr]


def test_kver3_capture_fields() -> None:
    fs = frames("n-02.cap")
    ks = {f.number: f.key for f in fs if f.key}
    assert [(n, k.replay_counter, k.version) for n, k in ks.items()] == [
        (126, 3, 3),
        (130, 3, 3),
        (132, 4, 3),
        (134, 4, 3),
    ]
    beacon = next(f for f in fs if f.type == "beacon" and f.ssid == b"Neheb")
    assert beacon.rsn is not None and 6 in beacon.rsn.akms and beacon.rsn.mfp_capable
    m2 = ks[130]
    assert m2.rsn is not None and m2.rsn.akms == (6,)
    assert m2.mic.hex() == "2e13c40ca1c2e4e2037f99a2da18a46b"


def test_sae_authentication_frames() -> None:
    fs = frames("wpa3-psk.pcap")
    auth = [(f.number, f.auth_alg, f.auth_seq, f.status) for f in fs if f.type == "auth"]
    assert auth == [(5, 3, 1, 0), (7, 3, 1, 0), (9, 3, 2, 0), (11, 3, 2, 0)]
    assert next(f for f in fs if f.number == 5).extra["sae_group"] == 19
    m1 = next(f for f in fs if f.number == 17)
    assert m1.key is not None and m1.key.version == 0
    assert m1.key.pmkids[0].hex() == "aea22e58aeccb19a8c3ce641b3bb5ea9"


def test_transition_mode_beacons() -> None:
    fs = frames("pmkid-not-recognized.cap")
    akm_sets = {
        tuple(sorted(set(f.rsn.akms)))
        for f in fs
        if f.type in ("beacon", "probe-resp") and f.rsn and f.ssid == b"WML"
    }
    assert akm_sets == {(2,), (2, 8)}  # WPA2/WPA3 transition mode: PSK, and PSK + SAE


def test_wds_four_address_frames() -> None:
    fs = frames("capture_wds-01.cap")
    assert next(f for f in fs if f.number == 1).reason == 3
    assert keyed(fs) == {12: M1, 16: M2, 18: M3, 20: M4}


def test_deauth_reason_15_from_ap() -> None:
    fs = frames("handshake_not_exists.cap")
    f = next(f for f in fs if f.number == 1088)
    assert (f.type, f.reason, f.src, f.dst) == ("deauth", 15, "00:1d:d5:9b:11:00", "54:35:30:23:62:8e")


def test_non_utf8_ssid() -> None:
    (beacon,) = [f for f in frames("Chinese-SSID-Name.pcap") if f.type == "beacon"]
    assert beacon.ssid == bytes.fromhex("b2e2cad4")
    assert beacon.ssid_text == "\\xb2\\xe2\\xca\\xd4"
    assert beacon.bssid == "00:24:01:8d:c0:84"


def test_beacon_without_eapol() -> None:
    fs = frames("wps2.0.pcap")
    assert [(f.type, f.ssid) for f in fs] == [("beacon", b"WLAN_666")]


def test_malformed_frames_are_reported_with_numbers() -> None:
    with open_capture(CAPS / "wpaclean_crash.pcap") as cap:
        assert list(cap.frames()) == []
        assert cap.malformed == 1 and cap.problems[0][0] == 1
        assert "Prism" in cap.problems[0][1]
    with open_capture(CAPS / "wpapsk-virgin_broadband.dump") as cap:
        list(cap.frames())
        assert cap.malformed == 188
        assert cap.problems[0] == (657, "probe-resp body truncated")
    with open_capture(CAPS / "3.pcap") as cap:  # control frames: irrelevant, never a crash
        assert list(cap.frames()) == [] and cap.records == 3


def test_file_cut_short_is_reported() -> None:
    with open_capture(CAPS / "handshake_has_1234.cap") as cap:
        list(cap.frames())
        assert cap.records == 2190
        assert cap.truncated == "frame 2190 is cut short (244 of 368 bytes)"


# --------------------------------------------------------------------------------------------- containers


def test_pcapng_and_nanosecond_pcap_give_the_same_frames(tmp_path: Path) -> None:
    linktype, recs = raw_records("wpa2-psk-linksys.cap")
    ng = tmp_path / "linksys.pcapng"
    with open(ng, "wb") as fh:
        w = dpkt.pcapng.Writer(fh, linktype=linktype)
        for ts, buf in recs:
            w.writepkt(buf, ts=ts)
    nano = write_pcap(tmp_path / "nano.pcap", linktype, recs, nano=True)
    base = [(f.number, f.type, f.src, f.eapol) for f in frames("wpa2-psk-linksys.cap")]
    with open_capture(ng) as cap:
        assert cap.format == "pcapng"
        assert [(f.number, f.type, f.src, f.eapol) for f in cap.frames()] == base
    assert [(f.number, f.type, f.src, f.eapol) for f in frames(nano)] == base
    proofs = prove(ng, None, [Candidate("x", "dictionary", 1)])
    assert [p.verdict for p in proofs] == [MATCH] * 3


def test_pcapng_of_two_interfaces_reads_each_with_its_link_type() -> None:
    # mergecap of an 802.11 capture and a radiotap one: a pcapng with one interface each (SOURCES.md), as
    # dumpcap writes when capturing on two interfaces at once.  dpkt's reader took every packet for the
    # first interface's link type: the radiotap handshake was read as garbage, and nothing said so.
    first, second = frames("wpa2.eapol.cap"), frames("zn2i.pcap")
    with open_capture(CAPS / "two-interfaces.pcapng") as cap:
        both = list(cap.frames())
        assert cap.format == "pcapng" and cap.linktype == 105  # the first interface's
        assert cap.records == 17 and cap.problems == []
    shift = 5  # the 802.11 capture's frames come first (earlier time stamps)
    want = [(f.number, f.time, f.type, f.src, f.dst, f.eapol_type) for f in first] + [
        (f.number + shift, f.time, f.type, f.src, f.dst, f.eapol_type) for f in second
    ]
    assert [(f.number, f.time, f.type, f.src, f.dst, f.eapol_type) for f in both] == want
    proofs = prove(CAPS / "two-interfaces.pcapng", None, [Candidate("c", "12345678", 1)])
    assert sorted((p.ssid, p.verdict) for p in proofs) == [("Harkonen", MATCH), ("dlink", MATCH)]


def _shb(le: bool = True) -> bytes:
    return bytes(dpkt.pcapng.SectionHeaderBlockLE() if le else dpkt.pcapng.SectionHeaderBlock())


def _idb(linktype: int, tsresol: int | None = None, le: bool = True) -> bytes:
    ng = dpkt.pcapng
    opt = ng.PcapngOptionLE if le else ng.PcapngOption
    opts = [opt(code=ng.PCAPNG_OPT_IF_TSRESOL, data=bytes([tsresol]))] if tsresol is not None else []
    cls = ng.InterfaceDescriptionBlockLE if le else ng.InterfaceDescriptionBlock
    return bytes(cls(linktype=linktype, snaplen=65535, opts=[*opts, opt(code=ng.PCAPNG_OPT_ENDOFOPT)]))


def _epb(iface: int, ticks: int, data: bytes, le: bool = True) -> bytes:
    cls = dpkt.pcapng.EnhancedPacketBlockLE if le else dpkt.pcapng.EnhancedPacketBlock
    return bytes(cls(iface_id=iface, ts_high=ticks >> 32, ts_low=ticks & 0xFFFFFFFF, pkt_data=data))


def _spb(data: bytes) -> bytes:
    padded = data + b"\x00" * (-len(data) % 4)
    n = 16 + len(padded)
    return struct.pack("<III", 3, n, len(data)) + padded + struct.pack("<I", n)


def test_pcapng_interfaces_of_other_link_types_time_resolutions_and_sections(tmp_path: Path) -> None:
    _lt, recs = raw_records("wpa2.eapol.cap")  # 802.11: beacon, M1-M4
    ts0 = recs[0][0]
    blob = (
        _shb()
        + _idb(113)  # interface 0: Linux cooked capture, not read
        + _idb(105, tsresol=9)  # interface 1: 802.11, nanoseconds
        + _epb(0, 5, b"\x00" * 40)
        + _epb(1, round(recs[0][0] * 1e9), recs[0][1])
        + _epb(1, round(recs[1][0] * 1e9), recs[1][1])
        + _epb(0, 6, b"\x00" * 40)
        + _epb(7, 7, recs[2][1])  # an interface never described
        + _shb(le=False)  # a second section, big-endian: interfaces numbered from 0 again
        + _idb(105, tsresol=0x80 | 10, le=False)  # 1/1024 s
        + _epb(0, round(recs[3][0] * 1024), recs[3][1], le=False)
        + _shb()
        + _idb(105)
        + _spb(recs[4][1])  # a simple packet block: interface 0, no time stamp of its own
    )
    p = tmp_path / "mixed.pcapng"
    p.write_bytes(blob)
    with open_capture(p) as cap:
        fs = list(cap.frames())
        assert cap.linktype == 113
        assert cap.records == 7
        assert [(f.number, classify(f.key) if f.key else f.type) for f in fs] == [
            (2, "beacon"),
            (3, M1),
            (6, M3),
            (7, M4),
        ]
        assert fs[0].time == pytest.approx(ts0, abs=1e-6) and fs[1].time == pytest.approx(
            recs[1][0], abs=1e-6
        )
        assert fs[2].time == pytest.approx(recs[3][0], abs=1 / 1024)
        assert fs[3].time == fs[2].time  # the simple packet block keeps the previous time stamp
        assert cap.problems == [
            (1, "2 frame(s) from an interface of link type 113 not read (first: frame 1); wlandoctor reads "
                "1 (Ethernet), 105 (IEEE 802.11), 119 (Prism header + 802.11), 127 (radiotap + 802.11), "
                "163 (AVS header + 802.11)"),
            (5, "1 frame(s) from an interface the file never describes not read (first: frame 5); "
                "wlandoctor reads 1 (Ethernet), 105 (IEEE 802.11), 119 (Prism header + 802.11), "
                "127 (radiotap + 802.11), 163 (AVS header + 802.11)"),
        ]  # fmt: skip


def test_pcapng_of_unread_link_types_only_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "sll.pcapng"
    p.write_bytes(_shb() + _idb(113) + _idb(228) + _epb(0, 1, b"\x00" * 40))
    with pytest.raises(CaptureError, match=r"link type 113, 228 is not supported"), open_capture(p):
        pass
    p.write_bytes(_shb() + _epb(0, 1, b"\x00" * 40))
    with pytest.raises(CaptureError, match="describes no interface"), open_capture(p):
        pass


def test_pcapng_interfaces_are_bounded(tmp_path: Path) -> None:
    from wlandoctor.capture.pcapng import MAX_INTERFACES

    p = tmp_path / "idbs.pcapng"
    p.write_bytes(_shb() + _idb(105) * (MAX_INTERFACES + 500) + _epb(MAX_INTERFACES + 10, 1, b"\x00" * 30))
    with open_capture(p) as cap:
        assert list(cap.frames()) == []
        assert cap._pcapng is not None and len(cap._pcapng.interfaces) == MAX_INTERFACES
        assert [n for n, _ in cap.problems] == [1]
        assert "an interface the file never describes" in cap.problems[0][1]


def test_pcapng_of_many_empty_sections(tmp_path: Path) -> None:
    # (each section header once started a nested read: thousands of them overflowed the stack)
    _lt, recs = raw_records("wpa2.eapol.cap")
    p = tmp_path / "sections.pcapng"
    p.write_bytes(_shb() + _idb(105) + _shb() * 5000 + _idb(105) + _epb(0, 1, recs[1][1]))
    with open_capture(p) as cap:
        assert [classify(f.key) for f in cap.frames() if f.key] == [M1]
        assert cap.problems == []


def test_pcapng_first_packet_corrupt_is_reported_as_the_files_end(tmp_path: Path) -> None:
    p = tmp_path / "cut.pcapng"
    p.write_bytes(_shb() + _idb(105) + struct.pack("<II", 6, 7))  # a block length no block can have
    with open_capture(p) as cap:
        assert list(cap.frames()) == []
        assert cap.problems == [(1, "file truncated or corrupt: block of impossible length 7")]


def test_big_endian_pcap(tmp_path: Path) -> None:
    linktype, recs = raw_records("wpa2.eapol.cap")
    p = tmp_path / "be.pcap"
    with open(p, "wb") as fh:
        fh.write(struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for ts, buf in recs:
            fh.write(struct.pack(">IIII", int(ts), int((ts % 1) * 1e6), len(buf), len(buf)) + buf)
    assert keyed(frames(p)) == {2: M1, 3: M2, 4: M3, 5: M4}


def _eth_from_80211(buf: bytes) -> bytes | None:
    """Re-frame an 802.11 EAPOL data frame as Ethernet (what a wired or local-interface capture shows)."""
    fc1 = buf[1]
    tods, fromds = fc1 & 1, fc1 & 2
    hdr = 24 + (2 if buf[0] & 0x80 else 0)
    if buf[hdr : hdr + 8] != b"\xaa\xaa\x03\x00\x00\x00\x88\x8e":
        return None
    a1, a2, a3 = buf[4:10], buf[10:16], buf[16:22]
    src, dst = (a2, a3) if tods else ((a3, a1) if fromds else (a2, a1))
    return dst + src + b"\x88\x8e" + buf[hdr + 8 :]


def test_ethernet_eapol(tmp_path: Path) -> None:
    _, recs = raw_records("wpa2.eapol.cap")
    eth = [(ts, e) for ts, b in recs if (e := _eth_from_80211(b)) is not None]
    p = write_pcap(tmp_path / "eth.pcap", 1, eth)
    fs = frames(p)
    assert [classify(f.key) for f in fs if f.key] == [M1, M2, M3, M4]
    assert all(f.bssid is None for f in fs)
    (proof,) = prove(p, "Harkonen", [Candidate("right", "12345678", 1)])
    assert proof.verdict == MATCH and proof.verified == ["M2@2", "M3@3", "M4@4"]


def _dhcp_frame(msg_type: int, client: bytes) -> bytes:
    d = dpkt.dhcp.DHCP(chaddr=client, xid=0x1234, opts=((dpkt.dhcp.DHCP_OPT_MSGTYPE, bytes([msg_type])),))
    u = dpkt.udp.UDP(sport=68, dport=67, data=bytes(d))
    u.ulen = len(u)
    ip = dpkt.ip.IP(src=b"\x00" * 4, dst=b"\xff" * 4, p=17, data=u)
    ip.len = len(ip)
    return b"\xff" * 6 + client + b"\x08\x00" + bytes(ip)


def test_dhcp_over_ethernet(tmp_path: Path) -> None:
    client = bytes.fromhex("020000000100")
    p = write_pcap(tmp_path / "dhcp.pcap", 1, [(1.0, _dhcp_frame(1, client)), (2.0, _dhcp_frame(6, client))])
    fs = frames(p)
    assert [(f.type, f.dhcp_type, f.dhcp_client) for f in fs] == [
        ("dhcp", 1, "02:00:00:00:01:00"),
        ("dhcp", 6, "02:00:00:00:01:00"),
    ]


def _radiotap(flags: int, frame: bytes, fcs: bool) -> bytes:
    # present: TSFT (bit 0) + Flags (bit 1); TSFT is 8-aligned, right after the 8-byte header
    hdr = struct.pack("<BBHI", 0, 0, 17, 0x3) + b"\x00" * 8 + bytes([flags])
    return hdr + frame + (b"\xde\xad\xbe\xef" if fcs else b"")


def test_radiotap_fcs_and_bad_fcs(tmp_path: Path) -> None:
    _, recs = raw_records("wpa2.eapol.cap")
    good = [(ts, _radiotap(0x10, b, True)) for ts, b in recs]
    p = write_pcap(tmp_path / "rt.pcap", 127, good)
    fs = frames(p)
    assert fs[0].ssid == b"Harkonen"  # the trailing FCS did not become a bogus element
    (proof,) = prove(p, None, [Candidate("r", "12345678", 1)])
    assert proof.verdict == MATCH
    bad = [(ts, _radiotap(0x50, b, True)) for ts, b in recs]
    with open_capture(write_pcap(tmp_path / "bad.pcap", 127, bad)) as cap:
        assert list(cap.frames()) == []
        assert cap.skipped_bad_fcs == 5


# --------------------------------------------------------------------------------------------- messages


def _key(key_info: int, key_data: bytes = b"", nonce: bytes = b"\x00" * 32, desc: int = 2) -> bytes:
    body = (
        struct.pack(">BHHQ", desc, key_info, 16, 1)
        + nonce
        + b"\x00" * 16
        + b"\x00" * 8
        + b"\x00" * 8
        + b"\x11" * 16
        + struct.pack(">H", len(key_data))
        + key_data
    )
    return struct.pack(">BBH", 2, 3, len(body)) + body


@pytest.mark.parametrize(
    ("key_info", "key_data", "expected"),
    [
        (0x008A, b"", M1),
        (0x010A, b"\x30\x14" + b"\x00" * 20, M2),
        (0x030A, b"\x30\x14" + b"\x00" * 20, M2),  # re-key M2 with Secure set
        (0x13CA, b"\x00" * 56, M3),
        (0x030A, b"", M4),
        (0x0109, b"", M4),  # WPA1 M4 without Secure
        (0x1382, b"\x00" * 32, GROUP1),
        (0x0302, b"", GROUP2),
        (0x0B0A, b"", REQUEST),  # Request + Error: a Michael MIC failure report
    ],
)
def test_message_classification(key_info: int, key_data: bytes, expected: str) -> None:
    assert classify(parse_eapol_key(_key(key_info, key_data, nonce=b"\x01" * 32))) == expected


def test_eapol_key_data_length_past_end_is_malformed(tmp_path: Path) -> None:
    raw = bytearray(_key(0x010A, b"\x30\x02\x01\x00"))
    raw[97:99] = struct.pack(">H", 200)
    frame = (
        b"\x08\x01\x00\x00"
        + b"\x02" * 6
        + b"\x04" * 6
        + b"\x02" * 6
        + b"\x00\x00"
        + b"\xaa\xaa\x03\x00\x00\x00\x88\x8e"
        + bytes(raw)
    )
    with open_capture(write_pcap(tmp_path / "k.pcap", 105, [(1.0, frame)])) as cap:
        assert list(cap.frames()) == []
        assert cap.malformed == 1
        assert cap.problems == [(1, "EAPOL-Key data length 200 runs past the end of the 103-byte frame")]


# --------------------------------------------------------------------------------------------- bad files


def test_zero_length_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.pcap"
    p.write_bytes(b"")
    with pytest.raises(CaptureError, match="empty file"), open_capture(p):
        pass


def test_not_a_capture(tmp_path: Path) -> None:
    p = tmp_path / "log.txt"
    p.write_text("Mar 05 2021 18:06:10 something\n")
    with pytest.raises(CaptureError, match="not a pcap or pcapng file"), open_capture(p):
        pass


def test_wrong_link_type(tmp_path: Path) -> None:
    p = write_pcap(tmp_path / "sll.pcap", 113, [(1.0, b"\x00" * 40)])
    with (
        pytest.raises(CaptureError, match=r"link type 113 is not supported; wlandoctor reads 1 \(Ethernet\)"),
        open_capture(p),
    ):
        pass


def test_truncated_header(tmp_path: Path) -> None:
    p = tmp_path / "short.pcap"
    p.write_bytes((CAPS / "wpa2.eapol.cap").read_bytes()[:10])
    with pytest.raises(CaptureError, match="header unreadable"), open_capture(p):
        pass


def test_absurd_record_length_stops_cleanly(tmp_path: Path) -> None:
    data = bytearray((CAPS / "wpa2.eapol.cap").read_bytes())
    data += struct.pack("<IIII", 1, 0, 0x7FFFFFFF, 0x7FFFFFFF) + b"\x00" * 100
    p = tmp_path / "bad.pcap"
    p.write_bytes(bytes(data))
    with open_capture(p) as cap:
        fs = list(cap.frames())
        assert len(fs) == 5
        assert cap.problems and cap.problems[-1][0] == 6
        assert "impossible" in cap.problems[-1][1]


def test_nonexistent_file(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="cannot open"), open_capture(tmp_path / "nope.pcap"):
        pass


def test_stream_reads_in_bounded_chunks() -> None:
    class Counting(io.BytesIO):
        biggest = 0

        def read(self, n: int | None = -1) -> bytes:  # type: ignore[override]
            assert n is not None and n >= 0, "whole-file read"
            Counting.biggest = max(Counting.biggest, n)
            return super().read(n)

    data = (CAPS / "pmkid-not-recognized.cap").read_bytes()
    cap = Capture(Counting(data), "x")  # type: ignore[arg-type]
    assert sum(1 for _ in cap.frames()) > 7000
    assert Counting.biggest < 4096


# --------------------------------------------------------------------------------------------- fuzzing

CORPUS_FILES = sorted(
    p
    for p in CAPS.iterdir()
    if p.suffix in (".cap", ".pcap", ".pcapng", ".dump") and p.stat().st_size < 40000
)


FUZZ_CANDIDATE = [Candidate("c", "12345678", 1)]


def _read_all(data: bytes) -> None:
    """Reader, event mapping and key proof on hostile bytes: nothing may raise."""
    from wlandoctor.capture.verify import collect, prove_collected
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers.capture import PARSER
    from wlandoctor.sources import Input

    try:
        cap = Capture(io.BytesIO(data), "fuzz")
    except CaptureError:
        return
    fs = list(cap.frames())
    assert len(fs) + cap.malformed <= cap.records
    for _number, message in cap.problems:
        assert isinstance(message, str) and message
    prove_collected(collect(iter(fs)), b"fuzz", FUZZ_CANDIDATE)
    summary = InputSummary("fuzz", "pcap")
    events = list(PARSER.parse(Input.from_bytes("fuzz", data), summary))
    assert summary.records == len(fs)
    assert all(e.ref.line >= 1 for e in events)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    linktype=st.sampled_from([1, 105, 119, 127, 163]),
    packets=st.lists(st.binary(min_size=0, max_size=300), max_size=20),
)
def test_fuzz_random_frames(linktype: int, packets: list[bytes]) -> None:
    out = io.BytesIO()
    w = dpkt.pcap.Writer(out, linktype=linktype)
    for i, p in enumerate(packets):
        w.writepkt(p, ts=float(i))
    _read_all(out.getvalue())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(min_value=0, max_value=len(CORPUS_FILES) - 1),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=30),
    cut=st.one_of(st.none(), st.integers(min_value=0)),
)
def test_fuzz_mutated_and_truncated_corpus(which: int, flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(CORPUS_FILES[which].read_bytes())
    for pos, val in flips:
        if len(data) > 24:
            data[24 + pos % (len(data) - 24)] = val  # keep the file header, mutate records
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    _read_all(bytes(data))


_BLOCKS = st.one_of(
    st.builds(lambda le: _shb(le=le), st.booleans()),
    st.builds(
        lambda lt, res: _idb(lt, tsresol=res), st.sampled_from([1, 105, 113, 127, 163]), st.integers(0, 255)
    ),
    st.builds(
        lambda iface, ticks, data: _epb(iface, ticks, data),
        st.integers(0, 6),
        st.integers(0, 2**64 - 1),
        st.binary(max_size=200),
    ),
    st.builds(_spb, st.binary(max_size=200)),
    st.binary(min_size=0, max_size=40),  # junk between blocks
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCKS, max_size=25))
def test_fuzz_pcapng_block_sequences(blocks: list[bytes]) -> None:
    """Any sequence of sections, interfaces, packets and junk: read or reported, never raised."""
    _read_all(_shb() + b"".join(blocks))


def _udp_ip_frame(sport: int, dport: int, payload: bytes, proto: int = 17) -> bytes:
    if proto == 17:
        u = dpkt.udp.UDP(sport=sport, dport=dport, data=payload)
        u.ulen = len(u)
        payload = bytes(u)
    ip = dpkt.ip.IP(src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", p=proto, data=payload)
    ip.len = len(ip)
    return bytes.fromhex("020000000100020000000000") + b"\x08\x00" + bytes(ip)


_ATTR = st.tuples(st.sampled_from([1, 18, 26, 31, 79, 80]), st.binary(max_size=40)).map(
    lambda tv: bytes([tv[0], (len(tv[1]) + 2) & 0xFF]) + tv[1]
)
_RADIUS = st.builds(
    lambda code, ident, auth, attrs, cut: (
        bytes([code, ident]) + (20 + len(b"".join(attrs))).to_bytes(2, "big") + auth + b"".join(attrs)
    )[: cut or None],
    st.sampled_from([1, 2, 3, 4, 5, 11]),
    st.integers(0, 3),
    st.binary(min_size=16, max_size=16),
    st.lists(_ATTR, max_size=5),
    st.integers(0, 80),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.builds(
                lambda p, sp, dp: _udp_ip_frame(sp, dp, p),
                _RADIUS,
                st.sampled_from([1812, 40000]),
                st.sampled_from([1812, 1645, 40000]),
            ),
            st.builds(lambda icmp: _udp_ip_frame(0, 0, icmp, proto=1), st.binary(max_size=60)),
        ),
        max_size=12,
    )
)
def test_fuzz_radius_and_icmp_frames(frames: list[bytes]) -> None:
    out = io.BytesIO()
    w = dpkt.pcap.Writer(out, linktype=1)
    for i, f in enumerate(frames):
        w.writepkt(f, ts=float(i))
    _read_all(out.getvalue())


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=400))
def test_fuzz_eapol_key_parser(raw: bytes) -> None:
    from wlandoctor.capture.reader import _Malformed

    try:
        k = parse_eapol_key(raw)
    except _Malformed:
        return
    classify(k)
