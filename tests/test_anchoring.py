"""Times for an input without any (radiusd -X), from the same RADIUS replies in timed inputs."""

from __future__ import annotations

import pytest

from wlandoctor.model import Event, SourceRef
from wlandoctor.model.kinds import KINDS
from wlandoctor.timeline import TimelineBuilder
from wlandoctor.timeline import anchoring as an

STA = "02:1a:b0:00:00:02"


def ev(
    kind: str, line: int, time: float | None = None, source: str = "radius.log", station: str = STA
) -> Event:
    return Event(kind, station, KINDS[kind].stage, SourceRef(source, line, kind), time, line)


def exchange(first_line: int, reply: str) -> list[Event]:
    return [
        ev("radius.request", first_line),
        ev("radius.challenge", first_line + 1),
        ev(reply, first_line + 2),
    ]


def anchors_of(*timed: Event) -> an.Anchors:
    a = an.Anchors()
    for e in timed:
        a.note(e)
    return a


def test_replies_are_matched_from_the_end_and_older_exchanges_keep_no_time() -> None:
    server = exchange(1, "radius.reject") + exchange(10, "radius.reject") + exchange(20, "radius.accept")
    server.append(ev("radius.request", 30))  # after the last reply
    ap = anchors_of(
        ev("radius.reject", 5, 100.0, "hostapd.log"), ev("radius.accept", 9, 160.0, "hostapd.log")
    )
    assert an.anchor(server, ap) == 7
    assert [e.time for e in server] == [None, None, None, 100.0, 100.0, 100.0, 160.0, 160.0, 160.0, 160.0]
    assert [bool(e.attrs.get("time_inferred")) for e in server] == [False] * 3 + [True] * 7


def test_replies_whose_times_run_backwards_are_not_the_same_exchanges() -> None:
    server = exchange(1, "radius.accept") + exchange(10, "radius.reject")
    ap = anchors_of(
        ev("radius.reject", 5, 100.0, "hostapd.log"), ev("radius.accept", 9, 160.0, "hostapd.log")
    )
    assert an.anchor(server, ap) == 0
    assert all(e.time is None and not e.attrs for e in server)


def test_no_reply_in_the_timed_inputs_means_no_time() -> None:
    server = exchange(1, "radius.reject")
    other = anchors_of(ev("radius.reject", 5, 100.0, "hostapd.log", station="aa:bb:cc:dd:ee:ff"))
    assert an.anchor(server, other) == 0
    assert an.anchor(server, an.Anchors()) == 0


def test_only_the_latest_replies_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(an, "MAX_PER_STATION", 2)
    a = anchors_of(*(ev("radius.reject", i, float(i), "hostapd.log") for i in range(5)))
    assert a.times[STA]["radius.reject"] == [3.0, 4.0]
    assert "radius.request" not in a.times[STA]  # (only replies are anchors)


def test_the_sink_holds_an_input_only_while_it_has_no_time(monkeypatch: pytest.MonkeyPatch) -> None:
    builder = TimelineBuilder()
    anchors = an.Anchors()
    timed = an.InputSink(builder, anchors)
    timed.add(ev("radius.reject", 1, 50.0, "hostapd.log"))
    assert timed.finish() == [] and anchors.times[STA]["radius.reject"] == [50.0]

    untimed = an.InputSink(builder, anchors)
    held = exchange(1, "radius.reject")
    for e in held:
        untimed.add(e)
    assert untimed.finish() == held

    late = an.InputSink(builder, anchors)  # untimed at first, then a time: all of it goes in, in order
    first, second = ev("radius.request", 1), ev("radius.reject", 2, 60.0)
    late.add(first)
    late.add(second)
    assert late.finish() == []
    assert [e.ref.line for e in builder._acc[STA].open_events][-2:] == [1, 2]

    monkeypatch.setattr(an, "MAX_DEFERRED", 2)
    big = an.InputSink(builder, anchors)
    for e in exchange(100, "radius.reject"):
        big.add(e)
    assert big.finish() == []  # over the cap: read as it is, nothing held back
