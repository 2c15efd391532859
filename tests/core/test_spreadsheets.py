"""Spreadsheet cells: text a spreadsheet would run as a formula gets a leading apostrophe."""

from decimal import Decimal

import pytest

from core.spreadsheets import escape_cell, escape_row


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+39 333", "-cmd", "@SUM(A1)", "|calc", "%0A", "\tx", "\rx", '=HYPERLINK("x")'],
)
def test_formulas_are_escaped(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Bici in stazione", "", "-3", "1.5", "-1,5", "a=b"])
def test_plain_text_and_numbers_as_text_are_kept(text):
    assert escape_cell(text) == text


def test_non_text_values_are_kept_and_none_is_empty():
    assert escape_cell(None) == ""
    assert escape_cell(-3) == -3
    assert escape_cell(Decimal("12.50")) == Decimal("12.50")


def test_rows():
    assert escape_row(["=x", 4, None, "ok"]) == ["'=x", 4, "", "ok"]
