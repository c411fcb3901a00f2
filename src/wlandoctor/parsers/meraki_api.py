"""Cisco Meraki: the Dashboard API's JSON, as engineers save it (``curl``, the Python SDK, an export tool).

Two endpoints tell a client's onboarding:

- ``GET /networks/{id}/events?productType=wireless`` (the network's event log): records with ``occurredAt``,
  ``type`` (the same types as the AP's syslog: ``association``, ``wpa_auth``, ``8021x_eap_failure``,
  ``disassociation`` ...), ``clientMac`` / ``clientId`` / ``clientDescription``, ``deviceName`` /
  ``deviceSerial`` (the AP) and ``eventData`` (the syslog line's fields: ``aid``, ``rssi``, ``reason``,
  ``auth_neg_failed``, the connection's timings).  Each is read as the syslog reader reads the same event
  (parsers/meraki.py, one catalogue).
- ``GET /networks/{id}/wireless/failedConnections`` (v0: ``/failedConnections``): ``clientMac``, ``serial``
  (or ``nodeId``), ``failureStep`` (assoc, auth, dhcp, dns), ``type`` and ``ts``; the step and type give
  the event by the catalogue's ``failed_connections`` table.

The response's array, the envelope ``{"pageStartAt": ..., "events": [...]}`` and one record a line are all
read, a record at a time (parsers/jsonstream.py).  A record that names no MAC takes the MAC of another
record of the same ``clientId``; at the end of the input those still without one are named
``meraki-client@<clientId>``.  Records of the counters endpoints (``connectionStats``) hold no times: they are
recognised and said, not turned into attempts.
"""

from __future__ import annotations

import re
from typing import Any

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import meraki
from wlandoctor.parsers.catalogue import Catalogue, load
from wlandoctor.parsers.jsonstream import Bad, iter_records
from wlandoctor.parsers.relevance import unread
from wlandoctor.sources import Input
from wlandoctor.util.mac import normalize_mac
from wlandoctor.util.times import from_iso, in_range

MAX_PENDING = 10_000  # records held for the MAC of their clientId
MAX_FIELD = 256  # characters of one field kept
_SNIFF = re.compile(rb'"(?:occurredAt|failureStep|connectionStats)"\s*:')
_CLIENT_KEYS = re.compile(rb'"(?:clientMac|clientId|eventData|deviceSerial|serial|nodeId|mac)"\s*:')


def _text(v: Any) -> str:
    return v[:MAX_FIELD] if isinstance(v, str) else str(v)[:MAX_FIELD] if isinstance(v, int | float) else ""


class _Run(meraki._Run):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.clients: dict[str, str] = {}  # clientId -> MAC
        self.pending: list[tuple[Event, str]] = []  # (event, clientId) waiting for a MAC
        self.said: set[str] = set()  # notes given once per input
        self.relevant: bool | None = True  # a record not understood is about clients (None: judge its words)
        self.dns_failed: dict[str, int] = {}  # failedConnections at the dns step, per client
        self.stats_said: list[str] = []  # what connectionStats records count
        table = cat.tables.get("failed_connections") or {}
        self.steps: dict[str, Any] = table.get("steps") or {}
        self.eap_words = re.compile("|".join(map(re.escape, table.get("eap_words") or ["802.1X"])), re.I)

    def record(self, rec: Any) -> bool:
        """One record; whether it was understood."""
        self.text, self.relevant = "", True
        if not isinstance(rec, dict):
            return False
        if "failureStep" in rec:
            return self.failed_connection(rec)
        if "connectionStats" in rec:
            self.stats(rec)
            return True
        kind = _text(rec.get("type"))
        if not kind:
            return False
        data = rec.get("eventData")
        data = data if isinstance(data, dict) else {}
        fields = {str(k)[:40]: _text(v) for k, v in list(data.items())[:64]}
        mac = _text(rec.get("clientMac")) or fields.get("client_mac", "")
        if mac:
            fields["client_mac"] = mac
        client = _text(rec.get("clientId"))
        ap = _text(rec.get("deviceName")) or _text(rec.get("deviceSerial")) or "meraki"
        stamp = _text(rec.get("occurredAt"))
        body = f"type={kind} " + " ".join(f"{k}='{v}'" for k, v in fields.items())
        self.text = f"{stamp} {ap} {body}"
        if not mac and not client and not fields.get("aid"):
            if "subtype" in rec or "severity" in rec:  # (connectivityEvents: the client is in the request)
                self.note_once("no-client", "records that name no client (connectivityEvents?): not read")
                return True
            found = self.cat.match(body)
            self.relevant = (
                None if found is None else True
            )  # (a switch's or an appliance's event: by its words)
            return found is not None and found[0].kind is None
        if not mac and client and fields.get("aid") is None:
            known = self.clients.get(client)
            if known is not None:
                fields["client_mac"] = known
        before = len(self.out)
        ok = self.message(body, list(fields.items()), ap, lambda: self.epoch_or_iso(rec.get("occurredAt")))
        if mac and client:
            self.learn(client, mac)
        if len(self.out) > before and self.out[-1].station == "" and client:
            self.pending.append((self.out.pop(), client))
            if len(self.pending) > MAX_PENDING:
                self.flush()
        return ok

    def station(self, fields: dict[str, str]) -> str | None:
        """(a record with no MAC and no association id waits for its clientId's MAC: "" for now)"""
        found = super().station(fields)
        return found if found is not None else ""

    def failed_connection(self, rec: dict[str, Any]) -> bool:
        step, what = _text(rec.get("failureStep")), _text(rec.get("type"))
        mac = _text(rec.get("clientMac"))
        ap = _text(rec.get("serial")) or _text(rec.get("nodeId")) or "meraki"
        self.text = f"{_text(rec.get('ts'))} {ap} clientMac={mac} failureStep={step} type={what}"
        entry = self.steps.get(step)
        if entry is None or not meraki._MAC_FIELD.fullmatch(mac):
            return False
        kind = entry.get("kind")
        if kind is None:
            if step == "dns" and len(self.dns_failed) < 1000:
                station = normalize_mac(mac)
                self.dns_failed[station] = self.dns_failed.get(station, 0) + 1
            return True
        if step == "auth" and self.eap_words.search(what):
            kind = "eap.failure"
        ts = rec.get("ts")
        t = self.epoch_or_iso(ts)
        attrs: dict[str, Any] = {**(entry.get("attrs") or {}), "failure_step": step, "failure_type": what}
        if isinstance(rec.get("ssidNumber"), int):
            attrs["vap"] = str(rec["ssidNumber"])
        self.emit(kind, normalize_mac(mac), t, ap, **attrs)
        return True

    def stats(self, rec: dict[str, Any]) -> None:
        """A counters record: its failures said in the input's notes (no times: no attempts)."""
        counts = rec.get("connectionStats")
        if not isinstance(counts, dict):
            return
        failed = {k: v for k, v in counts.items() if k != "success" and isinstance(v, int) and v > 0}
        if failed and len(self.stats_said) < 20:
            steps = ", ".join(f"{k} {v}" for k, v in list(failed.items())[:8])
            who = _text(rec.get("mac")) or _text(rec.get("serial")) or "the network"
            self.stats_said.append(f"{who}: failed at {steps}; {_text(counts.get('success')) or 0} succeeded")

    def learn(self, client: str, mac: str) -> None:
        if not meraki._MAC_FIELD.fullmatch(mac):
            return
        station = normalize_mac(mac)
        if len(self.clients) >= meraki.AIDS_KEPT:
            self.clients.clear()
        self.clients[client] = station
        if self.pending:
            keep = []
            for event, c in self.pending:
                if c == client:
                    event.station = station
                    self.out.append(event)
                else:
                    keep.append((event, c))
            self.pending = keep

    def flush(self) -> None:
        for event, client in self.pending:
            event.station = self.clients.get(client) or f"meraki-client@{client}"
            self.out.append(event)
        self.pending = []

    def iso_time(self, stamp: str) -> float | None:
        if not stamp:
            return None
        t = from_iso(stamp)
        if t is None or not in_range(t):
            self.bad_stamp()
            return None
        return t

    def epoch_or_iso(self, ts: Any) -> float | None:
        """failedConnections' ``ts``: epoch seconds in v0, an ISO string in v1."""
        if isinstance(ts, int | float) and not isinstance(ts, bool):
            if in_range(float(ts)):
                return float(ts)
            self.bad_stamp()
            return None
        return self.iso_time(_text(ts))

    def note_once(self, key: str, text: str) -> None:
        if key not in self.said:
            self.said.add(key)
            self.summary.notes.append(text)

    def finish(self) -> list[Event]:
        if self.stats_said:
            self.summary.notes.append(
                "connection statistics (counts per onboarding step, without times: not diagnosed; the "
                "failedConnections or events endpoint gives the attempts): " + "; ".join(self.stats_said)
            )
        if self.dns_failed:
            named = ", ".join(list(self.dns_failed)[:5]) + (" ..." if len(self.dns_failed) > 5 else "")
            self.summary.notes.append(
                f"{sum(self.dns_failed.values())} failed connection(s) at the dns step, after the client had its "
                f"address (beyond onboarding, not diagnosed): {named}"
            )
        self.flush()
        out, self.out = self.out, []
        return out


class MerakiApiParser:
    name = "meraki-api"
    description = (
        "Cisco Meraki Dashboard API JSON: network events (productType=wireless) and failedConnections"
    )
    example = (
        '{"occurredAt": "2022-04-25T13:56:22.106483Z", "type": "association", "clientId": "kd9a3d9", '
        '"deviceName": "Office AP", "ssidNumber": 0, "eventData": {"channel": "1", "rssi": "59"}}'
    )

    def sniff(self, head: bytes) -> int:
        if not _SNIFF.search(head, 0, 65536) or not _CLIENT_KEYS.search(head, 0, 65536):
            return 0
        return 90 if head.lstrip()[:1] in (b"[", b"{") else 0

    def parse(self, inp: Input, summary: InputSummary) -> Any:
        run = _Run(inp, summary, load("meraki"))
        coverage = summary.coverage
        with inp.open() as stream:
            for line, rec in iter_records(stream, first_line=inp.first_line):
                run.number = line
                if isinstance(rec, Bad):
                    summary.problem(line, rec.why)
                    summary.skipped += 1
                    continue
                if run.record(rec):
                    summary.records += 1
                    coverage.understood += 1
                else:
                    summary.skipped += 1
                    unread(coverage, line, run.text or _text(str(rec)), run.relevant)
                if run.out:
                    yield from run.out
                    run.out.clear()
        yield from run.finish()


PARSER = MerakiApiParser()
