"""The role × phase matrix: who may submit, edit, withdraw, support and comment, in each phase.

Every cell goes through the real service (success or a ParticipationError with a reason) and
agrees with the django-rules permission the templates use.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from consultations.services import ParticipationError
from proposals import services
from tests.consultations.factories import ProposalFactory, make_consultation, make_facilitator
from tests.factories import UserFactory, years_ago

pytestmark = pytest.mark.django_db

PHASES = ["information", "proposals", "discussion", "voting", "results"]
ROLES = [
    "anonymous",
    "participant",
    "ineligible",
    "author",
    "facilitator_here",
    "facilitator_other",
    "editor",
]
PARTICIPATING = {"participant", "author", "facilitator_other", "editor"}

EXPECTED = {
    # verb: {phase: roles allowed}
    "submit": {"proposals": PARTICIPATING},
    "vote": {"voting": PARTICIPATING},
    "comment": {
        "proposals": PARTICIPATING | {"facilitator_here"},
        "discussion": PARTICIPATING | {"facilitator_here"},
        "voting": PARTICIPATING | {"facilitator_here"},
    },
    # Authors edit until voting opens; they may withdraw at any time.
    "edit": {phase: {"author"} for phase in ("information", "proposals", "discussion")},
    "withdraw": {phase: {"author"} for phase in PHASES},
}


def _actor(role, consultation, author):
    if role == "anonymous":
        return AnonymousUser()
    if role == "participant":
        return UserFactory()
    if role == "ineligible":
        return UserFactory(birth_date=years_ago(40))
    if role == "author":
        return author
    if role == "facilitator_here":
        return make_facilitator(consultation)
    if role == "facilitator_other":
        return make_facilitator(make_consultation(phase="proposals"))
    if role == "editor":
        return UserFactory(roles=[Role.EDITOR])
    raise AssertionError(role)


def _attempt(verb, user, consultation, proposal):
    if verb == "submit":
        services.proposal_submit(
            consultation=consultation,
            author=user,
            title="Una nuova proposta",
            body="Un testo sufficientemente lungo per la proposta.",
        )
    elif verb == "vote":
        services.vote_cast(proposal=proposal, voter=user)
    elif verb == "comment":
        services.comment_post(proposal=proposal, author=user, body="Un commento")
    elif verb == "edit":
        services.proposal_edit(
            proposal=proposal,
            user=user,
            title="Titolo nuovo",
            body="Un testo nuovo e lungo a sufficienza.",
        )
    elif verb == "withdraw":
        services.proposal_withdraw(proposal=proposal, user=user)


PERMISSION_NAMES = {
    "submit": ("consultations.submit_proposal", "consultation"),
    "vote": ("proposals.support_proposal", "proposal"),
    "comment": ("proposals.comment_proposal", "proposal"),
    "edit": ("proposals.edit_proposal", "proposal"),
    "withdraw": ("proposals.withdraw_proposal", "proposal"),
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", list(EXPECTED))
def test_matrix(plan, verb, role, phase):
    consultation = make_consultation(phase=phase)
    author = UserFactory()
    proposal = ProposalFactory(consultation=consultation, author=author)
    user = _actor(role, consultation, author)
    allowed = role in EXPECTED[verb].get(phase, set())

    name, target = PERMISSION_NAMES[verb]
    obj = consultation if target == "consultation" else proposal
    assert user.has_perm(name, obj) is allowed

    if allowed:
        _attempt(verb, user, consultation, proposal)
    else:
        with pytest.raises(ParticipationError) as refusal:
            _attempt(verb, user, consultation, proposal)
        assert str(refusal.value).strip(), "every refusal says why"
