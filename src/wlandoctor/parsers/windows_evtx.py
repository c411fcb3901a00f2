"""Windows clients: the WLAN AutoConfig log as the binary file Windows keeps
(``Microsoft-Windows-WLAN-AutoConfig%4Operational.evtx``, or ``wevtutil epl ... wlan.evtx``).

The file is decoded by the ``evtx`` package (the Rust evtx library's bindings: ``pip install
'wlandoctor[windows]'``), which renders each record as the same event XML ``wevtutil qe /f:xml`` prints; each
record is then read by the XML reader (parsers/windows.py), so both forms give the same events.  A record's
"line" is its record number (EventRecordID).  A damaged record or chunk is a problem naming the record after
which it comes, and the rest of the file is read; a file of another log (System, Security) is said, with
the providers it holds, never passed over in silence.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from typing import Any

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import windows
from wlandoctor.parsers.catalogue import load, tally
from wlandoctor.sources import Input, sanitize

MAGIC = b"ElfFile\x00"
HEADER_BYTES = 4096  # the file header block
CHUNK_BYTES = 65536  # each chunk of records
MAX_SPOOLED = 256 * 1024 * 1024  # bytes of a stream (gzip, stdin) copied to a file to be read; beyond, said
MAX_ERRORS_IN_A_ROW = 1000  # damaged records or chunks one after the other before the file is given up
MAX_PROVIDERS = 64  # distinct providers counted for the note on a file of another log
PROVIDER = "Microsoft-Windows-WLAN-AutoConfig"
_PROVIDER = re.compile(r"<Provider Name=\"([^\"]{1,128})\"")
_CHANNEL = re.compile(r"<Channel>([^<]{1,128})</Channel>")
# (what the library raises is said as a problem of the file, even a Rust panic, which pyo3 raises as a
# BaseException; what stops the program is passed on)
_PASSED_ON = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)
_MISSING = (
    "reading a .evtx file needs the evtx package: pip install 'wlandoctor[windows]' "
    "(or export the log as XML: wevtutil qe Microsoft-Windows-WLAN-AutoConfig/Operational /f:xml > wlan.xml)"
)


class WindowsEvtxParser:
    name = "windows-evtx"
    catalogue = "windows"
    description = "Windows WLAN AutoConfig event log as a .evtx file (Event Viewer's or wevtutil epl's)"
    example = "Microsoft-Windows-WLAN-AutoConfig%4Operational.evtx (binary, starts with ElfFile)"
    binary = True  # (sniffed on its raw head)

    def sniff(self, head: bytes) -> int:
        return 100 if head.startswith(MAGIC) else 0

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        try:
            from evtx import PyEvtxParser
        except ImportError:
            summary.problem(0, _MISSING)
            return
        with tempfile.TemporaryDirectory(prefix="wlandoctor-evtx-") as tmp:
            source = str(inp.path) if inp.path is not None else _spooled(inp, summary, tmp)
            if source is None:
                return
            _check_size(inp.head, os.path.getsize(source), summary)
            try:
                # (one thread: records come in order, and a run's CPU stays the command's own)
                records = PyEvtxParser(source, number_of_threads=1).records()
            except _PASSED_ON:
                raise
            except BaseException as exc:  # (a Rust panic is a BaseException: said, not raised)
                summary.problem(0, f"not a readable .evtx file: {_short(exc)}")
                return
            yield from _read(records, inp, summary)


def _read(records: Iterator[Any], inp: Input, summary: InputSummary) -> Iterator[Event]:
    run = windows._Run(inp, summary, load("windows"))
    providers: Counter[str] = Counter()
    channel = ""
    last = 0  # the record number of the last record read
    errors = 0  # damaged records or chunks in a row
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except _PASSED_ON:
            raise
        except BaseException as exc:  # (the same)
            errors += 1
            summary.skipped += 1
            summary.problem(last, f"the chunk or record after this one is damaged, skipped: {_short(exc)}")
            if errors >= MAX_ERRORS_IN_A_ROW:
                summary.problem(last, f"{errors} damaged records in a row: the rest of the file is not read")
                break
            continue
        errors = 0
        if not isinstance(record, dict):
            continue  # (the library yields dicts; its stubs allow None)
        number = record.get("event_record_id")
        last = number if isinstance(number, int) and number > 0 else last + 1
        xml = str(record.get("data") or "")
        provider = _PROVIDER.search(xml, 0, 4096)
        name = provider.group(1) if provider else "(none)"
        if name in providers or len(providers) < MAX_PROVIDERS:
            providers[name] += 1
        if not channel:
            found = _CHANNEL.search(xml, 0, 8192)
            channel = found.group(1) if found else ""
        run.number = last
        run.text = xml
        understood = run.event(xml.removeprefix('<?xml version="1.0" encoding="utf-8"?>').strip(), last)
        tally(summary, understood, last, " ".join(xml.split())[:600], name == PROVIDER)
        if run.out:
            yield from run.out
            run.out.clear()
    yield from run.finish()
    if not providers.get(PROVIDER) and providers:
        seen = ", ".join(f"{p} ×{n}" for p, n in providers.most_common(5))
        summary.notes.append(
            sanitize(
                f"{sum(providers.values())} event records, none from {PROVIDER}"
                + (f" (this is the {channel} log)" if channel else "")
                + f"; providers: {seen}. The client's log is "
                "Microsoft-Windows-WLAN-AutoConfig%4Operational.evtx "
                "(wevtutil epl Microsoft-Windows-WLAN-AutoConfig/Operational wlan.evtx)"
            )
        )


def _spooled(inp: Input, summary: InputSummary, tmp: str) -> str | None:
    """A stream (gzip, stdin, a pipe) copied to a file, which the evtx library needs (it seeks); at most
    MAX_SPOOLED bytes, the rest said.  None when it cannot be copied (said)."""
    target = f"{tmp}/input.evtx"
    try:
        with inp.open() as stream, open(target, "wb") as out:
            copied = 0
            while copied < MAX_SPOOLED:
                block = stream.read(min(1024 * 1024, MAX_SPOOLED - copied))
                if not block:
                    break
                out.write(block)
                copied += len(block)
            else:
                if stream.read(1):
                    summary.problem(
                        0, f"over {MAX_SPOOLED // (1024 * 1024)} MiB: only the first part is read"
                    )
    except OSError as exc:
        summary.problem(0, f"could not copy the stream to a temporary file to read it: {_short(exc)}")
        return None
    return target


def _check_size(head: bytes, size: int, summary: InputSummary) -> None:
    """Say when the file holds fewer chunks than its header counts (a copy cut short): the library reads
    what is there without a word."""
    if len(head) < HEADER_BYTES:
        summary.problem(0, f"the file is cut short inside its header ({size} bytes)")
        return
    chunks = int.from_bytes(head[42:44], "little")
    whole = HEADER_BYTES + chunks * CHUNK_BYTES
    if size > HEADER_BYTES and (size - HEADER_BYTES) % CHUNK_BYTES:
        summary.problem(
            0, f"the file ends inside a chunk ({size} bytes): the events of that chunk may be lost"
        )
    elif size < whole:
        present = max(0, size - HEADER_BYTES) / CHUNK_BYTES
        summary.problem(
            0,
            f"the file is cut short: {size} of {whole} bytes, {present:.1f} of the {chunks} chunks its "
            "header counts (the events of the missing part are not in this copy)",
        )


def _short(exc: BaseException) -> str:
    """The library's message, on one line and short (it can quote the bytes it found)."""
    return " ".join(str(exc).split())[:200]


PARSER = WindowsEvtxParser()
