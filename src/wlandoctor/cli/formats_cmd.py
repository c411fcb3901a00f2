"""``wlandoctor formats [NAME]``: the input formats recognised, with an example line each; for a format
whose wording is a message catalogue (parsers/catalogues/), its messages and the event each gives."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from wlandoctor.cli.app import EXIT_FAILED, EXIT_NO_INPUT, EXIT_USAGE, app
from wlandoctor.cli.common import escape, fail, out_console
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers import all_parsers, message_of
from wlandoctor.parsers.catalogue import Catalogue, CatalogueError, check, load, parse
from wlandoctor.sources import sanitize


def catalogues() -> dict[str, Catalogue]:
    """Every message catalogue shipped, by platform (its file name)."""
    folder = resources.files("wlandoctor.parsers").joinpath("catalogues")
    names = sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    return {name: load(name) for name in names}


MAX_CATALOGUE = 4 * 1024 * 1024  # bytes of a catalogue file read by --check


@app.command("formats")
def formats(
    name: str = typer.Argument(None, help="A format whose message catalogue to list (e.g. mikrotik)."),
    check_file: Path | None = typer.Option(
        None,
        "--check",
        help="Check a catalogue file (a stub from `wlandoctor unknown --stub`, or an edited one): it loads, "
        "and each example line is matched first by its own message.",
    ),
    kinds: bool = typer.Option(False, "--kinds", help="List the event kinds a catalogue message can give."),
    markdown: bool = typer.Option(
        False, "--markdown", help="Every catalogue as Markdown (docs/catalogues.md is this output)."
    ),
) -> None:
    """List the input formats wlandoctor detects, with an example of each; with NAME, the messages of that
    format's catalogue, the event each gives and a real example line.

    Examples: `wlandoctor formats`, `wlandoctor formats mikrotik`, `wlandoctor formats --kinds`,
    `wlandoctor formats --check mine.yaml`.
    Exit codes (--check): 0 the catalogue is sound; 1 an example is not matched by its own message;
    3 the file cannot be read or is not a catalogue.
    """
    console = out_console()
    if check_file is not None:
        _check(check_file, console)
        return
    if markdown:
        typer.echo(catalogues_markdown(catalogues()), nl=False)
        return
    if kinds:
        t = Table("kind", "stage", "what it means")
        for kind, info in KINDS.items():
            t.add_row(kind, str(info.stage), escape(info.description))
        console.print(t)
        return
    cats = catalogues()
    if name is None:
        t = Table("format", "what it reads", "messages", "example", show_lines=True)
        readers = {p.name for p in all_parsers()}
        for p in all_parsers():
            # (a reader that shares another's catalogue names it: the windows text, CSV and report readers)
            shared = getattr(p, "catalogue", None)
            cat = cats.get(p.name)
            if cat is not None and (shared not in cats or shared == p.name):
                count = f"{len(cat.messages)} (catalogue)"
            elif cat is not None:  # (its wording in code, some in its own catalogue, some in another's)
                count = (
                    f"code;\n{len(cat.messages)} (catalogue {p.name});\n"
                    f"{len(cats[str(shared)].messages)} (catalogue {shared})"
                )
            elif shared in cats and shared in readers:
                count = f"{len(cats[shared].messages)} (catalogue {shared})"
            elif shared in cats:  # (a reader whose own wording is in code, and one platform's in a catalogue)
                count = f"code; {len(cats[shared].messages)} (catalogue {shared})"
            else:
                count = "in code"
            # (a reader with more catalogues of its own: hostap's wpa_supplicant failures)
            for extra in getattr(p, "also_catalogues", ()):
                if extra in cats:
                    count += f";\n{len(cats[extra].messages)} (catalogue {extra})"
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


def _check(path: Path, console: Console) -> None:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_CATALOGUE + 1)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", EXIT_NO_INPUT)
    if len(data) > MAX_CATALOGUE:
        fail(f"{path}: larger than {MAX_CATALOGUE // 2**20} MiB: not a catalogue", EXIT_NO_INPUT)
    try:
        cat = parse(data.decode("utf-8"), sanitize(str(path)))
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start})", EXIT_NO_INPUT)
    except CatalogueError as exc:
        fail(str(exc), EXIT_NO_INPUT)
    problems = check(cat, lambda line: message_of(cat.platform, line))
    where = escape(sanitize(str(path)))
    examples = sum(len(m.examples) for m in cat.messages)
    if problems:
        for p in problems:
            console.print(f"{where}: {escape(sanitize(p))}", soft_wrap=True)
        fail(f"{len(problems)} problem(s) in {len(cat.messages)} message(s)", EXIT_FAILED)
    console.print(
        f"{where}: {len(cat.messages)} message(s), {examples} example line(s): each matched by its own message",
        soft_wrap=True,
    )


EXAMPLE_CHARS = 160  # of an example line shown in the Markdown listing


def catalogues_markdown(cats: dict[str, Catalogue]) -> str:
    """Every catalogue's messages as Markdown: what docs/catalogues.md holds (a test checks it is current)."""
    out = [
        "# Message catalogues",
        "",
        "Generated from `src/wlandoctor/parsers/catalogues/*.yaml` by `wlandoctor formats --markdown`; do not",
        "edit by hand (tests/test_catalogues.py checks this file is current). docs/formats.md says how each",
        "input is read and collected; a message's event kinds are listed by `wlandoctor formats --kinds`.",
        "",
    ]
    for name, cat in cats.items():
        out += [f"## {name}: {_cell(cat.title)}", "", f"{len(cat.messages)} messages.", ""]
        out += ["| message | event | example |", "|---|---|---|"]
        for msg in cat.messages:
            event = f"`{msg.kind}`" if msg.kind else "none (known)"
            if msg.handler:
                event += f", then `{msg.handler}()` in the reader's code"
            line = str(msg.examples[0].get("line", "")) if msg.examples else ""
            if len(line) > EXAMPLE_CHARS:
                line = line[: EXAMPLE_CHARS - 1] + "…"
            out.append(f"| {msg.id} | {event} | {_code(line)} |")
        out.append("")
        if cat.sources:
            out += ["Sources:", ""] + [f"- {_cell(src)}" for src in cat.sources] + [""]
    return "\n".join(out)


def _cell(text: str) -> str:
    return sanitize(text).replace("|", "\\|")


def _code(text: str) -> str:
    """A code span that holds any text (longer back-tick fences when the text has back-ticks)."""
    text = _cell(text)
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else ""
