"""Ids that arrive as text: ASCII digits only, bounded, anything else is not an id."""

import pytest

from core.ids import MAX_ID_DIGITS, parse_id, parse_ids


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        ("0", 0),
        (" 42 ", 42),
        (15, 15),
        ("9" * MAX_ID_DIGITS, int("9" * MAX_ID_DIGITS)),
    ],
)
def test_ids(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "-3",
        "+3",
        "3.0",
        "1e3",
        "١٢",  # Arabic-Indic digits
        "１２",  # full-width digits
        "12\x00",
        "9" * (MAX_ID_DIGITS + 1),
        -1,
        10**MAX_ID_DIGITS,
        True,
        3.0,
        ["3"],
    ],
)
def test_not_ids(raw):
    assert parse_id(raw) is None


def test_lists_keep_order_and_drop_repeats():
    assert parse_ids(["3", "1", "3", 2]) == [3, 1, 2]
    assert parse_ids([]) == []


def test_a_list_with_one_bad_value_is_refused_whole():
    assert parse_ids(["3", "x", "4"]) is None
