"""Station lines of the JSON reports written where the stations were judged.

In a run split by station (fleet/), each partition can render its own stations' lines of the compact
report (report/compact.py) in the process that judged them, in parallel, and hand back text instead of
diagnoses: the command's process then only merges the lines in station order and writes them.  The
report is the same, byte for byte, as one written from the diagnoses:

- the JSON document and the JSON Lines report share the station line (the same encoder; a JSON Lines
  station record is the line with its ``type`` in front);
- a cause's catalogue key (``id``, ``id#2`` for a second wording of the same cause) depends on the order in
  which the whole report first cites each wording.  A partition keys the wordings in its own order and
  says, per station, which ones it cited; the merge keys them again in the report's order, and rewrites
  the keys of a line in the rare case the two differ (a cause id with several wordings, first cited in a
  different order).  In JSON text a ``"key": "`` outside a string can only be a cause's key: a quote
  inside a string is always escaped.

Lines are rendered only when nothing the command's process adds after judging could change them: no
passphrase to redact, no events asked for (``fleet.run`` checks); the unread lines naming a station are
handed to its partition and attached there.
"""

from __future__ import annotations

import heapq
import json
import re
import shutil
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from wlandoctor.model import Diagnosis, Outcome, Report
from wlandoctor.model.diagnosis import Unread
from wlandoctor.report.compact import PROSE, Catalogue, compact_station
from wlandoctor.report.data import Cleaner

EXTRA = "rendered"  # the key of Report.extra that holds a ``Rendered``
_LINE = {"ensure_ascii": False, "sort_keys": True, "allow_nan": False, "separators": (", ", ": ")}
_KEY = re.compile(r'"key": ("(?:[^"\\]|\\.)*")')

Wording = tuple[Any, ...]  # Catalogue.wording(): a cause's id, rule, stage and prose


@dataclass(slots=True)
class StationLine:
    station: str
    line: str  # the station's line of the JSON document (safe to print)
    cites: tuple[Wording, ...]  # the wordings its causes cite, in order (empty for most stations)


@dataclass
class RenderedPart:
    """One partition's station lines, in station order: in memory (``lines``), or written to a file
    (``path``; one station a line: its name as JSON, a tab, its line) so that no process holds them all.
    With them the key the partition gave each wording, the verdicts counted, and whether a station failed."""

    keys: dict[Wording, str]
    verdicts: Counter[str]
    flagged: bool  # some station is not online, and failed or has a cause: the command exits 1
    lines: list[StationLine] | None = None
    path: str | None = None
    cites: dict[int, tuple[Wording, ...]] = field(default_factory=dict)  # by position, in a file

    def read(self) -> Iterator[StationLine]:
        if self.lines is not None:
            yield from self.lines
            return
        assert self.path is not None
        with open(self.path, encoding="utf-8", newline="\n") as f:
            for i, raw in enumerate(f):
                # (neither part holds a raw tab or line end: JSON text escapes them in strings)
                name, _, line = raw.rstrip("\n").partition("\t")
                yield StationLine(json.loads(name), line, self.cites.get(i, ()))


@dataclass
class Rendered:
    """Every partition's lines: what the JSON writers write instead of rendering diagnoses.  ``close``
    removes the files of the parts written to files (also done when the object is collected)."""

    parts: list[RenderedPart]
    directory: str | None = None  # where the parts' files are, removed with them
    verdicts: Counter[str] = field(default_factory=Counter)
    flagged: bool = False

    def __post_init__(self) -> None:
        for part in self.parts:
            self.verdicts.update(part.verdicts)
            self.flagged = self.flagged or part.flagged
        self._finalizer = weakref.finalize(self, _remove, self.directory)

    def close(self) -> None:
        self._finalizer()


def _remove(directory: str | None) -> None:
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


def render_part(
    diagnoses: Iterable[Diagnosis],
    inputs: dict[str, int],
    unread: dict[str, Unread] | None = None,
    path: str | None = None,
) -> RenderedPart:
    """The lines of these diagnoses (in station order), as ``json_report.write_json`` writes them;
    ``unread``: the unread lines naming each station, attached first (as ``pipeline`` does for a report);
    ``path``: a file to write them to (else they are kept in memory).  Each diagnosis is let go once its
    line is written when ``diagnoses`` is a list (it is emptied)."""
    from wlandoctor.pipeline import attach_unread
    from wlandoctor.report.json_report import safe

    clean = Cleaner(Report(inputs=[], diagnoses=[]))  # (no passphrase: the caller made sure)
    catalogue = Catalogue(clean)
    encode = json.JSONEncoder(**_LINE).encode  # type: ignore[arg-type]
    part = RenderedPart({}, Counter(), False, None if path else [], path)
    out = open(path, "w", encoding="utf-8", newline="\n") if path else None  # noqa: SIM115 - closed below
    try:
        for i, d in enumerate(_drained(diagnoses)):
            if unread is not None:
                attach_unread(d, unread.get(d.station, []))
            catalogue.cited = []
            text = safe(encode(compact_station(d, clean, catalogue, inputs)))
            cites = tuple(catalogue.cited)
            part.verdicts[str(d.verdict)] += 1
            if d.verdict != Outcome.ONLINE and (d.verdict == Outcome.FAILED or d.causes):
                part.flagged = True
            if out is None:
                assert part.lines is not None
                part.lines.append(StationLine(d.station, text, cites))
            else:
                out.write(json.dumps(d.station) + "\t" + text + "\n")
                if cites:
                    part.cites[i] = cites
    finally:
        if out is not None:
            out.close()
    catalogue.cited = None
    part.keys = catalogue.wordings()
    return part


def _drained(diagnoses: Iterable[Diagnosis]) -> Iterator[Diagnosis]:
    """The diagnoses in order; a list is emptied as it goes, so that each is freed once written."""
    if not isinstance(diagnoses, list):
        yield from diagnoses
        return
    diagnoses.reverse()
    while diagnoses:
        yield diagnoses.pop()


def station_lines(rendered: Rendered, catalogue: Catalogue) -> Iterator[str]:
    """The station lines of every partition merged in station order, each wording keyed by
    ``catalogue`` in the order the report cites it (the lines' keys rewritten where that differs)."""
    from wlandoctor.report.json_report import safe

    fix = catalogue.clean.fix

    def encoded(key: str) -> str:
        return safe(json.dumps(fix(key), ensure_ascii=False))

    tagged = [_tagged(part.read(), k) for k, part in enumerate(rendered.parts)]
    for s, k in heapq.merge(*tagged, key=_station):
        line = s.line
        if s.cites:
            own = rendered.parts[k].keys
            moved: dict[str, str] = {}
            for wording in s.cites:
                key = catalogue.key(dict(zip(("id", "rule", "stage", *PROSE), _thawed(wording), strict=True)))
                if key != own[wording]:
                    moved[encoded(own[wording])] = encoded(key)
            if moved:
                line = _rekeyed(line, moved)
        yield line


def _rekeyed(line: str, moved: dict[str, str]) -> str:
    """``line`` with the cause keys in ``moved`` (encoded as in the line) replaced, all in one pass."""
    return _KEY.sub(lambda m: '"key": ' + moved.get(m.group(1), m.group(1)), line)


def _tagged(lines: Iterator[StationLine], k: int) -> Iterator[tuple[StationLine, int]]:
    for s in lines:
        yield s, k


def _station(item: tuple[StationLine, int]) -> str:
    return item[0].station


def _thawed(wording: Wording) -> Iterator[Any]:
    for value in wording:
        yield list(value) if isinstance(value, tuple) else value
