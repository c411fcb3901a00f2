"""The shared line-prefix layer (parsers/prefix.py): every form it reads, and that no form hides a message."""

from __future__ import annotations

import calendar

import pytest

from wlandoctor.parsers.prefix import YearGuess, find_tag, parse_date, split_prefix

BODY = "wlan0: CTRL-EVENT-DISCONNECTED bssid=aa:bb:cc:dd:ee:ff reason=15"


def utc(*t: int) -> float:
    return float(calendar.timegm((*t, 0, 0, 0)))


# (line, time (None: no absolute time), host, tag)
FORMS = [
    # hostapd / wpa_supplicant -t, and the -f logger's second stamp
    (f"1700000012.405346: {BODY}", 1700000012.405346, None, None),
    (f"1795646419.697163: 1795646419.697163: {BODY}", 1795646419.697163, None, None),
    # journalctl -o short-unix
    (f"1700000012.405346 box wpa_supplicant[586]: {BODY}", 1700000012.405346, "box", "wpa_supplicant"),
    # OpenWrt logread
    (
        f"Wed Oct 25 17:26:50 2023 daemon.notice wpa_supplicant[9]: {BODY}",
        utc(2023, 10, 25, 17, 26, 50),
        None,
        "wpa_supplicant",
    ),
    # journalctl under a Finnish locale: glibc's month abbreviations are up to six letters ("maalis", "marras")
    (f"touko 06 12:21:01 red hostapd[4201]: {BODY}", None, "red", "hostapd"),
    (f"marras 30 23:59:59 red hostapd[4201]: {BODY}", None, "red", "hostapd"),
    # socklog (Void Linux): the facility.level before the syslog stamp (dhcpcd#298)
    (f"daemon.info: Apr  5 11:19:42 dhcpcd[958]: {BODY}", None, None, "dhcpcd"),
    # RFC 3164 with host, without host, with a year after the day
    (f"Aug  9 15:01:00 nitrogen wpa_supplicant[586]: {BODY}", None, "nitrogen", "wpa_supplicant"),
    (f"May 12 13:19:09 wpa_supplicant[10797]: {BODY}", None, None, "wpa_supplicant"),
    (f"Mar  5 2021 18:06:10 ap1 wpa_supplicant: {BODY}", utc(2021, 3, 5, 18, 6, 10), "ap1", "wpa_supplicant"),
    # journalctl short-precise and short-iso, RFC 3339, slashed date, ISO with a space and a comma fraction
    (f"Mar  1 23:23:29.123456 box wpa_supplicant: {BODY}", None, "box", "wpa_supplicant"),
    (
        f"2023-10-25T17:26:50+0200 box wpa_supplicant[9]: {BODY}",
        utc(2023, 10, 25, 15, 26, 50),
        "box",
        "wpa_supplicant",
    ),
    (
        f"2023-10-25T17:26:50.250000+02:00 box wpa_supplicant[9]: {BODY}",
        utc(2023, 10, 25, 15, 26, 50) + 0.25,
        "box",
        "wpa_supplicant",
    ),
    (f"2023/10/25 17:26:50 wpa_supplicant: {BODY}", utc(2023, 10, 25, 17, 26, 50), None, "wpa_supplicant"),
    (
        f"2023-10-25 17:26:50,5 wpa_supplicant: {BODY}",
        utc(2023, 10, 25, 17, 26, 50) + 0.5,
        None,
        "wpa_supplicant",
    ),
    # RFC 5424, with and without structured data
    (
        f"<165>1 2023-10-25T17:26:50.1Z box wpa_supplicant 586 - - {BODY}",
        utc(2023, 10, 25, 17, 26, 50) + 0.1,
        "box",
        "wpa_supplicant",
    ),
    (
        f'<165>1 2023-10-25T17:26:50Z box wpa_supplicant 586 ID47 [ex@32473 iut="3" a="\\]"][b@1 c="d"] {BODY}',
        utc(2023, 10, 25, 17, 26, 50),
        "box",
        "wpa_supplicant",
    ),
    # a time of day only
    (f"19:19:45 wpa_supplicant: {BODY}", None, None, "wpa_supplicant"),
    # facility.level and tag without a time, and with a colon after the level
    (f"daemon.info wpa_supplicant[1234]: {BODY}", None, None, "wpa_supplicant"),
    # locale-formatted stamps in brackets (OpenWrt web UI), ISO in brackets
    (
        f"[Jul 4, 2026, 6:01:21 PM GMT+2] daemon.info: wpa_supplicant: {BODY}",
        utc(2026, 7, 4, 16, 1, 21),
        None,
        "wpa_supplicant",
    ),
    (f"[2023-10-25 17:26:50] wpa_supplicant: {BODY}", utc(2023, 10, 25, 17, 26, 50), None, "wpa_supplicant"),
    # Android logcat threadtime, time, brief, and threadtime with the year (-v year)
    (f"11-25 10:00:00.123  1234  1290 I wpa_supplicant: {BODY}", None, None, "wpa_supplicant"),
    (f"11-25 10:00:00.123 I/wpa_supplicant( 1234): {BODY}", None, None, "wpa_supplicant"),
    (f"I/wpa_supplicant( 1234): {BODY}", None, None, "wpa_supplicant"),
    (
        f"2023-11-25 10:00:00.123  1234  1290 I wpa_supplicant: {BODY}",
        utc(2023, 11, 25, 10, 0, 0) + 0.123,
        None,
        "wpa_supplicant",
    ),
    # dmesg and journalctl short-monotonic
    (f"[  123.456789] {BODY}", None, None, "kernel"),
    (f"[  123.456789] box wpa_supplicant[586]: {BODY}", None, "box", "wpa_supplicant"),
    # a bare tag
    (f"wpa_supplicant: {BODY}", None, None, "wpa_supplicant"),
    # Zephyr RTOS's log (nRF70 samples): the time since boot (none kept), a level, the module as the tag
    (f"[00:00:07.622,070] <inf> wpa_supp: {BODY}", None, None, "wpa_supp"),
    (f"[00001234] <wrn> wpa_supp: {BODY}", None, None, "wpa_supp"),
    # RT-Thread's rtdbg: a level and the module, no time
    (f"[I/WLAN.mgnt] {BODY}", None, None, "WLAN.mgnt"),
]


@pytest.mark.parametrize(("line", "time", "host", "tag"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_every_prefix_form_gives_the_message(
    line: str, time: float | None, host: str | None, tag: str
) -> None:
    p = split_prefix(line)
    assert p.body == BODY
    assert p.known
    assert p.host == host
    assert p.tag == tag
    if time is not None:
        assert p.time == pytest.approx(time, abs=1e-6)
    else:
        assert p.time is None  # no year, no date or relative: dated by the caller, or none


def test_yearless_and_time_of_day_stamps_are_dated_and_said() -> None:
    ref = utc(2026, 12, 4, 12, 0, 0)
    p = split_prefix(f"Aug  9 15:01:00 box wpa_supplicant: {BODY}")
    years = YearGuess(ref)
    assert p.yearless is not None
    assert years.epoch(p.yearless) == utc(2026, 8, 9, 15, 1, 0)
    assert years.guessed == {"year"}
    days = YearGuess(ref)
    first = split_prefix(f"23:59:59 wpa_supplicant: {BODY}").timeofday
    second = split_prefix(f"00:00:01 wpa_supplicant: {BODY}").timeofday
    assert first is not None and second is not None
    # 23:59:59 would lie after the reference time: the day before; then midnight passes
    assert days.time_of_day(first) == utc(2026, 12, 3, 23, 59, 59)
    assert days.time_of_day(second) == utc(2026, 12, 4, 0, 0, 1)
    assert days.guessed == {"date"}


def test_impossible_dates_never_raise() -> None:
    for line in (
        f"Feb 30 10:00:00 box hostapd: {BODY}",
        f"2023-13-40T25:61:61Z box hostapd: {BODY}",
        f"0000-01-01T00:00:00Z box hostapd: {BODY}",
        f"99:99:99 hostapd: {BODY}",
        f"[Jan 99, 2026, 6:01:21 PM] hostapd: {BODY}",
        f"13-45 10:00:00.123  1234  1290 I wpa_supplicant: {BODY}",
        f"<165>1 9999-99-99T99:99:99Z box a 1 - - {BODY}",
    ):
        p = split_prefix(line)
        assert p.time is None or p.time >= 0
    assert YearGuess(utc(2023, 6, 1, 0, 0, 0)).epoch((2, 29, 10, 0, 0, 0.0)) is None  # 2023 is no leap year


def test_a_tag_is_found_behind_a_prefix_of_no_known_form() -> None:
    line = f"<134>Oct 25 17:26:50 2023 | gw01 | hostapd: {BODY}"
    found = find_tag(line)
    assert found is not None
    assert line[found[0] :] == BODY and found[1] == "hostapd"
    assert find_tag("hostapd_wpa_auth_disconnect: WPA authenticator requests disconnect") is None


def test_locale_dates_read_by_dateutil_with_browser_offsets() -> None:
    assert parse_date("Jul 4, 2026, 6:01:21 PM GMT+2") == utc(2026, 7, 4, 16, 1, 21)
    assert parse_date("Jul 4, 2026, 6:01:21 PM UTC-05:30") == utc(2026, 7, 4, 23, 31, 21)
    assert parse_date("04 Jul 2026 18:01:21") == utc(2026, 7, 4, 18, 1, 21)
    assert parse_date("not a date at all") is None
    assert parse_date("12:00 no year") is None  # a date without a year is not guessed here
    assert parse_date("a" * 10_000 + "12:00") is None


def test_month_names_of_other_locales() -> None:
    # journalctl prints the month in the locale's words: a real Russian line (oblique/create_ap#211)
    p = split_prefix(
        "ноя 04 11:05:52 alx-arch hostapd[26467]: ap0: STA 00:5b:12:62:39:95 IEEE 802.11: associated"
    )
    assert p.yearless == (11, 4, 11, 5, 52, 0.0) and (p.host, p.tag) == ("alx-arch", "hostapd")
    for month, number in (("Mär", 3), ("déc.", 12), ("dic", 12), ("okt", 10), ("мар", 3)):
        q = split_prefix(f"{month} 3 10:00:00 box hostapd: {BODY}")
        assert q.yearless is not None and q.yearless[0] == number and q.body == BODY


def test_a_log_views_columns_are_read_after_any_stamp() -> None:
    # pfSense's log view copied from the browser (erikarn/athp#19: tests/data/real/ap-athp-freebsd-...),
    # with a host column, a severity column, the tag inside the message, and a message holding pipes
    cases = [
        ("Aug  4 11:35:37 | hostapd | 11217 | athp0_wlan0: STA 04:d6:aa:1a:6c:90 WPA: EAPOL-Key timeout",
         "hostapd", None, "athp0_wlan0: STA 04:d6:aa:1a:6c:90 WPA: EAPOL-Key timeout"),
        (f"2023-10-25T17:26:50 | gw01 | hostapd[123] | notice | {BODY}", "hostapd", "gw01", BODY),
        (f"<134>Oct 25 17:26:50 2023 | gw01 | hostapd: {BODY}", "hostapd", "gw01", BODY),
        ("Aug  4 11:35:37 | hostapd | 11217 | a | b | msg", "hostapd", None, "a | b | msg"),
        ("Aug  4 11:35:37 | box | radiusd | Auth: (1) Login OK", "radiusd", "box", "Auth: (1) Login OK"),
    ]  # fmt: skip
    for line, tag, host, body in cases:
        p = split_prefix(line)
        assert (p.tag, p.host, p.body) == (tag, host, body), line
        assert p.time is not None or p.yearless is not None
    # a body that merely holds pipes is no column form
    p = split_prefix(f"Aug  4 11:35:37 box hostapd: {BODY} | x | y")
    assert (p.tag, p.body) == ("hostapd", f"{BODY} | x | y")
    # bounded: a line of pipes and words costs one scan
    split_prefix("Aug  4 11:35:37 " + "| w " * 100_000)


# serial monitors' stamps: Arduino IDE ("->"), PlatformIO (">"), ameba.py monitor (two blanks), serial
# terminals' bracketed times (SSCOM's "[HH:MM:SS:mmm]" glued to the line)
SERIAL = ["16:30:14.033 -> ", "16:30:14.033 > ", "16:30:14.033  ", "[16:30:14:033]", "[16:30:14.033] "]


@pytest.mark.parametrize("stamp", SERIAL)
def test_a_serial_monitors_time_of_day_gives_the_message(stamp: str) -> None:
    for body in ("[WLAN-A] start auth to 50:64:2b:34:88:9e", "I (4571) wifi station: got ip:192.168.1.105"):
        p = split_prefix(stamp + body)
        assert p.body == body and p.known and p.host is None
        assert p.timeofday == (16, 30, 14, pytest.approx(0.033))
    # "<iface>: <message>" after the stamp: the interface is read as a tag here, and put back in the message
    # by the reader (parsers/hostap.py, tests/data/real/client-wpa-supplicant-peap-untrusted-ca)
    p = split_prefix(stamp + BODY)
    assert (p.tag, f"{p.tag}: {p.body}") == ("wlan0", BODY)


def test_a_module_tag_in_brackets_after_a_time_of_day_is_no_host() -> None:
    """An embedded console's module tag ("[WLAN-A]", "[BOOT-I]") stays in the message a reader matches: a
    syslog host is a name, never bracketed."""
    for line in (
        "16:30:14.289  [WLAN-A] start auth to 50:64:2b:34:88:9e",
        "16:30:14.289 [WLAN-A] start auth to x",
    ):
        p = split_prefix(line)
        assert p.host is None and p.body.startswith("[WLAN-A] start auth to ")
        assert p.timeofday == (16, 30, 14, pytest.approx(0.289))
    assert split_prefix("[14:23:36:906][WLAN-A] set ssid x").body == "[WLAN-A] set ssid x"
    p = split_prefix("[2024-01-02 14:23:36.906]RTL871X: start auth")
    # (the driver's prefix read as a tag: the reader knows it)
    assert (p.tag, p.body) == ("RTL871X", "start auth")
    # a bracketed time of day out of range is no stamp
    assert split_prefix("[24:61:00.000] x").timeofday is None


def test_networkmanager_s_own_form_keeps_its_level_and_gives_its_epoch_time() -> None:
    """NetworkManager logging on its own (`journalctl -o cat`, a linux-wireless mail's paste): the tag is
    NetworkManager and the time its epoch stamp; the body keeps both, as under a syslog tag."""
    line = (
        "<info>  [1750467721.8771] device (wlo1): supplicant interface state: 4way_handshake -> disconnected"
    )
    p = split_prefix(line)
    assert p.known and p.tag == "NetworkManager" and p.body == line
    assert p.time == pytest.approx(1750467721.8771)
    assert split_prefix("<warn>  [99999999999.1] device (wlo1): x").bad_stamp


def _real_line(case: str, n: int) -> str:
    from pathlib import Path

    path = Path(__file__).parent / "data" / "real" / case / "input.log"
    return path.read_text(encoding="utf-8").splitlines()[n - 1]


def test_logcat_with_its_uid_column_and_an_instance_tag() -> None:
    # logcat -v uid (GrapheneOS, Android 15): the user before the pid, a name or a number; Android 12 on,
    # the framework's tags carry their instance
    case = "android15-grapheneos-pixel9pro-logcat-uid-assoc-reject-timeout"
    p = split_prefix(_real_line(case, 1))
    assert (p.tag, p.known, p.yearless) == ("wpa_supplicant", True, (11, 22, 2, 9, 52, 0.252))
    assert p.body.startswith("wlan0: Trying to associate with SSID")
    p = split_prefix(_real_line(case, 3))
    assert p.tag == "WifiClientModeImpl[148104121:wlan0]"
    assert p.body.startswith("L2ConnectingState: Association rejection")


def test_logcat_with_microseconds() -> None:
    # logcat -v usec (an Allwinner A133, Android 10): six digits of the second
    p = split_prefix(_real_line("android10-a133-logcat-4way-ok-ipv6-connected-no-dhcp-offer", 1))
    assert p.tag == "wpa_supplicant" and p.known
    assert p.yearless is not None and p.yearless[5] == pytest.approx(0.125689)
