"""The JSON report: the contract of docs/json.md, for scripts and other tools.

The document is written one station at a time, so memory stays that of one station whatever the size of
the report.  The top level is indented by 2; each station is one line of the ``stations`` array (written by
the C encoder, several times faster than an indented dump, and easy to pick out with line tools).
"""

from __future__ import annotations

import io
import json
import re
from typing import IO

from wlandoctor.model import Report
from wlandoctor.report.data import Cleaner, station_dict, top_dict

_TOP = {"indent": 2, "ensure_ascii": False, "sort_keys": True, "allow_nan": False}
_LINE = {"ensure_ascii": False, "sort_keys": True, "allow_nan": False, "separators": (", ", ": ")}
_PLACE = "\x00stations\x00"
# What json.dumps(ensure_ascii=False) leaves raw in a string and a terminal or an editor would act on: DEL,
# the C1 controls (CSI 0x9b starts an escape sequence) and the Unicode bidirectional controls
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escaped(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def safe(text: str) -> str:
    """JSON text with those characters as \\u escapes: the same data, nothing a reader's terminal acts on."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def render_json(report: Report) -> str:
    """The report as JSON text (the same bytes ``write_json`` writes)."""
    buf = io.StringIO()
    write_json(report, buf)
    return buf.getvalue()


def write_json(report: Report, stream: IO[str], all_events: bool = False) -> None:
    """Write the report to ``stream``: keys sorted, UTF-8 kept as is, one line per station."""
    clean = Cleaner(report)
    top = clean(top_dict(report))
    assert isinstance(top, dict)
    top["stations"] = _PLACE
    head, tail = safe(json.dumps(top, **_TOP)).split(json.dumps(_PLACE))  # type: ignore[arg-type]
    if not report.diagnoses:
        stream.write(head + "[]" + tail)
        return
    stream.write(head + "[")
    line = json.JSONEncoder(**_LINE).encode  # type: ignore[arg-type]
    for i, d in enumerate(report.diagnoses):
        stream.write(("," if i else "") + "\n    " + safe(line(station_dict(d, clean, all_events))))
    stream.write("\n  ]" + tail)
