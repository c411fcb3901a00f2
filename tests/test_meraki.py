"""Cisco Meraki MR event logs (parsers/meraki.py): header forms, a client named through its association id,
a disassociation telling the address the client had or its failed authentication, and detection."""

from __future__ import annotations

from pathlib import Path

from readers import read
from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

DATA = Path(__file__).parent / "data"


def _events(path: Path) -> tuple[list[Event], InputSummary]:
    return read("meraki", path)


def test_header_forms_and_a_client_named_by_its_association_id() -> None:
    events, summary = _events(DATA / "meraki" / "header-forms.log")
    got = [(e.ref.line, e.kind, e.station, e.ap) for e in events]
    assert got == [
        (3, "dhcp.ack", "e4:f4:18:79:1f:e1", "game_Office_DMC_47_Floor"),
        (3, "sta.disassoc", "e4:f4:18:79:1f:e1", "game_Office_DMC_47_Floor"),
        (4, "assoc.response", "b0:a4:60:9b:3b:a6", "AP1"),
        (5, "eap.failure", "b0:a4:60:9b:3b:a6", "MR18"),  # no client_mac: its aid is line 4's
    ]
    ack, disassoc, assoc, _ = events
    assert ack.attrs["ip"] == "89.160.20.112" and ack.time == 1736917251.80299317
    assert disassoc.attrs["duration_s"] == 1869.922025769 and disassoc.attrs["reason"] == 1
    assert assoc.attrs["snr"] == 40
    # lines 1 and 2 name no client and no association seen before: not read, and said
    assert summary.coverage.unread == 2 and [n for n, _ in summary.coverage.first] == [1, 2]


def test_a_failed_8021x_negotiation_is_a_failure_at_8021x() -> None:
    """A disassociation with auth_neg_failed='1' and is_8021x='1', reason 23 (IEEE 802.1X authentication
    failed): the station failed at 802.1X, and the cause is the EAP failure."""
    [d] = diagnose_paths([str(DATA / "meraki" / "sentinel-8021x-failures.log")]).diagnoses
    assert (d.verdict, d.stage) == ("failed", "802.1x")
    assert d.causes and d.causes[0].rule == "eap-failure"
    assert len(d.timeline.attempts) == 2


def test_meraki_logs_are_detected_as_meraki_and_others_are_not() -> None:
    for path in (
        DATA / "meraki" / "header-forms.log",
        DATA / "real" / "ap-meraki-mr-events-elastic-fixture" / "input.log",
    ):
        assert detect(path.read_bytes())[0] is by_name("meraki"), path
    for other in ("hostap/healthy_openwrt_logread_dhcp.log", "mikrotik/prefix-forms.log"):
        assert detect((DATA / other).read_bytes())[0] is not by_name("meraki"), other
