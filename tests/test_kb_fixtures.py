"""Every knowledge-base rule against its fixtures.

Layout (docs/rules.md): ``tests/kb/<rule id>/trigger.<ext>`` is a realistic input that must trigger the rule
and ``tests/kb/<rule id>/expected.yaml`` says what the diagnosis of one station must contain.  A rule may
ship more cases as ``trigger-<n>.<ext>`` + ``expected-<n>.yaml`` (e.g. the same cause seen through another
command, or context that re-ranks the differential).  An optional ``parser_gap`` in an expected file names
a real input format the parser does not read yet; that case is a strict xfail until it does.  ``tests/kb/_healthy/`` holds healthy sessions on which
every rule must stay silent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from wlandoctor.kb.loader import RuleError, check_all, load_rules, parse_rule, rule_files
from wlandoctor.model import Diagnosis, Report
from wlandoctor.parsers import hostap, linux_client
from wlandoctor.pipeline import diagnose_paths

KB = Path(__file__).parent / "kb"
HEALTHY = KB / "_healthy"
EXPECTED_KEYS = {"station", "verdict", "stage", "causes_include", "top", "evidence_lines", "parser_gap"}


def _rule_ids() -> list[str]:
    return sorted(Path(name).stem for name, _ in rule_files())


def _fixture_dirs() -> list[Path]:
    return sorted(p for p in KB.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _cases() -> list[Any]:
    """(rule id, trigger path, expected path) for every expected*.yaml under tests/kb/<rule>/."""
    out = []
    for d in _fixture_dirs():
        for exp in sorted(d.glob("expected*.yaml")):
            suffix = exp.stem[len("expected") :]  # "" or "-2"
            triggers = [t for t in d.glob(f"trigger{suffix}.*") if t.suffix != ".yaml"]
            # ``parser_gap`` names input the Huawei parser does not read yet; the case must then fail,
            # and starts to pass (so fails as XPASS, strict) once the parser learns the format.
            gap = (yaml.safe_load(exp.read_text("utf-8")) or {}).get("parser_gap")
            marks = [pytest.mark.xfail(reason=f"parser gap: {gap}", strict=True)] if gap else []
            out.append(pytest.param(d.name, triggers, exp, id=f"{d.name}{suffix}", marks=marks))
    return out


def _diagnosis(report: Report, station: str) -> Diagnosis:
    found = [d for d in report.diagnoses if d.station == station]
    assert found, f"no diagnosis for {station}; stations: {[d.station for d in report.diagnoses]}"
    return found[0]


def _problems(report: Report) -> list[str]:
    return [f"{s.source}:{p.line}: {p.message}" for s in report.inputs for p in s.problems]


# ------------------------------------------------------------------------------------------------ rules


def test_every_rule_file_validates() -> None:
    assert check_all() == []
    rules = load_rules()
    assert len(rules) >= 35
    assert len({r.id for r in rules}) == len(rules)


def test_invalid_rule_is_refused_with_file_and_line() -> None:
    good = (KB.parent.parent / "src/wlandoctor/kb/rules/dhcp-nak.yaml").read_text("utf-8")
    broken = good.replace("event: dhcp.nak", "event: dhcp.nack")
    with pytest.raises(RuleError) as err:
        parse_rule("kb/rules/dhcp-nak.yaml", broken)
    assert "dhcp.nack" in str(err.value) and err.value.path == "kb/rules/dhcp-nak.yaml" and err.value.line > 1


def test_a_rule_cites_every_event_it_holds_on() -> None:
    good = (KB.parent.parent / "src/wlandoctor/kb/rules/dhcp-nak.yaml").read_text("utf-8")
    parse_rule("kb/rules/dhcp-nak.yaml", good)
    uncited = good.replace(
        "evidence: [dhcp.failure, dhcp.nak, dhcp.request]", "evidence: [dhcp.failure, dhcp.request]"
    )
    assert uncited != good
    with pytest.raises(RuleError) as err:
        parse_rule("kb/rules/dhcp-nak.yaml", uncited)
    assert "evidence list lacks: dhcp.nak" in str(err.value)


def test_a_pattern_condition_is_checked_when_loaded() -> None:
    good = (KB.parent.parent / "src/wlandoctor/kb/rules/network-not-found.yaml").read_text("utf-8")
    assert "matches: '" in good
    for broken, said in (
        (good.replace("matches: '(?i)", "matches: '(?i"), "not a regular expression"),
        (good.replace("{matches: '", "{match: '"), "{matches: REGEX}"),
    ):
        with pytest.raises(RuleError) as err:
            parse_rule("kb/rules/network-not-found.yaml", broken)
        assert said in str(err.value) and err.value.line > 1


@pytest.mark.parametrize(
    ("ssid", "says_5ghz"),
    [
        ("Lab-5G", True),
        ("MyNet_5GHz", True),
        ("Livebox 5 GHz", True),
        ("Vodafone5G", True),
        ("HOME.5.0G", True),
        ("5G", True),
        ("Room25G", False),
        ("TP-Link_5G_Guest", False),
        ("office", False),
        ("5GHome", False),
    ],
)
def test_the_ssid_that_names_5ghz_is_told_by_its_pattern(ssid: str, says_5ghz: bool) -> None:
    from wlandoctor.kb.engine import _attr_matches

    [rule] = [r for r in load_rules() if r.id == "network-not-found"]
    raw = yaml.safe_load((KB.parent.parent / "src/wlandoctor/kb/rules/network-not-found.yaml").read_text())
    [pattern] = [
        a["if"]["where"]["ssid"]
        for h in raw["hypotheses"]
        for a in h.get("adjust", [])
        if "ssid" in a["if"].get("where", {})
    ]
    assert rule is not None and _attr_matches(ssid, pattern) is says_5ghz


def test_knowledge_base_covers_every_stage_of_failure() -> None:
    stages = {r.stage for r in load_rules()}
    assert {
        "802.11-auth",
        "association",
        "802.1x",
        "4way-handshake",
        "group-key",
        "dhcp",
        "authorization",
    } <= stages


def test_every_rule_has_a_fixture() -> None:
    have = {d.name for d in _fixture_dirs() if (d / "expected.yaml").is_file()}
    missing = sorted(set(_rule_ids()) - have)
    assert not missing, f"rules without tests/kb/<id>/expected.yaml: {missing}"
    for rid in _rule_ids():
        assert [t for t in (KB / rid).glob("trigger.*")], f"tests/kb/{rid} has no trigger input"


def test_every_fixture_belongs_to_a_rule() -> None:
    orphans = sorted({d.name for d in _fixture_dirs()} - set(_rule_ids()))
    assert not orphans, f"fixture folders without a rule file: {orphans}"


# Reason slugs come from the parsers' tables; a rule naming a slug no parser produces would never fire.
SLUG_KINDS = {
    "online_fail.record",
    "aaa_fail.record",
    "offline.record",
    "assoc.failure",
    "aaa.fail",
    "dhcp.failure",
}
# dnsmasq's own wording, passed through by the hostapd/dnsmasq parser (dnsmasq src/rfc2131.c).
# Reasons kept as the log writes them: dnsmasq's, and wpa_supplicant's CTRL-EVENT-SSID-TEMP-DISABLED reasons.
RAW_REASONS = (
    {"no address available", linux_client.ASSOCIATION_TOO_LONG}
    | set(hostap._TEMP_DISABLED)
    | hostap.REASONS
    | set(linux_client.NM_REASONS)  # (NetworkManager's device failure reasons, kept as written)
)
# Huawei reasons that are not faults ("Success", "A STA goes offline properly.") or say nothing specific.
NOT_A_CAUSE = {"success", "normal-offline", "other-reason", "unexpected-offline"}


def _huawei_slugs() -> set[str]:
    raw = yaml.safe_load((KB.parent.parent / "src/wlandoctor/parsers/huawei_reasons.yaml").read_text("utf-8"))
    # (every table but access_type, which names how a user authenticates, not why it failed)
    return {row[0] for name, table in raw.items() if name != "access_type" for row in table.values()}


def _reasons_in(cond: Any, out: set[tuple[str, str]]) -> None:
    if not isinstance(cond, dict):
        return
    kind = cond.get("event") or cond.get("global")
    where = cond.get("where") or {}
    if kind in SLUG_KINDS and "reason" in where:
        values = where["reason"] if isinstance(where["reason"], list) else [where["reason"]]
        out.update((kind, str(v)) for v in values)
    for key in ("all", "any"):
        for c in cond.get(key, []):
            _reasons_in(c, out)
    _reasons_in(cond.get("not"), out)


def _rule_reasons() -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for r in load_rules():
        _reasons_in(r.when, out)
        for h in r.hypotheses:
            for a in h.adjust:
                _reasons_in(a.condition, out)
    return out


def test_rules_name_only_reasons_a_parser_produces() -> None:
    known = _huawei_slugs() | RAW_REASONS
    unknown = sorted((k, v) for k, v in _rule_reasons() if v not in known)
    assert not unknown, f"reason values no parser produces: {unknown}"


def test_every_huawei_fault_reason_has_a_rule() -> None:
    handled = {v for _, v in _rule_reasons()}
    missing = sorted(_huawei_slugs() - handled - NOT_A_CAUSE)
    assert not missing, f"Huawei reasons no rule explains: {missing}"


# ------------------------------------------------------------------------------------------------ cases


@pytest.mark.parametrize(("rule_id", "triggers", "expected_path"), _cases())
def test_rule_fixture(rule_id: str, triggers: list[Path], expected_path: Path) -> None:
    assert len(triggers) == 1, f"{expected_path}: expected exactly one matching trigger file, got {triggers}"
    trigger = triggers[0]
    exp = yaml.safe_load(expected_path.read_text("utf-8"))
    assert set(exp) <= EXPECTED_KEYS, f"unknown keys in {expected_path}: {set(exp) - EXPECTED_KEYS}"
    report = diagnose_paths([str(trigger)])

    # Fixtures are written in the real formats: every reason string must be known to the parser.
    unknown = [p for p in _problems(report) if "not in the knowledge base" in p or "not recognised" in p]
    assert not unknown, unknown

    diag = _diagnosis(report, exp["station"])
    ids = [c.id for c in diag.causes]
    assert str(diag.verdict) == exp["verdict"], (diag.verdict, ids)
    assert str(diag.stage) == exp["stage"], (diag.stage, ids)
    wanted = exp["causes_include"]
    assert any(c.split("/")[0] == rule_id for c in wanted), f"{expected_path} must name a cause of {rule_id}"
    for c in wanted:
        assert c in ids, f"{c} not among {ids}"
    if "top" in exp:
        assert ids and ids[0] == exp["top"], f"top is {ids[:3]}, expected {exp['top']}"
    if "evidence_lines" in exp:
        cited = {ev.line for c in diag.causes if c.rule == rule_id for ev in c.evidence}
        missing = sorted(set(exp["evidence_lines"]) - cited)
        assert not missing, f"lines {missing} of {trigger.name} not cited; cited {sorted(cited)}"
    for c in diag.causes:
        assert 0.01 <= c.confidence <= 0.99 and c.why_confidence and c.fix


def test_there_are_enough_cases() -> None:
    assert len(_cases()) >= len(_rule_ids())


# ---------------------------------------------------------------------------------------------- healthy


def _healthy_logs() -> list[Path]:
    return sorted(p for p in HEALTHY.iterdir() if p.is_file() and p.suffix != ".md")


def test_there_are_healthy_logs() -> None:
    assert len(_healthy_logs()) >= 3


@pytest.mark.parametrize("log", _healthy_logs(), ids=lambda p: p.name)
def test_rules_silent_on_healthy_log(log: Path) -> None:
    report = diagnose_paths([str(log)])
    assert not _problems(report), _problems(report)
    assert report.diagnoses, "a healthy log must still show stations"
    for d in report.diagnoses:
        assert str(d.verdict) == "online", (d.station, d.verdict, d.stage)
        assert d.causes == [], (d.station, [c.id for c in d.causes])


@pytest.mark.parametrize("log", _healthy_logs(), ids=lambda p: p.name)
def test_no_rule_condition_holds_on_healthy_attempts(log: Path) -> None:
    """Stronger than the engine's own silence on online stations: no rule's condition holds on any
    attempt of a healthy log, so a rule cannot fire as soon as one line goes missing at the end."""
    from wlandoctor.kb.context import InputContext
    from wlandoctor.kb.engine import _holds
    from wlandoctor.pipeline import Options, ingest
    from wlandoctor.timeline import TimelineBuilder

    builder = TimelineBuilder()
    ingest([str(log)], builder, Options())
    timelines = builder.build()
    ctx = InputContext.build(timelines)
    for tl in timelines.stations.values():
        for attempt in tl.attempts:
            if attempt.outcome == "failed":
                # a refusal the station got over on its next try (wpa2-psk-linksys.cap: an association
                # refused with status 10, then a new one accepted) is a failed attempt, not a healthy one
                continue
            fired = [r.id for r in load_rules() if _holds(r.when, tl, attempt, ctx)]
            assert not fired, (tl.station, attempt.number, fired)
