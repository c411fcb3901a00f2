"""wpa_supplicant's network selection (parsers/wpa_selection.py): a BSS of the configured network passed over
for its settings is the station ruling its network out; a round that chooses a BSS is nothing.

The inputs are real logs of the corpus: tests/data/real/client-gentoo-... (a TKIP group cipher refused by a
build without TKIP), client-rpi-cm4-... (a WPA3-only AP against a WPA-PSK profile) and client-wpasupplicant-
b43-... (journald: other SSIDs skipped, the network's BSS selected).
"""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.hostap import PARSER
from wlandoctor.parsers.wpa_selection import Rejection, Selection, reason_of, reasons
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources import Input

REAL = Path(__file__).parent / "data" / "real"
GENTOO = REAL / "client-gentoo-wpa-supplicant-no-tkip-group-cipher-rejected" / "input.log"
WPA3 = REAL / "client-rpi-cm4-ax210-wpa3-6ghz-key-mgmt-mismatch" / "input.log"
SELECTED = REAL / "client-wpasupplicant-b43-sae-assoc-reject-status31" / "input.log"


def _events(path: Path) -> list[Event]:
    inp = Input.from_path(path)
    try:
        return list(PARSER.parse(inp, InputSummary(inp.name, PARSER.name)))
    finally:
        inp.close()


def _rejections(path: Path) -> list[Event]:
    return [e for e in _events(path) if e.kind == "network.rejected"]


def test_a_tkip_group_cipher_refused_is_a_cipher_rejection_naming_tkip() -> None:
    (ev,) = _rejections(GENTOO)
    assert ev.attrs["why"] == "cipher"
    assert ev.attrs["cipher"] == "TKIP"  # from "invalid group cipher 0x8 (000fac02)"
    assert ev.attrs["detail"].split("; ") == [
        "parse failed",
        "GTK cipher mismatch",
        "reject due to mismatch with WPA/WPA2",
    ]
    assert ev.ssid == "MY_SSID"
    assert ev.bssid is None  # (the poster masked it: xx:xx:xx:xx:xx:xx)
    assert ev.ref.line == 15  # the BSS's first reason


def test_a_key_management_mismatch_names_the_ap_and_ssid() -> None:
    (ev,) = _rejections(WPA3)
    assert ev.attrs["why"] == "key-management"
    assert ev.bssid == "c8:9e:43:13:4a:81"
    assert ev.ssid == "mynetwork-6g"


def test_a_round_that_selects_a_bss_gives_no_rejection_and_its_lines_are_understood() -> None:
    assert _rejections(SELECTED) == []
    report = diagnose_paths([str(SELECTED)], Options())
    assert not [c for d in report.diagnoses for c in d.causes if c.rule == "network-rejected-at-selection"]
    (inp,) = report.inputs
    assert not [p for p in inp.problems if "Selecting BSS" in p.message or "skip" in p.message]


def _real_lines(path: Path, first: int, last: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[first - 1 : last]


def test_the_selection_state_machine_on_real_lines() -> None:
    gentoo = [ln.removeprefix("wlp3s0: ") for ln in _real_lines(GENTOO, 11, 17)]
    chosen = _real_lines(SELECTED, 8, 8)[0].split("wlan0: ", 1)[1]  # "   selected BSS 02:f0:..."

    def run(lines: list[str]) -> list[Rejection]:
        sel, out = Selection(), []
        for n, line in enumerate(lines, 1):
            seen, ended = sel.read(line, n, line, None)
            assert seen, line
            if ended is not None:
                out.append(ended)
        end = sel.end()
        return out + ([end] if end is not None else [])

    # the real round alone: a rejection at the end of the input
    assert len(run(gentoo)) == 1
    # the same round, then a BSS chosen: nothing
    assert run([*gentoo, chosen]) == []
    # the same round closed by wpa_supplicant's own verdict: one rejection, at that line
    (r,) = run([*gentoo, "No suitable network found"])
    assert r.why == "cipher"


def test_the_reason_table_holds_every_group_the_rule_names_and_the_longest_match_wins() -> None:
    rule = (
        Path(__file__).parents[1]
        / "src"
        / "wlandoctor"
        / "kb"
        / "rules"
        / "network-rejected-at-selection.yaml"
    ).read_text(encoding="utf-8")
    groups = {g for g in reasons().why.values() if g is not None} - {"mismatch"}
    for g in groups:
        assert g in rule, f"reason group {g!r} is named by no hypothesis of the rule"
    # (a vendor build appends the SSID: "... but AP requires it - <ssid>")
    said = reason_of("skip RSN IE - no mgmt frame protection enabled but AP requires it - Home")
    assert said is not None and said[1] == "pmf"
    assert reason_of("skip - disabled temporarily for 10 second(s)") == (
        "disabled temporarily for 10 second(s)",
        None,
    )
    assert reason_of("skipping something else") is None


def test_a_bss_line_whose_ssid_holds_sta_or_wpa_passes_the_prefilter() -> None:
    """The real Raspberry Pi line with its SSID spelt as many networks are named ("...WPA...", "STA..."):
    the BSS line must still reach the selection, or its skip lines have no BSS and are dropped."""
    from wlandoctor.parsers.hostap import _interesting

    line = _real_lines(WPA3, 5, 5)[0]
    for ssid in ("mynetwork-6g", "Home-WPA3", "STATION-7"):
        assert _interesting(line.replace("mynetwork-6g", ssid)), ssid
