"""util.recent: per-station parser state, bounded to the most recently seen stations."""

from __future__ import annotations

from collections import OrderedDict

from wlandoctor.util.recent import recent


def test_made_once_kept_while_used_and_the_least_recent_forgotten() -> None:
    table: OrderedDict[str, list[str]] = OrderedDict()
    a = recent(table, "aa:aa", list, 2)
    a.append("seen")
    recent(table, "bb:bb", list, 2)
    assert recent(table, "aa:aa", list, 2) is a  # same state back, and now the most recent
    recent(table, "cc:cc", list, 2)  # over the limit: bb:bb, the least recently used, goes
    assert list(table) == ["aa:aa", "cc:cc"]
    assert table["aa:aa"] == ["seen"]
    assert recent(table, "bb:bb", list, 2) == []  # made anew
    assert list(table) == ["cc:cc", "bb:bb"]
