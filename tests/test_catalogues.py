"""Every example line of every message catalogue (parsers/catalogues/*.yaml) gives the event it names,
the ntc-templates way: one globbing test, one case an example."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from wlandoctor.model import InputSummary
from wlandoctor.parsers import by_name, message_of
from wlandoctor.parsers.catalogue import CatalogueError, check, load
from wlandoctor.sources import Input

CATALOGUES = sorted(
    Path(str(p.name)).stem
    for p in resources.files("wlandoctor.parsers").joinpath("catalogues").iterdir()
    if p.name.endswith(".yaml")
)


def _examples() -> list[Any]:
    out = []
    for platform in CATALOGUES:
        for msg in load(platform).messages:
            assert msg.examples, f"{platform}: message {msg.id} has no example"
            for i, ex in enumerate(msg.examples):
                out.append(pytest.param(platform, msg.id, ex, id=f"{platform}-{msg.id}-{i}"))
    return out


def test_there_are_catalogues() -> None:
    assert "espressif" in CATALOGUES


@pytest.mark.parametrize(("platform", "message", "example"), _examples())
def test_catalogue_example(platform: str, message: str, example: dict[str, Any], tmp_path: Path) -> None:
    line = str(example["line"])
    path = tmp_path / "example.log"
    # (a reader that keeps state may need the lines before it: ``before``, whose events are not compared)
    before = [str(b) for b in example.get("before", [])]
    path.write_text("".join(f"{b}\n" for b in [*before, line]), encoding="utf-8")
    reader = str(example.get("reader", platform))  # (a catalogue shared by two readers: the example's)
    parser = by_name(reader)
    assert parser is not None, f"no parser named {reader} for catalogues/{platform}.yaml"
    summary = InputSummary(str(path), reader)
    events = list(parser.parse(Input.from_path(path), summary))
    assert load(platform).match(message_of(platform, line)) is not None, f"{message}: pattern does not match"
    events = [e for e in events if e.ref.line == len(before) + 1]
    kinds = [e.kind for e in events if e.kind != "key.mismatch.summary"]
    want = example.get("kind")
    if "kinds" in example:  # a line that tells more than one event (a Meraki disassociation and its address)
        assert kinds == example["kinds"], f"{line!r} gave {kinds}"
    elif want is None:
        assert kinds == [], f"{line!r} gave {kinds}"
        assert summary.coverage.understood == 1 + len(before)
    else:
        assert kinds == [want], f"{line!r} gave {kinds}"
    # (a line a reader reads and says something of, a masked MAC: ``problem`` is what it must say)
    said = example.get("problem")
    assert [p.message for p in summary.problems if not said or str(said) not in p.message] == []
    assert not said or any(str(said) in p.message for p in summary.problems)


def test_a_keyword_must_be_in_its_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wlandoctor.parsers import catalogue

    bad = "messages:\n  - {id: x, keyword: 'abc', pattern: 'xyz', kind: null, examples: [{line: xyz}]}\n"
    monkeypatch.setattr(catalogue.resources, "files", lambda _pkg: _Fake(bad))
    load.cache_clear()
    try:
        with pytest.raises(CatalogueError, match="keyword 'abc' is not in its pattern"):
            load("broken")
    finally:
        load.cache_clear()


def test_an_unknown_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from wlandoctor.parsers import catalogue

    bad = "messages:\n  - {id: x, keyword: 'abc', pattern: 'abc', kind: no.such.kind}\n"
    monkeypatch.setattr(catalogue.resources, "files", lambda _pkg: _Fake(bad))
    load.cache_clear()
    try:
        with pytest.raises(CatalogueError, match=r"unknown event kind 'no\.such\.kind'"):
            load("broken")
    finally:
        load.cache_clear()


class _Fake:
    def __init__(self, text: str) -> None:
        self.text = text

    def joinpath(self, _where: str) -> _Fake:
        return self

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.text


def test_the_formats_command_lists_catalogues_and_their_messages() -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
        cmd = [sys.executable, "-m", "wlandoctor", "formats", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)

    listing = run()
    assert listing.returncode == 0
    for platform in CATALOGUES:
        count = len(load(platform).messages)
        # (its reader's own, or one a reader reads beside the wording in its code: "code; N (catalogue X)")
        assert f"{count} (catalogue)" in listing.stdout or f"{count} (catalogue {platform})" in listing.stdout
    one = run("mikrotik")
    assert one.returncode == 0
    for msg in load("mikrotik").messages:
        assert msg.id in one.stdout
    assert "unicast key exchange timeout" in one.stdout and "sta.deauth" in one.stdout
    bad = run("no-such-platform")
    assert bad.returncode == 2 and "catalogues: aruba" in bad.stderr


@pytest.mark.parametrize("platform", CATALOGUES)
def test_every_catalogue_passes_its_own_check(platform: str) -> None:
    """`wlandoctor formats --check` on a shipped catalogue finds nothing: each example is matched first by
    its own message (an earlier message that matched it too would take its lines)."""
    assert check(load(platform), lambda line: message_of(platform, line)) == []


def test_docs_catalogues_md_is_current() -> None:
    """docs/catalogues.md is generated from the catalogues (`wlandoctor formats --markdown`)."""
    from wlandoctor.cli.formats_cmd import catalogues, catalogues_markdown

    doc = Path(__file__).parent.parent / "docs" / "catalogues.md"
    assert doc.read_text(encoding="utf-8") == catalogues_markdown(catalogues()), (
        "docs/catalogues.md is out of date: wlandoctor formats --markdown > docs/catalogues.md"
    )
