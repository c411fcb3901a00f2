"""Benchmark `wlandoctor diagnose` on a large `hostapd -dd -t` log (hexdumps included).

The input is made from the project's real hostapd debug logs (tests/data/lab/*/hostapd.log, recorded from
Debian's hostapd by the 802.1X lab, and tests/data/hostap/healthy_hostapd_dd_wpa2psk.log): their lines are
replayed over and over with the station MAC replaced by one of N stations and the time stamps moved
forward, until the file has the asked size.  Then, in the same run, `grep -c hostapd` (reference) and
`wlandoctor diagnose FILE --format json --output /dev/null` are measured: wall time, MiB/s, lines/s and
peak RSS.

    python benchmarks/bench_hostap.py --size 2G
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_diagnose import diagnose_command, measure, warm
from gen_ac_trace import parse_size

ROOT = Path(__file__).parent.parent
SOURCES = [
    *sorted((ROOT / "tests" / "data" / "lab").glob("*/hostapd.log")),
    ROOT / "tests" / "data" / "hostap" / "healthy_hostapd_dd_wpa2psk.log",
]
_STAMP = re.compile(r"^(\d{10})\.(\d{6}): ")
_MACS = re.compile(r"\b(02:1a:b0:00:00:02|02:00:00:00:02:00)\b")


def _templates() -> list[list[tuple[float, str]]]:
    """Each source log as (offset from its first stamp, line without stamp)."""
    out = []
    for path in SOURCES:
        rows: list[tuple[float, str]] = []
        first: float | None = None
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = _STAMP.match(line)
            if not m:
                continue
            t = float(f"{m.group(1)}.{m.group(2)}")
            first = t if first is None else first
            rows.append((t - first, line[m.end() :]))
        if rows:
            out.append(rows)
    return out


def generate(path: Path, size: int, stations: int) -> dict[str, int]:
    """Write about ``size`` bytes of hostapd -dd -t output; returns bytes and lines written."""
    templates = _templates()
    written = lines = 0
    t0 = 1_795_000_000.0
    k = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < size:
            rows = templates[k % len(templates)]
            sta = k % stations
            mac = f"02:5a:{(sta >> 16) & 255:02x}:{(sta >> 8) & 255:02x}:{sta & 255:02x}:{k % 7:02x}"
            block = []
            for dt, text in rows:
                t = t0 + dt
                block.append(f"{t:.6f}: {_MACS.sub(mac, text)}\n")
            chunk = "".join(block)
            f.write(chunk)
            written += len(chunk.encode())
            lines += len(block)
            t0 += rows[-1][0] + 0.5
            k += 1
    return {"bytes": written, "lines": lines, "connections": k}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="1G", help="input size (K/M/G are powers of 1024), default 1G")
    ap.add_argument("--stations", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    size = parse_size(args.size)
    path = args.out / f"hostapd-dd-{args.size}-{args.stations}.log"
    if not path.exists() or path.stat().st_size < size:
        print(f"generating {path.name} ...", flush=True)
        stats = generate(path, size, args.stations)
    else:
        with open(path, "rb") as f:
            stats = {"bytes": path.stat().st_size, "lines": sum(1 for _ in f), "connections": -1}
    warm(path)
    mib = stats["bytes"] / 2**20
    results = {}
    print(f"\n  input {mib:,.0f} MiB, {stats['lines']:,} lines\n")
    print(f"  {'tool':24} {'wall s':>8} {'MiB/s':>8} {'lines/s':>11} {'peak RSS MiB':>13}")
    for name, cmd in (
        ("grep -c hostapd", ["grep", "-c", "hostapd", str(path)]),
        (
            "wlandoctor diagnose",
            [*diagnose_command(None), "diagnose", str(path), "--format", "json", "--output", "/dev/null"],
        ),
    ):
        r = measure(cmd, args.timeout)
        ok = r["exit"] in (0, 1)
        wall = float(r["wall"])  # type: ignore[arg-type]
        rss = int(r["peak_rss"]) / 2**20  # type: ignore[call-overload]
        results[name] = {
            "ok": ok,
            "wall_s": round(wall, 2),
            "mib_s": round(mib / wall, 1),
            "peak_rss_mib": round(rss, 1),
        }
        print(
            f"  {name:24} {wall:8.2f} {mib / wall:8.1f} {stats['lines'] / wall:11,.0f} {rss:13.1f}"
            + ("" if ok else "  FAILED")
        )
        if not ok:
            print(r["stderr"])
    print(json.dumps({"input": {**stats, "path": str(path)}, "runs": results}))
    return 0 if all(v["ok"] for v in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
