"""``wlandoctor unknown``: the lines that look like onboarding events but that no reader understood, grouped
into templates (unknown.py), and a catalogue stub written from them."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from wlandoctor.cli.app import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE, app
from wlandoctor.cli.common import err_console, escape, fail, no_traceback, out_console, output_stream
from wlandoctor.parsers import all_parsers
from wlandoctor.report.json_report import safe
from wlandoctor.sources import sanitize
from wlandoctor.unknown import mine, stub

SHOWN_CHARS = 300  # of an example line printed

PATHS = typer.Argument(..., help="Files, folders (read recursively) or - for stdin, as for `diagnose`.")


@app.command("unknown")
def unknown(
    paths: list[str] = PATHS,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    top: int = typer.Option(30, "--top", min=1, help="Templates shown (the commonest first)."),
    write_stub: Path | None = typer.Option(
        None,
        "--stub",
        help="Also write a message catalogue stub (YAML) with one message per template to FILE, to fill in "
        "and contribute (docs/formats.md).",
    ),
    input_format: str | None = typer.Option(
        None, "--input-format", help="Skip detection; see `wlandoctor formats`."
    ),
) -> None:
    """Group the lines that look like onboarding events but were not understood into templates, with
    counts, examples (file:line) and the stations they name: what a new catalogue entry would read.

    Examples: `wlandoctor unknown ap.log`, `wlandoctor unknown logs/ --stub mine.yaml`.
    Exit codes: 0 read (whether or not anything was left unread); 2 bad command line; 3 nothing readable.
    """
    if fmt not in ("text", "json"):
        fail(f"--format {fmt!r}: unknown writes text or json", EXIT_USAGE)
    readers = [p.name for p in all_parsers()]
    if input_format is not None and input_format not in readers:
        fail(f"unknown input format {input_format!r}; choose one of: {', '.join(readers)}", EXIT_USAGE)
    with no_traceback():
        summaries, miner = mine(paths, input_format)
        templates = miner.templates()
        if write_stub is not None and templates:
            with output_stream(write_stub) as out:
                out.write(stub(templates, [sanitize(s.source) for s in summaries]))
        inputs = [
            {
                "source": sanitize(s.source),
                "format": s.format,
                "understood": s.coverage.understood,
                "unread": s.coverage.unread,
            }
            for s in summaries
        ]
        if fmt == "json":
            data = {
                "inputs": inputs,
                "unread_lines": miner.lines,
                "templates": [t.to_dict() for t in templates[:top]],
                "templates_total": len(templates),
            }
            typer.echo(safe(json.dumps(data, indent=2, ensure_ascii=False)))
        else:
            _text(inputs, templates, top, miner.lines)
        if write_stub is not None:
            if templates:
                err_console.print(
                    f"catalogue stub with {len(templates)} message(s) written to {escape(str(write_stub))}"
                )
            else:
                err_console.print("nothing left unread: no stub written")
    readable = any(s.format not in ("unreadable", "empty") for s in summaries)
    raise typer.Exit(EXIT_OK if readable else EXIT_NO_INPUT)


def _text(inputs: list[dict[str, object]], templates: list, top: int, lines: int) -> None:  # type: ignore[type-arg]
    console = out_console()
    for i in inputs:
        console.print(
            f"{escape(str(i['source']))} ({i['format']}): {i['understood']} line(s) understood, "
            f"{i['unread']} that look like onboarding events not understood"
        )
    if not templates:
        console.print("Nothing left unread: every line that looks like an onboarding event was understood.")
        return
    shown = min(top, len(templates))
    console.print(
        f"\n{lines} line(s) not understood, in {len(templates)} template(s)"
        + (f" (the {shown} commonest shown; --top N for more)" if shown < len(templates) else "")
        + ":"
    )
    for t in templates[:top]:
        first = t.examples[0]
        more = t.station_count - len(t.stations)
        named = ", ".join(t.stations) + (f" and {more} more" if more > 0 else "")
        console.print(f"\n[bold]{t.count} line(s):[/] {escape(t.template)}", soft_wrap=True)
        console.print(
            f"  first at {escape(first.source)}:{first.line}: {escape(first.text[:SHOWN_CHARS])}",
            soft_wrap=True,
        )
        if named:
            console.print(f"  MACs named: {named}", soft_wrap=True)
    console.print("\nWrite them as a catalogue stub to fill in: --stub FILE (docs/formats.md).")
