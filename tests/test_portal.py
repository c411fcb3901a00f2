"""A captive portal's lines in an OpenWrt log (parsers/portal.py): the station of a line that names an IP
address, the portal's own errors, and the rule portal-login-refused."""

from __future__ import annotations

from pathlib import Path

from readers import read
from wlandoctor.model import InputSummary
from wlandoctor.parsers.portal import MAX_LEASES, PortalLines
from wlandoctor.pipeline import Options, diagnose_paths

# f00b4r0/uspot#10, as posted (tests/data/real/srv-uspot-portal-radius-invalid)
REAL = Path(__file__).parent / "data" / "real" / "srv-uspot-portal-radius-invalid" / "input.log"
# radcli's error as posted in f00b4r0/uspot#4 (the same router family, uspot in RADIUS mode)
RADCLI = (
    "Mon Apr 15 09:22:20 2024 user.err : radcli: rc_read_dictionary: rc_read_dictionary couldn't open "
    "dictionary /etc/radcli/dictionary: No such file or directory"
)


def test_the_portal_line_names_the_station_the_dhcp_lease_gave_its_address() -> None:
    events, summary = read("hostap", REAL)
    portal = [e for e in events if e.kind.startswith("portal.")]
    assert [(e.kind, e.ref.line, e.station, e.attrs["ip"]) for e in portal] == [
        ("portal.pending", 6, "de:87:26:xx:xx:xx", "10.0.0.39"),
        ("portal.error", 7, "de:87:26:xx:xx:xx", "10.0.0.39"),
    ]
    assert portal[1].attrs["what"] == "invalid-credentials"
    assert summary.coverage.ratio == 1.0 and summary.problems == [] and summary.notes == []


def test_without_a_dhcp_line_the_address_stands_for_the_station_and_a_note_says_so(tmp_path: Path) -> None:
    lines = REAL.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "no-dhcp.log"
    path.write_text("\n".join(ln for ln in lines if "dnsmasq" not in ln) + "\n", encoding="utf-8")
    report = diagnose_paths([str(path)], Options())
    by_station = {d.station: d for d in report.diagnoses}
    portal = by_station["10.0.0.39"]
    assert (str(portal.verdict), str(portal.stage)) == ("failed", "authorization")
    assert portal.causes[0].rule == "portal-login-refused"
    assert any("10.0.0.39" in n and "DHCP" in n for n in report.inputs[0].notes)


def test_the_radius_client_error_puts_the_portal_setup_first(tmp_path: Path) -> None:
    path = tmp_path / "radcli.log"
    path.write_text(RADCLI + "\n" + REAL.read_text(encoding="utf-8"), encoding="utf-8")
    report = diagnose_paths([str(path)], Options())
    d = next(x for x in report.diagnoses if x.station == "de:87:26:xx:xx:xx")
    assert d.causes[0].id == "portal-login-refused/portal-radius-client"
    assert d.causes[0].confidence > 0.7
    assert any("dictionary" in r for r in d.causes[0].why_confidence)
    # the advice is OpenWrt's, where the evidence came from: no other platform's commands
    steps = " ".join(d.causes[0].fix + d.causes[0].confirm)
    assert "uspot" in steps and "display aaa" not in steps and "diagnose" not in steps


def test_a_portal_line_with_no_valid_address_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.log"
    path.write_text(
        REAL.read_text(encoding="utf-8")
        + "Mon Apr 15 09:22:26 2024 daemon.err uhttpd[2262]: uspot: 10.0.0.999 - invalid credentials\n",
        encoding="utf-8",
    )
    events, summary = read("hostap", path)
    assert [p.line for p in summary.problems] == [8]
    assert "valid client address" in summary.problems[0].message
    assert [e.ref.line for e in events if e.kind == "portal.error"] == [7]


def test_the_leases_remembered_are_bounded() -> None:
    lines = PortalLines(InputSummary("x", "hostap"))
    for i in range(MAX_LEASES + 10):
        lines.lease(
            f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", f"02:00:00:00:{i >> 8 & 255:02x}:{i & 255:02x}"
        )
    assert len(lines.leases) == MAX_LEASES
    assert "10.0.0.0" not in lines.leases and "10.0.0.10" in lines.leases
