"""Coverage-guided fuzzing of one target with atheris (libFuzzer), seeded with the project's test inputs.

    python fuzz/run.py TARGET [--seconds N | --runs N] [--corpus DIR] [libFuzzer flags...]

TARGET is one of fuzz/harnesses.py's TARGETS, or ``all`` (each in turn, --seconds each, each in its own
folder of --corpus). Inputs are
mutated as bytes (libFuzzer's own mutations) and as lines and records: lines repeated, dropped, swapped,
spliced from other seeds, a word repeated, runs of spaces and letters, other line ends, extreme numbers,
markup, control and bidi characters, the candidate passphrase. A finding is written to
fuzz/findings/TARGET-crash-<sha1> and the run exits non-zero; turn it into a regression input under
tests/data/fuzz/TARGET/ (tests/test_fuzz.py replays those). docs/fuzzing.md says more.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

_EXTREME_NUMBERS = (
    b"0",
    b"-1",
    b"99999999999999999999",
    b"4294967296",
    b"18446744073709551616",
    b"1e308",
    b"NaN",
)
_NASTY = (
    b"<script>alert(1)</script>",
    b"\x1b[31m",
    b"\x1b]8;;http://x\x07",
    b"\xe2\x80\xae",  # U+202E, right-to-left override
    b"\xc2\x9b",  # U+009B, CSI
    b"\x00",
    b"\xff\xfe",
    b"&amp;<b>",
    b"`code` **bold** |table|",
)


def _line_mutation(data: bytes, max_size: int, rng: random.Random, pool: list[bytes], secret: bytes) -> bytes:
    lines = data.split(b"\n") if data else [b""]
    i = rng.randrange(len(lines))
    line = lines[i]
    op = rng.randrange(12)
    if op == 0:  # a line repeated
        lines[i : i + 1] = [line] * rng.randint(2, 64)
    elif op == 1 and len(lines) > 1:  # a line dropped
        del lines[i]
    elif op == 2 and len(lines) > 1:  # two lines swapped
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], line
    elif op == 3 and pool:  # a line from another seed
        other = rng.choice(pool).split(b"\n")
        lines.insert(i, rng.choice(other))
    elif op == 4:  # a word repeated (a record's part many times over)
        words = line.split(b" ")
        k = rng.randrange(len(words))
        words[k : k + 1] = [words[k]] * rng.randint(2, 200)
        lines[i] = b" ".join(words)
    elif op == 5:  # a run of spaces or letters
        at = rng.randint(0, len(line))
        lines[i] = (
            line[:at]
            + rng.choice((b" ", b"a", b"A ", b"\t", b"]", b"[", b"(", b":")) * rng.randint(1, 4000)
            + line[at:]
        )
    elif op == 6:  # other line ends
        return rng.choice((b"\r", b"\r\n", b"\n\n", b"\r\r\n")).join(lines)[:max_size]
    elif op == 7:  # an extreme number
        digits = [k for k, c in enumerate(line) if 48 <= c <= 57]
        if digits:
            at = rng.choice(digits)
            lines[i] = line[:at] + rng.choice(_EXTREME_NUMBERS) + line[at + 1 :]
    elif op == 8:  # markup, escape sequences, bidi and control characters
        at = rng.randint(0, len(line))
        lines[i] = line[:at] + rng.choice(_NASTY) + line[at:]
    elif op == 9:  # the candidate passphrase where a log could print it
        at = rng.randint(0, len(line))
        lines[i] = line[:at] + secret + line[at:]
    elif op == 10:  # a line cut in two, as a paste wraps it
        at = rng.randint(0, len(line))
        lines[i : i + 1] = [line[:at], line[at:]]
    else:  # two lines joined, as a flattened paste
        if i + 1 < len(lines):
            lines[i : i + 2] = [line + b" " + lines[i + 1]]
    return b"\n".join(lines)[:max_size]


# (harnesses.TARGETS' names, listed here: importing the harnesses before atheris instruments them would
# leave wlandoctor without coverage feedback; tests/test_fuzz.py checks the two lists agree)
TARGETS = (
    "huawei",
    "hostap",
    "freeradius",
    "espressif",
    "mikrotik",
    "meraki",
    "aruba",
    "cisco-wlc",
    "unifi",
    "unifi-network",
    "windows",
    "fortinet",
    "fortinet-debug",
    "macos",
    "omada",
    "meraki-api",
    "windows-text",
    "windows-evtx",
    "windows-report",
    "windows-csv",
    "nps",
    "detect",
    "capture",
    "gzip",
    "candidates",
)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("target", choices=[*TARGETS, "all"])
    ap.add_argument(
        "--seconds", type=int, default=None, help="stop after this long (libFuzzer -max_total_time)"
    )
    ap.add_argument("--runs", type=int, default=None, help="stop after this many inputs (libFuzzer -runs)")
    ap.add_argument(
        "--corpus", type=Path, default=None, help="keep the corpus here (default: a temporary one)"
    )
    args, libfuzzer = ap.parse_known_args(argv)
    if args.target == "all":
        failed = []
        rest = [a for a in argv[1:] if a not in ("--corpus", str(args.corpus))]
        for name in TARGETS:
            corpus = ["--corpus", str(args.corpus / name)] if args.corpus else []
            cmd = [sys.executable, __file__, name, *corpus, *rest]
            if subprocess.run(cmd, check=False).returncode != 0:
                failed.append(name)
        if failed:
            print(f"findings in: {', '.join(failed)}", file=sys.stderr)
        return 1 if failed else 0
    return _fuzz(args.target, args.seconds, args.runs, args.corpus, libfuzzer)


def _fuzz(target: str, seconds: int | None, runs: int | None, corpus: Path | None, extra: list[str]) -> int:
    import atheris

    with atheris.instrument_imports(include=["wlandoctor"]):
        import harnesses

    one_input = harnesses.TARGETS[target]
    pool = list(harnesses.seeds(target))
    secret = harnesses.SECRET.encode()
    keep = corpus or Path(tempfile.mkdtemp(prefix=f"wlandoctor-fuzz-{target}-"))
    keep.mkdir(parents=True, exist_ok=True)
    for n, seed in enumerate(pool):
        (keep / f"seed-{n:04d}").write_bytes(seed)
    findings = HERE / "findings"
    findings.mkdir(exist_ok=True)

    def mutate(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5 or target in ("capture", "gzip"):
            return bytes(atheris.Mutate(data, max_size))
        return _line_mutation(data, max_size, rng, pool, secret)

    flags = [
        f"-artifact_prefix={findings}/{target}-",
        "-max_len=65536",
        "-rss_limit_mb=2048",
        "-timeout=30",
        # (libFuzzer's own slow-unit report counts wall time, which a loaded machine stretches: the
        # harnesses bound each input's CPU time per KB themselves)
        "-report_slow_units=60",
        "-print_final_stats=1",
    ]
    if seconds is not None:
        flags.append(f"-max_total_time={seconds}")
    if runs is not None:
        flags.append(f"-runs={runs}")
    print(f"fuzzing {target}: {len(pool)} seeds, corpus {keep}", file=sys.stderr)
    atheris.Setup([sys.argv[0], *flags, *extra, str(keep)], one_input, custom_mutator=mutate)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
