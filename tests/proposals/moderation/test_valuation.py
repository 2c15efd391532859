"""The technical valuation before a budget vote: who may give it, what it needs, when it can
be given, the audit row, and the facilitators' screen."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from proposals.models import ModerationAction, ModerationVerb, Valuation, Visibility
from proposals.moderation.valuation import proposal_valuate
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, ValuationFactory
from tests.proposals.moderation.test_permissions import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(plan):
    """A budget consultation in discussion: the vote opens in nine days."""
    return make_consultation(phase="discussion", vote_mode="budget", total_budget=Decimal("1000"))


@pytest.fixture
def facilitator(budget):
    return make_facilitator(budget)


@pytest.fixture
def proposal(budget):
    return ProposalFactory(consultation=budget, cost=Decimal("300"))


def _url(consultation):
    return reverse("moderation:valuations", kwargs={"consultation_id": consultation.pk})


# --------------------------------------------------------------------------- service
def test_valuation_needs_a_moderator_of_this_consultation(budget, proposal):
    for person in (None, UserFactory(), proposal.author, make_facilitator(make_consultation())):
        with pytest.raises(PermissionDenied):
            proposal_valuate(
                actor=person, proposal=proposal, feasible=True, official_cost=Decimal("300")
            )
    assert not Valuation.objects.exists()
    assert not ModerationAction.objects.filter(action=ModerationVerb.VALUATION).exists()


def test_not_feasible_needs_a_public_reason(facilitator, proposal):
    with pytest.raises(ValidationError, match="non fattibile scrivi la motivazione"):
        proposal_valuate(actor=facilitator, proposal=proposal, feasible=False, reason="  ")
    assert not Valuation.objects.exists()
    valuation = proposal_valuate(
        actor=facilitator, proposal=proposal, feasible=False, reason="Il tetto va rifatto prima."
    )
    assert (valuation.feasible, valuation.official_cost, valuation.valued_by) == (
        False,
        None,
        facilitator,
    )
    action = ModerationAction.objects.get(action=ModerationVerb.VALUATION)
    assert action.proposal == proposal
    assert action.actor == facilitator
    assert "non fattibile" in action.public_reason
    assert "Il tetto va rifatto prima." in action.public_reason


def test_feasible_needs_a_cost_and_a_reason_when_it_differs_from_the_estimate(
    facilitator, proposal
):
    with pytest.raises(ValidationError, match="indica il costo ufficiale"):
        proposal_valuate(actor=facilitator, proposal=proposal, feasible=True)
    with pytest.raises(ValidationError, match="diverso dalla stima"):
        proposal_valuate(
            actor=facilitator, proposal=proposal, feasible=True, official_cost=Decimal("450")
        )
    for bad in ("-1", "abc", "1e20", "NaN"):
        with pytest.raises(ValidationError, match="costo ufficiale"):
            proposal_valuate(
                actor=facilitator, proposal=proposal, feasible=True, official_cost=bad, reason="x"
            )
    assert not Valuation.objects.exists()
    # The same as the estimate: no reason needed.
    proposal_valuate(actor=facilitator, proposal=proposal, feasible=True, official_cost="300.00")
    # Changed later, with a reason: the same row, a second audit row.
    valuation = proposal_valuate(
        actor=facilitator,
        proposal=proposal,
        feasible=True,
        official_cost=Decimal("450"),
        reason="Servono anche gli allacciamenti.",
    )
    assert Valuation.objects.get() == valuation
    assert valuation.official_cost == Decimal("450.00")
    assert ModerationAction.objects.filter(action=ModerationVerb.VALUATION).count() == 2


def test_no_valuation_once_the_vote_has_started_or_outside_budget_votes(plan):
    voting = make_consultation(phase="voting", vote_mode="budget", total_budget=Decimal("100"))
    support = make_consultation(phase="discussion")
    for consultation, message in ((voting, "voto è già iniziato"), (support, "solo nelle")):
        proposal = ProposalFactory(consultation=consultation, cost=Decimal("10"))
        with pytest.raises(ValidationError, match=message):
            proposal_valuate(
                actor=make_facilitator(consultation),
                proposal=proposal,
                feasible=True,
                official_cost=Decimal("10"),
            )
    assert not Valuation.objects.exists()


def test_only_published_proposals_are_valued(budget, facilitator):
    for visibility in (Visibility.HIDDEN, Visibility.WITHDRAWN, Visibility.PENDING):
        proposal = ProposalFactory(consultation=budget, visibility=visibility, cost=1)
        with pytest.raises(ValidationError, match="pubblicate"):
            proposal_valuate(actor=facilitator, proposal=proposal, feasible=True, official_cost=1)
    assert not Valuation.objects.exists()


# --------------------------------------------------------------------------- screen
def test_screen_is_for_this_consultations_facilitators(client, budget, facilitator, proposal):
    for person in (UserFactory(), make_facilitator(make_consultation())):
        client.force_login(person)
        assert refused(client.get(_url(budget)))
        response = client.post(
            _url(budget),
            {
                "proposal": proposal.pk,
                f"v{proposal.pk}-feasible": "si",
                f"v{proposal.pk}-official_cost": "300",
            },
        )
        assert refused(response)
    assert not Valuation.objects.exists()
    client.force_login(facilitator)
    response = client.get(_url(budget))
    assert response.status_code == 200
    html = response.content.decode()
    assert proposal.title in html
    assert "Non ancora valutata" in html


def test_screen_records_a_valuation_and_explains_a_refusal(client, budget, facilitator, proposal):
    client.force_login(facilitator)
    prefix = f"v{proposal.pk}"
    response = client.post(
        _url(budget),
        {"proposal": proposal.pk, f"{prefix}-feasible": "no", f"{prefix}-reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "scrivi la motivazione" in response.content.decode()
    assert not Valuation.objects.exists()
    response = client.post(
        _url(budget),
        {
            "proposal": proposal.pk,
            f"{prefix}-feasible": "si",
            f"{prefix}-official_cost": "320",
            f"{prefix}-reason": "Preventivo aggiornato dall'ufficio tecnico.",
        },
    )
    assert response.status_code == 302
    valuation = Valuation.objects.get(proposal=proposal)
    assert (valuation.feasible, valuation.official_cost) == (True, Decimal("320.00"))


def test_screen_bad_input_gives_no_500(client, budget, facilitator, proposal):
    client.force_login(facilitator)
    for data in (
        {"proposal": "abc"},
        {"proposal": 999999},
        {"proposal": proposal.pk, f"v{proposal.pk}-feasible": "forse"},
        {
            "proposal": proposal.pk,
            f"v{proposal.pk}-feasible": "si",
            f"v{proposal.pk}-official_cost": "x",
        },
    ):
        assert client.post(_url(budget), data).status_code in (200, 404)
    assert not Valuation.objects.exists()
    other = make_consultation(phase="discussion")
    client.force_login(make_facilitator(other))
    assert client.get(_url(other)).status_code == 404


def test_screen_is_read_only_once_the_vote_has_started(client, plan):
    voting = make_consultation(phase="voting", vote_mode="budget", total_budget=Decimal("100"))
    proposal = ProposalFactory(consultation=voting, cost=Decimal("10"))
    ValuationFactory(proposal=proposal)
    client.force_login(make_facilitator(voting))
    html = client.get(_url(voting)).content.decode()
    assert "voto è già iniziato" in html
    assert 'name="proposal"' not in html


def test_screen_query_count_does_not_grow(client, budget, facilitator, django_assert_num_queries):
    client.force_login(facilitator)
    for _ in range(2):
        ValuationFactory(proposal=ProposalFactory(consultation=budget, cost=Decimal("10")))
    ProposalFactory(consultation=budget)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(_url(budget))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(budget)).status_code == 200
    few = len(captured)  # before the next request resets the log
    for _ in range(6):
        ValuationFactory(proposal=ProposalFactory(consultation=budget, cost=Decimal("10")))
        ProposalFactory(consultation=budget)
    client.get(_url(budget))  # the authors saved replaced the users version: the person anew
    with django_assert_num_queries(few):
        assert client.get(_url(budget)).status_code == 200
