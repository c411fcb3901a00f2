#!/usr/bin/env python3
"""Instructions executed to parse (and build timelines of) a Huawei trace: a number that does not move
with the machine's load.

Wall and CPU times on a shared machine move by 10 to 30 % from one run to the next, more than most
changes to the parser are worth. Valgrind's cachegrind counts the instructions the interpreter executes
instead: the same code on the same input gives the same count to a few parts in ten thousand, so two
versions can be compared at any time. The count of an empty input (interpreter start, imports) is
subtracted.

    python benchmarks/bench_instructions.py                   # this checkout, first 8 MiB of the 100 MiB trace
    python benchmarks/bench_instructions.py --src OTHER/src   # another checkout, to compare
    python benchmarks/bench_instructions.py --step timeline   # parser and timeline builder
    python benchmarks/bench_instructions.py --input FILE --size 4M
    python benchmarks/bench_instructions.py --parser hostap --input HOSTAPD.LOG

Needs valgrind (``apt-get install valgrind``); about 30 s for 8 MiB.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_INPUT = HERE / "out" / "ac-trace-100M-s1-v2.txt"
I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")

# What is run under valgrind: parse the file (and build timelines), as a worker process does.
STEP = """
import sys
from pathlib import Path
from wlandoctor.model import InputSummary
from wlandoctor.parsers import by_name
from wlandoctor.sources import Input
from wlandoctor.timeline import TimelineBuilder
from wlandoctor.util.gc_pause import fewer_collections
path, timeline, parser = Path(sys.argv[1]), sys.argv[2] == "timeline", by_name(sys.argv[3])
with fewer_collections():
    builder = TimelineBuilder()
    for event in parser.parse(Input.from_path(path), InputSummary(str(path), parser.name)):
        if timeline:
            builder.add(event)
    if timeline:
        builder.build()
"""


def instructions(valgrind_output: str) -> int:
    """The "I refs" total of a cachegrind run's report."""
    m = I_REFS.search(valgrind_output)
    if m is None:
        raise ValueError("no 'I refs' line in valgrind's output")
    return int(m.group(1).replace(",", ""))


def count(src: Path, path: Path, step: str, parser: str = "huawei-ac") -> int:
    # the interpreter is run by its real path (below), outside any virtual environment: hand it this
    # environment's packages too
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), *site.getsitepackages()]))
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    # (the interpreter itself, not a wrapper script such as a pyenv shim: valgrind follows no exec)
    run = subprocess.run(
        [*cmd, os.path.realpath(sys.executable), "-c", STEP, str(path), step, parser],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "valgrind failed")
    return instructions(run.stderr)


def parse_size(text: str) -> int:
    m = re.fullmatch(r"(\d+)([KMG]?)", text.strip().upper())
    if m is None:
        raise argparse.ArgumentTypeError(f"not a size: {text}")
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[m.group(2)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--src", type=Path, default=HERE.parent / "src", help="the src/ directory to measure")
    p.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="a Huawei trace")
    p.add_argument("--size", type=parse_size, default=parse_size("8M"), help="bytes taken from its start")
    p.add_argument("--step", choices=["parse", "timeline"], default="parse")
    p.add_argument("--parser", default="huawei-ac", help="the parser to run (huawei-ac, hostap, freeradius)")
    args = p.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    if not args.input.exists():
        print(
            f"{args.input}: no such file (python benchmarks/bench_floor.py makes the default one)",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        sample, empty = Path(tmp) / "sample.txt", Path(tmp) / "empty.txt"
        with open(args.input, "rb") as f:
            head = f.read(args.size)
        head = head[: head.rfind(b"\n") + 1]  # whole lines only
        sample.write_bytes(head)
        empty.write_bytes(b"")
        try:
            start = count(args.src, empty, args.step, args.parser)
            total = count(args.src, sample, args.step, args.parser)
        except (RuntimeError, ValueError) as exc:
            print(f"valgrind: {exc}", file=sys.stderr)
            return 1
    lines = max(head.count(b"\n"), 1)
    work = total - start
    print(
        f"src {args.src}  input {args.input.name}, first {args.size:,} bytes ({lines:,} lines)  step {args.step}"
    )
    print(
        f"instructions: {total:,} in all, {start:,} to start, {work:,} for the input ({work / lines:,.0f} a line)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
