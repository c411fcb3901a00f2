"""How to get the input: for each platform, the commands that collect what wlandoctor reads (for one
station or for all) and the way to turn the debugging off again.  The steps are data (collect.yaml);
this module loads them, checks their shape and renders them as text, Markdown or plain data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from wlandoctor.util.mac import is_real_mac, normalize_mac

# How each platform writes a MAC, for a station's address put into its commands: (digits a group, the
# separator, upper case)
_MAC_FORMS = {
    "colon": (2, ":", False),
    "upper-colon": (2, ":", True),
    "hyphen": (2, "-", True),
    "huawei": (4, "-", False),
    "dotted": (4, ".", False),
}
MAC_FORMS = tuple(_MAC_FORMS)
_PLACEHOLDER = "aa:bb:cc:dd:ee:ff"  # written in the platform's form where no station is given
_FIELDS = {"title", "aliases", "reads", "mac", "where", "one", "all", "stop", "note"}
_STEP_FIELDS = {"run", "do", "why"}


class CollectError(ValueError):
    """collect.yaml is malformed (a defect of the package, found by its test)."""


@dataclass(frozen=True)
class Step:
    run: str | None  # a command ({mac} stands for the station)
    do: str | None  # or an action in a user interface
    why: str

    def text(self, mac: str) -> str:
        return (self.run or self.do or "").replace("{mac}", mac)


@dataclass(frozen=True)
class Platform:
    name: str
    title: str
    aliases: tuple[str, ...]
    reads: str  # the input format wlandoctor reads the result with
    mac_form: str
    where: str
    one: tuple[Step, ...]
    all: tuple[Step, ...]
    stop: tuple[Step, ...]
    note: str

    def mac(self, station: str | None) -> str:
        """The station's MAC as this platform writes it (a placeholder in that form without one)."""
        digits, sep, upper = _MAC_FORMS[self.mac_form]
        h = normalize_mac(station or _PLACEHOLDER).replace(":", "")
        text = sep.join(h[i : i + digits] for i in range(0, 12, digits))
        return text.upper() if upper else text


def _steps(name: str, part: str, raw: Any) -> tuple[Step, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CollectError(f"{name}.{part}: a list of steps")
    steps = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) - _STEP_FIELDS or "why" not in item:
            raise CollectError(f"{name}.{part}[{i}]: a step is `run` or `do`, and `why`")
        if ("run" in item) == ("do" in item):
            raise CollectError(f"{name}.{part}[{i}]: give `run` (a command) or `do` (an action), one of them")
        steps.append(Step(item.get("run"), item.get("do"), str(item["why"])))
    return tuple(steps)


def _platform(name: str, raw: Any) -> Platform:
    if not isinstance(raw, dict):
        raise CollectError(f"{name}: a mapping")
    unknown = set(raw) - _FIELDS
    missing = {"title", "reads", "mac", "where", "one"} - set(raw)
    if unknown or missing:
        raise CollectError(f"{name}: unknown fields {sorted(unknown)}, missing {sorted(missing)}")
    if raw["mac"] not in MAC_FORMS:
        raise CollectError(f"{name}.mac: one of {', '.join(MAC_FORMS)}")
    return Platform(
        name=name,
        title=str(raw["title"]),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        reads=str(raw["reads"]),
        mac_form=raw["mac"],
        where=str(raw["where"]),
        one=_steps(name, "one", raw["one"]),
        all=_steps(name, "all", raw.get("all")),
        stop=_steps(name, "stop", raw.get("stop")),
        note=str(raw.get("note") or ""),
    )


@cache
def platforms() -> dict[str, Platform]:
    """Every platform of collect.yaml, in the file's order."""
    text = resources.files("wlandoctor").joinpath("collect.yaml").read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CollectError(f"collect.yaml: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise CollectError("collect.yaml: a mapping of platforms")
    return {name: _platform(name, body) for name, body in raw.items()}


def find(name: str) -> Platform | None:
    """A platform by its name or an alias, in any case."""
    key = name.strip().lower()
    for p in platforms().values():
        if key == p.name or key in (a.lower() for a in p.aliases):
            return p
    return None


def station_mac(value: str) -> str | None:
    """A MAC given on the command line in any notation, normalised; None when it is not one."""
    mac = normalize_mac(value)
    return mac if is_real_mac(mac) else None


def as_text(p: Platform, station: str | None) -> str:
    mac = p.mac(station)
    out = [f"{p.title}", f"{p.where}", ""]
    named = any("{mac}" in (s.run or s.do or "") for s in p.one + p.all + p.stop)
    hint = (f" ({mac})" if station else f" (put its MAC for {mac}, or give --mac)") if named else ""
    parts = (
        ("For one station" + hint, p.one),
        ("For every station", p.all),
        ("Afterwards, turn the debugging off", p.stop),
    )
    for heading, steps in parts:
        if not steps:
            continue
        out.append(f"{heading}:")
        for s in steps:
            prefix = "  $ " if s.run else "  > "
            out.append(prefix + s.text(mac))
            out.append(f"      {s.why}")
        out.append("")
    if p.note:
        out.append(p.note)
        out.append("")
    out.append(f"Then: wlandoctor diagnose FILE (read as `{p.reads}`; `--input-format {p.reads}` forces it).")
    return "\n".join(out) + "\n"


def as_data(p: Platform, station: str | None) -> dict[str, Any]:
    mac = p.mac(station)

    def steps(ss: tuple[Step, ...]) -> list[dict[str, str]]:
        return [{("run" if s.run else "do"): s.text(mac), "why": s.why} for s in ss]

    return {
        "platform": p.name,
        "title": p.title,
        "aliases": list(p.aliases),
        "reads": p.reads,
        "mac": mac,
        "where": p.where,
        "one_station": steps(p.one),
        "all_stations": steps(p.all),
        "stop": steps(p.stop),
        "note": p.note,
    }


def as_markdown() -> str:
    """docs/collect.md: every platform's steps (a test keeps the file equal to this)."""
    out = [
        "# Collecting the input",
        "",
        "What to run on each platform to get what wlandoctor reads, for one station or for every station,",
        "and how to turn the debugging off again. `wlandoctor collect PLATFORM --mac MAC` prints the same with",
        "the station's MAC in the platform's own notation. This file is generated: `wlandoctor collect",
        "--markdown` (the steps are data, in `src/wlandoctor/collect.yaml`).",
        "",
        "| platform | also called | read as |",
        "|---|---|---|",
    ]
    for p in platforms().values():
        anchor = p.name
        out.append(f"| [{p.title}](#{anchor}) | {', '.join(f'`{a}`' for a in p.aliases)} | `{p.reads}` |")
    for p in platforms().values():
        mac = p.mac(None)
        out += ["", f'<a id="{p.name}"></a>', f"## {p.name}: {p.title}", "", p.where, ""]
        for heading, steps in (
            ("For one station", p.one),
            ("For every station", p.all),
            ("Afterwards", p.stop),
        ):
            if not steps:
                continue
            out.append(f"**{heading}**")
            out.append("")
            for s in steps:
                what = f"`{s.text(mac)}`" if s.run else s.text(mac)
                out.append(f"- {what}: {s.why}")
            out.append("")
        if p.note:
            out += [p.note, ""]
        out.append(f"wlandoctor reads the result as `{p.reads}` (`wlandoctor formats`).")
    return "\n".join(out) + "\n"
