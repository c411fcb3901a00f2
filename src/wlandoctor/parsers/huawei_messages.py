"""Huawei trace wording -> normalised event kinds.

This is the only place that knows Huawei's words.  Each entry is ``(needle, kind, extractor)``: when the
literal ``needle`` occurs in a message the event ``kind`` is produced, with attributes from the optional
extractor.  Needles are plain substrings so matching stays cheap; entries are tried in order and the first
hit wins, so put the more specific needle first.  Sources of every string: docs/formats.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import yaml

Attrs = dict[str, Any]
Extractor = Callable[[str], Attrs | None]  # None = the needle matched but the message is not this event


def _fold(text: str) -> str:
    # (a comma with or without the space after it: "AC code,refused by ..." is "AC code, refused by ...")
    return " ".join(text.replace(",", ", ").split()).rstrip(".").lower()


@cache
def reason_tables() -> dict[str, dict[str, tuple[str, str]]]:
    """The reason-string tables of huawei_reasons.yaml, keyed by folded text (or str(code))."""
    raw = yaml.safe_load(
        resources.files("wlandoctor.parsers").joinpath("huawei_reasons.yaml").read_text("utf-8")
    )
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for table, rows in raw.items():
        folded = {_fold(str(k)): (v[0], v[1]) for k, v in rows.items()}
        # Huawei also prints association results without their "FailType is X code, " prefix.
        for k, v in list(folded.items()):
            if k.startswith("failtype is") and ", " in k:
                folded.setdefault(k.split(", ", 1)[1], v)
        out[table] = folded
    return out


def lookup_reason(table: str, text: str) -> tuple[str, str] | None:
    """(reason slug, stage) for a vendor reason string, tolerant of case, spacing and the final period."""
    return reason_tables()[table].get(_fold(text))


INT = re.compile(r"-?\d+")


def _num_after(label: str) -> Extractor:
    pat = re.compile(re.escape(label) + r"\s*(-?\d+)")

    def ex(msg: str) -> Attrs:
        m = pat.search(msg)
        return {} if m is None else {label.strip(" :(=").lower().replace(" ", "_"): int(m.group(1))}

    return ex


_RESULT = re.compile(r"result\(0:success,1:fail\)\s*=\s*(\d+)")


_KEYMAP = re.compile(r"keyBitMap\(0x1:ptk,0x2:gtk\)\s*=\s*0x([0-9a-fA-F]+)")


def _handshake_result(msg: str) -> Attrs:
    m = _RESULT.search(msg)
    out: Attrs = {"code": int(m.group(1)) if m else None}
    k = _KEYMAP.search(msg)
    if k:
        out["keys"] = int(k.group(1), 16)
    return out


def _handshake_kind(msg: str) -> str:
    """result 0 = success; a failed exchange of the group key alone (keyBitMap 0x2) is the group-key stage."""
    a = _handshake_result(msg)
    if a["code"] == 0:
        return "handshake.success" if a.get("keys", 1) & 1 else "group.m2.received"
    return "group.timeout" if a.get("keys") == 2 else "handshake.failed"


# Fields are found one after the other with anchored searches and str.find, never with nested lazy
# quantifiers over the whole record: a record can be any length, and each field is read in one pass.
_DELETE = re.compile(r"radio id :\s*(\d+)\s+wlan id :\s*(\d+)\s+op type :")
_DELETE_CODE = re.compile(r"\[(\d+)\]\Z")


def _deleted(msg: str) -> Attrs:
    m = _DELETE.search(msg)
    if not m:
        return {}
    reason = msg[m.end() :].strip()
    out: Attrs = {"radio": int(m.group(1)), "wlan": int(m.group(2))}
    code = _DELETE_CODE.search(reason)
    if code:
        out["code"] = int(code.group(1))
        reason = reason[: code.start()].rstrip()
    if reason:
        out["reason"] = reason
    return out


_PACKET = re.compile(r"packet type :\s*(\w+)")
_CHAIN_RESULT = re.compile(r"result :\s*(\d+)")
_REASON = re.compile(r"\s+reason :\s*")
_SNR = re.compile(r"SNR :\s*(\d+)")


def _assoc_chain(msg: str) -> Attrs:
    """``packet type :X ... result :N [reason :TEXT sta ability] ... SNR :N``, in that order."""
    packet = _PACKET.search(msg)
    result = packet and _CHAIN_RESULT.search(msg, packet.end())
    if not packet or not result:
        return {}
    reason = None
    lead = _REASON.match(msg, result.end())
    end = result.end()
    if lead:
        stop = msg.find("sta ability", lead.end())
        if stop > lead.end() and msg[stop - 1].isspace():
            reason = msg[lead.end() : stop].rstrip()
            end = stop
    snr = _SNR.search(msg, end)
    if not snr:
        return {}
    out: Attrs = {"packet": packet.group(1), "result": int(result.group(1)), "snr": int(snr.group(1))}
    if reason:
        out["reason"] = reason
    return out


def _assoc_request_kind(msg: str) -> str:
    packet = str(_assoc_chain(msg).get("packet", ""))
    if packet.startswith("disassoc"):
        return "sta.disassoc"
    if packet.startswith("deauth"):
        return "sta.deauth"
    return "assoc.request"


# (patterns compiled once: the extractors run for every record they name, tens of thousands a trace)
_WSTA_FIELDS = [
    (re.compile(key + r":\s*(-?\d+)"), label)
    for key, label in (
        ("ApId", "ap_id"),
        ("RadioId", "radio"),
        ("WlanId", "wlan"),
        ("Pmk", "pmk"),
        ("Rssi", "rssi"),
    )
]
_WSTA_TYPE = re.compile(r"Type\(1:assoc 2:reassoc\):\s*(\d)")
_CODE = re.compile(r"Code:\s*(\d+)")
_FAIL_CODE = re.compile(r"fail code is:\s*(\d+)(?:,\s*reason is:\s*(.+))?")
_SERVER_IP = re.compile(r"server ip\s*=\s*([\d.:a-fA-F]+)")
_HEX_CODE = re.compile(r"Code:\s*([0-9A-Fa-f]+)")
_PAYLOAD = re.compile(r"payload\[(\d+)\]")
STATUS = re.compile(r"status\[(\d+)\]")
_LEN = re.compile(r"len=(\d+)")
_RETRANSFER = re.compile(r"Retransfer-Num\s*=\s*(\d+)")


def _wsta_assoc(msg: str) -> Attrs:
    """``(ApId:4, RadioId:0, WlanId:4, Type(1:assoc 2:reassoc):1, Pmk:0, ..., Rssi:-60)``"""
    out: Attrs = {}
    for pattern, label in _WSTA_FIELDS:
        m = pattern.search(msg)
        if m:
            out[label] = int(m.group(1))
    m = _WSTA_TYPE.search(msg)
    if m:
        out["reassoc"] = m.group(1) == "2"
    return out


def _assoc_response(msg: str) -> Attrs:
    m = _CODE.search(msg)
    return {"status": int(m.group(1))} if m else {}


def _fail_code(msg: str) -> Attrs:
    m = _FAIL_CODE.search(msg)
    if not m:
        return {}
    code = int(m.group(1))
    out: Attrs = {"code": code}
    hit = reason_tables()["aaa_fail_code"].get(str(code))
    if hit:
        out["reason"] = hit[0]
    if m.group(2):
        out["reason_text"] = m.group(2).strip()
    return out


def _server_ip(msg: str) -> Attrs:
    m = _SERVER_IP.search(msg)
    return {"server": m.group(1)} if m else {}


def _wsec_failed(msg: str) -> Attrs:
    m = _HEX_CODE.search(msg)
    return {"code": int(m.group(1), 16) if m else None, "reporter": "ac"}


def _payload(msg: str) -> Attrs:
    out: Attrs = {}
    m = _PAYLOAD.search(msg)
    if m:
        out["payload"] = int(m.group(1))
    m = STATUS.search(msg)
    if m:
        out["status"] = int(m.group(1))
    m = _LEN.search(msg)
    if m:
        out["length"] = int(m.group(1))
    return out


def _what(what: str) -> Extractor:
    return lambda msg: {"what": what}


def _mic(msg: str) -> Attrs:
    out: Attrs = {}
    m = _RETRANSFER.search(msg)
    if m:
        out["retransfer"] = int(m.group(1))
    return out


def _eapol_type(msg: str) -> Attrs | None:
    # "receive eap pkt from sta by BSS(26),[type(1)=EAPoL-Start, ...]": only EAPOL-Start is an event here;
    # EAP and EAPOL-Key relays are already seen, better, in the WLAN_WIFI lines.
    return {} if "EAPoL-Start" in msg or "type(1)" in msg else None


# (needle, kind or kind-chooser, extractor).  Kind may be a callable choosing among kinds.
KindSpec = str | Callable[[str], str]
WSRV_MESSAGES: list[tuple[str, KindSpec, Extractor | None]] = [
    ("MIC is wrong", "eapol.m2.mic_failure", _mic),
    ("MIC check faild", "eapol.m2.mic_failure", None),
    ("MIC check failed", "eapol.m2.mic_failure", None),
    (
        "notify handshake result",
        _handshake_kind,
        _handshake_result,
    ),
    ("AC delete the station", "sta.deleted", _deleted),
    ("Del 11R sta", "sta.teardown", None),
    ("notify Del sta", "sta.teardown", None),
    ("AssocreqCallChainHandle", _assoc_request_kind, _assoc_chain),
    ("receive eap pkt from sta", "eapol.start", _eapol_type),
]

# WLAN_WIFI packet relay lines: (packet needle, action needle, kind)
WIFI_PACKETS: list[tuple[str, str, str]] = [
    ("handshake 1/4", "Success to send pkt to air", "eapol.m1.sent"),
    ("handshake 2/4", "Recved from target", "eapol.m2.received"),
    ("handshake 3/4", "Success to send pkt to air", "eapol.m3.sent"),
    ("handshake 4/4", "Recved from target", "eapol.m4.received"),
    ("handshake 1/2", "Success to send pkt to air", "group.m1.sent"),
    ("handshake 2/2", "Recved from target", "group.m2.received"),
    ("EAPOL packet", "Fail to send pkt to air", "eap.packet.tx_failed"),
    ("EAPOL key", "Fail to send pkt to air", "eapol.tx_failed"),
    ("EAPOL packet", "Success to send pkt to air", "eap.packet.relayed"),
    ("EAPOL packet", "Recved from target", "eap.packet.relayed"),
]

AC_MESSAGES: list[tuple[str, KindSpec, Extractor | None]] = [
    # RADIUS
    ("authentication reject packet from radius", "radius.reject", _server_ip),
    ("AAA_RD_MSG_SERVERNOREPLY", "radius.no_reply", None),
    ("Radius server is up but no response", "radius.no_reply", None),
    ("fail code is", "aaa.fail", _fail_code),
    ("check VLANID error", "aaa.authz_data_error", _what("vlan")),
    ("check acl error", "aaa.authz_data_error", _what("acl")),
    ("Radius authorization data error", "aaa.authz_data_error", None),
    ("illegal packet(Authenticator error)", "radius.bad_authenticator", None),
    # EAPoL / 802.1X
    ("still in quiet status", "dot1x.quiet", None),
    ("Quiet table check failure", "dot1x.quiet", None),
    ("No response of request identity", "eap.identity.timeout", None),
    ("No response of request challenge", "eap.challenge.timeout", None),
    ("times exceed max times", "eap.retries_exceeded", None),
    ("Send EAP-Failure packet", "eap.failure", None),
    ("Send EAP-Success packet", "eap.success", None),
    ("request identity packet to user", "eap.identity.request", None),
    ("request challenge packet to user", "eap.challenge.request", None),
    ("Process eapol start message", "eapol.start", None),
    # WLAN_AC: WSTA / WSEC
    ("4-way-handshake failed", "handshake.failed", _wsec_failed),
    ("Begin to process STA (re)associate request message", "assoc.request", _wsta_assoc),
    (
        "reassociate response message",
        lambda m: "assoc.response" if _assoc_response(m).get("status", 0) == 0 else "assoc.reject",
        _assoc_response,
    ),
    # portal (debugging web all)
    ("Not permit http GET method", "portal.error", lambda m: {"reason": "portal-get-not-permitted"}),
    ("Get username attr by key", "portal.error", lambda m: {"reason": "portal-username-key"}),
    ("logout request", "portal.logout", None),
]

# RADIUS packet dumps: "Code    : 3" in the body of a [RADIUS] record.
RADIUS_CODE = re.compile(r"\bCode\s*:\s*(\d+)")
# (up to the line end, or to the next attribute when a paste put several on one line)
RADIUS_REPLY = re.compile(
    r"\[Reply-Message\s*\]\s*\[\d+\s*\]\s*\[(.{0,1024}?)\](?=\s*$|\s+\[[\w-]+\s*\]\s*\[\d+\s*\])", re.M
)
RADIUS_CODE_KINDS = {2: "radius.accept", 3: "radius.reject", 11: "radius.challenge"}


def classify(table: list[tuple[str, KindSpec, Extractor | None]], msg: str) -> tuple[str, Attrs, str] | None:
    """(kind, attrs, needle) of the first entry whose needle is in ``msg``."""
    for needle, kind, extract in table:
        if needle in msg:
            attrs: Attrs | None = extract(msg) if extract else {}
            if attrs is None:
                return None
            k = kind(msg) if callable(kind) else kind
            return k, attrs, needle
    return None
