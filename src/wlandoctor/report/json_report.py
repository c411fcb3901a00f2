"""The JSON report: the contract of docs/json.md, for scripts and other tools."""

from __future__ import annotations

import json

from wlandoctor.model import Report
from wlandoctor.report.data import to_dict


def render_json(report: Report) -> str:
    """The report as JSON text: indented by 2, UTF-8 kept as is, keys sorted so output is stable."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False)
