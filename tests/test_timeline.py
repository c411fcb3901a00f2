"""Timelines: attempts split where a real station retries, memory bounded on long inputs, truth kept."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wlandoctor.model import Event, Outcome, SourceRef, Stage
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.timeline import builder as tb
from wlandoctor.util.mac import normalize_mac

ROOT = Path(__file__).parent.parent
GEN = ROOT / "benchmarks" / "gen_ac_trace.py"


def generate(tmp_path: Path, *args: str) -> tuple[Path, list[dict]]:
    out = tmp_path / "trace.log"
    truth = tmp_path / "truth.jsonl"
    subprocess.run(
        [sys.executable, str(GEN), "-o", str(out), "--truth", str(truth), *args], check=True, timeout=120
    )
    return out, [json.loads(line) for line in truth.read_text().splitlines() if line.strip()]


def test_attempts_and_outcomes_match_the_generated_truth(tmp_path: Path) -> None:
    """Stations retry every few seconds: each generated attempt is one attempt, failing ones fail."""
    trace, truth = generate(
        tmp_path, "--stations", "40", "--attempts", "400", "--seed", "7", "--interval-ms", "3000"
    )
    report = diagnose_paths([str(trace)])
    by_station = {d.station: d for d in report.diagnoses}
    assert len(by_station) == len(truth) == 40
    for t in truth:
        tl = by_station[normalize_mac(t["station"])].timeline
        expected_failed = sum(n for scenario, n in t["attempts"].items() if not scenario.endswith("-ok"))
        assert len(tl.attempts) + tl.attempts_dropped == sum(t["attempts"].values()), t
        not_online = sum(1 for a in tl.attempts if a.outcome != Outcome.ONLINE)
        not_online += tl.attempts_dropped - tl.dropped_outcomes.get(Outcome.ONLINE.value, 0)
        assert not_online == expected_failed, t


def test_memory_bound_keeps_recent_attempts_and_counts_the_rest(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tb, "COMPACT_AT", 64)
    monkeypatch.setattr(tb, "MAX_ATTEMPTS", 5)
    trace, _ = generate(tmp_path, "--stations", "2", "--attempts", "300", "--seed", "3")
    report = diagnose_paths([str(trace)])
    for d in report.diagnoses:
        tl = d.timeline
        assert tl.attempts_dropped > 0
        assert sum(tl.dropped_outcomes.values()) == tl.attempts_dropped
        assert len(tl.attempts) == 5
        numbers = [a.number for a in tl.attempts]
        assert numbers == list(range(tl.attempts_dropped + 1, tl.attempts_dropped + 1 + len(numbers)))
        assert all(len(a.events) <= tb.MAX_EVENTS_PER_ATTEMPT for a in tl.attempts)


def test_summary_record_joins_the_failed_attempt_it_describes(data: Path) -> None:
    d = diagnose_paths([str(data / "huawei" / "founding-per-line.txt")]).diagnoses[0]
    (attempt,) = d.timeline.attempts
    kinds = [e.kind for e in attempt.events]
    assert kinds[0] == "online_fail.record"  # 17:41:56, before the 18:06 trace
    assert "eapol.m2.mic_failure" in kinds and attempt.failed_stage == "4way-handshake"


@pytest.mark.parametrize("n", [tb.COMPACT_AT + 5, 3 * tb.COMPACT_AT, tb.MAX_EVENTS_PER_ATTEMPT + 50, 1000])
def test_one_long_attempt_is_kept_once_and_cut_only_past_the_limit(n: int) -> None:
    """A single attempt longer than the compaction step (a long 802.1X exchange) is neither duplicated
    nor cut until it passes MAX_EVENTS_PER_ATTEMPT; then its head and tail are kept and the rest counted."""
    b = tb.TimelineBuilder()
    station = "aa:bb:cc:dd:ee:ff"
    for i in range(n):
        b.add(
            Event(
                "eap.packet.relayed",
                station,
                Stage.DOT1X,
                SourceRef("x.log", i + 1, f"packet {i}"),
                1000.0 + i / 10,  # (a long exchange, without a silence that would end it)
                i,
            )
        )
    (attempt,) = b.build().stations[station].attempts
    lines = [e.ref.line for e in attempt.events]
    assert len(lines) == len(set(lines))  # no event twice
    assert len(lines) == min(n, tb.MAX_EVENTS_PER_ATTEMPT)
    assert len(lines) + attempt.dropped_events == n  # every event kept or counted
    assert lines[0] == 1 and lines[-1] == n  # head and tail


def test_group_addresses_are_never_stations_or_aps() -> None:
    """A broadcast deauthentication or an EAPOL frame to 802.1X's PAE group address (01:80:c2:00:00:03)
    names a group address: it is neither a station of the report nor an AP of one."""
    b = tb.TimelineBuilder()
    ref = SourceRef("x.log", 1, "line")
    b.add(Event("sta.deauth", "ff:ff:ff:ff:ff:ff", Stage.ASSOCIATION, ref, 1000.0, 1))
    b.add(Event("eapol.m1.sent", "aa:bb:cc:dd:ee:01", Stage.FOURWAY, ref, 1001.0, 2, ap="01:80:c2:00:00:03"))
    b.add(Event("eapol.m1.sent", "aa:bb:cc:dd:ee:01", Stage.FOURWAY, ref, 1002.0, 3, ap="02:11:22:33:44:55"))
    built = b.build()
    assert set(built.stations) == {"aa:bb:cc:dd:ee:01"}
    assert built.stations["aa:bb:cc:dd:ee:01"].aps == frozenset({"02:11:22:33:44:55"})
    assert [e.kind for e in built.global_events] == ["sta.deauth"]
    # (an anonymised station such as a1:a1:a1:a1:a1:a1 has the group bit, and is still a station)
    b = tb.TimelineBuilder()
    b.add(Event("sta.deauth", "a1:a1:a1:a1:a1:a1", Stage.ASSOCIATION, ref, 1000.0, 1))
    assert set(b.build().stations) == {"a1:a1:a1:a1:a1:a1"}


def test_compaction_does_not_change_attempts(tmp_path: Path, monkeypatch) -> None:
    """Built in bounded memory (compacted every few events), each station has the attempts, outcomes and
    failing stages of one split over all its events.  AC records carry whole seconds and reach the trace
    after AP records of later milliseconds; attempts that ended that recently stay open (REORDER_S)."""
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers import by_name
    from wlandoctor.sources import Input

    trace, _ = generate(tmp_path, "--size", "2M", "--seed", "5", "--stations", "4")
    parser = by_name("huawei-ac")
    assert parser is not None
    events = list(parser.parse(Input.from_path(trace), InputSummary(str(trace), "huawei-ac")))
    monkeypatch.setattr(tb, "MAX_ATTEMPTS", 10_000)  # keep every attempt, to compare them all
    builder = tb.TimelineBuilder()
    for e in events:
        builder.add(copy.deepcopy(e))
    built = builder.build().stations
    assert len(built) == 4
    for station, tl in built.items():
        mine = [e for e in events if e.station == station]
        whole = tb.split_attempts([e for e in mine if tb.KINDS[e.kind].role != tb.SUMMARY])
        for a in whole:
            tb.finish_attempt(a)
        tb._attach_summaries(whole, [e for e in mine if tb.KINDS[e.kind].role == tb.SUMMARY])
        assert len(whole) > 50
        assert [(a.outcome, a.failed_stage) for a in tl.attempts] == [
            (a.outcome, a.failed_stage) for a in whole
        ]


def test_an_attempt_stays_open_for_a_late_whole_second_record(monkeypatch) -> None:
    """The AC's 'handshake failed' at 10.000 s is logged after the AP's records up to 10.9 s and a new
    attempt's first frame: it still joins the attempt it belongs to, however often compaction ran."""
    monkeypatch.setattr(tb, "COMPACT_AT", 2)

    def ev(kind: str, t: float, line: int) -> Event:
        return Event(kind, "aa:bb:cc:dd:ee:ff", tb.KINDS[kind].stage, SourceRef("x", line, kind), t, line)

    b = tb.TimelineBuilder()
    b._acc.clear()
    for e in [
        ev("assoc.request", 9.1, 1),
        ev("eapol.m1.sent", 9.2, 2),
        ev("eapol.m1.sent", 9.9, 3),
        ev("assoc.request", 10.9, 4),  # the station tries again
        ev("handshake.failed", 10.0, 5),  # the AC's record of the first try, whole seconds
        ev("eapol.m1.sent", 11.0, 6),
        ev("eapol.m2.received", 11.1, 7),
        ev("eapol.m3.sent", 11.2, 8),
        ev("eapol.m4.received", 11.3, 9),
    ]:
        b.add(e)
    attempts = b.build().stations["aa:bb:cc:dd:ee:ff"].attempts
    assert [(a.outcome, [e.ref.line for e in a.events]) for a in attempts] == [
        (Outcome.FAILED, [1, 2, 3, 5]),
        (Outcome.ONLINE, [4, 6, 7, 8, 9]),
    ]


def test_one_station_asked_for_keeps_every_event_of_its_attempts(tmp_path: Path, monkeypatch) -> None:
    """``--station`` (and ``wlandoctor timeline``): the station's kept attempts hold all their events, as
    one split over all of them gives; without it older healthy attempts keep only their first event."""
    from wlandoctor.fleet import segments
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers import by_name
    from wlandoctor.pipeline import Options
    from wlandoctor.sources import Input

    trace, _ = generate(tmp_path, "--size", "2M", "--seed", "5", "--stations", "4")
    parser = by_name("huawei-ac")
    assert parser is not None
    events = list(parser.parse(Input.from_path(trace), InputSummary(str(trace), "huawei-ac")))
    station = events[0].station
    mine = [e for e in events if e.station == station]
    whole = tb.split_attempts([e for e in mine if tb.KINDS[e.kind].role != tb.SUMMARY])
    for a in whole:
        tb.finish_attempt(a)
    tb._attach_summaries(whole, [e for e in mine if tb.KINDS[e.kind].role == tb.SUMMARY])
    expected = [[e.ref.line for e in a.events] for a in whole[-tb.MAX_ATTEMPTS :]]
    assert all(len(lines) <= tb.MAX_EVENTS_PER_ATTEMPT for lines in expected)

    monkeypatch.setattr(segments, "PARALLEL_MIN_BYTES", 1)
    for jobs in (1, 2):
        [d] = diagnose_paths([str(trace)], Options(station=station, jobs=jobs)).diagnoses
        got = [[e.ref.line for e in a.events] for a in d.timeline.attempts]
        assert got == expected, jobs
        assert all(a.dropped_events == 0 for a in d.timeline.attempts)
    every = {d.station: d for d in diagnose_paths([str(trace)], Options(jobs=1)).diagnoses}[station]
    assert sum(a.dropped_events for a in every.timeline.attempts) > 0  # (the bounded default, for contrast)


@given(
    st.text(alphabet="0123456789abcdefABCDEFxg", min_size=12, max_size=12),
    st.sampled_from(["colon", "dash", "huawei", "cisco", "bare", "mixed", " padded "]),
)
def test_the_fast_mac_forms_normalise_as_netutils_does(digits: str, form: str) -> None:
    from netutils.mac import is_valid_mac, mac_to_format

    pairs = [digits[i : i + 2] for i in range(0, 12, 2)]
    quads = [digits[i : i + 4] for i in range(0, 12, 4)]
    token = {
        "colon": ":".join(pairs),
        "dash": "-".join(pairs),
        "huawei": "-".join(quads),
        "cisco": ".".join(quads),
        "bare": digits,
        "mixed": pairs[0] + ":" + pairs[1] + "-" + "".join(pairs[2:]),
        " padded ": " " + ":".join(pairs) + " ",
    }[form]
    t = token.strip().lower()
    expected = str(mac_to_format(t, "MAC_COLON_TWO")) if is_valid_mac(t) else t
    assert normalize_mac(token) == expected


def test_a_rekey_after_a_completed_one_is_an_attempt_of_its_own(tmp_path: Path) -> None:
    # hostapd lines as erikarn/athp#19 shows them (tests/data/real/ap-athp-...), in time order: the join is
    # not in the log, the first rekey completes, the second is left unanswered
    log = tmp_path / "ap.log"
    sta = "04:d6:aa:1a:6c:90"
    log.write_text(
        "".join(
            f"Aug  4 11:{t} hostapd: athp0_wlan0: STA {sta} WPA: {m}\n"
            for t, m in (
                ("34:34", "sending 1/2 msg of Group Key Handshake"),
                ("34:35", "received EAPOL-Key frame (2/2 Group)"),
                ("34:35", "group key handshake completed (RSN)"),
                ("35:34", "sending 1/2 msg of Group Key Handshake"),
                ("35:36", "EAPOL-Key timeout"),
                ("35:36", "sending 1/2 msg of Group Key Handshake"),
                ("35:37", "EAPOL-Key timeout"),
            )
        )
    )
    [d] = diagnose_paths([str(log)]).diagnoses
    assert [(a.outcome, a.reached) for a in d.timeline.attempts] == [
        (Outcome.ONLINE, Stage.GROUP_KEY),
        (Outcome.INCOMPLETE, Stage.GROUP_KEY),
    ]
    assert d.stage == Stage.GROUP_KEY and d.causes[0].rule == "group-key-timeout"


def test_an_attempt_id_named_by_the_source_splits_attempts() -> None:
    """A Windows client names each attempt (ConnectionId): a failure of one id and the connection of the
    next, a third of a second apart, are two attempts; the disconnection with the same id stays in it."""

    def ev(kind: str, t: float, line: int, attempt: str, source: str = "x") -> Event:
        return Event(
            kind,
            "aa:bb:cc:dd:ee:ff",
            tb.KINDS[kind].stage,
            SourceRef(source, line, kind),
            t,
            line,
            attrs={"attempt_id": attempt},
        )

    attempts = tb.split_attempts(
        [
            ev("eapol.start", 1.0, 1, "0x13"),
            ev("network.not_found", 61.0, 2, "0x13"),
            ev("sta.connected", 61.3, 3, "0x14"),
            ev("sta.disassoc", 1800.0, 4, "0x14"),
        ]
    )
    assert [[e.ref.line for e in a.events] for a in attempts] == [[1, 2], [3, 4]]
    # another source's ids are not compared with this one's
    mixed = tb.split_attempts([ev("assoc.request", 1.0, 1, "0x1"), ev("assoc.response", 1.1, 2, "0x9", "y")])
    assert len(mixed) == 1


def test_keys_renewed_within_a_connection_stay_in_its_attempt() -> None:
    """A Windows client logs 11010/11005 (security started / succeeded) every time its keys are renewed in
    a connection, and NCSI says Internet again: the same join, however late; after the connection ended
    (or failed, or a new association began) the same events are a new attempt."""

    def ev(kind: str, t: float, line: int, source: str = "report") -> Event:
        return Event(kind, "aa:bb:cc:dd:ee:ff", tb.KINDS[kind].stage, SourceRef(source, line, kind), t, line)

    join = [
        ev("assoc.request", 0.0, 1),
        ev("assoc.response", 0.0, 2),
        ev("handshake.success", 0.5, 3),
        ev("sta.connected", 0.5, 4),
        ev("sta.online", 17.0, 5),
    ]
    renewals = [
        ev("handshake.success", 2600.0, 6),
        ev("sta.online", 2601.0, 7),
        ev("handshake.success", 7500.0, 8),
    ]
    attempts = tb.split_attempts([*join, *renewals, ev("sta.disassoc", 9000.0, 9)])
    assert [[e.ref.line for e in a.events] for a in attempts] == [[1, 2, 3, 4, 5, 6, 7, 8, 9]]
    # after the end of the connection: a new attempt
    ended = tb.split_attempts([*join, ev("sta.disassoc", 100.0, 6), ev("handshake.success", 2600.0, 7)])
    assert [[e.ref.line for e in a.events] for a in ended] == [[1, 2, 3, 4, 5, 6], [7]]
    # another source's key exchange is its own view: not a renewal of this connection
    other = tb.split_attempts([*join, ev("handshake.success", 2600.0, 6, "ap.log")])
    assert len(other) == 2


def test_a_deauthentication_long_after_an_association_ends_that_association(tmp_path: Path) -> None:
    """A client's kernel log says "associated" and never tells the keys (wpa_supplicant or iwd does): the
    AP's deauthentication five minutes later ends that association, not an attempt of its own (the kernel
    part of a real post, tests/data/real/mikrotik-mt7921k-group-key-timeout-every-5min)."""
    case = Path(__file__).parent / "data" / "real" / "mikrotik-mt7921k-group-key-timeout-every-5min"
    kernel = (case / "input.log").read_text(encoding="utf-8").splitlines()[1:14]  # lines 2-14
    path = tmp_path / "kernel.log"
    path.write_text("\n".join(kernel) + "\n", encoding="utf-8")
    (d,) = diagnose_paths([str(path)]).diagnoses
    first = d.timeline.attempts[0]
    assert [e.ref.line for e in first.events][-1] == 7  # "deauthenticated ... (Reason: 16=...)" 5 min later
    assert str(first.outcome) == "failed" and str(first.failed_stage) == "group-key"
    assert len(d.timeline.attempts) == 2


def test_a_whole_second_stamp_goes_after_the_fractions_of_its_second() -> None:
    """An AP's syslog line stamped 11:21:08 tells what ended after the frames of 11:21:08.080-.144 (Aruba
    Instant's security log beside its frame rows, bin4.hatenablog.com): one attempt, not a rejection first."""
    case = Path(__file__).parent / "data" / "real" / "aruba-ap505-wpa3-sae-wrong-passphrase-security-log"
    (d,) = diagnose_paths([str(case / "input.log")]).diagnoses
    assert len(d.timeline.attempts) == 1
    assert [e.kind for e in d.timeline.attempts[0].events][-1] == "auth.reject"

    # two inputs: a source of whole seconds only is placed at the end of each second among a finer one's
    def ev(kind: str, t: float, source: str, seq: int) -> Event:
        return Event(kind, "02:00:00:00:00:01", tb.KINDS[kind].stage, SourceRef(source, seq, kind), t, seq)

    events = [
        ev("auth.reject", 100.0, "ap-syslog.log", 1),
        ev("sae.commit", 100.08, "capture.pcap", 1),
        ev("sae.confirm", 100.14, "capture.pcap", 2),
        ev("auth.request", 99.5, "capture.pcap", 3),
    ]
    order = [e.kind for e in sorted(events, key=tb._merge_key(events))]
    assert order == ["auth.request", "sae.commit", "sae.confirm", "auth.reject"]
    # a single precision: time order, untouched
    same = [ev("auth.request", 100.0, "a.log", 1), ev("auth.reject", 101.0, "b.log", 1)]
    assert tb._merge_key(same) is tb._time_key


FINNISH = (
    Path(__file__).parent / "data" / "real" / "ap-ubuntu-rtl8188eu-finnish-journal-no-handshake" / "input.log"
)


def _lines_of(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_step_failure_that_a_later_stage_went_beyond_does_not_fail_the_attempt(tmp_path: Path) -> None:
    """hostapd's "did not acknowledge authentication response", then "associated" and the admission (the real
    journal of zokolslab/WiFi-AP): the authentication was passed after all; the attempt is not failed at
    802.11-auth.  A failure that nothing went beyond still fails it."""
    lines = FINNISH.read_text(encoding="utf-8").splitlines()
    first = next(i for i, ln in enumerate(lines) if "did not acknowledge" in ln)
    (d,) = diagnose_paths([_lines_of(tmp_path, "three.log", lines[first : first + 3])]).diagnoses
    assert str(d.verdict) == "online"
    assert "did not acknowledge" in d.timeline.attempts[0].events[0].ref.text
    (alone,) = diagnose_paths([_lines_of(tmp_path, "one.log", [lines[first]])]).diagnoses
    assert str(alone.verdict) == "failed" and str(alone.stage) == "802.11-auth"


def test_a_station_that_connects_and_leaves_again_and_again_failed_after_its_keys(tmp_path: Path) -> None:
    """The same journal: the station is admitted and leaves six seconds later, three times, and the log ends
    with it connected once more: failed at dhcp (rule dropped-at-once, context keeps-leaving), the evidence
    being the last disassociation.  One such short session alone is not enough."""
    report = diagnose_paths([str(FINNISH)])
    d = next(x for x in report.diagnoses if x.station == "8c:85:90:4e:9d:46")
    assert str(d.verdict) == "failed" and str(d.stage) == "dhcp"
    assert d.causes[0].id == "dropped-at-once/client-gave-up"
    assert any("disassociated" in ev.text for ev in d.causes[0].evidence)
    lines = FINNISH.read_text(encoding="utf-8").splitlines()
    once = [ln for ln in lines if "8c:85:90:4e:9d:46" in ln and "12:21:1" not in ln and "12:22" not in ln]
    (single,) = diagnose_paths([_lines_of(tmp_path, "once.log", once)]).diagnoses
    assert str(single.verdict) == "online"


def test_a_first_nak_for_an_address_from_elsewhere_is_a_restart_not_the_end() -> None:
    """dnsmasq NAKs a client's old hotspot address ("wrong network", coova/coova-chilli#344): the client
    starts over with a DISCOVER and is offered an address; the attempt is still under way, not failed.  A
    NAK that is the input's last word leaves it under way too; two NAKs fail it (tests/kb/dhcp-nak)."""
    case = Path(__file__).parent / "data" / "real" / "ap-lede-coova-chilli-down-dnsmasq-nak-wrong-network"
    by = {d.station: d for d in diagnose_paths([str(case / "input.log")]).diagnoses}
    restarted = by["f4:8b:32:de:ed:52"]
    kinds = [e.kind for a in restarted.timeline.attempts for e in a.events]
    assert kinds.index("dhcp.nak") < kinds.index("dhcp.offer")
    assert str(restarted.verdict) == "incomplete"
    assert str(by["24:db:ed:fa:f7:e0"].verdict) == "incomplete"
    assert by["24:db:ed:fa:f7:e0"].causes[0].id.startswith("dhcp-nak/")


def test_authenticated_again_and_again_never_associated_failed_at_association() -> None:
    """OpenWrt's hostapd and an ESP8266 on a PMF-required network (nodemcu/nodemcu-firmware#3677): one
    unacknowledged authentication response, then "authenticated" three times and no association: the
    authentication was passed (its failure no longer stands) and the association is what fails."""
    case = Path(__file__).parent / "data" / "real" / "ap-openwrt-nodemcu-esp8266-auth-only-pmf-required"
    (d,) = diagnose_paths([str(case / "input.log")]).diagnoses
    assert (str(d.verdict), str(d.stage)) == ("failed", "association")


def test_two_authentications_alone_are_still_under_way(tmp_path: Path) -> None:
    """The same journal cut after its second "authenticated": not yet a pattern, the attempt is incomplete."""
    case = Path(__file__).parent / "data" / "real" / "ap-openwrt-nodemcu-esp8266-auth-only-pmf-required"
    lines = (case / "input.log").read_text(encoding="utf-8").splitlines()
    (d,) = diagnose_paths([_lines_of(tmp_path, "two.log", lines[:3])]).diagnoses
    assert str(d.verdict) == "incomplete"


def test_an_untimed_summary_record_sums_up_the_attempt_written_just_before_it() -> None:
    """wpa_supplicant's SSID-TEMP-DISABLED (CONN_FAILED) after four joins, in a paste without time stamps
    (sakaki-/gentoo-on-rpi-64bit#159, tests/kb/client-conn-failed/trigger-3.log): the record belongs to the
    last join, not to the first one (with no times, every attempt used to be at distance 0 from it)."""
    path = Path(__file__).parent / "kb" / "client-conn-failed" / "trigger-3.log"
    report = diagnose_paths([str(path)])
    (diag,) = report.diagnoses
    lines = [[e.ref.line for e in a.events] for a in diag.timeline.attempts]
    assert lines[-1][-1] == 11 and all(11 not in a for a in lines[:-1]), lines
    assert [a[0] for a in lines] == [3, 5, 7, 9]
