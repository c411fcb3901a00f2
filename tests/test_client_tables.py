"""Controller client tables (parsers/cli_tables.py): each client's state when the command ran, read from real
outputs of Cisco 9800 ``show wireless client summary``, AireOS ``show client summary`` and ``show client
detail``, and Aruba Instant ``show clients`` (the real-log corpus holds them with their sources)."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import Diagnosis, Report
from wlandoctor.pipeline import Options, diagnose_paths

REAL = Path(__file__).parent / "data" / "real"
SUMMARY_9800 = REAL / "cisco9800-show-wireless-client-summary-run-iplearn-webauth" / "input.log"
SUMMARY_AIREOS = REAL / "cisco-aireos-me1815-show-client-summary-16-associated" / "input.log"
DETAIL_AIREOS = REAL / "cisco-aireos-me1815-show-client-detail-psk-run" / "input.log"
ARUBA_CLIENTS = REAL / "aruba-iap515-show-clients-21-online" / "input.log"


def _report(path: Path) -> Report:
    return diagnose_paths([str(path)], Options())


def _by_station(report: Report) -> dict[str, Diagnosis]:
    return {d.station: d for d in report.diagnoses}


def _stage(d: Diagnosis) -> str | None:
    """The failing stage, or for a client still on its way the furthest stage its state shows."""
    stage = d.stage or d.timeline.attempts[-1].reached
    return str(stage) if stage else None


def test_9800_summary_gives_each_state_its_stage() -> None:
    report = _report(SUMMARY_9800)
    assert report.inputs[0].format == "cisco-wlc"
    got = {s: (str(d.verdict), _stage(d)) for s, d in _by_station(report).items()}
    assert got["58:bf:ea:58:b3:99"][0] == "online"  # Run
    assert got["58:bf:ea:a4:c6:01"] == ("incomplete", "dhcp")  # IP Learn
    assert got["58:bf:ea:e8:9e:46"] == ("incomplete", "802.1x")  # Authenticating, Dot1x
    assert got["58:bf:ea:15:f3:11"] == ("incomplete", "authorization")  # Webauth Pending
    assert got["58:bf:ea:8a:20:e6"] == ("failed", "association")  # Excluded (the second table)
    assert len(got) == 15
    # each client's evidence is its row, and its advice is the 9800's
    excluded = _by_station(report)["58:bf:ea:8a:20:e6"]
    assert excluded.causes and excluded.causes[0].evidence[0].line == 23
    assert any("9800" in step for step in excluded.causes[0].fix)


def test_aireos_summary_associated_with_auth_yes_is_connected() -> None:
    report = _report(SUMMARY_AIREOS)
    assert report.inputs[0].format == "cisco-wlc"
    assert len(report.diagnoses) == 16
    assert all(str(d.verdict) == "online" for d in report.diagnoses)
    assert report.inputs[0].coverage.unread == 0


def test_aireos_detail_with_dot_leaders_is_read_to_its_policy_state() -> None:
    report = _report(DETAIL_AIREOS)
    [d] = report.diagnoses
    assert d.station == "84:5c:f3:48:ff:30" and str(d.verdict) == "online"
    events = [e for a in d.timeline.attempts for e in a.events]
    assert {e.attrs.get("daemon") for e in events} == {"cisco-aireos"}
    assert any(e.kind == "dhcp.ack" and e.attrs.get("ip") == "192.168.122.169" for e in events)


def test_aruba_show_clients_rows_with_an_address_are_online() -> None:
    report = _report(ARUBA_CLIENTS)
    assert report.inputs[0].format == "aruba"
    assert len(report.diagnoses) == 21
    assert all(str(d.verdict) == "online" for d in report.diagnoses)
    # a row without a Name column is read too (the IP then starts the row)
    nameless = _by_station(report)["3a:f1:69:4e:52:69"]
    assert any(e.attrs.get("ip") == "192.168.122.106" for a in nameless.timeline.attempts for e in a.events)


def test_a_prompt_ends_the_table(tmp_path: Path) -> None:
    """After the CLI prompt, a line shaped like a row is not read as one (the next command's output)."""
    lines = SUMMARY_AIREOS.read_text(encoding="utf-8").splitlines()
    row = next(ln for ln in lines if ln.startswith("04:03:d6:d8:57:5f"))
    path = tmp_path / "two-commands.log"
    moved = row.replace("04:03:d6:d8:57:5f", "04:03:d6:d8:57:60")
    path.write_text(
        "\n".join([*lines, "(Cisco Controller) >show something else", moved]) + "\n", encoding="utf-8"
    )
    stations = _by_station(_report(path))
    assert "04:03:d6:d8:57:5f" in stations and "04:03:d6:d8:57:60" not in stations


def test_a_hostile_row_is_bounded_and_said(tmp_path: Path) -> None:
    """A row of thousands of tokens that almost fit the template: read in bounded time (the row's first
    512 characters), said as not understood, and the real rows around it are still read."""
    lines = ARUBA_CLIENTS.read_text(encoding="utf-8").splitlines()
    hostile = "x 192.168.1.1 00:11:22:33:44:55 NOFP " + "a 11 GN " * 20000
    path = tmp_path / "hostile.log"
    path.write_text("\n".join([*lines[:8], hostile, *lines[8:]]) + "\n", encoding="utf-8")
    report = _report(path)
    assert len(report.diagnoses) == 21
    assert report.inputs[0].coverage.unread >= 1


def test_aireos_exclusion_list_manual_entries_are_an_administrators_block() -> None:
    """AireOS `show exclusionlist` (ntc-templates' real sample): each Manually Disabled Client is failed at
    association, an administrator's block list ranked first, its description kept as the reason."""
    path = REAL / "cisco-aireos-show-exclusionlist-manually-disabled" / "input.log"
    by = _by_station(_report(path))
    d = by["00:22:43:cc:ac:2d"]
    assert (str(d.verdict), str(d.stage)) == ("failed", "association")
    assert d.causes[0].id == "sta-blacklisted/static-blacklist"
    blocked = [e for a in d.timeline.attempts for e in a.events if e.kind == "sta.blacklisted"]
    assert blocked[0].attrs["reason_text"] == "request #6aa493" and blocked[0].attrs["static"] is True
