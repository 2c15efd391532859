"""Property-based tests of the quota-respecting selection (pure function, no database)."""

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from leadership.selection import Candidate, Quotas, check_quotas, select

CATEGORIES = ("studente", "lavoratore", "amministratore")


@st.composite
def candidates(draw, max_size=9):
    n = draw(st.integers(min_value=0, max_value=max_size))
    result = []
    for i in range(n):
        mountain = draw(st.booleans())
        result.append(
            Candidate(
                id=i,
                score=draw(st.integers(min_value=0, max_value=20)) / 4,
                gender=draw(st.sampled_from(["donna", "uomo", "non_binario", ""])),
                category=draw(st.sampled_from(CATEGORIES)),
                outside_torino=mountain or draw(st.booleans()),
                mountain=mountain,
            )
        )
    return result


quotas_strategy = st.builds(
    Quotas,
    gender_share=st.sampled_from([None, Fraction(2, 5), Fraction(1, 2), Fraction(1, 3)]),
    category_seats=st.integers(min_value=0, max_value=2),
    categories=st.just(CATEGORIES),
    outside_share=st.sampled_from([None, Fraction(1, 4), Fraction(1, 2)]),
    mountain_share=st.sampled_from([None, Fraction(1, 5), Fraction(2, 5)]),
)


def feasible(pool, seats, quotas) -> bool:
    k = min(seats, len(pool))
    return any(not check_quotas(combo, k, quotas) for combo in itertools.combinations(pool, k))


@settings(max_examples=300, deadline=None)
@given(pool=candidates(), seats=st.integers(min_value=1, max_value=6), quotas=quotas_strategy)
def test_quotas_hold_whenever_feasible_and_are_reported_otherwise(pool, seats, quotas):
    result = select(pool, seats=seats, quotas=quotas)
    k = min(seats, len(pool))
    chosen = [c for c in pool if c.id in result.selected]
    assert len(chosen) == k
    everyone = set(result.selected) | set(result.waitlist) | set(result.not_selected)
    assert everyone == {c.id for c in pool}
    assert not set(result.selected) & set(result.waitlist)
    if feasible(pool, seats, quotas):
        assert result.infeasible == []
        assert check_quotas(chosen, k, quotas) == []
    else:
        assert result.infeasible, "an impossible quota must be reported, never silently broken"
        # whatever is still applied does hold
        applied = Quotas(
            gender_share=quotas.gender_share if "gender_share" in result.applied_quotas else None,
            category_seats=quotas.category_seats
            if "category_seats" in result.applied_quotas
            else 0,
            categories=quotas.categories,
            outside_share=quotas.outside_share
            if "outside_share" in result.applied_quotas
            else None,
            mountain_share=quotas.mountain_share
            if "mountain_share" in result.applied_quotas
            else None,
        )
        assert check_quotas(chosen, k, applied) == []


@settings(max_examples=200, deadline=None)
@given(pool=candidates(), seats=st.integers(min_value=1, max_value=6))
def test_without_quotas_the_best_scores_win(pool, seats):
    result = select(pool, seats=seats, quotas=Quotas())
    ranked = sorted(pool, key=lambda c: (-c.score, c.id))
    assert result.selected == [c.id for c in ranked[:seats]]
    assert result.waitlist == [c.id for c in ranked[seats : 2 * seats]]


@settings(max_examples=200, deadline=None)
@given(pool=candidates(), seats=st.integers(min_value=1, max_value=6), quotas=quotas_strategy)
def test_nobody_is_passed_over_without_a_quota_reason(pool, seats, quotas):
    """Anyone ranked above a selected person and left out was left out for the quotas."""
    result = select(pool, seats=seats, quotas=quotas)
    selected = set(result.selected)
    by_id = {c.id: c for c in pool}
    lowest = min((by_id[i].score for i in selected), default=None)
    for cand in pool:
        if cand.id not in selected and lowest is not None and cand.score > lowest:
            assert "quote" in result.reasons[cand.id]


def test_infeasible_category_is_explained():
    pool = [Candidate(i, 5 - i, category="studente") for i in range(4)]
    quotas = Quotas(category_seats=1, categories=CATEGORIES)
    result = select(pool, seats=3, quotas=quotas)
    assert len(result.selected) == 3
    assert any("categoria" in message for message in result.infeasible)


def test_gender_quota_pulls_in_the_best_of_the_underrepresented():
    pool = [Candidate(i, 10 - i, gender="uomo") for i in range(5)] + [
        Candidate(10, 1, gender="donna"),
        Candidate(11, 2, gender="donna"),
    ]
    result = select(pool, seats=5, quotas=Quotas(gender_share=Fraction(2, 5)))
    assert {10, 11} <= set(result.selected)
    assert result.selected[:3] == [0, 1, 2]
    assert "quote" in result.reasons[10]
    assert "quote" in result.reasons[3]


def test_forced_choices_are_kept():
    pool = [Candidate(i, 10 - i) for i in range(5)]
    result = select(pool, seats=2, quotas=Quotas(), force_in=[4], force_out=[0])
    assert result.selected == [4, 1]
    assert 0 in result.not_selected


@settings(max_examples=200, deadline=None)
@given(
    pool=candidates(max_size=8),
    holders=st.integers(min_value=0, max_value=4),
    seats=st.integers(min_value=1, max_value=5),
    quotas=quotas_strategy,
)
def test_freed_seat_goes_to_the_first_who_keeps_the_quotas(pool, holders, seats, quotas):
    from leadership.selection import next_for_seat

    chosen, queue = pool[: min(holders, seats - 1)], pool[min(holders, seats - 1) :]
    if not queue:
        return
    final = min(seats, len(chosen) + len(queue))

    def completes(person) -> bool:
        rest = [c for c in queue if c.id != person.id]
        need = final - len(chosen) - 1
        return any(
            not check_quotas([*chosen, person, *extra], final, quotas)
            for extra in itertools.combinations(rest, need)
        )

    index, kept = next_for_seat(chosen, queue, seats=seats, quotas=quotas)
    expected = next((i for i, person in enumerate(queue) if completes(person)), None)
    if expected is None:
        assert (index, kept) == (0, False) or not quotas.active()
    else:
        assert kept
        assert index == expected
