"""Factories for the participant side: consultations with phases, proposals, votes, comments."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from consultations.models import ConsultationPage, Phase
from consultations.services import facilitation_grant
from proposals.models import Comment, Proposal, Visibility, Vote
from psm.models import ActionPage
from tests.factories import UserFactory

_counter = itertools.count(1)
DAY = datetime.timedelta(days=1)

#: Phase layouts used by the tests, relative to "now": (kind, start offset, end offset) in days.
LAYOUTS = {
    "information": [("information", -1, 9), ("proposals", 9, 19), ("voting", 19, 29)],
    "proposals": [("information", -11, -1), ("proposals", -1, 9), ("voting", 9, 19)],
    "discussion": [("proposals", -11, -1), ("discussion", -1, 9), ("voting", 9, 19)],
    "voting": [("proposals", -11, -1), ("voting", -1, 9), ("results", 9, 40)],
    "results": [("proposals", -21, -11), ("voting", -11, -1), ("results", -1, 40)],
    "closed": [("proposals", -31, -21), ("voting", -21, -11)],
    "proposals+voting": [("proposals", -1, 9), ("voting", -1, 9)],
}


def make_consultation(*, phase: str = "proposals", parent=None, **fields) -> ConsultationPage:
    """A live consultation whose phases put "now" in ``phase`` (see LAYOUTS)."""
    parent = parent or ActionPage.objects.get(code="5.2.1")
    n = next(_counter)
    fields.setdefault("title", f"Consultazione {n}")
    fields.setdefault("slug", f"consultazione-a-{n}-{timezone.now().timestamp():.0f}")
    fields.setdefault("question", "<p>Che cosa cambieresti?</p>")
    eligible_comuni = fields.pop("eligible_comuni", None)
    now = timezone.now()
    consultation = ConsultationPage(**fields)
    consultation.phases = [
        Phase(kind=kind, starts_at=now + start * DAY, ends_at=now + end * DAY, sort_order=i)
        for i, (kind, start, end) in enumerate(LAYOUTS[phase])
    ]
    parent.add_child(instance=consultation)
    if eligible_comuni:
        consultation.eligible_comuni.set(eligible_comuni)
        consultation.save()
    return ConsultationPage.objects.get(pk=consultation.pk)


def make_facilitator(consultation: ConsultationPage, **kwargs):
    user = UserFactory(**kwargs)
    facilitation_grant(page=consultation, user=user)
    return type(user).objects.get(pk=user.pk)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    consultation = None
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposta numero {n}")
    body = "Un testo abbastanza lungo per essere una proposta vera e propria."
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    proposal = None
    voter = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = None
    author = factory.SubFactory(UserFactory)
    body = "Sono d'accordo."
