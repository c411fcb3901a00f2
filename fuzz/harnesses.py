"""Fuzz targets: one per input kind, each checking what wlandoctor promises on any input.

Each target takes bytes and runs the library the way the command line does (a file read through
``diagnose_paths``, the key proof, the candidate loader), then checks:

- only documented errors: nothing raises but ``CandidateError`` from the candidate loader;
- a time bound per KB (TIME_BASE_S + TIME_PER_KB_S x size), so super-linear work is a finding;
- every report (text, JSON, HTML, Markdown) without a raw control or bidi character, the JSON valid
  against the shipped schema, the HTML holding only the renderer's own elements, and no candidate
  passphrase anywhere.

Memory is bounded by the runner (libFuzzer's -rss_limit_mb). The targets run the same without atheris:
tests/test_fuzz.py replays every saved input of tests/data/fuzz/ through them.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from rich.console import Console

from wlandoctor.capture.candidates import Candidate, CandidateError, load_file
from wlandoctor.capture.verify import prove
from wlandoctor.model import Report
from wlandoctor.model.errors import InputError
from wlandoctor.pipeline import INTERNAL_ERROR, Options, diagnose_paths
from wlandoctor.report import FORMATS, load_schema, render
from wlandoctor.util.times import in_range

ROOT = Path(__file__).resolve().parent.parent
TIME_BASE_S = 2.0
TIME_PER_KB_S = 0.05  # 20 KB/s: two orders of magnitude below the real rate; only blow-ups cross it
SECRET = "Fuzz-Secret-4711"  # a candidate passphrase: it must never reach an output
CANDIDATES = [Candidate("current", SECRET, 1), Candidate("previous", "12345678", 2)]

# What a report may not hold raw: C0 controls but tab and newline, DEL, C1 controls, and the Unicode
# bidi / format controls that reorder or hide text.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# (the elements report/html.py writes: one more there is one more here)
_HTML_ELEMENTS = {
    "a", "body", "br", "code", "dd", "details", "div", "dl", "dt", "footer", "h1", "h2", "h3", "h4", "head",
    "header", "html", "li", "main", "meta", "meter", "ol", "p", "section", "span", "style", "summary", "table",
    "tbody", "td", "th", "thead", "title", "tr", "ul",
    "input", "label",  # (the filter by verdict)
    "svg", "line", "circle", "text",  # (the timeline strip)
    "script",  # (the page's one script, by hash: _Elements counts it)
}  # fmt: skip
# The candidate loader's messages, all of them (after "SOURCE:LINE: ").
_CANDIDATE_MESSAGES = re.compile(
    r"(ambiguous: read as 'label: passphrase' .*"
    r"|candidate \d+: passphrase (too short|too long|contains control characters).*"
    r"|the label of line \d+ is used again"
    r"|no candidate passphrase found .*"
    r"|not UTF-8 text"
    r"|larger than \d+ MiB: not a candidate list"
    r"|cannot read the candidate file: .*)"
)


class Finding(AssertionError):
    """A broken promise: the fuzzer reports it as a crash, with the input that made it."""


def _tmp_dir() -> str:
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else tempfile.gettempdir()


@contextlib.contextmanager
def _as_file(data: bytes, suffix: str = ".log") -> Iterator[Path]:
    fd, name = tempfile.mkstemp(suffix=suffix, dir=_tmp_dir(), prefix="wlandoctor-fuzz-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        yield Path(name)
    finally:
        os.unlink(name)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unexpected: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_ELEMENTS:
            self.unexpected.add(tag)
        if tag == "script":
            self.scripts += 1
            if self.scripts > 1:
                self.unexpected.add("a second script")
        for name, _value in attrs:
            if name.startswith("on"):
                self.unexpected.add(f"{tag} {name}=")


_VALIDATORS: dict[str, Callable[[object], None]] = {}


def _validate(doc: object, form: str = "report") -> None:
    if form not in _VALIDATORS:
        import jsonschema

        _VALIDATORS[form] = jsonschema.Draft202012Validator(load_schema(form)).validate
    _VALIDATORS[form](doc)


# Input bytes that a report must neutralise: controls, C1 and bidi/format characters in UTF-8, and markup. An input holding one has all four reports checked; others the JSON report
# (where every value is formatted) and one input in ALL_FORMATS_EVERY all four, which keeps the targets
# fast enough for millions of inputs (the text report alone costs half of a run).
_NEEDS_ALL = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f<>&`]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa9]|\xef\xbb\xbf"
)
ALL_FORMATS_EVERY = 8
_seen = 0


def formats_for(data: bytes) -> tuple[str, ...]:
    global _seen
    _seen += 1
    if _NEEDS_ALL.search(data) or SECRET.encode() in data or _seen % ALL_FORMATS_EVERY == 0:
        return FORMATS
    return ("json",)


def check_reports(report: Report, secrets: tuple[str, ...] = (), formats: tuple[str, ...] = FORMATS) -> None:
    """Every report format written from ``report`` keeps the output promises."""
    for fmt in formats:
        buf = io.StringIO()
        if fmt == "text":
            render(report, fmt, Console(file=buf, width=160, no_color=True, force_terminal=False))
        else:
            render(report, fmt, buf, events=fmt == "json")  # (the document with every event written)
        out = buf.getvalue()
        bad = _UNSAFE.search(out)
        if bad:
            raise Finding(f"{fmt} report holds raw {bad.group()!r} at {bad.start()}")
        for secret in secrets:
            if secret in out:
                raise Finding(f"{fmt} report holds a candidate passphrase")
        if "could not be written in full" in out:  # a writer's last guard caught a defect
            raise Finding(f"{fmt} report: a station could not be written")
        if fmt == "json":
            _validate(json.loads(out))
        elif fmt == "jsonl":
            for line in out.splitlines():
                _validate(json.loads(line), "jsonl")
        elif fmt == "html":
            elements = _Elements()
            elements.feed(out)
            if elements.unexpected:
                raise Finding(f"html report holds markup from the input: {sorted(elements.unexpected)}")


def _timed(size: int, what: str) -> Callable[[], None]:
    # CPU time of this process, not wall time: a fuzzer run at low priority beside other work (nice 19
    # beside the test suite) waited seconds for the CPU on inputs that take 0.1 s, and reported them
    start = time.process_time()

    def done() -> None:
        took = time.process_time() - start
        if took > TIME_BASE_S + TIME_PER_KB_S * size / 1024:
            raise Finding(f"{what}: {took:.1f} s for {size} bytes")

    return done


def _diagnose(data: bytes, force: str | None, suffix: str = ".log", proof: bool = False) -> None:
    """``diagnose`` with candidates given (so reports must redact them wherever the input prints them)."""
    done = _timed(len(data), f"diagnose ({force or 'detected'})")
    with _as_file(data, suffix) as path:
        opts = Options(force_format=force, jobs=1, candidates=list(CANDIDATES))
        report = diagnose_paths([str(path)], opts)
        for summary in report.inputs:
            for problem in summary.problems:
                if problem.message.startswith(INTERNAL_ERROR):
                    raise Finding(problem.message)
        for d in report.diagnoses:  # every reader checks its times where it reads them
            for a in d.timeline.attempts:
                for e in a.events:
                    if e.time is not None and not in_range(e.time):
                        raise Finding(
                            f"a time out of range reached the report ({e.time!r}, line {e.ref.line})"
                        )
        check_reports(report, (SECRET,), formats_for(data))
        if proof:
            # (InputError is documented: `verify` says it, not a capture or cut short, and exits 3)
            with contextlib.suppress(InputError):
                prove(path, None, CANDIDATES)  # the proof alone, as `verify` runs it
    done()


def huawei(data: bytes) -> None:
    _diagnose(data, "huawei-ac")


def hostap(data: bytes) -> None:
    _diagnose(data, "hostap")


def freeradius(data: bytes) -> None:
    _diagnose(data, "freeradius")


def espressif(data: bytes) -> None:
    _diagnose(data, "espressif")


def mikrotik(data: bytes) -> None:
    _diagnose(data, "mikrotik")


def meraki(data: bytes) -> None:
    _diagnose(data, "meraki")


def aruba(data: bytes) -> None:
    _diagnose(data, "aruba")


def cisco_wlc(data: bytes) -> None:
    _diagnose(data, "cisco-wlc")


def unifi(data: bytes) -> None:
    _diagnose(data, "unifi")


def unifi_network(data: bytes) -> None:
    _diagnose(data, "unifi-network")


def windows(data: bytes) -> None:
    _diagnose(data, "windows", suffix=".xml")


def fortinet(data: bytes) -> None:
    _diagnose(data, "fortinet")


def fortinet_debug(data: bytes) -> None:
    _diagnose(data, "fortinet-debug")


def macos(data: bytes) -> None:
    _diagnose(data, "macos")


def omada(data: bytes) -> None:
    _diagnose(data, "omada")


def windows_text(data: bytes) -> None:
    _diagnose(data, "windows-text", suffix=".txt")


def windows_evtx(data: bytes) -> None:
    _diagnose(data, "windows-evtx", suffix=".evtx")


def windows_report(data: bytes) -> None:
    _diagnose(data, "windows-report", suffix=".html")


def windows_csv(data: bytes) -> None:
    _diagnose(data, "windows-csv", suffix=".csv")


def meraki_api(data: bytes) -> None:
    _diagnose(data, "meraki-api", suffix=".json")


def nps(data: bytes) -> None:
    _diagnose(data, "nps", suffix=".log")


def detect(data: bytes) -> None:
    """Auto-detection across every format (and the split of a file holding several)."""
    _diagnose(data, None)


def capture(data: bytes) -> None:
    """A capture read for diagnose with the key proof, and the proof alone."""
    _diagnose(data, "pcap", ".pcap", proof=True)


def gzipped(data: bytes) -> None:
    """A gzip input, whatever its compressed bytes hold (cut, corrupt, a bomb): read through or refused."""
    _diagnose(data, None, ".gz")


def candidates(data: bytes) -> None:
    """A candidate list: parsed, or refused with a documented message that quotes none of its lines."""
    done = _timed(len(data), "candidates")
    with _as_file(data, ".txt") as path:
        try:
            loaded = load_file(path)
        except CandidateError as exc:
            message = str(exc)
            said = message.split(": ", 1)[1] if ": " in message else message
            if not _CANDIDATE_MESSAGES.fullmatch(said):
                raise Finding(f"undocumented candidate message: {said[:200]!r}") from None
            text = data.decode("utf-8", "replace")
            for line in re.split(r"\r\n|\r|\n", text):
                word = line.strip()
                # (a passphrase is 8 characters or more; the messages' own words do not count)
                if len(word) >= 8 and word in said and word not in _CANDIDATE_MESSAGES.pattern:
                    raise Finding("a candidate message quotes a line of the list") from None
        else:
            for c in loaded:
                # (a label the list's writer chose may hold the passphrase's text: "o12345677: 12345677")
                shown = repr(c).replace(repr(c.label), "") + str(c).replace(c.label, "")
                if c.secret in shown:
                    raise Finding("a candidate shows its secret")
    done()


TARGETS: dict[str, Callable[[bytes], None]] = {
    "huawei": huawei,
    "hostap": hostap,
    "freeradius": freeradius,
    "espressif": espressif,
    "mikrotik": mikrotik,
    "meraki": meraki,
    "aruba": aruba,
    "cisco-wlc": cisco_wlc,
    "unifi": unifi,
    "unifi-network": unifi_network,
    "windows": windows,
    "fortinet": fortinet,
    "fortinet-debug": fortinet_debug,
    "macos": macos,
    "omada": omada,
    "meraki-api": meraki_api,
    "windows-text": windows_text,
    "windows-evtx": windows_evtx,
    "windows-report": windows_report,
    "windows-csv": windows_csv,
    "nps": nps,
    "detect": detect,
    "capture": capture,
    "gzip": gzipped,
    "candidates": candidates,
}


# ---------------------------------------------------------------------------------------------- seeds
SEED_MAX = 256 * 1024
_TEXT_DIRS = ("tests/data", "tests/kb")
_JSON_INPUTS = ("meraki-api",)  # folders whose .json files are inputs (elsewhere: expected outputs)
_CAPTURE_SUFFIXES = (".pcap", ".cap", ".pcapng", ".dump", ".hccapx")
_CANDIDATE_SEEDS = (
    b"# candidates\ncurrent: new-pass-2024\nold: old pass with spaces\nbare-passphrase\n",
    b"\xef\xbb\xbfcurrent: 12345678\r\n# the one before\r\nprevious: biscotte1\r\n",
    b"\\Summer: 2024rocks\n\\#hashtag-pass\npsk: "
    + b"f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e\n",
    b"ok: 12345678\nbadlabelname: seven77\n",
)


def _files(suffixes: tuple[str, ...] | None) -> Iterator[Path]:
    for top in _TEXT_DIRS:
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or path.stat().st_size > SEED_MAX or path.suffix in (".py", ".md", ".yml"):
                continue
            if path.suffix in (".yaml", ".gz") or "fuzz" in path.parts:
                continue
            if path.suffix == ".json" and path.parent.name not in _JSON_INPUTS:
                continue
            if (path.suffix in _CAPTURE_SUFFIXES) == (suffixes is not None):
                yield path


def seeds(target: str) -> Iterator[bytes]:
    """The test inputs a target starts from: every one of its kind in the project's tests."""
    from wlandoctor.parsers import detect as detect_format

    wanted = {
        "huawei": "huawei-ac",
        "hostap": "hostap",
        "freeradius": "freeradius",
        "espressif": "espressif",
        "mikrotik": "mikrotik",
        "meraki": "meraki",
        "aruba": "aruba",
        "cisco-wlc": "cisco-wlc",
        "unifi": "unifi",
        "unifi-network": "unifi-network",
        "windows": "windows",
        "fortinet": "fortinet",
        "fortinet-debug": "fortinet-debug",
        "macos": "macos",
        "omada": "omada",
        "meraki-api": "meraki-api",
        "windows-text": "windows-text",
        "windows-report": "windows-report",
        "windows-csv": "windows-csv",
        "nps": "nps",
    }
    if target == "candidates":
        yield from _CANDIDATE_SEEDS
    elif target == "capture":
        for path in _files(_CAPTURE_SUFFIXES):
            yield path.read_bytes()
    elif target == "windows-evtx":  # (kept gzipped in the tests: binary, and mostly empty chunks)
        for path in sorted((ROOT / "tests/data/windows-evtx").glob("*.evtx.gz")):
            yield gzip.decompress(path.read_bytes())
    elif target == "gzip":
        for i, path in enumerate(_files(None)):
            if i % 8 == 0:  # a sample: the gzip layer is the same whatever it holds
                yield gzip.compress(path.read_bytes())
    else:
        for path in _files(None):
            data = path.read_bytes()
            parser, _ = detect_format(data[:65536])
            if target == "detect" or (parser is not None and parser.name == wanted[target]):
                yield data
