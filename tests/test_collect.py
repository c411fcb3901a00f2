"""`wlandoctor collect`: for every platform the commands that get what wlandoctor reads, with the station's
MAC in the platform's own notation, and docs/collect.md generated from the same data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wlandoctor.collect import MAC_FORMS, Platform, as_markdown, find, platforms
from wlandoctor.kb.platforms import PLATFORMS, step_platform
from wlandoctor.parsers import all_parsers

MAC = "64:e5:99:f3:18:f6"


def wlandoctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args], capture_output=True, text=True, timeout=60
    )


def test_every_platform_the_advice_knows_says_how_to_collect_its_input() -> None:
    assert list(platforms()) == list(PLATFORMS)


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_a_platform_is_read_by_a_shipped_reader_and_its_commands_are_its_own(name: str) -> None:
    p = platforms()[name]
    readers = {r.name for r in all_parsers()}
    assert p.reads in readers
    assert p.one, f"{name}: no step for one station"
    for step in p.one + p.all + p.stop:
        owner = step_platform(step.text(p.mac(MAC)))
        # a step naming another platform's commands would be advice for the wrong system
        assert owner in (None, name), f"{name}: {step.text(p.mac(MAC))!r} reads as {owner}'s"


def test_names_and_aliases_are_unique_and_found_in_any_case() -> None:
    seen: dict[str, str] = {}
    for p in platforms().values():
        for key in (p.name, *p.aliases):
            assert key.lower() not in seen, f"{key} names {seen.get(key.lower())} and {p.name}"
            seen[key.lower()] = p.name
    assert find("OpenWrt") is platforms()["hostapd"]
    assert find(" 9800 ") is platforms()["cisco-9800"]
    assert find("juniper-mist") is None


@pytest.mark.parametrize(
    ("form", "written"),
    [
        ("colon", "64:e5:99:f3:18:f6"),
        ("upper-colon", "64:E5:99:F3:18:F6"),
        ("hyphen", "64-E5-99-F3-18-F6"),
        ("huawei", "64e5-99f3-18f6"),
        ("dotted", "64e5.99f3.18f6"),
    ],
)
def test_the_station_is_written_as_the_platform_writes_a_mac(form: str, written: str) -> None:
    assert form in MAC_FORMS
    p = Platform("x", "x", (), "hostap", form, "", (), (), (), "")
    for given in (MAC, "64E5-99F3-18F6", "64e5.99f3.18f6", "64-E5-99-F3-18-F6"):
        assert p.mac(given) == written


def test_collect_huawei_puts_the_station_into_the_ac_commands_in_huawei_notation() -> None:
    r = wlandoctor("collect", "huawei", "--mac", "64:E5:99:F3:18:F6")
    assert r.returncode == 0, r.stderr
    assert "display station online-fail-record sta-mac 64e5-99f3-18f6" in r.stdout
    assert "station-trace sta-mac 64e5-99f3-18f6" in r.stdout
    # the way back: the diagnosis object is deleted
    assert "undo trace object mac-address 64e5-99f3-18f6" in r.stdout.split("turn the debugging off")[1]


def test_collect_cisco_9800_as_json_uses_the_dotted_notation() -> None:
    r = wlandoctor("collect", "c9800", "--mac", MAC, "-f", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["platform"] == "cisco-9800" and data["reads"] == "cisco-wlc"
    runs = [s["run"] for s in data["one_station"]]
    assert "show wireless client mac-address 64e5.99f3.18f6 detail" in runs
    assert [s["run"] for s in data["stop"]] == ["no debug wireless mac 64e5.99f3.18f6"]


def test_collect_without_a_platform_lists_them_all() -> None:
    r = wlandoctor("collect", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert [p["platform"] for p in json.loads(r.stdout)] == list(PLATFORMS)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("collect", "juniper-mist"), "no platform 'juniper-mist'"),
        (("collect", "huawei", "--mac", "64:e5:99:f3:18"), "is not a MAC address"),
        (("collect", "huawei", "-f", "html"), "collect writes text or json"),
    ],
)
def test_a_bad_platform_mac_or_format_is_a_usage_error(args: tuple[str, ...], said: str) -> None:
    r = wlandoctor(*args)
    assert r.returncode == 2
    assert said in r.stderr and "Traceback" not in r.stderr


def test_docs_collect_md_is_current() -> None:
    doc = Path(__file__).parent.parent / "docs" / "collect.md"
    assert doc.read_text(encoding="utf-8") == as_markdown(), (
        "docs/collect.md is out of date: wlandoctor collect --markdown > docs/collect.md"
    )
