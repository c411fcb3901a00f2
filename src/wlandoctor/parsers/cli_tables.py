"""Controller client tables: a header line, then one row a client, each row the client's state at the moment
the command ran (Cisco Catalyst 9800 ``show wireless client summary``, AireOS ``show client summary``, Aruba
Instant ``show clients``).  A vendor's reader keeps which tables it knows in its catalogue
(``client_tables``: an id, the header's regular expression, the TextFSM template of a row in
``parsers/templates/``); this module finds a table's header and reads one row with its template.  A table
lasts until a CLI prompt or another table's header; a row is read only while its table lasts, so another
format's line is never taken for one.

A table holds no time: its rows' events have none, and the timeline orders them by line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import textfsm

MAX_ROW = 512  # characters of a row read (Aruba's widest, with IPv6, is about 230)
# a CLI prompt ends a table: "(Cisco Controller) >", "WLC#", "ap01-aruba-515# show clients"
_PROMPT = re.compile(r"^\s*(?:\([\w .-]{1,40}\) ?>|[\w.()-]{1,64}[#>])(?: ?\S.*)?$")
_RULE = re.compile(r"^[\s-]{3,}$")  # the dashes under a header


@dataclass(frozen=True, slots=True)
class TableSpec:
    id: str
    header: re.Pattern[str]
    template: str
    platform: str  # whose advice its clients get (the events' daemon)
    state: str | None  # the template's value that holds the client's state, if the table has one
    # a table without a state column: the events every row stands for, their fixed attributes, the value that
    # holds the row's reason (its text kept), and the catalogue's table that maps that reason to an event
    kinds: tuple[str, ...] = ()
    attrs: tuple[tuple[str, Any], ...] = ()
    reason: str | None = None
    reasons: str | None = None


def specs(raw: Any) -> tuple[TableSpec, ...]:
    """The catalogue's ``client_tables`` entries."""
    return tuple(
        TableSpec(
            str(t["id"]),
            re.compile(str(t["header"])),
            str(t["template"]),
            str(t["platform"]),
            str(t["state"]) if t.get("state") else None,
            tuple(str(k) for k in t.get("kinds") or ()),
            tuple((dict(t.get("attrs") or {})).items()),
            str(t["reason"]) if t.get("reason") else None,
            str(t["reasons"]) if t.get("reasons") else None,
        )
        for t in (raw or ())
    )


@cache
def _template(name: str) -> str:
    return resources.files("wlandoctor.parsers").joinpath("templates", name).read_text(encoding="utf-8")


class Tables:
    """The state of reading one input's client tables: which table is open."""

    def __init__(self, known: tuple[TableSpec, ...]) -> None:
        self.known = known
        self.open: TableSpec | None = None
        self._fsms: dict[str, textfsm.TextFSM] = {}

    def header(self, text: str) -> bool:
        """Whether ``text`` is a known table's header (the table is then open)."""
        for spec in self.known:
            if spec.header.search(text, 0, MAX_ROW):
                self.open = spec
                return True
        return False

    def row(self, text: str) -> dict[str, str] | None:
        """The open table's row in ``text``, by its template's value names; None when ``text`` is no row
        (a prompt closes the table)."""
        spec = self.open
        if spec is None:
            return None
        if _PROMPT.match(text[:MAX_ROW]):
            self.open = None
            return None
        fsm = self._fsms.get(spec.template)
        if fsm is None:
            fsm = self._fsms[spec.template] = textfsm.TextFSM(io.StringIO(_template(spec.template)))
        fsm.Reset()
        rows = fsm.ParseTextToDicts(text[:MAX_ROW] + "\n")
        return {k: str(v) for k, v in rows[0].items()} if rows else None

    def rule(self, text: str) -> bool:
        """The dashes under the open table's header."""
        return self.open is not None and _RULE.match(text[:MAX_ROW]) is not None
