"""The TLS layer of EAP-TLS / PEAP / TTLS: alerts and refused certificates as hostapd, wpa_supplicant and
FreeRADIUS log them and as a capture carries them, so that a failed tunnel is never read as a wrong
password (parsers/eap_tls.py, capture/reader.py, parsers/freeradius.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers import read
from wlandoctor.capture.reader import _tls_alert
from wlandoctor.parsers.eap_tls import MAX_AGE, TlsLines, fail_reasons

DATA = Path(__file__).parent / "data"
LAB = DATA / "lab" / "untrusted-server-cert"
REAL = DATA / "real"


@pytest.mark.parametrize(
    ("side", "line", "said"),
    [
        # wpa_supplicant (the station): "write" is its own alert, "read" the server's
        (
            "wpa_supplicant",
            "SSL: SSL3 alert: write (local SSL3 detected an error):fatal:unknown CA",
            {"tls_alert": "unknown CA", "tls_alert_by": "sta"},
        ),
        (
            "wpa_supplicant",
            "SSL: SSL3 alert: read (remote end reported an error):fatal:bad certificate",
            {"tls_alert": "bad certificate", "tls_alert_by": "server"},
        ),
        # hostapd's own EAP server: "write" is the server's alert, "read" the station's
        (
            "hostapd",
            "SSL: SSL3 alert: read (remote end reported an error):fatal:internal error",
            {"tls_alert": "internal error", "tls_alert_by": "sta"},
        ),
        (
            "hostapd",
            "authsrv: local TLS alert: protocol version",
            {"tls_alert": "protocol version", "tls_alert_by": "server"},
        ),
        (
            "hostapd",
            "authsrv: remote TLS alert: unknown CA",
            {"tls_alert": "unknown CA", "tls_alert_by": "sta"},
        ),
        (
            "wpa_supplicant",
            "TLS: Certificate verification failed, error 10 (certificate has expired) depth 0 for '/CN=radius'",
            {"tls_cert_error_by": "sta", "tls_x509_error": "certificate has expired"},
        ),
        (
            "wpa_supplicant",
            "OpenSSL: openssl_handshake - SSL_connect error:0A000086:SSL routines::certificate verify failed",
            {},
        ),
        ("wpa_supplicant", "SSL: SSL_connect:SSLv3/TLS write client hello", None),
    ],
)
def test_each_form_says_who_sent_what(side: str, line: str, said: dict[str, str] | None) -> None:
    assert TlsLines().read(line, 1, side) == said


def test_a_refused_certificate_is_named_by_hostaps_own_reason_table() -> None:
    tls = TlsLines()
    rest = "reason=9 depth=0 subject='/CN=radius.example.org' err='Domain suffix mismatch'"
    assert tls.cert_error(rest, 7) == {
        "tls_cert_error": "domain-suffix-mismatch",
        "tls_cert_error_by": "sta",
        "tls_x509_error": "Domain suffix mismatch",
    }
    assert fail_reasons()[1] == "untrusted" and fail_reasons()[12] == "dn-mismatch"
    assert tls.status("status='local TLS alert' parameter='unknown CA'", 8) == {
        "tls_alert": "unknown CA",
        "tls_alert_by": "sta",
    }
    assert tls.status("status='started' parameter=''", 9) is None
    # the EAP-Failure after takes what they said together, the first word of each kept; then it is gone
    taken = tls.take(10)
    assert taken["tls_cert_error"] == "domain-suffix-mismatch" and taken["tls_alert"] == "unknown CA"
    assert tls.take(11) == {}


def test_an_old_tls_line_explains_no_later_failure() -> None:
    tls = TlsLines()
    tls.read("SSL: SSL3 alert: write (local SSL3 detected an error):fatal:unknown CA", 1, "wpa_supplicant")
    assert tls.take(2 + MAX_AGE) == {}
    tls.read("SSL: SSL3 alert: write (local SSL3 detected an error):fatal:unknown CA", 1, "wpa_supplicant")
    tls.forget()  # a new EAP exchange
    assert tls.take(2) == {}


def test_the_real_supplicant_log_gives_the_failure_its_tls_reasons() -> None:
    events, summary = read("hostap", REAL / "client-arch-nm-eaptls-server-ca-unknown" / "input.log")
    tls = [e for e in events if e.kind == "eap.tls_failure"]
    assert [e.ref.line for e in tls] == [2, 3]  # (line 1 comes before any interface names the station)
    failure = next(e for e in events if e.kind == "eap.failure")
    assert failure.attrs["tls_cert_error"] == "untrusted" and failure.attrs["tls_alert"] == "unknown CA"
    assert summary.coverage.ratio == 1.0


def test_the_real_hostapd_log_names_the_station_of_the_exchange() -> None:
    events, _ = read("hostap", REAL / "ap-esp32-peap-3des-hostapd-stdout" / "input.log")
    tls = [(e.ref.line, e.station, e.attrs["tls_alert_by"]) for e in events if e.kind == "eap.tls_failure"]
    assert tls == [(13, "30:ae:a4:22:6a:1c", "sta")]


def test_freeradius_debug_output_makes_the_alert_the_reason_of_the_reject() -> None:
    events, _ = read("freeradius", LAB / "radius.log")
    reject = next(e for e in events if e.kind == "radius.reject")
    assert reject.attrs["credential"] == "tls"
    # the alert as its first line tells it ("(TLS) recv TLS 1.2 Alert, fatal unknown_ca", then "Alert read:...")
    assert "recv TLS 1.2 Alert, fatal unknown_ca" in reject.attrs["reason"]


def test_a_capture_shows_the_alert_the_station_sent_in_the_clear() -> None:
    events, _ = read("pcap", LAB / "capture.pcapng")
    tls = [e for e in events if e.kind == "eap.tls_failure"]
    assert [(e.ref.line, e.attrs["tls_alert"], e.attrs["tls_alert_by"]) for e in tls] == [
        (31, "unknown CA", "sta")
    ]


@pytest.mark.parametrize(
    ("data", "alert"),
    [
        (bytes.fromhex("80 00000007 1503030002 0230"), (2, 48)),  # L bit, length, then the alert record
        (bytes.fromhex("00 1503030002 0246"), (2, 70)),  # no length field
        (bytes.fromhex("80 00000007 1503030002 01"), None),  # cut short
        (bytes.fromhex("00 1703030020") + bytes(32), None),  # application data (an encrypted record)
        (bytes.fromhex("00 1503030012") + bytes(18), None),  # an encrypted alert: no description to read
        (b"", None),
    ],
)
def test_only_a_plain_alert_record_is_read(data: bytes, alert: tuple[int, int] | None) -> None:
    assert _tls_alert(data) == alert
