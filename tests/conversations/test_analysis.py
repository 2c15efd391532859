"""The opinion-group pipeline on synthetic data: planted groups are recovered, degenerate data
gives one group, and the measures (consensus, representative, divisive, order) behave."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from conversations.analysis.clustering import opinion_groups
from conversations.analysis.matrix import VoteMatrix
from conversations.analysis.ordering import Candidate, next_statement, priority
from conversations.analysis.report import build_report
from conversations.analysis.statements import GroupCounts, consensus, divisive, representative
from conversations.analysis.synthetic import planted


@pytest.mark.parametrize(
    ("groups", "votes_each"), [(2, 15), (3, 20), (3, (7, 40)), (4, 30), (5, 35)]
)
def test_planted_groups_are_recovered(groups, votes_each):
    matrix, truth = planted(participants=300, statements=40, groups=groups, votes_each=votes_each)
    found = opinion_groups(matrix, min_votes=7, seed=3)
    assert found.placed.all()
    assert found.count == groups
    assert adjusted_rand_score(truth, found.labels) >= 0.9


def test_participants_below_the_minimum_are_not_placed():
    matrix, _truth = planted(participants=60, statements=20, groups=2, votes_each=10)
    matrix.values[:10, :] = np.nan
    matrix.values[:10, :3] = 1.0  # three votes only
    found = opinion_groups(matrix, min_votes=7)
    assert not found.placed[:10].any()
    assert found.placed[10:].all()
    assert len(found.labels) == 50


def test_the_same_seed_gives_the_same_groups():
    matrix, _truth = planted(participants=120, statements=30, groups=3)
    first = opinion_groups(matrix, seed=7)
    second = opinion_groups(matrix, seed=7)
    assert (first.labels == second.labels).all()
    assert np.allclose(first.coordinates, second.coordinates)


def _matrix(rows):
    values = np.array(rows, dtype=float)
    return VoteMatrix(
        participants=[f"p{i}" for i in range(values.shape[0])],
        statements=list(range(1, values.shape[1] + 1)),
        values=values,
    )


def test_one_statement_only():
    matrix = _matrix([[1.0]] * 6 + [[-1.0]] * 6)
    found = opinion_groups(matrix, min_votes=1)
    assert found.count == 2
    assert found.coordinates.shape == (12, 2)
    report = build_report(matrix, found)
    assert len(report["groups"]) == 2


def test_everyone_agrees_gives_one_group_and_consensus():
    matrix = _matrix([[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]] * 20)
    found = opinion_groups(matrix, min_votes=7)
    assert found.count == 1
    report = build_report(matrix, found)
    assert report["groups"][0]["size"] == 20
    assert report["groups"][0]["representative"] == []
    assert {c["statement"] for c in report["consensus"]} == set(range(1, 6)) | {6, 7} - {
        6,
        7,
    } or len(report["consensus"]) == 5
    assert report["divisive"] == []


def test_fewer_participants_than_the_minimum_gives_one_group():
    matrix = _matrix([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]])
    found = opinion_groups(matrix, min_votes=1)
    assert found.count == 1
    assert found.silhouette is None


def test_nobody_placed():
    matrix = _matrix(np.full((5, 4), np.nan))
    found = opinion_groups(matrix, min_votes=7)
    assert found.count == 0
    assert build_report(matrix, found)["points"] == []


def test_empty_matrix():
    matrix = VoteMatrix.from_votes([], [])
    assert opinion_groups(matrix).count == 0


def test_matrix_from_votes_skips_unknown_statements():
    matrix = VoteMatrix.from_votes([("a", 1, 1), ("b", 2, -1), ("a", 9, 0)], [1, 2])
    assert matrix.participants == ["a", "b"]
    assert np.isnan(matrix.values[0, 1])
    assert matrix.values[1, 1] == -1


def test_consensus_divisive_and_representative():
    # Two groups of 10: both agree on statement 0; they split on statement 1.
    rows = [[1.0, 1.0, 1.0]] * 10 + [[1.0, -1.0, 0.0]] * 10
    values = np.array(rows)
    labels = np.array([0] * 10 + [1] * 10)
    counts = GroupCounts.of(values, labels, 2)
    assert [s for s, _score in consensus(counts)][0] == 0
    assert 1 not in [s for s, _score in consensus(counts)]
    assert divisive(counts)[0][0] == 1
    top = representative(counts, 1)[0]
    assert (top.statement, top.direction) == (1, "disagree")


def test_the_order_favours_few_votes_and_divisive_statements_and_is_seeded():
    fresh, old = Candidate(1, votes=0), Candidate(2, votes=200)
    assert priority(fresh) > priority(old)
    assert priority(Candidate(3, votes=10, divisiveness=0.9)) > priority(Candidate(4, votes=10))
    picks = [next_statement([fresh, old], seed=f"s{i}") for i in range(200)]
    assert picks.count(1) > 150
    assert next_statement([fresh, old], seed="x") == next_statement([old, fresh], seed="x")
    assert next_statement([], seed="x") is None
