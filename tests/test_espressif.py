"""The Espressif console reader (parsers/espressif.py): prefixes, the driver's state machine and its reason
codes, one event per disconnect, the station's name, and never silent on what it cannot read."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import detect
from wlandoctor.parsers.espressif import PARSER, split_line
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data"


def _parse(tmp_path: Path, text: str | bytes) -> tuple[list[Event], InputSummary]:
    path = tmp_path / "console.log"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    summary = InputSummary(str(path), PARSER.name)
    return list(PARSER.parse(Input.from_path(path), summary)), summary


def test_prefixes_of_every_form() -> None:
    assert split_line("I (58380) wifi: state: init -> auth (b0)") == ("state: init -> auth (b0)", 58380)
    assert split_line("I (2512) wifi:connected with x, channel 6") == ("connected with x, channel 6", 2512)
    assert split_line("W (12:01:02.345) wifi station: got ip:10.0.0.2") == ("got ip:10.0.0.2", None)
    assert split_line("[  6844][W][WiFiGeneric.cpp:1061] _eventCallback(): Reason: 15 - X") == (
        "Reason: 15 - X",
        6844,
    )
    assert split_line("[W][WiFiGeneric.cpp:353] _eventCallback(): Reason: 15 - X") == ("Reason: 15 - X", None)
    assert split_line("no z24 found, reconnect after 1s") == ("no z24 found, reconnect after 1s", None)
    # the first releases (MicroPython's first ESP32 port, 2017) put no level before the driver's lines
    assert split_line("(6389) wifi: state: assoc -> init (4)") == ("state: assoc -> init (4)", 6389)
    assert detect(b"(979) wifi: STA_START\n(5379) wifi: state: init -> auth (b0)\n")[0] is PARSER


def test_a_full_join_in_colour_is_online(tmp_path: Path) -> None:
    log = (
        "\x1b[0;32mI (612) wifi:mode : sta (24:0a:c4:12:34:56)\x1b[0m\n"
        "\x1b[0;32mI (632) wifi:state: init -> auth (b0)\x1b[0m\n"
        "\x1b[0;32mI (642) wifi:state: auth -> assoc (0)\x1b[0m\n"
        "\x1b[0;32mI (652) wifi:state: assoc -> run (10)\x1b[0m\n"
        "\x1b[0;32mI (682) wifi:connected with Lab, aid = 3, channel 6, BW20, bssid = 24:a4:3c:11:22:33\x1b[0m\n"
        "\x1b[0;32mI (1702) esp_netif_handlers: sta ip: 192.168.1.51, mask: 255.255.255.0, gw: 192.168.1.1\x1b[0m\n"
    )
    events, summary = _parse(tmp_path, log)
    assert [e.kind for e in events] == [
        "auth.request",
        "auth.response",
        "assoc.request",
        "assoc.response",
        "sta.connected",
        "dhcp.ack",
    ]
    assert {e.station for e in events} == {"24:0a:c4:12:34:56"}  # the device's own MAC
    assert events[4].bssid == "24:a4:3c:11:22:33" and events[4].ssid == "Lab"
    assert events[5].attrs["ip"] == "192.168.1.51" and events[5].attrs["uptime_ms"] == 1702
    assert all(e.time is None for e in events)
    assert "\x1b" not in events[0].ref.text
    assert summary.coverage.unread == 0 and summary.coverage.understood == 6


def test_the_reason_code_of_a_state_change_to_init(tmp_path: Path) -> None:
    # the second byte is the reason: cc00 = 204 HANDSHAKE_TIMEOUT, 400 = 4 ASSOC_EXPIRE
    events, _ = _parse(
        tmp_path,
        "I (1) wifi:state: init -> auth (b0)\nI (2) wifi:state: auth -> assoc (0)\n"
        "I (3) wifi:state: assoc -> run (10)\nI (17495) wifi:state: run -> init (cc00)\n"
        "I (22325) wifi:state: init -> auth (b0)\nI (23875) wifi:state: auth -> assoc (0)\n"
        "I (25000) wifi:state: assoc -> init (400)\n",
    )
    timeout = next(e for e in events if e.kind == "eapol.timeout")
    assert timeout.attrs["vendor_reason"] == 204 and timeout.attrs["reason_name"] == "HANDSHAKE_TIMEOUT"
    assert timeout.attrs["waiting_for"] == "m1-or-m3"
    hint = next(e for e in events if e.kind == "key.mismatch.summary")
    assert hint.attrs["strength"] == "vendor-code" and hint.ref.line == 4
    deauth = [e for e in events if e.kind == "sta.deauth"]
    assert [(e.attrs["reason"], e.ref.line) for e in deauth] == [(4, 7)]


def test_esp8266_nonos_prints_the_80211_code_itself(tmp_path: Path) -> None:
    """NONOS numbers its states and prints the code as is, in hex: leaving the association state, the AP's
    status (0x1f = 31, PMF required; 0x12 = 18, basic rates), "STA disconnect: 203" after it the same
    failure; leaving the run state, the reason ("state: 5 -> 0 (2)")."""
    events, _ = _parse(
        tmp_path,
        "state: 0 -> 2 (b0)\nstate: 2 -> 3 (0)\nstate: 3 -> 0 (1f)\nwifi evt: 1\nSTA disconnect: 203\n"
        "state: 0 -> 2 (b0)\nstate: 2 -> 3 (0)\nstate: 3 -> 0 (12)\n"
        "state: 0 -> 2 (b0)\nstate: 2 -> 3 (0)\nstate: 3 -> 5 (10)\nstate: 5 -> 0 (2)\n",
    )
    rejects = [
        (e.ref.line, e.attrs.get("status"), e.attrs.get("vendor_reason"))
        for e in events
        if e.kind == "assoc.reject"
    ]
    assert rejects == [(3, 31, 203), (8, 18, 203)]
    [end] = [e for e in events if e.kind in ("sta.deauth", "sta.offline")]
    assert (end.ref.line, end.attrs["reason"]) == (12, 2)


def test_a_disconnect_told_twice_is_one_event_at_the_line_that_says_most(tmp_path: Path) -> None:
    events, summary = _parse(
        tmp_path,
        "[  6836][V][WiFiGeneric.cpp:362] _arduino_event_cb(): STA Disconnected: SSID: x, BSSID: xx, Reason: 15\n"
        "[  6837][D][WiFiGeneric.cpp:1039] _eventCallback(): Arduino Event: 5 - STA_DISCONNECTED\n"
        "[  6844][W][WiFiGeneric.cpp:1061] _eventCallback(): Reason: 15 - 4WAY_HANDSHAKE_TIMEOUT\n",
    )
    assert [(e.kind, e.ref.line) for e in events] == [("sta.deauth", 3), ("key.mismatch.summary", 3)]
    assert events[0].attrs["reason"] == 15 and events[0].bssid is None  # "xx" was masked by the poster
    assert summary.coverage.understood == 3


def test_two_disconnects_with_other_codes_stay_two(tmp_path: Path) -> None:
    events, _ = _parse(
        tmp_path,
        "[ 15305][W][WiFiGeneric.cpp:1062] _eventCallback(): Reason: 200 - BEACON_TIMEOUT\n"
        "[ 17743][W][WiFiGeneric.cpp:1062] _eventCallback(): Reason: 201 - NO_AP_FOUND\n",
    )
    assert [e.kind for e in events] == ["sta.deauth", "network.not_found"]
    assert events[0].attrs["vendor_reason"] == 200 and "reason" not in events[0].attrs


def test_a_station_online_that_loses_the_ap_goes_offline(tmp_path: Path) -> None:
    events, _ = _parse(
        tmp_path,
        "I (682) wifi:connected with Lab, channel 6\nI (1702) wifi station: got ip:192.168.1.51\n"
        "I (925063) wifi:bcn_timout,ap_probe_send_start\nI (927563) wifi:ap_probe_send over, resett wifi status to disassoc\n"
        "I (927563) wifi:state: run -> init (c800)\n",
    )
    assert [e.kind for e in events] == ["sta.connected", "dhcp.ack", "sta.offline"]
    assert events[2].attrs["vendor_reason"] == 200
    assert not any(e.kind == "key.mismatch.summary" for e in events)


def test_without_its_own_mac_the_station_is_named_by_the_file(tmp_path: Path) -> None:
    events, _ = _parse(tmp_path, "no z24 found, reconnect after 1s\nscandone\n")
    assert events[0].station == "esp@console.log" and events[0].kind == "network.not_found"


def test_never_silent_and_never_lost_to_a_bad_line(tmp_path: Path) -> None:
    events, summary = _parse(
        tmp_path,
        b"I (1) wifi:state: init -> auth (b0)\n"
        b"\xff\xfe\x00\x01\x02\x03\x04\x05\x06\x07garbage\n"
        b"E (2) wifi:EAPOL 4-way handshake failed with 24:a4:3c:11:22:33, deauth\n"
        b"I (3) wifi:state: auth -> init (200)\n",
    )
    # (AUTH_EXPIRE while authenticating: the authentication timed out)
    assert [e.kind for e in events] == ["auth.request", "auth.timeout"]
    assert events[1].attrs["reason"] == 2
    assert [p.line for p in summary.problems] == [2]
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 3


def test_detected_among_the_formats() -> None:
    for case in ("client-espidf-v3-hotspot-got-ip", "client-arduino-esp32-wrong-psk-reason15"):
        head = (DATA / "real" / case / "input.log").read_bytes()
        parser, _ = detect(head)
        assert parser is not None and parser.name == "espressif", case
    for other in (DATA / "hostap").glob("*.log"):
        assert PARSER.sniff(other.read_bytes()[:65536]) == 0, other.name


def test_a_wrong_password_on_an_esp32_ranks_the_key_first() -> None:
    case = DATA / "real" / "client-arduino-esp32-wrong-psk-reason15" / "input.log"
    report = diagnose_paths([str(case)], Options())
    (d,) = report.diagnoses
    top = d.causes[0]
    assert top.id == "4way-handshake-timeout/possible-wrong-key"
    assert any("Espressif" in r for r in top.why_confidence)
    # the advice is for the device, not for an AC or a Linux client
    steps = " ".join(top.fix + top.confirm)
    assert "esp_wifi_set_config" in steps and "station-trace" not in steps and "wpa_cli" not in steps


def test_a_reason_line_after_a_state_change_names_the_same_disconnect(tmp_path: Path) -> None:
    # MicroPython on an ESP32 (micropython/micropython#4842): "auth -> init (8a0)" then "reason:202"
    events, _ = _parse(
        tmp_path,
        "I (1060) wifi: state: init -> auth (b0)\nI (1070) wifi: state: auth -> init (8a0)\n"
        "I (1070) wifi: new:<1,0>, old:<1,0>, ap:<255,255>, sta:<1,0>, prof:1\n"
        "I (1070) wifi: STA_DISCONNECTED, reason:202\nauthentication failed\n"
        "I (3490) wifi: STA_DISCONNECTED, reason:201\nno AP found\n",
    )
    assert [(e.kind, e.ref.line) for e in events] == [
        ("auth.request", 1),
        ("auth.reject", 4),
        ("network.not_found", 6),
    ]


def test_esphome_and_tasmota_prefixes_and_wrapped_driver_lines(tmp_path: Path) -> None:
    """ESPHome passes the ESP-IDF driver's and the Arduino core's own lines on under its prefix
    (esphome/issues#1371); a serial monitor's stamp may come before a Tasmota line."""
    from wlandoctor.parsers.espressif import split_line

    assert split_line("[20:52:07][V][esp-idf:000]: I (289011) wifi: state: auth -> init (200)")[0] == (
        "state: auth -> init (200)"
    )
    assert split_line("[20:52:07][W][WiFiGeneric.cpp:353] _eventCallback(): Reason: 2 - AUTH_EXPIRE")[0] == (
        "Reason: 2 - AUTH_EXPIRE"
    )
    assert split_line("[C][wifi]: Connecting to 'home'...")[0] == "Connecting to 'home'..."
    assert split_line("[15:01:18]00:00:00.066-026 WIF: Connected")[0] == "WIF: Connected"
    events, _ = _parse(
        tmp_path,
        "[20:52:07][V][esp-idf:000]: I (289011) wifi: state: init -> auth (b0)\n"
        "[20:52:07][V][esp-idf:000]: I (289011) wifi: state: auth -> init (200)\n"
        "[20:52:07][W][WiFiGeneric.cpp:353] _eventCallback(): Reason: 2 - AUTH_EXPIRE\n",
    )
    assert [(e.kind, e.ref.line) for e in events] == [("auth.request", 1), ("auth.timeout", 3)]
