"""The benchmark input generator: deterministic, every scenario present, every line in a real Huawei format.

The line formats below are derived from the real public samples kept in
``tests/data/benchmark/huawei-sample-lines.txt`` (see SOURCES.md there); the first tests check that every
real sample line matches them, the later ones that every generated line does.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GEN_PATH = ROOT / "benchmarks" / "gen_ac_trace.py"
SAMPLES = ROOT / "tests" / "data" / "benchmark" / "huawei-sample-lines.txt"


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_ac_trace", GEN_PATH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_ac_trace"] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()

# --- formats, from the real samples ------------------------------------------------------------------

MAC = r"(?:[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}|yyyy-yyyy-yyyy)"
COLON_MAC = r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}"
N = r"\d+"

# AP side: "<7>Mar 05 2021 18:06:10.270.1 AP01 " or "May 13 2019 17:28:10.230.6+00:00 G12-AP-09-3 "
AP_HEAD = r"(?:<7>)?[A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{1,3}\.\d+(?:[+-]\d{2}:\d{2})? [\w-]+ "
WIFI_FRAME = (
    rf"SeqNo\[{N}\] \[EAPOL\] EAPOL (?:key handshake [1-4]/4|packet) payload\[{N}\] "
    rf"(?:Recved from software switch|Recved from target|elapsed\[{N} ms\] (?:Sending pkt to target\(Single\)"
    rf"|Success to send pkt to air|Entering rx reorder|Exiting rx reorder for release"
    rf"|Success to send pkt to software switch|Fail to send pkt to air with status\[{N}\]))"
)
WSRV_BODIES = (
    rf"receive eap pkt to sta from CAPWAP\({N}\),\[type\(0\)=EAP pkt, src mac={COLON_MAC}, len={N}\]",
    rf"receive eap pkt from sta by BSS\({N}\),\[type\((?:0\)=EAP pkt, dest mac|3\)=EAPoL-Key, destmac)"
    rf"={COLON_MAC}, len={N}\]",
    r"\[WPA\] Receive eapol-key message\.",
    rf"\[WPA\] MIC is wrong\. It will try to retransfer msg1/4\. AuthType = {N} & Retransfer-Num = {N}",
    r"\[WPA\] EAPOL-Key \(message2/4\) packet's MIC is wrong",
    r"\[WPA\] Notice MIC check faild\.",
    r"server : notify handshake result : IsPtkRekey = \d keyBitMap\(0x1:ptk,0x2:gtk\) = 0x\d "
    r"result\(0:success,1:fail\) = \d",
    rf"AC delete the station: radio id :{N} wlan id :{N} op type :The WMP deletes the STA\[5\]",
    r"Del 11R sta",
    rf"\[WPA\] SAE notify Del sta \(R:{N}, V:{N}\) Ret:{N}",
    rf"WUAMK_AssocreqCallChainHandle\[966\]: Enter: radio id :{N} wlan id :{N} packet type :disassociation "
    rf"result :{N} reason :The WMP deletes the STA \(0x2000005\) sta ability :{N} SFN roam :{N} SNR :{N}",
)
AP_LINE = re.compile(
    rf"^{AP_HEAD}(?:WIFI/?7/BTRACE:\[BTRACE\]\[WLAN_WIFI\]\[{MAC}\]:{WIFI_FRAME}"
    rf"|WSRV/7/BTRACE:(?:\(BTRACE\)\(WLAN_AP\)\({MAC}\)|\[BTRACE\]\[WLAN_AP\]\[{MAC}\]):"
    rf"(?:{'|'.join(WSRV_BODIES)}))$"
)

# AC side: "[BTRACE][2020/11/03 14:41:00][6144][EAPoL][mac]:", "[BTRACE] [..." (S2, WSEC),
# "[BTRACE][2018/12/14 12:47:16][WLAN_AC][mac]:" (S5, no process id),
# "[BTRACE][2023-12-29 16:46:28-08:08][0][AAA][mac:" (S2, newer firmware, no closing bracket)
AC_HEAD = (
    rf"\[BTRACE\] ?\[(?:\d{{4}}/\d{{2}}/\d{{2}} \d{{2}}:\d{{2}}:\d{{2}}|\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}:\d{{2}}"
    rf"[+-]\d{{2}}:\d{{2}})\](?:\[{N}\])?\[(?:EAPoL|WLAN_AC|RADIUS|AAA)\]\[{MAC}\]?:"
)
AC_BODIES = (
    r"",  # a multi-line record follows
    r"Send a EAPoL request identity packet to user\.",
    rf"Send EAP_request packet to user successfully\.\(Index={N}\)",
    rf"\[Process:{N}\]\[WSTA\] Process eapol start message up sucessfully\.",
    rf"\[Process:{N}\]\[WADP\] Receive EAP authentication ack message from EAPOL\(Value:{N}, Code:{N}, "
    rf"Current SN:{N}, Response SN:{N}\)\.",
    rf"\[Process:{N}\]\[WSTA\] Sta table aging\.",
    r"No response of request (?:identity|challenge) from user\.",
    r"Resend a EAPoL request (?:identity|challenge) packet to user\.",
    rf"Resend EAP_request/identity times exceed max times\.\(Index={N}\)",
    r"Eapol send authentication request challenge packet to user\.",
    rf"Eapol send request/challenge packet to user successfully\.enter request status\.\(local index:{N}\)",
    r"Send EAP-(?:Failure|Success) packet to user\.",
    r"Send authentication (?:reject|accept) message to AAA\.",
    r"Radius server is up but no response\.",
    rf"\[Process:{N}\]\[WSTA\] Receive elb table process\(Ap:{N}, radio:{N}, wlan:{N}, vlan:{N}, access mode:{N}, "
    rf"L3:{N}, version:{N}, IP:[0-9A-F]{{8}}, code:{N}, type:{N}\)",
    rf"\[Process:{N}\]\[WSEC\] 4-way-handshake failed \(Code:[0-9A-F]{{8}}\)\.",
    rf"\[WSTA\] Begin to process STA \(re\)associate request message \(ApId:{N}, RadioId:{N}, WlanId:{N}, "
    rf"Type\(1:assoc 2:reassoc\):{N}, Pmk:{N}, WapiIE:{N}, BkidNum:{N}, ZeroRoamFlag:{N}, FTRoam:{N}, "
    rf"FTAccess:{N}, Rssi:-{N}\)\.",
    rf"\[WSTA\] Parse STA \(re\)associate request message \(ApName:[\w-]+ RadioId:{N} WlanId:{N} EssId:{N} "
    rf"AssocType:{N}\)\.",
    r"\[WSTA\] (?:Begin|End) to process STA associate (?:request message|add request)\.",
    rf"\[WSTA\] Parse STA reassociate response message\. \(Ap:{N}, Radio:{N}, WlanId:{N}, Type:{N}, Code:{N}\)",
    r"\[WSTA\] Process add STA (?:request|response) message\.",
    r"\[WADP\] Notify Wsec Receive Associate\.",
    r"\[WSEC\] Initiate eapol start message\.",
)
AC_LINE = re.compile(rf"^{AC_HEAD}(?:{'|'.join(AC_BODIES)})$")

# Continuation lines of multi-line AC records (RADIUS attribute dump, AAA messages, 802.1x decode).
BODY_LINE = re.compile(
    "^(?:"
    + "|".join(
        (
            r"Received a authentication (?:reject|accept) packet from radius server\(server ip = [\d.]+\)\.",
            rf"Server Template: {N}",
            r"Server IP   : [\d.]+",
            rf"Server Port : {N}",
            r"Protocol: Standard",
            rf"Code    : {N}",
            rf"Len     : {N}",
            rf"ID      : {N}",
            rf"\[[A-Za-z-]+ +\] \[{N} ?\] \[.*\]",
            rf"AAA receive AAA_RD_MSG_[A-Z]+ message\({N}\) from RADIUS module\({N}\)\.",
            rf"CID:{N}  TemplateNo:{N}  SerialNo:{N}",
            r"SrcMsg:AAA_RD_MSG_AUTHENREQ",
            r"(?:PriyServer|SendServer)::: Vrf:\d+",
            rf"\[AAA ERROR\]authen finish,the authen fail code is:{N},reason is:.+",
            r"802\.1x packet:",
            rf"Version:802\.1X-2001\(1\); Type:Eap\(0\); Length:{N}",
            r"EAPOL packet:",
            rf"Code:(?:Failure\(4\)|Success\(3\)); Id:{N}; Length:{N}; Type:Unknown\(0\)",
        )
    )
    + ")$"
)

# display station online-fail-record (S1) and display aaa online-fail-record (S2)
TABLE_LINE = re.compile(
    "^(?:"
    + "|".join(
        (
            rf"\[[\w-]+-diagnose\] display station online-fail-record sta-mac (?:{MAC}|sta-mac)",
            r"Rf/WLAN: Radio ID/WLAN ID",
            r"-{60,}",
            r"STA MAC Device type Device ID Device name Rf/WLAN Last record time Reason",
            rf"{MAC} AP {N} [\w-]+ {N}/{N} \d{{4}}-\d{{2}}-\d{{2}}/\d{{2}}:\d{{2}}:\d{{2}} .+\.",
            rf"\[[\w-]+\] display aaa online-fail-record mac-address {MAC}",
            r"(?:User name|Domain name|User access type|User IP address|User IPV6 address|"
            r"Authen reply message|User name to server|SSID|User online fail reason) +: .+",
            rf"User MAC +: {MAC}",
            rf"User access interface +: Wlan-Dbss{N}",
            rf"Qinq vlan/User vlan +: {N}/{N}",
            rf"(?:User ID|AP ID|Radio ID|WLAN ID) +: {N}",
            r"User login time +: \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}",
            rf"AP MAC +: {MAC}",
        )
    )
    + ")$"
)
FORMATS = {"ap": AP_LINE, "ac": AC_LINE, "body": BODY_LINE, "table": TABLE_LINE}


def classify(line: str) -> str | None:
    for name, rx in FORMATS.items():
        if rx.match(line):
            return name
    return None


def real_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.startswith("# section: "):
            current = line[len("# section: ") :].split(" (")[0]
            sections[current] = []
        elif line and current is not None:
            sections[current].append(line)
    return sections


_SHAPE_SUBS = (
    (re.compile(r"^\[\w+(-diagnose)?\] display "), r"[<SYSNAME>\1] display "),
    (
        re.compile(
            r"^(?:<7>)?[A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{1,3}\.\d+(?:[+-]\d{2}:\d{2})? \S+ "
        ),
        "<AP> ",
    ),
    (re.compile(r"\d{4}[/-]\d{2}[/-]\d{2}[ /]\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?"), "<TIME>"),
    (re.compile(rf"{MAC}|{COLON_MAC}|(?<=sta-mac )sta-mac"), "<MAC>"),  # "sta-mac sta-mac": masked in S1
    (re.compile(r"\b[\w-]*AP[\w-]*"), "<AP>"),
    (re.compile(r"^([A-Za-z /]+?) +: .*$"), r"\1 : <VALUE>"),
    (re.compile(r"\d+"), "#"),
)


def shape(line: str) -> str:
    """A line with its variable parts (times, MACs, AP names, numbers, table values) masked."""
    for rx, repl in _SHAPE_SUBS:
        line = rx.sub(repl, line)
    return line


def generate_text(**kw) -> tuple[str, object]:
    buf = io.BytesIO()
    stats = gen.generate(buf, gen.Options(**kw))
    return buf.getvalue().decode("ascii"), stats


@pytest.fixture(scope="module")
def sample_output() -> tuple[str, object]:
    # a raised quirk rate so the rarer real variants show up in a small file
    return generate_text(size=3 * 1024 * 1024, stations=300, seed=11, quirks=0.03)


# --- the formats really are the real ones -----------------------------------------------------------


def test_every_real_sample_line_matches_a_format() -> None:
    sections = real_sections()
    assert len(sections) >= 12
    unmatched = [line for lines in sections.values() for line in lines if classify(line) is None]
    assert unmatched == []


def test_formats_reject_lines_that_are_not_huawei_output() -> None:
    for line in (
        "Mar  5 18:06:10 hostapd: wlan0: STA aa:bb:cc:dd:ee:ff WPA: invalid MIC in msg 2/4 of 4-Way Handshake",
        "<7>Mar 05 2021 18:06:10.270.1 AP01 WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][zz]:SeqNo[1] [EAPOL] hello",
        "[BTRACE][2020/11/03 14:41:00][6144][EAPoL][64e5-99f3-18f6]:Something the AC never prints.",
        "random text",
    ):
        assert classify(line) is None, line


# --- the generator --------------------------------------------------------------------------------------


def test_every_generated_line_matches_a_real_format(sample_output) -> None:
    text, _stats = sample_output
    lines = text.split("\n")
    assert lines[-1] == ""
    bad = [(i + 1, line) for i, line in enumerate(lines[:-1]) if classify(line) is None]
    assert bad[:5] == []
    kinds = {classify(line) for line in lines[:-1]}
    assert kinds == {"ap", "ac", "body", "table"}


def test_every_real_line_shape_is_generated(sample_output) -> None:
    """Each real sample line, with times, MACs, names and numbers masked, occurs in the generated output."""
    text, _stats = sample_output
    produced = {shape(line) for line in text.splitlines()}
    for section, lines in real_sections().items():
        missing = [line for line in lines if shape(line) not in produced]
        assert missing == [], f"{section}: shapes never generated"


def test_all_scenarios_present_and_marked(sample_output) -> None:
    text, stats = sample_output
    assert set(stats.scenarios) == set(gen.SCENARIOS)
    assert all(n > 0 for n in stats.scenarios.values()), stats.scenarios
    assert stats.scenarios["psk-ok"] > stats.scenarios["psk-m2-mic-wrong"]  # healthy joins dominate
    markers = {
        "psk-m2-mic-wrong": "[WPA] MIC is wrong. It will try to retransfer msg1/4",
        "psk-m1-no-m2": "result(0:success,1:fail) = 1",
        "psk-ok": "result(0:success,1:fail) = 0",
        "dot1x-ok": "Received a authentication accept packet",
        "dot1x-radius-reject": "Received a authentication reject packet",
        "dot1x-radius-noreply": "AAA_RD_MSG_SERVERNOREPLY",
        "dot1x-identity-timeout": "No response of request identity from user.",
        "dot1x-challenge-timeout": "No response of request challenge from user.",
        "dot1x-eap-oversized": "Fail to send pkt to air with status[2]",
        "wsec-4way-failed": "[WSEC] 4-way-handshake failed (Code:00000003).",
    }
    assert set(markers) == set(gen.SCENARIOS)
    for scenario, marker in markers.items():
        assert marker in text, scenario
    assert "The key is incorrect or the STA uses the cached PMK." in text
    assert "User online fail reason : Radius authentication reject" in text


def test_small_file_still_has_every_scenario() -> None:
    _text, stats = generate_text(attempts=len(gen.SCENARIOS), stations=20, seed=3)
    assert all(n == 1 for n in stats.scenarios.values()), stats.scenarios


def test_deterministic_with_seed() -> None:
    a, _ = generate_text(size=400_000, seed=5)
    b, _ = generate_text(size=400_000, seed=5)
    c, _ = generate_text(size=400_000, seed=6)
    assert a == b
    assert a != c


def test_many_interleaved_stations_in_huawei_mac_form(sample_output) -> None:
    text, _stats = sample_output
    macs = re.findall(r"\[WLAN_WIFI\]\[([0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4})\]", text)
    assert len({m.lower() for m in macs}) > 100
    assert any(m.isupper() for m in macs) and any(m.islower() for m in macs)
    # interleaving: consecutive AP records often belong to different stations
    changes = sum(1 for x, y in itertools.pairwise(macs) if x.lower() != y.lower())
    assert changes > len(macs) / 20


def _times(text: str) -> list[tuple[int, tuple[int, ...], int]]:
    months = {m: i for i, m in enumerate(gen._MONTHS, 1)}
    out = []
    ap = re.compile(r"^(?:<7>)?([A-Z][a-z]{2}) (\d{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,3})\.")
    ac = re.compile(r"^\[BTRACE\] ?\[(\d{4})[/-](\d{2})[/-](\d{2}) (\d{2}):(\d{2}):(\d{2})")
    for i, line in enumerate(text.splitlines(), 1):
        if m := ap.match(line):
            mon, d, y, hh, mi, ss, ms = m.groups()
            key = (int(y), months[mon], int(d), int(hh), int(mi), int(ss))
            out.append((i, key, int(ms)))
        elif m := ac.match(line):
            out.append((i, tuple(int(x) for x in m.groups()), 0))
    return out


def test_time_progresses_and_never_goes_back(sample_output) -> None:
    text, _stats = sample_output
    stamps = _times(text)
    assert len(stamps) > 10_000
    back = [(i, k) for (_, k0, _), (i, k, _) in itertools.pairwise(stamps) if k < k0]
    assert back == []
    first, last = stamps[0][1], stamps[-1][1]
    assert last > first  # minutes of traffic, not one instant


def test_flatten_joins_records_without_losing_any() -> None:
    plain, _ = generate_text(attempts=60, seed=9)
    flat, _ = generate_text(attempts=60, seed=9, flatten=7)
    assert flat.count("\n") == -(-plain.count("\n") // 7)
    assert flat.replace("\n", " ") == plain.replace("\n", " ")
    first = flat.split("\n")[0]
    assert first.count("BTRACE") >= 7  # several records on one line, as pasted from a ticket


@pytest.mark.parametrize("flatten", [2, 3, 7])
def test_a_flattened_paste_diagnoses_like_the_trace(flatten: int, tmp_path: Path) -> None:
    """Every station: the same verdict, stage, causes and kept events whether the trace is one record per
    line or pasted flattened, N records a line, with CRLF: short lines then hold the end of one record and
    the start of the next (a 60 MB paste lost 9 of 76 RADIUS rejects and misread AAA fields that way)."""
    from wlandoctor.pipeline import Options, diagnose_paths

    def read(name: str, **kw: object) -> dict[str, object]:
        text, _ = generate_text(attempts=1500, stations=150, seed=21, quirks=0.05, **kw)
        path = tmp_path / name
        path.write_bytes(text.encode("ascii"))
        report = diagnose_paths([str(path)], Options())
        assert [p.message for s in report.inputs for p in s.problems] == []
        return {
            d.station: (
                d.verdict,
                d.stage,
                [(c.id, c.confidence) for c in d.causes],
                [
                    [(e.kind, e.time, sorted(e.attrs.items())) for e in a.events]
                    for a in d.timeline.attempts
                    if a.outcome.value != "online"
                ],
            )
            for d in report.diagnoses
        }

    per_line = read("per-line.txt")
    flat = read("flat.txt", flatten=flatten, crlf=True)
    assert len(per_line) == 150
    assert sum(v[0].value == "failed" for v in per_line.values()) > 10
    assert {k: v for k, v in flat.items() if v != per_line.get(k)} == {}


def test_crlf() -> None:
    plain, _ = generate_text(attempts=30, seed=4)
    crlf, _ = generate_text(attempts=30, seed=4, crlf=True)
    assert crlf == plain.replace("\n", "\r\n")


def test_parse_size() -> None:
    assert gen.parse_size("100M") == 100 * 1024**2
    assert gen.parse_size("1G") == 1024**3
    assert gen.parse_size("1.5g") == int(1.5 * 1024**3)
    assert gen.parse_size("500KiB") == 500 * 1024
    assert gen.parse_size("1234") == 1234
    with pytest.raises(ValueError, match="not a size"):
        gen.parse_size("lots")


def test_size_is_honoured_and_stats_are_true(tmp_path: Path) -> None:
    out = tmp_path / "trace.txt"
    r = subprocess.run(
        [sys.executable, str(GEN_PATH), "--size", "2M", "--seed", "2", "--stats", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = json.loads(r.stderr)
    data = out.read_bytes()
    assert stats["bytes"] == len(data)
    assert stats["lines"] == data.count(b"\n")
    assert 2 * 1024**2 <= len(data) < 2 * 1024**2 + 200_000


def test_cli_rejects_bad_arguments() -> None:
    r = subprocess.run([sys.executable, str(GEN_PATH), "--size", "lots"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "not a size" in r.stderr
    r = subprocess.run([sys.executable, str(GEN_PATH)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "--size or --attempts" in r.stderr


def test_truth_file_matches_the_stats(tmp_path: Path) -> None:
    truth = tmp_path / "truth.jsonl"
    r = subprocess.run(
        [sys.executable, str(GEN_PATH), "--attempts", "500", "--stations", "50", "--stats", "--truth", str(truth),
         "-o", str(tmp_path / "t.txt")],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    stats = json.loads(r.stderr)
    per_scenario: dict[str, int] = {}
    for line in truth.read_text().splitlines():
        rec = json.loads(line)
        for k, v in rec["attempts"].items():
            per_scenario[k] = per_scenario.get(k, 0) + v
    assert per_scenario == {k: v for k, v in stats["scenarios"].items() if v}
    assert sum(per_scenario.values()) == 500


# --- the benchmark harness ------------------------------------------------------------------------------


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_diagnose", ROOT / "benchmarks" / "bench_diagnose.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_diagnose"] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _load_bench()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
def test_measure_reports_the_child_own_peak_memory() -> None:
    # a child that holds ~80 MiB, and one that holds almost nothing: the parent's pages must not count
    hold = "import time; b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.3)"
    big = bench.measure([sys.executable, "-c", hold], 60)
    small = bench.measure(["sleep", "0.3"], 60)
    assert big["exit"] == 0 and small["exit"] == 0
    assert 80 * 2**20 <= big["peak_rss"] < 200 * 2**20
    assert 0 < small["peak_rss"] < 20 * 2**20
    assert big["wall"] > 0 and not big["timed_out"] and not big["over_memory"]


def test_measure_stops_runaway_children() -> None:
    slow = bench.measure(["sleep", "30"], 0.5)
    assert slow["timed_out"] and slow["wall"] < 10
    hog = bench.measure(
        [
            sys.executable,
            "-c",
            "import time; b = bytearray(300 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); time.sleep(30)",
        ],
        60,
        rss_limit=100 * 2**20,
    )
    assert hog["over_memory"] and hog["wall"] < 20


def test_peak_memory_from_maxrss_only_above_our_own_peak() -> None:
    M = 2**20
    assert bench._peak(polled=5 * M, maxrss=60 * M, own_peak=60 * M) == 5 * M  # the parent's pages
    assert bench._peak(polled=300 * M, maxrss=320 * M, own_peak=60 * M) == 320 * M  # after the last poll
    assert bench._peak(polled=0, maxrss=7 * M, own_peak=0) == 7 * M  # no /proc: the only number there is


def _run(tool: str, size: int, mib_s: float, rss: float, ok: bool = True):
    return bench.Run(tool, "x", size, 1000, ok, 0, 1.0, 1.0, mib_s, 1000.0, rss)


def test_targets_are_judged_on_diagnose_runs_only() -> None:
    G = 1024**3
    good = [
        _run("grep -c BTRACE", G, 1000, 2),
        _run("wlandoctor diagnose", 100 * 2**20, 80, 150),
        _run("wlandoctor diagnose", G, 70, 160),
    ]
    t = bench.evaluate(good)
    assert t["throughput_ok"] and t["peak_rss_ok"] and t["rss_growth_ok"]
    assert t["throughput_mib_s_min"] == 70
    slow_and_growing = [
        _run("wlandoctor diagnose", 100 * 2**20, 80, 150),
        _run("wlandoctor diagnose", G, 20, 400),
    ]
    t = bench.evaluate(slow_and_growing)
    assert t["throughput_ok"] is False and t["peak_rss_ok"] is False and t["rss_growth_ok"] is False
    assert bench.evaluate([_run("wlandoctor diagnose", G, 80, 100, ok=False)])["evaluated"] is False


def test_bench_end_to_end_on_a_small_input(tmp_path: Path, capsys) -> None:
    """The whole benchmark against the installed `wlandoctor diagnose`, on a 300 KiB generated trace."""
    cmd = f"{sys.executable} -c 'from wlandoctor.cli.app import main; main()'"
    code = bench.main(["--sizes", "300K", "--out", str(tmp_path), "--cmd", cmd, "--timeout", "300"])
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    tools = [r["tool"] for r in result["runs"]]
    assert tools == ["grep -c BTRACE", "python line loop", "sources.iter_lines", "wlandoctor diagnose"], out
    assert all(r["ok"] for r in result["runs"]), result["runs"]
    assert code == 0
    grep = result["runs"][0]
    assert grep["lines"] == result["inputs"][0]["lines"] > 1000
    assert result["targets"]["evaluated"] is True
    assert "target  throughput >= 60 MiB/s" in out
    # the generated input is cached and reused on the next run
    assert list(tmp_path.glob("ac-trace-300K-s1-v*.txt"))
    _path, meta = bench.ensure_input(tmp_path, gen.parse_size("300K"), "300K", 1, 0, False)
    assert meta["reused"] is True


def test_bench_fleet_on_small_inputs(tmp_path: Path, capsys) -> None:
    """The fleet benchmark end to end on 300 KiB of each input: every run completes and is measured."""
    sys.path.insert(0, str(GEN_PATH.parent))
    import bench_fleet

    code = bench_fleet.main(["--size", "300K", "--out", str(tmp_path), "--timeout", "300"])
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    runs = result["results"]
    assert code == 0 and len(runs) == 8, out
    assert {(r["input"], r["format"], r["jobs"]) for r in runs} == {
        (i, f, j) for i in ("dense", "ac") for f in ("json", "jsonl") for j in (1, 2)
    }
    assert all(r["exit"] == 0 and r["report_share"] > 0 and r["floor_ratio"] > 0 for r in runs), runs
    dense = next(tmp_path.glob("dense-300K-*.txt")).read_text()
    # the AP side of PSK joins (after the first attempts, which walk every scenario once)
    assert dense.count("EAPOL key handshake") > 20 * dense.count("[AAA]") > 0


def test_bench_floor_prints_every_step_on_a_trace(tmp_path: Path) -> None:
    trace = tmp_path / "t.txt"
    subprocess.run(
        [sys.executable, str(GEN_PATH), "--size", "1M", "--seed", "3", "-o", str(trace)],
        check=True,
        timeout=120,
    )
    r = subprocess.run(
        [sys.executable, str(GEN_PATH.parent / "bench_floor.py"), "--input", str(trace)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line.split() for line in r.stdout.splitlines()[3:] if line.strip()}
    steps = ("split", "line", "one", "classify", "parse", "parse+timeline", "kept:parse", "kept:+timeline")
    for step in steps:
        assert step in rows, r.stdout
    lines = int(rows["split"][4].replace(",", ""))
    assert lines == trace.read_bytes().count(b"\n")
    kept = int(rows["classify"][4].replace(",", ""))
    events = int(rows["parse"][4].replace(",", ""))
    assert 0 < events <= kept < lines  # bookkeeping skipped, fewer events than kept lines
    # the lines the decision drops carry no event: parsing only the kept ones gives the same events
    assert int(rows["kept:parse"][4].replace(",", "")) == events
    assert int(rows["kept:+timeline"][4].replace(",", "")) == events


def _load_bench_instructions():
    spec = importlib.util.spec_from_file_location(
        "bench_instructions", ROOT / "benchmarks" / "bench_instructions.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_instructions_reads_valgrinds_total_and_says_what_is_missing(
    tmp_path: Path, monkeypatch
) -> None:
    bi = _load_bench_instructions()
    report = "==473== \n==473== I   refs:      2,836,684,727\n"
    assert bi.instructions(report) == 2_836_684_727
    with pytest.raises(ValueError, match="I refs"):
        bi.instructions("==1== ERROR SUMMARY: 0 errors")
    assert bi.parse_size("8M") == 8 * 1024**2
    monkeypatch.setenv("PATH", str(tmp_path))  # no valgrind on it
    assert bi.main([]) == 2
