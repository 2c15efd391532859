"""The shared review engine (reviewing/): pure functions."""

import pytest
from django.core.exceptions import ValidationError

from reviewing.assignment import plan_assignments
from reviewing.conflicts import clean_conflict_reason
from reviewing.ranking import rank_with_reasons
from reviewing.scoring import score_items


def test_plan_balances_load_and_respects_conflicts_and_exclusions():
    plan = plan_assignments(
        [1, 2, 3],
        [10, 20, 30],
        per_item=2,
        conflicts=[(1, 10)],
        excluded={2: [20]},
        assigned=[(3, 30)],
    )
    assert plan.reviewers_of[1] == {20, 30}
    assert 20 not in plan.reviewers_of[2]
    assert len(plan.reviewers_of[3]) == 2
    assert plan.short == []
    # least loaded first, ties by id (30 already reviews item 3)
    assert plan.pairs == [(1, 20), (1, 30), (2, 10), (2, 30), (3, 10)]


def test_plan_spreads_the_load():
    plan = plan_assignments([1, 2, 3, 4, 5], [10, 20, 30], per_item=1)
    loads = {}
    for _item, reviewer in plan.pairs:
        loads[reviewer] = loads.get(reviewer, 0) + 1
    assert sorted(loads.values()) == [1, 2, 2]


def test_plan_reports_items_short_of_reviewers():
    plan = plan_assignments([1], [10], per_item=2)
    assert plan.short == [1]


def test_scores_are_calibrated_per_reviewer_and_flagged():
    reviews = [(1, 7, {"a": 10}), (2, 7, {"a": 8}), (1, 8, {"a": 4}), (2, 8, {"a": 2})]
    scores = score_items(reviews, {"a": 1.0}, disagreement_threshold=3)
    assert scores[1].mean == pytest.approx(7)
    assert scores[1].flagged  # 10 against 4
    # each reviewer put 1 above 2: calibrated, 1 is ahead by the same z-score
    assert scores[1].normalised == pytest.approx(1)
    assert scores[2].normalised == pytest.approx(-1)


def test_ranking_gives_each_place_a_reason_and_breaks_ties_by_order():
    places = rank_with_reasons({5: 0.5, 3: 0.9, 4: 0.5})
    assert [p.item_id for p in places] == [3, 4, 5]
    assert "pari a quello sopra" in places[2].reason


def test_a_conflict_after_scoring_needs_a_reason():
    with pytest.raises(ValidationError):
        clean_conflict_reason("  ", after_submission=True)
    assert clean_conflict_reason(" a\x00b ", after_submission=False) == "ab"
