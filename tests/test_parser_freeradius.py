"""FreeRADIUS parser: real `freeradius -X` runs of the lab, radius.log / syslog lines, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import all_parsers, detect
from wlandoctor.parsers.freeradius import PARSER
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data"
LAB = DATA / "lab"
STA = "02:1a:b0:00:00:02"


def parse_bytes(data: bytes, name: str = "radius.log") -> tuple[list[Event], InputSummary]:
    s = InputSummary(name, "freeradius")
    return list(PARSER.parse(Input.from_bytes(name, data), s)), s


def parse_file(path: Path) -> tuple[list[Event], InputSummary]:
    s = InputSummary(str(path), "freeradius")
    return list(PARSER.parse(Input.from_path(path), s)), s


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


# ---------------------------------------------------------------------------------------- the lab runs


def test_lab_success_request_challenge_accept() -> None:
    events, s = parse_file(LAB / "success" / "radius.log")
    assert kinds(events) == ["radius.request", "radius.challenge", "radius.accept"]
    assert {e.station for e in events} == {STA}
    accept = events[-1]
    assert accept.ref.text.startswith("(10) Sent Access-Accept Id 10 from 127.0.0.1:1812")
    assert accept.attrs["user"] == "labuser" and accept.attrs["request"] == 10
    assert events[0].ref.text.startswith("(0) Received Access-Request Id 0 from 127.0.0.1:")
    assert all(e.time is None for e in events), "-X output carries no time stamps"
    assert s.problems == [] and s.records > 0


def test_lab_wrong_password_reject_names_the_wrong_credential() -> None:
    events, _ = parse_file(LAB / "wrong-password" / "radius.log")
    assert kinds(events) == ["radius.request", "radius.challenge", "radius.password_check", "radius.reject"]
    why, reject = events[-2:]
    # the module's own words, cited beside the reject (once, though mschap says it twice)
    assert why.ref.text == "(8) mschap: ERROR: MS-CHAP2-Response is incorrect"
    assert why.station == STA and why.attrs["credential"] == "wrong"
    assert reject.station == STA
    assert reject.ref.text.startswith("(9) Sent Access-Reject Id 9")
    # the inner MSCHAPv2 verdict came in request 8, the outer reject in request 9: both are one exchange
    assert reject.attrs["reason"] == "mschap: ERROR: MS-CHAP2-Response is incorrect"
    assert reject.attrs["credential"] == "wrong"


def test_lab_wrong_secret_is_a_global_shared_secret_error() -> None:
    events, _ = parse_file(LAB / "wrong-secret" / "radius.log")
    assert kinds(events) == ["radius.bad_authenticator"] * 3
    # dropped before the attributes were decoded: no Calling-Station-Id, so tied to no station
    assert {e.station for e in events} == {""}
    assert events[0].attrs["client"] == "lab-authenticator" and events[0].attrs["from"] == "127.0.0.1"
    assert "Shared secret is incorrect" in events[0].ref.text


@pytest.mark.parametrize("name", ["radius-down", "no-supplicant"])
def test_lab_server_that_received_nothing_says_nothing(name: str) -> None:
    events, s = parse_file(LAB / name / "radius.log")
    assert events == [] and s.problems == []


@pytest.mark.parametrize(
    "name", ["success", "wrong-password", "radius-down", "wrong-secret", "no-supplicant"]
)
def test_lab_radius_logs_are_detected_as_freeradius(name: str) -> None:
    head = (LAB / name / "radius.log").read_bytes()[:65536]
    parser, score = detect(head)
    assert parser is PARSER, (parser, score)


# -------------------------------------------------------------------- radius.log and syslog (auth.c formats)

# rad_authlog(): "<msg>: [<user>[/<pass>]] (from client <shortname> port <n>[ cli <Calling-Station-Id>])"
RADIUS_LOG = b"""\
Tue Nov 25 09:14:02 2025 : Info: Loaded virtual server default
Tue Nov 25 09:14:02 2025 : Info: Ready to process requests
Tue Nov 25 09:15:40 2025 : Auth: (12) Login OK: [alice] (from client ap-floor2 port 0 cli 3C-22-FB-5E-9A-10)
Tue Nov 25 09:16:03 2025 : Auth: (31) Login incorrect (mschap: MS-CHAP2-Response is incorrect): [bob] (from client ap-floor2 port 0 via TLS tunnel)
Tue Nov 25 09:16:03 2025 : Auth: (31) Login incorrect (mschap: MS-CHAP2-Response is incorrect): [bob] (from client ap-floor2 port 0 cli 64e5.99f3.18f6)
Tue Nov 25 09:16:05 2025 : Auth: (33) Login incorrect: [carol/Winter2025!] (from client ap-lobby port 7 cli 88:66:5a:0c:b7:f1)
Tue Nov 25 09:16:09 2025 : Error: Ignoring request to auth address * port 1812 bound to server default from unknown client 10.20.0.9 port 51222 proto udp
Tue Nov 25 09:17:00 2025 : Auth: (40) Invalid user: [dave] (from client ap-lobby port 0 cli 70-81-EB-52-3F-A9)
"""


def test_radius_log_auth_lines() -> None:
    events, s = parse_bytes(RADIUS_LOG)
    got = [(e.kind, e.station) for e in events]
    assert got == [
        ("radius.accept", "3c:22:fb:5e:9a:10"),
        ("radius.reject", "64:e5:99:f3:18:f6"),  # the tunnel line only gives the reason
        ("radius.reject", "88:66:5a:0c:b7:f1"),
        ("radius.unknown_client", ""),
        ("radius.reject", "70:81:eb:52:3f:a9"),
    ]
    bob = events[1]
    assert (
        bob.attrs["reason"] == "mschap: MS-CHAP2-Response is incorrect" and bob.attrs["credential"] == "wrong"
    )
    assert bob.time == 1764062163.0  # 2025-11-25 09:16:03 UTC
    assert bob.attrs["user"] == "bob" and bob.ref.line == 5
    unknown = events[3]
    assert unknown.attrs["client"] == "10.20.0.9" and unknown.attrs["server"] == "default"
    dave = events[4]
    assert dave.attrs["verdict"] == "Invalid user" and "credential" not in dave.attrs
    assert s.problems == []


def test_logged_password_never_reaches_evidence() -> None:
    events, _ = parse_bytes(RADIUS_LOG)
    carol = events[2]
    assert "Winter2025!" not in carol.ref.text and "Winter2025!" not in str(carol.attrs)
    assert "[carol/«redacted»]" in carol.ref.text
    assert carol.attrs["user"] == "carol"


def test_syslog_lines() -> None:
    data = (
        b"Nov 25 09:16:05 radius1 radiusd[812]: (33) Login incorrect (pap: Cleartext password does not match "
        b'"known good" password): [carol] (from client ap-lobby port 7 cli 8866.5a0c.b7f1)\n'
    )
    events, _ = parse_bytes(data)
    assert kinds(events) == ["radius.reject"]
    assert events[0].station == "88:66:5a:0c:b7:f1" and events[0].attrs["credential"] == "wrong"
    assert events[0].time is not None


def test_bad_authenticator_tied_to_the_station_when_the_request_was_decoded() -> None:
    # FreeRADIUS verifies the signature before decoding, so its own output never shows the attributes first
    # (the lab's wrong-secret run above is global); when an input does hold them right before the error,
    # the error belongs to that request's station.
    data = b"""\
rad_recv: Access-Request packet from host 10.1.1.5 port 32768, id=41, length=190
\tUser-Name = "erin"
\tCalling-Station-Id = "D8-9B-3B-D5-88-22"
Received packet from 10.1.1.5 with invalid Message-Authenticator!  (Shared secret is incorrect.) Dropping packet without response.
"""
    events, _ = parse_bytes(data)
    assert kinds(events) == ["radius.request", "radius.bad_authenticator"]
    assert {e.station for e in events} == {"d8:9b:3b:d5:88:22"}


def test_unprintable_password_points_at_the_shared_secret() -> None:
    data = b"""\
(0) Received Access-Request Id 7 from 10.1.1.5:40000 to 10.1.1.1:1812 length 90
(0)   User-Name = "frank"
(0)   Calling-Station-Id = "a4b805c4f944"
(0) pap: WARNING: Unprintable characters in the password.  Double-check the shared secret on the server and the NAS!
(0) Sent Access-Reject Id 7 from 10.1.1.1:1812 to 10.1.1.5:40000 length 20
(0)   Reply-Message = "Access denied"
Ready to process requests
"""
    events, _ = parse_bytes(data)
    assert kinds(events) == ["radius.request", "radius.bad_authenticator", "radius.reject"]
    assert events[1].station == "a4:b8:05:c4:f9:44" and events[1].attrs["what"] == "garbled-password"
    assert events[2].attrs["reply_message"] == "Access denied"


# ---------------------------------------------------------------------------------------- hostile input


def test_hostile_input_never_raises_and_names_the_line() -> None:
    data = (
        b"(0) Received Access-Request Id 0 from 10.0.0.1:1 to 10.0.0.2:1812 length 20\n"
        b'(0)   Calling-Station-Id = "<script>alert(1)</script>"\n'
        b"(0) Sent Access-Reject Id 0 from 10.0.0.2:1812 to 10.0.0.1:1 length 20\n"
        b"\x00\x01\x02\xff\xfe binary \x00 junk\n"
        b"Auth: (5) Login OK: [x] (from client y port 0)\n"
        b"(99999999999999999999) Sent Access-Accept Id 1 from a to b:1 length 1\n"
        b"\x1b[31m(1) Login incorrect: [evil\x1b[0m] (from client c port 0 cli 02:00:00:00:00:01)\n"
        + b"(2) Received Access-Request "
        + b"A" * (2 * 1024 * 1024)
        + b"\n"
        b"Received packet from with invalid Message-Authenticator!\n"
        b"(3) Sent Access-Accept Id"
    )
    events, s = parse_bytes(data)
    lines = {p.line: p.message for p in s.problems}
    assert "Calling-Station-Id holds no MAC address" in lines[2] and "<script>" in lines[2]
    assert "binary" in lines[4]
    assert "without a station" in lines[5]
    assert "longer than 1 MiB" in lines[8]
    evil = [e for e in events if e.station == "02:00:00:00:00:01"]
    assert len(evil) == 1 and "\x1b" not in evil[0].ref.text and evil[0].attrs["user"] == "evil"
    assert all(len(e.ref.text) <= 600 for e in events)


def test_empty_and_garbage() -> None:
    assert parse_bytes(b"")[0] == []
    events, s = parse_bytes(b"\n\n   \nnot a radius line\n" * 100)
    assert events == [] and s.records == 0 and s.skipped > 0


# ------------------------------------------------------------------------------------------ sniffing


def _other_inputs() -> list[Path]:
    out = [p for p in sorted((DATA / "hostap").iterdir()) if p.is_file() and p.name != "SOURCES.md"]
    out += [p for p in sorted((DATA / "huawei").glob("*")) if p.is_file() and p.suffix != ".md"]
    for name in ("success", "wrong-password", "radius-down", "wrong-secret", "no-supplicant"):
        out += [p for p in (LAB / name).glob("*.log") if p.name != "radius.log"]
    kb = Path(__file__).parent / "kb"
    out += [
        p
        for p in sorted(kb.glob("*/trigger*"))
        if p.suffix in (".log", ".txt") and not p.name.startswith("trigger-freeradius")
    ]
    return out


def test_sniff_does_not_steal_huawei_or_hostap_inputs() -> None:
    stolen = []
    for path in _other_inputs():
        head = path.read_bytes()[:65536]
        parser, _ = detect(head)
        if parser is PARSER:
            stolen.append(path.name)
    assert len(_other_inputs()) > 20
    assert not stolen, f"freeradius claimed: {stolen}"


def test_registered_once() -> None:
    assert [p.name for p in all_parsers()].count("freeradius") == 1


# ------------------------------------------------------------------------------- with the AP's log


def test_unknown_client_makes_the_unregistered_nas_the_top_cause(tmp_path: Path) -> None:
    radius = tmp_path / "radius.log"
    radius.write_bytes(
        b"Tue Nov 25 22:40:23 2026 : Error: Ignoring request to auth address * port 1812 bound to server "
        b"default from unknown client 127.0.0.1 port 55797 proto udp\n"
    )
    hostapd = LAB / "wrong-secret" / "hostapd.log"  # the same silence, seen from hostapd
    alone = diagnose_paths([str(hostapd)])
    both = diagnose_paths([str(hostapd), str(radius)])
    ids_alone = [c.id for c in alone.diagnoses[0].causes]
    top = both.diagnoses[0].causes[0]
    assert top.id == "radius-no-reply/nas-not-registered", [c.id for c in both.diagnoses[0].causes]
    assert top.confidence > next(c.confidence for c in alone.diagnoses[0].causes if c.id == top.id)
    assert ids_alone[0] == "radius-no-reply/nas-not-registered"
    assert any(ev.source == str(radius) for ev in top.evidence)


# ------------------------------------------------------------------------------------ property test

_FRAGMENTS = [
    b"(3) Received Access-Request Id 9 from 10.0.0.1:4000 to 10.0.0.2:1812 length 90",
    b'(3)   Calling-Station-Id = "02-1A-B0-00-00-02"',
    b'(3)   User-Name = "x"',
    b"(3) Sent Access-Reject Id 9 from 10.0.0.2:1812 to 10.0.0.1:4000 length 20",
    b'(3)   Reply-Message = "no"',
    b"(3) mschap: ERROR: MS-CHAP2-Response is incorrect",
    b"Tue Nov 25 09:16:03 2025 : Auth: (3) Login incorrect: [u/p] (from client c port 0 cli 02:00:00:00:00:09)",
    b"Received packet from 10.0.0.1 with invalid Message-Authenticator!  (Shared secret is incorrect.)",
    b"Ignoring request to auth address * port 1812 bound to server default from unknown client 1.2.3.4 port 1",
    b"\x00\xff\xfe",
    b"\x1b[1;31m(3) Sent Access-Accept Id\x1b[0m",
]


def test_any_mix_of_fragments_never_raises() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    piece = st.one_of(st.sampled_from(_FRAGMENTS), st.binary(max_size=80))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(piece, piece), max_size=30))
    def check(pairs: list[tuple[bytes, bytes]]) -> None:
        data = b"\n".join(a[: len(a) // 2] + b if i % 3 == 0 else a for i, (a, b) in enumerate(pairs))
        events, s = parse_bytes(data)
        n_lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1  # (LF, CRLF, CR)
        for e in events:
            assert e.kind in {
                "radius.request",
                "radius.accept",
                "radius.reject",
                "radius.challenge",
                "radius.bad_authenticator",
                "radius.unknown_client",
                "radius.password_check",
            }
            assert 1 <= e.ref.line <= n_lines and "\x1b" not in e.ref.text
            assert "u/p]" not in e.ref.text  # a logged password never survives
        assert all(0 <= p.line <= n_lines for p in s.problems)

    check()


def test_a_server_log_that_ends_at_the_accept_is_online_as_far_as_it_shows() -> None:
    # the lab's real radiusd -X of a PEAP join: alone, the accept is the furthest it can see; with the
    # authenticator's log the keys decide
    alone = diagnose_paths([str(LAB / "success" / "radius.log")])
    [d] = alone.diagnoses
    assert (str(d.verdict), d.online_evidence) == ("online", "accepted")
    both = diagnose_paths([str(LAB / "success" / "radius.log"), str(LAB / "success" / "hostapd.log")])
    [d] = both.diagnoses
    assert (str(d.verdict), d.online_evidence) == ("online", "keys")
    # a reject is no accept
    [d] = diagnose_paths([str(LAB / "wrong-password" / "radius.log")]).diagnoses
    assert str(d.verdict) == "failed" and d.online_evidence is None


def test_freeradius_3_0_0_reply_lines_name_the_server_address_too(tmp_path: Path) -> None:
    path = tmp_path / "radiusd-X.log"
    path.write_text(
        "(20) Login OK: [tutandroid] (from client rpiradius port 2 cli 60-BE-B5-00-00-00)\n"
        "Sending Access-Accept of id 76 from 10.0.0.253 port 1812 to 10.0.0.2 port 56318\n",
        encoding="utf-8",
    )
    summary = InputSummary(str(path), PARSER.name)
    events = list(PARSER.parse(Input.from_path(path), summary))
    assert [e.kind for e in events] == ["radius.accept"]
    assert summary.coverage.understood == 2 and summary.coverage.unread == 0


def test_a_web_log_view_with_a_redacted_station(tmp_path: Path) -> None:
    # OPNsense's log view (opnsense/plugins#2434): ISO stamp, tabs, newest first; "$MACADDRESS" by the poster
    path = tmp_path / "opnsense.log"
    path.write_text(
        "2021-06-19T01:38:00\t \tAuth: (254) Login incorrect (eap_peap: (TLS) Alert write:fatal:protocol "
        "version): [$CLIENT/<via Auth-Type = eap>] (from client unifi port 0 cli $MACADDRESS)\t \n",
        encoding="utf-8",
    )
    summary = InputSummary(str(path), PARSER.name)
    [e] = list(PARSER.parse(Input.from_path(path), summary))
    assert (e.kind, e.station, e.time) == ("radius.reject", "$macaddress", 1624066680.0)
    # "<via Auth-Type = eap>" is FreeRADIUS' placeholder where no password was given (EAP): kept
    assert "[$CLIENT/<via Auth-Type = eap>]" in e.ref.text


def test_an_inner_login_ok_means_the_password_was_right(tmp_path: Path) -> None:
    path = tmp_path / "radius.log"
    path.write_text(
        "Thu Dec  4 10:15:02 2026 : Auth: (41) Login OK: [alice] (from client ap2 port 0 cli 24-A4-3C-11-22-44 "
        "via TLS tunnel)\n"
        "Thu Dec  4 10:15:02 2026 : Auth: (42) Login incorrect: [alice] (from client ap2 port 0 cli 24-A4-3C-11-22-44)\n",
        encoding="utf-8",
    )
    summary = InputSummary(str(path), PARSER.name)
    [e] = list(PARSER.parse(Input.from_path(path), summary))
    assert (e.kind, e.ref.line, e.attrs["credential"]) == ("radius.reject", 2, "inner-ok")
    assert summary.coverage.understood == 2


def _read_real(case: str) -> tuple[list[Event], InputSummary]:
    path = DATA / "real" / case / "input.log"
    summary = InputSummary(str(path), "freeradius")
    return list(PARSER.parse(Input.from_path(path), summary)), summary


def test_an_inner_reject_the_input_ends_after_is_the_reject() -> None:
    """-X cut after the tunnelled server's verdict (FreeRADIUS/freeradius-server#679): "eap_peap: Got
    tunneled reply code 3", the outer reject not in the paste; the copied Module-Failure-Message says why."""
    events, _ = _read_real("fr3-debug-ts-android-peap-mschap-reject")
    reject = [e for e in events if e.kind == "radius.reject"]
    assert [(e.ref.line, e.station) for e in reject] == [(25, "28:3f:69:63:2e:9f")]
    assert reject[0].attrs["what"] == "inner-reject" and reject[0].attrs["credential"] == "wrong"


def test_an_excerpt_of_one_requests_module_lines_is_read_by_its_request_number() -> None:
    """asuswrt-merlin.ng#365: nine lines of one request's eap_ttls module trace, no packet, no MAC."""
    case = DATA / "real" / "merlin-entware-fr3-ttls-tls13-handshake-failure" / "input.log"
    assert detect(case.read_bytes())[0] is PARSER
    events, summary = _read_real("merlin-entware-fr3-ttls-tls13-handshake-failure")
    assert [(e.ref.line, e.kind, e.station) for e in events] == [
        (3, "eap.tls_failure", "request (11)@input.log")
    ]
    assert events[0].attrs["tls_alert"] == "handshake failure" and events[0].attrs["tls_alert_by"] == "server"
    assert summary.problems == []


def test_freeradius_3_0_message_callback_alert_is_the_first_line_of_the_failure() -> None:
    """freeradius-server#5516: 3.0.x writes the alert record as "(TLS) TLS - send TLS 1.2 Alert, fatal
    protocol_version" before the info callback's "Alert write:fatal:protocol version"."""
    events, summary = _read_real("srv-openwrt-fr3-eaptls-tls13-only-old-freeradius")
    tls = [(e.ref.line, e.attrs["tls_alert"], e.attrs["tls_alert_by"]) for e in events]
    assert tls == [(2, "protocol version", "server")]
    assert summary.problems == []


def test_the_stations_tls_alert_is_an_event_and_the_reason_of_the_reject() -> None:
    path = DATA / "lab" / "untrusted-server-cert" / "radius.log"
    summary = InputSummary(str(path), "freeradius")
    events = list(PARSER.parse(Input.from_path(path), summary))
    tls = [
        (e.ref.line, e.attrs["tls_alert"], e.attrs["tls_alert_by"])
        for e in events
        if e.kind == "eap.tls_failure"
    ]
    # 1174 "(TLS) recv TLS 1.2 Alert, fatal unknown_ca" (the message callback) and 1176 "ERROR: (TLS) Alert
    # read:fatal:unknown CA" (the info callback) are one alert: told once, worded as OpenSSL words it
    assert tls == [(1174, "unknown CA", "sta")]
    reject = next(e for e in events if e.kind == "radius.reject")
    assert reject.attrs["credential"] == "tls"


# ------------------------------------------------------------------- packets written as their attributes

HOSTED_DUMP = (
    Path(__file__).parent / "data" / "real" / "srv-hosted-radius-request-reply-dump-iphone-wrong-password"
)


def test_a_packet_dump_is_read_request_and_reply(tmp_path: Path) -> None:
    """A hosted server's log view (esp8266/Arduino#4698): "Access Request:<tab>Packet-Type = Access-Request",
    its attributes unindented, then "Request Reply:<tab>Packet-Type = Access-Reject"."""
    events, summary = parse_file(HOSTED_DUMP / "input.log")
    assert summary.coverage.unread == 0
    assert kinds(events) == ["radius.request", "radius.reject"]
    assert {e.station for e in events} == {"24:f0:94:0a:86:91"}
    assert events[0].attrs["user"] == "testUser" and events[1].ref.line == 23
    # the same packets as the detail module writes them: a date line, then tab-indented attributes
    lines = (HOSTED_DUMP / "input.log").read_text(encoding="utf-8").splitlines()
    detail = ["Wed May  9 18:57:46 2018"]
    for ln in lines:
        if ln.startswith("Request Reply:"):
            detail += ["", "Wed May  9 18:57:48 2018"]
        detail.append("\t" + ln.split("\t", 1)[-1] if ln else "")
    path = tmp_path / "auth-detail"
    path.write_text("\n".join(detail) + "\n", encoding="utf-8")
    events, _ = parse_file(path)
    assert kinds(events) == ["radius.request", "radius.reject"]
    assert events[1].time is not None and events[1].time > events[0].time  # type: ignore[operator]


def test_unindented_attributes_are_read_only_inside_a_packet_dump(tmp_path: Path) -> None:
    """ "Name = value" with no indent is a packet's attribute only after a Packet-Type line: elsewhere it is
    no request of anyone's."""
    path = tmp_path / "plain.log"
    path.write_text('Calling-Station-Id = "24-F0-94-0A-86-91"\nUser-Name = "x"\n', encoding="utf-8")
    events, _ = parse_file(path)
    assert events == []


def test_radsniff_no_response_is_the_servers_silence() -> None:
    """radsniff on the RADIUS server's side (the gsuiteradius issue): a request's attributes, its header cut
    from the paste, then "** norsp ** Access-Request Id 4 ... -> ...:1812": the request got no answer."""
    case = Path(__file__).parent / "data" / "real" / "gsuiteradius-radsniff-norsp" / "input.log"
    events, summary = parse_file(case)
    assert kinds(events) == ["radius.request", "radius.no_reply"]
    assert events[1].station == "5a:9d:c0:dc:c0:61" and events[1].ref.line == 17
    assert events[1].attrs["radius_id"] == 4 and summary.coverage.unread == 0


def test_a_requests_tls_errors_are_the_station_its_login_incorrect_names_later() -> None:
    """radius.log writes a request's TLS errors before its "Login incorrect ... cli <MAC>" (real:
    tests/data/real/srv-radiusaas-unknown-ca): the alert is that station's, not a second station named by the
    request; a request no later line names keeps the request's name (and is not lost)."""
    text = (DATA / "real" / "srv-radiusaas-unknown-ca" / "input.log").read_bytes()
    events, _ = parse_bytes(text)
    assert [(e.ref.line, e.kind, e.station) for e in events] == [
        (2, "eap.tls_failure", "18-9k-ea-0h-7f-c5"),
        (4, "radius.reject", "18-9k-ea-0h-7f-c5"),
    ]
    assert events[0].attrs["tls_alert_by"] == "server" and events[1].attrs["credential"] == "tls"
    alone = b"Mon Jul 12 12:38:09 2021 : ERROR: (7) eap_tls: ERROR: TLS Alert write:fatal:decrypt error\n"
    events, _ = parse_bytes(alone)
    assert [(e.kind, e.station) for e in events] == [("eap.tls_failure", "request (7)@radius.log")]


def test_no_eap_method_both_sides_accept_is_said() -> None:
    """rlm_eap's negotiation (eap.c eap_process_nak): the station's Nak asks for methods the server does not
    allow, "No mutually acceptable types found" (FreeRADIUS 3's wording; an excerpt with no packet: the
    request's number names the station)."""
    excerpt = (
        b"(6) eap: Peer sent packet with method EAP NAK (3)\n"
        b"(6) eap: Peer NAK'd asking for unsupported EAP type MSCHAPv2 (26), skipping...\n"
        b"(6) eap: ERROR: No mutually acceptable types found\n"
    )
    events, _ = parse_bytes(excerpt)
    refused = [e for e in events if e.kind == "eap.method_refused"]
    assert [(e.ref.line, e.station, e.attrs["asked_for"]) for e in refused] == [
        (3, "request (6)@radius.log", "MSCHAPv2 (26)")
    ]


def test_a_station_named_only_by_an_expansion_and_a_policy_reject_in_authorize() -> None:
    """A DENT switch's FreeRADIUS -X excerpt (tests/data/real/radius-dent-fr3-mab-and-8021x-mac-not-authorized-
    reject): no packet dump, the MAC only in authorized_macs' expansion of %{Calling-Station-ID}, and the
    authorize section rejecting the request. It was read as nothing at all ("No station found", 100 % read)."""
    path = DATA / "real" / "radius-dent-fr3-mab-and-8021x-mac-not-authorized-reject" / "input.log"
    report = diagnose_paths([str(path)])
    (d,) = report.diagnoses
    assert d.station == "0c:2d:83:56:00:01" and str(d.verdict) == "failed"
    assert d.causes[0].id == "radius-reject/no-matching-policy"
    reject = next(e for a in d.timeline.attempts for e in a.events if e.kind == "radius.reject")
    assert reject.attrs["policy"] == "reject-in-authorize" and reject.ref.line == 14


def test_a_reply_to_a_request_no_line_named_is_named_by_its_number_or_radius_id() -> None:
    """An accept or reject whose request named no station is the request's, not dropped: by its number in -X,
    by the packet's RADIUS id where FreeRADIUS 2 and 3.0.0 number none."""
    path = DATA / "real" / "radius-fr300-eap-md5-disabled-access-reject-no-station" / "input.log"
    assert detect(path.read_bytes())[0] is PARSER
    (d,) = diagnose_paths([str(path)]).diagnoses
    assert d.station == "request (id 1)@input.log" and str(d.verdict) == "failed" and str(d.stage) == "802.1x"


# ---- FreeRADIUS 3 radius.log: the inner request's verdict, numbered apart, is the outer reject's reason ----
def _rejects(case: str) -> list[Event]:
    events, _ = parse_file(DATA / "real" / case / "input.log")
    return [e for e in events if e.kind == "radius.reject"]


def test_a_numbered_inner_mschap_failure_is_the_outer_rejects_wrong_credential() -> None:
    rejects = _rejects("freeradius-radiuslog-dorm-peap-mschap-wrong-password-second-device")
    assert rejects and all(e.station == "34:e1:2d:ec:c8:8b" for e in rejects)
    assert {e.attrs.get("credential") for e in rejects} == {"wrong"}
    assert all("MS-CHAP2-Response is incorrect" in e.attrs["reason"] for e in rejects)


def test_a_numbered_inner_no_nt_password_is_no_password_on_the_server() -> None:
    first = _rejects("freeradius-radiuslog-dorm-no-nt-password-then-eaptls-unknown-ca-then-peap-ok")[0]
    assert first.station == "5c:51:4f:46:1c:ed"
    assert first.attrs.get("credential") == "none-on-server"


def test_a_numbered_inner_reject_with_no_reason_is_a_policys() -> None:
    rejects = _rejects("freeradius-radiuslog-tplink-ldap-group-policy-reject")
    # user01's inner rejects name mschap's reason; user03's say nothing: Auth-Type := Reject in the users file
    by_user = {e.attrs["user"]: e for e in rejects}
    assert by_user["user01"].attrs.get("credential") == "wrong"
    assert by_user["user03"].attrs.get("policy") == "inner-reject-unexplained"
    assert "credential" not in by_user["user03"].attrs


def test_an_excerpt_ending_after_post_auth_type_reject_is_the_reject_and_a_close_notify_the_stations() -> (
    None
):
    """A real -X excerpt (one TTLS request, no Calling-Station-Id, cut before "Sent Access-Reject"): the
    station closes the TLS session mid-handshake (close_notify, then "the peer is misbehaving") and the
    server uses Post-Auth-Type Reject.  The request is named by its number; nothing is lost."""
    events, _ = parse_file(
        DATA / "real" / "freeradius-3-ttls-expired-server-cert-client-close-notify" / "input.log"
    )
    by_kind = {e.kind: e for e in events}
    assert by_kind["eap.tls_failure"].attrs["tls_alert"] == "close notify"
    assert by_kind["eap.tls_failure"].attrs["tls_alert_by"] == "sta"
    reject = by_kind["radius.reject"]
    assert (reject.station, reject.ref.line) == ("request (12)@input.log", 28)
    assert reject.attrs["credential"] == "tls"
