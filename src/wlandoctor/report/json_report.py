"""The JSON report: the contract of docs/json.md, for scripts and other tools."""

from __future__ import annotations

import json
import textwrap
from typing import IO

from wlandoctor.model import Report
from wlandoctor.report.data import _generated, to_dict

_DUMP = {"indent": 2, "ensure_ascii": False, "sort_keys": True, "allow_nan": False}
_PLACE = "\x00stations\x00"


def render_json(report: Report) -> str:
    """The report as JSON text: indented by 2, UTF-8 kept as is, keys sorted so output is stable."""
    return json.dumps(to_dict(report), **_DUMP)  # type: ignore[arg-type]


def write_json(report: Report, stream: IO[str]) -> None:
    """The same text as ``render_json``, written one station at a time, so that memory stays that of
    one station whatever the size of the report."""
    extra = {**report.extra, "generated": _generated(report)}
    top = to_dict(Report(report.inputs, [], extra))
    verdicts = [str(d.verdict) for d in report.diagnoses]
    top["summary"] = {
        "stations": len(verdicts),
        "online": verdicts.count("online"),
        "failed": verdicts.count("failed"),
        "incomplete": verdicts.count("incomplete"),
    }
    top["stations"] = _PLACE
    head, tail = json.dumps(top, **_DUMP).split(json.dumps(_PLACE))  # type: ignore[arg-type]
    if not report.diagnoses:
        stream.write(head + "[]" + tail)
        return
    stream.write(head + "[")
    for i, d in enumerate(report.diagnoses):
        station = to_dict(Report([], [d], extra))["stations"]
        text = json.dumps(station[0], **_DUMP)  # type: ignore[arg-type]
        stream.write(("," if i else "") + "\n" + textwrap.indent(text, "    "))
    stream.write("\n  ]" + tail)
