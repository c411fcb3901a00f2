"""Integers read from input (util/numbers.py): what str.isdigit() and a stripped sign let through, and a
string too long for int(), give None, never a ValueError that loses the record."""

from __future__ import annotations

import pytest

from wlandoctor.util.numbers import as_int


@pytest.mark.parametrize(
    ("text", "want"),
    [("0", 0), ("-17", -17), ("+5", 5), ("123456789", 123456789), ("007", 7)],
)
def test_a_number_is_read(text: str, want: int) -> None:
    assert as_int(text) == want


@pytest.mark.parametrize(
    "text",
    [None, "", "-", "--17", "+-3", "1-2", "²", "１２", "12a", " 12", "1e3", "9" * 19, "9" * 5000, "١٢"],
)
def test_anything_else_is_none(text: str | None) -> None:
    assert as_int(text) is None


def test_the_digit_bound_is_the_callers() -> None:
    assert as_int("12345", 4) is None and as_int("1234", 4) == 1234 and as_int("-1234", 4) == -1234


def test_an_unsigned_field_takes_no_sign() -> None:
    assert as_int("17", signed=False) == 17
    assert as_int("+17", signed=False) is None and as_int("-17", signed=False) is None
