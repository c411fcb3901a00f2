"""Windows clients: ``netsh wlan show wlanreport``'s report, as its HTML page (``wlan-report-latest.html``)
or its XML (``wlan-report-latest.xml``), both in ``C:\\ProgramData\\Microsoft\\Windows\\WlanReport``.

The report lists the WLAN AutoConfig events of the last three days (and NCSI, WCM, EapHost, NDIS events
beside them), each with its id, its time and its message text:

- HTML: ``<tr class="wlan connect"><td>8000<a id="2"></a></td><td>2024-01-24T21:32:59</td><td><div
  class="message">...<span class="message-body">WLAN AutoConfig service started ...<br><br>Network
  Adapter: ...<br>...</span></div></td></tr>``, over one line or many;
- XML: ``<WlanEvent type="wlan " error="0"><UID>3</UID><EventID>11000</EventID><EventLevel>4</EventLevel>
  <EventTime>2024-01-24T21:32:59</EventTime><EventMessage>Wireless network association started. ...
  </EventMessage></WlanEvent>`` (the ``<Session>`` summaries before them repeat events, and are skipped).

Tags are read by the standard library's HTML tokenizer fed one line at a time, so a row's line breaks do
not matter.  Each event's message is then read as the text reader reads a message
(parsers/windows_text.py: the ``windows`` catalogue by event id, the fields by their English labels, a
failure's reason by its text), so the kind never depends on the language.  The report's times are the
computer's local time without a zone, read as UTC as every time without a zone is (a note says so).
Events of other providers (NCSI 4042, WCM, EapHost, the kernel) are understood and give nothing, except
the report's categories the catalogue's ``report_categories`` names (NCSI's "internet": the client online,
on the adapter its message names); an id of the WLAN AutoConfig ranges (8000-8999, 11000-12999) that the
catalogue does not hold is said as not read.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any, cast

from wlandoctor.model import Event, InputSummary
from wlandoctor.parsers import windows_text
from wlandoctor.parsers.catalogue import Catalogue, CatalogueParser, LineRun
from wlandoctor.sources import Input

MAX_MESSAGE = 16_384  # characters of one event's message kept (a message is under 1,000)
MAX_PENDING = 256 * 1024  # characters the tokenizer may hold for an unfinished tag or comment; beyond,
MAX_PENDING_LINES = 64  # or over more lines than these, it is said and the tokenizer starts afresh
PROVIDER = windows_text.PROVIDER
_WLAN_IDS = (range(8000, 9000), range(11000, 13000))
_ID_CELL = re.compile(r"\s{0,64}(\d{1,6})\s{0,64}$")
_TIME = re.compile(r"\s{0,64}(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?)(Z|[+-]\d\d:?\d\d)?\s{0,64}$")
_RAW_START = re.compile(r"<(script|style)\b[^>]{0,4096}>")
_GUID = re.compile(r"\{[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}")
_ROW_ID = re.compile(r"<td>\s{0,64}(\d{1,6})\s{0,64}<a id=")
_SNIFF = re.compile(
    rb"(?i)<title>\s{0,8}wlan report\s{0,8}</title>|<WlanReport>|<WlanEvent type=\""
    rb"|<td>(?:8\d{3}|1[12]\d{3})<a id=\"\d{1,9}\"></a></td>"
)


class _Tags(HTMLParser):
    """The report's tags and text, told to the run as events start, gather their parts and end."""

    def __init__(self, run: _Run) -> None:
        super().__init__(convert_charrefs=True)
        self.run = run
        self.where = ""  # the element whose text is wanted: id, time, message, or "" (none)
        self.cells = 0  # <td>s of the current HTML row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        run = self.run
        if tag == "tr" or tag == "wlanevent":
            named = dict(attrs)
            run.begin(" ".join((named.get("class") or named.get("type") or "").split()))
            self.cells = 0
        elif tag == "session":
            run.end()
            self.where = ""
        elif run.current is None:
            return
        elif tag == "td":
            self.cells += 1
            self.where = {1: "id", 2: "time"}.get(self.cells, "")
        elif tag == "eventid":
            self.where = "id"
        elif tag == "eventtime":
            self.where = "time"
        elif tag == "eventmessage" or (tag == "span" and ("class", "message-body") in attrs):
            self.where = "message"
        elif tag == "br" and self.where == "message":
            run.text_of("message", "\n")
        elif tag == "a" and self.where == "id":
            self.where = ""  # (the row's anchor follows its id)

    def set_cdata_mode(self, elem: str, *args: Any, **kwargs: Any) -> None:
        """Never: the run leaves scripts and styles out itself, so an unclosed one cannot hold the rest."""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tr", "wlanevent"):
            self.run.end()
            self.where = ""
        elif tag in ("td", "eventid", "eventtime", "eventmessage", "span"):
            self.where = ""

    def handle_data(self, data: str) -> None:
        if self.where and self.run.current is not None:
            self.run.text_of(self.where, data)


class _Run(windows_text._Run):
    def __init__(self, inp: Input, summary: InputSummary, cat: Catalogue) -> None:
        super().__init__(inp, summary, cat)
        self.tags = _Tags(self)
        self.current: dict[str, list[str]] | None = None  # the parts of the event being read
        self.event_line = 0
        self.zone_said = False
        self.skipping = ""  # inside <script> or <style>: the element's name
        self.pending_since = 0  # the line where the tokenizer's unfinished tag or comment began
        self.category = ""  # the event's row class (HTML) or type (XML): "wlan connect", "ncsi internet"
        self.categories: dict[str, dict[str, object]] = dict(cat.tables.get("report_categories") or {})

    def line(self, text: str) -> bool:
        # (the report's other content, its styles, scripts, charts and tables, is understood: it is the
        # report; a line is not understood only when it cannot be read)
        return self.feed(self.markup(text))

    def markup(self, text: str) -> str:
        """The line without the parts inside <script> and <style> (the page's own code, never events)."""
        out = []
        while text:
            low = text.lower()
            if self.skipping:
                end = low.find(f"</{self.skipping}")
                if end < 0:
                    break
                text, self.skipping = text[end:], ""
                continue
            start = _RAW_START.search(low)
            if start is None:
                out.append(text)
                break
            out.append(text[: start.start()])
            self.skipping = start.group(1)
            text = text[start.end() :]
        return "".join(out)

    def feed(self, text: str) -> bool:
        if self.pending_since and (
            self.number - self.pending_since > MAX_PENDING_LINES or len(self.tags.rawdata) > MAX_PENDING
        ):
            self.summary.problem(
                self.pending_since,
                f"a tag or comment that does not end within {MAX_PENDING_LINES} lines: skipped from here",
            )
            self.tags, self.current, self.pending_since = _Tags(self), None, 0
        try:
            self.tags.feed(text + "\n")
        except (AssertionError, ValueError):  # (the tokenizer's own errors on broken markup)
            self.tags, self.current, self.pending_since = _Tags(self), None, 0
            self.summary.problem(self.number, "markup the HTML tokenizer cannot read: skipped")
            return False
        # (what the tokenizer still holds is an unfinished tag or comment: since which line)
        self.pending_since = (self.pending_since or self.number) if self.tags.rawdata else 0
        return True

    def about_clients(self, text: str) -> bool:
        return False

    def finish(self) -> list[Event]:
        """At the end of the input: the event left open (a report cut short) is read as far as it goes."""
        if self.current is not None:
            self.summary.problem(self.event_line, "the input ends inside an event: read as far as it goes")
        self.end()
        return super().finish()

    def begin(self, category: str) -> None:
        self.end()
        self.current, self.event_line = {"id": [], "time": [], "message": []}, self.number
        self.category = category

    def text_of(self, part: str, data: str) -> None:
        assert self.current is not None
        parts = self.current[part]
        if sum(map(len, parts)) < MAX_MESSAGE:
            parts.append(data)

    def end(self) -> None:
        """The event read so far, made into its event (a row without an id cell is not an event)."""
        event, self.current = self.current, None
        if event is None:
            return
        found = _ID_CELL.match("".join(event["id"]))
        if found is None:
            return
        event_id = int(found.group(1))
        stamp = _TIME.match("".join(event["time"]))
        time = ""
        if stamp is not None:
            time = stamp.group(1) + (stamp.group(2) or "")
            if stamp.group(2) is None and not self.zone_said:
                self.zone_said = True
                self.summary.notes.append(
                    "the report's times are the computer's local time, without a zone: read as UTC"
                )
        number = self.number
        self.number = self.event_line
        self.text = html.unescape("".join(event["message"]))[:MAX_MESSAGE]
        if not any(event_id in r for r in _WLAN_IDS):
            # (NCSI, WCM, EapHost, the kernel: in the report beside the WLAN events; a category the
            # catalogue's report_categories names gives its event: NCSI's "internet", the client online)
            given = self.categories.get(self.category)
            if given is not None:
                guid = _GUID.search(self.text, 0, 4096)
                attrs = dict(cast(dict[str, Any], given.get("attrs") or {}))
                self.add(str(given["kind"]), "", self.time_of(time, self.number), attrs)
                self.place(guid.group().lower() if guid else "")
            self.number = number
            return
        self.open({"EventID": str(event_id), "provider": PROVIDER, "time": time})
        for line in self.text.splitlines():
            self.message_line(line)
        self.close()
        self.number = number


class WindowsReportParser(CatalogueParser):
    name = "windows-report"
    description = (
        "Windows netsh wlan show wlanreport: the report's HTML page or XML (WLAN AutoConfig events "
        "with their messages)"
    )
    example = (
        '<tr class="wlan "><td>11000<a id="3"></a></td><td>2024-01-24T21:32:59</td><td><div class="message">'
        '<span class="message-body">Wireless network association started.<br>...'
    )
    catalogue = "windows"
    max_read = 65536
    sniffs = _SNIFF
    scores = (90, 98)

    def run(self, inp: Input, summary: InputSummary, cat: Catalogue) -> LineRun:
        return _Run(inp, summary, cat)


def row_id(line: str) -> str | None:
    """The event id of a report's HTML row (``<td>11000<a id="3"></a></td>``), or None."""
    found = _ROW_ID.search(line, 0, 4096)
    return found.group(1) if found else None


PARSER = WindowsReportParser()
