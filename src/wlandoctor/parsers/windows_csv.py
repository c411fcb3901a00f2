"""Windows clients: the WLAN AutoConfig event log as CSV, as PowerShell exports it:
``Get-WinEvent -LogName Microsoft-Windows-WLAN-AutoConfig/Operational | Export-Csv wlan.csv`` (every
property of the event records: ``"Message","Id","Version",...,"TimeCreated",...``, after a ``#TYPE
System.Diagnostics.Eventing.Reader.EventLogRecord`` line in Windows PowerShell 5.1), a ``Select-Object``
of some of them, or ``-UseCulture`` / ``-Delimiter`` with another separator (``;`` in most of Europe).

The rows are read by Python's csv module from lines the reader bounds (a message's lines are quoted inside
one field); the columns are found by their names in the header.  Each row's message is read as the text
reader reads a message (parsers/windows_text.py): the ``windows`` catalogue by event id, the fields by their
English labels, a failure's reason by its text; ``TimeCreated`` is the local date and time the exporting
culture writes, read as the text reader reads it.  A row's "line" is the line where it starts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import windows_text
from wlandoctor.parsers.catalogue import load, tally
from wlandoctor.sources import Input, decode_text, iter_raw_lines

MAX_LINE = 65536  # bytes of a line read (a message line is under 1,000); the rest said
MAX_MESSAGE = (
    65536  # characters of a message read as one (a message is under 4,000): beyond, said and skipped
)
# (a field longer than the csv module's limit, 128 KiB, an unclosed quote's, is an error of its row: said,
# and the reading goes on at the next line)
MAX_HEADER_LINES = 16  # lines looked at for the header (after "#TYPE", blank lines)
PROVIDER = windows_text.PROVIDER
_SNIFF = re.compile(
    rb"(?im)^(?:#TYPE System\.Diagnostics\.Eventing\.Reader\.EventLogRecord\s*$"
    rb'|(?=[^\n]{0,2048}"Id"[,;\t|])(?=[^\n]{0,2048}"Message")(?=[^\n]{0,2048}"(?:TimeCreated|ProviderName)")'
    rb'"[A-Za-z]{2,24}"[,;\t|])'
)


_HEAD_DELIMITER = re.compile(rb'(?m)^"[A-Za-z]{2,24}"([,;\t|])(?=[^\n]{0,2048}"Message")')


class WindowsCsvParser:
    name = "windows-csv"
    catalogue = "windows"
    description = (
        "Windows WLAN AutoConfig events as CSV (Get-WinEvent | Export-Csv, Select-Object, -UseCulture)"
    )
    embeds = ("windows-text", "windows")  # (a message's lines inside a row look like the text forms)
    example = (
        '"Message","Id","Version","Qualifiers","Level",...,"TimeCreated",... (Get-WinEvent ... | Export-Csv)'
    )

    def sniff(self, head: bytes) -> int:
        return 96 if _SNIFF.search(head, 0, 65536) else 0

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        run = windows_text._Run(inp, summary, load("windows"))
        lines = _Lines(inp, summary)
        reader = csv.reader(lines, delimiter=_delimiter(inp.head), strict=False)
        columns: dict[str, int] | None = None
        bad = _BadRows(summary)
        while True:
            start = lines.number + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                bad.flush()
                summary.problem(start, f"a row that is not CSV ({exc}), skipped")
                summary.skipped += 1
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if columns is None:
                columns = _header(row)
                if columns is None and lines.number >= MAX_HEADER_LINES:
                    summary.problem(start, "no header with the columns Id and Message: not an event export")
                    return
                continue
            if not _readable(row, columns):
                bad.add(start, lines.number)
                continue
            bad.flush()
            yield from _row(run, row, columns, start, summary)
        bad.flush()
        if columns is None:
            summary.problem(0, "no header with the columns Id and Message: not an event export")
        yield from run.finish()


class _BadRows:
    """Rows without an event id one after the other (what follows a broken quote): one problem for all."""

    def __init__(self, summary: InputSummary) -> None:
        self.summary = summary
        self.first = self.last = self.count = 0

    def add(self, first: int, last: int) -> None:
        self.first = self.first or first
        self.last = last
        self.count += 1
        self.summary.skipped += 1

    def flush(self) -> None:
        if self.count:
            where = f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"
            rows = "a row" if self.count == 1 else f"{self.count} rows"
            self.summary.problem(
                self.first,
                f"{rows} ({where}) without an event id, or with a message too long to be one: skipped",
            )
        self.first = self.last = self.count = 0


class _Lines:
    """The input's lines as text for the csv module, bounded: a line's first MAX_LINE bytes (the rest said).
    ``number`` is the line last handed out."""

    def __init__(self, inp: Input, summary: InputSummary) -> None:
        self.raw = iter_raw_lines(inp.open(), MAX_LINE, inp.first_line)
        self.summary = summary
        self.number = inp.first_line - 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        for number, raw, fragment in self.raw:
            if fragment:
                if fragment == 1:
                    self.summary.problem(
                        number, f"a line longer than {MAX_LINE} bytes: the rest of it skipped"
                    )
                continue
            self.number = number
            text = decode_text(raw)
            if text is None:
                self.summary.problem(number, "binary data, line skipped")
                return "\n"
            return text + "\n"
        raise StopIteration


def _delimiter(head: bytes) -> str:
    """The separator of the export: what follows the header's first quoted name (``,`` unless told)."""
    found = _HEAD_DELIMITER.search(head, 0, 65536)
    return found.group(1).decode() if found else ","


def _header(row: list[str]) -> dict[str, int] | None:
    """The columns of the export by name (lower case), from its header row; None when it is not one."""
    if len(row) == 1 and row[0].startswith("#TYPE"):
        return None  # (Windows PowerShell's type line: the header follows)
    names = {name.strip().lower(): i for i, name in enumerate(row[:256])}
    if "id" in names and "message" in names:
        return names
    return None


def _readable(row: list[str], columns: dict[str, int]) -> bool:
    """Whether a row holds an event id and a message of an event's size."""
    i, m = columns["id"], columns["message"]
    if i >= len(row) or m >= len(row):
        return False
    event_id = row[i].strip()
    return event_id.isdigit() and len(event_id) <= 6 and len(row[m]) <= MAX_MESSAGE


def _row(
    run: windows_text._Run, row: list[str], columns: dict[str, int], line: int, summary: InputSummary
) -> Iterator[Event]:
    def cell(name: str) -> str:
        i = columns.get(name)
        return row[i] if i is not None and i < len(row) else ""

    event_id = cell("id").strip()
    message = cell("message")
    run.number = line
    run.text = message[:600]
    system = {"EventID": event_id, "provider": cell("providername").strip() or PROVIDER}
    stamp = cell("timecreated").strip()
    if stamp:
        system["time"] = run.stamp(stamp)
        if not system["time"]:
            summary.problem(line, "a time that cannot be read, event kept without it")
    if cell("machinename"):
        system["Computer"] = cell("machinename").strip()[:128]
    run.open(system)
    for text in message.splitlines()[:256]:
        run.message_line(text)
    problems = len(summary.problems)
    run.close()
    # (a problem said by close(): an event of the WLAN AutoConfig the catalogue does not hold)
    tally(summary, len(summary.problems) == problems, line, " ".join(message.split())[:600], True)
    if run.out:
        yield from run.out
        run.out.clear()


PARSER = WindowsCsvParser()
