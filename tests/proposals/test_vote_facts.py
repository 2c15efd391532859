"""The facts a support is checked against are cached under the content and page versions,
which no vote replaces (``proposals.vote_facts``, ``psm.page_cache``'s tallies version): a
burst of votes keeps them cached, while pages still show every new total at once, and a
moderation, a block, a phase or a restriction still applies to the very next vote."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consultations.models import ParticipantBlock
from proposals.models import Vote
from proposals.moderation.services import content_hide
from proposals.services import votes
from psm import page_cache
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _vote(person, proposal):
    client = Client()
    client.force_login(person)
    return client.post(
        reverse("proposals:vote", kwargs={"pk": proposal.pk}), headers={"HX-Request": "true"}
    )


def test_a_vote_replaces_the_tallies_version_and_keeps_the_facts(plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    first, second = UserFactory.create_batch(2)
    _vote(first, proposal)
    _vote(second, proposal)  # both participation rows exist now
    facts_before = page_cache.facts_versions()
    pages_before = page_cache.request_versions(None)
    votes.vote_withdraw(proposal=proposal, voter=first)
    votes.vote_cast(proposal=proposal, voter=first)
    assert page_cache.facts_versions() == facts_before  # no vote changes what votes check
    assert page_cache.request_versions(None) != pages_before  # every page shows the new total
    assert Vote.objects.filter(proposal=proposal).count() == 2


def test_a_cached_anonymous_page_shows_each_new_total(plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    assert "0 sostegni" in Client().get(consultation.url).content.decode()
    _vote(UserFactory(), proposal)
    assert "1 sostegno" in Client().get(consultation.url).content.decode()
    _vote(UserFactory(), proposal)
    assert "2 sostegni" in Client().get(consultation.url).content.decode()


def test_a_block_a_moderation_and_a_restriction_apply_to_the_next_vote(plan):
    consultation = make_consultation(phase="voting")
    facilitator = make_facilitator(consultation)
    proposal, other, third = ProposalFactory.create_batch(3, consultation=consultation)
    voter, blocked = UserFactory.create_batch(2)
    assert _vote(voter, proposal).status_code == 200  # the facts are cached now
    ParticipantBlock.objects.create(
        consultation=consultation, user=blocked, reason="x", blocked_by=facilitator
    )
    response = _vote(blocked, proposal)
    assert "sospes" in response.content.decode()
    assert not Vote.objects.filter(voter=blocked).exists()

    assert _vote(voter, other).status_code == 200  # cached again
    content_hide(actor=facilitator, reason="Fuori tema", proposal=third)
    response = _vote(voter, third)
    assert response.status_code == 404  # hidden: out of sight for the voter
    assert not Vote.objects.filter(proposal=third).exists()

    assert _vote(UserFactory(), other).status_code == 200  # cached again
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert _vote(UserFactory(), other).status_code == 404
    assert Vote.objects.filter(proposal=other).count() == 2


def test_the_service_reads_the_proposal_itself_not_the_callers_copy(plan, user):
    """A caller's object with a stale consultation does not decide: the service reads the
    facts (``proposals.vote_facts``)."""
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    consultation.unpublish()
    with pytest.raises(PermissionDenied):
        votes.vote_cast(proposal=proposal, voter=user)
    assert not Vote.objects.exists()
