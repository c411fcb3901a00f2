"""The HTML report: one self-contained file to attach to a ticket or open in a browser.

Safety: every string that came from the data is passed through ``html.escape(..., quote=True)``; the
page carries a Content-Security-Policy that allows nothing but its own inline style block and its one
script (both by hash), so even a missed escape could neither run a script nor load anything from the
network.  The page works with scripts off: attempts collapse with ``<details>``, confidence is drawn with
``<meter>`` (no inline style attributes are needed, which the policy would block), the filter by verdict
is CSS; the script only sorts the stations table by a clicked column.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from html import escape
from typing import IO, Any

from wlandoctor.model import STAGE_INDEX, STAGES, Diagnosis, Report
from wlandoctor.model.diagnosis import HINTS_COUNTED
from wlandoctor.model.kinds import FAILURE, KINDS, SUCCESS, SUMMARY, TERMINAL
from wlandoctor.report.data import (
    Cleaner,
    attempt_line,
    cause_groups,
    cause_groups_heading,
    clip,
    code_spans,
    confidence,
    counted_line,
    guarded,
    is_evidence,
    marked_events,
    narrowed_line,
    no_cause_line,
    percent,
    problem_where,
    problems_shown,
    proof_line,
    quoted,
    seen_by_line,
    station_dict,
    top_dict,
    unwritable,
)
from wlandoctor.util.times import from_iso

TEXT_LIMIT = 4000  # characters of one log line kept in the page (the JSON report keeps all)

Data = Mapping[str, Any]

CSS = """
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #ffffff; --muted: #5f6368; --line: #d0d4d9;
  --bad: #b3261e; --warn: #8a5a00; --ok: #1e7b34; --mark: #fff3b0; --code: #f4f5f7; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e6; --bg: #16181b; --muted: #a0a4a8; --line: #3a3f45; --bad: #ff8a80; --warn: #ffcc66;
    --ok: #7bd88f; --mark: #4a4000; --code: #22252a; }
}
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; } h4 { font-size: .95rem; margin: .8rem 0 .2rem; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
code, .log { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
.log { white-space: pre-wrap; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .3rem; font-size: .8rem; font-weight: 700;
  text-transform: uppercase; border: 1px solid currentColor; }
.failed { color: var(--bad); } .incomplete { color: var(--warn); } .online { color: var(--ok); }
section.station { border-top: 2px solid var(--line); margin-top: 1.5rem; }
section.station h2 .badge { vertical-align: middle; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
ol.causes > li { margin: .8rem 0 1.2rem; padding-left: .3rem; }
.cause-head { font-weight: 600; }
meter { width: 6rem; height: .9rem; vertical-align: middle; }
/* confidence is not a verdict: neutral bars (red, amber, green are failed, incomplete, online) */
meter::-webkit-meter-bar { background: var(--code); border: 1px solid var(--line); }
meter::-webkit-meter-optimum-value, meter::-webkit-meter-suboptimum-value,
meter::-webkit-meter-even-less-good-value { background: var(--muted); }
meter::-moz-meter-bar { background: var(--muted); }
td { overflow-wrap: break-word; } th, td.n, td.stage { white-space: nowrap; }
.filter { font-size: .9rem; } label.filter { cursor: pointer; } input.filter { margin: 0 .2rem 0 .8rem; }
#show-failed:checked ~ table tr.v-incomplete, #show-failed:checked ~ table tr.v-online,
#show-incomplete:checked ~ table tr.v-failed, #show-incomplete:checked ~ table tr.v-online,
#show-online:checked ~ table tr.v-failed, #show-online:checked ~ table tr.v-incomplete { display: none; }
svg.strip { display: block; max-width: 100%; height: auto; margin: .3rem 0 .6rem; }
svg.strip text { font: 10px system-ui, sans-serif; fill: var(--muted); }
svg.strip line { stroke: var(--line); } svg.strip line.a { stroke: var(--muted); stroke-dasharray: 2 2; }
svg.strip circle { fill: var(--muted); } svg.strip circle.f { fill: var(--bad); } svg.strip circle.s { fill: var(--ok); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; } .filter { display: none; }
  section.station, li.cause { break-inside: avoid-page; } a { color: inherit; text-decoration: none; }
}
.pct { font-variant-numeric: tabular-nums; font-weight: 700; }
.proof { border-left: 4px solid var(--line); padding: .2rem .6rem; margin: .4rem 0; }
.proof.match { border-color: var(--ok); } .proof.no-match { border-color: var(--bad); }
.proof.incomplete, .proof.cannot-check-offline { border-color: var(--warn); }
.seen { color: var(--ok); }
ul.evidence { list-style: none; padding-left: 0; }
ul.evidence li { background: var(--code); padding: .25rem .5rem; margin: .2rem 0;
  border-left: 4px solid var(--mark); }
tr.evidence td { background: var(--mark); }
tr.evidence td:first-child { font-weight: 700; }
td.attrs { color: var(--muted); }
details { margin: .4rem 0; } summary { cursor: pointer; font-weight: 600; }
footer { margin-top: 2.5rem; border-top: 2px solid var(--line); }
"""

# Sorting the stations table by a click on a column's head: the page's one script, allowed by its hash
# (it reads and reorders the table's own rows, nothing else; with scripts off the table keeps its order).
SCRIPT = """
document.querySelectorAll('#summary th').forEach(function (th, col) {
  th.tabIndex = 0; th.title = 'click to sort';
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var up = th.dataset.dir !== 'up'; th.dataset.dir = up ? 'up' : 'down';
    rows.sort(function (a, b) {
      var x = a.cells[col] ? a.cells[col].textContent.trim() : '', y = b.cells[col] ? b.cells[col].textContent.trim() : '';
      var nx = parseFloat(x), ny = parseFloat(y), c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CSS_HASH = _sha256(CSS)
SCRIPT_HASH = _sha256(SCRIPT)
CSP = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'none'; script-src 'sha256-{SCRIPT_HASH}'; "
    "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)


def h(value: object) -> str:
    """Escape anything for HTML text and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def prose(text: object) -> str:
    """A rule's prose (explanation, fix, checks) escaped, its back-ticked commands shown as code."""
    return "".join(
        f"<code>{h(part)}</code>" if code else h(part) for part, code in code_spans(str(text or ""))
    )


def render_html(report: Report) -> str:
    """The whole report as one HTML document (a string; ``write_html`` writes the same to a stream)."""
    buf = io.StringIO()
    write_html(report, buf)
    return buf.getvalue()


def write_html(report: Report, stream: IO[str]) -> None:
    """The report as one HTML document, written piece by piece: the tables from a few facts of each
    station, then each station in full, one at a time (its full form made, written and let go), so memory
    does not hold the whole report's data, whatever the number of stations."""
    clean = Cleaner(report)
    data: Data = clean(top_dict(report))
    s = data["summary"]
    counts = f"{s['failed']} failed, {s['incomplete']} incomplete, {s['online']} online"
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',  # constant, no data
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(data['tool']['name'])} report: {h(counts)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{h(data['tool']['name'])} report</h1>",
        f'<p class="meta">{h(s["stations"])} station{"s" if s["stations"] != 1 else ""}: {h(counts)}. '
        f"Generated {h(data['generated'])} by {h(data['tool']['name'])} {h(data['tool']['version'])}, "
        f"report format {h(data['version'])}.</p>",
        *([f'<p class="meta">{h(counted_line(s))}</p>'] if s.get("counted_not_listed") else []),
        *([f'<p class="meta">{h(narrowed_line(s) or "")}</p>'] if s.get("narrowed") else []),
        "</header>",
        "<main>",
    ]
    stream.write("\n".join(head))
    troubled = [(i, _row_facts(d, clean)) for i, d in enumerate(report.diagnoses, 1) if d.verdict != "online"]
    _write(stream, _by_cause([st for _, st in troubled], {st["station"]: f"st-{i}" for i, st in troubled}))
    del troubled
    order = _order(report.diagnoses)  # (failed first, then by cause: what needs attention first)
    for line in _summary_table(report, clean, order):
        stream.write("\n" + line)
    for i in order:
        d = report.diagnoses[i - 1]
        try:
            st = station_dict(d, clean)
        except Exception as exc:  # (station_dict has its own guard: this one is the renderer's last)
            st = unwritable(d.station, d.verdict, exc)
        _write(stream, guarded(_station, st, f"st-{i}"))
    _write(stream, ["</main>", *_footer(data), f"<script>{SCRIPT}</script>", "</body>", "</html>", ""])


def _write(stream: IO[str], lines: list[str]) -> None:
    if lines:
        stream.write("\n" + "\n".join(lines))


def _row_facts(d: Diagnosis, clean: Cleaner) -> dict[str, Any]:
    """What the tables show of a station: as in its full form (``to_dict``), without its attempts' events."""
    fix = clean.fix
    top = d.causes[0] if d.causes else None
    return {
        "station": fix(d.station),
        "verdict": str(d.verdict),
        "stage": str(d.stage) if d.stage is not None else None,
        "causes": [{"id": fix(top.id), "title": fix(top.title), "confidence": confidence(top.confidence)}]
        if top
        else [],
        "attempts": len(d.timeline.attempts),
        "ssids": [fix(x) for x in sorted(d.timeline.ssids)],
        "aps": [fix(x) for x in sorted(d.timeline.aps)],
    }


# ----------------------------------------------------------------------------------------------- parts


def _by_cause(stations: list[Data], anchor: Mapping[str, str]) -> list[str]:
    """With two or more stations not online: them grouped by most likely cause, largest group first."""
    groups = cause_groups(stations)
    if not groups:
        return []
    out = [
        '<section id="by-cause">',
        f"<h2>{h(cause_groups_heading(groups))}</h2>",
        "<table>",
        "<thead><tr><th>Stations</th><th>Most likely cause</th><th>Stage</th><th>Which</th></tr></thead>",
        "<tbody>",
    ]
    for g in groups:
        links = ", ".join(f'<a href="#{anchor[s]}"><code>{h(s)}</code></a>' for s in g.stations)
        rule = f" <code>{h(g.cause_id)}</code>" if g.cause_id else ""
        out.append(
            f'<tr><td class="n">{len(g.stations)}</td><td>{h(g.title)}{rule}</td><td class="stage">{h(", ".join(g.stages))}</td>'
            f"<td>{links}</td></tr>"
        )
    return [*out, "</tbody>", "</table>", "</section>"]


_VERDICT_RANK = {"failed": 0, "incomplete": 1, "online": 2}


def _order(diagnoses: list[Diagnosis]) -> list[int]:
    """The stations' numbers (1-based, their anchors) in the order the page shows them: by verdict, failed
    first, then by most likely cause, then by station."""

    def key(i: int) -> tuple[int, str, str]:
        d = diagnoses[i - 1]
        return (_VERDICT_RANK.get(str(d.verdict), 3), d.causes[0].id if d.causes else "~", d.station)

    return sorted(range(1, len(diagnoses) + 1), key=key)


def _summary_table(report: Report, clean: Cleaner, order: list[int]) -> Iterator[str]:
    """The table of every station, a row at a time (a million stations are not held as one list)."""
    yield '<section id="summary">'
    yield "<h2>Stations</h2>"
    if not report.diagnoses:
        unread = sum(i.coverage.unread for i in report.inputs)
        hinted = sum(i.hinted_lines() for i in report.inputs)
        if unread:
            yield (
                f"<p>No station found, but {unread} line{'s' if unread != 1 else ''} in the inputs look like "
                "onboarding events that were not understood (see Inputs).</p>"
            )
        elif hinted:
            yield (
                f"<p>No station found, but {hinted}{' or more' if hinted >= HINTS_COUNTED else ''} "
                f"line{'s' if hinted != 1 else ''} in the inputs speak of Wi-Fi in a form no reader knows "
                "(see Inputs).</p>"
            )
        else:
            yield "<p>No station found in the inputs.</p>"
        yield "</section>"
        return
    # (a filter by verdict in pure CSS: radio buttons before the table; it works with scripts off)
    yield '<span class="filter">Show:</span>'
    for v in ("all", "failed", "incomplete", "online"):
        checked = " checked" if v == "all" else ""
        yield (
            f'<input class="filter" type="radio" name="show" id="show-{v}"{checked}>'
            f'<label class="filter" for="show-{v}">{v}</label>'
        )
    yield "<table>"
    yield (
        "<thead><tr><th>Station</th><th>Verdict</th><th>Failing stage</th><th>Most likely cause</th>"
        "<th>Confidence</th><th>Attempts</th><th>SSIDs</th><th>APs</th></tr></thead>"
    )
    yield "<tbody>"
    for i in order:
        d = report.diagnoses[i - 1]
        try:
            yield _row(_row_facts(d, clean), i)
        except Exception as exc:  # (the last guard: one station never loses the table)
            st = unwritable(d.station, d.verdict, exc)
            yield f"<tr><td><code>{h(clean.fix(st['station']))}</code></td><td>{h(st['problem'])}</td></tr>"
    yield "</tbody>"
    yield "</table>"
    yield "</section>"


def _row(st: Data, i: int) -> str:
    top = st["causes"][0] if st["causes"] else None
    verdict = h(st["verdict"])
    return (
        f'<tr class="v-{verdict}">'
        f'<td><a href="#st-{i}"><code>{h(st["station"])}</code></a></td>'
        f'<td><span class="badge {verdict}">{verdict}</span></td>'
        f'<td class="stage">{h(st["stage"] or "")}</td>'
        f"<td>{h(top['title']) if top else ''}</td>"
        f"<td>{_meter(top['confidence']) if top else ''}</td>"
        f"<td>{st['attempts']}</td>"
        f"<td>{h(', '.join(quoted(st['ssids'])))}</td>"
        f"<td>{h(', '.join(st['aps']))}</td>"
        "</tr>"
    )


def _meter(confidence: float) -> str:
    pct = percent(confidence)
    return (
        f'<meter min="0" max="1" low="0.34" high="0.67" optimum="1" value="{confidence:.2f}" '
        f'title="{h(pct)}">{h(pct)}</meter> <span class="pct">{h(pct)}</span>'
    )


def _station(st: Data, anchor: str) -> list[str]:
    verdict = h(st["verdict"])
    heading = (
        f'<h2><span class="badge {verdict}">{verdict}</span> <code>{h(st["station"])}</code>'
        + (f" at {h(st['stage'])}" if st["stage"] else "")
        + "</h2>"
    )
    facts = [
        ("Verdict", st["verdict"]),
        ("Failing stage", st["stage"] or "none"),
        ("APs", ", ".join(st["aps"]) or "unknown"),
        ("SSIDs", ", ".join(quoted(st["ssids"])) or "unknown"),
        ("Sources", ", ".join(st["sources"]) or "unknown"),
    ]
    if st.get("problem"):
        facts.append(("Report problem", st["problem"]))
    body = [f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in facts]
    attempts_dd = "<br>".join(h(attempt_line(a)) for a in st["attempts"]) or "none"
    body.append(f"<dt>Attempts</dt><dd>{attempts_dd}</dd>")
    inner = [heading, f'<dl class="facts">{"".join(body)}</dl>']

    marked = marked_events(st)
    anchors = _evidence_anchors(st, anchor, marked)
    if st["causes"]:
        inner.append("<h3>Causes, most likely first</h3>")
        inner.append('<ol class="causes">')
        for rank, cause in enumerate(st["causes"], 1):
            inner.extend(_cause(cause, f"{anchor}-c{rank}", anchors))
        inner.append("</ol>")
    elif st["verdict"] != "online":
        inner.append(f"<p>{escape(no_cause_line(st))} The timeline shows how far it got.</p>")
    inner.append("<h3>Timeline</h3>")
    if st["verdict"] != "online":
        inner.extend(_strip(st))
    last = len(st["attempts"]) - 1
    for ai, attempt in enumerate(st["attempts"]):
        # Open the failing attempt and any attempt holding cited evidence, so evidence links land on rows.
        cited = any(m[0] == ai for m in marked)
        open_ = st["verdict"] != "online" and (ai == last or cited)
        inner.extend(_attempt(attempt, ai, anchor, marked, open_=open_))

    if st["verdict"] == "online":
        # Healthy: present, but folded away.
        return [
            f'<section class="station" id="{anchor}">',
            f"<details><summary>{h(st['station'])}: online</summary>",
            *inner,
            "</details>",
            "</section>",
        ]
    return [f'<section class="station" id="{anchor}">', *inner, "</section>"]


STRIP_W, STRIP_LABEL, STRIP_ROW = 720, 110, 14  # the timeline strip's size, in SVG units


def _strip(st: Data) -> list[str]:
    """A station's events per stage over time, as inline SVG (no script, no style attribute): a row per
    stage, a dot per event (red a failure, green a success), a dashed line where an attempt starts."""
    points: list[tuple[float, int, str]] = []
    starts: list[float] = []
    for attempt in st["attempts"]:
        first = True
        for ev in attempt["events"]:
            t = from_iso(ev["time"]) if ev.get("time") else None
            if t is None or ev.get("stage") not in STAGE_INDEX:
                continue
            if first:
                starts.append(t)
                first = False
            role = KINDS[ev["kind"]].role if ev.get("kind") in KINDS else ""
            cls = "f" if role in (FAILURE, SUMMARY, TERMINAL) else "s" if role == SUCCESS else ""
            points.append((t, STAGE_INDEX[ev["stage"]], cls))
    if not points:
        return []
    t0, t1 = min(p[0] for p in points), max(p[0] for p in points)
    span = t1 - t0 or 1.0
    width = STRIP_W - STRIP_LABEL - 10

    def x(t: float) -> float:
        return STRIP_LABEL + (width * (t - t0) / span if t1 > t0 else width / 2)

    height = STRIP_ROW * len(STAGES) + 16
    out = [
        f'<svg class="strip" viewBox="0 0 {STRIP_W} {height}" width="{STRIP_W}" height="{height}" role="img" '
        f'aria-label="events per stage over time, {h(_label_time(t0))} to {h(_label_time(t1))}">'
    ]
    for i, stage in enumerate(STAGES):
        y = 8 + i * STRIP_ROW
        out.append(f'<text x="0" y="{y + 4}">{h(stage)}</text>')
        out.append(f'<line x1="{STRIP_LABEL}" y1="{y}" x2="{STRIP_W - 10}" y2="{y}"/>')
    for t in starts[1:]:
        out.append(f'<line class="a" x1="{x(t):.1f}" y1="2" x2="{x(t):.1f}" y2="{height - 14}"/>')
    for t, row, cls in points[:5000]:
        c = f' class="{cls}"' if cls else ""
        out.append(f'<circle{c} cx="{x(t):.1f}" cy="{8 + row * STRIP_ROW}" r="3"/>')
    out.append(f'<text x="{STRIP_LABEL}" y="{height - 2}">{h(_label_time(t0))}</text>')
    out.append(f'<text x="{STRIP_W - 10}" y="{height - 2}" text-anchor="end">{h(_label_time(t1))}</text>')
    out.append("</svg>")
    return out


def _label_time(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _evidence_anchors(st: Data, anchor: str, marked: set[tuple[int, int]]) -> dict[tuple[str, int, str], str]:
    """(source, line, text) of each cited evidence -> id of the first timeline row showing it."""
    result: dict[tuple[str, int, str], str] = {}
    for cause in st["causes"]:
        for ev in cause["evidence"]:
            key = (ev["source"], ev["line"], ev["text"])
            if key in result:
                continue
            single = {(ev["source"], ev["line"]): [ev["text"]]}
            fallback = None
            for ai, attempt in enumerate(st["attempts"]):
                for ei, tev in enumerate(attempt["events"]):
                    if (tev["source"], tev["line"]) != key[:2] or (ai, ei) not in marked:
                        continue
                    if is_evidence(tev, single):
                        result[key] = f"{anchor}-a{ai + 1}-e{ei + 1}"
                        break
                    if fallback is None:
                        fallback = f"{anchor}-a{ai + 1}-e{ei + 1}"
                if key in result:
                    break
            if key not in result and fallback is not None:
                result[key] = fallback
    return result


def _cause(cause: Data, anchor: str, anchors: Mapping[tuple[str, int, str], str]) -> list[str]:
    out = [
        f'<li class="cause" id="{anchor}">',
        f'<div class="cause-head">{h(cause["title"])} {_meter(cause["confidence"])}</div>',
        f'<p class="meta">stage {h(cause["stage"])} · rule <code>{h(cause["rule"])}</code>'
        + (f" · attempt {h(cause['attempt'])}" if cause["attempt"] is not None else "")
        + "</p>",
    ]
    seen = seen_by_line(cause)
    if seen:
        out.append(f'<p class="seen">{h(seen)}</p>')
    if cause["explanation"]:
        out.append(f"<p>{prose(cause['explanation'])}</p>")
    if cause["why_confidence"]:
        out.append(f"<h4>Why {h(percent(cause['confidence']))}</h4>")
        out.append("<ul>" + "".join(f"<li>{prose(w)}</li>" for w in cause["why_confidence"]) + "</ul>")
    if "proof" in cause:
        proof = cause["proof"]
        out.append(f'<p class="proof {h(proof["verdict"])}">{h(proof_line(proof))}</p>')
    if cause["evidence"]:
        out.append("<h4>Evidence</h4>")
        out.append('<ul class="evidence">')
        for ev in cause["evidence"]:
            where = f"<code>{h(ev['source'])}:{h(ev['line'])}</code>"
            target = anchors.get((ev["source"], ev["line"], ev["text"]))
            if target:
                where = f'<a href="#{h(target)}">{where}</a>'
            out.append(f'<li>{where} <span class="log">{h(clip(ev["text"], TEXT_LIMIT))}</span></li>')
        out.append("</ul>")
    if cause["fix"]:
        out.append("<h4>Fix</h4>")
        out.append("<ol>" + "".join(f"<li>{prose(f)}</li>" for f in cause["fix"]) + "</ol>")
    if cause["confirm"]:
        out.append("<h4>Confirm or rule out</h4>")
        out.append("<ul>" + "".join(f"<li>{prose(f)}</li>" for f in cause["confirm"]) + "</ul>")
    if cause["references"]:
        out.append('<p class="muted">References: ' + "; ".join(h(r) for r in cause["references"]) + "</p>")
    out.append("</li>")
    return out


def _attempt(attempt: Data, ai: int, anchor: str, marked: set[tuple[int, int]], open_: bool) -> list[str]:
    times = f" ({attempt['start']} to {attempt['end']})" if attempt["start"] else ""
    out = [
        f"<details{' open' if open_ else ''}><summary>{h(attempt_line(attempt))}{h(times)}</summary>",
        "<table>",
        "<thead><tr><th>#</th><th>Time</th><th>Stage</th><th>Kind</th><th>Source</th><th>AP</th>"
        "<th>Text</th><th>Attributes</th></tr></thead>",
        "<tbody>",
    ]
    for ei, ev in enumerate(attempt["events"]):
        is_ev = (ai, ei) in marked
        row_id = f"{anchor}-a{ai + 1}-e{ei + 1}"
        attrs = json.dumps(ev["attrs"], ensure_ascii=False, sort_keys=True) if ev["attrs"] else ""
        cls = ' class="evidence"' if is_ev else ""
        out.append(
            f'<tr id="{h(row_id)}"{cls}>'
            f"<td>{ei + 1}{' ★' if is_ev else ''}</td>"
            f"<td><code>{h(ev['time'] or '')}</code></td>"
            f"<td>{h(ev['stage'])}</td>"
            f"<td><code>{h(ev['kind'])}</code></td>"
            f"<td><code>{h(ev['source'])}:{h(ev['line'])}</code></td>"
            f"<td>{h(ev['ap'] or '')}</td>"
            f'<td class="log">{h(clip(ev["text"], TEXT_LIMIT))}</td>'
            f'<td class="attrs log">{h(clip(attrs, TEXT_LIMIT))}</td>'
            "</tr>"
        )
    out += ["</tbody>", "</table>"]
    if attempt["dropped_events"]:
        out.append(f'<p class="muted">{h(attempt["dropped_events"])} more events were not kept.</p>')
    out.append("</details>")
    return out


def _footer(data: Data) -> list[str]:
    out = ["<footer>", "<h2>Inputs</h2>"]
    if not data["inputs"]:
        return [*out, "<p>No input.</p>", "</footer>"]
    out += [
        "<table>",
        "<thead><tr><th>Source</th><th>Format</th><th>Records</th><th>Skipped</th><th>Problems</th></tr></thead>",
        "<tbody>",
    ]
    for inp in data["inputs"]:
        problems, more = problems_shown(inp)
        items = [f"<li>{h(problem_where(p, inp))}: {h(p['message'])}</li>" for p in problems]
        if more:
            items.append(f"<li>{h(more)} more</li>")
        plist = f"<ul>{''.join(items)}</ul>" if items else "none"
        out.append(
            f"<tr><td><code>{h(inp['source'])}</code></td><td>{h(inp['format'])}</td>"
            f"<td>{h(inp['records'])}</td><td>{h(inp['skipped'])}</td><td>{plist}</td></tr>"
        )
    return [*out, "</tbody>", "</table>", "</footer>"]
