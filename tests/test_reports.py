"""The four reporters render the same Report safely and faithfully."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

import report_fixtures as fx
from wlandoctor import __version__
from wlandoctor.model import Cause, Evidence, Problem, Stage
from wlandoctor.report import FORMATS, load_schema, render, render_html, render_json, render_markdown, to_dict
from wlandoctor.report import html as html_report
from wlandoctor.report.data import REDACTED, SCHEMA_VERSION, json_safe, redactor
from wlandoctor.report.markdown import code_block, fence_for, md
from wlandoctor.report.text import render_text

MIC_TEXT = "[WPA] MIC is wrong. It will try to retransfer msg1/4."


@pytest.fixture
def report():
    return fx.founding_report()


def text_of(report, details=True, show_all=True, show_inputs=True, **console_kw) -> str:
    """The text report, in full by default (every cause, the online stations, every input's problems)."""
    buf = io.StringIO()
    kw = {"width": 250, "no_color": True, "force_terminal": False, "color_system": None}
    kw.update(console_kw)
    render_text(report, Console(file=buf, **kw), details, show_all, show_inputs)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------- JSON


def test_json_validates_against_the_shipped_schema(report):
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(render_json(report))
    jsonschema.Draft202012Validator(schema).validate(data)
    jsonschema.Draft202012Validator(schema).validate(json.loads(render_json(fx.secret_report())))
    jsonschema.Draft202012Validator(schema).validate(json.loads(render_json(fx.healthy_only_report())))


def test_the_documented_example_follows_the_contract():
    doc = (Path(__file__).parent.parent / "docs" / "json.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```json\n(.*?)\n```", doc, re.S)
    data = json.loads(example)
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    assert data["version"] == SCHEMA_VERSION == "2.0"
    assert f"version {SCHEMA_VERSION})" in doc.splitlines()[0]


def test_schema_rejects_a_broken_report(report):
    validator = jsonschema.Draft202012Validator(load_schema())
    data = json.loads(render_json(report))
    data["stations"][0]["verdict"] = "broken"
    del data["stations"][0]["evidence"][0]["line"]
    messages = sorted(e.message for e in validator.iter_errors(data))
    assert any("'broken'" in m for m in messages)
    assert any("'line' is a required property" in m for m in messages)


def test_the_full_form_carries_the_founding_case(report):
    # (what every renderer starts from; the JSON report's compact form says the same: test_json_report.py)
    data = to_dict(report)
    jsonschema.Draft202012Validator(load_schema("full")).validate(data)
    assert data["version"] == "1.0"
    assert data["tool"] == {"name": "wlandoctor", "version": __version__}
    assert data["generated"] == "2025-11-26T00:00:00.000Z"
    assert data["summary"] == {"stations": 3, "online": 1, "failed": 1, "incomplete": 1}

    st0 = data["stations"][0]
    assert (st0["station"], st0["verdict"], st0["stage"]) == ("yyyy-yyyy-yyyy", "failed", "4way-handshake")
    assert st0["aps"] == sorted(["AP01", "18F-AP02", fx.HOSTILE_AP])
    assert st0["sources"] == ["ap.log", "case.txt"]
    [attempt] = st0["attempts"]
    assert attempt["outcome"] == "failed" and attempt["failed_stage"] == "4way-handshake"
    assert attempt["start"] == "2021-03-05T18:06:10.270Z"
    assert attempt["end"] == "2021-03-05T18:06:10.790Z"
    assert attempt["dropped_events"] == 3
    kinds = [e["kind"] for e in attempt["events"]]
    assert kinds[:5] == [
        "eapol.m1.sent",
        "eapol.m2.received",
        "eapol.m2.mic_failure",
        "eapol.m2.mic_failure",
        "handshake.failed",
    ]
    assert attempt["events"][-1]["time"] is None and attempt["events"][-1]["line"] == 10

    causes = st0["causes"]
    assert [c["confidence"] for c in causes] == [0.72, 0.2, 0.08]  # 0.7249 rounded to 2 decimals
    assert [c["id"].split("/")[1] for c in causes] == [
        "stale-cached-key",
        "mistyped-passphrase",
        "ap-ac-key-mismatch",
    ]
    top = causes[0]
    ev = top["evidence"][0]
    assert (ev["source"], ev["line"], ev["kind"]) == ("case.txt", 12, "eapol.m2.mic_failure")
    assert MIC_TEXT in ev["text"]
    assert top["fix"][0].startswith("On the station, forget the network")
    assert top["seen_by"] == ["case.txt", "ap.log"]
    assert top["proof"] == {
        "verdict": "match",
        "candidate": "old passphrase (before the change)",
        "detail": "the MIC of message 2/4 verifies with the PMK of the old passphrase",
        "frames": [3, 4],
    }
    assert "proof" not in causes[1] and "seen_by" not in causes[1]
    assert causes[2]["proof"]["verdict"] == "cannot-check-offline"

    assert [s["verdict"] for s in data["stations"]] == ["failed", "online", "incomplete"]
    assert data["stations"][1]["stage"] is None and data["stations"][1]["causes"] == []
    inp = data["inputs"][1]
    assert (inp["source"], inp["format"], len(inp["problems"]), inp["problems_dropped"]) == (
        "ap.log",
        "hostapd",
        14,
        5,
    )
    assert inp["problems"][0] == {"line": 100, "message": "line 100 is not a hostapd record <b>0</b>"}


def test_json_attrs_are_json_safe_and_output_is_stable(report):
    text = render_json(report, events=True)
    data = json.loads(text)
    hostile = data["stations"][0]["events"][7]
    assert hostile["attrs"] == {"anonce": "00ff10ab", "flags": ["ack", "mic"], "nested": {"t": [1, 2]}}
    assert hostile["text"] == fx.HOSTILE and "\x1b" not in text
    assert fx.UNICODE_SSID in text  # ensure_ascii=False
    assert text == render_json(fx.founding_report(), events=True)  # deterministic for a fixed generation time
    assert text.startswith('{\n  "generated"')  # keys sorted, indent 2


def test_json_safe_conversions():
    value = {
        b"k": b"\x00\xff",
        "s": {3, 1, 2},
        "f": frozenset({"b", "a"}),
        "t": (1, "x"),
        "nan": math.nan,
        "inf": -math.inf,
        "stage": Stage.DHCP,
        "obj": ValueError("boom"),
    }
    out = json_safe(value)
    assert out["6b"] == "00ff"  # bytes keys become hex text too
    assert out["s"] == [1, 2, 3] and out["f"] == ["a", "b"] and out["t"] == [1, "x"]
    assert out["nan"] == "nan" and out["inf"] == "-inf" and out["stage"] == "dhcp"
    assert out["obj"] == "boom"
    json.dumps(out, allow_nan=False)


def test_confidence_is_clamped_and_rounded(report):
    causes = report.diagnoses[0].causes
    causes[0].confidence = 1.7
    causes[1].confidence = math.nan
    causes[2].confidence = 0.005
    data = to_dict(report)
    assert [c["confidence"] for c in data["stations"][0]["causes"]] == [1.0, 0.0, 0.01]


# ------------------------------------------------------------------------------------------ redaction


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_passphrase_listed_for_redaction_never_appears(fmt):
    report = fx.secret_report()
    buf = io.StringIO()
    if fmt == "text":
        render(report, fmt, Console(file=buf, width=250, no_color=True), details=True, show_inputs=True)
    else:
        render(report, fmt, buf)
    out = buf.getvalue()
    assert fx.PASSPHRASE not in out
    assert "Tr0ub4dor&amp;3-horse" not in out and "Tr0ub4dor" not in out
    assert REDACTED in out
    assert out.count(REDACTED) >= 3  # log text, explanation, proof candidate at least


def test_an_all_digit_passphrase_is_redacted_from_numbers_too():
    report = fx.founding_report(redact=["12345678"])
    report.diagnoses[0].timeline.attempts[0].events[1].attrs = {"replay_counter": 9912345678, "n": 7}
    report.diagnoses[0].causes[0].why_confidence.append("the station used 12345678")
    for fmt in FORMATS:
        buf = io.StringIO()
        render(report, fmt, Console(file=buf, width=250) if fmt == "text" else buf)
        assert "12345678" not in buf.getvalue(), fmt
    attrs = to_dict(report)["stations"][0]["attempts"][0]["events"][1]["attrs"]
    assert attrs == {"replay_counter": REDACTED, "n": 7}


def test_redactor_prefers_the_longest_secret_and_ignores_empty_entries():
    r = redactor(["abc", "", "abcdef", None, 5])
    assert r("xx abcdef yy abc") == f"xx {REDACTED} yy {REDACTED}"
    assert redactor([])("abc") == "abc"


def test_redaction_covers_attribute_keys_and_problem_messages():
    data = to_dict(fx.secret_report())
    dumped = json.dumps(data, ensure_ascii=False)
    assert fx.PASSPHRASE not in dumped
    ev = data["stations"][0]["attempts"][0]["events"][-1]
    assert ev["attrs"] == {"psk": REDACTED, REDACTED: "01"}
    assert data["inputs"][0]["problems"][-1]["message"] == f"odd token {REDACTED}"
    assert '"redact"' not in dumped  # the list itself is never rendered


# ----------------------------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def parse_html(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    p.close()
    return p


def test_html_escapes_all_data_and_loads_nothing(report):
    page = render_html(report)
    parsed = parse_html(page)
    names = [t for t, _ in parsed.tags]
    assert "img" not in names and "link" not in names and "iframe" not in names
    # (one script, the page's own, allowed by its hash: the table's sorting; none from the data)
    assert names.count("script") == 1 and page.count("<script") == 1 and "<img" not in page
    assert f"<script>{html_report.SCRIPT}</script>" in page
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "style" not in attrs, (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#"), href
    # the hostile text is present, as text
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text
    assert 'corp"><script>alert(2)</script>' in text
    assert "[bold]x[/]" in text and "\\x1b[31mred" in text


def test_html_has_a_strict_csp_matching_its_only_style(report):
    parsed = parse_html(render_html(report))
    metas = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    csp = metas[0]["content"]
    assert "default-src 'none'" in csp and "img-src 'none'" in csp
    script_digest = base64.b64encode(hashlib.sha256(html_report.SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{script_digest}'" in csp  # (its one script, nothing else)
    assert "unsafe-inline" not in csp
    digest = base64.b64encode(hashlib.sha256(parsed.style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert [t for t, _ in parsed.tags].count("style") == 1


def test_html_timeline_marks_evidence_and_links_to_it(report):
    parsed = parse_html(render_html(report))
    ids = {a["id"] for _, a in parsed.tags if "id" in a}
    marked = {a["id"] for t, a in parsed.tags if t == "tr" and a.get("class") == "evidence"}
    # events 3 and 4 (the two MIC lines of case.txt:12), 8 (ap.log:7) and 9 (the record, case.txt:10);
    # M1/M2 and the deletion share line 12 but are not cited.
    assert marked == {"st-1-a1-e3", "st-1-a1-e4", "st-1-a1-e8", "st-1-a1-e9"}
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert "#st-1-a1-e3" in hrefs and "#st-1-a1-e9" in hrefs
    assert all(h[1:] in ids for h in hrefs)
    meters = [a["value"] for t, a in parsed.tags if t == "meter"]
    assert meters[:1] == ["0.72"] and "0.20" in meters and "0.08" in meters


def test_html_content(report):
    page = render_html(report)
    text = "".join(parse_html(page).text)
    for s in ("yyyy-yyyy-yyyy", "aa:bb:cc:dd:ee:01", "00:11:22:33:44:55", "Failing stage", "4way-handshake"):
        assert s in text
    assert text.index("stale cached key") < text.index("passphrase typed") < text.index("another key than")
    assert "Key check: match, candidate old passphrase (before the change), frames 3, 4" in text
    assert "confirmed by 2 sources: case.txt, ap.log" in text
    assert "On the station, forget the network" in text and "Capture the handshake" in text
    assert "line 109: line 109 is not a hostapd record <b>9</b>" in text and "line 110:" not in text
    assert "9 more" in text
    assert "whole input: no timestamps; events kept in file order" in text
    assert "3 more events were not kept" in text
    # healthy station folded away; the failed one is not
    assert re.search(r'<section class="station" id="st-2">\n<details><summary>', page)
    assert '<section class="station" id="st-1">\n<h2>' in page


# ----------------------------------------------------------------------------------------------- text


def test_text_shows_verdict_causes_evidence_and_fix(report):
    out = text_of(report)
    assert "yyyy-yyyy-yyyy  FAILED at 4way-handshake" in out
    assert "attempt 1: failed at 4way-handshake (reached 4way-handshake), 9 events (+3 not kept)" in out
    i1 = out.index("1. The station used a stale cached key")
    i2 = out.index("2. The passphrase typed on the station is wrong")
    i3 = out.index("3. The AP holds another key")
    assert i1 < i2 < i3
    assert "72%" in out[i1:i2] and "20%" in out[i2:i3] and "8%" in out[i3:]
    assert "Why 72%:" in out and "- no other station on this WLAN failed the handshake" in out
    assert re.search(r"case\.txt:12  Mar 05 2021 18:06:10\.270\.10 .*\[WPA\] MIC is wrong\. It will try", out)
    assert "case.txt:10  yyyy-yyyy-yyyy AP 19 18F-AP02" in out
    assert "1. On the station, forget the network" in out and "2. Rejoin the SSID" in out
    assert "Confirm or rule out:" in out and "- Capture the handshake" in out
    assert "confirmed by 2 sources: case.txt, ap.log" in out
    assert "Key check: match, candidate old passphrase" in out
    assert "Key check: cannot-check-offline" in out


def test_text_prints_log_text_literally_and_safely(report):
    for out in (
        text_of(report),
        text_of(report, force_terminal=True, color_system="truecolor", no_color=False),
    ):
        assert "[bold]x[/]" in out
        assert "[link=http://evil.example]AP-3[/link]" in out
        assert "<script>alert(1)</script>" in out
        assert "\\x1b[31mred" in out
        assert "\x1b]8;" not in out  # no hyperlink escape was produced from the data
    plain = text_of(report)
    assert "\x1b" not in plain


def test_text_without_colour(report, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    buf = io.StringIO()
    render_text(report, Console(file=buf, force_terminal=True, width=250))
    out = buf.getvalue()
    params = [int(p) for seq in re.findall(r"\x1b\[([0-9;]*)m", out) for p in seq.split(";") if p]
    assert not [p for p in params if 30 <= p <= 38 or 40 <= p <= 48 or 90 <= p <= 107]
    assert "72%" in out
    buf = io.StringIO()
    render(report, "text", buf)  # a plain stream is not a terminal: no escape at all
    assert "\x1b" not in buf.getvalue() and "FAILED" in buf.getvalue()


def test_text_healthy_station_is_one_calm_line(report):
    out = text_of(report)
    [line] = [ln for ln in out.splitlines() if "aa:bb:cc:dd:ee:01" in ln]
    assert line.startswith("online  aa:bb:cc:dd:ee:01") and "│" not in line
    calm = text_of(fx.healthy_only_report())
    assert "online  aa:bb:cc:dd:ee:01  (SSID corp; AP AP02; 1 attempt)" in calm
    for alarm in ("FAILED", "INCOMPLETE", "Causes", "╭", "Fix"):
        assert alarm not in calm


def test_text_footer_lists_inputs_and_caps_problems(report):
    out = text_of(report)
    assert "case.txt  huawei  21 records, 9 skipped, 2 problems" in out
    assert "ap.log  hostapd  12 records, 30 skipped, 19 problems" in out
    assert "line 3: unrecognised table row" in out
    assert "whole input: no timestamps; events kept in file order" in out
    assert "line 109: line 109 is not a hostapd record <b>9</b>" in out and "line 110:" not in out
    assert re.search(r"^\s+9 more$", out, re.M)
    assert out.startswith("3 stations: 1 failed, 1 incomplete, 1 online")
    short = text_of(report, details=None, show_inputs=False)  # (one line an input, its first problem named)
    assert (
        "case.txt  huawei  21 records, 9 skipped, 2 problems; line 3: unrecognised table row (1 more problem"
        in short
    )
    assert "line 101:" not in short


def test_text_stalled_station_without_causes_shows_last_events(report):
    out = text_of(report)
    assert "00:11:22:33:44:55  INCOMPLETE" in out
    assert "The input ends before this attempt finished, and nothing failed in what was seen" in out
    assert "ap.log:40  hostapd: wlan0: STA 00:11:22:33:44:55 IEEE 802.11: associated (aid 3)" in out


# ------------------------------------------------------------------------------------------- Markdown

MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def fences(text: str) -> list[str]:
    return [t.content for t in MD.parse(text) if t.type == "fence"]


def test_markdown_fence_is_not_broken_by_log_backticks(report):
    out = render_markdown(report)
    blocks = fences(out)
    assert len(blocks) == 4  # evidence of three causes + last events of the stalled station
    hostile = [b for b in blocks if "ap.log:7" in b]
    assert hostile == [f"ap.log:7  {fx.HOSTILE}\n"]
    assert "`````text\nap.log:7" in out  # longer than the run of four backticks in the log text
    assert "case.txt:12  " + fx.MIC_WRONG in blocks[0]


def test_markdown_renders_without_html_injection(report):
    out = render_markdown(report)
    rendered = MD.render(out)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert 'href="http' not in rendered
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in rendered  # SSID shown, as text


def test_markdown_structure(report):
    out = render_markdown(report)
    tokens = MD.parse(out)
    headings = [
        tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"
    ]
    assert headings == [
        "2 stations not online, by most likely cause",
        "yyyy-yyyy-yyyy: failed at 4way-handshake",
        "00:11:22:33:44:55: incomplete",
        "Online stations",
        "Inputs",
    ]
    assert "- **Failing stage:** 4way-handshake" in out
    cells = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "td_open"]
    first_table = cells[:15]
    assert first_table[:5] == [
        "1",
        "The station used a stale cached key (PMK) that no longer matches the WLAN's",
        "72%",
        "4way-handshake",
        "4way-m2-mic-mismatch",
    ]
    assert first_table[5:8] == ["2", "The passphrase typed on the station is wrong", "20%"]
    assert "1. On the station, forget the network (delete the saved profile / keychain entry)." in out
    assert "_confirmed by 2 sources: case.txt, ap.log_" in out
    assert "Key check: match, candidate old passphrase (before the change), frames 3, 4" in out
    assert "- aa:bb:cc:dd:ee:01 (SSID corp; AP AP02)" in out
    assert "- 9 more" in out
    assert "- whole input: no timestamps; events kept in file order" in out


def test_markdown_escape_keeps_block_markers_literal():
    assert md("1. x", block_start=True) == "1\\. x"
    assert md("- x", block_start=True) == "\\- x"
    assert md("0.1.0") == "0.1.0"
    assert md("a|b [l](u) *e* <i>\nnext") == "a\\|b \\[l\\](u) \\*e\\* \\<i> next"
    assert md("> quote", block_start=True) == "\\> quote"


def test_fence_length():
    assert fence_for("no ticks") == "```"
    assert fence_for("a ``` b") == "````"
    assert fence_for("`````") == "``````"


@given(st.lists(st.text(alphabet=st.sampled_from("`~ ab\t"), max_size=30), min_size=1, max_size=5))
def test_any_text_stays_inside_its_code_block(lines):
    doc = "\n".join(["before", "", *code_block(lines), "", "after"])
    blocks = fences(doc)
    assert blocks == ["\n".join(lines) + "\n"]


# ------------------------------------------------------------------------------------------- dispatch


def test_render_dispatch(report):
    assert FORMATS == ("text", "json", "jsonl", "html", "markdown")
    buf = io.StringIO()
    render(report, "json", buf)
    assert json.loads(buf.getvalue())["summary"]["failed"] == 1
    console_buf = io.StringIO()
    render(report, "html", Console(file=console_buf))
    assert console_buf.getvalue().startswith("<!DOCTYPE html>")
    buf = io.StringIO()
    render(report, "markdown", buf)
    assert buf.getvalue().startswith("# wlandoctor report")
    buf = io.StringIO()
    render(report, "jsonl", buf)
    assert json.loads(buf.getvalue().splitlines()[-1])["summary"]["failed"] == 1
    with pytest.raises(ValueError, match="text, json, jsonl, html, markdown"):
        render(report, "pdf", io.StringIO())


def test_a_cause_without_optional_parts_renders_everywhere(report):
    report.diagnoses[0].causes.append(
        Cause(
            id="bare",
            rule="bare",
            title="Bare",
            stage=Stage.FOURWAY,
            confidence=0.01,
            why_confidence=[],
            explanation="",
            fix=[],
            confirm=[],
            evidence=[],
            extra={"proof": "free text", "seen_by": "one.log"},
        )
    )
    data = to_dict(report)
    bare = data["stations"][0]["causes"][-1]
    assert bare["proof"] == {"verdict": "incomplete", "candidate": None, "detail": "free text", "frames": []}
    assert bare["seen_by"] == ["one.log"]
    jsonschema.Draft202012Validator(load_schema("full")).validate(data)
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(render_json(report)))
    assert "4. Bare" in text_of(report)
    assert "| 4 | Bare | 1% |" in render_markdown(report)
    assert "confirmed by 1 source: one.log" in render_html(report)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_reproducible(fmt):
    outs = []
    for _ in range(2):
        buf = io.StringIO()
        render(fx.founding_report(), fmt, Console(file=buf, width=120) if fmt == "text" else buf)
        outs.append(buf.getvalue())
    assert outs[0] == outs[1] and "yyyy-yyyy-yyyy" in outs[0]


HOSTILE_CHARS = st.text(
    alphabet=st.sampled_from("<>&\"'`[]/\\()*_|#!-=:; \nabcscriptimgonerror=1"), max_size=60
)


def _with_text(text: str):
    report = fx.founding_report()
    d = report.diagnoses[0]
    d.timeline.ssids = {text}
    d.timeline.attempts[0].events[0].attrs = {text: text}
    d.causes[0].title = text
    d.causes[0].evidence[0] = Evidence("x.log", 1, text, "k")
    report.inputs[0].problems.append(Problem(2, text))
    return report


ALLOWED_HTML = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "section", "footer", "h1", "h2", "h3",
    "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "a", "code", "span", "div", "dl", "dt", "dd", "ol",
    "ul", "li", "meter", "details", "summary", "br",
    "input", "label",  # (the filter by verdict: radio buttons and CSS)
    "svg", "line", "circle", "text",  # (the timeline strip)
    "script",  # (the page's own, one: test_html_escapes_all_data_and_loads_nothing)
}  # fmt: skip


@given(HOSTILE_CHARS)
def test_html_structure_does_not_depend_on_data(text):
    parsed = parse_html(render_html(_with_text(text)))
    assert {t for t, _ in parsed.tags} <= ALLOWED_HTML
    for _, attrs in parsed.tags:
        assert set(attrs) <= {"lang", "charset", "http-equiv", "content", "name", "href", "id", "class", "min",
                              "max", "low", "high", "optimum", "value", "title", "open", "type", "for",
                              "checked", "viewbox", "width", "height", "role", "aria-label", "x", "y", "x1",
                              "y1", "x2", "y2", "cx", "cy", "r", "text-anchor"}  # fmt: skip
        assert not any(k.startswith("on") or k == "style" for k in attrs)
        assert attrs.get("href") is None or attrs["href"].startswith("#")
    assert text in "".join(parsed.text)


@given(HOSTILE_CHARS)
def test_markdown_structure_does_not_depend_on_data(text):
    rendered = MD.render(render_markdown(_with_text(text)))
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", rendered))
    assert tags <= {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "pre", "code", "table", "thead",
                    "tbody", "tr", "th", "td"}  # fmt: skip
    assert "<a " not in rendered


def test_retry_attempts_are_all_shown_and_cited_ones_open(report):
    from wlandoctor.model import Attempt, Event, Outcome, SourceRef

    d = report.diagnoses[0]
    retry = Event(
        kind="eapol.m1.sent",
        station=fx.STATION,
        stage=Stage.FOURWAY,
        ref=SourceRef(fx.CASE, 13, "retry of message 1/4"),
        time=1614967600.0,
    )
    d.timeline.attempts.append(Attempt(2, [retry], Outcome.INCOMPLETE, reached=Stage.FOURWAY))
    d.timeline.attempts.insert(0, Attempt(0, [retry], Outcome.FAILED, Stage.FOURWAY, Stage.FOURWAY))
    page = render_html(report)
    summaries = re.findall(r"<details( open)?><summary>attempt (\d+):", page)
    # attempt 0 holds nothing cited: folded; attempt 1 holds the evidence and attempt 2 is the last: open
    assert summaries[:3] == [("", "0"), (" open", "1"), (" open", "2")]
    out = text_of(report)
    assert (
        "attempt 0: failed at 4way-handshake" in out
        and "attempt 2: incomplete (reached 4way-handshake)" in out
    )


def test_short_secrets_mangle_text_but_never_break_rendering():
    report = fx.founding_report(redact=["1", "a", "12345678"])
    for fmt in FORMATS:
        buf = io.StringIO()
        render(report, fmt, Console(file=buf, width=250) if fmt == "text" else buf)
        assert REDACTED in buf.getvalue()
    data = to_dict(report)

    def strings(v, in_attrs=False):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for k, x in v.items():
                if in_attrs:
                    yield k
                yield from strings(x, in_attrs or k == "attrs")
        elif isinstance(v, list):
            for x in v:
                yield from strings(x, in_attrs)

    leftover = [s for s in strings(data) if "a" in s.replace(REDACTED, "") or "1" in s.replace(REDACTED, "")]
    assert leftover == []


def test_many_retries_are_summarised_in_text_and_markdown(report):
    from wlandoctor.model import Attempt, Event, Outcome, SourceRef

    d = report.diagnoses[0]
    for n in range(2, 40):
        ev = Event(
            kind="eapol.m1.sent",
            station=fx.STATION,
            stage=Stage.FOURWAY,
            ref=SourceRef(fx.CASE, 100 + n, f"retry {n}"),
            time=1614967600.0 + n,
        )
        d.timeline.attempts.append(Attempt(n, [ev], Outcome.FAILED, Stage.FOURWAY, Stage.FOURWAY))
    out = text_of(report)
    assert "29 earlier attempts not shown" in out
    assert "attempt 39: failed" in out and "attempt 30: failed" in out and "attempt 29: failed" not in out
    mdout = render_markdown(report)
    assert "- 29 earlier attempts not shown" in mdout and "attempt 29: failed" not in mdout
    assert "attempt 2: failed" in render_html(report)  # the HTML keeps every attempt


def test_streamed_json_is_the_same_text(report):
    """write_json (one station at a time, bounded memory) prints exactly what render_json builds."""
    from wlandoctor.report.json_report import render_json, write_json

    buf = io.StringIO()
    write_json(report, buf)
    assert buf.getvalue() == render_json(report)


# ------------------------------------------------------------------------------ text: across stations


def _generated_report(tmp_path: Path, size: str, stations: int, seed: int) -> tuple:
    """The report on a generated AC trace, and its stations not online (``to_dict`` form)."""
    import subprocess
    import sys

    from wlandoctor.pipeline import diagnose_paths

    trace = tmp_path / "trace.log"
    gen = Path(__file__).parent.parent / "benchmarks" / "gen_ac_trace.py"
    cmd = [sys.executable, str(gen), "-o", str(trace), "--size", size, "--stations", str(stations)]
    subprocess.run([*cmd, "--seed", str(seed)], check=True, timeout=120)
    report = diagnose_paths([str(trace)])
    return report, [s for s in to_dict(report)["stations"] if s["verdict"] != "online"]


def test_text_groups_the_stations_not_online_by_their_most_likely_cause(tmp_path):
    """With many stations failing, the report starts with what the failures have in common."""
    from collections import Counter

    report, troubled = _generated_report(tmp_path, "1M", 60, 3)
    expected = Counter(s["causes"][0]["title"] if s["causes"] else "" for s in troubled)
    assert len(troubled) >= 5 and len(expected) >= 3

    out = text_of(report)
    heading = f"{len(troubled)} stations not online, by most likely cause"
    assert heading in out
    rows = re.findall(r"^\s*(\d+)\s{1,3}\|\s(.+?)\s+\|\s(\S+)\s+\|", out.split(heading, 1)[1], re.M)
    counts = [int(n) for n, _title, _stage in rows]
    assert counts == sorted(counts, reverse=True) and sum(counts) == len(troubled)
    top_title, top_count = expected.most_common(1)[0]
    assert rows[0][1].startswith(top_title[:30]) and counts[0] == top_count


def test_text_has_no_summary_across_stations_for_one_station(report):
    from wlandoctor.pipeline import diagnose_paths

    founding = Path(__file__).parent.parent / "examples" / "cached-pmk-case-study.txt"
    assert "by most likely cause" not in text_of(diagnose_paths([str(founding)]))
    assert "2 stations not online, by most likely cause" in text_of(report)  # one failed, one incomplete


def test_summary_across_stations_prints_station_ids_literally():
    report = fx.founding_report()
    for n, d in enumerate(x for x in report.diagnoses if str(x.verdict) != "online"):
        d.station = f"[red]sta{n}[/red]<b>x</b>"
    out = text_of(report).split("by most likely cause", 1)[1]
    assert "[red]sta0[/red]<b>x</b>" in out and "[red]sta1[/red]<b>x</b>" in out

    page = render_html(report)
    section = page.split('<section id="by-cause">', 1)[1].split("</section>", 1)[0]
    parsed = parse_html(section)
    assert "b" not in [t for t, _ in parsed.tags]
    assert "[red]sta0[/red]<b>x</b>" in "".join(parsed.text)
    assert sorted(a["href"] for t, a in parsed.tags if t == "a") == ["#st-1", "#st-3"]  # failed, incomplete

    text = render_markdown(report)
    section = text.split("by most likely cause", 1)[1].split("\n## ", 1)[0]
    rendered = MarkdownIt().render(section)
    assert "<b>" not in rendered and "[red]sta0[/red]&lt;b&gt;x&lt;/b&gt;" in rendered.replace("\\", "")


def test_html_and_markdown_group_the_stations_not_online_by_cause():
    report = fx.founding_report()
    page = render_html(report)
    assert "<h2>2 stations not online, by most likely cause</h2>" in page
    assert page.index('id="by-cause"') < page.index('id="summary"')
    md_text = render_markdown(report)
    assert "## 2 stations not online, by most likely cause" in md_text
    lines = [ln for ln in md_text.splitlines() if ln.startswith("- 1 × ")]
    assert len(lines) == 2 and any("4way" in ln for ln in lines)
    single = fx.founding_report()
    single.diagnoses = [d for d in single.diagnoses if str(d.verdict) != "incomplete"]
    assert "by most likely cause" not in render_html(single) + render_markdown(single)


# -------------------------------------------------------------------- text: many stations not online


def test_text_lists_many_stations_not_online_one_line_each_unless_asked(tmp_path):
    from wlandoctor.report.text import COMPACT_OVER

    report, troubled = _generated_report(tmp_path, "3M", 200, 8)
    assert len(troubled) > COMPACT_OVER

    short = _text_with(report, None)
    assert short.count("╭") == 0
    lines = short.splitlines()
    for s in troubled:  # one line each, with its stage and most likely cause
        [line] = [ln for ln in lines if ln.startswith(f"{s['verdict']}  {s['station']}  ")]
        top = s["causes"][0]["title"] if s["causes"] else ""
        assert f"  {s['stage'] or '-'}  " in line and top[:20] in line
    assert f"{len(troubled)} stations not online, by most likely cause" in short
    # the answer first: the counts, then the causes, then the stations
    assert short.index("stations:") < short.index("by most likely cause") < short.index(lines[-1])

    full = _text_with(report, True)
    assert full.count("╭") == len(troubled) and "Causes, most likely first:" in full
    brief = _text_with(report, False)
    assert brief.count("╭") == 0 and not any(
        ln.startswith(("failed  ", "FAILED  ")) for ln in brief.splitlines()
    )
    assert "by most likely cause" in brief


def test_text_one_line_forms_count_every_attempt(tmp_path):
    """A station's line counts all its attempts, the ones only counted (older than the latest 16) too,
    whether it got online or not."""
    report, _ = _generated_report(tmp_path, "2M", 10, 5)
    lines = _text_with(report, None, show_all=True).splitlines()
    stations = to_dict(report)["stations"]
    assert any(s["attempts_dropped"] for s in stations if s["verdict"] == "online")
    for s in stations:
        n = len(s["attempts"]) + s["attempts_dropped"]
        # an online station shown by its keys alone is "connected" (docs/reports.md)
        label = "connected" if s["online_evidence"] == "keys" else s["verdict"]
        if s["verdict"] != "online":
            label = label.upper()  # (a short block's head)
        [line] = [ln for ln in lines if ln.startswith(f"{label}  {s['station']}  ")]
        said = f"{n} attempt{'s' if n != 1 else ''}"
        # a station online after failed attempts says how many (the kept ones and those only counted)
        failed = sum(a["outcome"] == "failed" for a in s["attempts"]) + s["dropped_outcomes"].get("failed", 0)
        if s["verdict"] == "online" and failed:
            said += f", {failed} failed"
        assert line.endswith(f"{said})"), line


def _text_with(report, details, show_all=False, terminal=True) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=250, no_color=True, force_terminal=terminal, color_system=None)
    render_text(report, console, details, show_all)
    return buf.getvalue()


def test_text_brief_and_details_on_one_station(report):
    """Default: the counts, then a short block per station not online (verdict, stage, most likely cause,
    the evidence line that shows it, the first fix, how to see more); --brief the summary alone; --details
    every cause in full."""
    short = _text_with(report, None)
    assert short.count("╭") == 0
    assert short.startswith("3 stations: 1 failed, 1 incomplete, 1 online")
    after = short[short.index("FAILED  yyyy-yyyy-yyyy  at 4way-handshake") :].splitlines()
    block = [after[0], *itertools.takewhile(lambda ln: ln.startswith("  "), after[1:])]
    labels = [ln.split()[0] for ln in block[1:] if not ln.startswith("   ")]
    assert labels == ["cause", "evidence", "fix", "more"], block
    assert "stale cached key (PMK)" in block[1] and "72%" in block[1]
    assert "1 station online (--all lists them)." in short
    brief = _text_with(report, False)
    assert "FAILED  yyyy-yyyy-yyyy" not in brief and "yyyy-yyyy-yyyy" in brief  # (in the causes table)
    assert _text_with(report, True).count("╭") == 2


def test_text_in_a_pipe_draws_no_boxes(report):
    """Files and pipes get ASCII lines: no box drawing, in every mode."""
    for details in (None, True, False):
        out = _text_with(report, details, show_all=True, terminal=False)
        assert not set(out) & set("╭╮╰╯│─━┃┏┓┗┛┡┩"), details


def test_what_the_failures_have_in_common(report):
    from wlandoctor.report.data import in_common

    stations = to_dict(report)["stations"]
    troubled = [s for s in stations if s["verdict"] != "online"]
    for s in troubled:
        s["aps"], s["ssids"] = ["AP01", *s["aps"]], ["corp"]
        s["station"] = "8c:85:90:" + s["station"][-8:] if ":" in s["station"] else "8c:85:90:00:00:01"
    said = in_common(troubled)
    assert "all on AP AP01" in said and 'all on SSID "corp"' in said
    assert "all with the vendor prefix 8c:85:90 (one client type)" in said
    troubled[0]["station"] = "8e:85:90:00:00:02"  # (locally administered, a random MAC: no vendor)
    assert not any("vendor" in p for p in in_common(troubled))
    assert in_common(troubled[:1]) == []


# ----------------------------------------------------------------------------------------- last guard


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_station_that_cannot_be_written_never_loses_the_report(report, monkeypatch, fmt):
    # whatever a parser produced, a writer that fails on one station writes that station's name, verdict
    # and the problem, and every other station in full
    from wlandoctor.report import compact
    from wlandoctor.report import data as report_data

    unguarded = report_data._station_unguarded
    unguarded_compact = compact._compact

    def broken(d, c, all_events=False):
        if d.station == fx.HEALTHY:
            raise OverflowError("a value no writer expected")
        return unguarded(d, c, all_events)

    def broken_compact(d, *args):
        if d.station == fx.HEALTHY:
            raise OverflowError("a value no writer expected")
        return unguarded_compact(d, *args)

    monkeypatch.setattr(report_data, "_station_unguarded", broken)
    monkeypatch.setattr(compact, "_compact", broken_compact)
    buf = io.StringIO()
    if fmt == "text":
        render(report, fmt, Console(file=buf, width=250, no_color=True), details=True)
    else:
        render(report, fmt, buf)
    out = buf.getvalue()
    assert "could not be written in full (internal error: OverflowError)" in out
    assert MIC_TEXT in out  # the founding station, in full
    assert "a value no writer expected" not in out  # the type of the error, not its text
    if fmt == "json":
        doc = json.loads(out)
        jsonschema.Draft202012Validator(load_schema()).validate(doc)
        healthy = next(s for s in doc["stations"] if s["station"] == fx.HEALTHY)
        assert set(healthy) == {"station", "verdict", "problem"} and healthy["verdict"] == "online"


def test_a_renderer_that_fails_on_one_station_writes_the_others(report, monkeypatch):
    from wlandoctor.report import html as html_report

    real = html_report._station

    def broken(st, anchor):
        if st["station"] == fx.STATION and "problem" not in st:
            raise KeyError("missing")
        return real(st, anchor)

    monkeypatch.setattr(html_report, "_station", broken)
    out = render_html(report)
    assert "could not be written in full (internal error: KeyError)" in out
    assert fx.HEALTHY in out and out.rstrip().endswith("</html>")


def test_html_is_written_station_by_station(report, monkeypatch):
    # the page is written from a few facts per station, then each station's full form one at a time: the
    # whole report's data is never built (a report of 100,000 stations took gigabytes that way)
    from wlandoctor.report import data as report_data
    from wlandoctor.report import html as html_report

    expected = render_html(report)
    made = []

    def one(d, c, all_events=False):
        made.append(d.station)
        return report_data.station_dict(d, c, all_events)

    def whole(*args, **kwargs):
        raise AssertionError("the whole report's data was built")

    monkeypatch.setattr(html_report, "station_dict", one)
    monkeypatch.setattr(report_data, "to_dict", whole)
    buf = io.StringIO()
    html_report.write_html(report, buf)
    assert buf.getvalue() == expected
    # (in the page's order: failed first, then by cause)
    assert made == [report.diagnoses[i - 1].station for i in html_report._order(report.diagnoses)]
