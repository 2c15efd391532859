"""The proposal state machine: only the pairs declared in the tables move a proposal, each
move leaves its history rows, and every other pair is refused without writing anything."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from proposals.models import (
    ModerationAction,
    ModerationVerb,
    Proposal,
    ProposalStatus,
    StatusChange,
    Visibility,
)
from proposals.services.transitions import (
    STATUS_TRANSITIONS,
    VISIBILITY_TRANSITIONS,
    proposal_transition,
)
from tests.consultations.factories import make_consultation, make_facilitator
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

STATUS_PAIRS = list(itertools.product(ProposalStatus.values, repeat=2))
VISIBILITY_PAIRS = list(itertools.product(Visibility.values, repeat=2))


@pytest.fixture
def setting(plan):
    consultation = make_consultation(phase="proposals")
    return {
        "facilitator": make_facilitator(consultation),
        "proposal": ProposalFactory(consultation=consultation),
    }


def test_every_state_has_a_row():
    assert set(STATUS_TRANSITIONS) == set(ProposalStatus.values)
    assert set(VISIBILITY_TRANSITIONS) == set(Visibility.values)


@pytest.mark.parametrize(("current", "wanted"), STATUS_PAIRS)
def test_status_pairs(setting, current, wanted):
    proposal = setting["proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(status=current)
    call = {
        "proposal": proposal,
        "actor": setting["facilitator"],
        "status": wanted,
        "answer": "Risposta",
        "verb": ModerationVerb.ANSWER,
    }
    if wanted in STATUS_TRANSITIONS[current]:
        result = proposal_transition(**call)
        assert result.status_change.from_status == current
        assert result.status_change.to_status == wanted
        assert result.action.action == ModerationVerb.ANSWER
        assert Proposal.objects.get(pk=proposal.pk).status == wanted
    else:
        with pytest.raises(ValidationError):
            proposal_transition(**call)
        assert Proposal.objects.get(pk=proposal.pk).status == current
        assert not StatusChange.objects.filter(proposal=proposal).exists()
        assert not ModerationAction.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize(("current", "wanted"), VISIBILITY_PAIRS)
def test_visibility_pairs(setting, current, wanted):
    proposal = setting["proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(visibility=current)
    call = {
        "proposal": proposal,
        "actor": setting["facilitator"],
        "visibility": wanted,
        "reason": "Motivo",
        "verb": ModerationVerb.HIDE,
    }
    if wanted in VISIBILITY_TRANSITIONS[current]:
        result = proposal_transition(**call)
        assert result.proposal.visibility == wanted
        assert result.action.public_reason == "Motivo"
    else:
        with pytest.raises(ValidationError):
            proposal_transition(**call)
        assert Proposal.objects.get(pk=proposal.pk).visibility == current
        assert not StatusChange.objects.filter(proposal=proposal).exists()
        assert not ModerationAction.objects.filter(proposal=proposal).exists()


def test_withdrawal_by_the_author_is_a_transition_without_audit_row(setting):
    proposal = setting["proposal"]
    proposal_transition(proposal=proposal, actor=proposal.author, visibility=Visibility.WITHDRAWN)
    assert Proposal.objects.get(pk=proposal.pk).visibility == Visibility.WITHDRAWN
    assert not ModerationAction.objects.filter(proposal=proposal).exists()
