"""Cells written to CSV and XLSX exports, so that no spreadsheet runs them as formulas.

Text beginning with ``= + - @ | %``, a tab or a carriage return is a formula (or a DDE call) to
Excel and LibreOffice: it gets a leading apostrophe. Numbers, and text that is just a number
("-3", "1.5"), are left as they are.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "|", "%", "\t", "\r")
_NUMBER = re.compile(r"^-?[0-9.,]+$")


def escape_cell(value):
    """``value`` made safe for a spreadsheet cell (``None`` becomes an empty cell)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def escape_row(values) -> list:
    return [escape_cell(value) for value in values]
