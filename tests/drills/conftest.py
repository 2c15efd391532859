"""Objects the drills need: one open consultation with a proposal and a comment, and one
account per role."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from consultations.models import ConsultationPage, Phase, PhaseKind
from proposals.models import Comment, Proposal
from psm.models import ActionPage
from tests.factories import UserFactory

ROLES = ("anonymous", "participant", "facilitator", "editor", "staff")


@pytest.fixture
def consultation(plan):
    action = ActionPage.objects.live().order_by("path").first()
    page = ConsultationPage(
        title="Consultazione delle esercitazioni",
        slug="esercitazioni",
        question="<p>Che cosa manca nel tuo quartiere?</p>",
    )
    action.add_child(instance=page)
    now = timezone.now()
    Phase.objects.create(
        page=page,
        kind=PhaseKind.VOTING,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=10),
    )
    return page


@pytest.fixture
def proposal(consultation, other_user):
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=other_user,
        title="Una biblioteca aperta la sera",
        body="Uno spazio per studiare anche dopo cena, con la connessione.",
        published_at=timezone.now(),
    )
    Comment.objects.create(proposal=proposal, author=other_user, body="Sono d'accordo")
    return proposal


@pytest.fixture
def role_users(plan):
    """One account per role (anonymous is None)."""
    return {
        "anonymous": None,
        "participant": UserFactory(),
        "facilitator": UserFactory(roles=[Role.FACILITATOR], facilitator=True),
        "editor": UserFactory(roles=[Role.EDITOR], editor=True),
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }


@pytest.fixture
def open_consultation(plan):
    """A consultation taking proposals and votes now (two phases running side by side)."""
    action = ActionPage.objects.live().order_by("path").first()
    page = ConsultationPage(
        title="Consultazione aperta delle esercitazioni",
        slug="esercitazioni-aperta",
        question="<p>Che cosa proponi?</p>",
    )
    action.add_child(instance=page)
    now = timezone.now()
    for kind in (PhaseKind.PROPOSALS, PhaseKind.VOTING):
        Phase.objects.create(
            page=page,
            kind=kind,
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=10),
        )
    return page
