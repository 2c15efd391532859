"""Factories for what people contribute: proposals, comments, votes and reports."""

from __future__ import annotations

import factory
from django.utils import timezone

from proposals.models import Comment, Proposal, Report, Visibility, Vote
from tests.factories import UserFactory


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


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    proposal = None
    comment = None
    reporter = factory.SubFactory(UserFactory)
    reason = "offensive"


def vote(proposal, voter=None) -> Vote:
    return VoteFactory(proposal=proposal, **({"voter": voter} if voter else {}))


def report(*, proposal=None, comment=None, reporter=None, reason="offensive") -> Report:
    extra = {"reporter": reporter} if reporter else {}
    return ReportFactory(proposal=proposal, comment=comment, reason=reason, **extra)
