"""Votes under concurrency, on PostgreSQL: threads with separate connections hit the services
at the same moment; nothing is ever doubled, limits and budgets hold.

SQLite serialises every writer (``transaction_mode=IMMEDIATE``), so these run on PostgreSQL only:
``DATABASE_URL=postgres://… pytest tests/proposals/test_concurrency.py``.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from core.errors import REFUSALS
from proposals.models import BudgetBallot, Vote
from proposals.services import votes
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, on_ballot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

THREADS = 8


def _race(calls):
    """Run every callable in its own thread, released together; return results/exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_same_support_cast_at_once_counts_once(plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    voter = UserFactory()
    results = _race([lambda: votes.vote_cast(proposal=proposal, voter=voter)] * THREADS)
    assert Vote.objects.filter(proposal=proposal).count() == 1
    successes = [r for r in results if r == 1]
    refusals = [r for r in results if isinstance(r, REFUSALS)]
    assert len(successes) == 1, results
    assert len(refusals) == THREADS - 1, results
    assert all("Hai già sostenuto" in str(r) for r in refusals)


def test_many_voters_at_once_all_counted(plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    voters = [UserFactory() for _ in range(THREADS)]
    results = _race([lambda v=v: votes.vote_cast(proposal=proposal, voter=v) for v in voters])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Vote.objects.filter(proposal=proposal).count() == THREADS


def test_limited_supports_hold_under_concurrency(plan):
    consultation = make_consultation(phase="voting", vote_mode="limited", max_supports=2)
    proposals = [ProposalFactory(consultation=consultation) for _ in range(THREADS)]
    voter = UserFactory()
    results = _race([lambda p=p: votes.vote_cast(proposal=p, voter=voter) for p in proposals])
    assert Vote.objects.filter(voter=voter).count() == 2, results
    refusals = [r for r in results if isinstance(r, REFUSALS)]
    assert len(refusals) == THREADS - 2


def test_budget_ballots_replace_each_other_never_mix(plan):
    consultation = make_consultation(
        phase="voting", vote_mode="budget", total_budget=Decimal("100")
    )
    proposals = [on_ballot(consultation=consultation, cost=Decimal("40")) for _ in range(4)]
    voter = UserFactory()
    choices = [
        [proposals[i % 4].pk, proposals[(i + 1) % 4].pk] for i in range(THREADS)
    ]  # each 80 €, all different pairs
    results = _race(
        [
            lambda c=c: votes.budget_ballot_submit(
                consultation=consultation, voter=voter, proposal_ids=c
            )
            for c in choices
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert BudgetBallot.objects.filter(voter=voter).count() == 1
    kept = sorted(Vote.objects.filter(voter=voter).values_list("proposal_id", flat=True))
    assert kept in [sorted(c) for c in choices], "exactly one whole ballot survives"
