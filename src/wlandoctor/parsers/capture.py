"""Packet captures (pcap, pcapng) as events: 802.11 management frames, EAPOL, EAP and DHCP.

The station of an event is the non-AP address of the frame (the AP is the BSSID; on Ethernet captures
the side that sends EAPOL-Key messages with the Ack bit, EAP requests and DHCP offers is the
authenticator/server).  ``SourceRef.line`` is the frame number (1-based, as in Wireshark) and
``SourceRef.text`` a one-line summary in the spirit of Wireshark's Info column.

Beacons are reported once per (BSSID, SSID) as events without a station (``station == ""``): they
describe the network, not one client.  Probe responses are treated the same way (a capture hears every
nearby device scanning; those are not onboarding attempts).  Group-addressed deauthentications are counted as skipped.

Retries: an M1 (M3) to a station that already got an M1 (M3) with the same replay counter or the same
ANonce, with no answer in between, is ``eapol.m1.retry`` (``eapol.m3.retry``); this covers both the
authenticator's retransmissions (new replay counter, same ANonce) and captured 802.11 retransmissions of
the same frame.  The first M1 seen is always ``eapol.m1.sent``, even with the 802.11 Retry bit set: its
first transmission was not captured, but it is the first one the capture can show.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from wlandoctor.capture.codes import (
    AUTH_ALGORITHMS,
    DHCP_TYPES,
    EAP_CODES,
    EAP_TYPES,
    TLS_ALERTS,
    reason_name,
    status_name,
)
from wlandoctor.capture.messages import DESCRIPTIONS, GROUP1, GROUP2, M1, M2, M3, M4, REQUEST, classify
from wlandoctor.capture.reader import (
    EAPOL_EAP,
    EAPOL_KEY,
    EAPOL_LOGOFF,
    EAPOL_START,
    PCAP_MAGICS,
    PCAPNG_MAGIC,
    SUPPORTED_LINKTYPES,
    Capture,
    CaptureError,
    Frame,
)
from wlandoctor.capture.verify import akm_name
from wlandoctor.model import Event, InputSummary, SourceRef
from wlandoctor.model.kinds import KINDS
from wlandoctor.sources import Input
from wlandoctor.sources.lines import sanitize
from wlandoctor.util.mac import is_real_mac, normalize_mac

BROADCAST = "ff:ff:ff:ff:ff:ff"


def _group_addressed(mac: str) -> bool:
    return int(mac[:2], 16) & 1 == 1


def sniff(head: bytes) -> int:
    magic = head[:4]
    if magic in PCAP_MAGICS:
        if len(head) >= 24:
            endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
            linktype = struct.unpack_from(endian + "I", head, 20)[0] & 0x0FFFFFFF
            return 100 if linktype in SUPPORTED_LINKTYPES else 60
        return 60
    if magic == PCAPNG_MAGIC:
        return 100 if len(head) >= 12 and head[8:12] in (b"\x1a\x2b\x3c\x4d", b"\x4d\x3c\x2b\x1a") else 60
    return 0


@dataclass(slots=True)
class _PairState:
    last_m1_rc: int | None = None
    last_m1_nonce: bytes | None = None
    last_m3_rc: int | None = None
    last_m3_nonce: bytes | None = None
    m2_frame: int | None = None  # the station's last M2 not yet answered by M3


_RADIUS_ANSWERS = {
    2: ("radius.accept", "Access-Accept"),
    3: ("radius.reject", "Access-Reject"),
    11: ("radius.challenge", "Access-Challenge"),
}
_EAP_ASKED_MAX = 65536  # EAP requests awaiting an answer, one per station
# An authenticator resends an unanswered EAP request after its retransmission timer (RFC 3748 4.3: 3 s
# and more in hostapd, 1 s at the least in practice); a copy sooner than this is the same frame.
EAP_RESEND_MIN_S = 0.5
_RADIUS_PENDING_MAX = 65536  # requests awaiting their answer (bounded: a capture may hold millions)


def _calling_station(value: str | None) -> str | None:
    """A Calling-Station-Id holding a MAC ("02-1A-B0-00-00-02", "021ab0000002", "021a.b000.0002") in
    lower-case colon form; None for anything else (a port name, a phone number)."""
    station = normalize_mac(value) if value else ""
    return station if is_real_mac(station) else None


def _is_group(mac: str | None) -> bool:
    """A group (multicast/broadcast) address: the least significant bit of the first octet is set."""
    return bool(mac) and int(mac[:2], 16) & 1 == 1  # type: ignore[index]


class _Mapper:
    """Frame -> Event, with the little state needed for retries and network names."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.ssids: dict[str, str] = {}
        self.beacons_seen: set[tuple[str, bytes | None, str]] = set()
        self.pairs: dict[tuple[str, str], _PairState] = {}
        self.last_supplicant: dict[str, str] = {}  # authenticator (or group address) -> supplicant
        self.last_host: str | None = None  # the last host seen asking for an address (DHCP), on a wired port
        # the last EAP request to each station not answered yet: (identifier, type, time)
        self.eap_asked: dict[str, tuple[int | None, int | None, float]] = {}
        # RADIUS requests not answered yet: (client, server, identifier) -> (station, authenticator, frame)
        self.radius_pending: dict[tuple[str | None, str | None, int | None], tuple[str, bytes, int]] = {}
        # the last request on each (client, server) route, for the ICMP error that answers it
        self.radius_last: dict[tuple[str | None, str | None], tuple[str, int]] = {}

    def event(
        self, f: Frame, kind: str, station: str, text: str, bssid: str | None, **attrs: object
    ) -> Event:
        assert kind in KINDS, kind
        return Event(
            kind=kind,
            station=station,
            stage=KINDS[kind].stage,
            ref=SourceRef(self.source, f.number, sanitize(text)),
            time=f.time,
            seq=f.number,
            bssid=bssid,
            ssid=self.ssids.get(bssid) if bssid else None,
            attrs=dict(attrs),
        )

    def map(self, f: Frame) -> Iterator[Event]:
        t = f.type
        arrow = f"{f.src} → {f.dst}"
        if t in ("beacon", "probe-resp"):
            yield from self._beacon(f, arrow)
            return
        bssid = f.bssid
        if t == "eapol":
            yield from self._eapol(f, arrow)
            return
        if t == "dhcp":
            yield from self._dhcp(f, arrow)
            return
        if t in ("radius", "radius-unreachable"):
            yield from self._radius(f)
            return
        from_ap = bssid is not None and f.src == bssid
        station = f.dst if from_ap else f.src
        if t == "auth":
            yield from self._auth(f, arrow, station, from_ap)
        elif t in ("assoc-req", "reassoc-req"):
            rsn = f.rsn
            attrs: dict[str, object] = {"reassoc": t == "reassoc-req"}
            if f.ssid is not None:
                attrs["ssid"] = f.ssid_text
            if rsn is not None:
                attrs["akm"] = akm_name(rsn.akms[0]) if rsn.akms else None
                attrs["akms"] = [akm_name(a) for a in rsn.akms]
                attrs["pmkid"] = [p.hex() for p in rsn.pmkids]
                attrs["wpa1"] = rsn.wpa1
                attrs["mfp_capable"] = rsn.mfp_capable
            name = "Reassociation" if t == "reassoc-req" else "Association"
            pm = f", PMKID {len(rsn.pmkids)}" if rsn is not None and rsn.pmkids else ""
            ssid = f", SSID={f.ssid_text}" if f.ssid is not None else ""
            yield self.event(f, "assoc.request", station, f"{arrow} {name} Request{ssid}{pm}", bssid, **attrs)
        elif t == "assoc-resp":
            name = "Reassociation" if f.reassoc else "Association"
            st = f.status if f.status is not None else -1
            kind = "assoc.response" if st == 0 else "assoc.reject"
            text = f"{arrow} {name} Response, status {st} ({status_name(f.status)})"
            yield self.event(
                f,
                kind,
                station,
                text,
                bssid,
                status=f.status,
                status_name=status_name(f.status),
                reassoc=f.reassoc,
            )
        elif t in ("deauth", "disassoc"):
            if _group_addressed(f.dst) and from_ap:
                return  # broadcast deauth: about no single station
            kind = "sta.deauth" if t == "deauth" else "sta.disassoc"
            by = "ap" if from_ap else "sta"
            name = "Deauthentication" if t == "deauth" else "Disassociation"
            if f.reason is None:
                text = f"{arrow} {name} (protected: reason encrypted)"
            else:
                text = f"{arrow} {name}, reason {f.reason} ({reason_name(f.reason)})"
            yield self.event(
                f, kind, station, text, bssid, reason=f.reason, reason_name=reason_name(f.reason), by=by
            )

    def _beacon(self, f: Frame, arrow: str) -> Iterator[Event]:
        bssid = f.bssid or f.src
        if f.ssid is not None and any(f.ssid):
            self.ssids.setdefault(bssid, f.ssid_text or "")
        station = ""  # about the network; nearby devices that only scan are not onboarding attempts
        key = (bssid, f.ssid, station)
        if key in self.beacons_seen:
            return
        self.beacons_seen.add(key)
        rsn = f.rsn
        attrs: dict[str, object] = {
            "ssid": f.ssid_text,
            "ssid_hex": f.ssid.hex() if f.ssid is not None else None,
        }
        sec = "open"
        if rsn is not None:
            attrs["akms"] = [akm_name(a) for a in rsn.akms]
            attrs["wpa1"] = rsn.wpa1
            attrs["mfp_required"] = rsn.mfp_required
            attrs["mfp_capable"] = rsn.mfp_capable
            sec = ("WPA " if rsn.wpa1 else "RSN ") + "/".join(akm_name(a) for a in rsn.akms)
        name = "Beacon" if f.type == "beacon" else "Probe Response"
        text = f"{arrow} {name}, SSID={f.ssid_text!s}, {sec}"
        yield self.event(f, "beacon", station, text, bssid, **attrs)

    def _auth(self, f: Frame, arrow: str, station: str, from_ap: bool) -> Iterator[Event]:
        alg, seq, st = f.auth_alg, f.auth_seq, f.status
        if alg is None:
            return  # protected shared-key frame 3
        alg_name = AUTH_ALGORITHMS.get(alg, f"algorithm {alg}")
        text = f"{arrow} Authentication, {alg_name}, SEQ={seq}, status {st} ({status_name(st)})"
        attrs = {"algorithm": alg, "algorithm_name": alg_name, "seq": seq, "status": st}
        if alg == 3:  # SAE: seq 1 commit, seq 2 confirm, in both directions
            if st not in (0, 76, 126, 127) and from_ap:
                yield self.event(
                    f, "auth.reject", station, text, f.bssid, status_name=status_name(st), **attrs
                )
                return
            kind = "sae.commit" if seq == 1 else "sae.confirm"
            yield self.event(f, kind, station, text, f.bssid, by="ap" if from_ap else "sta", **attrs)
            return
        if not from_ap:
            yield self.event(f, "auth.request", station, text, f.bssid, **attrs)
        elif st == 0:
            yield self.event(f, "auth.response", station, text, f.bssid, **attrs)
        else:
            yield self.event(f, "auth.reject", station, text, f.bssid, status_name=status_name(st), **attrs)

    def _eapol(self, f: Frame, arrow: str) -> Iterator[Event]:
        pt = f.eapol_type
        if pt == EAPOL_KEY and f.key is not None:
            yield from self._key(f, arrow)
        elif pt == EAPOL_START:
            station = f.src
            if f.dst:
                self.last_supplicant[f.dst] = station
            bssid = f.bssid or f.dst
            yield self.event(f, "eapol.start", station, f"{arrow} EAPOL Start", bssid)
        elif pt == EAPOL_LOGOFF:
            return
        elif pt == EAPOL_EAP and f.eap_code is not None:
            yield from self._eap(f, arrow)

    def _eap(self, f: Frame, arrow: str) -> Iterator[Event]:
        code = f.eap_code
        from_auth = code in (1, 3, 4)
        station = f.dst if from_auth else f.src
        port_based = from_auth and _is_group(station)
        if port_based:
            # Wired 802.1X (use_pae_group_addr): the authenticator talks to the PAE group address; the
            # supplicant is the one that last spoke EAPOL to this authenticator, else the host last seen on
            # the port (a wired authenticator starts 802.1X for a host it sees sending, e.g. DHCP).
            station = (
                self.last_supplicant.get(f.src)
                or self.last_supplicant.get(f.dst)
                or (self.last_host if self.last_host != f.src else None)
                or station
            )
        elif not from_auth:
            self.last_supplicant[f.dst] = station
        bssid = f.bssid or (f.src if from_auth else f.dst)
        tname = EAP_TYPES.get(f.eap_type, f"type {f.eap_type}") if f.eap_type is not None else ""
        text = f"{arrow} EAP {EAP_CODES.get(code or 0, str(code))}{', ' + tname if tname else ''} (id {f.eap_id})"
        attrs: dict[str, object] = {"eap_code": code, "eap_type": f.eap_type, "eap_id": f.eap_id}
        asked = self.eap_asked
        if code == 1:
            kind = "eap.identity.request" if f.eap_type == 1 else "eap.challenge.request"
            before = asked.get(station)
            if (
                before is not None
                and before[:2] == (f.eap_id, f.eap_type)
                and not f.retry
                and f.time - before[2] >= EAP_RESEND_MIN_S
            ):
                # The same request again (same identifier), seconds later: the authenticator heard no
                # answer in time (an 802.11 retry, or a copy heard twice, is the same frame: not this).
                kind = "eap.identity.timeout" if f.eap_type == 1 else "eap.challenge.timeout"
                attrs["retransmit"] = True
            elif before is None or before[:2] != (f.eap_id, f.eap_type):
                if len(asked) >= _EAP_ASKED_MAX:
                    del asked[next(iter(asked))]
                asked[station] = (f.eap_id, f.eap_type, f.time)
        elif code == 2:
            asked.pop(station, None)
            if f.eap_type == 1:
                kind = "eap.identity.response"
                if f.eap_identity is not None:
                    attrs["identity"] = sanitize(f.eap_identity.decode("utf-8", errors="backslashreplace"))
            else:
                kind = "eap.packet.relayed"
        elif code == 3:
            kind = "eap.success"
        elif code == 4:
            kind = "eap.failure"
        else:
            return
        yield self.event(f, kind, station, text, bssid, **attrs)
        if f.tls_alert is not None and f.tls_alert[0] == 2:  # (a fatal alert: a warning ends nothing)
            desc = TLS_ALERTS.get(f.tls_alert[1], f"alert {f.tls_alert[1]}")
            by = "server" if from_auth else "sta"
            yield self.event(
                f,
                "eap.tls_failure",
                station,
                f"{arrow} TLS alert (fatal, {desc})",
                bssid,
                tls_alert=desc,
                tls_alert_by=by,
            )
        if code == 3 and port_based and f.bssid is None:
            # On a wired port no key exchange follows: EAP-Success is the authenticator authorizing the
            # port (IEEE 802.1X), the station is connected.
            yield self.event(f, "sta.connected", station, f"{arrow} port authorized (EAP-Success)", bssid)

    def _key(self, f: Frame, arrow: str) -> Iterator[Event]:
        key = f.key
        assert key is not None
        msg = classify(key)
        if msg == REQUEST:
            if key.error:  # the station's Michael MIC failure report (Request and Error bits, 12.7.2)
                group = not key.pairwise
                yield self.event(
                    f,
                    "tkip.mic_failure",
                    f.src,
                    f"{arrow} EAPOL Key (Michael MIC failure report, {'group' if group else 'pairwise'} key), "
                    f"replay counter {key.replay_counter}",
                    f.bssid or f.dst,
                    by="sta",
                    group=group,
                    key_info=f"0x{key.key_info:04x}",
                )
            return  # any other request (a rekey asked for): not an onboarding step
        if msg in (M1, M3, GROUP1):
            ap, station = f.src, f.dst
        else:
            ap, station = f.dst, f.src
        bssid = f.bssid or ap
        st = self.pairs.setdefault((ap, station), _PairState())
        text = f"{arrow} EAPOL Key ({DESCRIPTIONS[msg]}), replay counter {key.replay_counter}, kver {key.version}"
        attrs: dict[str, object] = {
            "replay_counter": key.replay_counter,
            "kver": key.version,
            "key_info": f"0x{key.key_info:04x}",
            "message": msg,
        }
        if msg == M1:
            if st.m2_frame is not None:
                # The AP answered the station's M2 with a new M1 instead of M3: it rejected that M2
                # (in practice its MIC).  Seen from the air, so a lost M3 is the other reading.
                yield self.event(
                    f,
                    "eapol.m2.unanswered",
                    station,
                    f"{arrow} EAPOL Key (Message 1 of 4) again after the station's M2 (frame "
                    f"{st.m2_frame}) with no M3 between: the AP did not accept that M2",
                    bssid,
                    m2_frame=st.m2_frame,
                )
                st.m2_frame = None
            retry = st.last_m1_rc is not None and (
                st.last_m1_rc == key.replay_counter or st.last_m1_nonce == key.nonce
            )
            st.last_m1_rc, st.last_m1_nonce = key.replay_counter, key.nonce
            st.last_m3_rc = st.last_m3_nonce = None
            if key.pmkids:
                attrs["pmkid"] = [p.hex() for p in key.pmkids]
            kind = "eapol.m1.retry" if retry else "eapol.m1.sent"
        elif msg == M2:
            st.last_m1_rc = st.last_m1_nonce = None  # an answer: the next M1 is a new exchange
            st.m2_frame = f.number
            kind = "eapol.m2.received"
        elif msg == M3:
            st.m2_frame = None
            retry = st.last_m3_rc is not None and (
                st.last_m3_rc == key.replay_counter or st.last_m3_nonce == key.nonce
            )
            st.last_m3_rc, st.last_m3_nonce = key.replay_counter, key.nonce
            kind = "eapol.m3.retry" if retry else "eapol.m3.sent"
        elif msg == M4:
            st.last_m3_rc = st.last_m3_nonce = None
            kind = "eapol.m4.received"
        elif msg == GROUP1:
            kind = "group.m1.sent"
        elif msg == GROUP2:
            kind = "group.m2.received"
        else:
            return
        yield self.event(f, kind, station, text, bssid, **attrs)

    def _radius(self, f: Frame) -> Iterator[Event]:
        """RADIUS between the authenticator and its server (a capture on the wired side).  The station is
        the request's Calling-Station-Id; an answer is paired with its request by endpoints and
        identifier.  A request sent again unchanged (same authenticator) went unanswered."""
        pending = self.radius_pending
        if f.type == "radius-unreachable":
            # the server's host answered with ICMP: nothing listens on the RADIUS port
            last = self.radius_last.get((f.radius_client, f.radius_server))
            if last is not None:
                station, number = last
                text = (
                    f"ICMP port unreachable from {f.radius_server} for the Access-Request of frame {number}"
                )
                yield self.event(f, "radius.unreachable", station, text, None, server=f.radius_server)
            return
        key = (f.radius_client, f.radius_server, f.radius_id)
        code = f.radius_code
        route = (
            f"{f.radius_client} → {f.radius_server}"
            if code == 1
            else f"{f.radius_server} → {f.radius_client}"
        )
        if code == 1:
            calling = _calling_station(f.extra.get("calling_station"))
            if calling is None:
                return  # (a request that names no station's MAC: nothing to attach it to)
            station = calling
            before = pending.get(key)
            if before is not None and before[1] == f.radius_auth:
                text = (
                    f"{route} RADIUS Access-Request id {f.radius_id} sent again: frame {before[2]} unanswered"
                )
                yield self.event(
                    f, "radius.no_reply", station, text, None, resend=True, radius_id=f.radius_id
                )
                return
            if len(pending) >= _RADIUS_PENDING_MAX:
                del pending[next(iter(pending))]  # (the oldest: its answer is long overdue)
            pending[key] = (station, f.radius_auth, f.number)
            if len(self.radius_last) >= _RADIUS_PENDING_MAX:
                self.radius_last.clear()
            self.radius_last[(f.radius_client, f.radius_server)] = (station, f.number)
            user = f.extra.get("user")
            text = f"{route} RADIUS Access-Request id {f.radius_id}" + (f", User-Name {user}" if user else "")
            yield self.event(f, "radius.request", station, text, None, radius_id=f.radius_id, user=user)
            return
        asked = pending.pop(key, None)
        if asked is None:
            return  # an answer to a request before the capture began
        kind, name = _RADIUS_ANSWERS[code or 0]
        text = f"{route} RADIUS {name} id {f.radius_id}"
        reply = f.extra.get("reply_message")
        if reply:
            text += f", Reply-Message {reply}"
        yield self.event(f, kind, asked[0], text, None, radius_id=f.radius_id, reply_message=reply)

    def _dhcp(self, f: Frame, arrow: str) -> Iterator[Event]:
        kinds = {1: "dhcp.discover", 2: "dhcp.offer", 3: "dhcp.request", 5: "dhcp.ack", 6: "dhcp.nak"}
        kind = kinds.get(f.dhcp_type or 0)
        if kind is None:
            return
        station = f.dhcp_client or (f.dst if f.dhcp_type in (2, 5, 6) else f.src)
        if f.dhcp_type in (1, 3) and not _is_group(f.src):
            self.last_host = f.src
        text = f"{arrow} {DHCP_TYPES.get(f.dhcp_type or 0, 'DHCP')}"
        yield self.event(f, kind, station, text, f.bssid, dhcp_type=f.dhcp_type)


class CaptureParser:
    name = "pcap"
    binary = True  # (sniffed on its raw head)
    description = (
        "Packet capture (pcap/pcapng, several interfaces): 802.11 (raw, radiotap, Prism/AVS), or Ethernet "
        "EAPOL, DHCP and RADIUS (an authenticator's wired side)"
    )
    example = "wlandoctor diagnose handshake.pcapng"

    def sniff(self, head: bytes) -> int:
        return sniff(head)

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        try:
            stream = inp.open()
        except (OSError, RuntimeError) as e:
            summary.problem(0, f"cannot read: {e}")
            return
        try:
            try:
                cap = Capture(stream, inp.name)
            except CaptureError as e:
                summary.problem(0, e.message)
                return
            mapper = _Mapper(inp.name)
            for f in cap.frames():
                summary.records += 1
                produced = False
                for ev in mapper.map(f):
                    produced = True
                    yield ev
                if not produced:
                    summary.skipped += 1
            summary.skipped += cap.malformed + sum(count for count, _first in cap.unread.values())
            for number, message in cap.problems:
                summary.problem(number, message)
            if cap.problems_dropped:
                summary.problem(0, f"{cap.problems_dropped} more malformed frames not listed")
        finally:
            stream.close()


PARSER = CaptureParser()
