"""What of an opinion map may be published (``core.disclosure``, the one policy).

- Group sizes: ``protect_table`` over the placed participants: a group of fewer than
  ``MIN_CELL`` people, or one whose size could be worked out from the others, is not described
  at all (no label, outline, points, statements or counts), and with fewer than
  ``MIN_BREAKDOWN`` people placed no group is described.
- Votes on a statement: one column per described group and one for everybody else (people not
  on the map, or in a group too small to describe), each ``[agree, disagree, pass]`` through
  ``protect_table`` with its own total. The columns are disjoint sets of people and no total
  across them is published (an overall figure is the sum of the columns, shown only when every
  column is), so a hidden count can be worked out neither inside a column nor across them.
  (One exact two-way ``protect`` per statement would also publish the overall totals, but costs
  about 150 ms a statement: 30 s for 200.)
"""

from __future__ import annotations

from functools import lru_cache

from core.disclosure import protect_table

CHOICES = ("agree", "disagree", "pass")
REST = "rest"


def described_sizes(groups: list[dict], placed: int) -> dict[int, int]:
    """``{group index: size}`` of the groups that may be described."""
    shown = protect_table({g["index"]: g["size"] for g in groups}, total=placed)
    return {index: size for index, size in shown.items() if size is not None}


def published_cells(data: dict, placed: int) -> dict:
    """What the snapshot may publish, computed once by the task (pages and exports read it):
    ``{"sizes": {group: size}, "statements": {id: {"groups": {g: [...]}, "rest": [...]}}}``
    with ``None`` for a hidden count."""
    sizes = described_sizes(data["groups"], placed)
    described = sorted(sizes)
    statements = {}
    for sid, totals in data["totals"].items():
        per_group = data["counts"][sid]
        rest = [totals[c] - sum(per_group[g][c] for g in described) for c in range(3)]
        statements[sid] = {
            "groups": {str(g): column_cells(tuple(per_group[g])) for g in described},
            REST: column_cells(tuple(rest)),
        }
    return {"sizes": {str(g): size for g, size in sizes.items()}, "statements": statements}


@lru_cache(maxsize=4096)
def column_cells(counts: tuple[int, ...]) -> tuple[int | None, ...]:
    """One column ``(agree, disagree, pass)`` as it may be published (None: hidden). Cached:
    the same counts recur across statements, and a tuple cannot be changed by a caller."""
    shown = protect_table(dict(enumerate(counts)))
    return tuple(shown[c] for c in range(len(counts)))


def overall(cells: dict) -> list[int | None]:
    """The totals over every voter: the sum of the columns, or None where any is hidden."""
    columns = [*cells["groups"].values(), cells[REST]]
    return [
        None if any(col[c] is None for col in columns) else sum(col[c] for col in columns)
        for c in range(3)
    ]


def percent(count: int | None, of: list[int | None]) -> int | None:
    """``count`` as a percentage of the published total of ``of`` (None if anything is hidden)."""
    if count is None or any(v is None for v in of):
        return None
    total = sum(of)
    return round(100 * count / total) if total else None
