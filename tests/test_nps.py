"""Windows Network Policy Server: its audit events (Security log 6272/6273, read with the other Windows events
in parsers/windows.py) and its own log file (parsers/nps.py): the station is the request's
Calling-Station-Id, NPS's Reason Code tells the rules why it refused."""

from __future__ import annotations

from pathlib import Path

from readers import read
from wlandoctor.parsers import detect
from wlandoctor.pipeline import Options, diagnose_paths

REAL = Path(__file__).parent / "data" / "real"
DTS = REAL / "srv-nps-dts-mac-machine-auth-reason8" / "input.log"
EVENT = REAL / "srv-nps-6273-reason7-domain-not-found" / "input.log"


def test_the_nps_log_pairs_each_answer_with_its_request_by_class() -> None:
    """The reject names no station: its Class is the request's (lines 1-2, 3-4 of a real log)."""
    assert detect(DTS.read_bytes()[:65536])[0].name == "nps"
    events, summary = read("nps", DTS)
    got = [(e.ref.line, e.kind, e.station, e.attrs.get("reason_code")) for e in events]
    assert got == [
        (1, "radius.request", "f8:1e:df:e8:84:5a", None),
        (2, "radius.reject", "f8:1e:df:e8:84:5a", 8),
        (3, "radius.request", "b8:e8:56:36:b6:58", None),
        (4, "radius.challenge", "b8:e8:56:36:b6:58", None),
    ]
    assert events[1].attrs["credential"] == "wrong" and events[1].attrs["reason_name"] == "IAS_NO_SUCH_USER"
    assert summary.coverage.unread == 0


def test_a_vpn_request_and_an_answer_without_its_request(tmp_path: Path) -> None:
    """A VPN port's request (NAS-Port-Type 5, Virtual) is no station's; an answer whose request is not in the
    input is said as not understood, never given to another station."""
    lines = DTS.read_text(encoding="utf-8").splitlines()
    vpn = lines[0].replace(
        '<NAS-Port-Type data_type="0">19</NAS-Port-Type>', '<NAS-Port-Type data_type="0">5</NAS-Port-Type>'
    )
    path = tmp_path / "IN2405.log"
    path.write_text("\n".join([vpn, lines[3]]) + "\n", encoding="utf-8")
    events, summary = read("nps", path)
    assert events == []
    assert summary.coverage.unread == 1 and summary.coverage.first[0][0] == 2


def test_a_denied_event_gives_the_reason_the_rules_take() -> None:
    """6273 with Reason Code 7 (the domain does not exist), beside NPS's 4402 (no domain controller for it):
    the server could not ask its directory; the advice is NPS's."""
    (d,) = diagnose_paths([str(EVENT)], Options()).diagnoses
    assert (d.station, str(d.verdict), str(d.stage)) == ("b8:e8:56:a8:d4:d9", "failed", "802.1x")
    assert d.causes[0].id == "radius-reject/directory-unreachable"
    assert any("4402" in step and "NPS" in step for step in d.causes[0].fix)


def test_each_reason_code_ranks_its_cause(tmp_path: Path) -> None:
    """The real reject with other Reason Codes: 16 a wrong password, 48 no policy, 66 a method the policy does
    not allow, 265 a certificate from an untrusted authority."""
    lines = DTS.read_text(encoding="utf-8").splitlines()
    want = {
        16: "radius-reject/bad-credentials",
        48: "radius-reject/no-matching-policy",
        66: "radius-reject/method-not-agreed",
        265: "radius-reject/client-certificate-rejected",
    }
    for code, cause in want.items():
        path = tmp_path / f"IN{code}.log"
        reject = lines[1].replace(
            '<Reason-Code data_type="0">8</Reason-Code>', f'<Reason-Code data_type="0">{code}</Reason-Code>'
        )
        path.write_text("\n".join([lines[0], reject]) + "\n", encoding="utf-8")
        (d,) = diagnose_paths([str(path)], Options()).diagnoses
        assert d.causes[0].id == cause, (code, [c.id for c in d.causes[:3]])


def test_a_denied_event_copied_as_text_only(tmp_path: Path) -> None:
    """The same events without their Event Xml (Event Viewer's General tab, or a paste that broke each
    "Label:<tabs>value" line in two): read from their English labels."""
    import re

    text = re.sub(r"Event Xml:.*?(?=Log Name:|\Z)", "", EVENT.read_text(encoding="utf-8"), flags=re.S)
    assert "<Event" not in text
    path = tmp_path / "nps.txt"
    path.write_text(text, encoding="utf-8")
    (d,) = diagnose_paths([str(path)], Options()).diagnoses
    assert (d.station, str(d.verdict), d.causes[0].id) == (
        "b8:e8:56:a8:d4:d9",
        "failed",
        "radius-reject/directory-unreachable",
    )
    cited = d.causes[0].evidence[0]
    assert "ReasonCode=7" in cited.text
