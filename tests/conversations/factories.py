"""Factories for conversations: a conversation (in a consultation running a conversation
phase), statements and votes."""

from __future__ import annotations

import factory

from conversations.models import Choice, Conversation, Statement, StatementStatus, StatementVote
from tests.consultations.factories import make_consultation


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    consultation = factory.LazyFunction(lambda: make_consultation(phases=("conversation",)))
    question = factory.Sequence(lambda n: f"Come dovrebbe cambiare il trasporto? ({n})")
    seed = 42


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    conversation = factory.SubFactory(ConversationFactory)
    text = factory.Sequence(lambda n: f"Servono più autobus la sera, proposta {n}")
    status = StatementStatus.PUBLISHED

    class Params:
        pending = factory.Trait(status=StatementStatus.PENDING)
        hidden = factory.Trait(status=StatementStatus.HIDDEN)


class StatementVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementVote

    statement = factory.SubFactory(StatementFactory)
    conversation = factory.LazyAttribute(lambda vote: vote.statement.conversation)
    participant_key = factory.Sequence(lambda n: f"d{n}")
    choice = Choice.AGREE
