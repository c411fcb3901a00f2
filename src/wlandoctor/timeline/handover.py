"""A partial timeline as bytes, to hand it from a worker process to the one that joins the parts.

Pickling events object by object cost more than the second core gave back (docs/performance.md): the
parent rebuilt every event through a Python call.  Here the state is flattened to tuples of plain
values and written with ``marshal`` (C, no per-object calls), and the parent rebuilds events in one
tight loop.  Attribute values that ``marshal`` cannot write (an enum, a custom object) make the whole
part fall back to ``pickle`` of the same tuples: slower, never wrong.  Both ends are the same interpreter, which is what
``marshal`` requires.
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Iterator
from typing import Any

from wlandoctor.model import Attempt, Event, Outcome, SourceRef, Stage
from wlandoctor.timeline.builder import Partial, _StationAcc

_MARSHAL = b"M"
_PICKLE = b"P"
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


def pack(partial: Partial) -> bytes:
    """The partial as bytes.  Its stations are taken out of it as they are flattened, so that the
    worker's memory does not hold everything twice at the end."""
    accs, globals_ = partial
    flat = (
        [
            (
                acc.station,
                [_flat(e) for e in acc.open_events],
                [
                    (
                        a.number,
                        [_flat(e) for e in a.events],
                        a.outcome.value,
                        a.reached.value if a.reached is not None else None,
                        a.failed_stage.value if a.failed_stage is not None else None,
                        a.dropped_events,
                    )
                    for a in acc.closed
                ],
                [_flat(e) for e in acc.summaries],
                acc.summaries_dropped,
                list(acc.ssids),
                list(acc.aps),
                list(acc.sources),
                acc.attempts_dropped,
                acc.dropped_outcomes,
            )
            for acc in _drain(accs)
        ],
        [_flat(e) for e in globals_],
    )
    try:
        return _MARSHAL + marshal.dumps(flat)
    except ValueError:  # an attribute value marshal cannot write
        return _PICKLE + pickle.dumps(flat, protocol=pickle.HIGHEST_PROTOCOL)


def _drain(accs: dict[str, _StationAcc]) -> Iterator[_StationAcc]:
    while accs:
        yield accs.popitem()[1]


def unpack(blob: bytes) -> Partial:
    loads = pickle.loads if blob[:1] == _PICKLE else marshal.loads
    stations, globals_ = loads(blob[1:])
    accs: dict[str, _StationAcc] = {}
    for station, open_, closed, summaries, s_dropped, ssids, aps, sources, a_dropped, outcomes in stations:
        accs[station] = _StationAcc(
            station=station,
            open_events=[_event(t) for t in open_],
            closed=[
                Attempt(
                    number=n,
                    events=[_event(t) for t in events],
                    outcome=_OUTCOMES[outcome],
                    reached=_STAGES[reached] if reached is not None else None,
                    failed_stage=_STAGES[failed] if failed is not None else None,
                    dropped_events=dropped,
                )
                for n, events, outcome, reached, failed, dropped in closed
            ],
            summaries=[_event(t) for t in summaries],
            summaries_dropped=s_dropped,
            ssids=set(ssids),
            aps=set(aps),
            sources=set(sources),
            attempts_dropped=a_dropped,
            dropped_outcomes=outcomes,
        )
    return accs, [_event(t) for t in globals_]
