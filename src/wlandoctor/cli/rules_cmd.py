"""``wlandoctor rules``: list, show and check the knowledge base."""

from __future__ import annotations

import typer
import yaml
from rich import box
from rich.table import Column, Table

from wlandoctor.cli.app import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE, app
from wlandoctor.cli.common import escape, fail, out_console
from wlandoctor.kb.loader import Rule, RuleError, check_all, load_rules
from wlandoctor.kb.platforms import PLATFORMS, step_platform
from wlandoctor.model import STAGES, stage_index

rules_app = typer.Typer(help="The knowledge base of failure rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _rules() -> tuple:  # type: ignore[type-arg]
    try:
        return load_rules()
    except RuleError as exc:
        fail(f"{exc} (run `wlandoctor rules check`)", EXIT_NO_INPUT)
        raise


def _platforms_of(r: Rule) -> set[str]:
    """The platforms a rule gives steps for: its fix_for / confirm_for, and the commands its steps name."""
    names = set(r.fix_for) | set(r.confirm_for)
    for h in r.hypotheses:
        names |= set(h.fix_for) | set(h.confirm_for)
        steps = [*h.fix, *h.confirm]
        names |= {p for p in map(step_platform, [*steps, *r.fix, *r.confirm]) if p}
    return names


@rules_app.command("list")
def list_rules(
    search: str | None = typer.Argument(
        None, help="Only rules whose id, title, explanation or causes hold this text (any case)."
    ),
    stage: str | None = typer.Option(None, "--stage", help=f"Only rules of this stage: {', '.join(STAGES)}."),
    platform: str | None = typer.Option(
        None, "--platform", help=f"Only rules with steps for this platform: {', '.join(PLATFORMS)}."
    ),
) -> None:
    """One line per rule (id, stage, title), in the order of the stages; filtered by text, stage
    or platform.  Examples: `wlandoctor rules list pmk`, `wlandoctor rules list --stage 802.1x`."""
    if stage is not None and stage not in STAGES:
        fail(f"unknown stage {stage!r}; choose one of: {', '.join(STAGES)}", EXIT_USAGE)
    if platform is not None and platform not in PLATFORMS:
        fail(f"unknown platform {platform!r}; choose one of: {', '.join(PLATFORMS)}", EXIT_USAGE)
    rules = sorted(_rules(), key=lambda r: (stage_index(r.stage), r.id))
    if stage is not None:
        rules = [r for r in rules if r.stage == stage]
    if platform is not None:
        rules = [r for r in rules if platform in _platforms_of(r)]
    if search:
        needle = search.lower()
        rules = [
            r
            for r in rules
            if needle in " ".join([r.id, r.title, r.explanation, *(h.title for h in r.hypotheses)]).lower()
        ]
    console = out_console()
    id_width = max((len(r.id) for r in rules), default=2)
    stage_width = max((len(r.stage) for r in rules), default=5)
    t = Table(
        Column("id", min_width=id_width, no_wrap=True),
        Column("stage", min_width=stage_width, no_wrap=True),
        # (one line per rule: the title is cut to what the width leaves)
        Column(
            "title",
            no_wrap=True,
            overflow="ellipsis",
            max_width=max(20, console.width - id_width - stage_width - 8),
        ),
        box=None if not console.is_terminal else box.SIMPLE_HEAD,
    )
    for r in rules:
        t.add_row(r.id, r.stage, escape(r.title))
    console.print(t)
    console.print(f"{len(rules)} of {len(_rules())} rules; `wlandoctor rules show ID` for one in full")


@rules_app.command("show")
def show(rule_id: str = typer.Argument(..., help="The rule id (see `wlandoctor rules list`).")) -> None:
    """A rule in full: when it fires, its ranked causes, fix and confirm steps.

    Example: `wlandoctor rules show 4way-m2-mic-mismatch`.
    """
    rule = next((r for r in _rules() if r.id == rule_id), None)
    if rule is None:
        fail(f"no rule {rule_id!r}; see `wlandoctor rules list`", EXIT_USAGE)  # (a name not known: usage)
    assert rule is not None
    c = out_console()
    c.print(f"[bold]{rule.id}[/]  ({rule.stage})  {escape(rule.path)}")
    c.print(escape(rule.title))
    c.print(escape(rule.explanation))
    # (conditions in the rule file's own YAML, not Python's dict notation)
    when = yaml.safe_dump({"when": rule.when}, default_flow_style=False, sort_keys=False, width=100)
    c.print(escape(when.rstrip()))
    for h in rule.hypotheses:
        c.print(f"\n[bold]- {h.id}[/] base {h.base:.2f}: {escape(h.title)}")
        for adj in h.adjust:
            cond = yaml.safe_dump(adj.condition, default_flow_style=True, sort_keys=False, width=1000).strip()
            c.print(f"    {adj.delta:+.2f} if {escape(cond)}: {escape(adj.because)}")
        for i, step in enumerate(h.fix or rule.fix, 1):
            c.print(f"    fix {i}. {escape(step)}")
        for step in h.confirm or rule.confirm:
            c.print(f"    confirm: {escape(step)}")
    if rule.references:
        c.print("\nreferences:")
        for ref in rule.references:
            c.print(f"  - {escape(ref)}")
    c.print(
        f"\nfixtures: tests/kb/{escape(rule.id)}/ in the source tree (a real log that triggers the rule and "
        "what it must give); tests/kb/_healthy/ holds the healthy logs every rule must be silent on"
    )


@rules_app.command("check")
def check() -> None:
    """Validate every rule file; exit 3 with file:line messages when any is invalid.

    Example: `wlandoctor rules check` after editing a file under kb/rules/.
    """
    problems = check_all()
    c = out_console()
    for p in problems:
        c.print(f"[red]{escape(str(p))}[/]")
    if problems:
        raise typer.Exit(EXIT_NO_INPUT)
    c.print(f"{len(load_rules())} rules OK")
    raise typer.Exit(EXIT_OK)
