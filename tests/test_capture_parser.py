"""The capture parser: frames to events with the shared kinds, stations, frame numbers and summaries."""

from __future__ import annotations

import struct
from collections import Counter
from pathlib import Path

import dpkt

from wlandoctor.capture.codes import REASON_CODES, STATUS_CODES, reason_name, status_name
from wlandoctor.model import Event, InputSummary
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers import all_parsers
from wlandoctor.parsers.capture import PARSER
from wlandoctor.sources import Input

CAPS = Path(__file__).parent / "data" / "captures"


def parse(path: Path) -> tuple[list[Event], InputSummary]:
    inp = Input.from_path(path)
    summary = InputSummary(inp.name, PARSER.name)
    try:
        return list(PARSER.parse(inp, summary)), summary
    finally:
        inp.close()


def test_registered_and_detected() -> None:
    assert PARSER in all_parsers()
    head = (CAPS / "wpa2.eapol.cap").read_bytes()[:65536]
    assert PARSER.sniff(head) == 100
    assert PARSER.sniff(b"Mar 05 2021 18:06:10.270.1 <7>[BTRACE]") == 0
    assert PARSER.sniff(b"\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a") == 100
    unsupported = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 113)
    assert PARSER.sniff(unsupported) == 60  # ours, and parse explains the link type


def test_all_kinds_are_in_the_vocabulary() -> None:
    for name in ("wpa2-psk-linksys.cap", "wpa3-psk.pcap", "wpa2psk-Red_Apple.dump", "test1.pcap"):
        events, _ = parse(CAPS / name)
        assert events
        for e in events:
            assert e.kind in KINDS
            assert e.stage == KINDS[e.kind].stage


def test_handshake_timeout_capture() -> None:
    events, summary = parse(CAPS / "handshake_not_exists.cap")
    sta = "54:35:30:23:62:8e"
    mine = [e for e in events if e.station == sta]
    assert [(e.kind, e.ref.line) for e in mine] == [
        ("eapol.m1.sent", 419),
        ("sta.deauth", 1088),
        ("sta.deauth", 1094),
        ("sta.deauth", 1096),
    ]
    deauth = mine[1]
    assert deauth.attrs == {"reason": 15, "reason_name": "4-Way Handshake timeout", "by": "ap"}
    assert deauth.bssid == "00:1d:d5:9b:11:00" and deauth.ssid == "HOME-1102"
    assert "Deauthentication, reason 15 (4-Way Handshake timeout)" in deauth.ref.text
    assert mine[2].attrs["by"] == "sta" and mine[2].attrs["reason"] == 7
    assert summary.records == 34 and summary.problems == []
    # Beacons describe networks, not stations: no station, one event per BSSID/SSID.
    beacons = [e for e in events if e.kind == "beacon" and e.station == ""]
    assert len(beacons) == len({(e.bssid, e.attrs["ssid_hex"]) for e in beacons})


def test_linksys_full_sequence_and_assoc_reject() -> None:
    events, _ = parse(CAPS / "wpa2-psk-linksys.cap")
    sta = "00:13:ce:55:98:ef"
    kinds = [e.kind for e in events if e.station == sta]
    assert kinds[:3] == ["sta.deauth", "sta.deauth", "sta.deauth"]
    first = kinds[kinds.index("auth.request") :][:8]
    assert first == [
        "auth.request",
        "auth.response",
        "assoc.request",
        "assoc.response",
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m3.sent",
        "eapol.m4.received",
    ]
    reject = next(e for e in events if e.kind == "assoc.reject")
    assert reject.ref.line == 309
    assert reject.attrs["status"] == 10
    assert reject.attrs["status_name"] == "Cannot support all requested capabilities"
    m1 = next(e for e in events if e.ref.line == 89)
    assert m1.kind == "eapol.m1.sent" and m1.attrs["pmkid"] == ["d42ce8b065f8805553a1b6897f4ee452"]
    m2 = next(e for e in events if e.ref.line == 90)
    assert m2.kind == "eapol.m2.received" and m2.attrs["key_info"] == "0x030a"
    assert m2.ref.text.endswith("EAPOL Key (Message 2 of 4), replay counter 3, kver 2")
    assoc = next(e for e in events if e.kind == "assoc.request")
    assert assoc.attrs["akm"] == "PSK" and assoc.attrs["pmkid"] == []


def test_red_apple_retries_and_eapol_start() -> None:
    events, _ = parse(CAPS / "wpa2psk-Red_Apple.dump")
    seq = [(e.ref.line, e.kind) for e in events]
    assert seq[0] == (1, "eapol.m1.sent")
    assert (2, "eapol.start") in seq
    c = Counter(k for _, k in seq)
    assert c["eapol.start"] == 7
    assert c["eapol.m1.sent"] + c["eapol.m1.retry"] == 10
    assert c["eapol.m1.retry"] >= 5
    assert [k for _, k in seq[-5:]] == [
        "eapol.m2.received",
        "eapol.m2.received",
        "eapol.m2.received",
        "eapol.m3.sent",
        "eapol.m4.received",
    ]
    assert {e.station for e in events} == {"00:0e:35:72:1a:98"}


def test_m3_retries() -> None:
    events, _ = parse(CAPS / "test1.pcap")
    ogogo = [e.kind for e in events if e.station == "98:ff:d0:74:83:6d" and e.kind.startswith("eapol")]
    assert ogogo == ["eapol.m1.sent", "eapol.m3.sent", "eapol.m3.retry", "eapol.m3.retry"]


def test_sae_events() -> None:
    events, _ = parse(CAPS / "wpa3-psk.pcap")
    sta = "02:00:00:00:01:00"
    seq = [(e.kind, e.attrs.get("by")) for e in events if e.station == sta][:6]
    assert seq == [
        ("sae.commit", "sta"),
        ("sae.commit", "ap"),
        ("sae.confirm", "sta"),
        ("sae.confirm", "ap"),
        ("assoc.request", None),
        ("assoc.response", None),
    ]
    assoc = next(e for e in events if e.kind == "assoc.request")
    assert assoc.attrs["akm"] == "SAE"


def test_problems_are_reported_with_frame_numbers() -> None:
    events, summary = parse(CAPS / "wpapsk-virgin_broadband.dump")
    assert summary.problems[0].line == 657
    assert "probe-resp body truncated" in summary.problems[0].message
    assert summary.skipped >= 188
    assert events


def test_not_a_capture_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    p = tmp_path / "x.pcap"
    p.write_bytes(b"")
    events, summary = parse(p)
    assert events == [] and summary.problems[0].line == 0
    assert "empty file" in summary.problems[0].message


def _sanitized(text: str) -> bool:
    return not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)


def test_evidence_text_is_sanitized(tmp_path: Path) -> None:
    # A beacon whose SSID holds an ANSI escape: the summary must not carry it raw.
    ssid = b"\x1b[31mEVIL"
    body = b"\x00" * 8 + b"\x64\x00" + b"\x11\x04" + bytes([0, len(ssid)]) + ssid
    frame = b"\x80\x00\x00\x00" + b"\xff" * 6 + b"\x02\x11\x22\x33\x44\x55" * 2 + b"\x00\x00" + body
    p = tmp_path / "evil.pcap"
    with open(p, "wb") as fh:
        w = dpkt.pcap.Writer(fh, linktype=105)
        w.writepkt(frame, ts=1.0)
    events, _ = parse(p)
    (b,) = events
    assert _sanitized(b.ref.text) and "\\x1b" in b.ref.text


def test_every_standard_code_has_a_name() -> None:
    for code in (1, 2, 3, 4, 6, 7, 8, 9, 13, 14, 15, 16, 17, 23, 24, 49, 66):
        assert code in REASON_CODES
    for code in (0, 1, 10, 12, 13, 15, 16, 17, 18, 30, 31, 40, 41, 42, 43, 46, 53, 72, 76, 77, 126):
        assert code in STATUS_CODES
    assert reason_name(15) == "4-Way Handshake timeout"
    assert status_name(17) == "AP cannot handle more associated stations"
    assert reason_name(200) == "Reserved/unknown reason code 200"
    assert len(STATUS_CODES) >= 120 and len(REASON_CODES) >= 60


# ------------------------------------------------------------------------------------- synthetic 802.1X


AP = bytes.fromhex("020000000000")
STA = bytes.fromhex("020000000100")


def _eth(src: bytes, dst: bytes, eapol_type: int, body: bytes) -> bytes:
    return dst + src + b"\x88\x8e" + struct.pack(">BBH", 2, eapol_type, len(body)) + body


def _eap(code: int, ident: int, typ: int | None = None, data: bytes = b"") -> bytes:
    if typ is None:
        return struct.pack(">BBH", code, ident, 4)
    return struct.pack(">BBHB", code, ident, 5 + len(data), typ) + data


def _key_body(key_info: int, key_data: bytes = b"") -> bytes:
    return (
        struct.pack(">BHHQ", 2, key_info, 16, 7)
        + b"\x01" * 32
        + b"\x00" * 32
        + b"\x22" * 16
        + struct.pack(">H", len(key_data))
        + key_data
    )


def _dhcp(msg_type: int, src: bytes, dst: bytes) -> bytes:
    d = dpkt.dhcp.DHCP(chaddr=STA, xid=7, opts=((dpkt.dhcp.DHCP_OPT_MSGTYPE, bytes([msg_type])),))
    u = dpkt.udp.UDP(sport=68 if src == STA else 67, dport=67 if src == STA else 68, data=bytes(d))
    u.ulen = len(u)
    ip = dpkt.ip.IP(src=b"\x00" * 4, dst=b"\xff" * 4, p=17, data=u)
    ip.len = len(ip)
    return dst + src + b"\x08\x00" + bytes(ip)


def _ethernet_pcap(path: Path, frames: list[bytes], t0: float) -> Path:
    """An Ethernet capture of ``frames``, one a second from ``t0``."""
    with open(path, "wb") as fh:
        w = dpkt.pcap.Writer(fh, linktype=1)
        for i, f in enumerate(frames):
            w.writepkt(f, ts=t0 + i)
    return path


def test_eap_group_key_and_dhcp_events(tmp_path: Path) -> None:
    frames = [
        _eth(STA, AP, 1, b""),  # EAPOL-Start
        _eth(AP, STA, 0, _eap(1, 1, 1)),  # Request/Identity
        _eth(STA, AP, 0, _eap(2, 1, 1, b"alice@example.org")),  # Response/Identity
        _eth(AP, STA, 0, _eap(1, 2, 25, b"\x20")),  # Request/PEAP start
        _eth(STA, AP, 0, _eap(2, 2, 25, b"\x00")),  # Response/PEAP
        _eth(AP, STA, 0, _eap(4, 3)),  # Failure
        _eth(AP, STA, 3, _key_body(0x1382, b"\x00" * 32)),  # group 1/2
        _eth(STA, AP, 3, _key_body(0x0302)),  # group 2/2
        _dhcp(1, STA, b"\xff" * 6),
        _dhcp(2, AP, STA),
        _dhcp(3, STA, b"\xff" * 6),
        _dhcp(6, AP, STA),
    ]
    events, summary = parse(_ethernet_pcap(tmp_path / "dot1x.pcap", frames, 100.0))
    assert summary.problems == []
    assert [(e.ref.line, e.kind, e.station) for e in events] == [
        (1, "eapol.start", "02:00:00:00:01:00"),
        (2, "eap.identity.request", "02:00:00:00:01:00"),
        (3, "eap.identity.response", "02:00:00:00:01:00"),
        (4, "eap.challenge.request", "02:00:00:00:01:00"),
        (5, "eap.packet.relayed", "02:00:00:00:01:00"),
        (6, "eap.failure", "02:00:00:00:01:00"),
        (7, "group.m1.sent", "02:00:00:00:01:00"),
        (8, "group.m2.received", "02:00:00:00:01:00"),
        (9, "dhcp.discover", "02:00:00:00:01:00"),
        (10, "dhcp.offer", "02:00:00:00:01:00"),
        (11, "dhcp.request", "02:00:00:00:01:00"),
        (12, "dhcp.nak", "02:00:00:00:01:00"),
    ]
    ident = events[2]
    assert ident.attrs["identity"] == "alice@example.org"
    assert ident.bssid == "02:00:00:00:00:00"
    assert "EAP Request, PEAP (id 2)" in events[3].ref.text
    assert events[6].attrs["message"] == "G1" and events[6].bssid == "02:00:00:00:00:00"
    assert events[11].ref.text.endswith("DHCPNAK")
    assert [e.time for e in events] == [100.0 + i for i in range(12)]


def test_pcapng_of_two_interfaces_gives_the_events_of_both_captures(tmp_path: Path) -> None:
    # two-interfaces.pcapng = mergecap of wpa2.eapol.cap (802.11) and zn2i.pcap (radiotap), in that order.
    merged, summary = parse(CAPS / "two-interfaces.pcapng")
    apart = [parse(CAPS / name)[0] for name in ("wpa2.eapol.cap", "zn2i.pcap")]
    assert [(e.kind, e.station, e.ref.line, e.time) for e in merged] == [
        (e.kind, e.station, e.ref.line + shift, e.time)
        for events, shift in zip(apart, (0, 5), strict=True)
        for e in events
    ]
    assert (summary.records, summary.skipped, summary.problems) == (15, 0, [])
    # an interface of a link type wlandoctor does not read: its frames are counted as skipped and said
    data = (CAPS / "two-interfaces.pcapng").read_bytes()
    cooked = bytes(dpkt.pcapng.InterfaceDescriptionBlockLE(linktype=113, snaplen=65535))
    packet = bytes(dpkt.pcapng.EnhancedPacketBlockLE(iface_id=2, ts_high=0, ts_low=1, pkt_data=b"\x00" * 40))
    p = tmp_path / "three.pcapng"
    p.write_bytes(data + cooked + packet + packet)
    events, summary = parse(p)
    assert len(events) == len(merged)
    assert summary.skipped == 2
    assert [(pr.line, pr.message.split(";")[0]) for pr in summary.problems] == [
        (18, "2 frame(s) from an interface of link type 113 not read (first: frame 18)")
    ]


def test_michael_mic_failure_report_is_an_event(tmp_path: Path) -> None:
    # IEEE 802.11-2020 12.7.2: the station reports a Michael MIC failure with an EAPOL-Key frame with the
    # Request, Error, MIC and Secure bits set, Key Type pairwise when a unicast frame failed.  Any other
    # request (a station asking for a new key) is no onboarding step.
    frames = [
        _eth(STA, AP, 3, _key_body(0x0F09)),  # report: pairwise frame failed (kver 1, TKIP)
        _eth(STA, AP, 3, _key_body(0x0F01)),  # report: group frame failed
        _eth(STA, AP, 3, _key_body(0x0B09)),  # a plain request for a new pairwise key
    ]
    events, summary = parse(_ethernet_pcap(tmp_path / "mic-failure.pcap", frames, 200.0))
    assert [(e.ref.line, e.kind, e.station, e.attrs["by"], e.attrs["group"]) for e in events] == [
        (1, "tkip.mic_failure", "02:00:00:00:01:00", "sta", False),
        (2, "tkip.mic_failure", "02:00:00:00:01:00", "sta", True),
    ]
    assert "Michael MIC failure report, pairwise key" in events[0].ref.text
    assert (summary.records, summary.skipped) == (3, 1)


# ---- the project's own wired 802.1X lab, recorded on the authenticator's two sides (tests/data/lab) ------
LAB = Path(__file__).parent / "data" / "lab"
LAB_STA = "02:1a:b0:00:00:02"


def _lab(name: str, prefixes: tuple[str, ...] = ("radius.", "sta.", "eap.")) -> list[tuple[int, str]]:
    events, summary = parse(LAB / name / "capture.pcapng")
    assert summary.problems == [] and summary.skipped == 0
    assert {e.station for e in events} == {
        LAB_STA
    }  # EAP to the PAE group address, RADIUS by Calling-Station-Id
    return [(e.ref.line, e.kind) for e in events if e.kind.startswith(prefixes)]


def test_lab_radius_exchange_and_reject() -> None:
    events, _ = parse(LAB / "wrong-password" / "capture.pcapng")
    radius = [e for e in events if e.kind.startswith("radius.")]
    assert Counter(e.kind for e in radius) == {
        "radius.request": 10,
        "radius.challenge": 9,
        "radius.reject": 1,
    }
    first, last = radius[0], radius[-1]
    assert first.attrs["user"] == "labuser" and first.attrs["radius_id"] == 0
    assert last.kind == "radius.reject" and last.attrs["radius_id"] == 9
    assert "127.0.0.1:1812 → 127.0.0.1:" in last.ref.text  # the answer, paired with its request
    assert [k for _, k in _lab("wrong-password", ("eap.failure",))] == ["eap.failure"]


def test_lab_radius_silence_and_port_unreachable() -> None:
    # wrong-secret: the server drops the request; hostapd sends it again unchanged, twice
    assert [k for _, k in _lab("wrong-secret", ("radius.",))] == [
        "radius.request",
        "radius.no_reply",
        "radius.no_reply",
    ]
    # radius-down: nothing listens on the port: ICMP port unreachable for the request and each resend
    assert [k for _, k in _lab("radius-down", ("radius.",))] == [
        "radius.request",
        "radius.unreachable",
        "radius.no_reply",
        "radius.unreachable",
        "radius.no_reply",
        "radius.unreachable",
    ]


def test_lab_wired_port_authorized_and_identity_unanswered() -> None:
    # success: on a wired port EAP-Success authorizes the port (no key exchange follows)
    ok = _lab("success", ("eap.success", "sta.connected", "radius.accept"))
    assert [k for _, k in ok] == ["eap.success", "sta.connected", "radius.accept"]
    assert ok[0][0] == ok[1][0]  # the same frame
    # no-supplicant: EAP-Request/Identity to the PAE group address, sent again 3 and 9 s later (same id):
    # addressed to nobody, filed under the host last seen on the port (its DHCPDISCOVER, frame 3)
    assert [k for _, k in _lab("no-supplicant", ("eap.", "dhcp."))] == [
        "dhcp.discover",
        "eap.identity.request",
        "eap.identity.timeout",
        "eap.identity.timeout",
    ]


def test_calling_station_id_forms() -> None:
    from wlandoctor.parsers.capture import _calling_station

    for form in ("02-1A-B0-00-00-02", "021ab0000002", "021a.b000.0002", "02:1a:b0:00:00:02"):
        assert _calling_station(form) == LAB_STA, form
    for other in ("Gi1/0/3", "02-1A-B0:00-00-02", "+4930123456", "", None):
        assert _calling_station(other) is None, other


def test_radius_truncated_is_reported_not_raised(tmp_path: Path) -> None:
    # a datagram to the RADIUS port too short for the RADIUS header: a problem with its frame number
    u = dpkt.udp.UDP(sport=40000, dport=1812, data=b"\x01\x07\x00")
    u.ulen = len(u)
    ip = dpkt.ip.IP(src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", p=17, data=u)
    ip.len = len(ip)
    frame = STA + AP + b"\x08\x00" + bytes(ip)
    events, summary = parse(_ethernet_pcap(tmp_path / "cut.pcap", [frame], 1.0))
    assert events == []
    assert [(pr.line, pr.message) for pr in summary.problems] == [(1, "RADIUS packet truncated or malformed")]
