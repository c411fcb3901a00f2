"""Time per byte must not grow with the input: every parser and the key proof, on inputs built to make a
regular expression backtrack or the proof multiply pairs, and on real inputs of the same sizes.

Each input is built from a real test input at two sizes, SMALL and 8 x SMALL, and parsed in a child
process (so a super-linear case fails within a bounded time instead of hanging the run). Linear work gives
a per-byte ratio near 1 (below it while fixed costs dominate); quadratic work gives about 8, cubic 64. The
test fails above GROWTH_LIMIT. Absolute speed is the business of benchmarks/, not of this test."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import dpkt
import pytest

from wlandoctor.capture.candidates import Candidate
from wlandoctor.capture.verify import prove
from wlandoctor.model import InputSummary
from wlandoctor.parsers import all_parsers
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data"
KB = Path(__file__).parent / "kb"
SMALL = 64 * 1024  # above the size where a long line starts being cut into records
FACTOR = 8
GROWTH_LIMIT = 3.0
PARSERS = {p.name: p for p in all_parsers()}


def _parse_seconds(parser: str, data: bytes) -> float:
    best = float("inf")
    for _ in range(3):
        summary = InputSummary("complexity", parser)
        start = time.perf_counter()
        for _event in PARSERS[parser].parse(Input.from_bytes("complexity", data), summary):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def _child(conn: multiprocessing.connection.Connection, fn: Callable[[], float]) -> None:
    conn.send(fn())


def _seconds_within(fn: Callable[[], float], limit: float) -> float | None:
    """``fn()`` run in a forked child; None when it is still running after ``limit`` seconds."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn))
    proc.start()
    ready = parent.poll(limit)
    result = parent.recv() if ready else None
    proc.kill()
    proc.join()
    return result


def _growth(measure: Callable[[int], tuple[Callable[[], float], int]]) -> tuple[float, str]:
    """Per-byte time at FACTOR x the size over per-byte time at the small size."""
    fn_small, size_small = measure(1)
    t_small = _seconds_within(fn_small, 60)
    assert t_small is not None, "the small input alone takes over a minute"
    fn_big, size_big = measure(FACTOR)
    # linear work at FACTOR x the size takes about FACTOR x the time: give it more than the limit allows
    limit = max(5.0, 2 * GROWTH_LIMIT * FACTOR * t_small)
    t_big = _seconds_within(fn_big, limit)
    if t_big is None:
        return float(
            "inf"
        ), f"{size_small} B in {t_small:.3f} s; {size_big} B still running after {limit:.0f} s"
    ratio = (t_big / size_big) / (t_small / size_small)
    return ratio, f"{size_small} B in {t_small:.4f} s, {size_big} B in {t_big:.4f} s"


# ---- inputs built from real test inputs -------------------------------------------------------------
# (parser, test input, where to amplify, what to put there): the amplified part fills the input to the
# wanted size; each targets a family of patterns (a lazy field before optional spaces, key=value lists,
# a repeated sub-record, a repeated opening bracket).
class Grown(NamedTuple):
    parser: str
    path: Path
    anchor: str  # the filler goes right after the first occurrence of this text
    filler: str  # repeated up to the wanted size
    replace: bool = False  # the filler replaces the anchor (a field taken away so the record cannot match)


GROWN = {
    "mikrotik-interface-name-without-end": Grown(
        "mikrotik",
        DATA / "real/mikrotik-v7-wifi-qcom-connection-lost-flapping/input.log",
        "0C:7A:15:F5:D2:AF@",
        "wifi ",
    ),
    "aruba-row-of-spaces": Grown(
        "aruba",
        DATA / "aruba/iap-wpa3-8021x-accept-and-reject.log",
        "Mar  7 15:28:47  station-up",
        " ",
    ),
    "cisco-wlc-trace-prefix-without-end": Grown(
        "cisco-wlc",
        DATA / "cisco9800/ra-c81c-m3-retries-wrong-replay-counter.log",
        "{wncd_x_R0-0}{1}: ",
        "[client-keymgmt] ",
    ),
    "cisco-wlc-exclusion-reason-without-end": Grown(
        "cisco-wlc",
        DATA / "real/ap-cisco9800-syslog-elastic-exclusions-dot1x/input.log",
        "was added to exclusion list associated with AP Name:",
        "EXAMPLE-AP ",
    ),
    "cisco-wlc-mnemonics-without-end": Grown(
        "cisco-wlc",
        DATA / "real/ap-cisco9800-syslog-elastic-exclusions-dot1x/input.log",
        "Jun  2 16:05:58: ",
        "%DOT1X-5-FAIL: ",
    ),
    "unifi-record-without-end": Grown(
        "unifi",
        DATA / "unifi/u7-pro-tracker-8x.log",
        '"op":"event",',
        '"a": "{',
    ),
    "unifi-programs-repeated": Grown(
        "unifi",
        DATA / "unifi/cribl-newcap-policy-refusals.log",
        "stahtd: stahtd[10213]: ",
        "stahtd: ",
        replace=True,
    ),
    "unifi-key-values-without-end": Grown(
        "unifi",
        DATA / "real/ap-unifi-stahtd-dbg-auth-failures/input.log",
        "EVT_AP_STA_ASSOC_TRACKER_DBG: ",
        "event_id: 45 ",
    ),
    "windows-event-data-on-one-line": Grown(
        "windows",
        DATA / "windows/osquery-winevents-dot1x.xml",
        "<EventData>",
        "<Data Name='SSID'>x</Data>",
    ),
    "windows-event-over-many-lines": Grown(
        "windows",
        DATA / "windows/psmths-event-viewer-8001-8003.xml",
        "<EventData>\n",
        '  <Data Name="SSID">x</Data>\n',
    ),
    "fortinet-quotes-without-end": Grown(
        "fortinet",
        DATA / "fortinet/fgt90d-2016-captive-portal.log",
        'logdesc="Wireless client authenticated" ',
        'a="',
    ),
    "fortinet-keys-repeated": Grown(
        "fortinet",
        DATA / "fortinet/docs-6.2-extended-logging.log",
        'stamac="f0:98:9d:76:64:c4" ',
        "logid=",
    ),
    "meraki-fields-without-end": Grown(
        "meraki",
        DATA / "real/ap-meraki-mr-events-elastic-fixture/input.log",
        "type=disassociation ",
        "a='",
    ),
    "mikrotik-topics-without-end": Grown(
        "mikrotik",
        DATA / "mikrotik/prefix-forms.log",
        "06-06 01:39:49 ",
        "wireless,",
    ),
    "huawei-station-row-spaces-in-reason": Grown(
        "huawei-ac",
        DATA / "huawei/founding-per-line.txt",
        "The key is",
        " ",
    ),
    "huawei-aaa-record-spaces-in-reason": Grown(
        "huawei-ac",
        KB / "radius-no-reply/trigger-2.log",
        "User online fail reason : The radius",
        " ",
    ),
    "huawei-syslog-letters-before-key": Grown(
        "huawei-ac",
        DATA / "huawei/huawei-public.txt",
        "[WLAN_STA_OFFLINE_INFO]",
        "A ",
    ),
    "huawei-syslog-paren-letters": Grown("huawei-ac", DATA / "huawei/huawei-public.txt", "Client MAC", "Ab "),
    # (an association chain record that never reaches its "SNR :" field: every packet-type / result /
    # reason combination is tried, cubic with nested lazy quantifiers)
    "huawei-assoc-chain-repeated": Grown(
        "huawei-ac",
        DATA / "benchmark/huawei-sample-lines.txt",
        " SNR :37",
        " packet type :disassociation result :0 reason :x",
        replace=True,
    ),
    "huawei-op-type-spaces": Grown(
        "huawei-ac", DATA / "benchmark/huawei-sample-lines.txt", "op type :The", " "
    ),
    "huawei-seqno-repeated": Grown(
        "huawei-ac",
        DATA / "benchmark/huawei-sample-lines.txt",
        "[EAPOL] ",
        "SeqNo[1] [EAPOL] x ",
    ),
    "huawei-reply-message-repeated": Grown(
        "huawei-ac",
        DATA / "benchmark/huawei-sample-lines.txt",
        "[Reply-Message",
        "[Reply-Message ] [18 ] [x ",
    ),
    "hostap-ssid-paren-repeated": Grown(
        "hostap",
        DATA / "real/client-rpi-brcmfmac-fwsup-assoc-reject/input.log",
        "(SSID='",
        "(SSID='x",
    ),
    "hostap-kv-word-run": Grown("hostap", DATA / "hostap/healthy_openwrt_logread_dhcp.log", "auth_alg=", "a"),
    "hostap-kv-repeated": Grown(
        "hostap", DATA / "hostap/healthy_openwrt_logread_dhcp.log", "auth_alg=", "a=b "
    ),
    "hostap-spaces-in-message": Grown("hostap", DATA / "hostap/healthy_hostapd_dd_wpa2psk.log", "WPA: ", " "),
    "freeradius-authlog-brackets": Grown(
        "freeradius",
        DATA / "real/srv-univention-peap-unknown-ca/input.log",
        "Login incorrect (",
        "x): [",
    ),
    "freeradius-spaces-in-authlog": Grown(
        "freeradius",
        DATA / "real/srv-univention-peap-unknown-ca/input.log",
        "Login incorrect (",
        " ",
    ),
    # a JSON record that grows (a long string; an object left open): its retries double what they wait for
    "meraki-api-long-string": Grown(
        "meraki-api", DATA / "meraki-api/itris-devnet-events.jsonl", '"description": "', "a"
    ),
    "meraki-api-open-objects": Grown(
        "meraki-api", DATA / "meraki-api/itris-devnet-events.jsonl", '"eventData": {', '"k": {'
    ),
    # a message line that grows (a label's value; spaces before the colon) inside one event
    "windows-text-long-value": Grown(
        "windows-text", DATA / "windows-text/format-list.txt", "Network Adapter: ", "a"
    ),
    "windows-text-spaced-label": Grown(
        "windows-text", DATA / "windows-text/wevtutil-text.txt", "Event ID:", " "
    ),
    # a report row that grows: a message's text, an attribute never closed (said every 64 lines), a
    # comment never closed
    "windows-report-long-message": Grown(
        "windows-report",
        DATA / "windows-report/win11-ac9560-no-ap-visible-then-connected.html",
        "Network Adapter: ",
        "a",
    ),
    "windows-report-open-attribute": Grown(
        "windows-report",
        DATA / "windows-report/win11-ac9560-no-ap-visible-then-connected.html",
        '<div class="session">',
        "<td class='x\n",
    ),
    "windows-report-open-comment": Grown(
        "windows-report",
        DATA / "windows-report/win11-ac9560-no-ap-visible-then-connected.xml",
        "<WlanEvents>",
        "<!-- x\n",
    ),
    # a CSV export whose message grows (one long line; many lines inside one quoted field)
    "windows-csv-long-message-line": Grown(
        "windows-csv", DATA / "windows-csv/export-csv-ps51.csv", "Network Adapter: ", "a"
    ),
    "windows-csv-message-lines": Grown(
        "windows-csv", DATA / "windows-csv/export-csv-usculture-de.csv", "Network Adapter: ", "a\r\n"
    ),
    # an NPS record holding a run of unclosed elements (each "<" a start the element pattern tries)
    "nps-unclosed-elements": Grown(
        "nps",
        DATA / "real/srv-nps-dts-mac-machine-auth-reason8/input.log",
        '<User-Name data_type="1">',
        "<a>xxxx",
    ),
    # a debug line that grows: its message; the lines wrapped from it (joined, 16 at most)
    "fortinet-debug-long-message": Grown(
        "fortinet-debug",
        DATA / "fortinet-debug/handbook-successful-psk-connection.txt",
        "mgmt::assoc_req <== ",
        "a",
    ),
    "fortinet-debug-wrapped-lines": Grown(
        "fortinet-debug", DATA / "fortinet-debug/kb308993-fortios7-association-wrapped.txt", "ws (0-1", "9\n"
    ),
    # a Mac's message that grows; the unified log's columns and a wifi.log line's second stamp, repeated
    "macos-long-message": Grown(
        "macos", DATA / "macos/wifi-log-message-3-of-4-keys.log", "inputEAPOLFrame: ", "a"
    ),
    "macos-unified-columns": Grown(
        "macos", DATA / "macos/unified-default-link-up-message-1.log", "+0800 ", "0x7ba "
    ),
    "macos-wifi-log-stamps": Grown(
        "macos",
        DATA / "macos/wifi-log-link-down-two-stamps.log",
        "Sun Oct 23 22:37:28.951 ",
        "Sun Oct 23 22:37:28.951 ",
    ),
    # an Omada event whose SSID and client name grow (one long line)
    "omada-long-ssid": Grown("omada", DATA / "omada/webhook-text.log", 'with SSID "', "a"),
    "omada-long-client-name": Grown("omada", DATA / "omada/controller-syslog-clients.log", "[client:", "x"),
    "espressif-spaces-in-reason": Grown(
        "espressif",
        DATA / "real/client-arduino-esp32-wrong-psk-reason15/input.log",
        "Reason: 15",
        " ",
    ),
}

# real inputs of each format, repeated to the same sizes
REAL = {
    "huawei-ac": DATA / "huawei/huawei-public.txt",
    "hostap": DATA / "hostap/healthy_hostapd_dd_wpa2psk.log",
    "freeradius": DATA / "real/srv-univention-peap-unknown-ca/input.log",
    "espressif": DATA / "real/client-arduino-esp32-wrong-psk-reason15/input.log",
    "mikrotik": DATA / "mikrotik/prefix-forms.log",
    "meraki": DATA / "real/ap-meraki-mr-events-elastic-fixture/input.log",
    "aruba": DATA / "aruba/iap-wpa3-8021x-accept-and-reject.log",
    "cisco-wlc": DATA / "real/ap-cisco9800-syslog-elastic-exclusions-dot1x/input.log",
    "unifi": DATA / "unifi/cribl-other-join-and-kernel.log",
    "windows": DATA / "windows/osquery-winevents-dot1x.xml",
    "fortinet": DATA / "fortinet/fgt90d-2016-captive-portal.log",
    "meraki-api": DATA / "meraki-api/itris-devnet-events.jsonl",
    "windows-text": DATA / "windows-text/wevtutil-text.txt",
    "windows-report": DATA / "windows-report/win11-ac9560-no-ap-visible-then-connected.html",
    "windows-csv": DATA / "windows-csv/export-csv-ps51.csv",
    "fortinet-debug": DATA / "fortinet-debug/handbook-successful-psk-connection.txt",
    "macos": DATA / "macos/system-log-wake-join-roam.log",
    "omada": DATA / "omada/controller-syslog-clients.log",
    "nps": DATA / "real/srv-nps-dts-mac-machine-auth-reason8/input.log",
}


def _amplified(g: Grown, size: int) -> bytes:
    text = g.path.read_text(encoding="utf-8", errors="replace")
    at = text.find(g.anchor)
    assert at >= 0, f"{g.path.name} no longer holds {g.anchor!r}"
    end = at + len(g.anchor)
    count = max(1, (size - len(text)) // len(g.filler))
    return (text[: at if g.replace else end] + g.filler * count + text[end:]).encode()


def _repeated(path: Path, size: int) -> bytes:
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        data += b"\n"
    return data * max(1, size // len(data))


@pytest.mark.parametrize("case", sorted(GROWN))
def test_hostile_inputs_parse_in_linear_time(case: str) -> None:
    grown = GROWN[case]

    def measure(factor: int) -> tuple[Callable[[], float], int]:
        data = _amplified(grown, SMALL * factor)
        return (lambda: _parse_seconds(grown.parser, data)), len(data)

    ratio, detail = _growth(measure)
    assert ratio < GROWTH_LIMIT, f"{case}: time per byte grew {ratio:.1f}x ({detail})"


def test_a_semicolon_field_of_whitespace_then_a_bracket_is_linear() -> None:
    """``KEY:`` then a long run of tabs and a ``]`` further on (a syslog record wrapped into the next one):
    the value's pattern, matched whole, backtracked over every split of the whitespace (fuzz finding,
    tests/data/fuzz/detect/offline-reason-of-a-thousand-tabs)."""
    from wlandoctor.parsers.huawei import _semi_fields

    def measure(factor: int) -> tuple[Callable[[], float], int]:
        body = "STAMAC:e8b1-fc07-3a52;OfflineReason:" + "\t" * (SMALL * factor // 8) + "x [INFO]y;"

        def run() -> float:
            t = time.perf_counter()
            assert _semi_fields(body)["STAMAC"] == "e8b1-fc07-3a52"
            return time.perf_counter() - t

        return run, len(body)

    ratio, detail = _growth(measure)
    assert ratio < GROWTH_LIMIT, f"time per byte grew {ratio:.1f}x ({detail})"


@pytest.mark.parametrize("parser", sorted(REAL))
def test_real_inputs_parse_in_linear_time(parser: str) -> None:
    def measure(factor: int) -> tuple[Callable[[], float], int]:
        data = _repeated(REAL[parser], 2 * SMALL * factor)
        return (lambda: _parse_seconds(parser, data)), len(data)

    ratio, detail = _growth(measure)
    assert ratio < GROWTH_LIMIT, f"{parser}: time per byte grew {ratio:.1f}x ({detail})"


# ---- the key proof -----------------------------------------------------------------------------------
def _handshakes_repeated(tmp: Path, repeats: int) -> Path:
    """wpa2.eapol.cap with its four EAPOL-Key messages sent ``repeats`` times by the one station: every M2
    could pair with every M1 and M3, the shape that made the proof's pairing grow as K^4."""
    src = DATA / "captures/wpa2.eapol.cap"
    with src.open("rb") as f:
        reader = dpkt.pcap.Reader(f)
        linktype = reader.datalink()
        frames = list(reader)
    eapol = [buf for _ts, buf in frames if b"\x88\x8e" in buf]
    out = tmp / f"repeated-{repeats}.cap"
    with out.open("wb") as f:
        writer = dpkt.pcap.Writer(f, linktype=linktype)
        t0 = frames[0][0]
        for ts, buf in frames:
            if b"\x88\x8e" not in buf:
                writer.writepkt(buf, ts)
        for i in range(repeats):
            for j, buf in enumerate(eapol):
                writer.writepkt(buf, t0 + 0.01 * (i * len(eapol) + j))
    return out


def test_the_key_proof_stays_linear_in_repeated_handshakes(tmp_path: Path) -> None:
    candidates = [Candidate("wrong", "wrongpass", 1), Candidate("right", "12345678", 2)]

    def measure(factor: int) -> tuple[Callable[[], float], int]:
        path = _handshakes_repeated(tmp_path, 16 * factor)

        def run() -> float:
            start = time.perf_counter()
            proofs = prove(path, None, candidates)
            assert proofs, "the repeated handshake gave no proof"
            return time.perf_counter() - start

        return run, path.stat().st_size

    ratio, detail = _growth(measure)
    assert ratio < GROWTH_LIMIT, f"key proof: time per byte grew {ratio:.1f}x ({detail})"


def test_the_capture_reader_stays_linear_in_repeated_handshakes(tmp_path: Path) -> None:
    def measure(factor: int) -> tuple[Callable[[], float], int]:
        path = _handshakes_repeated(tmp_path, 64 * factor)
        data = path.read_bytes()
        return (lambda: _parse_seconds("pcap", data)), len(data)

    ratio, detail = _growth(measure)
    assert ratio < GROWTH_LIMIT, f"capture reader: time per byte grew {ratio:.1f}x ({detail})"
