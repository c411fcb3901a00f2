"""``wlandoctor formats [NAME]``: the input formats recognised, with an example line each; for a format
whose wording is a message catalogue (parsers/catalogues/), its messages and the event each gives."""

from __future__ import annotations

from importlib import resources

import typer
from rich.console import Console
from rich.table import Table

from wlandoctor.cli.app import EXIT_USAGE, app
from wlandoctor.cli.common import escape, fail
from wlandoctor.parsers import all_parsers
from wlandoctor.parsers.catalogue import Catalogue, load


def catalogues() -> dict[str, Catalogue]:
    """Every message catalogue shipped, by platform (its file name)."""
    folder = resources.files("wlandoctor.parsers").joinpath("catalogues")
    names = sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    return {name: load(name) for name in names}


@app.command("formats")
def formats(
    name: str = typer.Argument(None, help="A format whose message catalogue to list (e.g. mikrotik)."),
) -> None:
    """List the input formats wlandoctor detects, with an example of each; with NAME, the messages of that
    format's catalogue, the event each gives and a real example line.

    Examples: `wlandoctor formats`, `wlandoctor formats mikrotik`.
    """
    cats = catalogues()
    console = Console(highlight=False)
    if name is None:
        t = Table("format", "what it reads", "messages", "example", show_lines=True)
        for p in all_parsers():
            cat = cats.get(p.name)
            count = f"{len(cat.messages)} (catalogue)" if cat is not None else "in code"
            t.add_row(p.name, escape(p.description), count, escape(p.example))
        console.print(t)
        return
    cat = cats.get(name)
    if cat is None:
        known = ", ".join(cats) or "none"
        fail(f"no message catalogue named {name!r}; catalogues: {known}", EXIT_USAGE)
        return
    console.print(f"{escape(cat.title)}  (src/wlandoctor/parsers/catalogues/{name}.yaml)")
    t = Table("message", "event", "example", show_lines=True)
    for msg in cat.messages:
        event = msg.kind or "none (known)"
        if msg.handler:
            event += f", then {msg.handler}()"
        example = str(msg.examples[0].get("line", "")) if msg.examples else ""
        t.add_row(msg.id, event, escape(example))
    console.print(t)
    for source in cat.sources:
        console.print(f"source: {escape(source)}")
