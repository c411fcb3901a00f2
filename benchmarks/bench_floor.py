#!/usr/bin/env python3
"""Where the floor of a pure-Python trace reader lies on this machine.

`bench_diagnose.py` measures the whole tool.  This measures the steps under it on the same generated AC
trace, each in this process, one after the other, CPU time:

  split          read the file in 1 MiB blocks and split them into lines (C)
  line loop      the above plus a Python `for` over every line
  one test       the loop plus one substring test per line (`b"BTRACE" in line`)
  classify       the loop plus the Huawei parser's bookkeeping decision (`_is_bookkeeping`), nothing
                 built: the least a line-by-line reader of these traces does
  parse          the Huawei parser: events out (parsers/huawei.py)
  parse+timeline the parser feeding the timeline builder (what `diagnose` does before rules and report)
  kept: parse    the parser on only the lines the bookkeeping decision keeps (written to a temporary file
  kept: +timeline first, not timed), then with the timeline builder: what parsing would cost if deciding
                 which lines matter were free, as with a compiled scanner handing over only those lines

MiB/s and us/line are always of the whole input, so the "kept" rows compare with the others.

and, when they are installed, two compiled multi-pattern scanners finding the parser's needles in the
same bytes (google-re2, hyperscan); they are not dependencies of wlandoctor, only a yardstick.

    python benchmarks/bench_floor.py                 # benchmarks/out/ac-trace-100M-s1-v2.txt, made if missing
    python benchmarks/bench_floor.py --input FILE    # any Huawei trace
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEEDLES = [b"to air", b"from target", b"MIC", b"handshake result", b"delete", b"EAPoL-Start", b"EAP-Failure",
           b"reject", b"timeout", b"identity", b"challenge", b"Accept", b"Success", b"assoc", b"RADIUS",
           b"online", b"fail", b"Fail"]  # fmt: skip


def blocks(path: Path) -> Iterator[list[bytes]]:
    tail = b""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            parts = (tail + chunk).split(b"\n")
            tail = parts.pop()
            yield parts
    if tail:
        yield [tail]


def split_only(path: Path) -> int:
    return sum(len(p) for p in blocks(path))


def line_loop(path: Path) -> int:
    n = 0
    for parts in blocks(path):
        for _raw in parts:
            n += 1
    return n


def one_test(path: Path) -> int:
    n = 0
    for parts in blocks(path):
        for raw in parts:
            if b"BTRACE" in raw:
                n += 1
    return n


def classify(path: Path) -> int:
    from wlandoctor.parsers.huawei import _is_bookkeeping  # the decision the parser's loop writes out

    kept = 0
    for parts in blocks(path):
        for raw in parts:
            if not _is_bookkeeping(raw):
                kept += 1
    return kept


def write_kept(path: Path, out: Path) -> int:
    """The lines of ``path`` that the parser's bookkeeping decision keeps, into ``out`` (not timed)."""
    from wlandoctor.parsers.huawei import _is_bookkeeping

    kept = 0
    with open(out, "wb") as f:
        for parts in blocks(path):
            for raw in parts:
                if not _is_bookkeeping(raw[:-1] if raw.endswith(b"\r") else raw):
                    f.write(raw + b"\n")
                    kept += 1
    return kept


def parse(path: Path, timeline: bool = False) -> int:
    from wlandoctor.model import InputSummary
    from wlandoctor.parsers.huawei import PARSER
    from wlandoctor.sources import Input
    from wlandoctor.timeline import TimelineBuilder
    from wlandoctor.util.gc_pause import fewer_collections

    n = 0
    with fewer_collections():
        builder = TimelineBuilder()
        for event in PARSER.parse(Input.from_path(path), InputSummary(str(path), "huawei-ac")):
            n += 1
            if timeline:
                builder.add(event)
        if timeline:
            builder.build()
    return n


def re2_scan(path: Path) -> int:
    import re

    import re2  # type: ignore[import-not-found]

    pattern = re2.compile(b"|".join(re.escape(n) for n in NEEDLES))
    return sum(sum(1 for _ in pattern.finditer(b"\n".join(p))) for p in blocks(path))


def hyperscan_scan(path: Path) -> int:
    import hyperscan  # type: ignore[import-not-found]

    db = hyperscan.Database()
    db.compile(expressions=NEEDLES, ids=list(range(len(NEEDLES))), elements=len(NEEDLES))
    hits = [0]

    def on_match(*_args: object) -> None:
        hits[0] += 1

    for parts in blocks(path):
        db.scan(b"\n".join(parts), match_event_handler=on_match)
    return hits[0]


def measure(fn: Callable[[], int]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, help="a Huawei trace (default: the 100 MiB benchmark input)")
    args = ap.parse_args()
    path = args.input or HERE / "out" / "ac-trace-100M-s1-v2.txt"
    if args.input is None and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(HERE / "gen_ac_trace.py"), "--size", "100M", "-o", str(path)]
        subprocess.run(cmd, check=True)
    size = path.stat().st_size
    with open(path, "rb") as f:  # into the page cache, and the line count
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))
    mib = size / 2**20
    print(f"{path}: {mib:.1f} MiB, {lines:,} lines\n")
    print(f"{'step':16} {'cpu s':>7} {'MiB/s':>8} {'us/line':>8}  result")
    steps: list[tuple[str, Callable[[], int], str]] = [
        ("split", lambda: split_only(path), "lines"),
        ("line loop", lambda: line_loop(path), "lines"),
        ("one test", lambda: one_test(path), "lines with BTRACE"),
        ("classify", lambda: classify(path), "lines not bookkeeping"),
        ("parse", lambda: parse(path), "events"),
        ("parse+timeline", lambda: parse(path, True), "events"),
        ("kept:parse", lambda: parse(kept_path), "events"),
        ("kept:+timeline", lambda: parse(kept_path, True), "events"),
        ("re2 needles", lambda: re2_scan(path), "needle hits"),
        ("hyperscan", lambda: hyperscan_scan(path), "needle hits"),
    ]
    tmp = tempfile.TemporaryDirectory(prefix="bench-floor-")
    kept_path = Path(tmp.name) / "kept.txt"
    write_kept(path, kept_path)
    for name, fn, what in steps:
        try:
            _wall, cpu, result = measure(fn)
        except ImportError as exc:
            print(f"{name:16} {'-':>7} {'-':>8} {'-':>8}  not installed ({exc.name})")
            continue
        with contextlib.suppress(ZeroDivisionError):
            print(f"{name:16} {cpu:7.2f} {mib / cpu:8.1f} {cpu / lines * 1e6:8.2f}  {result:,} {what}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
