"""The JSON report (contract 2.0 of docs/json.md, the compact form of ``report.compact``), as one
document or as JSON Lines, for scripts and other tools.

Both are written one station at a time, so memory stays that of one station (and the cause catalogue)
whatever the size of the report.  In the document the top level is indented by 2 and each station is one
line of the ``stations`` array (written by the C encoder, several times faster than an indented dump, and
easy to pick out with line tools).
"""

from __future__ import annotations

import io
import json
import re
from typing import IO

from wlandoctor.model import Report
from wlandoctor.report.compact import (
    COMPACT_VERSION,
    Catalogue,
    compact_station,
    input_index,
)
from wlandoctor.report.data import JSON, Cleaner, top_dict
from wlandoctor.report.rendered import EXTRA, Rendered, station_lines

_TOP = {"indent": 2, "ensure_ascii": False, "sort_keys": True, "allow_nan": False}
_LINE = {"ensure_ascii": False, "sort_keys": True, "allow_nan": False, "separators": (", ", ": ")}
# What json.dumps(ensure_ascii=False) leaves raw in a string and a terminal or an editor would act on: DEL,
# the C1 controls (CSI 0x9b starts an escape sequence) and the Unicode bidirectional controls
_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff]"
)


def _escaped(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def safe(text: str) -> str:
    """JSON text with those characters as \\u escapes: the same data, nothing a reader's terminal acts on."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def render_json(report: Report, events: bool = False) -> str:
    """The report as JSON text (the same bytes ``write_json`` writes)."""
    buf = io.StringIO()
    write_json(report, buf, events)
    return buf.getvalue()


def _head(report: Report, clean: Cleaner) -> dict[str, JSON]:
    top: dict[str, JSON] = clean(top_dict(report))
    top["version"] = COMPACT_VERSION
    return top


def write_json(report: Report, stream: IO[str], events: bool = False) -> None:
    """The compact report (contract 2.0) as one document: keys sorted, UTF-8 kept as is, the top level
    indented, one line per station, then the catalogue of the causes the stations cite.  Written one
    station at a time: memory is that of one station and the catalogue, whatever the report's size."""
    clean = Cleaner(report)
    catalogue = Catalogue(clean)
    inputs = input_index(report)
    head = safe(json.dumps(_head(report, clean), **_TOP))  # type: ignore[arg-type]
    stream.write(head[: head.rindex("}")].rstrip() + ',\n  "stations": [')
    line = json.JSONEncoder(**_LINE).encode  # type: ignore[arg-type]
    rendered = report.extra.get(EXTRA)
    if isinstance(rendered, Rendered):  # (written where they were judged: merged here)
        i = -1
        for i, text in enumerate(station_lines(rendered, catalogue)):
            stream.write(("," if i else "") + "\n    " + text)
        stream.write("\n  ]," if i >= 0 else "],")
    else:
        for i, d in enumerate(report.diagnoses):
            st = compact_station(d, clean, catalogue, inputs, events)
            stream.write(("," if i else "") + "\n    " + safe(line(st)))
        stream.write("\n  ]," if report.diagnoses else "],")
    causes = safe(json.dumps(catalogue.entries, **_TOP))  # type: ignore[arg-type]
    stream.write('\n  "causes": ' + causes.replace("\n", "\n  ") + "\n}")


def write_jsonl(report: Report, stream: IO[str], events: bool = False) -> None:
    """The compact report as JSON Lines, for tools that stream it (jq, DuckDB, pandas): a ``header``
    record (version, tool, inputs), then per station the ``cause`` records it cites for the first time
    and its ``station`` record, then a ``summary`` record.  Every line is one JSON object whose first key
    is its ``type`` (the other keys sorted)."""
    clean = Cleaner(report)
    catalogue = Catalogue(clean)
    inputs = input_index(report)
    encode = json.JSONEncoder(**_LINE).encode  # type: ignore[arg-type]

    def record(kind: str, fields: dict[str, JSON]) -> str:
        return f'{{"type": "{kind}", ' + safe(encode(fields))[1:] + "\n"

    head = _head(report, clean)
    summary = head.pop("summary")
    stream.write(record("header", head))
    rendered = report.extra.get(EXTRA)
    if isinstance(rendered, Rendered):  # (written where they were judged: merged here)
        for text in station_lines(rendered, catalogue):
            for key, entry in catalogue.take_new():
                stream.write(record("cause", {"key": key, **entry}))
            stream.write('{"type": "station", ' + text[1:] + "\n")
    else:
        for d in report.diagnoses:
            st = compact_station(d, clean, catalogue, inputs, events)
            for key, entry in catalogue.take_new():
                stream.write(record("cause", {"key": key, **entry}))
            stream.write(record("station", st))
    stream.write(record("summary", {"summary": summary}))
