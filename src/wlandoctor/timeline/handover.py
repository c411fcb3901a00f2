"""A partial timeline as bytes, to hand it from a worker process to the one that joins the parts.

Pickling events object by object cost more than the second core gave back (docs/performance.md): the
parent rebuilt every event through a Python call.  Here each station's state is flattened to tuples of
plain values and written with ``marshal`` (C, no per-object calls) as one record of a stream (a
temporary file), so neither side ever holds a whole part twice; the parent rebuilds and joins one
station at a time.  A station whose attribute values ``marshal`` cannot write (an enum, a custom object)
is written with ``pickle`` instead: slower, never wrong.  Both ends are the same interpreter, which is
what ``marshal`` requires.
"""

from __future__ import annotations

import marshal
import pickle
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

from wlandoctor.model import Attempt, Event, Outcome, SourceRef, Stage
from wlandoctor.timeline.builder import COMPACT_AT, Partial, _StationAcc

_MARSHAL = b"M"
_PICKLE = b"P"
_HEADER = struct.Struct("<cQ")  # each record: its tag and its length in bytes
_STAGES: dict[str, Stage] = {s.value: s for s in Stage}
_OUTCOMES: dict[str, Outcome] = {o.value: o for o in Outcome}


def _flat(e: Event) -> tuple[Any, ...]:
    r = e.ref
    return (e.kind, e.station, e.stage.value, r.source, r.line, r.text, e.time, e.seq, e.ap, e.bssid,
            e.radio, e.wlan, e.ssid, e.attrs or None)  # fmt: skip


def _event(t: tuple[Any, ...]) -> Event:
    k, st, sg, src, line, text, time, seq, ap, bssid, radio, wlan, ssid, attrs = t
    return Event(k, st, _STAGES[sg], SourceRef(src, line, text), time, seq, ap, bssid, radio, wlan, ssid,
                 attrs if attrs is not None else {})  # fmt: skip


def _flat_attempt(a: Attempt) -> tuple[Any, ...]:
    return (
        a.number,
        [_flat(e) for e in a.events],
        a.outcome.value,
        a.reached.value if a.reached is not None else None,
        a.failed_stage.value if a.failed_stage is not None else None,
        a.dropped_events,
        a.span,
    )


def _attempt(t: tuple[Any, ...]) -> Attempt:
    n, events, outcome, reached, failed, dropped, span = t
    return Attempt(
        number=n,
        events=[_event(e) for e in events],
        outcome=_OUTCOMES[outcome],
        reached=_STAGES[reached] if reached is not None else None,
        failed_stage=_STAGES[failed] if failed is not None else None,
        dropped_events=dropped,
        span=span,
    )


def write(partial: Partial, stream: BinaryIO) -> None:
    """Write the partial to ``stream``, one record per station.  Stations are taken out of the partial
    as they are written, so the worker never holds its state twice."""
    accs, globals_ = partial
    for acc in _drain(accs):
        _record(stream, ("s", _flat_station(acc)))
    _record(stream, ("g", [_flat(e) for e in globals_]))


def read(stream: BinaryIO) -> Iterator[tuple[str, Any]]:
    """The records of ``write``, one at a time: ``("station", _StationAcc)``, then ``("globals", events)``."""
    while header := stream.read(_HEADER.size):
        tag, size = _HEADER.unpack(header)
        # loads on the record's bytes: marshal.load on the file itself reads it in many small calls (4x).
        kind, value = (pickle.loads if tag == _PICKLE else marshal.loads)(stream.read(size))
        if kind == "s":
            yield "station", _station(value)
        else:
            yield "globals", [_event(t) for t in value]


def _record(stream: BinaryIO, value: tuple[str, Any]) -> None:
    try:
        data = marshal.dumps(value)
        tag = _MARSHAL
    except ValueError:  # an attribute value marshal cannot write
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        tag = _PICKLE
    stream.write(_HEADER.pack(tag, len(data)))
    stream.write(data)


def _drain(accs: dict[str, _StationAcc]) -> Iterator[_StationAcc]:
    while accs:
        yield accs.popitem()[1]


def _flat_station(acc: _StationAcc) -> tuple[Any, ...]:
    return (
        acc.station,
        [_flat(e) for e in acc.open_events],
        [_flat_attempt(a) for a in acc.closed],
        _flat_attempt(acc.head) if acc.head is not None else None,
        [_flat(e) for e in acc.summaries],
        acc.summaries_dropped,
        list(acc.ssids),
        list(acc.aps),
        list(acc.sources),
        acc.attempts_dropped,
        acc.dropped_outcomes,
    )


def _station(t: tuple[Any, ...]) -> _StationAcc:
    station, open_, closed, head, summaries, s_dropped, ssids, aps, sources, a_dropped, outcomes = t
    return _StationAcc(
        station=station,
        open_events=[_event(e) for e in open_],
        closed=[_attempt(a) for a in closed],
        head=_attempt(head) if head is not None else None,
        summaries=[_event(e) for e in summaries],
        summaries_dropped=s_dropped,
        ssids=set(ssids),
        aps=set(aps),
        sources=set(sources),
        attempts_dropped=a_dropped,
        dropped_outcomes=outcomes,
        compact_at=len(open_) + COMPACT_AT,
    )
