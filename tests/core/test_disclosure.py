"""Disclosure control: one policy for every published count about people, safe against
subtraction across dimensions, hierarchies and totals."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.disclosure import (
    MIN_BREAKDOWN,
    MIN_CELL,
    Figure,
    bounds,
    is_small,
    protect,
    protect_table,
    shown_count,
)


def test_the_thresholds():
    assert MIN_CELL == 5
    assert MIN_BREAKDOWN == 10


@pytest.mark.parametrize(
    ("count", "small"), [(0, False), (1, True), (4, True), (5, False), (120, False)]
)
def test_small_counts_are_one_to_four(count, small):
    assert is_small(count) is small


def test_shown_count():
    assert shown_count(0) == 0
    assert shown_count(3) == "<5"
    assert shown_count(5) == 5


def test_a_lone_small_cell_takes_the_next_smallest_with_it_and_zero_is_shown():
    assert protect_table({"a": 12, "b": 3, "c": 7, "d": 0}) == {
        "a": 12,
        "b": None,
        "c": None,
        "d": 0,
    }


def test_hidden_cells_together_must_hold_more_than_a_handful():
    # 1 + 4 hidden: each would be known to be 1 to 4; the 9 joins them
    assert protect_table({"a": 1, "b": 4, "c": 9, "d": 20}) == {
        "a": None,
        "b": None,
        "c": None,
        "d": 20,
    }


def test_no_breakdown_below_ten():
    assert protect_table({"a": 5, "b": 4}) == {"a": None, "b": None}


def test_two_halves_of_a_total_of_four_are_not_shown():
    """The issue's leadership report: "<3" and "<3" of a total of 4 meant exactly 2 and 2."""
    figures = [
        Figure("a", frozenset("a"), 2, listed=True),
        Figure("b", frozenset("b"), 2, listed=True),
        Figure("total", frozenset("ab"), 4),
    ]
    protect(figures)
    assert all(f.hidden for f in figures)


def test_the_issues_mountain_minus_comune_subtraction():
    """Mountain 8 - Sauze 6 = Sestriere 2: Sauze is hidden with Sestriere."""
    sauze = Figure("sauze", frozenset(["sauze"]), 6, listed=True)
    sestriere = Figure("sestriere", frozenset(["sestriere"]), 2, listed=True)
    torino = Figure("torino", frozenset(["torino"]), 30, listed=True)
    mountain = Figure("mountain", frozenset(["sauze", "sestriere"]), 8)
    total = Figure("total", frozenset(["sauze", "sestriere", "torino"]), 38)
    protect([sauze, sestriere, torino, mountain, total])
    assert sestriere.hidden
    assert sauze.hidden
    published = [f for f in (sauze, sestriere, torino, mountain, total) if not f.hidden]
    low, high = bounds(sestriere.atoms, published, [sauze, sestriere])
    assert high - low + 1 >= MIN_CELL


# --------------------------------------------------------------------------- property test
@st.composite
def tables(draw, max_atoms=6, max_count=9):
    """Random atoms (finest groups) with several crossing dimensions over them: each atom on
    a line of its own (a comune), two groupings of the atoms (zone, mountain or not), a second
    level of the first grouping (zone -> area), and the total."""
    n = draw(st.integers(min_value=2, max_value=max_atoms))
    counts = draw(st.lists(st.integers(0, max_count), min_size=n, max_size=n))
    atoms = [f"c{i}" for i in range(n)]
    figures = [
        Figure(a, frozenset([a]), c, listed=True) for a, c in zip(atoms, counts, strict=True)
    ]
    value = dict(zip(atoms, counts, strict=True))
    zone_of = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    status_of = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    area_of_zone = draw(st.lists(st.integers(0, 1), min_size=3, max_size=3))
    groupings = {
        "zone": dict(zip(atoms, zone_of, strict=True)),
        "status": dict(zip(atoms, status_of, strict=True)),
        "area": {a: area_of_zone[z] for a, z in zip(atoms, zone_of, strict=True)},
    }
    for name, group_of in groupings.items():
        for group in sorted(set(group_of.values())):
            members = frozenset(a for a in atoms if group_of[a] == group)
            figures.append(Figure((name, group), members, sum(value[a] for a in members)))
    figures.append(Figure("total", frozenset(atoms), sum(counts)))
    return figures, value


def _attacker_knowledge(figures, value):
    """Run the policy; what an attacker sees: the published figures, the hidden ones, and the
    lower bound of each atom (zeros are always shown, so a hidden atom on its own line is at
    least 1; below MIN_BREAKDOWN every line is hidden, zeros too, and nothing is assumed)."""
    protect(figures)
    published = [f for f in figures if not f.hidden]
    hidden = [f for f in figures if f.hidden]
    floor = {}
    if sum(value.values()) >= MIN_BREAKDOWN:
        floor = {next(iter(f.atoms)): 1 for f in hidden if f.listed and len(f.atoms) == 1}
    for figure in published:
        assert not is_small(figure.count)
    return published, hidden, floor


def _solutions(published, atoms, floor):
    """Every integer table that agrees with the published figures (exhaustive search: the
    attacker of last resort, no linear relaxation). Atoms are capped a little above the
    largest published figure: enough to tell "five values or more" from fewer."""
    fixed = {next(iter(f.atoms)): f.count for f in published if len(f.atoms) == 1}
    free = [a for a in atoms if a not in fixed]
    ceiling = max((f.count for f in published), default=0) + MIN_CELL
    constraints = [f for f in published if len(f.atoms) > 1]
    found = []

    def search(i, assignment):
        for figure in constraints:
            partial = sum(assignment.get(a, 0) for a in figure.atoms)
            if partial > figure.count:
                return
            if all(a in assignment for a in figure.atoms) and partial != figure.count:
                return
        if i == len(free):
            found.append(dict(assignment))
            return
        atom = free[i]
        for v in range(floor.get(atom, 0), ceiling + 1):
            assignment[atom] = v
            search(i + 1, assignment)
        del assignment[atom]

    search(0, dict(fixed))
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_atoms=4, max_count=7))
def test_no_hidden_figure_can_be_recomputed_by_any_integer_reasoning(table):
    figures, value = table
    published, hidden, floor = _attacker_knowledge(figures, value)
    solutions = _solutions(published, sorted(value), floor)
    assert value in solutions
    for figure in hidden:
        if figure.count == 0:
            continue  # an empty group says nothing about anyone
        values = {sum(s[a] for a in figure.atoms) for s in solutions}
        assert max(values) - min(values) + 1 >= MIN_CELL, (figure, sorted(values))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_atoms=9, max_count=30))
def test_no_hidden_figure_can_be_recomputed_by_linear_differencing(table):
    figures, value = table
    published, hidden, floor = _attacker_knowledge(figures, value)
    for figure in hidden:
        if figure.count == 0:
            continue
        low, high = bounds(figure.atoms, published, hidden if floor else ())
        assert low <= figure.count
        assert high is None or figure.count <= high
        assert high is None or high - low + 1 >= MIN_CELL, (figure, low, high)


def test_the_linear_bounds_agree_with_the_exhaustive_search():
    figures = [
        Figure("a", frozenset("a"), 3, listed=True),
        Figure("b", frozenset("b"), 6, listed=True),
        Figure("c", frozenset("c"), 20, listed=True),
        Figure("ab", frozenset("ab"), 9),
        Figure("total", frozenset("abc"), 29),
    ]
    protect(figures)
    published = [f for f in figures if not f.hidden]
    hidden = [f for f in figures if f.hidden]
    values = {s["a"] for s in _solutions(published, list("abc"), {"a": 1, "b": 1})}
    assert bounds("a", published, hidden) == (min(values), max(values))
