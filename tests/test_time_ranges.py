"""A time stamp out of range (year 0, 9999, 10000, an eleven-digit epoch, a pcapng time past 2200) is a
problem of its line or frame, the record keeps the time of the one before, and every report is written in
full: such a stamp once ended the whole run with an internal error.

The lines are real lines of the test inputs (tests/data, sources in their SOURCES.md) with the year or the
time changed as a corrupt or hostile input would have it.
"""

from __future__ import annotations

import json
from pathlib import Path

import dpkt
from dpkt import pcapng
from typer.testing import CliRunner

import wlandoctor.cli.diagnose_cmd  # noqa: F401 - registers the command
from wlandoctor.cli.app import app
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.util.times import STAMP_PROBLEM, iso

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def _problems(report_json: dict[str, object]) -> dict[str, list[tuple[int, str]]]:
    return {
        inp["source"]: [(p["line"], p["message"]) for p in inp["problems"]]  # type: ignore[index]
        for inp in report_json["inputs"]  # type: ignore[attr-defined]
    }


def _all_reports_whole(paths: list[Path]) -> dict[str, object]:
    """Every report format written, none with a station it could not write; the JSON returned."""
    for fmt in ("text", "html", "markdown"):
        out = runner.invoke(app, ["diagnose", *map(str, paths), "-f", fmt, "--exit-zero"])
        assert out.exit_code == 0, out.output
        assert "could not be written" not in out.output
    out = runner.invoke(app, ["diagnose", *map(str, paths), "-f", "json", "--exit-zero"])
    assert out.exit_code == 0, out.output
    data: dict[str, object] = json.loads(out.stdout)
    assert "could not be written" not in out.stdout and '"problem"' not in out.stdout
    return data


HOSTAP = [
    # OpenWrt logread, ISO (syslog-ng / journalctl -o short-iso), RFC 5424, hostapd -t with an 11-digit epoch
    "Mon Apr 11 13:14:49 2022 daemon.info hostapd: wlan0: STA 4c:3b:df:aa:bb:01 IEEE 802.11: authenticated",
    "Mon Apr 11 13:14:49 9999 daemon.info hostapd: wlan0: STA 4c:3b:df:aa:bb:01 IEEE 802.11: associated (aid 1)",
    "10000-04-11T13:14:50+02:00 ap hostapd: wlan0: STA 4c:3b:df:aa:bb:01 WPA: pairwise key handshake completed (RSN)",
    "<30>1 0000-04-11T13:14:50Z ap hostapd 9 - - wlan0: AP-STA-CONNECTED 4c:3b:df:aa:bb:01",
    "99999999999.123456: wlan0: STA 4c:3b:df:aa:bb:02 IEEE 802.11: authenticated",
    "Mon Apr 11 13:14:51 2022 daemon.info hostapd: wlan0: STA 4c:3b:df:aa:bb:02 IEEE 802.11: associated (aid 2)",
]


def test_hostap_lines_out_of_range_are_problems_and_keep_the_time_before(tmp_path: Path) -> None:
    log = tmp_path / "logread.txt"
    log.write_text("\n".join(HOSTAP) + "\n")
    report = diagnose_paths([str(log)])
    [summary] = report.inputs
    assert [(p.line, p.message) for p in summary.problems] == [(n, STAMP_PROBLEM) for n in (2, 3, 4, 5)]
    first = {d.station: d for d in report.diagnoses}["4c:3b:df:aa:bb:01"]
    assert first.verdict.value == "online"  # one attempt, in the log's order: the stamps did not reorder it
    events = [e for a in first.timeline.attempts for e in a.events]
    assert [e.ref.line for e in events] == [1, 2, 3, 4]
    assert {iso(e.time) for e in events} == {"2022-04-11T13:14:49.000Z"}
    assert [bool(e.attrs.get("time_inferred")) for e in events] == [False, True, True, True]
    data = _all_reports_whole([log])
    assert len(_problems(data)[str(log)]) == 4


def test_freeradius_and_networkmanager_stamps_out_of_range(tmp_path: Path) -> None:
    radius = tmp_path / "radius.log"
    radius.write_text(
        "Tue Nov 25 22:40:19 2026 : Auth: (7) Login OK: [alice] (from client ap port 0 cli 02-1A-B0-00-00-01)\n"
        "Tue Nov 25 22:40:19 99999 : Auth: (8) Login incorrect (mschap: MS-CHAP2-Response is incorrect): "
        "[bob/<via Auth-Type = eap>] (from client ap port 0 cli 02-1A-B0-00-00-02)\n"
        "0000-11-25T22:40:20+00:00 box radiusd[1]: (9) Login OK: [carol] (from client ap port 0 cli 02-1A-B0-00-00-03)\n"
    )
    nm = tmp_path / "nm.log"
    nm.write_text(
        "Sep 03 02:28:12 zoltop NetworkManager[950]: <info>  [1756837692.7071] dhcp4 (wlan1): state changed new "
        "lease, address=192.168.0.21\n"
        "Sep 03 02:28:12 zoltop NetworkManager[950]: <info>  [99999999999.7207] device (wlan1): state change: "
        "ip-config -> ip-check (reason 'none', managed-type: 'full')\n"
    )
    report = diagnose_paths([str(radius), str(nm)])
    by_source = {s.source: s for s in report.inputs}
    assert [(p.line, p.message) for p in by_source[str(radius)].problems] == [
        (2, STAMP_PROBLEM),
        (3, STAMP_PROBLEM),
    ]
    assert [(p.line, p.message) for p in by_source[str(nm)].problems] == [(2, STAMP_PROBLEM)]
    bob = {d.station: d for d in report.diagnoses}["02:1a:b0:00:00:02"]
    [reject] = [e for a in bob.timeline.attempts for e in a.events]
    assert iso(reject.time) == "2026-11-25T22:40:19.000Z" and reject.attrs.get("time_inferred")
    _all_reports_whole([radius, nm])


def test_huawei_records_out_of_range(tmp_path: Path) -> None:
    # tests/data/huawei/healthy-psk-join.txt, the second record dated 9999 and an online-fail row in year 0
    lines = (DATA / "huawei" / "healthy-psk-join.txt").read_text().splitlines()
    lines[3] = lines[3].replace("Mar 05 2021", "Mar 05 9999")
    lines[4] = lines[4].replace("Mar 05 2021", "Feb 30 2021")
    trace = tmp_path / "trace.txt"
    trace.write_text(
        "\n".join(lines) + "\n[AC-diagnose] display station online-fail-record sta-mac 5c87-9c0e-41a2\n"
        "Rf/WLAN: Radio ID/WLAN ID\n" + "-" * 90 + "\n"
        "STA MAC Device type Device ID Device name Rf/WLAN Last record time Reason\n" + "-" * 90 + "\n"
        "5c87-9c0e-41a2 AP 19 18F-AP02 2/1 0000-03-05/17:41:56 The key is incorrect or the STA uses the cached "
        "PMK.\n" + "-" * 90 + "\n"
    )
    row = 1 + next(i for i, t in enumerate(trace.read_text().splitlines()) if "0000-03-05" in t)
    report = diagnose_paths([str(trace)])
    [summary] = report.inputs
    stamp_lines = [p.line for p in summary.problems if p.message == STAMP_PROBLEM.replace("line", "record")]
    assert stamp_lines == [4, 5, row]
    [station] = report.diagnoses
    events = {e.ref.line: e for a in station.timeline.attempts for e in a.events}
    assert iso(events[4].time) == iso(events[5].time) == iso(events[3].time) == "2021-03-05T18:06:09.101Z"
    assert events[4].attrs.get("time_inferred") and not events[3].attrs.get("time_inferred")
    _all_reports_whole([trace])


def test_pcapng_times_past_2200_are_problems_of_their_frames(tmp_path: Path) -> None:
    # tests/data/captures/wpa2psk-Red_Apple.dump rewritten as pcapng with second resolution
    # (if_tsresol 10^0), every second frame stamped 10^15 s: about the year 31 million
    with (DATA / "captures" / "wpa2psk-Red_Apple.dump").open("rb") as f:
        reader = dpkt.pcap.Reader(f)
        linktype, packets = reader.datalink(), list(reader)
    cap = tmp_path / "far.pcapng"
    opts = [
        pcapng.PcapngOptionLE(code=pcapng.PCAPNG_OPT_IF_TSRESOL, data=b"\x00"),
        pcapng.PcapngOptionLE(code=pcapng.PCAPNG_OPT_ENDOFOPT),
    ]
    with cap.open("wb") as out:
        out.write(bytes(pcapng.SectionHeaderBlockLE()))
        out.write(bytes(pcapng.InterfaceDescriptionBlockLE(linktype=linktype, opts=opts)))
        for i, (ts, buf) in enumerate(packets):
            t = int(10**15 + ts) if i % 2 else int(ts)
            out.write(
                bytes(
                    pcapng.EnhancedPacketBlockLE(
                        pkt_data=buf,
                        ts_high=t >> 32,
                        ts_low=t & 0xFFFFFFFF,
                        caplen=len(buf),
                        pkt_len=len(buf),
                    )
                )
            )
    data = _all_reports_whole([cap])
    problems = _problems(data)[str(cap)]
    assert [n for n, _ in problems] == list(range(2, len(packets) + 1, 2))
    assert all("the frame takes the time of the frame before it" in m for _, m in problems)
    text = runner.invoke(app, ["diagnose", str(cap), "--exit-zero"]).output
    assert "frame 2: time stamp out of range" in text


def test_iso_never_raises_on_a_time_no_reader_lets_through() -> None:
    assert iso(1e15) is None and iso(-1e15) is None and iso(float("nan")) is None
    assert iso(0.0) == "1970-01-01T00:00:00.000Z"
