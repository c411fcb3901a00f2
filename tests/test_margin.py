"""A paste's margin (sources/margin.py): a log quoted in a reply ("> ") or pasted as a code block (four
spaces, a tab) is read as the log itself.  Every real case of the corpus is read again in each form, and
must give the same diagnosis as the log as posted."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.sources.margin import Unmargined, find_margin, strip_lines

REAL = Path(__file__).parent / "data" / "real"
CASES = sorted(p.parent for p in REAL.glob("*/expected.yml"))
BINARY = (".pcap", ".pcapng", ".cap", ".evtx", ".gz")
FORMS = {"quoted": b"> ", "quoted-twice": b"> > ", "indented": b"    ", "tabbed": b"\t"}
# a container's log viewer prefixes every line, blank ones too (docker compose logs / up, kubectl --prefix)
CONTAINER_FORMS = {
    "compose": b"radius-1  | ",
    "compose-v1": b"wifi_hostapd_1     | ",
    "kubectl": b"[pod/freeradius-6c7d9b-x2k4q/freeradius] ",
}


def _summary(paths: list[str]) -> list[tuple[Any, ...]]:
    report = diagnose_paths(paths, Options())
    return sorted(
        (
            d.station,
            str(d.verdict),
            str(d.stage),
            d.causes[0].id if d.causes else None,
            len(d.timeline.attempts),
        )
        for d in report.diagnoses
    )


def _text_inputs() -> list[tuple[Path, str, Path]]:
    """(case, input name, input path) of every real case whose input is text (a paste can hold it)."""
    out = []
    for case in CASES:
        exp = yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
        name = str(exp["input"])
        if not name.endswith(BINARY):
            out.append((case, name, case / name))
    return out


def _difference(original: Path, pasted: Path) -> tuple[list[Any], list[Any]] | None:
    """The first diagnoses of the log as posted and as pasted, when they differ (paths left out)."""
    want = [(s[0].replace(str(original), ""), *s[1:]) for s in _summary([str(original)])]
    got = [(s[0].replace(str(pasted), ""), *s[1:]) for s in _summary([str(pasted)])]
    return None if got == want else (want[:2], got[:2])


@pytest.mark.parametrize("form", [*FORMS, *CONTAINER_FORMS])
def test_every_real_case_reads_the_same_quoted_or_indented(form: str, tmp_path: Path) -> None:
    margin = FORMS.get(form) or CONTAINER_FORMS[form]
    every = form in CONTAINER_FORMS
    differ = []
    for case, name, original in _text_inputs():
        pasted = tmp_path / case.name / name
        pasted.parent.mkdir(parents=True)
        lines = original.read_bytes().splitlines(keepends=True)
        pasted.write_bytes(b"".join(margin + ln if every or ln.strip() else ln for ln in lines))
        if (diff := _difference(original, pasted)) is not None:
            differ.append((case.name, *diff))
    assert not differ, differ[:3]


def test_the_margin_is_taken_only_when_every_line_carries_it() -> None:
    assert find_margin(b"> a\n> b\n>\n> c\n") == b"> "
    assert find_margin(b">> a\n>> b\n> > c\n") is None  # (two forms of quote marks: no common margin)
    assert find_margin(b"    a\n    b\n\n      c\n") == b"    "
    assert find_margin(b"a\n    b\n    c\n") is None  # (a log's own indented lines under a first-column one)
    assert find_margin(b" a\n b\n") is None  # (one blank: alignment, not a paste)
    assert find_margin(b"> only one line\n") == b"> "  # (a reply quoting the one line a log gave)
    assert find_margin(b"\n\n") is None
    # nine lines in ten quoted: a line the paste lost its mark on is read as it is
    assert find_margin(b"".join(b"> line %d\n" % i for i in range(9)) + b"loose\n") == b"> "


class Slow(io.RawIOBase):
    """A raw stream that hands out ``chunk`` bytes a read: every boundary a filter must carry across."""

    def __init__(self, data: bytes, chunk: int) -> None:
        self.data, self.chunk = data, chunk

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        out, self.data = self.data[: self.chunk], self.data[self.chunk :]
        return out


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_the_stream_takes_the_margin_off_across_any_chunk_boundary(chunk: int) -> None:
    data = b"> one\r\n> two\r> three\n>\n> four"

    out = io.BufferedReader(Unmargined(Slow(data, chunk), b"> ")).read()  # type: ignore[arg-type]
    assert out == b"one\r\ntwo\rthree\n\nfour"
    assert strip_lines(data, b"> ") == out


def test_a_container_prefix_is_taken_off_whatever_the_service() -> None:
    from wlandoctor.sources.margin import CONTAINER

    log = (
        b"radius-1    | (1) eap_peap: (TLS) PEAP - recv TLS 1.3 Handshake, ClientHello\n"
        b"hostapd-2   | 2024-03-29T10:00:00.123456789Z wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated\n"
        b"radius-1    |\n"
        b"[pod/radius-7d9f-x2/freeradius] (2) Login OK: [bob] (from client ap port 0 cli 02-00-00-00-00-01)\n"
    )
    assert find_margin(log) is CONTAINER
    want = (
        b"(1) eap_peap: (TLS) PEAP - recv TLS 1.3 Handshake, ClientHello\n"
        b"2024-03-29T10:00:00.123456789Z wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated\n"
        b"\n"
        b"(2) Login OK: [bob] (from client ap port 0 cli 02-00-00-00-00-01)\n"
    )
    assert strip_lines(log, CONTAINER) == want
    for chunk in (1, 2, 5, 13, 1 << 20):
        out = io.BufferedReader(Unmargined(Slow(log + log[:30], chunk), CONTAINER)).read()  # type: ignore[arg-type]
        assert out == want + want[:16], chunk
    # a table's "Name | Value" (no replica number) and a log with a few such lines keep their text
    assert find_margin(b"SSID    | office\nChannel | 36\n") is None
    assert find_margin(b"radius-1  | a\n" + b"plain line\n" * 2) is None


def test_a_long_line_is_filtered_without_holding_it() -> None:
    big = b"> " + b"x" * (5 << 20) + b"\n> end\n"
    stream = io.BufferedReader(Unmargined(io.BytesIO(big), b"> "))  # type: ignore[arg-type]
    first = stream.read(1 << 20)
    assert first[:1] == b"x" and len(first) == 1 << 20
    rest = stream.read()
    assert rest.endswith(b"\nend\n") and len(first) + len(rest) == len(big) - 4


def test_the_note_says_what_was_taken_off(tmp_path: Path) -> None:
    log = REAL / "srv-pfsense-radiusd-syslog-login-ok-eap" / "input.log"
    path = tmp_path / "quoted.log"
    path.write_bytes(b"".join(b"> " + ln for ln in log.read_bytes().splitlines(keepends=True)))
    report = diagnose_paths([str(path)], Options())
    assert any("quote mark '> '" in n for n in report.inputs[0].notes)
    assert report.diagnoses and str(report.diagnoses[0].verdict) == "online"


def test_every_real_case_reads_the_same_copied_from_a_page_that_escaped_it(tmp_path: Path) -> None:
    """A log copied from a web page's source: "<3>CTRL-EVENT-..." as "&lt;3&gt;CTRL-EVENT-...".  (Taken back
    when the head holds two such entities and no raw "<": a log with one "->" only stays as it is.)"""
    from wlandoctor.sources.margin import html_escaped

    differ = []
    for case, name, original in _text_inputs():
        raw = original.read_bytes()
        escaped = (
            raw.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;").replace(b'"', b"&quot;")
        )
        if escaped == raw or not html_escaped(escaped[:65536]):
            continue
        pasted = tmp_path / case.name / name
        pasted.parent.mkdir(parents=True)
        pasted.write_bytes(escaped)
        if (diff := _difference(original, pasted)) is not None:
            differ.append((case.name, *diff))
    assert not differ, differ[:3]


@pytest.mark.parametrize("chunk", [1, 3, 5, 1 << 20])
def test_entities_are_taken_back_across_any_chunk_boundary(chunk: int) -> None:
    from wlandoctor.sources.margin import Unescaped

    data = b"&lt;3&gt;CTRL-EVENT-CONNECTED - x &amp;&amp; &quot;a&quot; &#39;b&#39; &lt;"

    out = io.BufferedReader(Unescaped(Slow(data, chunk))).read()  # type: ignore[arg-type]
    assert out == b"<3>CTRL-EVENT-CONNECTED - x && \"a\" 'b' <"
