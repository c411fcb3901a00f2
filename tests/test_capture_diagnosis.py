"""`wlandoctor diagnose CAPTURE` on every capture of the corpus: who is seen, how far they got, and why not.

One row per file in tests/data/captures (a file without a row fails the test).  The expectations follow
what the publishers document and tests/data/captures/SOURCES.md (the corpus MANIFEST) records about each
capture, read the way an engineer reads a monitor capture:

- a complete 4-way handshake (M4 seen) is online, with no cause;
- a capture that merely ends, or stops hearing the station, in the middle of a handshake is *incomplete*
  and gets no key or radio cause: the frames after it may simply not have been captured;
- a cause needs the AP's own behaviour as evidence: an AP deauthentication with a reason code, a rejected
  association, or EAPOL-Key messages the AP resent (a new replay counter) because no answer came.

Each station is (verdict, failing stage, top cause id), ``None`` for "no stage" / "no cause".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wlandoctor.pipeline import diagnose_paths

CAPTURES = Path(__file__).parent / "data" / "captures"

Row = dict[str, tuple[str, str | None, str | None]]

ONLINE = ("online", None, None)
INCOMPLETE = ("incomplete", None, None)

EXPECTED: dict[str, Row] = {
    # Robustness files without a single station (MANIFEST: "no handshake; parser must not crash").
    "3.pcap": {},
    "wpaclean_crash.pcap": {},
    "Chinese-SSID-Name.pcap": {},  # one beacon
    "wps2.0.pcap": {},  # one beacon
    # Not a packet capture: HCCAPX is for `verify` only; `diagnose` names the file it cannot read.
    "StayAlfred.hccapx": {},
    # Complete handshakes (M1-M4, MIC verified with the documented passphrase): online, nothing to explain.
    "two-interfaces.pcapng": {"00:13:46:fe:32:0c": ONLINE, "00:11:22:33:44:57": ONLINE},  # the two below
    "wpa2.eapol.cap": {"00:13:46:fe:32:0c": ONLINE},
    "wpa.cap": {"00:09:5b:91:53:5d": ONLINE},
    "wpa-psk-linksys.cap": {"00:13:ce:55:98:ef": ONLINE},  # deauths with reason 2/6 before: context only
    "wpa2-psk-linksys.cap": {"00:13:ce:55:98:ef": ONLINE},
    "n-02.cap": {"2c:f0:a2:dd:bc:d0": ONLINE},
    "zn2i.pcap": {"00:11:22:33:44:57": ONLINE},
    "capture_wds-01.cap": {"00:11:22:00:00:01": ONLINE},  # deauth reason 3 first, then M1-M4
    "MOM1.cap": {"00:21:00:ab:55:a9": ONLINE},  # frames 5/6 verify; M4 seen
    "handshake_exists.cap": {"68:a8:6d:15:53:2e": ONLINE},
    "handshake_has_1234.cap": {"6c:ad:f8:77:35:b1": ONLINE},  # deauth flood (reason 7), then M1-M4
    "wpa2psk-Red_Apple.dump": {"00:0e:35:72:1a:98": ONLINE},  # 10 M1s, then M2, M3, M4
    "wpapsk-virgin_broadband.dump": {"00:1f:e2:a0:a1:21": ONLINE},  # deauth flood (reason 7), ends online
    # SAE success (commit/confirm both ways), association, M1-M4 with kver 0.
    "wpa3-psk.pcap": {"02:00:00:00:01:00": ONLINE},
    # Captures that end in the middle of a handshake: incomplete, no cause.
    "wpa2psk-2WIRE972.dump": {"00:18:41:9c:a4:a0": INCOMPLETE},  # M1, M2, M3 and the file ends: key correct
    "test23.pcap": {"b0:c0:90:46:7c:ab": INCOMPLETE},  # M2, M3 only
    "testm1m2m3.pcap": {"b0:c0:90:46:7c:ab": INCOMPLETE},  # stale M1, then M2, M3
    "test-pmkid.pcap": {"00:21:e9:24:a5:e7": INCOMPLETE},  # one M1 (PMKID), nothing after
    # MANIFEST: M1 only, no M2 seen, and 5 s later the AP deauthenticates with reason 15.
    "handshake_not_exists.cap": {"54:35:30:23:62:8e": ("failed", "4way-handshake", "4way-m1-no-m2/rf-loss")},
    "test1.pcap": {
        # M1, then M3 resent by the AP with replay counters 14, 15, 16 one second apart: it waited for
        # M4 in vain (M2 was not captured, but M3 proves the AP accepted it).
        "98:ff:d0:74:83:6d": ("incomplete", "4way-handshake", "4way-m3-no-m4/rf-loss"),
        # eight M1s with replay counters 67..74 and never an M2.
        "f0:a2:25:1d:c8:81": ("incomplete", "4way-handshake", "4way-m1-no-m2/rf-loss"),
        # 7c:64..: full handshake on `Smile)`.
        "7c:64:56:8a:d6:7c": ONLINE,
        # re-associates and gets the same M1 again, then nothing more is heard: incomplete.
        "1c:cd:e5:57:56:2a": INCOMPLETE,
        # its last attempt is an authentication to another AP, unanswered in the capture.
        "c0:d3:c0:7d:19:65": INCOMPLETE,
        "ec:d0:9f:05:44:b0": INCOMPLETE,  # authentication requests only
    },
    "pmkid-not-recognized.cap": {
        "00:9e:c8:e7:36:1c": ONLINE,  # full M1-M4 at frames 18856-18862
        # Every association refused with status 31 (robust management frame policy violation).
        "24:df:a7:95:54:e6": ("failed", "association", "encryption-mode-mismatch/station-cannot-do-mode"),
        # Partial exchanges where the capture stops hearing the station, among deauth floods (reason 7):
        # no cause.  60:7e:a4.. ends with M3 sent three times with the same replay counter within 4 ms
        # (802.11 retransmissions of one frame), which is not the AP waiting for M4.
        "28:6c:07:1b:db:3d": INCOMPLETE,
        "36:ca:0b:23:c2:67": INCOMPLETE,
        "44:23:7c:dd:dd:0c": INCOMPLETE,
        "52:d2:f5:03:b7:1e": INCOMPLETE,
        "60:7e:a4:4c:ee:73": INCOMPLETE,
        # Its last attempt (SAE, M1, M3) just ends; the one before failed: M1, M2, M3 (frame 18303) and
        # 0.2 s later the station deauthenticates itself (frame 18321) instead of sending M4.  The last
        # one got no further than that failure, cut by the end of the capture: the station is failing there.
        "ac:76:4c:e7:d2:a3": ("failed", "4way-handshake", "4way-m3-no-m4/station-rejects-m3"),
    },
}

# Files `diagnose` reports a problem for, and a word the message must contain.
PROBLEMS = {
    "StayAlfred.hccapx": "not recognised",
    "wpaclean_crash.pcap": "exceeds",
    "handshake_has_1234.cap": "ends in the middle",
    "pmkid-not-recognized.cap": "ends in the middle",
}


def _captures() -> list[str]:
    return sorted(p.name for p in CAPTURES.iterdir() if p.is_file() and p.suffix != ".md")


def test_every_capture_has_a_row() -> None:
    missing = sorted(set(_captures()) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(_captures()))
    assert not missing, f"captures without an expected row: {missing}"
    assert not stale, f"rows for captures that are not in tests/data/captures: {stale}"


@pytest.mark.parametrize("name", _captures())
def test_capture_diagnosis(name: str) -> None:
    assert name in EXPECTED, f"{name} has no row in EXPECTED"
    report = diagnose_paths([str(CAPTURES / name)])
    got = {
        d.station: (str(d.verdict), str(d.stage) if d.stage else None, d.causes[0].id if d.causes else None)
        for d in report.diagnoses
    }
    assert got == EXPECTED[name]
    problems = [p.message for s in report.inputs for p in s.problems]
    if name in PROBLEMS:
        assert any(PROBLEMS[name] in m for m in problems), problems
    for d in report.diagnoses:
        for c in d.causes:
            # every cause cites frames of this capture
            assert c.evidence and all(ev.source.endswith(name) and ev.line > 0 for ev in c.evidence), c.id


def test_reason_15_after_m1_says_not_seen_and_cites_the_frames() -> None:
    """MANIFEST: "handshake timed out after M1 (AP sent reason 15)"; a monitor can miss M2, so "not seen"."""
    report = diagnose_paths([str(CAPTURES / "handshake_not_exists.cap")])
    (d,) = report.diagnoses
    top = d.causes[0]
    assert "not seen" in top.explanation and "reason 15" in top.explanation
    lines = {ev.line: ev.text for ev in top.evidence}
    assert 419 in lines and "Message 1 of 4" in lines[419]
    assert 1088 in lines and "reason 15" in lines[1088]
    assert not any(c.rule == "4way-m2-mic-mismatch" for c in d.causes)


@pytest.mark.parametrize("reason", [2, 6, 7])
def test_reasons_2_6_7_are_context_not_causes(tmp_path: Path, reason: int) -> None:
    """A capture that ends with the AP deauthenticating the station for a stale state (reason 2), a class 2
    or class 3 frame from a station it does not know (6, 7) shows a failed attempt, and explains nothing:
    these reasons come with every reconnection and deauthentication flood."""
    import struct

    import dpkt

    with (CAPTURES / "wpa-psk-linksys.cap").open("rb") as f:
        recs = [(ts, bytes(buf)) for ts, buf in dpkt.pcap.Reader(f)][:8]
    # frames 1-8: beacons and probes, deauthentications with reason 2 (AP and station) and 6 (AP, frame 8)
    ts, last = recs[-1]
    assert last[0] == 0xC0 and struct.unpack_from("<H", last, 24)[0] == 6
    recs[-1] = (ts, last[:24] + struct.pack("<H", reason) + last[26:])
    path = tmp_path / f"deauth-{reason}.pcap"
    with path.open("wb") as f:
        w = dpkt.pcap.Writer(f, linktype=105)
        for t, buf in recs:
            w.writepkt(buf, ts=t)
    report = diagnose_paths([str(path)])
    (d,) = report.diagnoses
    assert d.station == "00:13:ce:55:98:ef"
    assert str(d.verdict) == "failed"
    assert d.causes == [], [c.id for c in d.causes]


def test_m1_repeated_after_a_reassociation_then_reason_15(tmp_path: Path) -> None:
    """The station re-associates after message 1/4 and the AP sends the same message 1/4 again (the parser
    files it as a retry, in a new attempt), then gives up with reason 15: still M1 without M2.  Built from
    real frames of wpa2-psk-linksys.cap (authentication, association, M1) and the AP's deauthentication of
    wpa-psk-linksys.cap (reason 2 changed to 15)."""
    import struct

    import dpkt

    def records(name: str) -> list[tuple[float, bytes]]:
        with (CAPTURES / name).open("rb") as f:
            return [(float(ts), bytes(buf)) for ts, buf in dpkt.pcap.Reader(f)]

    wpa2, wpa1 = records("wpa2-psk-linksys.cap"), records("wpa-psk-linksys.cap")
    first = [wpa2[n - 1] for n in (40, 43, 45, 46, 48, 50)]  # beacon, auth x2, assoc req/resp, M1
    t = first[-1][0]
    again = [(t + 0.5 + i * 0.002, wpa2[n - 1][1]) for i, n in enumerate((46, 48, 50))]
    deauth = wpa1[2][1]
    assert deauth[0] == 0xC0 and struct.unpack_from("<H", deauth, 24)[0] == 2
    deauth = deauth[:24] + struct.pack("<H", 15) + deauth[26:]
    path = tmp_path / "m1-again-then-15.pcap"
    with path.open("wb") as f:
        w = dpkt.pcap.Writer(f, linktype=105)
        for ts, buf in [*first, *again, (t + 5.0, deauth)]:
            w.writepkt(buf, ts=ts)
    report = diagnose_paths([str(path)])
    (d,) = report.diagnoses
    kinds = [e.kind for e in d.timeline.last.events]
    assert "eapol.m1.retry" in kinds and "eapol.m1.sent" not in kinds, kinds
    # the timeline counts a retry as no progress, so this attempt "reached" association only
    assert str(d.verdict) == "failed"
    assert d.causes and d.causes[0].rule == "4way-m1-no-m2", [c.id for c in d.causes]
