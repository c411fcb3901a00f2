"""``wlandoctor formats``: the input formats recognised, with an example line each."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from wlandoctor.cli.app import app
from wlandoctor.cli.common import escape
from wlandoctor.parsers import all_parsers


@app.command("formats")
def formats() -> None:
    """List the input formats wlandoctor detects, with an example of each."""
    t = Table("format", "what it reads", "example", show_lines=True)
    for p in all_parsers():
        t.add_row(p.name, escape(p.description), escape(p.example))
    Console(highlight=False).print(t)
