"""Small-cell suppression: one policy for every published count about people."""

from dataclasses import dataclass

import pytest

from core.disclosure import MIN_CELL, is_small, shown_count, suppress, suppress_counts


@dataclass
class Cell:
    count: int
    suppressed: bool = False


def test_the_threshold_is_five():
    assert MIN_CELL == 5


@pytest.mark.parametrize(
    ("count", "small"), [(0, False), (1, True), (4, True), (5, False), (120, False)]
)
def test_small_counts_are_one_to_four(count, small):
    assert is_small(count) is small


def test_small_cells_are_suppressed_and_zero_is_shown():
    cells = [Cell(1), Cell(2), Cell(0), Cell(9)]
    suppress(cells)
    assert [c.suppressed for c in cells] == [True, True, False, False]


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    cells = [Cell(12), Cell(3), Cell(7), Cell(0)]
    suppress(cells)
    assert [c.suppressed for c in cells] == [False, True, True, False]


def test_nothing_is_hidden_when_every_cell_is_large_or_empty():
    cells = [Cell(5), Cell(0), Cell(40)]
    suppress(cells)
    assert not any(c.suppressed for c in cells)


def test_shown_count():
    assert shown_count(0) == 0
    assert shown_count(3) == "<5"
    assert shown_count(5) == 5
    assert shown_count(2, minimum=3) == "<3"


def test_suppress_counts_keeps_keys_and_hides_the_complementary_cell():
    assert suppress_counts({"a": 12, "b": 3, "c": 7, "d": 0}) == {
        "a": 12,
        "b": "<5",
        "c": "…",
        "d": 0,
    }
    assert suppress_counts({"a": 1, "b": 2, "c": 9}) == {"a": "<5", "b": "<5", "c": 9}
