"""Client-side logs at their normal level: the kernel's mac80211 messages, NetworkManager, DHCP clients."""

from __future__ import annotations

from pathlib import Path

from wlandoctor.model import InputSummary
from wlandoctor.parsers.hostap import PARSER
from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources import Input

REAL = Path(__file__).parent / "data" / "real"


def kinds(text: str) -> list[tuple[str, str]]:
    s = InputSummary("t.log", "hostap")
    return [(e.kind, e.station) for e in PARSER.parse(Input.from_bytes("t.log", text.encode()), s)]


def test_mac80211_client_messages_in_dmesg_and_the_journal() -> None:
    # net/mac80211/mlme.c wording, as dmesg prints it and as journalctl -k prints it
    for prefix in ("[ 3263.719815] ", "Jul 20 00:21:07 pca-yoga kernel: "):
        text = "".join(
            prefix + line + "\n"
            for line in (
                "wlp3s0: authenticate with dc:e3:05:52:1c:28",
                "wlp3s0: send auth to dc:e3:05:52:1c:28 (try 1/3)",
                "wlp3s0: authenticated",
                "wlp3s0: associate with dc:e3:05:52:1c:28 (try 1/3)",
                "wlp3s0: RX AssocResp from dc:e3:05:52:1c:28 (capab=0x1411 status=0 aid=3)",
                "wlp3s0: associated",
                "wlp3s0: deauthenticating from dc:e3:05:52:1c:28 by local choice (Reason: 3=DEAUTH_LEAVING)",
                "wlp3s0: associate with dc:e3:05:52:1c:28 (try 1/3)",
                "wlp3s0: RX AssocResp from dc:e3:05:52:1c:28 (capab=0x1411 status=17 aid=0)",
                "wlp3s0: association with dc:e3:05:52:1c:28 timed out",
            )
        )
        got = [k for k, _ in kinds(text)]
        assert got == [
            "auth.request",
            "auth.response",
            "assoc.request",
            "assoc.response",
            "sta.deauth",
            "assoc.request",
            "assoc.reject",
            "assoc.failure",
        ]


def test_a_real_dmesg_association_timeout_is_diagnosed() -> None:
    # lwfinger/rtlwifi_new#555: three tries, "association ... timed out", and the same again as the log ends
    report = diagnose_paths([str(REAL / "client-dmesg-rtl8822ce-assoc-timeout" / "input.log")], Options())
    [d] = report.diagnoses
    assert (d.verdict, d.stage) == ("failed", "association")
    assert d.causes[0].rule == "assoc-timeout"
    assert 7 in {e.line for e in d.causes[0].evidence}
    assert report.inputs[0].coverage.unread == 0
