"""Hostile and broken inputs: a clear message naming file and line, the rest still processed, no traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlandoctor.pipeline import diagnose_paths
from wlandoctor.sources import MAX_LINE, iter_lines, sanitize

ROOT = Path(__file__).parent.parent


def test_sanitize_makes_escapes_visible() -> None:
    assert sanitize("a\x1b[31mred\x1b[0m\x07") == "a\\x1b[31mred\\x1b[0m\\x07"
    assert sanitize("tab\tok") == "tab\tok"
    assert sanitize("c1 \x9b csi") == "c1 \\x9b csi"


def test_lines_crlf_fragments_and_binary() -> None:
    data = b"one\r\ntwo\n" + b"x" * (MAX_LINE + 10) + b"\nbin\x00ary\nlast"
    lines = list(iter_lines(io.BytesIO(data)))
    assert [(ln.number, ln.fragment) for ln in lines] == [(1, 0), (2, 0), (3, 0), (3, 1), (4, 0), (5, 0)]
    assert lines[0].text == "one" and lines[2].text == "x" * MAX_LINE and lines[3].text == "x" * 10
    assert lines[4].binary and not lines[5].binary and lines[5].text == "last"


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=2000)
)
@settings(max_examples=200, deadline=None)
def test_lines_never_lose_text(text: str) -> None:
    data = text.encode("utf-8")
    lines = list(iter_lines(io.BytesIO(data), max_line=64))
    rebuilt = b""
    for ln in lines:
        assert not ln.binary
        rebuilt += (b"" if ln.fragment or (not rebuilt and ln.number == 1) else b"\n") + ln.text.encode()
    # LF, CRLF and a lone CR all end a line
    expected = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if expected.endswith(b"\n"):
        expected = expected[:-1]
    # fragments may cut a multi-byte character: compare what survives decoding
    assert rebuilt.decode("utf-8", "replace").replace("\ufffd", "") == expected.decode(
        "utf-8", "replace"
    ).replace("\ufffd", "")


def test_each_bad_input_is_reported_and_the_good_one_still_diagnosed(tmp_path: Path, data: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(200_000))
    locked = tmp_path / "locked.log"
    locked.write_text("x")
    locked.chmod(0)
    folder = tmp_path / "emptydir"
    folder.mkdir()
    good = data / "huawei" / "founding-per-line.txt"
    paths = [str(p) for p in (empty, junk, locked, folder, tmp_path / "missing.log", good)]
    report = diagnose_paths(paths)
    by_source = {s.source: s for s in report.inputs}
    assert by_source[str(empty)].problems[0].message == "empty input"
    assert by_source[str(folder)].problems[0].message == "folder holds no files"
    assert by_source[str(tmp_path / "missing.log")].problems[0].message == "no such file or folder"
    if os.geteuid() != 0:  # root reads anything
        assert by_source[str(locked)].format == "unreadable"
    assert by_source[str(junk)].format in ("unknown", "huawei-ac", "hostap", "pcap")
    diag = next(d for d in report.diagnoses if d.station == "yyyy-yyyy-yyyy")
    assert diag.causes[0].id == "4way-m2-mic-mismatch/stale-cached-key"


def test_html_and_escapes_in_logs_never_reach_reports_raw(tmp_path: Path, data: Path) -> None:
    case = (data / "huawei" / "founding-per-line.txt").read_text()
    evil = case.replace(
        "[WPA] MIC is wrong.",
        "[WPA] MIC is wrong. <img src=x onerror=alert(1)> \x1b]0;pwned\x07 [bold]x[/bold]",
    )
    p = tmp_path / "evil.log"
    p.write_text(evil)
    out = tmp_path / "r.html"
    r = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(p), "--format", "html", "-o", str(out)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 1, r.stderr.decode()
    html = out.read_text()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "\x1b" not in html and "\\x1b]0;pwned" in html
    text = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(p), "--details"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert b"\x1b]0;pwned" not in text.stdout and b"\\x1b]0;pwned" in text.stdout
    assert b"[bold]x[/bold]" in text.stdout  # shown as text, not interpreted as markup


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_binary_only_input_exits_3_with_a_message(tmp_path: Path, fmt: str) -> None:
    p = tmp_path / "noise.bin"
    p.write_bytes(bytes(range(256)) * 64)
    r = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(p), "--format", fmt],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 3
    assert b"Traceback" not in r.stderr
    if fmt == "json":
        doc = json.loads(r.stdout)
        assert doc["inputs"][0]["problems"]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_reader_of_the_output_going_away_is_not_an_error(tmp_path: Path, fmt: str) -> None:
    """`wlandoctor diagnose ... | head`: when the reader closes the pipe, the run ends quietly (exit 1, as
    typer does for a closed pipe), not with an internal error."""
    trace = tmp_path / "trace.log"
    gen = [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", "2M"]
    subprocess.run(gen, check=True, timeout=120)
    proc = subprocess.Popen(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(trace), "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)  # the report has begun
    proc.stdout.close()  # the reader goes away long before the end (the report is megabytes)
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert b"internal error" not in err and b"Traceback" not in err, err


def test_decode_text_and_decode_line_agree() -> None:
    """The Huawei parser decodes its lines with decode_text (no Line object); what it gets must be what
    decode_line gives: the text, or binary data said as such."""
    from wlandoctor.sources import decode_line, decode_text

    samples = [
        b"<7>Mar 05 2021 18:06:10.270.1 AP01 WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][yyyy-yyyy-yyyy]:SeqNo[4264]",
        "AP caf\u00e9 \u00e9t\u00e9".encode("latin-1"),  # a Latin-1 log: a few bad bytes, still text
        b"\x00\x01\x02binary\xff\xfe" * 20,
        bytes(range(128, 256)),
        b"",
    ]
    for raw in samples:
        line = decode_line(7, raw)
        assert decode_text(raw) == (None if line.binary else line.text), raw
    assert decode_text(samples[1]) == "AP caf\ufffd \ufffdt\ufffd"
    assert decode_text(samples[2]) is None and decode_text(samples[3]) is None


def test_a_file_reached_twice_is_read_once(tmp_path: Path, data: Path) -> None:
    # named twice, and reached again through a link inside a folder: its events were counted twice
    good = tmp_path / "trace" / "founding.txt"
    good.parent.mkdir()
    good.write_bytes((data / "huawei" / "founding-per-line.txt").read_bytes())
    (good.parent / "same.txt").symlink_to(good)
    (good.parent / "loop").symlink_to(good.parent)  # (a link to its own folder is not followed)
    report = diagnose_paths([str(good), str(good.parent), str(good)])
    read = [(s.source, s.records > 0) for s in report.inputs]
    assert read[0] == (str(good), True)
    assert all(not ok for _, ok in read[1:]), read
    assert {p.message for s in report.inputs[1:] for p in s.problems} == {
        f"the same file as {good}: read once"
    }
    (diag,) = report.diagnoses
    assert len(diag.timeline.attempts) == len(diagnose_paths([str(good)]).diagnoses[0].timeline.attempts)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_read_like_stdin_but_never_inside_a_folder(tmp_path: Path, data: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = (data / "huawei" / "founding-per-line.txt").read_bytes()

    def writer() -> None:
        with open(fifo, "wb") as f:
            f.write(text)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    report = diagnose_paths([str(fifo)])  # what `wlandoctor diagnose <(zcat trace.gz)` hands over
    t.join(timeout=10)
    assert [(s.source, s.format) for s in report.inputs] == [(str(fifo), "huawei-ac")]
    assert report.diagnoses[0].station == "yyyy-yyyy-yyyy"
    # in a folder a pipe nobody writes to is not opened (that would wait forever)
    report = diagnose_paths([str(tmp_path)])
    assert [p.message for s in report.inputs for p in s.problems] == ["not a regular file"]


def test_gzip_inputs_are_read_through(tmp_path: Path, data: Path) -> None:
    import gzip

    from wlandoctor.capture.candidates import Candidate
    from wlandoctor.pipeline import Options

    plain = data / "huawei" / "founding-per-line.txt"
    gz = tmp_path / "founding.txt.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    (a,), (b,) = diagnose_paths([str(plain)]).diagnoses, diagnose_paths([str(gz)]).diagnoses
    assert [(c.id, c.confidence) for c in a.causes] == [(c.id, c.confidence) for c in b.causes]
    assert [e.line for e in a.causes[0].evidence] == [e.line for e in b.causes[0].evidence]
    # cut inside the compressed data: what was read is kept, the cut is said
    trace = tmp_path / "trace.txt"
    gen = [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "--size", "6M", "--seed", "4"]
    subprocess.run([*gen, "-o", str(trace)], check=True, timeout=120)
    cut = tmp_path / "cut.txt.gz"
    packed = gzip.compress(trace.read_bytes())
    cut.write_bytes(packed[: len(packed) * 3 // 4])
    report = diagnose_paths([str(cut)])
    (summary,) = report.inputs
    assert summary.records > 0 and len(report.diagnoses) > 100
    assert [p.message.split(" (")[0] for p in summary.problems][
        -1
    ] == "read error: compressed data cut short or corrupt"
    # a compressed capture is read; the key proof, which reads the capture a second time, says why not
    cap = tmp_path / "wpa2.eapol.cap.gz"
    cap.write_bytes(gzip.compress((data / "captures" / "wpa2.eapol.cap").read_bytes()))
    report = diagnose_paths([str(cap)], Options(candidates=[Candidate("current", "12345678", 1)]))
    (summary,) = report.inputs
    assert (summary.format, summary.records) == ("pcap", 5)
    assert [p.message for p in summary.problems] == [
        "key proof needs a capture file it can read again: not stdin, a pipe or a compressed file"
    ]


def test_gzip_progress_counts_the_file_on_disk(tmp_path: Path, data: Path) -> None:
    # (the progress bar's total is the inputs' size on disk: a gzip input counted its decompressed bytes)
    import gzip

    from wlandoctor.sources import Input

    gz = tmp_path / "founding.txt.gz"
    gz.write_bytes(gzip.compress((data / "huawei" / "founding-per-line.txt").read_bytes() * 50))
    inp = Input.from_path(gz)
    stream = inp.open()
    while stream.read(4096):
        assert inp.progress <= gz.stat().st_size
    assert inp.progress == gz.stat().st_size < inp.bytes_read
    stream.close()
    assert inp.progress == gz.stat().st_size  # (once closed it fell back to the decompressed count)


def test_byte_order_marks(tmp_path: Path, data: Path) -> None:
    # A UTF-8 byte-order mark (Notepad) was glued to the first line: a hostapd log lost its first event
    # without a word, a Huawei paste had its first line "not recognised".  A UTF-16 file gets a clear word.
    from wlandoctor.sources import Input

    for plain in (
        data / "hostap" / "openwrt_issue13787_wps_psk_mismatch.log",
        data / "huawei" / "founding-per-line.txt",
    ):
        marked = tmp_path / plain.name
        marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
        (a,), (b,) = diagnose_paths([str(plain)]).inputs, diagnose_paths([str(marked)]).inputs
        assert (b.format, b.records, b.skipped, b.problems) == (a.format, a.records, a.skipped, a.problems)
        # (the first byte range of a file split by station starts at byte 0 too)
        part = Input.from_range(str(marked), marked, 0, marked.stat().st_size, 1)
        assert part.open().read() == plain.read_bytes()
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes((data / "huawei" / "founding-per-line.txt").read_text().encode("utf-16"))
    (s,) = diagnose_paths([str(utf16)]).inputs
    assert [p.message for p in s.problems] == [
        "UTF-16 text: save it as UTF-8 (or convert: iconv -f UTF-16 -t UTF-8)"
    ]


@pytest.mark.parametrize(
    "real",
    [
        "hostap/haasmesh_issue2_psk_mismatch.log",
        "hostap/healthy_openwrt_logread_dhcp.log",
        "lab/wrong-password/radius.log",
        "../../examples/cached-pmk-case-study.txt",
        "real/client-arduino-esp32-wrong-psk-reason15/input.log",
    ],
)
@pytest.mark.parametrize("ending", [b"\r", b"\r\n"])
def test_cr_and_crlf_line_ends_read_as_lf(real: str, ending: bytes, tmp_path: Path) -> None:
    # old Mac tools and some web pastes end lines with a lone CR: every reader must see the same lines
    src = Path(__file__).parent / "data" / real
    data = src.read_bytes()
    other = tmp_path / src.name
    other.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", ending))

    def seen(path: Path) -> list[tuple[str, str, str | None, list[int]]]:
        report = diagnose_paths([str(path)])
        return sorted(
            (
                d.station,
                str(d.verdict),
                str(d.stage) if d.stage else None,
                [e.ref.line for a in d.timeline.attempts for e in a.events],
            )
            for d in report.diagnoses
        )

    assert seen(other) == seen(src) != []


def test_a_crlf_cut_by_a_read_is_one_line_end() -> None:
    from wlandoctor.sources.lines import iter_raw_lines

    data = b"first\r" + b"\nsecond\rthird\r\n"
    lines = [(n, raw) for n, raw, _ in iter_raw_lines(io.BytesIO(data), max_line=1024)]
    assert lines == [(1, b"first"), (2, b"second"), (3, b"third")]
    # the same bytes read in blocks that cut the CRLF in two
    import wlandoctor.sources.lines as lines_mod

    old = lines_mod._CHUNK
    lines_mod._CHUNK = 6
    try:
        cut = [(n, raw) for n, raw, _ in iter_raw_lines(io.BytesIO(data), max_line=1024)]
    finally:
        lines_mod._CHUNK = old
    assert cut == lines


def test_bidirectional_controls_never_reach_a_report(tmp_path: Path) -> None:
    # an SSID or a station id with U+202E (right-to-left override) would show an evidence line reordered
    log = tmp_path / "bidi.log"
    log.write_bytes(
        b"1795000000.1: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: authenticated\n"
        b"1795000000.2: wlan0: AP-STA-POSSIBLE-PSK-MISMATCH 02:11:22:33:44:55 \xe2\x80\xaeevil\n"
    )
    for fmt in ("text", "json", "html", "markdown"):
        out = subprocess.run(
            [sys.executable, "-m", "wlandoctor", "diagnose", str(log), "--format", fmt, "--exit-zero"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
        assert "\u202e" not in out.stdout + out.stderr, fmt
        assert "u202e" in out.stdout, fmt  # shown, made visible


def test_usage_errors_and_internal_errors_keep_their_exit_codes(tmp_path: Path) -> None:
    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wlandoctor", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )

    assert run("rules", "show", "no-such-rule").returncode == 2
    log = tmp_path / "a.log"
    log.write_text("1795000000.1: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: authenticated\n")
    r = run("timeline", str(log), "-s", "02:11:22:33:44:55", "--format", "html")
    assert r.returncode == 2 and "text or json" in r.stderr
    # an internal error under WLANDOCTOR_DEBUG=1: the traceback, and still exit code 4 (1 means "failed")
    boom = tmp_path / "sitecustomize.py"
    boom.write_text(
        "import wlandoctor.pipeline as p\n"
        "def _boom(*a, **k):\n    raise RuntimeError('boom')\n"
        "p.diagnose_paths = _boom\n"
        "import wlandoctor.cli.diagnose_cmd as d\nd.diagnose_paths = _boom\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    r = run("diagnose", str(log), env=env)
    assert r.returncode == 4 and "internal error" in r.stderr and "Traceback" not in r.stderr
    r = run("diagnose", str(log), env={**env, "WLANDOCTOR_DEBUG": "1"})
    assert r.returncode == 4 and "Traceback" in r.stderr and "boom" in r.stderr


def test_json_text_escapes_what_a_terminal_would_act_on() -> None:
    from wlandoctor.report.json_report import safe

    raw = json.dumps({"label": "a\x7fb\x9b31mc\u202ed\u2028e é 中"}, ensure_ascii=False)
    out = safe(raw)
    assert json.loads(out) == json.loads(raw)  # the same data
    assert not any(c in out for c in "\x7f\x9b\u202e\u2028")
    assert "é 中" in out  # UTF-8 kept as is


def test_invisible_format_characters_are_made_visible_everywhere() -> None:
    # (zero-width spaces and joiners, word joiners, a BOM inside a line: they hide or join text in an
    # evidence line; found by the fuzzer in a Windows report's message)
    from wlandoctor.report.json_report import safe
    from wlandoctor.sources import sanitize

    hidden = "S\u200bSID \u200dx\u2060y\u2064 \ufeffz"
    shown = sanitize(hidden)
    assert not any(c in shown for c in "\u200b\u200d\u2060\u2064\ufeff")
    assert "\\u200b" in shown and "\\ufeff" in shown
    raw = json.dumps({"ssid": hidden}, ensure_ascii=False)
    assert json.loads(safe(raw)) == {"ssid": hidden} and "\ufeff" not in safe(raw)


def test_a_file_name_with_escape_sequences_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    log = tmp_path / "x\x1b[31mred\x1b[0m.log"
    log.write_bytes(
        b"1795000000.1: wlan0: STA 02:11:22:33:44:55 IEEE 802.11: authenticated\n\x00\x01 binary\n"
    )
    for args in (
        ["timeline", str(log), "-s", "02:11:22:33:44:55"],
        ["diagnose", str(log), "--format", "json", "-o", str(tmp_path / "out.json"), "--exit-zero"],
        ["diagnose", str(log), "--exit-zero"],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "wlandoctor", *args], capture_output=True, text=True, check=False
        )
        assert "\x1b" not in out.stdout + out.stderr, args
        assert "\\x1b[31mred" in out.stdout + out.stderr, args  # named, made visible


def test_a_gzip_bomb_stops_at_the_expansion_bound_and_says_so(tmp_path: Path, data: Path) -> None:
    import gzip

    from wlandoctor.pipeline import Options

    # a real log, then 8 MiB of blank lines: 300:1 and more once compressed
    head = (data / "huawei" / "founding-per-line.txt").read_bytes()
    bomb = tmp_path / "trace.txt.gz"
    bomb.write_bytes(gzip.compress(head + b"\n" * (8 * 1024 * 1024), 9))
    assert bomb.stat().st_size * 300 < 8 * 1024 * 1024
    report = diagnose_paths([str(bomb)])
    (summary,) = report.inputs
    assert len(report.diagnoses) == 1  # what came before the bound is diagnosed
    assert summary.problems[-1].message.startswith(
        "decompressed data reached 200 times the file's size and reading stopped there"
    )
    # raised on request: read to the end, no problem
    report = diagnose_paths([str(bomb)], Options(max_expansion=1_000_000))
    assert not report.inputs[0].problems
    r = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", str(bomb), "-f", "json", "--max-expansion", "10"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "10 times the file's size" in r.stderr and r.returncode == 1


def test_progress_lines_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from wlandoctor.cli import common

    now = [0.0]
    buf = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=buf, force_terminal=False, soft_wrap=True))
    update = common.progress_lines(lambda: now[0], every=60)
    update("trace.txt", 10 * 1024 * 1024, 40 * 1024 * 1024)  # before a minute: nothing
    now[0] = 61
    update("trace.txt", 20 * 1024 * 1024, 40 * 1024 * 1024)
    update("trace.txt", 21 * 1024 * 1024, 40 * 1024 * 1024)  # within the next minute: nothing
    now[0] = 125
    update("<stdin>", 30 * 1024 * 1024, None)
    assert buf.getvalue().splitlines() == [
        "reading trace.txt: 20 MiB of 40 MiB (50 %)",
        "reading <stdin>: 30 MiB",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "examples/cached-pmk-case-study.txt"],
        ["timeline", "examples/cached-pmk-case-study.txt", "-s", "3c22-fb5e-9a10"],
        ["verify", "tests/data/captures/wpa2.eapol.cap"],
    ],
)
def test_every_command_refuses_an_unknown_format_in_one_line(args: list[str]) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args, "--format", "bogus"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert r.returncode == 2
    assert "bogus" in r.stderr and "Traceback" not in r.stderr


def test_a_reader_defect_is_a_problem_of_that_input_and_the_run_goes_on(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wlandoctor.parsers import huawei
    from wlandoctor.pipeline import INTERNAL_ERROR

    def defect(*_args: object) -> None:
        raise ValueError("a defect of the reader")

    monkeypatch.setattr(huawei._Run, "online_fail_row", defect)
    founding = data / "huawei" / "founding-per-line.txt"
    hostapd = data / "hostap" / "healthy_hostapd_dd_wpa2psk.log"
    report = diagnose_paths([str(founding), str(hostapd)])
    broken, healthy = report.inputs
    assert (
        broken.problems[-1].message
        == f"{INTERNAL_ERROR} while reading (ValueError): what was read before is kept"
    )
    assert healthy.records > 0 and not [p for p in healthy.problems if INTERNAL_ERROR in p.message]
    assert any(d.verdict == "online" for d in report.diagnoses)


def test_the_output_files_extension_gives_the_format(tmp_path: Path) -> None:
    """`-o report.html` without `-f` writes HTML (it wrote terminal text into the .html file); .md, .json
    and .jsonl likewise; an explicit -f wins; any other name gets text."""
    example = ROOT / "examples" / "cached-pmk-case-study.txt"
    starts = {
        "r.html": "<!DOCTYPE html>",
        "r.md": "# wlandoctor report",
        "r.json": "{",
        "r.jsonl": "{",
        "r.txt": "",
    }
    for name, start in starts.items():
        out = tmp_path / name
        run = subprocess.run(
            [sys.executable, "-m", "wlandoctor", "diagnose", str(example), "-o", str(out), "--exit-zero"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        text = out.read_text(encoding="utf-8")
        assert text.startswith(start), (name, text[:80])
        if name == "r.txt":
            assert not text.startswith(("<", "{", "#"))
    forced = tmp_path / "forced.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "wlandoctor",
            "diagnose",
            str(example),
            "-f",
            "json",
            "-o",
            str(forced),
            "--exit-zero",
        ],
        check=True,
        timeout=120,
    )
    assert forced.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(
    "command", ["diagnose", "timeline", "verify", "rules", "formats", "unknown", "collect"]
)
def test_help_speaks_of_values_not_python_types(command: str) -> None:
    """Help names what a value is (TEXT, PATH, N), never Python's types ("<str>", "<list[str]>", "<bool>")."""
    run = subprocess.run(
        [sys.executable, "-m", "wlandoctor", command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert run.returncode == 0, run.stderr
    for python_type in ("<str>", "<bool>", "<int>", "<float>", "<path>", "list[str]", "<list"):
        assert python_type not in run.stdout, (command, python_type)


def test_rules_show_prints_the_rules_own_yaml_and_its_fixtures() -> None:
    """`rules show` gives the condition as the rule file writes it (YAML), not Python's dict notation, and
    where its fixtures are."""
    import yaml

    run = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "rules", "show", "4way-cut-short"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert "{'" not in run.stdout
    block = run.stdout[run.stdout.index("when:") : run.stdout.index("\n- ")]
    assert yaml.safe_load(block)["when"]["all"][0] == {"context": "cut-short"}
    assert "+0.15 if {event: sta.disassoc, where: {daemon: client-driver}}" in run.stdout
    assert "tests/kb/4way-cut-short/" in run.stdout


def test_rules_list_is_one_line_per_rule_and_filters() -> None:
    def rules_list(*args: str) -> list[str]:
        run = subprocess.run(
            [sys.executable, "-m", "wlandoctor", "rules", "list", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "COLUMNS": "80"},
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.splitlines()

    from wlandoctor.kb.loader import load_rules

    every = rules_list()
    assert len(every) == len(load_rules()) + 2  # (the head and the count: no wrapped lines)
    assert (
        every[-1]
        == f"{len(load_rules())} of {len(load_rules())} rules; `wlandoctor rules show ID` for one in full"
    )
    assert not any(c in "\n".join(every) for c in "┏━│")  # (plain layout when not on a terminal)
    dot1x = rules_list("--stage", "802.1x")
    assert dot1x[1:-1] and all(" 802.1x " in line for line in dot1x[1:-1])
    assert any(
        line.startswith(" 4way-cut-short ") or line.startswith("4way-cut-short ")
        for line in rules_list("cut short")
    )
    windows = [line.split()[0] for line in rules_list("--platform", "windows")[1:-1]]
    assert "4way-m2-mic-mismatch" in windows and "dhcp-nak" not in windows
    bad = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "rules", "list", "--stage", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "unknown stage" in bad.stderr


def test_shell_completion_completes_commands_and_options() -> None:
    """`wlandoctor --install-completion` installs what this test drives: bash's completion protocol."""

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_WLANDOCTOR_COMPLETE": "complete_bash", "COMP_WORDS": words}
        env["COMP_CWORD"] = str(len(words.split()) - 1)
        script = (
            Path(sys.executable).parent / "wlandoctor"
        )  # (the installed command: its name keys the protocol)
        run = subprocess.run([str(script)], capture_output=True, text=True, timeout=60, check=False, env=env)
        return run.stdout.split()

    assert complete("wlandoctor dia") == ["diagnose"]
    assert complete("wlandoctor sta") == ["stations"]
    assert complete("wlandoctor diagnose --ver") == ["--verdict"]


def test_quiet_leaves_only_the_report() -> None:
    example = str(ROOT / "examples" / "cached-pmk-case-study.txt")
    loud = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", example, "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    quiet = subprocess.run(
        [sys.executable, "-m", "wlandoctor", "diagnose", example, "-f", "json", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "warning:" in loud.stderr and quiet.stderr == ""
    assert quiet.returncode == loud.returncode == 1
    assert json.loads(quiet.stdout)["inputs"][0]["problems"]  # (the report still lists them)
