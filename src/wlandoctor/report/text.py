"""The terminal report, rendered with rich.

Every piece of log-derived text is placed in ``rich.text.Text`` objects (never in markup strings), so a
log line such as ``[bold]x[/]`` prints literally and cannot style or hide anything.  Control characters
were already made visible by ``report.data``.  Colour is decoration only: with NO_COLOR or output that is
not a terminal the same words are printed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from wlandoctor.model import Report
from wlandoctor.model.diagnosis import HINTS_COUNTED
from wlandoctor.report.data import (
    CauseGroup,
    attempt_line,
    attempts_shown,
    cause_groups,
    cause_groups_heading,
    clip,
    counted_line,
    deciding_evidence,
    example_stations,
    guarded,
    in_common,
    narrowed_line,
    no_cause_line,
    percent,
    plural,
    problem_where,
    problems_shown,
    proof_line,
    quoted,
    seen_by_line,
    to_dict,
)

TEXT_LIMIT = 400  # characters of one log line shown in the terminal (JSON/HTML keep more)
LAST_EVENTS = 6  # events shown for a failed station no rule explains
COMPACT_OVER = 20  # stations not online beyond which each gets one line instead of a panel (unless asked)
VERDICT_STYLE = {"failed": "bold red", "incomplete": "bold yellow", "online": "bold green"}
PROOF_STYLE = {"match": "green", "no-match": "red", "incomplete": "yellow", "cannot-check-offline": "yellow"}

Data = Mapping[str, Any]


def render_text(
    report: Report,
    console: Console,
    details: bool | None = None,
    show_all: bool = False,
    show_inputs: bool = False,
) -> None:
    """Print the report with the answer first: the counts; the stations not online grouped by most likely
    cause and what they have in common; then each such station as a short block (verdict, stage, most
    likely cause with its confidence, the evidence line that decides it, the first fix, how to see more);
    the online stations counted; one line per input.

    ``details`` True: each station not online in full (every cause, its evidence, fix and checks);
    False: the summary alone; None: short blocks, one line each beyond COMPACT_OVER stations.
    ``show_all`` lists the online stations; ``show_inputs`` every input's notes and problems (always shown
    when no station was found: then they are the answer)."""
    data = to_dict(report)
    stations = data["stations"]
    plain = not console.is_terminal  # (files and pipes: ASCII lines, no box drawing)
    # (failed before incomplete, explained before unexplained: what needs attention first)
    troubled = sorted(
        (s for s in stations if s["verdict"] != "online"),
        key=lambda s: (s["verdict"] != "failed", not s["causes"]),
    )
    healthy = [s for s in stations if s["verdict"] == "online"]

    console.print(_headline(data))
    if not stations:
        unread = sum((inp.get("coverage") or {}).get("unread", 0) for inp in data["inputs"])
        if unread:
            console.print(
                Text(
                    f"No station found, but {unread} line{'s' if unread != 1 else ''} in the inputs "
                    "look like onboarding events that were not understood (see Inputs below).",
                    style="bold yellow",
                )
            )
        elif hinted := sum((inp.get("coverage") or {}).get("hinted", 0) for inp in data["inputs"]):
            console.print(
                Text(
                    f"No station found, but {hinted}{' or more' if hinted >= HINTS_COUNTED else ''} "
                    f"line{'s' if hinted != 1 else ''} in the inputs speak of Wi-Fi in a form no reader "
                    "knows (see Inputs below).",
                    style="bold yellow",
                )
            )
        else:
            console.print(Text("No station found in the inputs.", style="yellow"))
    if groups := cause_groups(troubled):
        console.print()
        console.print(_across_stations(groups, plain))
        for phrase in in_common(troubled):
            console.print(Text.assemble(("In common: ", "bold"), phrase))
    if troubled:
        console.print()
        if details:
            for st in troubled:
                console.print(guarded(_station_panel, st, plain))
        elif details is None and len(troubled) <= COMPACT_OVER:
            for st in troubled:
                console.print(guarded(_station_block, st))
        elif details is None or not groups:
            # (many stations, or --brief without a table of causes to sum them up: one line each)
            for st in troubled:
                console.print(guarded(_troubled_line, st))
        console.print(
            Text(
                f"{'Each' if details else 'For each'} station not online: --details prints every cause with "
                "its evidence, fix and checks, --station MAC one station, --format html all of them in one file."
                if not details
                else "--brief prints the summary alone, --station MAC one station.",
                style="dim",
            )
        )
    if healthy:
        console.print()
        if show_all:
            for st in healthy:
                console.print(guarded(_healthy_line, st))
        else:
            # (one that could not be written is always said; one that failed before it got on too: an
            # intermittent failure is what the user called about)
            shaky = [st for st in healthy if failed_before(st)]
            for st in healthy:
                if st.get("problem") or (st in shaky and shaky.index(st) < SHAKY_SHOWN):
                    console.print(guarded(_healthy_line, st))
            line = f"{plural(len(healthy), 'station')} online (--all lists them)"
            if shaky:
                line += f"; {len(shaky)} of them failed before getting on (wlandoctor timeline PATH --station MAC shows each attempt)"
            console.print(Text(line + ".", style="dim"))
    console.print()
    console.print(_footer(data, full=show_inputs or not stations, plain=plain))


def _headline(data: Data) -> Group:
    """The counts, first: what the reader came for."""
    s = data["summary"]
    parts: list[RenderableType] = [
        Text.assemble(
            (f"{plural(s['stations'], 'station')}: ", "bold"),
            (f"{s['failed']} failed", VERDICT_STYLE["failed"] if s["failed"] else "bold"),
            ", ",
            (f"{s['incomplete']} incomplete", VERDICT_STYLE["incomplete"] if s["incomplete"] else "bold"),
            ", ",
            (f"{s['online']} online", VERDICT_STYLE["online"] if s["online"] else "bold"),
            (f"  ·  {data['tool']['name']} {data['tool']['version']}, {data['generated']}", "dim"),
        )
    ]
    if s.get("counted_not_listed"):
        parts.append(Text(counted_line(s), style="yellow"))
    narrowed = narrowed_line(s)
    if narrowed:
        parts.append(Text(narrowed, style="yellow"))
    return Group(*parts)


def _station_block(st: Data) -> Group:
    """A station not online in a few lines: what, where, the most likely cause and the line that shows it,
    the first thing to do, and how to see more."""
    verdict = st["verdict"]
    style = VERDICT_STYLE.get(verdict, "bold")
    head = Text.assemble((verdict.upper(), style), "  ", (st["station"], "bold"))
    if st["stage"]:
        head.append(f"  at {st['stage']}", style=style)
    where = [f"AP {', '.join(st['aps'])}"] if st["aps"] else []
    where += [f"SSID {', '.join(quoted(st['ssids']))}"] if st["ssids"] else []
    head.append("  (" + "; ".join([*where, _attempts_seen(st)]) + ")", style="dim")
    rows: list[tuple[str, Text]] = []
    if st.get("problem"):
        rows.append(("problem", Text(str(st["problem"]), style="bold red")))
    top = st["causes"][0] if st["causes"] else None
    if top is not None:
        others = len(st["causes"]) - 1
        rows.append(
            (
                "cause",
                Text.assemble(
                    (top["title"], "bold"),
                    "  ",
                    (percent(top["confidence"]), "bold magenta"),
                    (
                        f"  {top['id']}"
                        + (f"  (+{others} other{'s' if others != 1 else ''})" if others else ""),
                        "dim",
                    ),
                ),
            )
        )
        ev = deciding_evidence(top)
        if ev is not None:
            rows.append(
                (
                    "evidence",
                    Text.assemble(
                        (f"{ev['source']}:{ev['line']}", "cyan"), "  ", clip(ev["text"], TEXT_LIMIT)
                    ),
                )
            )
        if top["fix"]:
            rows.append(("fix", Text(str(top["fix"][0]))))
    else:
        rows.append(("cause", Text(no_cause_line(st), style="bold")))
        last = st["attempts"][-1]["events"][-1:] if st["attempts"] else []
        for ev in last:
            rows.append(("last event", _event_line(ev)))
    rows.append(("more", Text(f"--station {st['station']} --details", style="dim")))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column()
    for label, value in rows:
        grid.add_row(Text(label), value)
    return Group(head, _indent(grid, 2))


# ----------------------------------------------------------------------------------------------- parts


def _indent(renderable: RenderableType, n: int) -> Padding:
    return Padding(renderable, (0, 0, 0, n), expand=False)


def _join(label: str, items: list[str]) -> Text | None:
    if not items:
        return None
    return Text.assemble((f"{label}: ", "dim"), ", ".join(items))


def _station_panel(st: Data, plain: bool = False) -> Panel:
    verdict = st["verdict"]
    style = VERDICT_STYLE.get(verdict, "bold")
    title = Text.assemble((st["station"], "bold"), "  ", (verdict.upper(), style))
    if st["stage"]:
        title.append(f" at {st['stage']}", style=style)

    parts: list[RenderableType] = []
    if st.get("problem"):
        parts.append(Text(str(st["problem"]), style="bold red"))
    where = Text()
    for label, items in (("APs", st["aps"]), ("SSIDs", quoted(st["ssids"])), ("sources", st["sources"])):
        piece = _join(label, items)
        if piece is not None:
            if where:
                where.append("  ·  ", style="dim")
            where.append_text(piece)
    if where:
        parts.append(where)

    parts.append(Text("How far each attempt got:", style="bold"))
    if not st["attempts"]:
        parts.append(_indent(Text("no attempt recorded"), 2))
    hidden, shown = attempts_shown(st)
    if hidden:
        parts.append(
            _indent(Text(f"{hidden} earlier attempts not shown (the HTML and JSON reports list all)"), 2)
        )
    for attempt in shown:
        line = Text(attempt_line(attempt))
        if attempt["start"]:
            line.append(f"  {attempt['start']} → {attempt['end']}", style="dim")
        parts.append(_indent(line, 2))

    unread = st.get("unread_lines") or {}
    if unread.get("count"):
        at = ", ".join(f"{u['source']}:{u['line']}" for u in unread["first"])
        n = unread["count"]
        parts.append(
            Text(
                f"{n} line{'s' if n != 1 else ''} naming this station looked relevant but "
                f"{'were' if n != 1 else 'was'} not understood ({at}): the diagnosis may miss what "
                f"{'they say' if n != 1 else 'it says'}",
                style="yellow",
            )
        )

    parts.append(Text())
    if st["causes"]:
        parts.append(Text("Causes, most likely first:", style="bold"))
        first_of_rule: dict[str, tuple[int, Data]] = {}
        for rank, cause in enumerate(st["causes"], 1):
            first = first_of_rule.setdefault(cause["rule"], (rank, cause))
            same = first[0] if first[0] != rank and first[1]["evidence"] == cause["evidence"] else None
            parts.append(_cause(rank, cause, same))
    else:
        parts.append(Text(no_cause_line(st) + " Last events seen:", style="bold"))
        last = st["attempts"][-1]["events"][-LAST_EVENTS:] if st["attempts"] else []
        for ev in last:
            parts.append(_indent(_event_line(ev), 2))

    return Panel(
        Group(*parts),
        title=title,
        title_align="left",
        box=box.ASCII if plain else box.ROUNDED,
        border_style=style.split()[-1],
    )


def _cause(rank: int, cause: Data, same_rule_as: int | None = None) -> RenderableType:
    """One ranked cause.  A later hypothesis of a rule already shown refers to it for the shared
    explanation, evidence and references instead of repeating them."""
    # The rank in its own column, so a long title wraps under itself, not under the number.
    head = Table.grid(padding=(0, 1))
    head.add_column(width=len(str(rank)) + 1, no_wrap=True)
    head.add_column()
    head.add_row(
        Text(f"{rank}.", style="bold"),
        Text.assemble((cause["title"], "bold"), "  ", (percent(cause["confidence"]), "bold magenta")),
    )
    meta = Text(f"stage {cause['stage']}  ·  rule {cause['rule']}", style="dim")
    if cause["attempt"] is not None:
        meta.append(f"  ·  attempt {cause['attempt']}")
    body: list[RenderableType] = [meta]

    if cause["why_confidence"]:
        body.append(Text(f"Why {percent(cause['confidence'])}:", style="bold"))
        body.extend(_indent(Text.assemble("- ", why), 2) for why in cause["why_confidence"])
    seen = seen_by_line(cause)
    if seen:
        body.append(Text(seen, style="green"))
    if cause["explanation"] and same_rule_as is None:
        body.append(Text(cause["explanation"]))
    if "proof" in cause:
        proof = cause["proof"]
        body.append(Text(proof_line(proof), style=PROOF_STYLE.get(proof["verdict"], "")))
    if cause["evidence"] and same_rule_as is not None:
        body.append(Text(f"Evidence: as for cause {same_rule_as}.", style="dim"))
    elif cause["evidence"]:
        body.append(Text("Evidence:", style="bold"))
        for ev in cause["evidence"]:
            line = Text.assemble((f"{ev['source']}:{ev['line']}", "cyan"), "  ", clip(ev["text"], TEXT_LIMIT))
            body.append(_indent(line, 2))
    if cause["fix"]:
        body.append(Text("Fix:", style="bold"))
        body.extend(_indent(Text.assemble(f"{i}. ", step), 2) for i, step in enumerate(cause["fix"], 1))
    if cause["confirm"]:
        body.append(Text("Confirm or rule out:", style="bold"))
        body.extend(_indent(Text.assemble("- ", step), 2) for step in cause["confirm"])
    if cause["references"] and same_rule_as is None:
        body.append(Text.assemble(("References: ", "dim"), "; ".join(cause["references"])))
    return Group(Text(), head, _indent(Group(*body), 3))


def _event_line(ev: Data) -> Text:
    line = Text()
    if ev["time"]:
        line.append(f"{ev['time']}  ", style="dim")
    line.append(f"{ev['stage']}  {ev['kind']}  ")
    line.append(f"{ev['source']}:{ev['line']}", style="cyan")
    line.append("  ")
    line.append(clip(ev["text"], TEXT_LIMIT))
    return line


def _attempts_seen(st: Data) -> str:
    """How many attempts the inputs hold for the station: those the report keeps and the older ones it
    only counts (timeline.MAX_ATTEMPTS); for a station online, how many of them failed."""
    n = len(st["attempts"]) + st["attempts_dropped"]
    said = f"{n} attempt{'s' if n != 1 else ''}"
    failed = failed_before(st) if st["verdict"] == "online" else 0
    return f"{said}, {failed} failed" if failed else said


SHAKY_SHOWN = 20  # stations online after failed attempts listed by default; the rest counted


def failed_before(st: Data) -> int:
    """The failed attempts of a station, those kept and those only counted."""
    kept = sum(1 for a in st["attempts"] if a["outcome"] == "failed")
    return kept + int(st.get("dropped_outcomes", {}).get("failed", 0))


def _troubled_line(st: Data) -> Text:
    verdict = st["verdict"]
    line = Text.assemble((verdict, VERDICT_STYLE.get(verdict, "bold")), "  ", st["station"])
    line.append(f"  {st['stage'] or '-'}")
    top = st["causes"][0] if st["causes"] else None
    line.append("  " + (f"{top['title']}  {percent(top['confidence'])}" if top else no_cause_line(st)))
    where = [f"AP {', '.join(st['aps'])}"] if st["aps"] else []
    line.append("  (" + "; ".join([*where, _attempts_seen(st)]) + ")", style="dim")
    if st.get("problem"):
        line.append(f"  {st['problem']}", style="bold red")
    return line


# what an online station is called, and said of it, when the inputs show less than an address
_SHOWN_AS = {
    "keys": (
        "connected",
        "layer 2 up (keys installed, or an open network), no address or online record in the inputs",
    ),
    "accepted": ("accepted", "the RADIUS server accepted it; keys and address are not in the inputs"),
}


def _healthy_line(st: Data) -> Text:
    label, said = _SHOWN_AS.get(str(st.get("online_evidence")), ("online", None))
    line = Text.assemble((label, "green"), "  ", st["station"])
    details = []
    if st["ssids"]:
        details.append(f"SSID {', '.join(st['ssids'])}")
    if st["aps"]:
        details.append(f"AP {', '.join(st['aps'])}")
    if said:
        details.append(said)
    details.append(_attempts_seen(st))
    line.append("  (" + "; ".join(details) + ")", style="dim")
    if st.get("problem"):
        line.append(f"  {st['problem']}", style="bold red")
    return line


def _across_stations(groups: list[CauseGroup], plain: bool = False) -> Group:
    """The stations that did not get online, grouped by their most likely cause, largest group first."""
    table = Table(box=box.ASCII2 if plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("stations", justify="right")
    table.add_column("most likely cause")
    table.add_column("stage")
    table.add_column("for example")
    for g in groups:
        table.add_row(  # (Text throughout: station ids come from the logs and are never markup)
            Text(str(len(g.stations))),
            Text.assemble(g.title, (f"  {g.cause_id}" if g.cause_id else "", "dim")),
            Text(", ".join(g.stages) or "-"),
            Text(example_stations(g)),
        )
    heading = Text(cause_groups_heading(groups), style="bold")
    return Group(Rule(heading, align="left", characters="-" if plain else "─"), table)


INPUTS_LISTED = 5  # inputs listed one line each in the short footer; beyond, a total and those with problems


def _footer(data: Data, full: bool = True, plain: bool = False) -> Group:
    """The inputs: in full every note and problem of each; short, one line each (a total beyond
    INPUTS_LISTED, with the inputs that had problems), the problems counted."""
    parts: list[RenderableType] = [
        Rule(Text("Inputs", style="bold"), align="left", style="dim", characters="-" if plain else "─")
    ]
    inputs = data["inputs"]
    if not inputs:
        parts.append(Text("no input"))
    listed = inputs
    if not full and len(inputs) > INPUTS_LISTED:
        formats = Counter(inp["format"] for inp in inputs)
        records = sum(inp["records"] for inp in inputs)
        troubled = [inp for inp in inputs if inp["problems"] or inp["problems_dropped"]]
        parts.append(
            Text(
                f"{plural(len(inputs), 'input')} ("
                + ", ".join(f"{f} {n}" for f, n in formats.most_common())
                + f"): {plural(records, 'record')}; {plural(len(troubled), 'input')} with problems",
            )
        )
        listed = troubled[:10]
    for inp in listed:
        problems, more = problems_shown(inp)
        total = len(inp["problems"]) + inp["problems_dropped"]
        counts = f"{plural(inp['records'], 'record')}, {inp['skipped']} skipped, {plural(total, 'problem')}"
        cov = inp.get("coverage") or {}
        if cov.get("ratio") is not None:
            counts += f", {cov['ratio']:.0%} of the lines that look relevant understood"
        notes = inp.get("notes") or []
        line = Text.assemble((inp["source"], "bold"), "  ", (inp["format"], "cyan"), "  ", counts)
        if not full:
            # (short: the first problem still named with its line - never a bare count - the rest behind --inputs)
            if problems:
                first = problems[0]
                line.append(f"; {problem_where(first, inp)}: {first['message']}", style="yellow")
            hidden = total - (1 if problems else 0)
            if hidden:
                line.append(f" ({plural(hidden, 'more problem')}: --inputs)", style="dim")
            parts.append(line)
            for note in notes:  # (how it was read - a year guessed - changes how to read the times)
                parts.append(_indent(Text(note, style="dim"), 2))
            continue
        parts.append(line)
        for note in notes:
            parts.append(_indent(Text(note, style="dim"), 2))
        for p in problems:
            parts.append(_indent(Text.assemble((f"{problem_where(p, inp)}: ", "yellow"), p["message"]), 2))
        if more:
            parts.append(_indent(Text(f"{more} more", style="yellow"), 2))
    return Group(*parts)
