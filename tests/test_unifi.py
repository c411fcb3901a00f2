"""UniFi AP logs (parsers/unifi.py): the association tracker in its JSON forms (firmware 4 to 8, text after
the record, a CSV export's doubled quotes) and its older debug form, wevent, hostapd and the driver's key
messages, the prefix forms real logs have, detection, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data"
UNIFI = DATA / "unifi"
BLIND = DATA / "real" / "ap-unifi-stahtd-dbg-auth-failures" / "input.log"


def _events(path: Path) -> tuple[list[Event], InputSummary]:
    return read("unifi", path)


def test_policy_refusals_are_association_rejects_named_by_the_aps_check() -> None:
    events, summary = _events(UNIFI / "cribl-newcap-policy-refusals.log")
    assert summary.problems == [] and summary.coverage.unread == 0
    rejects = [e for e in events if e.kind == "assoc.reject"]
    assert len(rejects) == 18
    assert {(e.attrs["tracker_status"], e.attrs["policy"]) for e in rejects} == {
        (32, "n2p"),
        (2048, "n2whtctrl"),
    }
    assert "status" not in rejects[0].attrs  # (not an IEEE 802.11 status code)
    report = diagnose_paths([str(UNIFI / "cribl-newcap-policy-refusals.log")])
    refused = {e.station for e in rejects}
    assert all(
        d.verdict == "failed" and d.stage == "association" for d in report.diagnoses if d.station in refused
    )
    assert {d.causes[0].rule for d in report.diagnoses if d.station in refused} == {"status-refused"}
    # the two clients of the "fixup" records, already on: the tracker saw their DNS answers and the
    # gateway's ARP reply
    on = {d.station: d.verdict for d in report.diagnoses if d.station not in refused}
    assert on == {"2c:aa:8e:eb:ee:fc": "online", "2a:8c:1a:93:80:b7": "online"}


def test_a_join_told_by_hostapd_wevent_and_the_driver_is_one_attempt_online() -> None:
    report = diagnose_paths([str(UNIFI / "cribl-other-join-and-kernel.log")])
    by = {d.station: d for d in report.diagnoses}
    assert set(by) == {"2a:8c:1a:93:80:b7", "36:33:f1:fd:e8:ef", "86:4a:9b:73:b9:e1", "b4:e6:2a:f5:86:5d"}
    for d in by.values():
        assert d.verdict == "online" and len(d.timeline.attempts) == 1, d.station
    [inp] = report.inputs
    assert inp.coverage.unread == 0 and inp.problems == []
    kinds = [e.kind for e in by["36:33:f1:fd:e8:ef"].timeline.attempts[-1].events]
    assert [k for k in kinds if k.startswith("eapol.")] == [
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m3.sent",
        "eapol.m4.received",
    ]


def test_tracker_records_of_firmware_8() -> None:
    report = diagnose_paths([str(UNIFI / "u7-pro-tracker-8x.log")])
    by = {d.station: d for d in report.diagnoses}
    assert by["68:5e:1c:5f:78:dd"].verdict == "online"
    wpa = by["c4:5b:be:6a:fe:6f"]  # wpa_auth_failures 1 after the association
    assert (wpa.verdict, wpa.stage) == ("failed", "4way-handshake")
    auth = by["a4:e5:7c:da:e6:a4"]  # auth_failures 1, never associated
    assert (auth.verdict, auth.stage) == ("failed", "802.11-auth")
    assert "9c:65:f9:48:d2:28" not in by  # a soft failure that roamed away: no onboarding event
    online = next(e for e in by["68:5e:1c:5f:78:dd"].timeline.attempts[-1].events if e.kind == "sta.online")
    assert online.attrs["rssi"] == -61 and online.attrs["daemon"] == "unifi"


def test_the_older_debug_form_and_the_blind_trial_case() -> None:
    report = diagnose_paths([str(BLIND)])
    assert {(d.station, d.verdict, d.stage) for d in report.diagnoses} == {
        ("04:d6:aa:32:1d:79", "failed", "802.11-auth"),
        ("78:7e:61:e4:27:3a", "failed", "802.11-auth"),
    }
    failure = next(
        e for d in report.diagnoses for e in d.timeline.attempts[-1].events if e.kind == "auth.timeout"
    )
    assert failure.attrs["failures"] in (6, 1)


@pytest.mark.parametrize(
    ("prefix", "timed"),
    [
        ("", False),
        ("802aa8863d4f,UAP-AC-Lite-5.43.43+12741: : ", False),
        ("<30>Nov  2 09:43:55 LoftAP6 f492bfa5743c,U6-Lite-5.60.16+13023: stahtd: ", True),
        ("<14>Nov  2 09:43:59 802aa8863d4f,UAP-AC-Lite-5.43.46+12754: : ", True),
        (
            "10.10.30.31\tApr 17 09:20:08\tU6-LR\tdaemon\tinfo\t0cea14f022a5,U6-LR-6.7.41+15623\tstahtd: ",
            True,
        ),
        ("Wed Sep  9 20:08:12 2026 user.info ", True),
        ("Jul  5 14:29:55 unifi-ap3 0123456789aa,U6-Lite-6.7.17+15512: stahtd: ", True),
    ],
)
def test_every_prefix_form_gives_the_record(prefix: str, timed: bool, tmp_path: Path) -> None:
    record = (
        'stahtd[1924]: [STA-TRACKER].stahtd_dump_event(): {"message_type":"STA_ASSOC_TRACKER","mac":'
        '"34:d2:70:9b:3d:77","vap":"ath0","event_type":"failure","assoc_status":"2048","event_id":"1",'
        '"auth_ts":"955871.773289"} - n2whtctrl, flags: 0x800'
    )
    log = tmp_path / "ap.log"
    log.write_text(prefix + record + "\n", encoding="utf-8")
    events, summary = _events(log)
    assert [(e.kind, e.station) for e in events] == [("assoc.reject", "34:d2:70:9b:3d:77")]
    assert summary.problems == []
    assert (events[0].time is not None) == timed


def test_a_csv_export_with_doubled_quotes_is_read(tmp_path: Path) -> None:
    # (home-assistant/core#64997: a syslog viewer's CSV export doubles the record's quotes)
    line = (
        "1/28/2022 12:03 PM,Info,192.168.2.4,f492bfa19118,U6-Lite-6.0.10+13599: stahtd: stahtd[2839]: "
        '[STA-TRACKER].stahtd_dump_event(): {""assoc_status"":""0"",""event_type"":""fixup"",'
        '""mac"":""f0:18:98:22:d1:c2"",""message_type"":""STA_ASSOC_TRACKER"",""vap"":""ra0"",""auth_ts"":""0.0""}'
    )
    log = tmp_path / "export.csv"
    log.write_text(line + "\n", encoding="utf-8")
    events, summary = _events(log)
    assert events == [] and summary.coverage.understood == 1 and summary.coverage.unread == 0


def test_a_broken_record_is_said_not_dropped(tmp_path: Path) -> None:
    log = tmp_path / "ap.log"
    log.write_text(
        'Wed Sep  9 20:08:12 2026 user.info stahtd[6930]: [STA-TRACKER].stahtd_dump_event(): {"op":"event",'
        '"event_type":"failure","mac":"c4:5b:be:6a\n'
        'Wed Sep  9 20:08:13 2026 user.info stahtd[6930]: [STA-TRACKER].stahtd_dump_event(): {"event_type":'
        '"failure","mac":"c4:5b:be:6a:fe:6f","assoc_status":"0","auth_failures":"1e999","ip_delta":"NaN"}\n',
        encoding="utf-8",
    )
    events, summary = _events(log)
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 1
    assert [e.kind for e in events] == ["assoc.failure"]  # (an absurd counter is no count)


def test_unifi_logs_are_detected_and_others_are_not() -> None:
    for path in [*sorted(UNIFI.glob("*.log")), BLIND]:
        assert detect(path.read_bytes())[0] is by_name("unifi"), path
    for other in (
        "hostap/healthy_openwrt_logread_dhcp.log",
        "mikrotik/prefix-forms.log",
        "meraki/header-forms.log",
        "aruba/iap-wpa3-8021x-accept-and-reject.log",
        "cisco9800/ra-c81c-m3-retries-wrong-replay-counter.log",
    ):
        assert detect((DATA / other).read_bytes())[0] is not by_name("unifi"), other


def test_the_aps_tag_in_a_collectors_tab_separated_columns_is_detected() -> None:
    """A collector that stores sender, time, host, facility, level and the AP's tag in tab-separated
    columns (seen in a U6-LR fleet's log): every line carries the tag, so a stretch of hostapd lines of
    that log is still the UniFi AP's (a window of 16 such lines is not taken for a plain hostapd log)."""
    from wlandoctor.parsers.unifi import _SNIFF

    head = (
        "10.10.30.5\tApr 17 09:20:05\tU6-LR\tdaemon\tinfo\t0cea14f037c5,U6-LR-6.7.41+15623\thostapd[3894]: "
    )
    assert _SNIFF.search(head.encode()) is not None
    cribl = (UNIFI / "cribl-other-join-and-kernel.log").read_bytes()
    assert len(_SNIFF.findall(cribl)) > 50  # (the "<tag>: " form, on every line)


def test_a_station_only_joined_is_kept_and_the_older_firmware_s_tags_are_read() -> None:
    """Wazuh decoders' and rules' UniFi samples (tests/data/real/siem-unifi-wazuh-bnc-*): a station wevent only
    says joined (EVENT_STA_JOIN) was lost; the older firmware's '("U7LT,mac,v3.9.3.7537") syslog:' and
    'U7PG2,mac,v4.3.24.11355:' tags were not read."""
    real = Path(__file__).parent / "data" / "real"
    rules = real / "siem-unifi-wazuh-bnc-rule-samples" / "input.log"
    d = {x.station: x for x in diagnose_paths([str(rules)]).diagnoses}
    assert str(d["dc:5f:6a:79:74:85"].verdict) == "incomplete"
    assert [e.kind for a in d["dc:5f:6a:79:74:85"].timeline.attempts for e in a.events] == ["assoc.response"]
    # a station whose other lines tell its join gets no event from the join itself
    events, _ = _events(UNIFI / "cribl-other-join-and-kernel.log")
    assert not {18, 54, 79} & {e.ref.line for e in events}
    decoders = real / "siem-unifi-wazuh-bnc-decoder-samples" / "input.log"
    assert detect(decoders.read_bytes())[0] is by_name("unifi")
    got = {(e.station, e.kind) for e in _events(decoders)[0]}
    assert ("84:d0:0d:d9:82:06", "dhcp.ack") in got and ("46:9a:d9:5c:b0:27", "handshake.success") in got


# ---- a multi-AP syslog (U7-Pro, 8.6/8.7): a fast-transition roam and its bookkeeping ----------------------
MULTI_AP = DATA / "real" / "unifi-u7pro-syslog-wazuh-sample-ft-roam-sta-ip-healthy" / "input.log"


def test_the_tracker_and_wevent_after_hostapd_told_the_association_open_no_new_attempt() -> None:
    report = diagnose_paths([str(MULTI_AP)])
    by = {d.station: d for d in report.diagnoses}
    roamed = by["22:94:04:5f:25:58"]
    # hostapd's AP-STA-CONNECTED / "WPA: authorized" on the new AP, then stahtd's "association" record
    # and wevent's EVENT_STA_JOIN of the same association a moment later: one attempt, online
    assert [a.outcome for a in roamed.timeline.attempts][-1] == "online"
    assert str(roamed.verdict) == "online"
    # EVENT_STA_IP, then the same second EVENT_STA_JOIN: the address was told, the join is bookkeeping
    assert str(by["c4:93:d9:f2:1d:5b"].verdict) == "online"


def test_a_station_the_tracker_saw_sending_dns_is_connected_not_left_out() -> None:
    events, _ = _events(MULTI_AP)
    dns = [e for e in events if e.station == "94:e2:3c:db:c3:ab"]
    assert [(e.kind, e.attrs.get("dns_timeouts")) for e in dns] == [("sta.connected", 2)]
