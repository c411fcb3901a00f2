"""The TLS layer's own lines in hostapd and wpa_supplicant logs (EAP-TLS, PEAP, TTLS): which side sent a
TLS alert and which, and why a certificate was refused.  They name no station; the reader keeps the last
one and hands it to the EAP-Failure that follows (hostap src/crypto/tls_openssl.c, src/ap/authsrv.c,
src/eap_peer/eap.c), so that a failed tunnel is not taken for refused credentials.

Forms (``local`` / ``write``: the side that wrote the log sent the alert; ``remote`` / ``read``: its peer):

- ``SSL: SSL3 alert: write (local SSL3 detected an error):fatal:unknown CA`` (OpenSSL's info callback)
- ``CTRL-EVENT-EAP-STATUS status='local TLS alert' parameter='unknown CA'`` (wpa_supplicant)
- ``authsrv: remote TLS alert: protocol version`` (hostapd's EAP server)
- ``CTRL-EVENT-EAP-TLS-CERT-ERROR reason=1 depth=2 subject='...' err='...'`` (wpa_supplicant refused the
  server's certificate; reasons in eap_tls.yaml)
- ``TLS: Certificate verification failed, error 19 (self-signed certificate in certificate chain) depth 2
  for '...'`` (the X.509 check that comes before it)
- ``OpenSSL: openssl_handshake - SSL_connect error:...:certificate verify failed`` (the library's error)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

STARTS = (
    "SSL: SSL3 alert: ",
    "OpenSSL: openssl_handshake",
    "TLS: Certificate verification failed",
    "authsrv: ",
)
MAX_AGE = 400  # lines after which a TLS line no longer explains an EAP-Failure

_ALERT = re.compile(r"SSL3 alert: (read|write) \([^)]{0,60}\):(\w{1,12}):(.{1,80})$")
_AUTHSRV = re.compile(r"authsrv: (local|remote) TLS alert: (.{1,80})$")
_X509 = re.compile(r"Certificate verification failed, error (\d{1,4}) \(([^)]{1,120})\)")
_CERT_ERROR = re.compile(r"reason=(\d{1,3})\b.{0,400}? err='([^']{0,120})'")
_STATUS = re.compile(r"status='(local|remote) TLS alert' parameter='([^']{0,80})'")


@cache
def fail_reasons() -> dict[int, str]:
    text = resources.files("wlandoctor.parsers").joinpath("eap_tls.yaml").read_text(encoding="utf-8")
    return {int(k): str(v) for k, v in yaml.safe_load(text)["tls_fail_reasons"].items()}


@dataclass(slots=True)
class TlsFailure:
    line: int
    attrs: dict[str, Any]


class TlsLines:
    def __init__(self) -> None:
        self.last: TlsFailure | None = None

    def _note(self, line: int, **attrs: Any) -> dict[str, Any]:
        if self.last is None or line - self.last.line > MAX_AGE:
            self.last = TlsFailure(line, {})
        self.last.line = line
        for k, v in attrs.items():
            self.last.attrs.setdefault(k, v)  # (the first word of a failure is the one that says why)
        return attrs

    def read(self, body: str, line: int, side: str | None) -> dict[str, Any] | None:
        """A TLS line of hostapd's (``side`` "hostapd") or wpa_supplicant's: what it says (empty for the
        library's error, which adds to the failure without telling it again), or None when it is none."""
        peer = "sta" if side == "hostapd" else "server"
        me = "server" if side == "hostapd" else "sta"
        m = _ALERT.search(body)
        if m is not None:
            by = me if m.group(1) == "write" else peer
            return self._note(line, tls_alert=m.group(3).strip(), tls_alert_by=by)
        m = _AUTHSRV.search(body)
        if m is not None:
            return self._note(
                line, tls_alert=m.group(2).strip(), tls_alert_by=me if m.group(1) == "local" else peer
            )
        m = _X509.search(body)
        if m is not None:
            return self._note(line, tls_cert_error_by=me, tls_x509_error=m.group(2))
        if body.startswith("OpenSSL: openssl_handshake"):
            self._note(line, tls_library_error=body.rsplit(":", 1)[-1].strip()[:80])
            return {}
        return None

    def status(self, rest: str, line: int) -> dict[str, Any] | None:
        """wpa_supplicant's ``CTRL-EVENT-EAP-STATUS`` with a TLS alert (others carry no failure)."""
        m = _STATUS.search(rest)
        if m is None:
            return None
        return self._note(
            line, tls_alert=m.group(2), tls_alert_by="sta" if m.group(1) == "local" else "server"
        )

    def cert_error(self, rest: str, line: int) -> dict[str, Any]:
        """wpa_supplicant refused the server's certificate (``CTRL-EVENT-EAP-TLS-CERT-ERROR``)."""
        m = _CERT_ERROR.search(rest)
        if m is None:
            return self._note(line, tls_cert_error="unspecified", tls_cert_error_by="sta")
        why = fail_reasons().get(int(m.group(1)), "unspecified")
        return self._note(
            line, tls_cert_error=why, tls_cert_error_by="sta", tls_x509_error=m.group(2) or None
        )

    def take(self, line: int) -> dict[str, Any]:
        """What the TLS lines before ``line`` said (for its EAP-Failure), forgotten once taken."""
        last, self.last = self.last, None
        if last is None or line - last.line > MAX_AGE:
            return {}
        return {k: v for k, v in last.attrs.items() if v is not None}

    def forget(self) -> None:
        """A new EAP exchange began: the last one's TLS lines explain nothing of it."""
        self.last = None
