"""``wlandoctor verify``: which of the candidate passphrases did the station really use?

Candidates come from ``--candidates FILE``, else ``$WLANDOCTOR_CANDIDATES``, else a hidden prompt when
stdin is a terminal; never from the command line.  They are shown by label only.

Exit codes: 0 = a candidate reproduced a handshake; 1 = handshakes could be checked but no candidate
matched; 3 = no usable handshake (none captured, incomplete, or SAE/802.1X which cannot be checked).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from wlandoctor.capture import candidates as cand_mod
from wlandoctor.capture.reader import CaptureError
from wlandoctor.capture.verify import (
    CANNOT,
    INCOMPLETE,
    MATCH,
    NO_MATCH,
    Proof,
    ProofRun,
    exit_code,
    prove_run,
)
from wlandoctor.cli.app import EXIT_NO_INPUT, EXIT_USAGE, app
from wlandoctor.cli.common import fail
from wlandoctor.report.json_report import safe
from wlandoctor.sources.lines import sanitize


class Format(StrEnum):
    text = "text"
    json = "json"


def _load_candidates(path: Path | None) -> list[cand_mod.Candidate]:
    try:
        if path is not None:
            return cand_mod.load_file(path)
        env = cand_mod.load_env()
        if env is not None:
            return env
        if sys.stdin.isatty():
            return cand_mod.prompt()
    except cand_mod.CandidateError as e:
        raise fail(str(e), EXIT_USAGE) from None
    except (EOFError, KeyboardInterrupt):
        raise fail("no candidates entered", EXIT_USAGE) from None
    raise fail(
        "no candidate passphrases: pass --candidates FILE, set "
        f"{cand_mod.ENV_VAR}, or run in a terminal to be prompted",
        EXIT_USAGE,
    )


_VERDICT_TEXT = {
    MATCH: "MATCH",
    NO_MATCH: "NO MATCH",
    INCOMPLETE: "INCOMPLETE",
    CANNOT: "CANNOT CHECK OFFLINE",
}


def _frames(p: Proof) -> str:
    lo, hi = min(p.frames), max(p.frames)
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def render_text(run: ProofRun, capture: str, labels: list[str]) -> str:
    out: list[str] = []
    out.append(f"capture {sanitize(capture)}: {run.records} frames, {len(run.proofs)} handshake(s)")
    if run.malformed:
        out.append(f"  {run.malformed} malformed frame(s) skipped (first: frame {run.problems[0][0]})")
    if run.truncated:
        out.append(f"  file ends early: {run.truncated}")
    out.append(f"candidates: {', '.join(labels)}")
    for i, p in enumerate(run.proofs, 1):
        ssid = sanitize(p.ssid) if p.ssid is not None else "(unknown)"
        out.append("")
        out.append(f"handshake {i}: AP {p.ap}  STA {p.sta}  SSID {ssid}")
        kver = "?" if p.kver is None else str(p.kver)
        out.append(f"  frames {_frames(p)} ({' '.join(p.messages)}), kver {kver}, AKM {p.akm_name}")
        line = f"  verdict: {_VERDICT_TEXT.get(p.verdict, p.verdict)}"
        if p.verdict == MATCH:
            line += f": candidate {p.candidate} (position {p.candidate_position}) reproduced {', '.join(p.verified)}"
            if p.station_candidate:
                out.append(line)
                line = f"  station key: candidate {p.station_candidate}"
                if p.ap_candidate:
                    line += f"; AP key: candidate {p.ap_candidate}"
            elif p.ap_candidate:
                out.append(line)
                line = f"  AP key: candidate {p.ap_candidate}; station key: not checkable"
        elif p.verdict == NO_MATCH:
            failed = [f"{c.what}@{c.frame}" for c in p.checks if c.status == NO_MATCH]
            line += f": no candidate reproduced {', '.join(failed)}"
        out.append(line)
        for c in p.checks:
            if c.status not in (MATCH, NO_MATCH) and c.note:
                out.append(f"  {c.what}@{c.frame}: {c.status} - {sanitize(c.note)}")
        for n in p.notes:
            out.append(f"  note: {sanitize(n)}")
    counts: dict[str, int] = {}
    for p in run.proofs:
        counts[p.verdict] = counts.get(p.verdict, 0) + 1
    out.append("")
    if run.proofs:
        out.append("summary: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    else:
        out.append("summary: no 4-way handshake found")
    return "\n".join(out) + "\n"


def render_json(run: ProofRun, capture: str, labels: list[str], ssid: str | None) -> str:
    doc = {
        "capture": capture,
        "ssid": ssid,
        "candidates": labels,
        "frames": run.records,
        "malformed_frames": run.malformed,
        "problems": [{"frame": n, "message": m} for n, m in run.problems],
        "truncated": run.truncated,
        "networks": run.ssids,
        "handshakes": [p.to_dict() for p in run.proofs],
        "exit_code": exit_code(run.proofs),
    }
    return safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


@app.command("verify")
def verify(
    capture: Annotated[Path, typer.Argument(help="pcap or pcapng file with the station's 4-way handshake.")],
    ssid: Annotated[
        str | None,
        typer.Option(
            "--ssid", help="Network name (needed when no beacon/probe response/association names it)."
        ),
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            "--candidates",
            help="File of candidate passphrases ('label: passphrase' or one per line). "
            f"Else ${cand_mod.ENV_VAR}, else a hidden prompt.",
        ),
    ] = None,
    ssid_hex: Annotated[
        str | None,
        typer.Option(
            "--ssid-hex", help="Network name as hex bytes, for SSIDs that are not UTF-8 (e.g. GBK)."
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """Prove which candidate passphrase a station used, from a captured handshake (PSK networks).

    Example: `wlandoctor verify handshake.pcap --candidates candidates.txt --ssid corp` (one `label:
    passphrase` a line; or $WLANDOCTOR_CANDIDATES; never a passphrase on the command line).
    """
    name: str | bytes | None = ssid
    if ssid_hex is not None:
        if ssid is not None:
            raise fail("give --ssid or --ssid-hex, not both", EXIT_USAGE)
        try:
            name = bytes.fromhex(ssid_hex.replace(":", "").replace(" ", ""))
        except ValueError:
            raise fail("--ssid-hex is not hexadecimal", EXIT_USAGE) from None
        if not 1 <= len(name) <= 32:
            raise fail(f"--ssid-hex gives {len(name)} bytes; an SSID has 1..32", EXIT_USAGE)
    cands = _load_candidates(candidates)
    try:
        run = prove_run(capture, name, cands)
    except CaptureError as e:
        raise fail(str(e), EXIT_NO_INPUT) from None
    labels = [c.label for c in cands]
    if fmt == Format.json:
        shown = name.decode("utf-8", errors="backslashreplace") if isinstance(name, bytes) else name
        sys.stdout.write(render_json(run, str(capture), labels, shown))
    else:
        sys.stdout.write(render_text(run, str(capture), labels))
        if name is not None and not run.proofs and run.ssids:
            names = ", ".join(sorted({sanitize(s) for s in run.ssids.values()}))
            shown = name.decode("utf-8", errors="backslashreplace") if isinstance(name, bytes) else name
            sys.stdout.write(f"no handshake on SSID {sanitize(shown)}; the capture names: {names}\n")
    raise typer.Exit(exit_code(run.proofs))
