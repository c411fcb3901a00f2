"""ntc-templates style: every template has cases (tests/templates/<platform>/<command>/<case>.raw + .yml)
and parses each to exactly the recorded result.  Sources of the cases: tests/data/huawei/SOURCES.md."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import pytest
import textfsm
import yaml

CASES = Path(__file__).parent / "templates"
TEMPLATES = resources.files("wlandoctor.parsers").joinpath("templates")


def _templates() -> list[str]:
    return sorted(t.name for t in TEMPLATES.iterdir() if t.name.endswith(".textfsm"))


def _cases() -> list[Path]:
    return sorted(CASES.glob("*/*/*.raw"))


def _template_for(raw: Path) -> str:
    return f"{raw.parent.parent.name}_{raw.parent.name}.textfsm"


@pytest.mark.parametrize("template", _templates())
def test_every_template_has_a_case(template: str) -> None:
    assert any(_template_for(r) == template for r in _cases()), (
        f"no case under tests/templates for {template}"
    )


@pytest.mark.parametrize("raw", _cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_template_parses_case(raw: Path) -> None:
    fsm = textfsm.TextFSM(io.StringIO(TEMPLATES.joinpath(_template_for(raw)).read_text("utf-8")))
    rows = [{k.lower(): v for k, v in row.items()} for row in fsm.ParseTextToDicts(raw.read_text())]
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    assert rows == [{k: str(v) for k, v in e.items()} for e in expected]
