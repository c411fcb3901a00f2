"""From what was not understood to a catalogue entry: the lines of the inputs that look like onboarding
events but that no reader understood (parsers/relevance.py), grouped into templates by a log-template miner
(Drain3), with counts, example lines (file:line) and the stations they name; and a catalogue stub written
from the templates for a user to fill in (docs/formats.md, "From unknown lines to a catalogue").

MAC addresses, IP addresses, times of day and hexadecimal numbers are masked before mining, so that lines
differing only in them fall into one template; other numbers are left to the miner (a message number that
every line of a message holds, as Aruba's ``<501095>``, stays in the template and tells messages apart).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers.prefix import split_prefix
from wlandoctor.parsers.relevance import MAC_PATTERN, stations_named
from wlandoctor.sources import sanitize
from wlandoctor.timeline import TimelineBuilder

TEXT_CHARS = 1000  # of a line given to the miner (a message is shorter; the rest is one more token)
EXAMPLE_CHARS = TEXT_CHARS  # of a line kept as an example (whole: a stub's pattern must match it)
EXAMPLES_KEPT = 3  # per template
STATIONS_KEPT = 5  # named per template (all are counted)
MAX_TEMPLATES = 2000  # templates held; past it the least recently seen are forgotten (counted)

# (name, pattern that finds it in a line, pattern written into a catalogue stub): in this order
MASKS: tuple[tuple[str, str, str], ...] = (
    (
        "MAC",
        MAC_PATTERN,
        r"[0-9A-Fa-fxX]{2}(?:[:-][0-9A-Fa-fxX]{2}){5}|[0-9A-Fa-f]{4}[.-][0-9A-Fa-f]{4}[.-][0-9A-Fa-f]{4}",
    ),
    ("IP", r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])", r"\d{1,3}(?:\.\d{1,3}){3}"),
    ("TIME", r"(?<!\d)\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?!\d)", r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"),
    ("HEX", r"\b0x[0-9A-Fa-f]{1,32}\b", r"0x[0-9A-Fa-f]+"),
)
_STUB_FIELD = {name: stub for name, _find, stub in MASKS} | {"*": r"\S+"}
_PLACEHOLDER = re.compile(r"<(MAC|IP|TIME|HEX|\*)>")


@dataclass(slots=True)
class Example:
    source: str
    line: int
    text: str


@dataclass(slots=True)
class Template:
    """Lines of one message: the miner's template of their message part, with what they have in common."""

    template: str
    count: int = 0
    examples: list[Example] = field(default_factory=list)
    stations: list[str] = field(default_factory=list)  # the first STATIONS_KEPT named
    station_count: int = 0
    formats: list[str] = field(default_factory=list)  # read as (or "unknown": no reader took the input)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "count": self.count,
            "formats": self.formats,
            "stations": self.stations,
            "station_count": self.station_count,
            "examples": [{"source": e.source, "line": e.line, "text": e.text} for e in self.examples],
        }


class Miner:
    """Lines in (``add``), templates out (``templates``); memory bounded by MAX_TEMPLATES."""

    def __init__(self) -> None:
        # (imported here: only this command needs the miner)
        from drain3 import TemplateMiner
        from drain3.masking import MaskingInstruction
        from drain3.template_miner_config import TemplateMinerConfig

        config = TemplateMinerConfig()
        config.masking_instructions = [MaskingInstruction(find, name) for name, find, _stub in MASKS]
        config.drain_max_clusters = MAX_TEMPLATES
        config.profiling_enabled = False
        self._miner = TemplateMiner(config=config)
        self._kept: dict[int, Template] = {}
        self._seen: dict[int, set[str]] = {}  # cluster -> stations named (a set per template, bounded)
        self.lines = 0

    def add(self, source: str, fmt: str, number: int, text: str) -> None:
        """One line not understood, from ``source`` (read as ``fmt``) at line ``number``."""
        text = sanitize(text[:TEXT_CHARS])
        prefix = split_prefix(text)
        body = prefix.body if prefix.known and prefix.body else text
        result = self._miner.add_log_message(body)
        cid = int(result["cluster_id"])
        t = self._kept.get(cid)
        if t is None:
            if len(self._kept) >= MAX_TEMPLATES:
                self._forget()
            t = self._kept[cid] = Template(template="")
            self._seen[cid] = set()
        self.lines += 1
        t.count += 1
        if len(t.examples) < EXAMPLES_KEPT:
            t.examples.append(Example(source, number, text[:EXAMPLE_CHARS]))
        if fmt not in t.formats:
            t.formats.append(fmt)
        seen = self._seen[cid]
        for station in stations_named(text):
            if station not in seen and len(seen) < 10_000:
                seen.add(station)
                t.station_count += 1
                if len(t.stations) < STATIONS_KEPT:
                    t.stations.append(station)

    def _forget(self) -> None:
        """Drop what is kept for templates the miner itself has forgotten (its least recently seen)."""
        alive = {c.cluster_id for c in self._miner.drain.clusters}
        for cid in [c for c in self._kept if c not in alive]:
            del self._kept[cid]
            del self._seen[cid]

    def templates(self) -> list[Template]:
        """The templates, commonest first (ties: first seen first)."""
        out = []
        for cluster in self._miner.drain.clusters:
            t = self._kept.get(cluster.cluster_id)
            if t is not None:
                t.template = cluster.get_template()
                out.append(t)
        out.sort(key=lambda t: -t.count)
        return out


def stub_pattern(template: str) -> tuple[str, str]:
    """A catalogue pattern for a template (its words literal, each placeholder a field: the first MAC
    named ``mac``, the next ``mac2`` ...) and its keyword (its longest literal part)."""
    named: dict[str, int] = {}
    tokens = []
    literals: list[str] = []
    for token in template.split():
        parts = []
        pos = 0
        for m in _PLACEHOLDER.finditer(token):
            if m.start() > pos:
                literals.append(token[pos : m.start()])
                parts.append(re.escape(token[pos : m.start()]))
            name = m.group(1)
            if name == "*":
                parts.append(_STUB_FIELD["*"])
            else:
                n = named[name] = named.get(name, 0) + 1
                field_name = name.lower() + ("" if n == 1 else str(n))
                parts.append(f"(?P<{field_name}>{_STUB_FIELD[name]})")
            pos = m.end()
        if pos < len(token):
            literals.append(token[pos:])
            parts.append(re.escape(token[pos:]))
        tokens.append("".join(parts))
    # (a word is the better prefilter: a literal number or name may be one station's, one site's)
    keyword = max(literals, key=lambda w: (w.isalpha(), len(w)), default="")
    return r"\s+".join(tokens), keyword


def _message_id(template: str, taken: set[str]) -> str:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_]{2,}", _PLACEHOLDER.sub(" ", template))]
    base = "-".join(words[:4]) or "message"
    mid, n = base, 1
    while mid in taken:
        n += 1
        mid = f"{base}-{n}"
    taken.add(mid)
    return mid


def stub(templates: Iterable[Template], inputs: list[str]) -> str:
    """A catalogue file (parsers/catalogues/<platform>.yaml form) with one message per template: its
    pattern, keyword and example lines filled in, its event kind left for the user (null: a message known
    to give no event), and what the lines had in common as comments."""
    taken: set[str] = set()
    messages = []
    for t in templates:
        pattern, keyword = stub_pattern(t.template)
        messages.append(
            {
                "id": _message_id(t.template, taken),
                "keyword": keyword,
                "pattern": pattern,
                "kind": None,
                "examples": [{"line": e.text, "kind": None} for e in t.examples],
            }
        )
    body = yaml.safe_dump(
        {
            "platform": "CHANGE-ME",
            "title": "CHANGE-ME: the platform and the command or log that prints these lines",
            "sources": ["CHANGE-ME: where the example lines come from (URL, and the licence)"],
            "messages": messages,
        },
        sort_keys=False,
        allow_unicode=True,
        width=1000,
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    head = (
        f"# Catalogue stub written by `wlandoctor unknown` on {stamp} from: {', '.join(inputs)}\n"
        "# For each message: set `kind` to the event the line gives (`wlandoctor formats --kinds` lists them; null\n"
        "# for a message known to give none) and the `kind` of its examples to match; rename the fields and\n"
        "# ids; check it with `wlandoctor formats --check FILE`.  docs/formats.md says how to contribute it.\n"
    )
    return head + body


class _Discard(TimelineBuilder):
    """A builder that keeps no event: ``unknown`` needs only what the readers did not understand."""

    def add(self, event: Event) -> None:
        return None


def mine(paths: list[str], force_format: str | None = None) -> tuple[list[InputSummary], Miner]:
    """Read the inputs as ``diagnose`` does and mine the lines that look relevant but were not understood."""
    from wlandoctor.pipeline import Options, ingest

    miner = Miner()
    opts = Options(force_format=force_format, unread_tap=miner.add)
    summaries = ingest(paths, _Discard(), opts)
    return summaries, miner
