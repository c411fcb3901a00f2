"""The key proof against the published ground truth of every corpus capture (see data/captures/SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wlandoctor.capture.candidates import Candidate
from wlandoctor.capture.reader import CaptureError
from wlandoctor.capture.verify import CANNOT, INCOMPLETE, MATCH, NO_MATCH, UNVERIFIABLE, exit_code, prove

CAPS = Path(__file__).parent / "data" / "captures"
WRONG = Candidate("wrong", "not-the-passphrase", 1)
WRONG2 = Candidate("guess", "Password1", 2)


def right(secret: str) -> Candidate:
    return Candidate("right", secret, 3)


def verdicts(proofs: list) -> list[str]:
    return [p.verdict for p in proofs]


# capture, SSID to pass (None = from the capture), passphrase, AP, STA
DOCUMENTED = [
    ("wpa2.eapol.cap", None, "12345678", "00:14:6c:7e:40:80", "00:13:46:fe:32:0c"),
    ("wpa.cap", None, "biscotte", "00:0d:93:eb:b0:8c", "00:09:5b:91:53:5d"),
    ("wpa-psk-linksys.cap", None, "dictionary", "00:0b:86:c2:a4:85", "00:13:ce:55:98:ef"),
    ("wpa2-psk-linksys.cap", None, "dictionary", "00:0b:86:c2:a4:85", "00:13:ce:55:98:ef"),
    ("n-02.cap", None, "bo$$password", "b0:b9:8a:56:8d:ea", "2c:f0:a2:dd:bc:d0"),
    ("test-pmkid.pcap", None, "SP-91862D361", "00:12:bf:77:16:2d", "00:21:e9:24:a5:e7"),
    ("test1.pcap", "ogogo", "15211521", "28:10:7b:94:bb:29", "f0:a2:25:1d:c8:81"),
    ("MOM1.cap", None, "MOM12345", "00:21:29:72:a3:19", "00:21:00:ab:55:a9"),
    ("test23.pcap", None, "12345678", "a0:f3:c1:50:3e:62", "b0:c0:90:46:7c:ab"),
    ("testm1m2m3.pcap", None, "12345678", "a0:f3:c1:50:3e:62", "b0:c0:90:46:7c:ab"),
    ("zn2i.pcap", None, "12345678", "00:06:4f:12:34:56", "00:11:22:33:44:57"),
    ("capture_wds-01.cap", None, "12345678", "00:11:22:00:00:00", "00:11:22:00:00:01"),
    ("wpa2psk-2WIRE972.dump", "2WIRE972", "helium02", "00:40:10:20:00:03", "00:18:41:9c:a4:a0"),
    ("wpa2psk-Red_Apple.dump", "Red Apple", "password", "00:1d:7e:2c:b1:af", "00:0e:35:72:1a:98"),
    (
        "wpapsk-virgin_broadband.dump",
        "virgin broadband",
        "preinstall",
        "00:22:3f:1b:2e:e6",
        "00:1f:e2:a0:a1:21",
    ),
]


@pytest.mark.parametrize(("name", "ssid", "secret", "ap", "sta"), DOCUMENTED, ids=[d[0] for d in DOCUMENTED])
def test_documented_passphrase_matches(name: str, ssid: str | None, secret: str, ap: str, sta: str) -> None:
    proofs = prove(CAPS / name, ssid, [WRONG, WRONG2, right(secret)])
    matched = [p for p in proofs if p.verdict == MATCH]
    assert matched, [(p.messages, p.verdict, p.notes) for p in proofs]
    for p in matched:
        assert (p.ap, p.sta) == (ap, sta)
        assert p.candidate == "right" and p.candidate_position == 3
        assert p.verified
    assert exit_code(proofs) == 0
    # Never a "no-match" when the right candidate is among them, on the documented pair.
    assert not [p for p in proofs if (p.ap, p.sta) == (ap, sta) and p.verdict == NO_MATCH]


@pytest.mark.parametrize(("name", "ssid", "secret", "ap", "sta"), DOCUMENTED, ids=[d[0] for d in DOCUMENTED])
def test_wrong_candidates_do_not_match(name: str, ssid: str | None, secret: str, ap: str, sta: str) -> None:
    proofs = prove(CAPS / name, ssid, [WRONG, WRONG2])
    assert MATCH not in verdicts(proofs)
    assert NO_MATCH in verdicts(proofs)
    assert exit_code(proofs) == 1


def by_frames(proofs: list, first: int) -> object:
    return next(p for p in proofs if first in p.frames)


def test_wpa2_eapol_all_three_mics_verify() -> None:
    (p,) = prove(CAPS / "wpa2.eapol.cap", None, [WRONG, right("12345678")])
    assert p.verified == ["M2@3", "M3@4", "M4@5"]
    assert (p.kver, p.akm_name, p.ssid) == (2, "PSK", "Harkonen")
    (q,) = prove(CAPS / "wpa2.eapol.cap", None, [WRONG])
    assert [c.status for c in q.checks] == [NO_MATCH] * 3


def test_wpa1_hmac_md5_and_m4_echoing_snonce() -> None:
    (p,) = prove(CAPS / "wpa.cap", None, [right("biscotte")])
    assert p.kver == 1
    assert p.verified == ["M2@4", "M3@6", "M4@8"]


def test_linksys_three_handshakes_and_secure_m2() -> None:
    proofs = prove(CAPS / "wpa2-psk-linksys.cap", None, [WRONG, right("dictionary")])
    assert [p.frames[:2] for p in proofs] == [[50, 51], [89, 90], [339, 340]]
    assert verdicts(proofs) == [MATCH] * 3
    second = proofs[1]
    assert "M2@90" in second.verified and "PMKID-M1@89" in second.verified
    pm = next(c for c in second.checks if c.what == "PMKID-M1")
    assert "d42ce8b065f8805553a1b6897f4ee452" in pm.note


def test_kver3_aes_cmac() -> None:
    (p,) = prove(CAPS / "n-02.cap", None, [right("bo$$password")])
    assert (p.kver, p.akm, p.akm_name) == (3, 6, "PSK-SHA256")
    assert p.verified == ["M2@130", "M3@132", "M4@134"]


def test_pmkid_only_capture() -> None:
    (p,) = prove(CAPS / "test-pmkid.pcap", None, [WRONG, right("SP-91862D361")])
    assert p.verdict == MATCH and p.verified == ["PMKID-M1@2"]
    assert "no message 2/4" not in " ".join(p.notes)
    (q,) = prove(CAPS / "test-pmkid.pcap", None, [WRONG])
    assert q.verdict == NO_MATCH


def test_test1_no_m2_is_incomplete_and_smile_is_a_genuine_mismatch() -> None:
    proofs = prove(CAPS / "test1.pcap", None, [right("15211521")])
    a = by_frames(proofs, 12)
    assert (a.sta, a.verdict) == ("98:ff:d0:74:83:6d", INCOMPLETE)
    assert "no message 2/4 captured" in a.notes
    b = by_frames(proofs, 150)
    assert b.verdict == MATCH and len(b.verified) == 8
    smile = [p for p in proofs if p.ssid == "Smile)" and any(m.startswith("M2") for m in p.messages)]
    assert smile and all(p.verdict == NO_MATCH for p in smile)


def test_mom1_unverifiable_m2s_are_not_wrong() -> None:
    proofs = prove(CAPS / "MOM1.cap", None, [right("MOM12345")])
    assert verdicts(proofs) == [INCOMPLETE, MATCH, INCOMPLETE]
    assert proofs[1].verified == ["PMKID-M1@4", "M2@5", "M4@6"]
    others = [c for p in (proofs[0], proofs[2]) for c in p.checks]
    assert {c.frame for c in others} == {2, 3, 7, 8, 9}
    assert all(c.status == UNVERIFIABLE for c in others)
    # With only wrong candidates those stay unverifiable; the checkable pair says no-match.
    wrong = prove(CAPS / "MOM1.cap", None, [WRONG])
    assert verdicts(wrong) == [INCOMPLETE, NO_MATCH, INCOMPLETE]


def test_test23_anonce_from_m3() -> None:
    (p,) = prove(CAPS / "test23.pcap", None, [right("12345678")])
    assert p.verified == ["M2@2", "M3@3"]
    assert p.checks[0].note == "nonces from M3@3"


def test_testm1m2m3_stale_m1_trap() -> None:
    proofs = prove(CAPS / "testm1m2m3.pcap", None, [WRONG, right("12345678")])
    stale, real = proofs
    assert stale.messages == ["M1@3"] and stale.verdict == INCOMPLETE
    assert real.verdict == MATCH and real.verified == ["M2@4", "M3@5"]
    assert "M3@5" in real.checks[0].note  # the M2 verified with the M3's ANonce, not the stale M1's


def test_2wire_no_m4_key_correct() -> None:
    (p,) = prove(CAPS / "wpa2psk-2WIRE972.dump", None, [right("helium02")])
    assert p.messages == ["M1@352", "M2@353", "M3@354"] and p.verified == ["M2@353", "M3@354"]


def test_red_apple_needs_the_ssid() -> None:
    (p,) = prove(CAPS / "wpa2psk-Red_Apple.dump", None, [right("password")])
    assert p.verdict == INCOMPLETE and any("--ssid" in n for n in p.notes)
    (q,) = prove(
        CAPS / "wpa2psk-Red_Apple.dump", "Red Apple", [Candidate("p1", "Password1", 1), right("password")]
    )
    assert q.verdict == MATCH
    assert q.verified == ["M2@18", "M2@19", "M2@20", "M3@21", "M4@22"]
    (r,) = prove(CAPS / "wpa2psk-Red_Apple.dump", "Red Apple", [Candidate("p1", "Password1", 1)])
    assert r.verdict == NO_MATCH


def test_virgin_broadband_only_the_documented_messages_verify() -> None:
    proofs = prove(CAPS / "wpapsk-virgin_broadband.dump", None, [right("preinstall")])
    checks = [c for p in proofs for c in p.checks]
    assert sorted(c.frame for c in checks if c.status == MATCH) == [1529, 1533, 1534]
    unverifiable = [c for c in checks if c.status == UNVERIFIABLE]
    assert sorted(c.frame for c in unverifiable if c.what == "M2") == [823, 1356, 1621, 1870]
    assert sorted(c.frame for c in unverifiable if c.what == "M4") == [825, 879, 1265, 1624, 1872]
    assert not [c for c in checks if c.status == NO_MATCH]


def test_sae_cannot_be_checked_offline() -> None:
    (p,) = prove(CAPS / "wpa3-psk.pcap", None, [right("abcdefgh")])
    assert p.verdict == CANNOT and p.kver == 0 and p.akm_name == "SAE"
    assert not p.checks  # the SAE PMKID is never offered as a PSK PMKID
    assert exit_code([p]) == 3


def test_pmkid_not_recognized_sae_pmkids_not_checked() -> None:
    proofs = prove(CAPS / "pmkid-not-recognized.cap", None, [WRONG])
    sae = [p for p in proofs if p.verdict == CANNOT]
    assert sae and all(not p.checks for p in sae)
    pmkid_checks = [c for p in proofs for c in p.checks if c.what.startswith("PMKID")]
    assert pmkid_checks == []
    full = next(p for p in proofs if p.sta == "00:9e:c8:e7:36:1c")
    assert full.messages == ["M1@18856", "M2@18857", "M3@18860", "M4@18862"]
    assert full.verdict == NO_MATCH


def test_wifite_captures() -> None:
    (p,) = prove(
        CAPS / "handshake_exists.cap", None, [Candidate("a", "12345678", 1), Candidate("b", "password", 2)]
    )
    assert p.verdict == NO_MATCH and p.ap == "a4:2b:8c:16:6b:3a"
    yz = prove(CAPS / "handshake_has_1234.cap", None, [WRONG])
    assert [q.messages[0] for q in yz] == ["M1@771", "M1@2167"]
    assert verdicts(yz) == [NO_MATCH, NO_MATCH]
    (n,) = prove(CAPS / "handshake_not_exists.cap", None, [WRONG])
    assert n.verdict == INCOMPLETE and n.messages == ["M1@419"]
    assert exit_code([n]) == 3


@pytest.mark.parametrize("name", ["Chinese-SSID-Name.pcap", "wps2.0.pcap", "wpaclean_crash.pcap", "3.pcap"])
def test_no_handshake_captures(name: str) -> None:
    proofs = prove(CAPS / name, None, [WRONG])
    assert proofs == []
    assert exit_code(proofs) == 3


def test_ssid_selects_the_network() -> None:
    proofs = prove(CAPS / "test1.pcap", "Smile)", [WRONG])
    assert proofs and {p.ssid for p in proofs} == {"Smile)"}
    assert prove(CAPS / "wpa2.eapol.cap", "NotHarkonen", [WRONG]) == []


def test_hex_psk_candidate() -> None:
    from wlandoctor.capture.crypto import pbkdf2_pmk

    psk = pbkdf2_pmk(b"12345678", b"Harkonen").hex()
    (p,) = prove(CAPS / "wpa2.eapol.cap", None, [Candidate("psk", psk, 1)])
    assert p.verdict == MATCH


def test_not_a_capture_raises_capture_error(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("hello\n")
    with pytest.raises(CaptureError, match="not a pcap or pcapng"):
        prove(f, None, [WRONG])


def test_proofs_never_contain_secrets() -> None:
    proofs = prove(CAPS / "wpa2-psk-linksys.cap", None, [WRONG, right("dictionary")])
    blob = json.dumps([p.to_dict() for p in proofs])
    assert "dictionary" not in blob and "not-the-passphrase" not in blob
    assert "right" in blob


# ------------------------------------------------------------------------------------------------- CLI


@pytest.fixture
def runner() -> CliRunner:
    import wlandoctor.cli.verify_cmd  # noqa: F401 - registers the command

    return CliRunner()


def run(runner: CliRunner, args: list[str], env: dict[str, str] | None = None, stdin: str | None = None):  # type: ignore[no-untyped-def]
    from wlandoctor.cli.app import app

    return runner.invoke(app, args, env=env or {"WLANDOCTOR_CANDIDATES": ""}, input=stdin)


def test_cli_match_with_candidate_file(runner: CliRunner, tmp_path: Path) -> None:
    cands = tmp_path / "c.txt"
    cands.write_text("# old and new\nold: notthepass\nnew: 12345678\n")
    r = run(runner, ["verify", str(CAPS / "testm1m2m3.pcap"), "--candidates", str(cands)])
    assert r.exit_code == 0, r.output
    assert "MATCH: candidate new (position 2) reproduced M2@4, M3@5" in r.output
    assert "12345678" not in r.output and "notthepass" not in r.output


def test_cli_env_candidates_json_no_match(runner: CliRunner) -> None:
    env = {"WLANDOCTOR_CANDIDATES": "first: Password1\nsecond: password2"}
    r = run(
        runner,
        ["verify", str(CAPS / "wpa2psk-Red_Apple.dump"), "--ssid", "Red Apple", "--format", "json"],
        env,
    )
    assert r.exit_code == 1, r.output
    doc = json.loads(r.output)
    assert doc["candidates"] == ["first", "second"]
    assert [h["verdict"] for h in doc["handshakes"]] == [NO_MATCH]
    assert doc["handshakes"][0]["akm_name"] == "PSK"
    assert "Password1" not in r.output


def test_cli_sae_exit_3(runner: CliRunner) -> None:
    r = run(runner, ["verify", str(CAPS / "wpa3-psk.pcap")], {"WLANDOCTOR_CANDIDATES": "abcdefgh"})
    assert r.exit_code == 3
    assert "CANNOT CHECK OFFLINE" in r.output and "SAE" in r.output


def test_cli_without_candidates_is_a_clear_error(runner: CliRunner) -> None:
    r = run(runner, ["verify", str(CAPS / "wpa2.eapol.cap")])
    assert r.exit_code == 2
    assert "--candidates" in r.output and "Traceback" not in r.output


def test_cli_bad_candidate_line_named_without_secret(runner: CliRunner, tmp_path: Path) -> None:
    cands = tmp_path / "c.txt"
    cands.write_text("good: 12345678\n\nbad: s7\n")
    r = run(runner, ["verify", str(CAPS / "wpa2.eapol.cap"), "--candidates", str(cands)])
    assert r.exit_code == 2
    assert "c.txt:3: candidate 2: passphrase too short" in " ".join(r.output.split())
    assert "s7" not in r.output.replace(str(tmp_path), "")


def test_cli_not_a_capture(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "empty.pcap"
    f.write_bytes(b"")
    r = run(runner, ["verify", str(f)], {"WLANDOCTOR_CANDIDATES": "12345678"})
    assert r.exit_code == 3
    assert "empty file: no pcap/pcapng header" in " ".join(r.output.split())


def test_hccapx_records() -> None:
    from wlandoctor.capture.verify import prove_run

    run_ = prove_run(CAPS / "StayAlfred.hccapx", None, [WRONG, right("staytogether")])
    assert len(run_.proofs) == 21
    matched = [p for p in run_.proofs if p.verdict == MATCH]
    assert [(p.frames, p.ssid, p.ap, p.sta, p.candidate) for p in matched] == [
        ([21], "Stay Alfred", "ae:20:2e:6d:e9:c8", "a4:08:ea:63:18:39", "right")
    ]
    assert all(p.verdict == NO_MATCH for p in run_.proofs if p not in matched)
    assert run_.problems == [(22, "record 22 is cut short (1 of 393 bytes)")]
    (only,) = prove(CAPS / "StayAlfred.hccapx", "Stay Alfred", [WRONG])
    assert only.verdict == NO_MATCH


# ------------------------------------------------------------------------------------- founding case


def _split_eapol(buf: bytes) -> tuple[bytes, bytearray]:
    i = buf.index(b"\xaa\xaa\x03\x00\x00\x00\x88\x8e") + 8
    return buf[:i], bytearray(buf[i:])


def test_station_with_a_stale_key_against_the_ap_key(tmp_path: Path) -> None:
    """The founding case rebuilt on real frames: the AP holds the current passphrase (its M1 carries the
    PMKID of it), the station still uses the old one (its association request offers the old PMKID and
    its M2 MIC is computed with the old key); the AP never sends M3."""
    import dpkt

    from wlandoctor.capture import crypto

    with open(CAPS / "wpa2.eapol.cap", "rb") as fh:
        recs = [(float(ts), bytes(b)) for ts, b in dpkt.pcap.Reader(fh)]
    aa, spa, ssid = bytes.fromhex("00146c7e4080"), bytes.fromhex("001346fe320c"), b"Harkonen"
    pmk_now = crypto.pbkdf2_pmk(b"12345678", ssid)
    pmk_old = crypto.pbkdf2_pmk(b"old-passphrase", ssid)

    rsn = (
        b"\x01\x00"
        + b"\x00\x0f\xac\x04"
        + b"\x01\x00\x00\x0f\xac\x04"
        + b"\x01\x00\x00\x0f\xac\x02"
        + b"\x00\x00"
    )
    rsn += b"\x01\x00" + crypto.pmkid(pmk_old, aa, spa)
    body = b"\x11\x04\x0a\x00" + b"\x00" + bytes([len(ssid)]) + ssid + b"\x30" + bytes([len(rsn)]) + rsn
    assoc = b"\x00\x00\x3a\x01" + aa + spa + aa + b"\x10\x00" + body

    hdr1, m1 = _split_eapol(recs[1][1])
    kde = b"\xdd\x14\x00\x0f\xac\x04" + crypto.pmkid(pmk_now, aa, spa)
    m1[2:4] = (int.from_bytes(m1[2:4], "big") + len(kde)).to_bytes(2, "big")
    m1[97:99] = len(kde).to_bytes(2, "big")
    m1 += kde

    hdr2, m2 = _split_eapol(recs[2][1])
    anonce, snonce = bytes(m1[17:49]), bytes(m2[17:49])
    kck = crypto.derive_kck(pmk_old, aa, spa, anonce, snonce, 2)
    m2[81:97] = crypto.compute_mic(kck, 2, crypto.zero_mic(bytes(m2)))

    path = tmp_path / "stale.pcap"
    with open(path, "wb") as fh:
        w = dpkt.pcap.Writer(fh, linktype=105)
        t = recs[1][0]
        for i, frame in enumerate([recs[0][1], assoc, hdr1 + bytes(m1), hdr2 + bytes(m2)]):
            w.writepkt(frame, ts=t + i * 0.01)

    current, old = Candidate("current", "12345678", 1), Candidate("old", "old-passphrase", 2)
    (p,) = prove(path, None, [current, old])
    assert p.verdict == MATCH
    assert (p.candidate, p.station_candidate, p.ap_candidate) == ("old", "old", "current")
    assert p.verified == ["M2@4", "PMKID-assoc@2"]
    assert {(c.what, c.candidate, c.side) for c in p.checks} == {
        ("PMKID-M1", "current", "ap"),
        ("M2", "old", "station"),
        ("PMKID-assoc", "old", "station"),
    }
    assert any("the station used candidate old but the AP uses candidate current" in n for n in p.notes)
    # With only the current passphrase: the AP's key is proven, but the station used none: no-match.
    (q,) = prove(path, None, [current])
    assert q.verdict == NO_MATCH and exit_code([q]) == 1
    assert q.ap_candidate == "current" and q.station_candidate is None and q.candidate is None
    assert {(c.what, c.status) for c in q.checks} >= {("M2", NO_MATCH), ("PMKID-assoc", NO_MATCH)}
    assert any("matches none of the candidates (the AP uses candidate current)" in n for n in q.notes)


# ------------------------------------------------------------------------------------- regression table
# One row per capture in data/captures: SSID to pass, the publisher's passphrase (None = not published),
# the verdict of every handshake in capture order (M match, N no-match, I incomplete, C cannot check
# offline) with candidates [wrong, published passphrase], and the exit code.  Each row was checked against
# the publishers' documented truth (data/captures/SOURCES.md); test_every_capture_has_a_row fails when a capture is added
# without one.
TABLE = [
    ("3.pcap", None, None, "", 3),
    ("Chinese-SSID-Name.pcap", None, None, "", 3),
    ("MOM1.cap", None, "MOM12345", "IMI", 0),
    ("StayAlfred.hccapx", None, "staytogether", "NNNNNNNNNNNNNNNNNNNNM", 0),
    ("capture_wds-01.cap", None, "12345678", "M", 0),
    ("handshake_exists.cap", None, None, "N", 1),
    ("handshake_has_1234.cap", None, None, "NN", 1),
    ("handshake_not_exists.cap", None, None, "I", 3),
    ("n-02.cap", None, "bo$$password", "M", 0),
    ("pmkid-not-recognized.cap", None, None, "ICNCNNIC", 1),
    ("test-pmkid.pcap", None, "SP-91862D361", "M", 0),
    ("test1.pcap", None, "15211521", "INNNNIIIMI", 0),
    ("test23.pcap", None, "12345678", "M", 0),
    ("testm1m2m3.pcap", None, "12345678", "IM", 0),
    ("two-interfaces.pcapng", None, "12345678", "MM", 0),  # wpa2.eapol.cap + zn2i.pcap, one interface each
    ("wpa-psk-linksys.cap", None, "dictionary", "M", 0),
    ("wpa.cap", None, "biscotte", "M", 0),
    ("wpa2-psk-linksys.cap", None, "dictionary", "MMM", 0),
    ("wpa2.eapol.cap", None, "12345678", "M", 0),
    ("wpa2psk-2WIRE972.dump", None, "helium02", "M", 0),
    ("wpa2psk-Red_Apple.dump", "Red Apple", "password", "M", 0),
    ("wpa3-psk.pcap", None, "abcdefgh", "C", 3),
    ("wpaclean_crash.pcap", None, None, "", 3),
    ("wpapsk-virgin_broadband.dump", None, "preinstall", "IMII", 0),
    ("wps2.0.pcap", None, None, "", 3),
    ("zn2i.pcap", None, "12345678", "M", 0),
]
LETTER = {MATCH: "M", NO_MATCH: "N", INCOMPLETE: "I", CANNOT: "C"}


def test_every_capture_has_a_row() -> None:
    files = {p.name for p in CAPS.iterdir() if p.suffix != ".md"}
    assert files == {row[0] for row in TABLE}


@pytest.mark.parametrize(("name", "ssid", "secret", "verdicts", "code"), TABLE, ids=[r[0] for r in TABLE])
def test_regression_table(name: str, ssid: str | None, secret: str | None, verdicts: str, code: int) -> None:
    cands = [WRONG] + ([Candidate("right", secret, 2)] if secret else [])
    proofs = prove(CAPS / name, ssid, cands)
    assert "".join(LETTER[p.verdict] for p in proofs) == verdicts
    assert exit_code(proofs) == code
    for p in proofs:
        assert p.candidate in (None, "right")


def test_cli_ssid_hex(runner: CliRunner) -> None:
    env = {"WLANDOCTOR_CANDIDATES": "right: password"}
    cap = str(CAPS / "wpa2psk-Red_Apple.dump")
    r = run(runner, ["verify", cap, "--ssid-hex", "52:65:64:20:41:70:70:6c:65"], env)
    assert r.exit_code == 0, r.output
    assert "SSID Red Apple" in r.output
    r = run(runner, ["verify", cap, "--ssid-hex", "zz"], env)
    assert r.exit_code == 2 and "not hexadecimal" in r.output
    r = run(runner, ["verify", cap, "--ssid", "Red Apple", "--ssid-hex", "00"], env)
    assert r.exit_code == 2 and "not both" in r.output


def test_cli_ssid_names_no_handshake(runner: CliRunner) -> None:
    env = {"WLANDOCTOR_CANDIDATES": "right: 12345678"}
    r = run(runner, ["verify", str(CAPS / "wpa2.eapol.cap"), "--ssid", "Other"], env)
    assert r.exit_code == 3
    assert "no handshake on SSID Other; the capture names: Harkonen" in r.output
