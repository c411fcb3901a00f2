#!/usr/bin/env python3
"""Throughput and memory benchmark of ``wlandoctor diagnose`` on large Huawei AC traces.

For each size (default 100M and 1G; ``--quick`` = 50M) it generates a trace with ``gen_ac_trace.py`` (or
reuses the one cached under ``benchmarks/out/``), then runs, one after the other on the same warm file:

- ``grep -c BTRACE FILE``: the reference (how fast the machine can scan the bytes at all);
- ``python`` iterating the file's lines, and ``wlandoctor.sources.lines.iter_lines`` over it: what a
  pure-Python line loop and the project's safe line source cost by themselves;
- ``wlandoctor diagnose FILE --format json --output /dev/null``: the thing measured.

Each is a child process; the benchmark records its wall time, MiB/s, lines/s and peak RSS (exact, from
the kernel's per-image high-water mark ``VmHWM`` of the child and its descendants, polled from /proc).  It prints a table, the
targets next to the results, and one JSON line with every number.  ``--profile`` instead runs cProfile
on a 20 MB input in-process and prints the 25 most expensive functions.

Sizes are powers of 1024 (``100M`` = 100 MiB) and so are the rates (MiB/s).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
import gen_ac_trace as gen  # noqa: E402 - the generator sits next to this file

TARGET_MIB_S = 60.0
TARGET_RSS_MIB_AT_1G = 300.0
RSS_GROWTH_LIMIT = 1.3  # peak RSS at the largest size / peak RSS at the smallest
MIB = 1024 * 1024

PY_LINES = (
    "import sys\nn = 0\nwith open(sys.argv[1], 'rb') as f:\n    for _ in f:\n        n += 1\nprint(n)\n"
)
ITER_LINES = (
    "import sys\nfrom wlandoctor.sources.lines import iter_lines\nn = 0\n"
    "with open(sys.argv[1], 'rb') as f:\n    for _ in iter_lines(f):\n        n += 1\nprint(n)\n"
)


@dataclass
class Run:
    tool: str
    size_label: str
    bytes: int
    lines: int
    ok: bool
    exit_code: int | None
    wall_s: float
    cpu_s: float
    mib_s: float
    lines_s: float
    peak_rss_mib: float
    note: str = ""


@dataclass
class Bench:
    started: str
    machine: dict[str, object]
    command: list[str]
    inputs: list[dict[str, object]] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    targets: dict[str, object] = field(default_factory=dict)


# --- inputs ---------------------------------------------------------------------------------------------


def input_path(out: Path, label: str, seed: int, flatten: int, crlf: bool) -> Path:
    extra = (f"-flat{flatten}" if flatten > 1 else "") + ("-crlf" if crlf else "")
    return out / f"ac-trace-{label}-s{seed}{extra}-v{gen.GENERATOR_VERSION}.txt"


def ensure_input(
    out: Path, size: int, label: str, seed: int, flatten: int, crlf: bool
) -> tuple[Path, dict[str, object]]:
    """The cached trace of that size, generated first when missing or stale."""
    path = input_path(out, label, seed, flatten, crlf)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text())
            if (
                meta.get("bytes") == path.stat().st_size
                and meta.get("generator_version") == gen.GENERATOR_VERSION
            ):
                meta["reused"] = True
                return path, meta
        except (OSError, ValueError):
            pass
    out.mkdir(parents=True, exist_ok=True)
    print(f"generating {path.name} ({label}) ...", file=sys.stderr, flush=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb", buffering=0) as f:
        stats = gen.generate(f, gen.Options(size=size, seed=seed, flatten=flatten, crlf=crlf))  # type: ignore[arg-type]
    tmp.replace(path)
    meta = stats.as_dict()
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    print(
        f"  {meta['bytes'] / MIB:.0f} MiB, {meta['lines']:,} lines in {meta['seconds']} s ({meta['mib_per_s']} MiB/s)",
        file=sys.stderr,
    )
    meta["reused"] = False
    return path, meta


def warm(path: Path) -> None:
    """Read the file once so that every tool sees it in the page cache."""
    with open(path, "rb", buffering=0) as f:
        while f.read(16 * MIB):
            pass


# --- measuring a child ------------------------------------------------------------------------------------


def _hwm(pid: int) -> int:
    """Peak resident memory of one process image (``VmHWM``, reset by exec), bytes; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as f:
            kids = [int(x) for x in f.read().split()]
    except (OSError, ValueError):
        return []
    return kids + [g for k in kids for g in _children(k)]


def _tree_peak(pid: int) -> int:
    """Sum of the peaks of a process and its descendants, as now seen."""
    return _hwm(pid) + sum(_hwm(k) for k in _children(pid))


def _peak(polled: int, maxrss: int, own_peak: int) -> int:
    """The child's peak memory from the polled ``VmHWM`` and ``wait4``'s ``ru_maxrss``.

    Linux keeps the high-water mark from before ``exec`` in ``ru_maxrss``, and a child spawned with vfork
    starts on this process's memory, so ``ru_maxrss`` is max(this process's peak at spawn time, the
    child's own peak).  Above our own peak it is therefore exact, including the last instants before
    exit that polling can miss; at or below it, only the polled value means anything.
    """
    if own_peak and maxrss > own_peak + 1024 * 1024:
        return max(polled, maxrss)
    return polled or maxrss


def measure(
    argv: list[str], timeout: float, env: dict[str, str] | None = None, rss_limit: int = 0
) -> dict[str, object]:
    """Run ``argv``; wall time, CPU time, exit code, peak RSS (bytes), and the tails of its output.

    The child is killed after ``timeout`` seconds, or as soon as its memory passes ``rss_limit`` bytes.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        own_peak = _hwm(os.getpid())
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        peak = [0]
        over = threading.Event()
        done = threading.Event()

        def poll() -> None:
            # VmHWM is a high-water mark, so polling misses nothing but the last instants before exit.
            interval = 0.005
            while not done.is_set():
                peak[0] = max(peak[0], _tree_peak(proc.pid))
                if rss_limit and peak[0] > rss_limit and not over.is_set():
                    over.set()
                    proc.kill()
                done.wait(interval)
                interval = min(0.05, interval * 1.5)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            done.set()
            poller.join()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read()[-4000:].decode("utf-8", "replace")
        stderr = err.read()[-4000:].decode("utf-8", "replace")
    timed_out = wall >= timeout and proc.returncode < 0
    return {
        "exit": proc.returncode,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss": _peak(peak[0], usage.ru_maxrss * 1024, own_peak),
        "stdout": stdout,
        "stderr": stderr,
        "timed_out": timed_out,
        "over_memory": over.is_set(),
    }


def diagnose_command(override: str | None) -> list[str]:
    if override:
        return shlex.split(override)
    exe = shutil.which("wlandoctor")
    if exe:
        return [exe]
    return [sys.executable, "-c", "from wlandoctor.cli.app import main; main()"]


def check_diagnose(cmd: list[str]) -> str | None:
    """None when ``diagnose`` answers ``--help``; otherwise why not."""
    try:
        r = subprocess.run([*cmd, "diagnose", "--help"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"{shlex.join(cmd)} diagnose --help: {e}"
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["(no output)"]
        return f"`{shlex.join(cmd)} diagnose --help` exited {r.returncode}: {tail[0]}"
    return None


def to_run(
    tool: str, label: str, meta: dict[str, object], m: dict[str, object], ok_codes: tuple[int, ...]
) -> Run:
    size = int(meta["bytes"])  # type: ignore[arg-type]
    lines = int(meta["lines"])  # type: ignore[arg-type]
    wall = float(m["wall"])  # type: ignore[arg-type]
    code = int(m["exit"])  # type: ignore[call-overload]
    ok = code in ok_codes and not m["timed_out"] and not m["over_memory"]
    note = ""
    if m["over_memory"]:
        note = "killed: memory over --rss-limit"
    elif m["timed_out"]:
        note = "timed out"
    elif not ok:
        tail = (str(m["stderr"]) or str(m["stdout"])).strip().splitlines()
        note = f"exit {code}: {tail[-1] if tail else '(no output)'}"
    return Run(
        tool=tool,
        size_label=label,
        bytes=size,
        lines=lines,
        ok=ok,
        exit_code=code,
        wall_s=round(wall, 3),
        cpu_s=round(float(m["cpu"]), 3),  # type: ignore[arg-type]
        mib_s=round(size / MIB / wall, 1) if wall > 0 else 0.0,
        lines_s=round(lines / wall) if wall > 0 else 0,
        peak_rss_mib=round(int(m["peak_rss"]) / MIB, 1),  # type: ignore[call-overload]
        note=note,
    )


# --- report ---------------------------------------------------------------------------------------------


def evaluate(runs: list[Run]) -> dict[str, object]:
    diag = [r for r in runs if r.tool == "wlandoctor diagnose" and r.ok]
    if not diag:
        return {"evaluated": False, "why": "no successful wlandoctor diagnose run"}
    diag.sort(key=lambda r: r.bytes)
    small, large = diag[0], diag[-1]
    slowest = min(r.mib_s for r in diag)
    at_1g = [r for r in diag if r.bytes >= 1024**3]
    rss_1g = max((r.peak_rss_mib for r in at_1g), default=None)
    growth = (
        round(large.peak_rss_mib / small.peak_rss_mib, 2)
        if small.peak_rss_mib and large is not small
        else None
    )
    return {
        "evaluated": True,
        "throughput_mib_s_min": slowest,
        "throughput_ok": slowest >= TARGET_MIB_S,
        "peak_rss_mib_at_1g": rss_1g,
        "peak_rss_ok": None if rss_1g is None else rss_1g <= TARGET_RSS_MIB_AT_1G,
        "rss_growth_ratio": growth,
        "rss_growth_ok": None if growth is None else growth <= RSS_GROWTH_LIMIT,
    }


def _verdict(ok: object) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def print_report(b: Bench) -> None:
    head = f"{'input':>7}  {'tool':<22} {'wall s':>8} {'MiB/s':>8} {'lines/s':>11} {'peak RSS MiB':>12}  note"
    print()
    print(head)
    print("-" * len(head))
    for r in b.runs:
        print(
            f"{r.size_label:>7}  {r.tool:<22} {r.wall_s:>8.2f} {r.mib_s:>8.1f} {r.lines_s:>11,} "
            f"{r.peak_rss_mib:>12.1f}  {'' if r.ok else 'FAILED '}{r.note}"
        )
    t = b.targets
    print()
    if not t.get("evaluated"):
        print(f"targets: not evaluated ({t.get('why')})")
    else:
        print(f"target  throughput >= {TARGET_MIB_S:.0f} MiB/s at every size : "
              f"{t['throughput_mib_s_min']} MiB/s (slowest)  {_verdict(t['throughput_ok'])}")  # fmt: skip
        rss = t["peak_rss_mib_at_1g"]
        print(f"target  peak RSS <= {TARGET_RSS_MIB_AT_1G:.0f} MiB at 1 GiB          : "
              f"{'no 1 GiB input' if rss is None else f'{rss} MiB'}  {_verdict(t['peak_rss_ok'])}")  # fmt: skip
        g = t["rss_growth_ratio"]
        print(f"target  RSS not growing (largest/smallest <= {RSS_GROWTH_LIMIT}) : "
              f"{'one size only' if g is None else g}  {_verdict(t['rss_growth_ok'])}")  # fmt: skip
    print()


# --- profile --------------------------------------------------------------------------------------------


def profile(out: Path, size: int, label: str, seed: int, top: int) -> int:
    path, _meta = ensure_input(out, size, label, seed, 0, False)
    prof = cProfile.Profile()
    how = "wlandoctor diagnose (in-process CLI)"
    argv = ["wlandoctor", "diagnose", str(path), "--format", "json", "--output", os.devnull]
    try:
        from wlandoctor.cli import app as cliapp
    except ImportError as e:
        print(f"cannot import wlandoctor: {e}", file=sys.stderr)
        return 2
    ready = check_diagnose([sys.executable, "-c", "from wlandoctor.cli.app import main; main()"]) is None
    t0 = time.perf_counter()
    if ready:
        saved = sys.argv
        sys.argv = argv
        prof.enable()
        try:
            cliapp.main()
        except SystemExit as e:
            if e.code not in (0, 1, None):
                print(f"wlandoctor diagnose exited {e.code}", file=sys.stderr)
        finally:
            prof.disable()
            sys.argv = saved
    else:
        # The CLI command is not there yet: profile the library chain it calls.
        from wlandoctor.pipeline import diagnose_paths

        how = "wlandoctor.pipeline.diagnose_paths (the diagnose command is not available)"
        prof.enable()
        try:
            diagnose_paths([str(path)])
        finally:
            prof.disable()
    wall = time.perf_counter() - t0
    out.mkdir(parents=True, exist_ok=True)
    dump = out / f"profile-{label}.prof"
    prof.dump_stats(dump)
    print(
        f"profiled {how} on {path.name}: {wall:.2f} s under cProfile ({path.stat().st_size / MIB / wall:.1f} MiB/s)"
    )
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        s = io.StringIO()
        pstats.Stats(prof, stream=s).strip_dirs().sort_stats(key).print_stats(top)
        body = s.getvalue()
        print(f"\n=== top {top} functions by {title} ===")
        print(body[body.find("   ncalls") :].rstrip() if "   ncalls" in body else body)
    print(f"\nfull profile: {dump} (open with `python -m pstats` or snakeviz)")
    return 0


# --- main -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark `wlandoctor diagnose` on generated Huawei AC traces.")
    p.add_argument("--sizes", default="100M,1G", help="comma-separated input sizes (default 100M,1G)")
    p.add_argument("--quick", action="store_true", help="one 50M input (overrides --sizes)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--flatten", type=int, default=0, metavar="N", help="bench flattened inputs (N records a line)"
    )
    p.add_argument("--crlf", action="store_true", help="bench CRLF inputs")
    p.add_argument("--cmd", help="how to run wlandoctor (default: the console script, else python -c ...)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed per run (default 3600)")
    p.add_argument(
        "--rss-limit", default="6G", help="kill a run whose memory passes this (default 6G; 0 = none)"
    )
    p.add_argument("--no-refs", action="store_true", help="skip the python line-loop references")
    p.add_argument("--out", type=Path, default=OUT, help=f"where inputs and results are kept (default {OUT})")
    p.add_argument("--json-out", type=Path, help="also write the JSON result to this file")
    p.add_argument(
        "--profile", action="store_true", help="cProfile diagnose in-process on a 20M input instead"
    )
    p.add_argument("--profile-size", default="20M")
    p.add_argument("--top", type=int, default=25, help="functions to print with --profile (default 25)")
    args = p.parse_args(argv)

    if args.profile:
        return profile(args.out, gen.parse_size(args.profile_size), args.profile_size, args.seed, args.top)

    labels = ["50M"] if args.quick else [s.strip() for s in args.sizes.split(",") if s.strip()]
    try:
        sizes = [(gen.parse_size(s), s) for s in labels]
        rss_limit = gen.parse_size(args.rss_limit)
    except ValueError as e:
        p.error(str(e))
    if shutil.which("grep") is None:
        p.error("grep is needed for the reference time")

    cmd = diagnose_command(args.cmd)
    unavailable = check_diagnose(cmd)
    bench = Bench(
        started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        machine={
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        command=cmd,
    )
    c_env = dict(os.environ, LC_ALL="C")
    for size, label in sizes:
        path, meta = ensure_input(args.out, size, label, args.seed, args.flatten, args.crlf)
        bench.inputs.append({"label": label, "path": str(path), **meta})
        warm(path)
        m = measure(["grep", "-c", "BTRACE", str(path)], args.timeout, env=c_env)
        bench.runs.append(to_run("grep -c BTRACE", label, meta, m, (0, 1)))
        if not args.no_refs:
            m = measure([sys.executable, "-c", PY_LINES, str(path)], args.timeout)
            bench.runs.append(to_run("python line loop", label, meta, m, (0,)))
            m = measure([sys.executable, "-c", ITER_LINES, str(path)], args.timeout)
            bench.runs.append(to_run("sources.iter_lines", label, meta, m, (0,)))
        if unavailable:
            continue
        # Exit 1 means "some station failed", which this input is built to contain.
        m = measure(
            [*cmd, "diagnose", str(path), "--format", "json", "--output", os.devnull],
            args.timeout,
            rss_limit=rss_limit,
        )
        bench.runs.append(to_run("wlandoctor diagnose", label, meta, m, (0, 1)))
    bench.targets = evaluate(bench.runs)
    if unavailable:
        bench.targets = {"evaluated": False, "why": f"wlandoctor diagnose not runnable: {unavailable}"}
    print_report(bench)
    result = asdict(bench)
    line = json.dumps(result, separators=(",", ":"))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"results-{bench.started.replace(':', '')}.json").write_text(
        json.dumps(result, indent=1) + "\n"
    )
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=1) + "\n")
    print(line)
    if unavailable:
        print(f"\nwlandoctor diagnose was not measured: {unavailable}", file=sys.stderr)
        return 2
    return 0 if all(r.ok for r in bench.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
