"""Renderers of one ``Report``: terminal text, JSON (a document or JSON Lines), HTML and Markdown.

Text, HTML and Markdown start from ``report.data.to_dict`` (the full form of docs/json.md), the JSON
report from the compact form of ``report.compact``; both sanitise and redact every string once with the
report's ``Cleaner``, and each renderer then escapes for its own output language.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console

from wlandoctor.model import Report
from wlandoctor.report.data import SCHEMA_VERSION, load_schema, to_dict
from wlandoctor.report.html import render_html, write_html
from wlandoctor.report.json_report import render_json, write_json, write_jsonl
from wlandoctor.report.markdown import render_markdown
from wlandoctor.report.rendered import EXTRA as RENDERED
from wlandoctor.report.text import render_text

FORMATS: tuple[str, ...] = ("text", "json", "jsonl", "html", "markdown")

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "load_schema",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "to_dict",
]


def render(
    report: Report,
    fmt: str,
    stream_or_console: TextIO | Console,
    details: bool | None = None,
    events: bool = False,
    show_all: bool = False,
    show_inputs: bool = False,
) -> None:
    """Write ``report`` in format ``fmt`` (one of ``FORMATS``) to a text stream or a rich console.

    ``text`` prints through a rich console (one is made around a plain stream, so colour follows the
    stream: none when it is not a terminal or NO_COLOR is set).  The other formats write their text as is;
    given a console, they write to its underlying file, bypassing markup and wrapping.  ``details``: for
    ``text``, every station not online in full (True), the summary alone (False), or a short block each,
    one line each beyond ``text.COMPACT_OVER`` of them (None); ``show_all`` lists the online stations,
    ``show_inputs`` every input's notes and problems.  ``events``: the JSON reports list every station's
    events (the other formats choose what they show).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt not in ("json", "jsonl") and RENDERED in report.extra:
        raise ValueError(
            f"this report holds JSON station lines, not diagnoses: it cannot be written as {fmt}"
        )
    if fmt == "text":
        console = (
            stream_or_console if isinstance(stream_or_console, Console) else Console(file=stream_or_console)
        )
        render_text(report, console, details, show_all, show_inputs)
        return
    stream = stream_or_console.file if isinstance(stream_or_console, Console) else stream_or_console
    if fmt == "json":
        write_json(report, stream, events)
        stream.write("\n")
        stream.flush()
        return
    if fmt == "jsonl":
        write_jsonl(report, stream, events)
        stream.flush()
        return
    if fmt == "html":
        write_html(report, stream)
        stream.flush()
        return
    out = render_markdown(report)
    stream.write(out)
    stream.flush()
