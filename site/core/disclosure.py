"""Statistical disclosure control: one policy for every published count about people.

Every publisher (consultation results page, API, CSV/XLSX exports, leadership selection report)
describes what it would publish as a list of :class:`Figure` objects and calls :func:`protect`,
the one entry point. A figure is a count over a set of *atoms* (the finest groups of people the
publisher knows about: an age band, a comune stratum, "offered a seat and woman", ...); a total
is the figure over every atom, a zone is the figure over its strata, and so on. ``protect`` then:

1. hides the whole breakdown when the total is below :data:`MIN_BREAKDOWN` (only the total stays,
   itself shown as "<5" when below :data:`MIN_CELL`);
2. hides every figure of 1 to ``MIN_CELL - 1`` people (primary suppression); zeros are shown,
   an empty group says nothing about a person;
3. hides further figures, smallest first, until no hidden figure can be worked out, by any
   combination of sums and differences of the published figures, to fewer than ``MIN_CELL``
   possible values (secondary suppression). The check is exact: for each hidden figure a linear
   programme finds the least and the greatest value that agrees with everything published.

Hidden figures all carry the same mark, whether they were small or hidden to protect another.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

MIN_CELL = 5
#: Below this total no breakdown is published at all (a handful of people in two groups would
#: make every group small or its complement obvious).
MIN_BREAKDOWN = 10


@dataclass
class Figure:
    """One published count: ``count`` people in the union of ``atoms``.

    ``listed`` marks a figure that stands for a single atom on a line of its own (an age band, a
    comune): zeros are always shown, so once hidden such a figure is known to be at least 1.
    """

    key: Hashable
    atoms: frozenset
    count: int
    listed: bool = False
    hidden: bool = False
    forced: bool = field(default=False, repr=False)  # hidden by the caller, whatever its count


def is_small(count: int, minimum: int = MIN_CELL) -> bool:
    """True for counts that must not be shown (some people, but fewer than ``minimum``)."""
    return 0 < count < minimum


def shown_count(count: int, minimum: int = MIN_CELL) -> int | str:
    """A lone count as it may be published (a total with no breakdown): small becomes ``"<5"``."""
    return f"<{minimum}" if is_small(count, minimum) else count


def protect(figures: Sequence[Figure], minimum: int = MIN_CELL) -> Sequence[Figure]:
    """Mark ``hidden`` every figure that may not be published; returns ``figures``.

    The figure whose atoms are all the atoms is the total. Safe against differencing: no hidden
    figure is confined by the published ones to fewer than ``minimum`` values.
    """
    if not figures:
        return figures
    universe = frozenset().union(*(f.atoms for f in figures))
    totals = [f for f in figures if f.atoms == universe]
    grand_total = max((f.count for f in totals), default=sum(f.count for f in figures))
    if grand_total < MIN_BREAKDOWN:
        for figure in figures:
            figure.hidden = figure.atoms != universe or is_small(figure.count, minimum)
        return figures
    for figure in figures:
        figure.hidden = figure.forced or is_small(figure.count, minimum)
    while True:
        exposed = _first_exposed(figures, minimum)
        if exposed is None:
            return figures
        candidate = _next_to_hide(figures, exposed, universe)
        if candidate is None:  # nothing left to hide: hide the total too
            for figure in figures:
                figure.hidden = True
            return figures
        candidate.hidden = True


def _first_exposed(figures: Sequence[Figure], minimum: int) -> Figure | None:
    published = [f for f in figures if not f.hidden]
    hidden = [f for f in figures if f.hidden]
    if not hidden:
        return None
    for figure in sorted(hidden, key=lambda f: f.count):
        low, high = bounds(figure.atoms, published, hidden)
        if high is not None and high - low + 1 < minimum:
            return figure
    return None


def _next_to_hide(figures: Sequence[Figure], exposed: Figure, universe) -> Figure | None:
    """The smallest published figure beside ``exposed`` inside its nearest published parent."""
    published = [f for f in figures if not f.hidden and f.count > 0]
    if not published:
        return None
    parents = [f for f in figures if f.atoms > exposed.atoms and f is not exposed]
    parent_atoms = min((p.atoms for p in parents), key=len, default=universe)
    disjoint = [f for f in published if not (f.atoms & exposed.atoms)]
    beside = [f for f in disjoint if f.atoms <= parent_atoms and f.atoms != universe]
    for pool in (beside, [f for f in disjoint if f.atoms != universe], published):
        if pool:
            return min(pool, key=lambda f: (f.count, len(f.atoms)))
    return None


def bounds(
    atoms: Iterable, published: Sequence[Figure], hidden: Sequence[Figure] = ()
) -> tuple[int, int | None]:
    """Least and greatest value of the sum over ``atoms`` that agrees with every ``published``
    figure, every atom being at least 0 (at least 1 for a hidden ``listed`` figure, since zeros
    are always shown). ``None`` as the greatest value: unbounded."""
    target = frozenset(atoms)
    floor = {next(iter(f.atoms)): 1 for f in hidden if f.listed and len(f.atoms) == 1}
    known = {}
    for figure in published:
        if len(figure.atoms) == 1:
            known[next(iter(figure.atoms))] = figure.count
    variables = sorted(
        (a for a in frozenset().union(target, *(f.atoms for f in published)) if a not in known),
        key=repr,
    )
    index = {atom: i for i, atom in enumerate(variables)}
    rows, rhs = [], []
    for figure in published:
        if len(figure.atoms) == 1:
            continue
        row = [Fraction(0)] * len(variables)
        value = Fraction(figure.count)
        for atom in figure.atoms:
            if atom in known:
                value -= known[atom]
            else:
                row[index[atom]] = Fraction(1)
        # Shift each variable by its floor: x = floor + y, y >= 0.
        value -= sum(floor.get(a, 0) for a in figure.atoms if a not in known)
        rows.append(row)
        rhs.append(value)
    constant = sum(known.get(a, 0) + (floor.get(a, 0) if a not in known else 0) for a in target)
    objective = [Fraction(1 if a in target else 0) for a in variables]
    if not any(objective):
        return int(constant), int(constant)
    low = _simplex(rows, rhs, objective)
    high = _simplex(rows, rhs, [-c for c in objective])
    if low is None:  # infeasible: cannot happen with true counts; treat as exposed
        return int(constant), int(constant)
    high_value = None if high == "unbounded" else int(constant - high)
    low_value = int(constant + low)
    return low_value, high_value


def _simplex(rows, rhs, cost):
    """Minimum of ``cost·y`` subject to ``rows·y = rhs``, ``y >= 0`` (exact, Bland's rule).

    Returns the minimum, ``None`` when infeasible, ``"unbounded"`` when unbounded below."""
    m, n = len(rows), len(cost)
    signs = [-1 if value < 0 else 1 for value in rhs]
    # Tableau with one artificial variable per row (columns n .. n+m-1), right sides >= 0.
    table = [
        [signs[i] * v for v in rows[i]]
        + [Fraction(int(i == j)) for j in range(m)]
        + [signs[i] * rhs[i]]
        for i in range(m)
    ]
    basis = [n + i for i in range(m)]
    _optimise(table, basis, [Fraction(0)] * n + [Fraction(1)] * m, n + m)
    if any(table[i][-1] != 0 for i in range(m) if basis[i] >= n):
        return None
    for i in range(m):  # drive zero-valued artificials out of the basis where possible
        column = next((j for j in range(n) if table[i][j] != 0), None)
        if basis[i] >= n and column is not None:
            _pivot(table, basis, i, column)
    if _optimise(table, basis, list(cost) + [Fraction(0)] * m, n) == "unbounded":
        return "unbounded"
    return sum(cost[basis[i]] * table[i][-1] for i in range(m) if basis[i] < n)


def _optimise(table: list, basis: list, objective: list, allowed: int) -> str:
    """Pivot until no column below ``allowed`` improves ``objective`` (Bland's rule)."""
    m = len(table)
    while True:
        reduced = [
            objective[j] - sum(objective[basis[i]] * table[i][j] for i in range(m))
            for j in range(allowed)
        ]
        entering = next((j for j in range(allowed) if reduced[j] < 0), None)
        if entering is None:
            return "optimal"
        ratios = [
            (table[i][-1] / table[i][entering], basis[i], i)
            for i in range(m)
            if table[i][entering] > 0
        ]
        if not ratios:
            return "unbounded"
        _pivot(table, basis, min(ratios)[2], entering)


def _pivot(table: list, basis: list, row: int, column: int) -> None:
    pivot = table[row][column]
    table[row] = [v / pivot for v in table[row]]
    for i, line in enumerate(table):
        if i != row and line[column] != 0:
            factor = line[column]
            table[i] = [a - factor * b for a, b in zip(line, table[row], strict=True)]
    basis[row] = column


# --------------------------------------------------------------------------- simple tables
def protect_table(counts: dict, total: int | None = None, minimum: int = MIN_CELL) -> dict:
    """A one-way table ``{key: count}`` (the keys partition ``total``, by default their sum) as
    it may be published: hidden counts become ``None``."""
    total = sum(counts.values()) if total is None else total
    figures = [Figure(key=k, atoms=frozenset([k]), count=v, listed=True) for k, v in counts.items()]
    figures.append(Figure(key=_TOTAL, atoms=frozenset(counts), count=total))
    protect(figures, minimum)
    return {f.key: (None if f.hidden else f.count) for f in figures if f.key is not _TOTAL}


_TOTAL = object()
