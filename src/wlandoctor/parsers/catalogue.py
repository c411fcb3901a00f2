"""A platform's wording as data: a message catalogue (``parsers/catalogues/<platform>.yaml``).

A catalogue lists a platform's messages, each with a keyword (a plain substring every line of that message
holds: the cheap test), a pattern with named fields (tried only on lines that hold the keyword), the event
kind it gives (or ``null`` for a message known to carry no event, which still counts as understood, or a
``handler`` that the parser's code runs for what a table cannot say), fixed attributes, and real example
lines with the event each must give: ``tests/test_catalogues.py`` runs every example of every catalogue,
the ntc-templates way.  A catalogue may also hold a table of reason codes.  A new firmware's wording is a
new entry, not new code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol

import yaml

from wlandoctor.model import Event, InputSummary, SourceRef, Stage
from wlandoctor.model.kinds import KINDS
from wlandoctor.parsers.prefix import Prefix, YearGuess, epoch_of, reference_time
from wlandoctor.parsers.relevance import unread
from wlandoctor.sources import Input, decode_text, iter_raw_lines, sanitize
from wlandoctor.util.times import in_range


class CatalogueError(ValueError):
    """A catalogue file that does not hold what the loader needs (a packaging or editing mistake)."""


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    keyword: str
    pattern: re.Pattern[str]
    kind: str | None  # None: known, gives no event
    handler: str | None  # the parser's code decides (state machines, reason codes)
    attrs: dict[str, Any]
    examples: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Reason:
    code: int
    name: str
    kind: str | None  # the event a disconnect with this code gives; None: a plain disconnect (sta.deauth)
    meaning: str
    key_hint: bool  # the vendor documents this code as what its station reports for a wrong passphrase


@dataclass(frozen=True, slots=True)
class Catalogue:
    platform: str
    title: str
    messages: tuple[Message, ...]
    reasons: dict[int, Reason] = field(default_factory=dict)
    reason_names: dict[str, int] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # the file's other tables, for its reader's code (a platform's delete reasons, its state names)
    tables: dict[str, Any] = field(default_factory=dict)

    def match(self, body: str) -> tuple[Message, re.Match[str]] | None:
        """The first message whose keyword the line holds and whose pattern matches it."""
        for msg in self.messages:
            if msg.keyword in body:
                m = msg.pattern.search(body)
                if m is not None:
                    return msg, m
        return None

    def read(self, body: str) -> tuple[Message, dict[str, str]] | None:
        """The message a line holds and the named fields its pattern took (None: no message matches)."""
        found = self.match(body)
        if found is None:
            return None
        msg, m = found
        return msg, {k: v for k, v in m.groupdict().items() if v is not None}

    def reason(self, code: int | None = None, name: str | None = None) -> Reason | None:
        if code is None and name is not None:
            code = self.reason_names.get(name.upper())
        return self.reasons.get(code) if code is not None else None


def _message(raw: dict[str, Any], where: str) -> Message:
    try:
        mid, keyword, pattern = str(raw["id"]), str(raw["keyword"]), str(raw["pattern"])
    except KeyError as exc:
        raise CatalogueError(f"{where}: a message without {exc}") from None
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise CatalogueError(f"{where}: message {mid}: unknown event kind {kind!r}")
    if keyword not in pattern.replace("\\", ""):
        # (the keyword is a prefilter: a line without it is never tried, so the pattern must need it)
        raise CatalogueError(f"{where}: message {mid}: its keyword {keyword!r} is not in its pattern")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise CatalogueError(f"{where}: message {mid}: bad pattern: {exc}") from None
    return Message(
        id=mid,
        keyword=keyword,
        pattern=compiled,
        kind=kind,
        handler=raw.get("handler"),
        attrs=dict(raw.get("attrs") or {}),
        examples=tuple(raw.get("examples") or ()),
    )


@cache
def load(platform: str) -> Catalogue:
    """The catalogue of a platform (its file name without .yaml)."""
    where = f"catalogues/{platform}.yaml"
    text = resources.files("wlandoctor.parsers").joinpath(where).read_text(encoding="utf-8")
    return parse(text, where, platform)


def parse(text: str, where: str, platform: str = "") -> Catalogue:
    """A catalogue from the text of its file (``where`` names it in errors)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{where}: not YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("messages"), list):
        raise CatalogueError(f"{where}: no messages")
    reasons: dict[int, Reason] = {}
    for code, spec in (raw.get("reasons") or {}).items():
        kind = spec.get("kind")
        if kind is not None and kind not in KINDS:
            raise CatalogueError(f"{where}: reason {code}: unknown event kind {kind!r}")
        reasons[int(code)] = Reason(
            int(code), str(spec["name"]), kind, str(spec.get("meaning", "")), bool(spec.get("key_hint"))
        )
    for m in raw["messages"]:
        if not isinstance(m, dict):
            raise CatalogueError(f"{where}: a message that is not a mapping: {str(m)[:60]!r}")
    return Catalogue(
        platform=str(raw.get("platform", platform)),
        title=str(raw.get("title", platform)),
        messages=tuple(_message(m, where) for m in raw["messages"]),
        reasons=reasons,
        reason_names={r.name: r.code for r in reasons.values()},
        sources=tuple(raw.get("sources") or ()),
        tables={k: v for k, v in raw.items() if k not in _KEYS},
    )


_KEYS = frozenset(("platform", "title", "sources", "messages", "reasons"))


def check(cat: Catalogue, message_of: Callable[[str], str] = str) -> list[str]:
    """What is wrong with a catalogue's examples: each (its message part, ``message_of``) must be matched
    by its own message first (a message earlier in the file that matches it too would take its lines), and
    name a known event kind."""
    out = []
    for msg in cat.messages:
        if not msg.examples:
            out.append(f"message {msg.id}: no example line")
        for i, ex in enumerate(msg.examples, 1):
            line = str(ex.get("line", "")) if isinstance(ex, dict) else ""
            found = cat.match(message_of(line))
            if found is None:
                out.append(f"message {msg.id}, example {i}: its pattern does not match the line")
            elif found[0].id != msg.id:
                out.append(f"message {msg.id}, example {i}: matched first by message {found[0].id}")
            kinds = ex.get("kinds", [ex.get("kind")]) if isinstance(ex, dict) else []
            for k in kinds if isinstance(kinds, list) else [kinds]:
                if k is not None and k not in KINDS:
                    out.append(f"message {msg.id}, example {i}: unknown event kind {k!r}")
    return out


class LineReader(Protocol):
    """One pass of a catalogue-driven reader of one-line messages (parsers/mikrotik.py, parsers/meraki.py):
    ``line`` reads one line into ``out``; ``about_clients`` says whether a line it did not understand is
    still about clients (then it is reported as not understood, whatever its words)."""

    number: int
    text: str
    out: list[Event]

    def line(self, text: str) -> bool: ...

    def about_clients(self, text: str) -> bool: ...


class LineRun:
    """The state every catalogue reader keeps through one input (subclassed by each): the input's name,
    its summary and catalogue, the line being read, and the events it gave; ``years`` dates year-less
    stamps by the file's time.  ``add`` builds an event of the current line."""

    MAX_TEXT = 600  # evidence text kept per event

    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        self.source = inp.name
        self.summary = summary
        self.cat = cat
        self.years = YearGuess(reference_time(inp.path), inp.year_hint)
        self.number = 0
        self.text = ""
        self.out: list[Event] = []
        self.seq = 0

    def add(
        self,
        kind: str,
        station: str,
        time: float | None,
        attrs: dict[str, Any],
        ap: str | None = None,
        bssid: str | None = None,
        stage: Stage | None = None,
    ) -> None:
        self.seq += 1
        self.out.append(
            Event(
                kind=kind,
                station=station,
                stage=stage if stage is not None else KINDS[kind].stage,
                ref=SourceRef(self.source, self.number, sanitize(self.text[: self.MAX_TEXT])),
                time=time,
                seq=self.number * 1000 + self.seq % 1000,
                ap=ap,
                bssid=bssid,
                attrs=attrs,
            )
        )

    def dated(
        self, month: int, day: int, hh: int, mi: int, ss: int, frac: float = 0.0, year: int | None = None
    ) -> float | None:
        """The time of a stamp: with its year, or without one dated by the file (``years``); a date out of
        range is a problem of the line, which keeps no time."""
        if year is None:
            return self.years.epoch((month, day, hh, mi, ss, frac))
        t = epoch_of(year, month, day, hh, mi, ss)
        if t is None:
            self.bad_stamp()
            return None
        return t + frac

    def header_time(self, p: Prefix) -> float | None:
        """The time of a syslog server's header (parsers/prefix.py), dated by the file when it has no year
        or no date; out of range or impossible, a problem of the line, which keeps no time."""
        if p.yearless is not None:
            t = self.years.epoch(p.yearless)
        elif p.timeofday is not None:
            t = self.years.time_of_day(p.timeofday)
        else:
            t = p.time
        if (t is not None and not in_range(t)) or p.bad_stamp:
            self.bad_stamp()
            return None
        return t

    def bad_stamp(self) -> None:
        self.summary.problem(self.number, "time stamp out of range, line kept without its time")

    def finish(self) -> list[Event]:
        """At the end of the input: the notes on guessed years, and events still held (none here)."""
        self.note_guesses()
        return []

    def note_guesses(self) -> None:
        """Say in the summary when the year or the date of the stamps had to be guessed."""
        if "year" in self.years.guessed:
            self.summary.notes.append(
                f"time stamps carry no year: taken as {self.years.first_year()} ({self.years.by})"
            )
        if "date" in self.years.guessed:
            self.summary.notes.append(
                f"time stamps carry no date: placed on {self.years.day_by}, in the order logged"
            )


class CatalogueParser:
    """A reader of one-line messages whose wording is one catalogue (parsers/aruba.py, cisco9800.py,
    meraki.py, mikrotik.py, unifi.py): each module sets its name, description and example, the catalogue,
    the characters of a line it looks at, and ``run``, the per-input state that reads a line.  ``sniff``
    counts the lines of the head that ``sniffs`` finds: ``scores`` for one and for two or more."""

    name: str
    description: str
    example: str
    catalogue: str
    max_read: int
    sniffs: re.Pattern[bytes]
    scores: tuple[int, int] = (60, 85)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        raise NotImplementedError

    def sniff(self, head: bytes) -> int:
        n = len(self.sniffs.findall(head, 0, 65536))
        return 0 if n == 0 else (self.scores[1] if n >= 2 else self.scores[0])

    def parse(self, inp: Input, summary: InputSummary) -> Iterator[Event]:
        run = self.run(inp, summary, load(self.catalogue))
        yield from read_lines(inp, summary, run, self.max_read)  # type: ignore[arg-type]
        yield from run.finish()


def judge(run: LineReader, summary: InputSummary, number: int, text: str) -> None:
    """One line (or message) through ``run``: counted as understood, or as skipped (and kept as not
    understood when it looks relevant or is about clients)."""
    tally(summary, run.line(text), number, text, True if run.about_clients(text) else None)


def tally(summary: InputSummary, understood: bool, number: int, text: str, relevant: bool | None) -> None:
    """A record read: counted as understood, or as skipped and kept as not understood when ``relevant``
    (None: when it looks relevant, parsers/relevance.py)."""
    if understood:
        summary.records += 1
        summary.coverage.understood += 1
    else:
        summary.skipped += 1
        unread(summary.coverage, number, text, relevant)


def read_lines(inp: Input, summary: InputSummary, run: LineReader, max_read: int) -> Iterator[Event]:
    """Every line of ``inp`` through ``run``, counted in ``summary``: understood, or skipped (and reported
    when it looks relevant or is about clients); binary lines said; the rest of an over-long line skipped
    (its first ``max_read`` bytes are read)."""
    for number, text in text_lines(inp, summary, max_read):
        run.number = number
        text = text.strip()
        run.text = text
        judge(run, summary, number, text)
        if run.out:
            yield from run.out
            run.out.clear()


def text_lines(inp: Input, summary: InputSummary, max_read: int) -> Iterator[tuple[int, str]]:
    """The input's lines that hold anything, as (number, text without its trailing blanks): each line's
    first ``max_read`` bytes decoded (the rest of a longer one skipped), a binary line said and counted."""
    with inp.open() as stream:
        for number, raw, fragment in iter_raw_lines(stream, first_line=inp.first_line):
            if fragment:
                continue  # (the rest of an over-long line: its start was read)
            text = decode_text(raw[:max_read])
            if text is None:
                summary.problem(number, "binary data, line skipped")
                summary.skipped += 1
                continue
            text = text.rstrip()
            if text.strip():
                yield number, text
