"""The Markdown report, for pasting into tickets and chat.

Log-derived text outside code blocks is backslash-escaped (CommonMark lets any ASCII punctuation be
escaped), so it cannot open links, emphasis, HTML or table cells.  Evidence goes into a fenced code block
whose fence is longer than any backtick run in the text, so no log line can close it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wlandoctor.model import Report
from wlandoctor.report.data import (
    attempt_line,
    attempts_shown,
    cause_groups,
    cause_groups_heading,
    clip,
    code_spans,
    counted_line,
    example_stations,
    guarded,
    narrowed_line,
    no_cause_line,
    percent,
    problem_where,
    problems_shown,
    proof_line,
    quoted,
    seen_by_line,
    to_dict,
)

TEXT_LIMIT = 2000  # characters of one evidence line kept in a ticket

Data = Mapping[str, Any]

# Punctuation that opens inline syntax anywhere in a line: code, emphasis, links and images (a '(' or '!'
# means nothing without an unescaped '['), inline HTML and autolinks ('<'), entities ('&'), GFM table
# cells, strikethrough and math, and '#' (a closing heading sequence).  Other punctuation stays readable.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<#|~&$])")
# What would start a block when it opens a line: list markers, block quote, setext underline, numbers.
_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))")
_BACKTICKS = re.compile(r"`+")


def md(text: object, *, block_start: bool = False) -> str:
    """Escape text for inline Markdown (table cells, headings, the middle of a line) as one line.

    ``block_start``: the text opens a paragraph or list item, where '- x' or '1. x' would start a list.
    """
    s = " ".join(str("" if text is None else text).splitlines())
    s = _INLINE_SPECIAL.sub(r"\\\1", s)
    m = _LINE_START.match(s) if block_start else None
    if m:
        lead = m.group(1)
        marker = f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"
        s = lead + marker + s[m.end() :]
    return s


def md_prose(text: object, *, block_start: bool = False) -> str:
    """A rule's prose as Markdown: its back-ticked commands as code spans, the rest escaped (``md``)."""
    out = []
    for i, (part, code) in enumerate(code_spans(" ".join(str(text or "").splitlines()))):
        out.append(f"`{part}`" if code else md(part, block_start=block_start and i == 0))
    return "".join(out)


def fence_for(text: str) -> str:
    """A backtick fence longer than any backtick run in ``text`` (at least three)."""
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    return "`" * max(3, longest + 1)


def code_block(lines: list[str]) -> list[str]:
    body = "\n".join(lines)
    fence = fence_for(body)
    return [f"{fence}text", *lines, fence]


def render_markdown(report: Report) -> str:
    """The report as Markdown: with two or more stations not online a list of them by most likely cause,
    a section per station that did not get online, then the healthy ones."""
    data = to_dict(report)
    s = data["summary"]
    out = [
        f"# {md(data['tool']['name'])} report",
        "",
        f"{s['stations']} station{'s' if s['stations'] != 1 else ''}: {s['failed']} failed, "
        f"{s['incomplete']} incomplete, {s['online']} online. Generated {md(data['generated'])} by "
        f"{md(data['tool']['name'])} {md(data['tool']['version'])}.",
    ]
    if s.get("counted_not_listed"):
        out += ["", md(counted_line(s))]
    if narrowed := narrowed_line(s):
        out += ["", md(narrowed)]
    troubled = [st for st in data["stations"] if st["verdict"] != "online"]
    healthy = [st for st in data["stations"] if st["verdict"] == "online"]
    if groups := cause_groups(troubled):
        out += ["", f"## {cause_groups_heading(groups)}", ""]
        for g in groups:
            rule = f" (`{g.cause_id}`)" if g.cause_id else ""
            stage = f", {md(', '.join(g.stages))}" if g.stages else ""
            out.append(f"- {len(g.stations)} × {md(g.title)}{rule}{stage}: {example_stations(g, md)}")
    for st in troubled:
        out += ["", *guarded(_station, st)]
    if healthy:
        out += ["", "## Online stations", ""]
        out += [guarded(_healthy_line, st) for st in healthy]
    out += ["", *_inputs(data)]
    return "\n".join(out) + "\n"


def _healthy_line(st: Data) -> str:
    where = "; ".join(
        part
        for part in (
            f"SSID {md(', '.join(st['ssids']))}" if st["ssids"] else "",
            f"AP {md(', '.join(st['aps']))}" if st["aps"] else "",
            md(st["problem"]) if st.get("problem") else "",
        )
        if part
    )
    return f"- {md(st['station'], block_start=True)}" + (f" ({where})" if where else "")


def _station(st: Data) -> list[str]:
    title = f"## {md(st['station'])}: {md(st['verdict'])}"
    if st["stage"]:
        title += f" at {md(st['stage'])}"
    out = [
        title,
        "",
        f"- **Verdict:** {md(st['verdict'])}",
        f"- **Failing stage:** {md(st['stage'] or 'none')}",
    ]
    if st.get("problem"):
        out.append(f"- **Report problem:** {md(st['problem'])}")
    for label, key in (("APs", "aps"), ("SSIDs", "ssids"), ("Sources", "sources")):
        if st[key]:
            names = quoted(st[key]) if key == "ssids" else st[key]
            out.append(f"- **{label}:** {md(', '.join(names))}")
    hidden, shown = attempts_shown(st)
    if hidden:
        out.append(f"- {hidden} earlier attempts not shown (the HTML and JSON reports list all)")
    for attempt in shown:
        out.append(f"- {md(attempt_line(attempt), block_start=True)}")

    if not st["causes"]:
        out += ["", no_cause_line(st) + " Last events seen:", ""]
        last = st["attempts"][-1]["events"][-6:] if st["attempts"] else []
        out += code_block([_event_line(ev) for ev in last]) if last else ["(none)"]
        return out

    out += [
        "",
        "### Causes",
        "",
        "| # | Cause | Confidence | Stage | Rule |",
        "|---:|---|---:|---|---|",
    ]
    for rank, cause in enumerate(st["causes"], 1):
        out.append(
            f"| {rank} | {md(cause['title'])} | {percent(cause['confidence'])} | {md(cause['stage'])} | "
            f"{md(cause['rule'])} |"
        )
    for rank, cause in enumerate(st["causes"], 1):
        out += ["", *_cause(rank, cause)]
    return out


def _cause(rank: int, cause: Data) -> list[str]:
    out = [f"#### {rank}. {md(cause['title'])} ({percent(cause['confidence'])})", ""]
    if cause["why_confidence"]:
        out += [f"Why {percent(cause['confidence'])}:", ""]
        out += [f"- {md(w, block_start=True)}" for w in cause["why_confidence"]]
        out.append("")
    seen = seen_by_line(cause)
    if seen:
        out += [f"_{md(seen)}_", ""]
    if cause["explanation"]:
        out += [md_prose(cause["explanation"], block_start=True), ""]
    if "proof" in cause:
        out += [md(proof_line(cause["proof"]), block_start=True), ""]
    if cause["evidence"]:
        out += ["Evidence:", ""]
        out += code_block(
            [f"{ev['source']}:{ev['line']}  {clip(ev['text'], TEXT_LIMIT)}" for ev in cause["evidence"]]
        )
        out.append("")
    if cause["fix"]:
        out += ["Fix:", ""]
        out += [f"{i}. {md_prose(step, block_start=True)}" for i, step in enumerate(cause["fix"], 1)]
        out.append("")
    if cause["confirm"]:
        out += ["Confirm or rule out:", ""]
        out += [f"- {md_prose(step, block_start=True)}" for step in cause["confirm"]]
        out.append("")
    if cause["references"]:
        out += ["References: " + "; ".join(md(r) for r in cause["references"]), ""]
    while out and out[-1] == "":
        out.pop()
    return out


def _event_line(ev: Data) -> str:
    time = f"{ev['time']}  " if ev["time"] else ""
    return f"{time}{ev['stage']}  {ev['kind']}  {ev['source']}:{ev['line']}  {clip(ev['text'], TEXT_LIMIT)}"


def _inputs(data: Data) -> list[str]:
    out = ["## Inputs", ""]
    if not data["inputs"]:
        return [*out, "No input."]
    out += ["| Source | Format | Records | Skipped | Problems |", "|---|---|---:|---:|---:|"]
    for inp in data["inputs"]:
        total = len(inp["problems"]) + inp["problems_dropped"]
        out.append(
            f"| {md(inp['source'])} | {md(inp['format'])} | {inp['records']} | {inp['skipped']} | {total} |"
        )
    for inp in data["inputs"]:
        problems, more = problems_shown(inp)
        if not problems and not more:
            continue
        out += ["", f"Problems in {md(inp['source'])}:", ""]
        out += [f"- {problem_where(p, inp)}: {md(p['message'])}" for p in problems]
        if more:
            out.append(f"- {more} more")
    return out
