"""Factories for what people contribute: proposals, comments, votes and reports."""

from __future__ import annotations

import factory
from django.utils import timezone

from proposals.models import (
    Amendment,
    ChangeSet,
    Comment,
    CommentVersion,
    ImageUpload,
    Proposal,
    ProposalVersion,
    Report,
    Valuation,
    VersionState,
    Visibility,
    Vote,
)
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


class ProposalVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalVersion

    proposal = None
    state = VersionState.APPLIED
    title = factory.LazyAttribute(lambda version: version.proposal.title)
    body = factory.LazyAttribute(lambda version: version.proposal.body)
    editor = factory.LazyAttribute(lambda version: version.proposal.author)

    class Params:
        pending = factory.Trait(state=VersionState.PENDING)


class CommentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentVersion

    comment = None
    body = factory.LazyAttribute(lambda version: version.comment.body)
    editor = factory.LazyAttribute(lambda version: version.comment.author)


class ImageUploadFactory(factory.django.DjangoModelFactory):
    """A received picture waiting for the cleaning task (``original`` holds its bytes)."""

    class Meta:
        model = ImageUpload

    author = factory.SubFactory(UserFactory)
    original = factory.django.FileField(filename="ricevuta", data=b"")


class ValuationFactory(factory.django.DjangoModelFactory):
    """A technical valuation (budget vote); feasible at the author's estimate by default."""

    class Meta:
        model = Valuation

    proposal = None
    feasible = True
    official_cost = factory.LazyAttribute(lambda valuation: valuation.proposal.cost)
    reason = ""

    class Params:
        unfeasible = factory.Trait(
            feasible=False, official_cost=None, reason="Il terreno non è di proprietà pubblica."
        )


def on_ballot(*, consultation, cost, **fields) -> Proposal:
    """A published proposal of a budget consultation, valued feasible at ``cost``."""
    proposal = ProposalFactory(consultation=consultation, cost=cost, **fields)
    ValuationFactory(proposal=proposal)
    return proposal


def vote(proposal, voter=None) -> Vote:
    return VoteFactory(proposal=proposal, **({"voter": voter} if voter else {}))


def report(*, proposal=None, comment=None, reporter=None, reason="offensive") -> Report:
    extra = {"reporter": reporter} if reporter else {}
    return ReportFactory(proposal=proposal, comment=comment, reason=reason, **extra)


class AmendmentFactory(factory.django.DjangoModelFactory):
    """What an amendment proposal was written against: by default the action's live text."""

    class Meta:
        model = Amendment

    proposal = None
    base_revision_id = factory.LazyAttribute(
        lambda amendment: amendment.proposal.amended_action.live_revision_id
    )
    base_text = factory.LazyAttribute(
        lambda amendment: amendment.proposal.amended_action.official_text
    )


class ChangeSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeSet

    action = None
    base_revision_id = factory.LazyAttribute(lambda change_set: change_set.action.live_revision_id)
    base_text = factory.LazyAttribute(lambda change_set: change_set.action.official_text)
    text = factory.LazyAttribute(lambda change_set: change_set.action.official_text)
