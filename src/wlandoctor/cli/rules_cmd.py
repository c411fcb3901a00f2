"""``wlandoctor rules``: list, show and check the knowledge base."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from wlandoctor.cli.app import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE, app
from wlandoctor.cli.common import escape, fail
from wlandoctor.kb.loader import RuleError, check_all, load_rules

rules_app = typer.Typer(help="The knowledge base of failure rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _rules() -> tuple:  # type: ignore[type-arg]
    try:
        return load_rules()
    except RuleError as exc:
        fail(f"{exc} (run `wlandoctor rules check`)", EXIT_NO_INPUT)
        raise


@rules_app.command("list")
def list_rules() -> None:
    """One line per rule: id, stage, title."""
    t = Table("id", "stage", "title", "causes")
    for r in sorted(_rules(), key=lambda r: (r.stage, r.id)):
        t.add_row(r.id, r.stage, escape(r.title), str(len(r.hypotheses)))
    Console().print(t)


@rules_app.command("show")
def show(rule_id: str = typer.Argument(..., help="The rule id (see `wlandoctor rules list`).")) -> None:
    """A rule in full: when it fires, its ranked causes, fix and confirm steps."""
    rule = next((r for r in _rules() if r.id == rule_id), None)
    if rule is None:
        fail(f"no rule {rule_id!r}; see `wlandoctor rules list`", EXIT_USAGE)  # (a name not known: usage)
    assert rule is not None
    c = Console(highlight=False)
    c.print(f"[bold]{rule.id}[/]  ({rule.stage})  {escape(rule.path)}")
    c.print(escape(rule.title))
    c.print(escape(rule.explanation))
    c.print(f"when: {escape(str(rule.when))}")
    for h in rule.hypotheses:
        c.print(f"\n[bold]- {h.id}[/] base {h.base:.2f}: {escape(h.title)}")
        for adj in h.adjust:
            c.print(f"    {adj.delta:+.2f} if {escape(str(adj.condition))}: {escape(adj.because)}")
        for i, step in enumerate(h.fix or rule.fix, 1):
            c.print(f"    fix {i}. {escape(step)}")
        for step in h.confirm or rule.confirm:
            c.print(f"    confirm: {escape(step)}")
    if rule.references:
        c.print("\nreferences:")
        for ref in rule.references:
            c.print(f"  - {escape(ref)}")


@rules_app.command("check")
def check() -> None:
    """Validate every rule file; exit 3 with file:line messages when any is invalid."""
    problems = check_all()
    c = Console(highlight=False)
    for p in problems:
        c.print(f"[red]{escape(str(p))}[/]")
    if problems:
        raise typer.Exit(EXIT_NO_INPUT)
    c.print(f"{len(load_rules())} rules OK")
    raise typer.Exit(EXIT_OK)
