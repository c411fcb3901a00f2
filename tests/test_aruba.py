"""Aruba authentication trace (parsers/aruba.py): rows as the CLI prints them and as a page collapsed
them, 802.1X accepted and rejected, a wrong passphrase, and detection beside the other formats."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths
from wlandoctor.sources import Input

DATA = Path(__file__).parent / "data"
WPA3 = DATA / "aruba" / "iap-wpa3-8021x-accept-and-reject.log"


def test_rows_with_collapsed_columns_are_read() -> None:
    parser = by_name("aruba")
    assert parser is not None
    path = DATA / "aruba" / "kb-collapsed-columns.log"
    summary = InputSummary(str(path), "aruba")
    events = list(parser.parse(Input.from_path(path), summary))
    assert [(e.kind, e.station, e.bssid) for e in events] == [
        ("assoc.response", "00:19:7d:b8:b4:51", "00:0b:86:ae:31:91"),
        ("sta.connected", "00:19:7d:b8:b4:51", None),  # (the all-zero BSSID names no AP)
    ]
    assert events[0].attrs["security"] == "open system" and events[1].attrs["vlan"] == 400


def test_8021x_accepted_and_rejected() -> None:
    report = diagnose_paths([str(WPA3)])
    by = {d.station: d for d in report.diagnoses}
    ok = by["70:d8:23:00:e9:e3"]
    assert ok.verdict == "online" and not ok.causes
    bad = by["70:d8:23:00:f2:bc"]
    assert (bad.verdict, bad.stage) == ("failed", "802.1x")
    assert bad.causes[0].rule == "radius-reject"
    assert 34 in {e.line for e in bad.causes[0].evidence}  # the rad-reject row
    [inp] = report.inputs
    assert inp.coverage.unread == 0 and inp.problems == []


def test_aruba_traces_are_detected_and_others_are_not() -> None:
    for path in (WPA3, DATA / "real" / "ap-aruba-iap505-auth-trace-wrong-psk" / "input.log"):
        assert detect(path.read_bytes())[0] is by_name("aruba"), path
    for other in (
        "hostap/healthy_openwrt_logread_dhcp.log",
        "mikrotik/prefix-forms.log",
        "meraki/header-forms.log",
    ):
        assert detect((DATA / other).read_bytes())[0] is not by_name("aruba"), other
