"""Statistical disclosure control: one policy for every published count about people.

A count of 1 to ``MIN_CELL - 1`` people could point at someone, so it is never shown; if only one
cell of a table would be hidden, the next smallest is hidden too, so it cannot be worked out by
subtracting the shown cells from the total.
"""

from collections.abc import Sequence
from typing import Protocol

MIN_CELL = 5


class CountCell(Protocol):
    count: int
    suppressed: bool


def is_small(count: int, minimum: int = MIN_CELL) -> bool:
    """True for counts that must not be shown (some people, but fewer than ``minimum``)."""
    return 0 < count < minimum


def suppress(cells: Sequence[CountCell], minimum: int = MIN_CELL) -> Sequence[CountCell]:
    """Mark small cells ``suppressed``; add a second one if only one would be hidden."""
    small = [cell for cell in cells if is_small(cell.count, minimum)]
    for cell in small:
        cell.suppressed = True
    if len(small) == 1:
        others = sorted((c for c in cells if c.count >= minimum), key=lambda c: c.count)
        if others:
            others[0].suppressed = True
    return cells


def shown_count(count: int, minimum: int = MIN_CELL) -> int | str:
    """A single count as it may be published: small counts become ``"<5"``."""
    return f"<{minimum}" if is_small(count, minimum) else count


def suppress_counts(counts: dict, minimum: int = MIN_CELL) -> dict:
    """A table given as ``{key: count}``, with the same policy as :func:`suppress`: each hidden
    count becomes ``"<5"`` (a secondary hidden cell is shown as ``"…"``, it is not small)."""

    class _Cell:
        def __init__(self, key, count):
            self.key, self.count, self.suppressed = key, count, False

    cells = [_Cell(key, count) for key, count in counts.items()]
    suppress(cells, minimum)
    shown = {}
    for cell in cells:
        if not cell.suppressed:
            shown[cell.key] = cell.count
        elif is_small(cell.count, minimum):
            shown[cell.key] = f"<{minimum}"
        else:
            shown[cell.key] = "…"
    return shown
