"""Events as bytes, to hand them from the process that read them to the one that builds their stations;
and diagnoses, to hand them back to the one that writes the report.

Pickling events object by object cost more than a second core gave back (docs/performance.md): the
receiver rebuilt every event through a Python call per object.  Here events are flattened to tuples of
plain values and written with ``marshal`` (C, no per-object calls) in records of ``CHUNK`` events, to a
file or to memory, so neither side holds a whole stream twice.  A record whose attribute values
``marshal`` cannot write (an enum, a custom object) is written with ``pickle`` instead: slower, never
wrong.  Both ends run the same Python version, which ``marshal`` requires (the Dask engine checks it).
"""

from __future__ import annotations

import io
import marshal
import pickle
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from wlandoctor.model import (
    Attempt,
    Cause,
    Diagnosis,
    Event,
    Evidence,
    Outcome,
    SourceRef,
    Stage,
    StationTimeline,
)

CHUNK = 4096  # events per record
_MARSHAL = b"M"
_PICKLE = b"P"
_HEADER = struct.Struct("<cQ")  # each record: its tag and its length in bytes
_STAGES: dict[str, Stage] = {s.value: s for s in Stage}
_OUTCOMES: dict[str, Outcome] = {o.value: o for o in Outcome}
DIAGNOSES_CHUNK = 512

# Where a stream was written: a file (its path) or memory (its bytes).
StreamRef = str | bytes


def flat(e: Event) -> tuple[Any, ...]:
    r = e.ref
    return (e.kind, e.station, e.stage.value, r.source, r.line, r.text, e.time, e.seq, e.ap, e.bssid,
            e.radio, e.wlan, e.ssid, e.attrs or None)  # fmt: skip


def event(t: tuple[Any, ...]) -> Event:
    k, st, sg, src, line, text, time, seq, ap, bssid, radio, wlan, ssid, attrs = t
    return Event(k, st, _STAGES[sg], SourceRef(src, line, text), time, seq, ap, bssid, radio, wlan, ssid,
                 attrs if attrs is not None else {})  # fmt: skip


class EventStream:
    """Events written in order, ``CHUNK`` at a time, to ``path`` (created on the first record) or to
    memory when ``path`` is None."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.count = 0
        self._pending: list[tuple[Any, ...]] = []
        self._file: BinaryIO | None = None
        self._memory = io.BytesIO() if path is None else None

    def add(self, e: Event) -> None:
        self._pending.append(flat(e))
        if len(self._pending) >= CHUNK:
            self._flush()

    def extend(self, events: Iterable[Event]) -> None:
        for e in events:
            self.add(e)

    def _flush(self) -> None:
        if not self._pending:
            return
        out: BinaryIO | None = self._memory
        if out is None:
            if self._file is None:
                assert self.path is not None
                self._file = open(self.path, "wb")  # noqa: SIM115 - closed in close()
            out = self._file
        _record(out, self._pending)
        self.count += len(self._pending)
        self._pending = []

    def close(self) -> StreamRef:
        """Flush what is pending; the reference ``read_events`` takes (b"" for a stream of no event)."""
        self._flush()
        if self._memory is not None:
            return self._memory.getvalue()
        if self._file is None:
            return b""
        self._file.close()
        assert self.path is not None
        return str(self.path)


def read_events(ref: StreamRef) -> Iterator[Event]:
    """The events of a stream, in the order written, one record in memory at a time."""
    if not ref:
        return
    with open(ref, "rb") if isinstance(ref, str) else io.BytesIO(ref) as stream:
        while header := stream.read(_HEADER.size):
            tag, size = _HEADER.unpack(header)
            # loads on the record's bytes: marshal.load on the file itself reads it in many small calls (4x).
            records = (pickle.loads if tag == _PICKLE else marshal.loads)(stream.read(size))
            for t in records:
                yield event(t)


def _record(stream: BinaryIO, value: list[tuple[Any, ...]]) -> None:
    try:
        data = marshal.dumps(value)
        tag = _MARSHAL
    except ValueError:  # an attribute value marshal cannot write
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        tag = _PICKLE
    stream.write(_HEADER.pack(tag, len(data)))
    stream.write(data)


# ---- diagnoses, handed back from a partition to the command that writes the report -----------------
# (pickle took 5 s for 26,000 stations on the dense benchmark trace: a Python call per dataclass)


def _flat_attempt(a: Attempt) -> tuple[Any, ...]:
    return (
        a.number,
        [flat(e) for e in a.events],
        a.outcome.value,
        a.reached.value if a.reached is not None else None,
        a.failed_stage.value if a.failed_stage is not None else None,
        a.dropped_events,
        a.span,
        a.online_by,
    )


def _attempt(t: tuple[Any, ...]) -> Attempt:
    n, events, outcome, reached, failed, dropped, span, online_by = t
    return Attempt(
        n,
        [event(e) for e in events],
        _OUTCOMES[outcome],
        _STAGES[reached] if reached is not None else None,
        _STAGES[failed] if failed is not None else None,
        dropped,
        span,
        online_by,
    )


_MAX_SHARED = 65_536  # distinct name sets kept for sharing while diagnoses are unpacked


def _flat_cause(c: Cause) -> tuple[Any, ...]:
    return (c.id, c.rule, c.title, c.stage.value, c.confidence, c.why_confidence, c.explanation, c.fix,
            c.confirm, [(v.source, v.line, v.text, v.kind) for v in c.evidence], c.references, c.attempt,
            c.extra)  # fmt: skip


def _cause(t: tuple[Any, ...]) -> Cause:
    cid, rule, title, stage, conf, why, expl, fix, confirm, evidence, refs, attempt, extra = t
    return Cause(cid, rule, title, _STAGES[stage], conf, why, expl, fix, confirm,
                 [Evidence(*v) for v in evidence], refs, attempt, extra)  # fmt: skip


def flat_diagnosis(d: Diagnosis) -> tuple[Any, ...]:
    tl = d.timeline
    return (
        d.station,
        d.verdict.value,
        d.stage.value if d.stage is not None else None,
        (
            tl.station,
            [_flat_attempt(a) for a in tl.attempts],
            tl.ssids,
            tl.aps,
            tl.sources,
            tl.attempts_dropped,
            tl.dropped_outcomes,
        ),
        [_flat_cause(c) for c in d.causes],
        d.online_evidence,
        d.unread_count,
        d.unread,
    )


def diagnosis(t: tuple[Any, ...], names: dict[frozenset[str], frozenset[str]] | None = None) -> Diagnosis:
    """``names``: the name sets already made, shared by the stations that have the same (a million stations
    handed back hold a few thousand distinct sets)."""
    (
        station,
        verdict,
        stage,
        (tst, attempts, ssids, aps, sources, a_dropped, outcomes),
        causes,
        online,
        n,
        unread,
    ) = t
    shared = names if names is not None else {}
    ssids, aps, sources = (shared.setdefault(fs, fs) for fs in map(frozenset, (ssids, aps, sources)))
    timeline = StationTimeline(tst, [_attempt(a) for a in attempts], ssids, aps, sources, a_dropped, outcomes)
    if len(shared) > _MAX_SHARED:
        shared.clear()
    return Diagnosis(station, _OUTCOMES[verdict], _STAGES[stage] if stage is not None else None, timeline,
                     [_cause(c) for c in causes], online, n, [tuple(u) for u in unread])  # fmt: skip


def pack_diagnoses(diagnoses: Iterable[Diagnosis]) -> bytes:
    """Diagnoses as bytes, in records of DIAGNOSES_CHUNK (``unpack_diagnoses`` reads them one at a time)."""
    out = io.BytesIO()
    batch: list[tuple[Any, ...]] = []
    for d in diagnoses:
        batch.append(flat_diagnosis(d))
        if len(batch) >= DIAGNOSES_CHUNK:
            _record(out, batch)
            batch = []
    if batch:
        _record(out, batch)
    return out.getvalue()


def unpack_diagnoses(data: bytes) -> Iterator[Diagnosis]:
    stream = io.BytesIO(data)
    names: dict[frozenset[str], frozenset[str]] = {}
    while header := stream.read(_HEADER.size):
        tag, size = _HEADER.unpack(header)
        for t in (pickle.loads if tag == _PICKLE else marshal.loads)(stream.read(size)):
            yield diagnosis(t, names)
