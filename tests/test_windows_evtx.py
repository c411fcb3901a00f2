"""Windows event logs as .evtx files (parsers/windows_evtx.py): detected by their magic, read through the
evtx library and the XML reader, damaged chunks and copies cut short said with their record, and a file
of another log said with what it holds."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import pytest

from readers import read
from wlandoctor.parsers import by_name, detect
from wlandoctor.pipeline import diagnose_paths

EVTX = Path(__file__).parent / "data" / "windows-evtx"
APPLICATION = EVTX / "application-no-crc32.evtx.gz"  # one chunk, 17 records of the Application log
BAD_CHUNK = EVTX / "appx-bad-chunk-magic.evtx.gz"  # 16 chunks, two with a broken magic


def _plain(src: Path, tmp_path: Path) -> Path:
    """The fixture as the .evtx file Windows writes (the repository keeps them gzipped)."""
    out = tmp_path / src.name.removesuffix(".gz")
    out.write_bytes(gzip.decompress(src.read_bytes()))
    return out


def test_an_evtx_file_is_told_by_its_magic(tmp_path: Path) -> None:
    path = _plain(APPLICATION, tmp_path)
    parser, score = detect(path.read_bytes()[:65536])
    assert parser is not None and parser.name == "windows-evtx" and score == 100
    assert by_name("windows-evtx").sniff(b"ElfChnk\x00" + b"\x00" * 100) == 0  # type: ignore[union-attr]


def test_a_file_of_another_log_is_read_whole_and_said(tmp_path: Path) -> None:
    events, summary = read("windows-evtx", _plain(APPLICATION, tmp_path))
    assert events == [] and summary.records == 17 and summary.problems == []
    [note] = summary.notes
    assert "17 event records, none from Microsoft-Windows-WLAN-AutoConfig" in note
    assert "(this is the Application log)" in note and "Microsoft-Windows-Security-SPP ×6" in note
    assert "wevtutil epl Microsoft-Windows-WLAN-AutoConfig/Operational" in note


def test_a_gzipped_file_is_read_the_same(tmp_path: Path) -> None:
    report = diagnose_paths([str(APPLICATION)])
    [inp] = report.inputs
    assert inp.format == "windows-evtx" and inp.records == 17 and inp.problems == []


def test_damaged_chunks_are_problems_and_the_rest_is_read() -> None:
    report = diagnose_paths([str(BAD_CHUNK)])
    [inp] = report.inputs
    assert inp.records == 270  # (every record of the 14 good chunks)
    damaged = [p for p in inp.problems if "damaged" in p.message]
    assert len(damaged) == 2 and all(p.line > 0 for p in damaged)
    assert all("Invalid EVTX chunk header magic" in p.message for p in damaged)
    assert "AppXDeployment/Operational log" in inp.notes[0]


def test_a_copy_cut_short_is_said(tmp_path: Path) -> None:
    whole = _plain(BAD_CHUNK, tmp_path).read_bytes()
    cut = tmp_path / "cut.evtx"
    cut.write_bytes(whole[: 4096 + 3 * 65536])  # (3 of the 16 chunks its header counts)
    report = diagnose_paths([str(cut)])
    [inp] = report.inputs
    assert any("cut short" in p.message and "3.0 of the 16 chunks" in p.message for p in inp.problems)
    assert inp.records > 0
    mid = tmp_path / "mid.evtx"
    mid.write_bytes(whole[: 4096 + 65536 + 1000])
    report = diagnose_paths([str(mid)])
    assert any("ends inside a chunk" in p.message for p in report.inputs[0].problems)


@pytest.mark.parametrize("size", [0, 8, 100, 4095])
def test_a_header_alone_or_less_is_a_problem_not_a_crash(tmp_path: Path, size: int) -> None:
    whole = _plain(APPLICATION, tmp_path).read_bytes()
    path = tmp_path / "short.evtx"
    path.write_bytes(whole[: max(size, 8)])
    report = diagnose_paths([str(path)])
    [inp] = report.inputs
    assert inp.problems and inp.problems[0].line == 0 and report.diagnoses == []


def test_garbage_after_the_magic_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "junk.evtx"
    path.write_bytes(b"ElfFile\x00" + bytes(range(256)) * 64)
    report = diagnose_paths([str(path)])
    [inp] = report.inputs
    assert inp.format == "windows-evtx" and inp.problems


def test_without_the_library_the_file_is_named_and_the_way_out_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_evtx(name: str, *args: object, **kwargs: object) -> object:
        if name == "evtx":
            raise ImportError("No module named 'evtx'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_evtx)
    path = _plain(APPLICATION, tmp_path)
    report = diagnose_paths([str(path)])
    [inp] = report.inputs
    [problem] = inp.problems
    assert "pip install 'wlandoctor[windows]'" in problem.message and "/f:xml" in problem.message


def test_problems_name_records_not_lines() -> None:
    from wlandoctor.report.data import problem_where

    assert problem_where({"line": 46741}, {"format": "windows-evtx"}) == "record 46741"
    assert problem_where({"line": 3}, {"format": "pcap"}) == "frame 3"


def test_a_named_pipe_is_copied_then_read(tmp_path: Path) -> None:
    # (stdin and pipes cannot seek: the reader copies them to a temporary file first)
    from wlandoctor.model import InputSummary
    from wlandoctor.sources import Input

    def copies() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("wlandoctor-evtx-*"))

    before = copies()
    data = gzip.decompress(APPLICATION.read_bytes())
    summary = InputSummary("<stdin>", "windows-evtx")
    parser = by_name("windows-evtx")
    assert parser is not None
    events = list(parser.parse(Input.from_bytes("<stdin>", data), summary))
    assert events == [] and summary.records == 17 and summary.problems == []
    assert copies() == before  # (the copy is removed)
