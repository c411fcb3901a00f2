"""MikroTik RouterOS logs (parsers/mikrotik.py): every prefix form real users posted, the client's line of
RouterOS 6 and 7, what a damaged line gives (said, not guessed), and detection beside the other formats."""

from __future__ import annotations

import calendar
from pathlib import Path

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data"
FORMS = DATA / "mikrotik" / "prefix-forms.log"


def _events(path: Path) -> tuple[list[Event], InputSummary]:
    return read("mikrotik", path)


def test_every_prefix_form_gives_its_client_and_time() -> None:
    events, summary = _events(FORMS)
    by_line = {e.ref.line: e for e in events}
    got = {n: (e.kind, e.station, e.ap) for n, e in by_line.items()}
    assert got == {
        1: ("sta.connected", "0c:b3:19:29:08:13", "wlan1_My_Companys_Name"),
        2: ("assoc.request", "0c:b3:19:29:08:13", "wlan1_My_Companys_Name"),
        3: ("sta.offline", "0c:7a:15:f5:d2:af", "wifi-5ghz"),
        4: ("sta.connected", "00:11:22:33:44:66", "10.1.1.1/wl2-guest"),  # the router, not the server
        5: ("dhcp.ack", "c4:5d:83:59:7c:41", None),
        6: ("sta.connected", "10:32:1e:5c:d4:40", "2G-Hall cAP ac2"),
        7: ("assoc.request", "00:1c:d6:30:41:ba", "wlan1"),
        10: ("assoc.request", "44:af:28:2d:a5:32", "ap-3"),
    }
    assert by_line[1].time == calendar.timegm((1970, 1, 1, 20, 4, 0))
    assert by_line[1].stage == "association" and by_line[1].attrs["registered"]  # RouterOS 6: before the keys
    assert by_line[6].stage == "group-key" and "registered" not in by_line[6].attrs  # RouterOS 7: authorized
    assert by_line[3].attrs["rssi"] == -81 and by_line[3].attrs["what"] == "connection lost"
    assert by_line[5].attrs["ip"] == "10.10.20.142"
    assert all(e.time is not None for n, e in by_line.items() if n != 5)
    # the two lines whose MAC a web page's e-mail filter damaged are not read, and are said
    assert summary.coverage.unread == 2 and [n for n, _ in summary.coverage.first] == [8, 9]
    assert summary.problems == []


def test_signal_strengths_a_firmware_prints_above_zero_are_not_taken() -> None:
    """RouterOS 7.15 (wifi-qcom) logs "signal strength 20" now and then: not a reading."""
    events, _ = _events(DATA / "real" / "mikrotik-v7-wifi-qcom-connection-lost-flapping" / "input.log")
    assert [e.attrs.get("rssi") for e in events if e.kind == "sta.connected"] == [None, None, -73]


def test_real_logs_are_detected_as_mikrotik_and_others_are_not() -> None:
    for case in (
        "mikrotik-v6-spark-core-unicast-key-timeout",
        "mikrotik-v7-wifi-qcom-connection-lost-flapping",
    ):
        head = (DATA / "real" / case / "input.log").read_bytes()
        assert detect(head)[0] is by_name("mikrotik"), case
    assert detect(FORMS.read_bytes())[0] is by_name("mikrotik")
    for other in ("hostap/healthy_openwrt_logread_dhcp.log", "hostap/haasmesh_issue2_psk_mismatch.log"):
        assert detect((DATA / other).read_bytes())[0] is not by_name("mikrotik"), other


def test_a_registered_client_whose_keys_time_out_failed_at_the_4way_handshake() -> None:
    """RouterOS 6 logs "connected" at registration; "unicast key exchange timeout" five seconds later is the
    key exchange failing (particle.io community thread 1106)."""
    [d] = diagnose_paths(
        [str(DATA / "real" / "mikrotik-v6-spark-core-unicast-key-timeout" / "input.log")]
    ).diagnoses
    assert (d.verdict, d.stage) == ("failed", "4way-handshake")
    assert [a.reached for a in d.timeline.attempts] == ["association"] * 3
    assert d.causes[0].rule == "4way-handshake-timeout"
    steps = [s for c in d.causes for s in (*c.fix, *c.confirm)]
    assert any("/interface wireless" in s for s in steps)  # RouterOS's own commands
    assert not [s for s in steps if "station-trace" in s or "logread" in s]  # no other platform's


def test_clients_lines_without_topics_are_read_and_detected(tmp_path: Path) -> None:
    """The router's part of a real post (lore.kernel.org linux-wireless, "enhorning", 2023): the lines as the
    manual prints them, without topics, a time alone on the line before each."""
    case = DATA / "real" / "mikrotik-mt7921k-group-key-timeout-every-5min" / "input.log"
    router = case.read_text(encoding="utf-8").splitlines()[24:]
    path = tmp_path / "router.log"
    path.write_text("\n".join(router) + "\n", encoding="utf-8")
    assert detect(path.read_bytes())[0] is by_name("mikrotik")
    events, summary = _events(path)
    assert [(e.ref.line, e.kind, e.station, e.attrs["reason"]) for e in events] == [
        (2, "sta.deauth", "be:1a:c2:58:95:f0", 16),
        (5, "sta.deauth", "be:1a:c2:58:95:f0", 16),
        (8, "sta.deauth", "be:1a:c2:58:95:f0", 16),
    ]
    assert events[0].attrs["rssi"] == -42 and events[0].ap == "wlan2"
    assert summary.problems == [] and summary.coverage.ratio == 1.0
