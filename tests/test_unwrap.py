"""Lines a paste wrapped (sources/unwrap.py): found only where no log line can be mistaken for a piece,
joined back for the readers of one record a line, every line keeping its number."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

import yaml

from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources.unwrap import Unwrapped, find_wrap, join_head

DATA = Path(__file__).parent / "data"
HEALTHY = DATA / "hostap" / "healthy_openwrt_logread_dhcp.log"


def _summary(path: Path) -> list[tuple[Any, ...]]:
    report = diagnose_paths([str(path)], Options())
    return sorted(
        (d.station, str(d.verdict), str(d.stage), len(d.timeline.attempts)) for d in report.diagnoses
    )


def test_no_real_log_as_posted_is_taken_for_a_wrapped_one_but_the_wrapped_one() -> None:
    found = set()
    for expected in sorted((DATA / "real").glob("*/expected.yml")):
        name = yaml.safe_load(expected.read_text(encoding="utf-8"))["input"]
        if find_wrap((expected.parent / name).read_bytes()[:65536]) is not None:
            found.add(expected.parent.name)
    # (the poster broke one FreeRADIUS line with a backslash: "...error:1417A0C1  \" then "    :SSL routines";
    # the connman, iwd and Raspberry Pi journal ones were posted to mailing lists, their lines wrapped by the
    # mail client at 72-80 columns; the FortiGate debug was copied from a web page that wrapped its console
    # lines: "... ws (0-192.168.35.1:5246) rId" then "0 wId 0")
    assert found == {
        "ap-fortigate-sta-filter-psk-excerpt-ends-at-m3",
        "merlin-entware-fr3-ttls-tls13-handshake-failure",
        "client-connman-iwd-brcmfmac-sae-external-auth-failed-ipv4ll",
        "client-iwd-email-ath10k-warn-4way-timeout",
        "ap-hostapd-dnsmasq-brcmfmac-bcm43455-dhcp-ok-then-disassoc",
        # (iwd's maintainer quoting his own report in a linux-wireless reply: "> " before each line, wrapped
        # at 73 columns)
        "lnx-iwd-ath10k-connect-timeout-unspecified-quoted",
        # (a linux-wireless reply quoting a syslog, word-wrapped at 70 columns: most records over two or
        # three lines, so most lines are pieces)
        "linux-ubuntu1804-rtw88-rtl8822be-nm-open-assoc-timeout",
        # (a journal in a linux-wireless mail wrapped at 72 columns, its lines from three programs, each
        # with its own tag after the one stamp: "09:01:50 kernel:", "09:01:50 NetworkManager[8368]:")
        "linux-iwlwifi-link-lost-during-4way-false-wrong-key",
        # (a Debian syslog in a Gmail message, wrapped at 70 columns; a few longer lines stand past it)
        "linux-debian-mt76x0u-archer-t1u-nm-ssid-not-found-auth-timeout",
        # (a blog's console block: wpa_supplicant's own lines, unstamped, then syslog lines the page wrapped
        # at 90 columns, "IPv6: ADDRCONF(NETDEV_CHANGE):" / "wlan0: link becomes ready")
        "linux-rpi3-brcmfmac-wpa-supplicant-dhcpcd-leased-after-stale-instance-killed",
    }


def test_a_mail_client_wrap_is_joined_back_after_short_lines_and_in_runs() -> None:
    """The real connman/iwd post: wrapped at a blank short of 80 columns, often right after the syslog
    prefix ("... iwd[2120]:" then "src/network.c:..."), and twice in a row; every piece is joined back."""
    raw = (
        DATA / "real" / "client-connman-iwd-brcmfmac-sae-external-auth-failed-ipv4ll" / "input.log"
    ).read_bytes()
    wrap = find_wrap(raw)
    assert wrap is not None
    joined = join_head(raw, *wrap).split(b"\n")
    assert len(joined) == len(raw.split(b"\n"))  # (every line keeps its number: an empty line per piece)
    kept = [ln for ln in joined if ln.strip()]
    assert len(kept) == 30 and all(ln.startswith(b"Dec 22 ") for ln in kept)
    assert (
        b"Dec 22 10:22:53 runeaudio iwd[2120]: src/netdev.c:netdev_cmd_set_cqm_cb() CMD_SET_CQM not supported, "
        b"falling back to pol>" in kept
    )


def test_a_log_wrapped_at_80_columns_reads_as_the_log(tmp_path: Path) -> None:
    """A real OpenWrt logread soft-wrapped as a mail client or a forum does (at a blank, 80 columns)."""
    lines = HEALTHY.read_text(encoding="utf-8").splitlines()
    wrapped = [piece for ln in lines for piece in textwrap.wrap(ln, 80, break_long_words=False)]
    assert len(wrapped) > len(lines)
    path = tmp_path / "wrapped.log"
    path.write_text("\n".join(wrapped) + "\n", encoding="utf-8")
    assert find_wrap(path.read_bytes()) is not None
    assert _summary(path) == _summary(HEALTHY)
    report = diagnose_paths([str(path)], Options())
    assert any("wrapped at" in n and "joined back" in n for n in report.inputs[0].notes)
    # evidence keeps the line numbers of the file as it is: each cites the line its piece began on
    text = path.read_text(encoding="utf-8").splitlines()
    for d in report.diagnoses:
        for a in d.timeline.attempts:
            for e in a.events:
                assert text[e.ref.line - 1].split()[:3] == e.ref.text.split()[:3]


def test_the_stream_keeps_numbers_and_passes_a_long_line_through() -> None:
    shape_log = b"".join(
        b"Jan  1 00:00:%02d host tag: a line of the log long enough to be wrapped here\n" % i
        for i in range(8)
    )
    wrap = find_wrap(shape_log)
    assert wrap is None  # (no piece follows the long lines)
    data = (
        b"Jan  1 00:00:01 host tag: the first line, long enough to be cut by the\n"
        b"wrap of the paste\n"
        b"Jan  1 00:00:02 host tag: x" + b"y" * (3 << 20) + b"\n"
        b"Jan  1 00:00:03 host tag: the last\r\n"
    )
    out = io.BufferedReader(Unwrapped(io.BytesIO(data), 72, b"aaa 9 9:9:9")).read()  # type: ignore[arg-type]
    lines = out.split(b"\n")
    assert (
        lines[0]
        == b"Jan  1 00:00:01 host tag: the first line, long enough to be cut by the wrap of the paste"
    )
    assert lines[1] == b""  # (the piece's line, kept empty: line numbers do not move)
    assert len(lines[2]) == len(b"Jan  1 00:00:02 host tag: x") + (3 << 20)
    assert lines[3] == b"Jan  1 00:00:03 host tag: the last\r"


def test_a_word_wrap_so_narrow_that_most_lines_are_pieces_is_found_and_joined() -> None:
    """The real linux-wireless post: a syslog quoted in a mail, word-wrapped at 70 columns ("wlo1: SME:
    Trying to" / "authenticate with <bssid> (SSID='...'" / "freq=5765" / "MHz)"); 68 of its 181 lines start
    with the stamp.  Every record is one line again, each keeping its number."""
    raw = (
        DATA / "real" / "linux-ubuntu1804-rtw88-rtl8822be-nm-open-assoc-timeout" / "input.log"
    ).read_bytes()
    wrap = find_wrap(raw)
    assert wrap is not None and wrap[2]  # (narrow: every line that starts like no log line is a piece)
    joined = join_head(raw, *wrap).split(b"\n")
    assert len(joined) == len(raw.split(b"\n"))
    kept = [ln for ln in joined if ln.strip()]
    assert all(ln.startswith(b"Sep 17 ") for ln in kept)
    assert (
        b"Sep 17 09:15:45 mumble15 kernel: [  122.664332] wlo1: association with 24:de:c6:cb:2a:d8 timed out"
        in kept
    )


def test_a_table_of_rows_and_rules_is_no_narrow_wrap() -> None:
    """A 9800's client table: its rows start alike (a MAC, no time) and its rules of dashes fill the width
    after them, as pieces would; it is not a wrap."""
    raw = (
        DATA / "real" / "cisco-9800-genie-fabric-client-summary-webauth-pending" / "input.log"
    ).read_bytes()
    assert find_wrap(raw) is None


def test_a_tag_that_begins_the_held_line_too_begins_a_record_not_a_piece() -> None:
    """The same blog's block: "wlan0: Trying to associate ..." then "wlan0: Associated with ...", both
    unstamped in a log of stamped lines; the second is wpa_supplicant's next record, not the first's rest."""
    raw = (
        DATA
        / "real"
        / "linux-rpi3-brcmfmac-wpa-supplicant-dhcpcd-leased-after-stale-instance-killed"
        / "input.log"
    ).read_bytes()
    wrap = find_wrap(raw)
    assert wrap is not None
    joined = join_head(raw, *wrap).split(b"\n")
    assert joined[3] == b"wlan0: Associated with 90:de:d0:d0:f1:98"
