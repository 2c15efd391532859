"""Property-based tests of the quota-respecting selection (pure function, no database)."""

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from leadership.selection import (
    CAPPED_GENDERS,
    CORRECTION,
    Candidate,
    Quotas,
    Rule,
    check_quotas,
    next_for_seat,
    select,
)

CATEGORIES = ("studente", "lavoratore", "amministratore")
GENDERS = ("donna", "uomo", "non_binario", "non_dichiarato", "")


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
                gender=draw(st.sampled_from(GENDERS)),
                category=draw(st.sampled_from(CATEGORIES)),
                outside_torino=mountain or draw(st.booleans()),
                mountain=mountain,
                zona=draw(st.sampled_from([None, 1, 2, 3])),
            )
        )
    return result


quotas_strategy = st.builds(
    Quotas,
    gender_cap=st.sampled_from([None, Fraction(3, 5), Fraction(1, 2), Fraction(2, 3)]),
    category_seats=st.integers(min_value=0, max_value=2),
    categories=st.just(CATEGORIES),
    outside_share=st.sampled_from([None, Fraction(1, 4), Fraction(1, 2)]),
    mountain_share=st.sampled_from([None, Fraction(1, 5), Fraction(2, 5)]),
    zona_seats=st.sampled_from([(), ((1, 1),), ((1, 1), (2, 1)), ((3, 2),)]),
    zona_cap=st.sampled_from([None, Fraction(1, 2), Fraction(2, 3)]),
)


def feasible(pool, seats, quotas) -> bool:
    k = min(seats, len(pool))
    return any(not check_quotas(combo, k, quotas) for combo in itertools.combinations(pool, k))


def final_order(result, pool):
    position = {c.id: i for i, c in enumerate(sorted(pool, key=lambda c: (-c.score, c.id)))}
    return [
        *sorted(result.selected, key=position.__getitem__),
        *result.waitlist,
        *result.not_selected,
    ]


@settings(max_examples=120, deadline=None)
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
        assert check_quotas(chosen, k, quotas.only(result.applied_quotas)) == []


@settings(max_examples=80, deadline=None)
@given(pool=candidates(), seats=st.integers(min_value=1, max_value=6))
def test_without_quotas_the_ranking_is_by_score_and_nobody_moves(pool, seats):
    result = select(pool, seats=seats, quotas=Quotas())
    ranked = sorted(pool, key=lambda c: (-c.score, c.id))
    assert result.selected == [c.id for c in ranked[:seats]]
    assert result.waitlist == [c.id for c in ranked[seats : 2 * seats]]
    assert final_order(result, pool) == [c.id for c in ranked]
    assert result.moves == []


@settings(max_examples=100, deadline=None)
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
            assert result.blocked_by[cand.id]


@settings(max_examples=100, deadline=None)
@given(
    pool=candidates(),
    seats=st.integers(min_value=1, max_value=6),
    quotas=quotas_strategy,
    data=st.data(),
)
def test_the_explanation_lists_every_move_with_its_places_and_cause(pool, seats, quotas, data):
    ids = [c.id for c in pool]
    force_in = data.draw(st.sets(st.sampled_from(ids), max_size=1)) if ids else set()
    force_out = data.draw(st.sets(st.sampled_from(ids), max_size=1)) if ids else set()
    force_out -= force_in
    result = select(pool, seats=seats, quotas=quotas, force_in=force_in, force_out=force_out)
    ranked = [c.id for c in sorted(pool, key=lambda c: (-c.score, c.id))]
    order = final_order(result, pool)
    expected = {
        cid: ranked.index(cid) - order.index(cid)
        for cid in ranked
        if ranked.index(cid) != order.index(cid)
    }
    assert {m.id: m.places for m in result.moves} == expected
    for move in result.moves:
        assert move.rules, "every move names its cause"
        assert set(move.rules) <= {*Rule.values, CORRECTION}
    if not force_in and not force_out:
        assert all(CORRECTION not in m.rules for m in result.moves)
        for cid, rules in result.blocked_by.items():
            (move,) = [m for m in result.moves if m.id == cid]
            assert move.places < 0
            assert set(rules) <= set(move.rules)


@settings(max_examples=100, deadline=None)
@given(pool=candidates(), seats=st.integers(min_value=1, max_value=6), quotas=quotas_strategy)
def test_nobody_outside_the_binary_is_displaced_by_the_gender_rule(pool, seats, quotas):
    result = select(pool, seats=seats, quotas=quotas)
    for cand in pool:
        if cand.gender not in CAPPED_GENDERS:
            assert result.blocked_by.get(cand.id) != (Rule.GENDER_CAP,)
    # with the gender cap alone, whoever is outside the binary keeps their seat by score
    alone = select(pool, seats=seats, quotas=Quotas(gender_cap=quotas.gender_cap))
    by_score = select(pool, seats=seats, quotas=Quotas())
    for cand in pool:
        if cand.gender not in CAPPED_GENDERS and cand.id in by_score.selected:
            assert cand.id in alone.selected


@settings(max_examples=100, deadline=None)
@given(
    pool=candidates(),
    seats=st.integers(min_value=1, max_value=6),
    share=st.sampled_from([Fraction(1, 3), Fraction(1, 2), Fraction(3, 5), Fraction(2, 3)]),
)
def test_the_gender_cap_is_never_exceeded_when_enough_candidates_exist(pool, seats, share):
    k = min(seats, len(pool))
    limit = int(share * k)
    room = sum(min(limit, sum(1 for c in pool if c.gender == g)) for g in CAPPED_GENDERS) + sum(
        1 for c in pool if c.gender not in CAPPED_GENDERS
    )
    result = select(pool, seats=seats, quotas=Quotas(gender_cap=share))
    chosen = [c for c in pool if c.id in result.selected]
    if room >= k:
        assert result.infeasible == []
        for gender in CAPPED_GENDERS:
            assert sum(1 for c in chosen if c.gender == gender) <= limit
    else:
        assert result.infeasible


def test_a_non_binary_candidate_is_not_wait_listed_to_fill_a_binary_quota():
    """Issue 13: a non-binary candidate scoring 3.00 lost a seat to a man scoring 1.00."""
    pool = [
        Candidate(1, 5.0, gender="donna"),
        Candidate(2, 4.0, gender="donna"),
        Candidate(3, 3.0, gender="non_binario"),
        Candidate(4, 1.0, gender="uomo"),
    ]
    result = select(pool, seats=3, quotas=Quotas(gender_cap=Fraction(2, 3)))
    assert result.selected == [1, 2, 3]
    assert result.moves == []


def test_the_cap_passes_over_the_over_represented_and_says_so():
    pool = [Candidate(i, 10 - i, gender="uomo") for i in range(5)] + [
        Candidate(10, 1, gender="donna"),
        Candidate(11, 2, gender="non_binario"),
    ]
    result = select(pool, seats=5, quotas=Quotas(gender_cap=Fraction(3, 5)))
    assert result.selected == [0, 1, 2, 11, 10]
    assert result.blocked_by == {3: (Rule.GENDER_CAP,), 4: (Rule.GENDER_CAP,)}
    moves = {m.id: (m.places, m.rules) for m in result.moves}
    assert moves[3] == (-2, (Rule.GENDER_CAP,))
    assert moves[10] == (2, (Rule.GENDER_CAP,))
    assert "Tetto per genere" in result.reasons[3]
    assert "quote" in result.reasons[10]
    assert "Tetto per genere" in result.reasons[10]


def test_zona_seats_and_zona_cap():
    pool = [Candidate(i, 10 - i, zona=1) for i in range(4)] + [
        Candidate(10, 1, zona=2),
        Candidate(11, 0.5, zona=3),
    ]
    result = select(pool, seats=4, quotas=Quotas(zona_seats=((3, 1),)))
    assert set(result.selected) == {0, 1, 2, 11}
    assert result.blocked_by[3] == (Rule.ZONA_SEATS,)
    capped = select(pool, seats=4, quotas=Quotas(zona_cap=Fraction(1, 2)))
    assert capped.selected == [0, 1, 10, 11]
    impossible = select(pool, seats=4, quotas=Quotas(zona_seats=((5, 1),)))
    assert any("zona" in message for message in impossible.infeasible)


def test_infeasible_category_is_explained():
    pool = [Candidate(i, 5 - i, category="studente") for i in range(4)]
    quotas = Quotas(category_seats=1, categories=CATEGORIES)
    result = select(pool, seats=3, quotas=quotas)
    assert len(result.selected) == 3
    assert any("categoria" in message for message in result.infeasible)


def test_forced_choices_are_kept_and_explained():
    pool = [Candidate(i, 10 - i) for i in range(5)]
    result = select(pool, seats=2, quotas=Quotas(), force_in=[4], force_out=[0])
    assert result.selected == [4, 1]
    assert 0 in result.not_selected
    assert {m.id: m.rules for m in result.moves}[4] == (CORRECTION,)


@settings(max_examples=80, deadline=None)
@given(
    pool=candidates(max_size=8),
    holders=st.integers(min_value=0, max_value=4),
    seats=st.integers(min_value=1, max_value=5),
    quotas=quotas_strategy,
)
def test_freed_seat_goes_to_the_first_who_keeps_the_quotas(pool, holders, seats, quotas):
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
