"""The key proof: which candidate passphrase (if any) did the station really use?

For every (AP, station) pair in a capture, the EAPOL-Key messages are paired by replay counter and nonce
(never by order alone), grouped into handshakes, and each candidate's PMK is tried against every MIC
and PMKID that can be recomputed:

- M2 (SNonce + MIC): the ANonce comes from an M1 with the same replay counter, or from an M3 whose
  replay counter is one higher (the M3 repeats the ANonce).  Every such ANonce is tried, so a stale M1
  that happens to share the replay counter (aircrack-ng testm1m2m3.pcap) cannot cause a false "wrong
  passphrase": the M3's ANonce is tried too.  An M2 with no such M1 or M3 is *unverifiable*, never
  "wrong" (MOM1.cap, virgin_broadband).
- M3 (ANonce + MIC): the SNonce comes from an M2 whose ANonce candidates include the M3's ANonce
  (which covers the M2 with the replay counter one lower).
- M4 (MIC only): PTK from the (ANonce, SNonce) pairs of the M2 one replay counter lower and of the M3
  with the same replay counter; WPA1 stations that echo the SNonce in M4 give it directly.
- PMKIDs in M1 key data and in the (re)association request: HMAC-SHA1-128 (SHA-256 for AKMs 5/6) of
  the candidate's PMK.  PMKIDs of SAE/OWE/FT/802.1X associations are not passphrase-derived and are
  never offered as such (aircrack-ng pmkid-not-recognized.cap).

Verdict per handshake: ``match`` (a candidate reproduced a MIC or PMKID), ``no-match`` (something was
checkable and no candidate reproduced it), ``incomplete`` (nothing checkable: no M2 with a captured
ANonce, no usable PMKID, or the SSID is unknown), ``cannot-check-offline`` (SAE, OWE, FT, 802.1X: the
PMK does not come from the passphrase by PBKDF2).

Candidates are referred to by label; secrets never appear in any result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wlandoctor.capture import crypto
from wlandoctor.capture.candidates import Candidate
from wlandoctor.capture.messages import FROM_AUTHENTICATOR, GROUP1, GROUP2, M1, M2, M3, M4, classify
from wlandoctor.capture.reader import Frame, RsnInfo, open_capture, ssid_text

MATCH = "match"
NO_MATCH = "no-match"
INCOMPLETE = "incomplete"
CANNOT = "cannot-check-offline"
UNVERIFIABLE = "unverifiable"

# A message more than this many seconds after the previous one of the same pair starts a new handshake.
HANDSHAKE_GAP = 30.0
# Nonce pairs tried per message: a real station gives one or two; more means retries or a crafted file.
MAX_NONCE_PAIRS = 8

AKM_NAMES = {
    1: "802.1X",
    2: "PSK",
    3: "FT-802.1X",
    4: "FT-PSK",
    5: "802.1X-SHA256",
    6: "PSK-SHA256",
    7: "TDLS",
    8: "SAE",
    9: "FT-SAE",
    10: "AP-PeerKey",
    11: "802.1X-SuiteB",
    12: "802.1X-SuiteB-192",
    13: "FT-802.1X-SHA384",
    14: "FILS-SHA256",
    15: "FILS-SHA384",
    16: "FT-FILS-SHA256",
    17: "FT-FILS-SHA384",
    18: "OWE",
    19: "FT-PSK-SHA384",
    20: "PSK-SHA384",
    22: "FT-802.1X-SHA384",
    23: "802.1X-SHA384",
    24: "SAE-EXT-KEY",
    25: "FT-SAE-EXT-KEY",
}
PSK_AKMS = frozenset({2, 6})
# Why an AKM cannot be checked with a passphrase from a capture.
OFFLINE_REASONS = {
    **{
        a: "802.1X/EAP: the PMK comes from the EAP exchange, not from a passphrase"
        for a in (1, 3, 5, 11, 12, 13, 22, 23)
    },
    **{
        a: "SAE (WPA3-Personal): the PMK comes from the SAE exchange; a capture cannot prove a passphrase"
        for a in (8, 24)
    },
    **{a: "FT (802.11r): the PTK comes from PMK-R1, not checked offline" for a in (4, 9, 19, 25)},
    **{a: "FILS: the PMK comes from the FILS exchange" for a in (14, 15, 16, 17)},
    18: "OWE: an open network with a Diffie-Hellman key, no passphrase involved",
    20: "PSK-SHA384: not supported by this check",
    7: "TDLS: not a station-AP handshake",
    10: "AP-PeerKey: not a station-AP handshake",
}


def akm_name(akm: int | None) -> str:
    if akm is None:
        return "unknown"
    return AKM_NAMES.get(akm, f"AKM {akm}")


# --------------------------------------------------------------------------------------------- results


@dataclass(slots=True)
class Check:
    """One recomputation: a MIC of an EAPOL-Key message, or a PMKID."""

    what: str  # M2, M3, M4, PMKID-M1, PMKID-assoc, MIC (HCCAPX record)
    frame: int
    status: str  # match | no-match | unverifiable
    candidate: str | None = None  # label of the matching candidate
    note: str = ""
    side: str = ""  # whose key this proves: "station" (M2, M4, PMKID-assoc) or "ap" (M3, PMKID-M1)

    def __post_init__(self) -> None:
        if not self.side:
            self.side = "ap" if self.what in ("M3", "PMKID-M1") else "station"


@dataclass(slots=True)
class Proof:
    """The result for one handshake (one AP, one station, a run of EAPOL-Key messages)."""

    ap: str
    sta: str
    ssid: str | None
    frames: list[int]
    messages: list[str]  # e.g. ["M1@2", "M2@3"]
    kver: int | None
    akm: int | None
    verdict: str
    candidate: str | None = None  # label: the station's key when proven, else the AP's
    candidate_position: int | None = None
    station_candidate: str | None = None  # reproduced M2/M4 MIC or the PMKID of the (re)assoc request
    ap_candidate: str | None = None  # reproduced M3 MIC or the PMKID the AP sent in M1
    verified: list[str] = field(default_factory=list)  # e.g. ["M2@3", "PMKID-M1@2"]
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def akm_name(self) -> str:
        return akm_name(self.akm)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["akm_name"] = self.akm_name
        return d


# --------------------------------------------------------------------------------------------- collection


@dataclass(slots=True)
class _Msg:
    frame: Frame
    kind: str
    aa: bytes
    spa: bytes

    @property
    def rc(self) -> int:
        assert self.frame.key is not None
        return self.frame.key.replay_counter

    @property
    def nonce(self) -> bytes:
        assert self.frame.key is not None
        return self.frame.key.nonce

    @property
    def kver(self) -> int:
        assert self.frame.key is not None
        return self.frame.key.version

    @property
    def number(self) -> int:
        return self.frame.number


@dataclass(slots=True)
class _Collected:
    ssids: dict[str, bytes] = field(default_factory=dict)  # bssid -> SSID
    beacon_rsn: dict[str, RsnInfo] = field(default_factory=dict)
    assoc: dict[tuple[str, str], list[Frame]] = field(default_factory=lambda: defaultdict(list))
    pairs: dict[tuple[str, str], list[_Msg]] = field(default_factory=lambda: defaultdict(list))
    order: list[tuple[str, str]] = field(default_factory=list)


def _hidden(ssid: bytes) -> bool:
    return not ssid or not any(ssid)


def collect(frames: Iterable[Frame]) -> _Collected:
    """One pass over the frames, keeping only what the proof needs (EAPOL-Key, assoc requests, SSIDs)."""
    c = _Collected()
    for f in frames:
        t = f.type
        if t in ("beacon", "probe-resp"):
            if f.bssid and f.ssid is not None and not _hidden(f.ssid):
                c.ssids.setdefault(f.bssid, f.ssid)
            if f.bssid and f.rsn is not None:
                c.beacon_rsn.setdefault(f.bssid, f.rsn)
        elif t in ("assoc-req", "reassoc-req"):
            if f.bssid:
                if f.ssid is not None and not _hidden(f.ssid):
                    c.ssids.setdefault(f.bssid, f.ssid)
                c.assoc[(f.dst, f.src)].append(f)
        elif t == "eapol" and f.key is not None:
            kind = classify(f.key)
            if kind in FROM_AUTHENTICATOR:
                ap, sta = f.src, f.dst
            else:
                ap, sta = f.dst, f.src
            if kind not in (M1, M2, M3, M4, GROUP1, GROUP2):
                continue
            key = (ap, sta)
            if key not in c.pairs:
                c.order.append(key)
            c.pairs[key].append(
                _Msg(f, kind, bytes.fromhex(ap.replace(":", "")), bytes.fromhex(sta.replace(":", "")))
            )
    return c


# --------------------------------------------------------------------------------------------- pairing


def _group(msgs: list[_Msg]) -> list[list[_Msg]]:
    """Split one pair's messages into handshakes (for presentation; pairing uses replay counters)."""
    groups: list[list[_Msg]] = []
    cur: list[_Msg] = []
    kinds: set[str] = set()
    last_t: float | None = None
    for m in msgs:
        new = False
        if cur:
            gap = last_t is not None and m.frame.time - last_t > HANDSHAKE_GAP
            restart = (
                (m.kind == M1 and bool(kinds & {M2, M3, M4}))
                or (m.kind == M2 and bool(kinds & {M3, M4}))
                or (m.kind == M3 and M4 in kinds)
            )
            new = gap or restart
        if new:
            groups.append(cur)
            cur, kinds = [], set()
        cur.append(m)
        kinds.add(m.kind)
        last_t = m.frame.time
    if cur:
        groups.append(cur)
    return groups


class _Pairing:
    """Nonce candidates for each message of one (AP, station) pair.

    Each candidate carries a source (``M1@12``) and a strength.  Strong = paired by replay counter with
    a message at most HANDSHAKE_GAP seconds away; weak = paired by replay counter across a longer gap, or
    by a reused ANonce.  A failed MIC counts against a candidate only when a strong pairing was tried.

    Messages are indexed by replay counter and every answer is memoised, so a capture holding K messages
    of one pair costs about K lookups, not K**4 (a station retrying hundreds of times, or a crafted file).
    """

    def __init__(self, msgs: list[_Msg]) -> None:
        self.by_rc: dict[tuple[str, int], list[_Msg]] = defaultdict(list)
        for m in msgs:
            self.by_rc[(m.kind, m.rc)].append(m)
        self._m2s = [m for m in msgs if m.kind == M2]
        self._anonces: dict[int, list[tuple[bytes, str, bool]]] = {}
        self._snonces: dict[int, list[tuple[bytes, str, bool]]] = {}
        self._m2_by_anonce: dict[bytes, list[_Msg]] | None = None

    def _with(self, kind: str, rc: int) -> list[_Msg]:
        return self.by_rc.get((kind, rc), [])

    @staticmethod
    def _near(a: _Msg, b: _Msg) -> bool:
        return abs(a.frame.time - b.frame.time) <= HANDSHAKE_GAP

    def anonces_for_m2(self, m2: _Msg) -> list[tuple[bytes, str, bool]]:
        known = self._anonces.get(m2.number)
        if known is not None:
            return known
        out: dict[bytes, tuple[bytes, str, bool]] = {}
        for kind, rc in ((M1, m2.rc), (M3, m2.rc + 1)):
            for m in self._with(kind, rc):
                if any(m.nonce):
                    strong = self._near(m, m2)
                    if m.nonce not in out or (strong and not out[m.nonce][2]):
                        out[m.nonce] = (m.nonce, f"{kind}@{m.number}", strong)
        found = sorted(out.values(), key=lambda x: not x[2])
        self._anonces[m2.number] = found
        return found

    def _answering(self, anonce: bytes) -> list[_Msg]:
        """The M2s whose ANonce candidates include this one (built once for the pair)."""
        if self._m2_by_anonce is None:
            index: dict[bytes, list[_Msg]] = defaultdict(list)
            for m in self._m2s:
                for a, _, _ in self.anonces_for_m2(m):
                    index[a].append(m)
            self._m2_by_anonce = index
        return self._m2_by_anonce.get(anonce, [])

    def snonces_for_m3(self, m3: _Msg) -> list[tuple[bytes, str, bool]]:
        """SNonces for an M3: the M2 one replay counter lower, or an M2 answering the same ANonce."""
        known = self._snonces.get(m3.number)
        if known is not None:
            return known
        by_rc = self._with(M2, m3.rc - 1)
        picked = {m.number: m for m in (*by_rc, *self._answering(m3.nonce))}
        out: dict[bytes, tuple[bytes, str, bool]] = {}
        for number in sorted(picked):  # capture order, as the MIC checks report them
            m = picked[number]
            if not any(m.nonce):
                continue
            strong = m.rc == m3.rc - 1 and self._near(m, m3)
            if m.nonce not in out or (strong and not out[m.nonce][2]):
                out[m.nonce] = (m.nonce, f"M2@{m.number}", strong)
        found = sorted(out.values(), key=lambda x: not x[2])
        self._snonces[m3.number] = found
        return found

    def pairs_for_m4(self, m4: _Msg) -> list[tuple[bytes, bytes, str, bool]]:
        out: dict[tuple[bytes, bytes], tuple[bytes, bytes, str, bool]] = {}

        def add(a: bytes, s: bytes, src: str, strong: bool) -> None:
            if (a, s) not in out or (strong and not out[(a, s)][3]):
                out[(a, s)] = (a, s, src, strong)

        for m in self._with(M2, m4.rc - 1):
            if any(m.nonce):
                for a, asrc, astrong in self.anonces_for_m2(m):
                    add(a, m.nonce, f"{asrc}+M2@{m.number}", astrong and self._near(m, m4))
        for m in self._with(M3, m4.rc):
            if any(m.nonce):
                near = self._near(m, m4)
                for s, ssrc, sstrong in self.snonces_for_m3(m):
                    add(m.nonce, s, f"M3@{m.number}+{ssrc}", sstrong and near)
                if any(m4.nonce):  # WPA1 stations echo the SNonce in message 4
                    add(m.nonce, m4.nonce, f"M3@{m.number}+M4@{m4.number}", near)
        if any(m4.nonce):
            for m in self._with(M1, m4.rc - 1):
                add(m.nonce, m4.nonce, f"M1@{m.number}+M4@{m4.number}", self._near(m, m4))
        return sorted(out.values(), key=lambda x: not x[3])


# --------------------------------------------------------------------------------------------- proof


def _akm_for(c: _Collected, ap: str, sta: str, group: list[_Msg]) -> tuple[int | None, str]:
    """The AKM in use: from the station's RSN element in M2, else its (re)association request, else the
    beacon when it offers a single AKM."""
    for m in group:
        key = m.frame.key
        if m.kind == M2 and key is not None and key.rsn is not None and key.rsn.akms:
            return key.rsn.akms[0], f"M2@{m.number}"
    first = group[0].frame.number
    reqs = [f for f in c.assoc.get((ap, sta), []) if f.number < first and f.rsn is not None and f.rsn.akms]
    if reqs:
        f = reqs[-1]
        assert f.rsn is not None
        return f.rsn.akms[0], f"assoc-req@{f.number}"
    b = c.beacon_rsn.get(ap)
    if b is not None and len(set(b.akms)) == 1:
        return b.akms[0], "beacon"
    return None, ""


def _pmk_list(
    cache: crypto.PmkCache, ssid: bytes, candidates: Sequence[Candidate]
) -> list[tuple[Candidate, bytes]]:
    return [(cand, cache.get(ssid, cand.secret)) for cand in candidates]


def _check_mic(
    msg: _Msg,
    pairs: list[tuple[bytes, bytes, str, bool]],
    pmks: list[tuple[Candidate, bytes]],
    kver: int,
    akm: int | None,
) -> Check:
    """Try every candidate with every (ANonce, SNonce, source, strong) pair.

    A failure counts as ``no-match`` only when a strongly paired nonce pair (by replay counter) was
    tried; when only nonces borrowed from other exchanges were available it stays ``unverifiable``.
    """
    if not pairs:
        missing = {
            M2: "no ANonce captured (no M1 with the same replay counter, no M3 with the next one)",
            M3: "no SNonce captured (no M2 for this ANonce)",
            M4: "no nonce pair captured for this replay counter",
        }[msg.kind]
        return Check(msg.kind, msg.number, UNVERIFIABLE, note=missing)
    eapol = msg.frame.eapol
    skipped = len(pairs) - MAX_NONCE_PAIRS
    pairs = pairs[:MAX_NONCE_PAIRS]  # strong pairings first: the rest are other exchanges' nonces
    for cand, pmk in pmks:
        for a, s, src, _strong in pairs:
            kck = crypto.derive_kck(pmk, msg.aa, msg.spa, a, s, kver, akm)
            if crypto.mic_matches(kck, kver, eapol):
                return Check(msg.kind, msg.number, MATCH, cand.label, f"nonces from {src}")
    tried = ", ".join(p[2] for p in pairs[:4]) + (", ..." if len(pairs) > 4 else "")
    if not any(p[3] for p in pairs):
        return Check(
            msg.kind,
            msg.number,
            UNVERIFIABLE,
            note=f"only loosely paired nonces ({tried}: another exchange, or over "
            f"{HANDSHAKE_GAP:.0f} s apart); none reproduced the MIC",
        )
    more = f" ({skipped} more not tried)" if skipped > 0 else ""
    return Check(msg.kind, msg.number, NO_MATCH, note=f"{len(pairs)} nonce pair(s) tried: {tried}{more}")


def _check_pmkid(
    what: str,
    number: int,
    value: bytes,
    aa: bytes,
    spa: bytes,
    pmks: list[tuple[Candidate, bytes]],
    sha256: bool,
) -> Check:
    for cand, pmk in pmks:
        if crypto.pmkid(pmk, aa, spa, sha256) == value:
            return Check(what, number, MATCH, cand.label, f"PMKID {value.hex()}")
    return Check(what, number, NO_MATCH, note=f"PMKID {value.hex()}")


def prove_collected(
    c: _Collected, ssid: bytes | None, candidates: Sequence[Candidate], cache: crypto.PmkCache | None = None
) -> list[Proof]:
    cache = cache or crypto.PmkCache()
    proofs: list[Proof] = []
    for ap, sta in c.order:
        msgs = c.pairs[(ap, sta)]
        net_ssid = c.ssids.get(ap)
        if ssid is not None and net_ssid is not None and net_ssid != ssid:
            continue  # another network than the one asked about
        use_ssid = net_ssid if net_ssid is not None else ssid
        pairing = _Pairing(msgs)
        for group in _group(msgs):
            if not any(m.kind in (M1, M2, M3, M4) for m in group):
                continue  # a group key exchange on its own is not a 4-way handshake
            proofs.append(_prove_group(c, ap, sta, group, pairing, use_ssid, candidates, cache))
    return proofs


def _prove_group(
    c: _Collected,
    ap: str,
    sta: str,
    group: list[_Msg],
    pairing: _Pairing,
    ssid: bytes | None,
    candidates: Sequence[Candidate],
    cache: crypto.PmkCache,
) -> Proof:
    kvers = [m.kver for m in group if m.kind in (M1, M2, M3, M4)]
    kver = max(set(kvers), key=kvers.count) if kvers else (group[0].kver if group else None)
    akm, akm_src = _akm_for(c, ap, sta, group)
    proof = Proof(
        ap=ap,
        sta=sta,
        ssid=ssid_text(ssid) if ssid is not None else None,
        frames=[m.number for m in group],
        messages=[f"{m.kind}@{m.number}" for m in group],
        kver=kver,
        akm=akm,
        verdict=INCOMPLETE,
    )
    if akm_src:
        proof.notes.append(f"AKM {akm_name(akm)} from {akm_src}")

    # What cannot be checked with a passphrase at all.
    offline = OFFLINE_REASONS.get(akm) if akm is not None else None
    if kver == 0 and offline is None:
        offline = "key descriptor version 0: keys defined by the AKM (SAE/OWE), not by a passphrase"
    if offline is not None:
        proof.verdict = CANNOT
        proof.notes.append(offline)
        return proof
    if kver not in (1, 2, 3):
        proof.notes.append(f"key descriptor version {kver} is not a WPA/WPA2 version")
        return proof
    if akm is None:
        proof.notes.append("AKM unknown (no RSN element seen); assuming PSK")
    elif akm not in PSK_AKMS:
        proof.notes.append(f"AKM {akm_name(akm)} is not a PSK AKM; trying PSK derivation anyway")
    if ssid is None:
        proof.notes.append(
            "SSID unknown (no beacon, probe response or association request names it): pass --ssid"
        )
        return proof

    pmks = _pmk_list(cache, ssid, candidates)
    sha256 = akm in crypto.SHA256_AKMS or kver == 3
    for m in group:
        if m.kind == M2:
            pairs = [(a, m.nonce, src, strong) for a, src, strong in pairing.anonces_for_m2(m)]
            proof.checks.append(_check_mic(m, pairs, pmks, kver, akm))
        elif m.kind == M3:
            pairs = [(m.nonce, s, src, strong) for s, src, strong in pairing.snonces_for_m3(m)]
            proof.checks.append(_check_mic(m, pairs, pmks, kver, akm))
        elif m.kind == M4:
            proof.checks.append(_check_mic(m, pairing.pairs_for_m4(m), pmks, kver, akm))
        elif m.kind == M1 and m.frame.key is not None:
            for value in m.frame.key.pmkids:
                if any(value):
                    proof.checks.append(_check_pmkid("PMKID-M1", m.number, value, m.aa, m.spa, pmks, sha256))
    # PMKIDs the station offered in its (re)association request just before this handshake.
    first = group[0].frame.number
    reqs = [f for f in c.assoc.get((ap, sta), []) if f.number < first]
    if reqs and reqs[-1].rsn is not None:
        req = reqs[-1]
        assert req.rsn is not None
        aa, spa = group[0].aa, group[0].spa
        for value in req.rsn.pmkids:
            if any(value):
                proof.checks.append(_check_pmkid("PMKID-assoc", req.number, value, aa, spa, pmks, sha256))

    matches = [ch for ch in proof.checks if ch.status == MATCH]
    if matches:
        _settle_match(proof, matches, candidates)
        failed = [f"{ch.what}@{ch.frame}" for ch in proof.checks if ch.status == NO_MATCH]
        if failed:
            proof.notes.append(f"no candidate reproduced {', '.join(failed)}")
    elif any(ch.status == NO_MATCH for ch in proof.checks):
        proof.verdict = NO_MATCH
    else:
        proof.verdict = INCOMPLETE
        if not any(m.kind == M2 for m in group):
            proof.notes.append("no message 2/4 captured")
        elif not proof.checks or all(ch.status == UNVERIFIABLE for ch in proof.checks):
            proof.notes.append(
                "message 2/4 captured but its ANonce was not (no M1/M3 with a matching "
                "replay counter): unverifiable, not a wrong key"
            )
    return proof


def _settle_match(proof: Proof, matches: list[Check], candidates: Sequence[Candidate]) -> None:
    """Name the candidate(s) and settle the verdict.

    The question is which key the *station* used: its M2/M4 MICs answer it (a PMKID it offered in its
    association request shows its *cached* key).  The AP's key shows in M3 and in the M1 PMKID.  When the
    station's MICs were checkable and none matched, the verdict is ``no-match`` even if the AP's key is
    among the candidates: that is the stale-key case (station and AP hold different keys).  When only the
    AP side could be checked (an M1 with a PMKID and no usable M2), the AP's match is reported as such.
    """
    mics = [ch for ch in matches if ch.what in (M2, M4, "MIC")]
    assoc = [ch for ch in matches if ch.what == "PMKID-assoc"]
    ap_side = [ch for ch in matches if ch.side == "ap"]
    station_mic_failed = [ch for ch in proof.checks if ch.what in (M2, M4, "MIC") and ch.status == NO_MATCH]
    station_side = mics or assoc
    proof.station_candidate = station_side[0].candidate if station_side else None
    proof.ap_candidate = ap_side[0].candidate if ap_side else None
    if not mics and station_mic_failed:
        proof.verdict = NO_MATCH
        proof.station_candidate = None
        who = f"the AP uses candidate {proof.ap_candidate}" if proof.ap_candidate else ""
        cached = f"its cached PMKID matches candidate {assoc[0].candidate}" if assoc else ""
        detail = "; ".join(x for x in (who, cached) if x)
        proof.notes.append(
            "the station's handshake MIC matches none of the candidates" + (f" ({detail})" if detail else "")
        )
        return
    label = proof.station_candidate or proof.ap_candidate
    proof.verdict = MATCH
    proof.candidate = label
    proof.candidate_position = next((cand.position for cand in candidates if cand.label == label), None)
    proof.verified = [f"{ch.what}@{ch.frame}" for ch in matches if ch.candidate == label]
    if proof.station_candidate and proof.ap_candidate and proof.station_candidate != proof.ap_candidate:
        proof.notes.append(
            f"the station used candidate {proof.station_candidate} but the AP uses candidate "
            f"{proof.ap_candidate}: the two sides hold different keys"
        )
    if mics and assoc and assoc[0].candidate != mics[0].candidate:
        proof.notes.append(
            f"the station offered a cached PMKID (frame {assoc[0].frame}) derived from candidate "
            f"{assoc[0].candidate}, then used candidate {mics[0].candidate} in the handshake"
        )
    if not mics and ap_side:
        proof.notes.append(
            "the AP's key is proven (M1 PMKID / M3); the station's handshake MIC was not checkable"
        )
    labels = {ch.candidate for ch in matches if ch.side == "station"} | {ch.candidate for ch in ap_side}
    if len(labels) > 1 and not (proof.station_candidate and proof.ap_candidate):
        proof.notes.append(f"several candidates matched: {', '.join(sorted(str(c) for c in labels))}")


def _as_ssid(ssid: str | bytes | None) -> bytes | None:
    if ssid is None:
        return None
    return ssid.encode("utf-8") if isinstance(ssid, str) else ssid


@dataclass(slots=True)
class ProofRun:
    """Everything one ``verify`` run found: proofs plus the capture's reading statistics."""

    proofs: list[Proof]
    records: int
    malformed: int
    problems: list[tuple[int, str]]
    truncated: str | None
    ssids: dict[str, str]  # bssid -> SSID text, as named in the capture


HCCAPX_MAGIC = b"HCPX"
HCCAPX_RECORD = 393


def prove_hccapx(path: str | Path, ssid: str | bytes | None, candidates: Sequence[Candidate]) -> ProofRun:
    """Check the records of a hashcat HCCAPX file (393-byte records: ESSID, key version, MIC, AA, ANonce,
    SPA, SNonce and the EAPOL frame with its MIC zeroed).  ``ssid`` selects records by ESSID."""
    want = _as_ssid(ssid)
    cache = crypto.PmkCache()
    proofs: list[Proof] = []
    problems: list[tuple[int, str]] = []
    names: dict[str, str] = {}
    with open(path, "rb") as fh:
        number = 0
        while True:
            rec = fh.read(HCCAPX_RECORD)
            if not rec:
                break
            number += 1
            if len(rec) < HCCAPX_RECORD:
                problems.append(
                    (number, f"record {number} is cut short ({len(rec)} of {HCCAPX_RECORD} bytes)")
                )
                break
            if rec[:4] != HCCAPX_MAGIC:
                problems.append((number, f"record {number} has no HCPX signature"))
                continue
            essid = rec[10 : 10 + min(rec[9], 32)]
            kver = rec[42]
            mic = rec[43:59]
            aa, anonce, spa, snonce = rec[59:65], rec[65:97], rec[97:103], rec[103:135]
            eapol_len = min(int.from_bytes(rec[135:137], "little"), 256)
            eapol = rec[137 : 137 + eapol_len]
            ap, sta = aa.hex(":"), spa.hex(":")
            names[ap] = ssid_text(essid)
            if want is not None and essid != want:
                continue
            proof = Proof(
                ap=ap,
                sta=sta,
                ssid=ssid_text(essid),
                frames=[number],
                messages=[f"record@{number}"],
                kver=kver,
                akm=None,
                verdict=NO_MATCH,
            )
            proof.notes.append(f"HCCAPX record {number} (message pair {rec[8]})")
            if kver not in (1, 2, 3) or len(eapol) < 97:
                proof.verdict = INCOMPLETE
                proof.notes.append(f"key version {kver} or EAPOL length {eapol_len} not checkable")
                proofs.append(proof)
                continue
            frame = eapol[: crypto.MIC_OFFSET] + mic + eapol[crypto.MIC_OFFSET + 16 :]
            check = Check("MIC", number, NO_MATCH)
            for cand, pmk in _pmk_list(cache, essid, candidates):
                kck = crypto.derive_kck(pmk, aa, spa, anonce, snonce, kver)
                if crypto.mic_matches(kck, kver, frame):
                    check = Check("MIC", number, MATCH, cand.label, "nonces from the record")
                    proof.verdict, proof.candidate = MATCH, cand.label
                    proof.station_candidate = cand.label
                    proof.candidate_position = cand.position
                    proof.verified = [f"MIC@{number}"]
                    break
            proof.checks.append(check)
            proofs.append(proof)
    return ProofRun(proofs, number, 0, problems, None, names)


def prove_run(
    capture_path: str | Path,
    ssid: str | bytes | None,
    candidates: Sequence[Candidate],
    cache: crypto.PmkCache | None = None,
) -> ProofRun:
    try:
        with open(capture_path, "rb") as fh:
            magic = fh.read(4)
    except OSError:
        magic = b""  # open_capture reports it
    if magic == HCCAPX_MAGIC:
        return prove_hccapx(capture_path, ssid, candidates)
    with open_capture(capture_path) as cap:
        c = collect(cap.frames())
        proofs = prove_collected(c, _as_ssid(ssid), candidates, cache)
        return ProofRun(
            proofs,
            cap.records,
            cap.malformed,
            list(cap.problems),
            cap.truncated,
            {b: ssid_text(s) for b, s in c.ssids.items()},
        )


def prove(capture_path: str | Path, ssid: str | bytes | None, candidates: Sequence[Candidate]) -> list[Proof]:
    """Library entry point: one Proof per handshake in the capture.

    ``ssid`` (text or raw bytes) selects the network and names it when the capture does not; None uses
    the SSID each AP announces.  Raises ``CaptureError`` when the file is not a readable capture.
    """
    return prove_run(capture_path, ssid, candidates).proofs


def iter_verdicts(proofs: Iterable[Proof]) -> Iterator[str]:
    for p in proofs:
        yield p.verdict


def exit_code(proofs: Sequence[Proof]) -> int:
    """0 = a candidate matched; 1 = checkable handshakes but no candidate matched; 3 = nothing usable."""
    verdicts = {p.verdict for p in proofs}
    if MATCH in verdicts:
        return 0
    if NO_MATCH in verdicts:
        return 1
    return 3
