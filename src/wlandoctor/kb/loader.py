"""Load and validate rule files.  A rule that does not validate is an error naming file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from wlandoctor.kb.platforms import PLATFORMS
from wlandoctor.model import STAGES, WlandoctorError
from wlandoctor.model.kinds import KINDS

SLUG = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
CONTEXTS = frozenset(
    {
        "other-stations-same-wlan-completed-handshake",
        "other-stations-same-wlan-failed-same-way",
        "station-offered-pmkid",
        "repeated-failures",
        "found-network-earlier",
        "failed-with-several-aps",
        "weak-signal",
        "many-stations-failed-dot1x",
        "dropped-at-once",
        "keeps-leaving",
        "cut-short",
        "ap-resent-m1",
        "ap-resent-m3",
        "link-not-seen",
    }
)
_STAGE_NAMES = frozenset(str(s) for s in STAGES)
_RULE_KEYS = frozenset(
    {"id", "stage", "title", "explanation", "when", "hypotheses", "fix", "confirm", "evidence", "references"}
    | {"fix_for", "confirm_for"}
)
_HYP_KEYS = frozenset(
    {"id", "title", "explanation", "base", "adjust", "fix", "confirm", "fix_for", "confirm_for"}
)
_COND_KEYS = frozenset(
    {
        "event",
        "where",
        "min_count",
        "max_count",
        "all",
        "any",
        "not",
        "context",
        "global",
        "outcome",
        "reached",
        "not_reached",
    }
)


def _check_matches(path: str, line: int, attr: str, wanted: dict[str, Any]) -> None:
    """``{matches: REGEX}``: a pattern searched in the attribute's text (the only mapping a value may be)."""
    if set(wanted) - {"__line__"} != {"matches"} or not isinstance(wanted["matches"], str):
        raise RuleError(path, line, f"'where' {attr}: a value is a value, a list, or {{matches: REGEX}}")
    try:
        re.compile(wanted["matches"])
    except re.error as exc:
        raise RuleError(path, line, f"'where' {attr}: not a regular expression ({exc})") from None


class RuleError(WlandoctorError):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Adjustment:
    condition: dict[str, Any]
    delta: float
    because: str


@dataclass(frozen=True, slots=True)
class Hypothesis:
    id: str
    title: str
    explanation: str
    base: float
    adjust: tuple[Adjustment, ...]
    fix: tuple[str, ...]
    confirm: tuple[str, ...]
    fix_for: dict[str, tuple[str, ...]] = field(default_factory=dict)  # steps for one platform
    confirm_for: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    stage: str
    title: str
    explanation: str
    when: dict[str, Any]
    hypotheses: tuple[Hypothesis, ...]
    fix: tuple[str, ...]
    confirm: tuple[str, ...]
    evidence: tuple[str, ...]
    references: tuple[str, ...]
    path: str = field(default="", compare=False)
    fix_for: dict[str, tuple[str, ...]] = field(default_factory=dict)  # steps for one platform
    confirm_for: dict[str, tuple[str, ...]] = field(default_factory=dict)


# The C loader when PyYAML has it (ten times faster); both give node marks for line numbers.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc]
    """Records the line of each mapping so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _line(obj: Any) -> int:
    return int(obj.get("__line__", 1)) if isinstance(obj, dict) else 1


def _per_platform(path: str, where: dict[str, Any], key: str) -> dict[str, tuple[str, ...]]:
    """``fix_for`` / ``confirm_for``: a mapping of platform (kb/platforms.py) to its steps."""
    val = where.get(key)
    if val is None:
        return {}
    if not isinstance(val, dict):
        raise RuleError(path, _line(where), f"'{key}' must map a platform to a list of steps")
    out: dict[str, tuple[str, ...]] = {}
    for platform in val:
        if platform == "__line__":
            continue
        if platform not in PLATFORMS:
            raise RuleError(
                path, _line(val), f"'{key}': unknown platform {platform!r} (one of {', '.join(PLATFORMS)})"
            )
        out[platform] = _strings(path, val, platform, required=True)
    return out


def _strings(path: str, where: dict[str, Any], key: str, required: bool = False) -> tuple[str, ...]:
    val = where.get(key)
    if val is None:
        if required:
            raise RuleError(path, _line(where), f"'{key}' is required")
        return ()
    if not isinstance(val, list):
        raise RuleError(path, _line(where), f"'{key}' must be a list of non-empty strings")
    for i, v in enumerate(val, 1):
        if isinstance(v, dict):
            raise RuleError(
                path, _line(v), f"'{key}' item {i} was read as a mapping: quote text that contains ': '"
            )
        if not isinstance(v, str) or not v.strip():
            raise RuleError(path, _line(where), f"'{key}' item {i} must be a non-empty string")
    return tuple(v.strip() for v in val)


def _text(path: str, where: dict[str, Any], key: str) -> str:
    val = where.get(key)
    if not isinstance(val, str) or not val.strip():
        raise RuleError(path, _line(where), f"'{key}' must be a non-empty string")
    return " ".join(val.split())


def _positive_kinds(cond: Any) -> set[str]:
    """The event kinds a condition holds on (its ``event`` heads through ``all`` / ``any``, not ``not``)."""
    if not isinstance(cond, dict):
        return set()
    out = {str(cond["event"])} if "event" in cond else set()
    for key in ("all", "any"):
        for c in cond.get(key) or ():
            out |= _positive_kinds(c)
    return out


def check_condition(path: str, cond: Any) -> None:
    if not isinstance(cond, dict):
        raise RuleError(path, 1, f"a condition must be a mapping, got {cond!r}")
    line = _line(cond)
    keys = set(cond) - {"__line__"}
    unknown = keys - _COND_KEYS
    if unknown:
        raise RuleError(path, line, f"unknown condition key(s): {', '.join(sorted(unknown))}")
    heads = keys & {"event", "all", "any", "not", "context", "global", "outcome", "reached", "not_reached"}
    if len(heads) != 1:
        raise RuleError(
            path, line, "a condition needs exactly one of event/all/any/not/context/global/outcome/reached"
        )
    head = heads.pop()
    if head in ("event", "global"):
        if cond[head] not in KINDS:
            raise RuleError(path, line, f"unknown event kind {cond[head]!r} (see model/kinds.py)")
        where = cond.get("where", {})
        if not isinstance(where, dict):
            raise RuleError(path, line, "'where' must be a mapping of attribute: value")
        for attr, wanted in where.items():
            if attr != "__line__" and isinstance(wanted, dict):
                _check_matches(path, line, attr, wanted)
        for k in ("min_count", "max_count"):
            if k in cond and (not isinstance(cond[k], int) or cond[k] < 0):
                raise RuleError(path, line, f"'{k}' must be a whole number >= 0")
    elif keys & {"where", "min_count", "max_count"}:
        raise RuleError(path, line, "'where', 'min_count' and 'max_count' go with 'event' or 'global'")
    if head in ("all", "any"):
        if not isinstance(cond[head], list) or not cond[head]:
            raise RuleError(path, line, f"'{head}' must be a non-empty list of conditions")
        for c in cond[head]:
            check_condition(path, c)
    elif head == "not":
        check_condition(path, cond["not"])
    elif head == "context" and cond["context"] not in CONTEXTS:
        raise RuleError(
            path, line, f"unknown context {cond['context']!r}; known: {', '.join(sorted(CONTEXTS))}"
        )
    elif head == "outcome" and cond["outcome"] not in ("failed", "incomplete", "online"):
        raise RuleError(path, line, "'outcome' must be failed, incomplete or online")
    elif head in ("reached", "not_reached") and cond[head] not in _STAGE_NAMES:
        raise RuleError(path, line, f"unknown stage {cond[head]!r}")


def parse_rule(path: str, text: str) -> Rule:
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise RuleError(path, 1, "a rule file must be a mapping")
    unknown = set(raw) - _RULE_KEYS - {"__line__"}
    if unknown:
        raise RuleError(path, 1, f"unknown key(s): {', '.join(sorted(unknown))}")
    rid = raw.get("id")
    if not isinstance(rid, str) or not SLUG.match(rid):
        raise RuleError(path, 1, "'id' must be a kebab-case slug")
    if Path(path).stem != rid and not path.startswith("<"):
        raise RuleError(path, 1, f"'id' {rid!r} must equal the file name")
    stage = raw.get("stage")
    if stage not in _STAGE_NAMES:
        raise RuleError(path, 1, f"'stage' must be one of {', '.join(sorted(_STAGE_NAMES))}")
    check_condition(path, raw.get("when"))
    hyps_raw = raw.get("hypotheses")
    if not isinstance(hyps_raw, list) or not hyps_raw:
        raise RuleError(path, 1, "'hypotheses' must be a non-empty list")
    hyps = []
    seen: set[str] = set()
    for h in hyps_raw:
        if not isinstance(h, dict):
            raise RuleError(path, 1, "each hypothesis must be a mapping")
        hl = _line(h)
        unknown = set(h) - _HYP_KEYS - {"__line__"}
        if unknown:
            raise RuleError(path, hl, f"unknown hypothesis key(s): {', '.join(sorted(unknown))}")
        hid = h.get("id")
        if not isinstance(hid, str) or not SLUG.match(hid) or hid in seen:
            raise RuleError(path, hl, "hypothesis 'id' must be a unique kebab-case slug")
        seen.add(hid)
        base = h.get("base")
        if not isinstance(base, int | float) or not 0 < base <= 1:
            raise RuleError(path, hl, "'base' must be a number in (0, 1]")
        adjust = []
        for adj in h.get("adjust", []) or []:
            if not isinstance(adj, dict) or "if" not in adj or "delta" not in adj:
                raise RuleError(path, _line(adj), "each adjustment needs 'if', 'delta' and 'because'")
            check_condition(path, adj["if"])
            if not isinstance(adj["delta"], int | float) or not -1 <= adj["delta"] <= 1:
                raise RuleError(path, _line(adj), "'delta' must be a number in [-1, 1]")
            adjust.append(Adjustment(_strip(adj["if"]), float(adj["delta"]), _text(path, adj, "because")))
        hyps.append(
            Hypothesis(
                id=hid,
                title=_text(path, h, "title"),
                explanation=_text(path, h, "explanation") if "explanation" in h else "",
                base=float(base),
                adjust=tuple(adjust),
                fix=_strings(path, h, "fix"),
                confirm=_strings(path, h, "confirm"),
                fix_for=_per_platform(path, h, "fix_for"),
                confirm_for=_per_platform(path, h, "confirm_for"),
            )
        )
    fix = _strings(path, raw, "fix")
    if not fix and not all(h.fix for h in hyps):
        raise RuleError(path, 1, "'fix' is required (on the rule or on every hypothesis)")
    evidence = _strings(path, raw, "evidence", required=True)
    for k in evidence:
        if k not in KINDS:
            raise RuleError(path, 1, f"evidence kind {k!r} is not a known event kind")
    # (a rule that holds on an event it does not cite would explain a failure with no line to show for it)
    uncited = sorted(_positive_kinds(raw["when"]) - set(evidence))
    if uncited:
        raise RuleError(path, 1, f"'when' takes event kind(s) the evidence list lacks: {', '.join(uncited)}")
    return Rule(
        id=rid,
        stage=stage,
        title=_text(path, raw, "title"),
        explanation=_text(path, raw, "explanation"),
        when=_strip(raw["when"]),
        hypotheses=tuple(hyps),
        fix=fix,
        confirm=_strings(path, raw, "confirm"),
        evidence=evidence,
        references=_strings(path, raw, "references"),
        path=path,
        fix_for=_per_platform(path, raw, "fix_for"),
        confirm_for=_per_platform(path, raw, "confirm_for"),
    )


def rule_files() -> list[tuple[str, str]]:
    """(name, text) of every shipped rule file, sorted by name."""
    folder = resources.files("wlandoctor.kb").joinpath("rules")
    out = []
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            out.append((f"kb/rules/{entry.name}", entry.read_text("utf-8")))
    return sorted(out)


@cache
def load_rules() -> tuple[Rule, ...]:
    """All shipped rules; raises RuleError for the first invalid one."""
    rules = [parse_rule(name, text) for name, text in rule_files()]
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RuleError("kb/rules", 1, f"duplicate rule id(s): {', '.join(sorted(dupes))}")
    return tuple(rules)


def check_all() -> list[RuleError]:
    """Every problem in every rule file (for ``wlandoctor rules check``), not just the first."""
    problems = []
    for name, text in rule_files():
        try:
            parse_rule(name, text)
        except RuleError as exc:
            problems.append(exc)
    return problems
