"""The Huawei AC parser against the real public samples and the founding case, in every paste form."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import InputSummary
from wlandoctor.parsers import detect
from wlandoctor.parsers.huawei import PARSER
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.sources import Input


def parse(path: Path) -> tuple[list, InputSummary]:
    s = InputSummary(str(path), PARSER.name)
    return list(PARSER.parse(Input.from_path(path), s)), s


def kinds(events: list) -> list[str]:
    return [e.kind for e in events]


def test_sniff_prefers_huawei_for_ac_output(data: Path) -> None:
    for name in ("founding-flattened.txt", "founding-per-line.txt", "huawei-public.txt"):
        parser, score = detect((data / "huawei" / name).read_bytes()[:65536])
        assert parser is not None and parser.name == "huawei-ac", name
        assert score >= 80


def test_founding_case_flattened(data: Path) -> None:
    events, s = parse(data / "huawei" / "founding-flattened.txt")
    assert kinds(events) == [
        "online_fail.record",
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m2.mic_failure",
        "eapol.m2.mic_failure",
        "eapol.m2.mic_failure",
        "handshake.failed",
        "sta.deleted",
        "sta.teardown",
        "sta.teardown",
        "sta.disassoc",
    ]
    assert {e.station for e in events} == {"yyyy-yyyy-yyyy"}
    rec = events[0]
    assert rec.attrs["reason"] == "key-mismatch"
    assert rec.stage == "4way-handshake"
    assert (rec.radio, rec.wlan, rec.ap) == (2, 1, "18F-AP02")
    mic = events[3]
    assert (
        mic.ref.line == 12
        and "MIC is wrong" in mic.ref.text
        and mic.ref.text.startswith("<7>Mar 05 2021 18:06:10.270.10")
    )
    assert mic.attrs["retransfer"] == 0
    assert events[6].attrs["code"] == 2
    assert events[7].attrs["reason"] == "The WMP deletes the STA"
    assert events[10].attrs["snr"] == 37
    # ms and sequence numbers: .270.10 is 270 ms, record 10 of that ms
    assert abs(events[3].time - events[1].time) < 1e-9
    assert events[-1].time - events[1].time == 0.02 or abs(events[-1].time - events[1].time - 0.02) < 1e-6
    assert s.records == 18


def test_flattened_and_per_line_give_the_same_events(data: Path) -> None:
    flat, _ = parse(data / "huawei" / "founding-flattened.txt")
    per_line, _ = parse(data / "huawei" / "founding-per-line.txt")
    assert [(e.kind, e.station, e.time, e.attrs) for e in flat] == [
        (e.kind, e.station, e.time, e.attrs) for e in per_line
    ]
    assert [e.ref.line for e in per_line][:4] == [6, 11, 12, 18]


def test_real_macs_in_any_notation_are_one_station(data: Path) -> None:
    events, _ = parse(data / "huawei" / "founding-real-mac.txt")
    assert {e.station for e in events} == {"dc:21:e2:ad:ba:e1"}


def test_crlf_junk_and_escapes(data: Path) -> None:
    events, s = parse(data / "huawei" / "founding-crlf-junk.txt")
    assert "eapol.m2.mic_failure" in kinds(events)
    assert all("\r" not in e.ref.text and "\x1b" not in e.ref.text for e in events)
    assert any(p.line == 3 and "binary" in p.message for p in s.problems)
    assert s.skipped >= 2


def test_public_samples_events(data: Path) -> None:
    events, s = parse(data / "huawei" / "huawei-public.txt")
    by_kind: dict[str, list] = {}
    for e in events:
        by_kind.setdefault(e.kind, []).append(e)
    reject = by_kind["radius.reject"]
    assert any("Incorrect user name or password" in e.attrs.get("reply_message", "") for e in reject)
    assert {e.attrs["reason"] for e in by_kind["aaa_fail.record"]} == {
        "radius-reject",
        "radius-no-reply",
        "authz-data-error",
        "user-blocked",
    }
    assert [e.attrs.get("what") for e in by_kind["aaa.authz_data_error"]] == ["vlan", None, "acl"]
    fail16 = next(e for e in by_kind["aaa.fail"] if e.attrs["code"] == 16)
    assert fail16.stage == "authorization"
    # the AC trace whose MAC lacks its closing bracket ("[00e0-fc2d-0c70:") still names the station
    assert {e.station for e in by_kind["radius.no_reply"]} == {"00:e0:fc:2d:0c:70"}
    # the shared-key debug line has no station: a global event
    (bad,) = by_kind["radius.bad_authenticator"]
    assert bad.station == "" and "check share key" in bad.ref.text
    tx = by_kind["eap.packet.tx_failed"][0]
    assert (tx.station, tx.attrs["payload"], tx.attrs["status"]) == ("3c:2e:ff:90:66:2f", 1496, 2)
    assert by_kind["handshake.failed"][-1].attrs == {"code": 3, "reporter": "ac"}
    assoc = by_kind["assoc.request"][0]
    assert assoc.attrs["pmk"] == 0 and assoc.attrs["rssi"] == -60
    quiet = [e for e in by_kind["dot1x.quiet"] if "remaining_s" in e.attrs]
    assert quiet[0].attrs["remaining_s"] == 49
    # "WIFI7/BTRACE" without its slash (as in the source) is still read
    assert any(e.ref.text.startswith("<7>Nov 03 2020 14:40:58.70.2") for e in by_kind["eap.packet.relayed"])
    # S6 templates carry placeholders, not stations: reported, never turned into fake stations
    assert all(":" in e.station or e.station.startswith("yyyy") or e.station == "" for e in events)
    assert any("without a station MAC" in p.message for p in s.problems)


def test_multi_megabyte_line_is_streamed_and_reported(tmp_path: Path, data: Path) -> None:
    case = (data / "huawei" / "founding-per-line.txt").read_text()
    big = tmp_path / "big.txt"
    big.write_text("x" * (3 * 1024 * 1024) + "\n" + case)
    events, s = parse(big)
    assert "eapol.m2.mic_failure" in kinds(events)
    assert any("characters, cut" in p.message for p in s.problems)


def test_giant_flattened_paste_over_many_fragments(tmp_path: Path, data: Path) -> None:
    """A paste of thousands of records on one line (longer than the fragment size) loses no record."""
    flat = (data / "huawei" / "founding-flattened.txt").read_text().splitlines()
    trace = next(line for line in flat if "<7>" in line)
    records = trace[trace.index("<7>") :]
    n = 600  # about 1.7 MB on one line
    p = tmp_path / "giant.txt"
    p.write_text(" ".join([records] * n) + "\n")
    events, _ = parse(p)
    assert kinds(events).count("eapol.m2.mic_failure") == 3 * n


def test_a_message_seen_again_gets_attributes_of_its_own(tmp_path: Path) -> None:
    """Message texts are classified once and remembered; each event still gets its own attributes (the
    public RADIUS reject twice, the second time without its Reply-Message)."""
    public = (Path(__file__).parent / "data" / "huawei" / "huawei-public.txt").read_text("utf-8").splitlines()
    start = next(
        i for i, t in enumerate(public) if t.startswith("[BTRACE][2020/10/19 14:53:23][6144][RADIUS]")
    )
    record = public[start : start + 15]
    assert record[1].startswith("Received a authentication reject") and "[Reply-Message" in record[-3]
    again = [t.replace("14:53:23", "14:53:40") for t in record if not t.startswith("[Reply-Message")]
    path = tmp_path / "trace.txt"
    path.write_text("\n".join(record + again) + "\n", encoding="utf-8")
    events, _ = parse(path)
    rejects = [e for e in events if e.kind == "radius.reject"]
    assert len(rejects) == 4  # each record twice: its first line and its RADIUS code
    first, second = rejects[:2], rejects[2:]
    assert all(
        e.attrs.get("reply_message", "").startswith("ErrorReason is Incorrect user") for e in first[1:]
    )
    assert all("reply_message" not in e.attrs for e in second)
    first[0].attrs["_dropped_before"] = 3  # (what timeline compaction does to an event)
    assert all("_dropped_before" not in e.attrs for e in second)


def test_memory_for_ap_names_is_bounded(monkeypatch) -> None:
    """AP names are shared between events through a table; an input naming a new AP on every line must not
    grow it without bound (memory may not grow with the input)."""
    import io

    from wlandoctor.parsers import huawei

    monkeypatch.setattr(huawei, "_NAMES_CACHED", 100)
    wifi = (
        "<7>Mar 05 2021 18:06:10.270.3 AP{n} WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][e846-a50c-1282]:SeqNo[4264] "
        "[EAPOL] EAPOL key handshake 1/4 payload[117] elapsed[0 ms] Success to send pkt to air\n"
    )
    wsrv = "<7>Mar 05 2021 18:06:10.270.4 AQ{n} WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(e846-a50c-1282):[WPA] MIC is wrong\n"
    data = "".join(wifi.format(n=n) + wsrv.format(n=n) for n in range(1000)).encode()
    run = huawei._Run("x", InputSummary("x", "huawei-ac"))
    inp = Input("x", None, len(data), data[:4096], io.BytesIO(data[4096:]))  # type: ignore[arg-type]
    events = list(run.run(inp))
    assert len(events) == 2000
    assert {e.ap for e in events} == {f"AP{n}" for n in range(1000)} | {f"AQ{n}" for n in range(1000)}
    assert len(run.names) <= 100 and len(run.hosts) <= 100


def test_an_endless_aaa_block_is_read_in_bounded_pieces(monkeypatch) -> None:
    """An AAA record block that never ends (a hostile or broken input: field lines only) is read in
    pieces of at most _AAA_BLOCK_MAX fields; memory does not grow with it."""
    import io

    from wlandoctor.parsers import huawei

    block = (Path(__file__).parent / "data" / "huawei" / "huawei-public.txt").read_text("utf-8").splitlines()
    start = next(i for i, t in enumerate(block) if t.startswith("User name               : test"))
    fields = block[start : start + 17]
    assert fields[-1].startswith("SSID")
    data = ("\n".join(fields * 500) + "\n").encode()
    sizes: list[int] = []
    finish = huawei._Run.finish_aaa

    def spy(self) -> None:  # type: ignore[no-untyped-def]
        sizes.append(len(self.aaa_block))
        finish(self)

    monkeypatch.setattr(huawei._Run, "finish_aaa", spy)
    summary = InputSummary("x", "huawei-ac")
    inp = Input("x", None, len(data), data[:4096], io.BytesIO(data[4096:]))  # type: ignore[arg-type]
    events = list(huawei.PARSER.parse(inp, summary))
    assert max(sizes) <= huawei._AAA_BLOCK_MAX and sum(sizes) == 17 * 500
    assert len(events) >= 100 and {e.kind for e in events} == {"aaa_fail.record"}


def test_records_relayed_by_a_syslog_server(tmp_path: Path) -> None:
    # A syslog server (rsyslog, syslog-ng) writes its own time and the sender before each relayed record.
    # A long trap line was cut at the record's own time and that header reported as a line not recognised.
    kb = Path(__file__).parent / "kb"
    trap = (kb / "shared-key-challenge-failure" / "trigger-2.log").read_text().splitlines()[0]
    trap = trap.replace(
        " WLAN/4/STA_AUTH_FAIL:", " %%01WLAN/4/STA_AUTH_FAIL(l)[1234]:"
    )  # as info-center sends it
    short = (kb / "ap-faulty" / "trigger.log").read_text().splitlines()[0]
    p = tmp_path / "relayed.log"
    p.write_text(f"Jun 18 14:22:05 10.20.0.2 {trap}\n<190>Jul  1 06:12:44 ac6605-1 {short}\n")
    events, s = parse(p)
    assert s.problems == []
    assert [(e.kind, e.station, e.ref.line) for e in events] == [
        ("auth.reject", "00:21:6a:3c:9e:10", 1),
        ("offline.record", "e8:b1:fc:07:3a:52", 2),
    ]
    assert len(trap) > 300 > len(short)  # (the long-line path cuts the header off on its own; not the short)


def test_pastes_quoted_in_a_mail_or_fenced_in_a_ticket(tmp_path: Path, data: Path) -> None:
    # "> " (and "> > ") before every line, or a Markdown fence around the paste: the lines that were not
    # trace records (table, separators, prompts) were counted as not recognised (25 of them)
    plain = data / "huawei" / "founding-per-line.txt"
    lines = plain.read_text().splitlines()
    forms = {
        "mail.txt": [f"> {line}" for line in lines],
        "reply.txt": [f"> > {line}" if i % 2 else f">> {line}" for i, line in enumerate(lines)],
        "ticket.md": ["```text", *lines, "```"],
    }
    base, base_summary = parse(plain)
    for name, form in forms.items():
        p = tmp_path / name
        p.write_text("\n".join(form) + "\n")
        events, summary = parse(p)
        assert (summary.records, summary.skipped, summary.problems) == (base_summary.records, 0, []), name
        shift = 1 if name == "ticket.md" else 0
        assert [(e.kind, e.station, e.ref.line - shift) for e in events] == [
            (e.kind, e.station, e.ref.line) for e in base
        ], name


def test_a_syslog_record_whose_header_lost_its_stamp_takes_its_own_time_or_says_so(tmp_path: Path) -> None:
    """Huawei's own examples (Description of Common Logs on ACs): the second record's header lost its month
    ("13 2014 18:23:48+04:00"); its TIME field (seconds since the epoch) dates it.  Without that field the
    record takes the one before's time, and says so."""
    case = Path(__file__).parent / "data" / "real" / "huawei-ac-wlan-log-user-assoc-refused-doc" / "input.log"
    report = diagnose_paths([str(case)])
    times = {e.ref.line: e.time for d in report.diagnoses for a in d.timeline.attempts for e in a.events}
    assert times[2] == 1389623028.0 and times[1] == 1389623006.0
    lines = case.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "no-time.log"
    path.write_text(lines[0] + "\n" + lines[1].replace("TIME:1389623028;", "") + "\n", encoding="utf-8")
    report = diagnose_paths([str(path)])
    assert [p.line for p in report.inputs[0].problems] == [2]
    (e2,) = [e for d in report.diagnoses for a in d.timeline.attempts for e in a.events if e.ref.line == 2]
    assert e2.time == 1389623006.0 and e2.attrs["time_inferred"]


def test_a_web_or_mac_users_authentication_failure_is_at_authorization() -> None:
    """A portal user (the record's "User access type : Web") has its address before it authenticates: the
    record's RADIUS reject is at the authorization stage (the reject of an 802.1X user, at 802.1x), and so is
    the station's failure.  Real: Huawei's WLAN troubleshooting guide, tests/data/real/huawei-portal-radius-
    reject and huawei-dot1x-radius-reject.  (The record alone tells it: a file read in byte ranges gives the
    same.)"""
    real = Path(__file__).parent / "data" / "real"
    web, _ = parse(real / "huawei-portal-radius-reject" / "input.log")
    dot1x, _ = parse(real / "huawei-dot1x-radius-reject" / "input.log")
    assert {e.stage for e in web if e.kind == "aaa_fail.record"} == {"authorization"}
    assert {e.stage for e in dot1x if e.kind == "aaa_fail.record"} == {"802.1x"}
    (d,) = diagnose_paths([str(real / "huawei-portal-radius-reject" / "input.log")]).diagnoses
    assert (str(d.verdict), str(d.stage)) == ("failed", "authorization")
