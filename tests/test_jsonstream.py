"""Records of a JSON input, one at a time (parsers/jsonstream.py): the forms an API's output is saved in,
the line each record starts on, and what cannot be read said with its line while the rest is read."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from wlandoctor.parsers.jsonstream import MAX_VALUE, Bad, iter_records

DATA = Path(__file__).parent / "data" / "meraki-api"


def _read(text: str | bytes) -> list[tuple[int, object]]:
    raw = text.encode() if isinstance(text, str) else text
    return [(n, r.why if isinstance(r, Bad) else r) for n, r in iter_records(io.BytesIO(raw))]


def test_the_saved_forms_of_an_api_response() -> None:
    pretty = _read((DATA / "openapi-v0-failed-connections.json").read_text())
    assert [n for n, _ in pretty] == [2, 11, 20, 29, 38, 47]  # (each record's opening brace)
    records = [r for _, r in pretty]
    assert isinstance(records[0], dict) and records[0]["clientMac"] == "00:61:71:c8:51:27"
    minified = _read(json.dumps(records))
    assert [r for _, r in minified] == records and {n for n, _ in minified} == {1}
    lines = _read("\n".join(json.dumps(r) for r in records) + "\n")
    assert [n for n, _ in lines] == [1, 2, 3, 4, 5, 6]
    envelope = _read((DATA / "openapi-v1-events-envelope.json").read_text())
    assert [(n, r["type"]) for n, r in envelope if isinstance(r, dict)] == [(6, "association")]
    assert len(envelope) == 1  # (the envelope's own keys are not records)


def test_what_cannot_be_read_is_said_with_its_line_and_the_rest_is_read() -> None:
    got = _read('[{"type": "a"},\n{"type": tru},\n{"type": "c"}]')
    assert got == [(1, {"type": "a"}), (2, "not valid JSON (Expecting value)"), (3, {"type": "c"})]
    got = _read('{"type": "a"}\n<html>\n{"type": "c"')
    assert got == [
        (1, {"type": "a"}),
        (2, "'<' where a JSON record should start"),
        (3, "the input ends inside a JSON record"),
    ]
    got = _read(b'{"type": "a"}\n\x00\x01\x02\xff\n{"type": "b"}\n')
    assert got[0] == (1, {"type": "a"}) and got[-1] == (3, {"type": "b"})
    assert _read('[{"a": 1}') == [(1, {"a": 1}), (1, "the input ends inside its array of records")]


def test_hostile_records_are_bounded() -> None:
    huge = '[{"type": "x", "pad": "' + "a" * (MAX_VALUE + 10) + '"},\n{"type": "ok"}]'
    got = _read(huge)
    assert got[0] == (1, f"a JSON record longer than {MAX_VALUE} characters, skipped")
    assert (2, {"type": "ok"}) in got
    deep = _read("[" * 100_000 + "\n" + '{"type": "ok"}')
    assert any("nested too deeply" in str(r) or "ends inside" in str(r) for _, r in deep)


def test_time_is_linear_in_the_size_of_the_input() -> None:
    """Twice the records take about twice the time (a retry of an unfinished record doubles what it waits
    for; consumed text is dropped), in every saved form."""
    record = {
        "occurredAt": "2022-04-25T13:56:22.106483Z",
        "type": "association",
        "eventData": {"channel": "1"},
    }
    # (the best of five of the process's CPU time: one wall-clock sample of 40 ms moved 3.8-fold on a
    # machine busy with other work, as a collector's pause or a wait for the CPU can make it)
    for dump in (lambda n: json.dumps([record] * n, indent=2), lambda n: json.dumps([record] * n)):
        times = []
        for n in (20_000, 40_000):
            text = dump(n).encode()
            best = float("inf")
            for _ in range(5):
                start = time.process_time()
                assert sum(1 for _ in iter_records(io.BytesIO(text))) == n
                best = min(best, time.process_time() - start)
            times.append(best)
        assert times[1] < times[0] * 3.5, times
