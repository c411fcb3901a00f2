"""One part of a large input, read in a process of its own (started by ``parallel.parse_parallel``).

    python -m wlandoctor.parallel_worker JOB.json

A fresh interpreter rather than a fork of the command: it imports only the parser, the sources and the
timeline builder (about 22 MiB resident, against the 40-60 MiB of a fork that carries the command line,
the rules and the reporters in its pages), which is what lets two processes stay inside the memory
target of one (docs/performance.md).  The job file says what to read; the partial timeline is written to
``job["out"]`` (timeline/handover.py) and the input summary to ``job["summary"]`` as JSON.  Nothing secret
is ever passed: only log formats are read in parts, never captures with candidate passphrases.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from wlandoctor.model import InputSummary
from wlandoctor.parallel import first_line, read_part
from wlandoctor.parsers.base import Parser
from wlandoctor.sources import Input
from wlandoctor.timeline import TimelineBuilder, handover
from wlandoctor.util.gc_pause import fewer_collections


def run(job: dict[str, Any]) -> None:
    parser: Parser = importlib.import_module(job["module"]).PARSER
    summary = InputSummary(job["name"], parser.name)
    builder = TimelineBuilder(clock_skew_s=job["clock_skew_s"], part=True, whole_station=job["whole_station"])
    path = Path(job["path"])
    first = first_line(path, job["start"])  # (here, while the command already reads its own part)
    inp = Input.from_range(job["name"], path, job["start"], job["end"], first)
    with fewer_collections():
        read_part(parser, inp, summary, builder)
        with open(job["out"], "wb") as f:
            handover.write(builder.export(), f)
    with open(job["summary"], "w", encoding="utf-8") as f:
        json.dump(summary_dict(summary), f)


def summary_dict(s: InputSummary) -> dict[str, Any]:
    return {
        "records": s.records,
        "skipped": s.skipped,
        "problems": [(p.line, p.message) for p in s.problems],
        "problems_dropped": s.problems_dropped,
        "coverage": {
            "understood": s.coverage.understood,
            "unread": s.coverage.unread,
            "first": s.coverage.first,
            "by_station": s.coverage.by_station,
        },
    }


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as f:
        run(json.load(f))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
