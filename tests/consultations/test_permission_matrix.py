"""The role × phase matrix: who may submit, edit, withdraw, support and comment, in each phase.

Every cell goes through the real service (success, or a ``PermissionDenied`` /
``ValidationError`` with a reason) and agrees with the rule the pages use to explain it
(``*_error`` returns None exactly when the service accepts).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from consultations import rules as consultation_rules
from core.errors import REFUSALS
from proposals import rules as proposal_rules
from proposals.services import comments, votes
from proposals.services import proposals as proposal_services
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory, years_ago
from tests.proposals.factories import ProposalFactory

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
        proposal_services.proposal_submit(
            consultation=consultation,
            author=user,
            title="Una nuova proposta",
            body="Un testo sufficientemente lungo per la proposta.",
        )
    elif verb == "vote":
        votes.vote_cast(proposal=proposal, voter=user)
    elif verb == "comment":
        comments.comment_post(proposal=proposal, author=user, body="Un commento")
    elif verb == "edit":
        proposal_services.proposal_edit(
            proposal=proposal,
            user=user,
            title="Titolo nuovo",
            body="Un testo nuovo e lungo a sufficienza.",
        )
    elif verb == "withdraw":
        proposal_services.proposal_withdraw(proposal=proposal, user=user)


RULES = {
    "submit": (consultation_rules.submit_error, "consultation"),
    "vote": (proposal_rules.support_error, "proposal"),
    "comment": (proposal_rules.comment_error, "proposal"),
    "edit": (proposal_rules.edit_error, "proposal"),
    "withdraw": (proposal_rules.withdraw_error, "proposal"),
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

    rule, target = RULES[verb]
    obj = consultation if target == "consultation" else proposal
    assert (rule(user, obj) is None) is allowed

    if allowed:
        _attempt(verb, user, consultation, proposal)
    else:
        with pytest.raises(REFUSALS) as refusal:
            _attempt(verb, user, consultation, proposal)
        assert str(refusal.value).strip(), "every refusal says why"
