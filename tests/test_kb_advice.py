"""Every cause that other platforms' events can raise has advice for them.

A fix step that names one platform's commands (``kb/platforms.yaml``) is left out of the advice for another
platform's evidence, unless nothing would be left: then every step is shown, and a Linux, OpenWrt or Cisco
user reads Huawei commands.  So every hypothesis (and every rule-level fix) carries at least one neutral step,
in plain words, unless its rule can only ever fire on one vendor's own records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wlandoctor.kb.loader import Rule, load_rules
from wlandoctor.kb.platforms import step_platform
from wlandoctor.pipeline import Options, diagnose_paths

REAL = Path(__file__).parent / "data" / "real"

# Rules whose `when:` only events of one platform's reader can meet (checked against src/wlandoctor/parsers/):
# their platform-specific steps can never be shown to another platform's user.  A rule leaves this list the
# day another reader emits what it needs; it then needs a neutral step.
SINGLE_PLATFORM = {
    # handshake.failed with reporter=ac: only the Huawei AC's WSEC "4-way-handshake failed (Code:...)"
    "ac-4way-handshake-failed",
    # assoc.failure reason repeat-association / reassoc-mac-check-failed: Huawei "FailType is AC code" only
    "ac-refused-association",
    # offline/online_fail.record reason ap-faulty: Huawei's "The AP is faulty." only
    "ap-faulty",
    # online_fail/offline.record reason assoc-stage-auth-failure: Huawei's record text only
    "assoc-stage-auth-failure",
    # offline.record reason config-modified: Huawei's "The configuration is modified." only
    "config-modified",
    # dot1x.quiet: Huawei's quiet table ("display dot1x quiet-user all", "still in quiet status") only
    "dot1x-quiet",
    # portal.error reason portal-get-not-permitted / portal-username-key: Huawei's portal debug only
    "portal-get-not-permitted",
    "portal-username-key-mismatch",
    # online_fail/offline.record reason sta-entry-add-failure: Huawei's record text only
    "sta-entry-add-failure",
    # aaa_fail.record reason user-blocked, aaa.user_blocked: Huawei's AAA records only
    "user-blocked",
}


def _rules() -> list[Rule]:
    return load_rules()


def _without_neutral(rule: Rule) -> list[str]:
    """The hypotheses (and "(rule)" for the rule-level fix) whose every fix step names a platform."""
    out = [h.id for h in rule.hypotheses if h.fix and all(step_platform(s) for s in h.fix)]
    if rule.fix and all(step_platform(s) for s in rule.fix):
        out.append("(rule)")
    return out


@pytest.mark.parametrize("rule", [r for r in _rules() if r.id not in SINGLE_PLATFORM], ids=lambda r: r.id)
def test_every_hypothesis_has_a_neutral_fix_step(rule: Rule) -> None:
    missing = _without_neutral(rule)
    assert not missing, (
        f"{rule.id}: {missing} have only platform-specific fix steps; add a neutral step first "
        "(what to check and where, without any platform's commands)"
    )


def test_single_platform_list_is_current() -> None:
    """A rule on the list must exist and still need the exemption."""
    rules = {r.id: r for r in _rules()}
    assert set(rules) >= SINGLE_PLATFORM, SINGLE_PLATFORM - set(rules)
    stale = sorted(r for r in SINGLE_PLATFORM if not _without_neutral(rules[r]))
    assert not stale, (
        f"these rules have neutral steps everywhere now; drop them from SINGLE_PLATFORM: {stale}"
    )


def test_linux_client_dhcp_case_gets_no_huawei_commands() -> None:
    path = REAL / "client-dhcpcd-eduroam-expired-lease-no-offer-ipv4ll" / "input.log"
    report = diagnose_paths([str(path)], Options())
    assert report.diagnoses
    causes = report.diagnoses[0].causes
    assert causes
    for cause in causes:
        assert cause.fix, cause.id
        for step in cause.fix:
            assert "display " not in step, f"{cause.id}: {step}"
