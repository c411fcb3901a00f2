"""Never silent: relevant lines not understood are counted and shown per input and per station; formats are
detected past junk; interface names are learnt from the log, not from a naming rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wlandoctor.model import InputSummary
from wlandoctor.parsers.hostap import PARSER
from wlandoctor.parsers.relevance import looks_relevant
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources import Input

ROOT = Path(__file__).parent.parent
REAL = Path(__file__).parent / "data" / "real"
UNREAD = Path(__file__).parent / "data" / "unread"  # real inputs in formats not read yet
FOUNDING = ROOT / "examples" / "cached-pmk-case-study.txt"
HAASMESH = Path(__file__).parent / "data" / "hostap" / "haasmesh_issue2_psk_mismatch.log"


def wlandoctor(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args], capture_output=True, timeout=120, check=False
    )
    assert done.returncode in (0, 1, 3), done.stderr  # 3: no input understood
    return done.stdout.decode()


def parse_text(text: str, name: str = "t.log") -> tuple[list[str], InputSummary]:
    s = InputSummary(name, "hostap")
    events = list(PARSER.parse(Input.from_bytes(name, text.encode()), s))
    return [f"{e.kind} {e.station} {e.attrs.get('iface')}" for e in events], s


# A real line (haasmesh#2) with the interface names real devices use, none of which a naming rule of
# "a digit or a dash, no underscore" accepted.
LINE = "Sat Aug 14 17:35:39 2021 daemon.info hostapd: {iface}: STA a4:34:d9:be:76:2f WPA: pairwise key handshake completed (RSN)"


@pytest.mark.parametrize(
    "iface", ["wlan0-1", "vap", "ath", "wlan0_ap", "wifi", "wl0.1", "ra0", "uap0", "br_wifi"]
)
def test_any_interface_name_before_a_known_message_is_an_interface(iface: str) -> None:
    events, s = parse_text(LINE.format(iface=iface))
    assert events == [f"handshake.success a4:34:d9:be:76:2f {iface}"]
    assert s.coverage.unread == 0 and s.coverage.understood == 1


def test_an_interface_named_by_the_log_is_one_later_too() -> None:
    # wpa_supplicant -d: the interface is named once, its later lines are module traces
    text = (
        "1700000000.1: Initializing interface 'wifi' conf '/etc/wpa.conf' driver 'nl80211'\n"
        "1700000000.2: wifi: Own MAC address: 02:00:00:00:03:00\n"
        "1700000001.0: wifi: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]\n"
    )
    events, s = parse_text(text)
    assert events == ["sta.connected 02:00:00:00:03:00 wifi"]
    assert s.coverage.unread == 0


def test_a_relevant_line_not_understood_is_counted_shown_and_tied_to_its_station(tmp_path: Path) -> None:
    # a real log (haasmesh#2) with one more hostapd message (src/ap/wpa_auth.c: "received EAPOL-Key %s
    # with unexpected replay counter") that no message of the parser covers
    lines = HAASMESH.read_text().splitlines()
    odd = "Sat Aug 14 17:35:40 2021 daemon.info hostapd: wlan0-1: STA a4:34:d9:be:76:2f WPA: received EAPOL-Key 4/4 Pairwise with unexpected replay counter"
    path = tmp_path / "log.txt"
    path.write_text("\n".join([*lines, odd]) + "\n")
    report = diagnose_paths([str(path)], Options())
    [inp] = report.inputs
    assert inp.coverage.unread == 1
    assert inp.coverage.first == [(len(lines) + 1, odd)]
    assert any(
        p.line == len(lines) + 1 and "1 line looks like onboarding events but was not understood" in p.message
        for p in inp.problems
    )
    [d] = [d for d in report.diagnoses if d.station == "a4:34:d9:be:76:2f"]
    assert d.unread_count == 1 and d.unread == [(str(path), len(lines) + 1)]
    data = json.loads(wlandoctor("diagnose", str(path), "--format", "json", "--exit-zero"))
    assert data["inputs"][0]["coverage"]["unread"] == 1
    assert 0 < data["inputs"][0]["coverage"]["ratio"] < 1
    [st] = [st for st in data["stations"] if st["station"] == "a4:34:d9:be:76:2f"]
    assert st["unread_lines"] == {"count": 1, "first": [{"input": 0, "line": len(lines) + 1}]}


@pytest.mark.parametrize("case", sorted(p for p in UNREAD.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_a_log_of_an_unknown_format_with_onboarding_lines_is_never_simply_empty(case: Path) -> None:
    # real logs of platforms no parser reads yet (tests/data/unread/README.md), e.g. MikroTik's manual
    path = case / "input.log"
    out = wlandoctor("diagnose", str(path), "--exit-zero")
    assert "No station found, but" in out
    assert "look like onboarding events" in out
    report = diagnose_paths([str(path)], Options())
    [inp] = report.inputs
    assert inp.format == "unknown" and inp.coverage.unread > 0 and inp.coverage.ratio == 0


def test_detection_reads_past_junk_before_the_content(tmp_path: Path) -> None:
    founding = FOUNDING.read_bytes()
    for junk in (
        b"x" * (3 * 1024 * 1024) + b"\n",
        bytes(range(256)) * 1024 + b"\n",
        b"Hello,\nsee below.\n" * 9000,
    ):
        path = tmp_path / "ticket.txt"
        path.write_bytes(junk + founding)
        report = diagnose_paths([str(path)], Options())
        [inp] = report.inputs
        assert inp.format == "huawei-ac"
        assert any("recognised as huawei-ac from byte" in n for n in inp.notes)
        assert any(d.verdict == "failed" and d.stage == "4way-handshake" for d in report.diagnoses)


def test_relevance_needs_a_station_or_a_wifi_daemon_and_onboarding_words() -> None:
    assert looks_relevant(
        "Jul 20 00:21:07 host kernel: wlan0: deauthenticating from 68:a0:3e:71:6d:64 by local choice"
    )
    assert looks_relevant(
        "Mar 03 17:31:33 h NetworkManager[1365]: <info> device (wlp0s21f0u7i2): Activation: (wifi) association took too long"
    )
    assert not looks_relevant("Jul 20 00:21:07 host sshd[12]: Accepted publickey for root from 10.0.0.2")
    assert not looks_relevant(
        "Jul 20 00:21:07 host kernel: usb 1-1: new high-speed USB device number 2 using xhci_hcd"
    )
    # a trace the parser knows carries no event (parsers/known_chatter.txt)
    assert not looks_relevant("1700000012.4: WPA: 02:00:00:00:02:00 WPA_PTK entering state PTKSTART")
    # a Wi-Fi driver's own frame log names the frame, not "authentication" (a MediaTek radio of a UniFi AP)
    assert looks_relevant(
        "kernel: [772918.016710] ra1:[recv auth_req] TA:[02:00:00:00:00:01], RA:[02:00:00:00:00:02] "
        "machdr_seq=1170, auth algo=0, seq=1, status=0, rssi=-49"
    )
    # its timing lines name no station
    assert not looks_relevant(
        "f492bfa5743c,U6-Lite-5.60.9+12980: kernel: [6708996.200743] peer_auth_req: 341 usec"
    )


@pytest.mark.parametrize("order", ["huawei-first", "hostap-first"])
def test_a_ticket_holding_two_formats_reads_each_part_with_its_parser(tmp_path: Path, order: str) -> None:
    # the founding case (Huawei AC output) and haasmesh#2 (OpenWrt logread) pasted one after the other
    huawei, hostap = FOUNDING.read_text(), HAASMESH.read_text()
    ticket = tmp_path / "ticket.txt"
    ticket.write_text(huawei + hostap if order == "huawei-first" else hostap + huawei)
    report = diagnose_paths([str(ticket)], Options())
    assert sorted(s.format for s in report.inputs) == ["hostap", "huawei-ac"]
    assert all(any("the file holds several formats" in n for n in s.notes) for s in report.inputs)
    if order == "huawei-first":  # 12 lines each
        notes = {s.format: s.notes for s in report.inputs}
        assert "lines 1-12 read as huawei-ac (the file holds several formats)" in notes["huawei-ac"]
        assert "lines 13-24 read as hostap (the file holds several formats)" in notes["hostap"]
    by = {d.station: d for d in report.diagnoses}
    assert by["yyyy-yyyy-yyyy"].causes[0].id == "4way-m2-mic-mismatch/stale-cached-key"
    assert by["8a:19:02:28:12:a8"].causes[0].rule == "4way-m2-mic-mismatch"
    assert by["a4:34:d9:be:76:2f"].verdict == "online"
    # every line is read by the part it belongs to: the hostap part understands all its relevant lines
    [hp] = [s for s in report.inputs if s.format == "hostap"]
    assert hp.coverage.unread == 0
    # evidence names the line of the whole file, in whichever part it is
    lines = ticket.read_text().splitlines()
    for d in report.diagnoses:
        for c in d.causes[:1]:
            for ev in c.evidence:
                assert ev.text.split("  ")[0][:40] in lines[ev.line - 1], (ev.line, ev.text[:60])


def test_a_client_tables_row_counts_as_relevant_even_without_onboarding_words() -> None:
    """A controller's client table names stations with their addresses and states, not with onboarding
    words: an unknown table's rows must be said as not understood, not pass as irrelevant (real rows of the
    9800 and Aruba Instant tables of the corpus).  A single-spaced line (`ip neigh`) is no table."""
    real = Path(__file__).parent / "data" / "real"
    rows = [
        (real / "cisco9800-show-wireless-client-summary-run-iplearn-webauth" / "input.log", "58bf.ea58.b399"),
        (real / "aruba-iap515-show-clients-21-online" / "input.log", "b8:20:8e:1b:78:e8"),
    ]
    for path, mac in rows:
        row = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if mac in ln)
        assert looks_relevant(row), row
    assert not looks_relevant("192.168.1.1 dev wlan0 lladdr aa:bb:cc:dd:ee:ff REACHABLE")


def test_an_input_no_reader_understands_that_speaks_of_wifi_is_said(tmp_path: Path) -> None:
    """Never silent: a console whose lines name neither a station nor a Wi-Fi daemon (an embedded client:
    "{WL} start auth to <BSSID>", "wifi got ip ...") in a form no reader knows is said with its lines, not
    reported as an empty input."""
    path = tmp_path / "console.log"
    path.write_text(
        "boot ok\n{WL} join begin\n{WL} start auth to 50:64:2b:34:88:9e\n{WL} assoc ok\nwifi got ip 10.0.0.5\n"
        "hello\n"
    )
    [inp] = diagnose_paths([str(path)], Options()).inputs
    [said] = [p for p in inp.problems if "speak of Wi-Fi" in p.message]
    assert said.line == 3 and "3 lines speak of Wi-Fi" in said.message and "(line 3, 4, 5;" in said.message
    out = wlandoctor("diagnose", str(path), "--exit-zero")
    assert "No station found, but 3 lines in the inputs speak of Wi-Fi in a form no reader knows" in out
    data = json.loads(wlandoctor("diagnose", str(path), "--format", "json", "--exit-zero"))
    assert data["inputs"][0]["coverage"]["hinted"] == 3
    # the same words in an input that gave events are weighed by the coverage, not said again
    good = tmp_path / "good.log"
    good.write_text(
        "wlan0: CTRL-EVENT-CONNECTED - Connection to 50:64:2b:34:88:9e completed [id=0 id_str=]\n"
        "{WL} join begin\n"
    )
    [inp] = diagnose_paths([str(good)], Options()).inputs
    assert not any("speak of Wi-Fi" in p.message for p in inp.problems)
    # and nothing is said of an input with no Wi-Fi word at all
    other = tmp_path / "other.log"
    other.write_text("boot ok\nmounting /data\nhello\n")
    [inp] = diagnose_paths([str(other)], Options()).inputs
    assert not any("speak of Wi-Fi" in p.message for p in inp.problems)


def test_the_lines_that_speak_of_wifi_are_counted_to_a_bound(tmp_path: Path) -> None:
    """A large input of another kind is not searched to its end for them: past HINTS_COUNTED, "or more"."""
    from wlandoctor.model.diagnosis import HINTS_COUNTED

    path = tmp_path / "console.log"
    path.write_text("".join(f"{{WL}} assoc try {i}\n" for i in range(HINTS_COUNTED + 500)), encoding="utf-8")
    [inp] = diagnose_paths([str(path)], Options()).inputs
    assert inp.hinted_lines() == HINTS_COUNTED
    [said] = [p for p in inp.problems if "speak of Wi-Fi" in p.message]
    assert f"{HINTS_COUNTED} or more lines speak of Wi-Fi" in said.message
