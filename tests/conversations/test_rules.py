"""The conversation phase: it allows conversing and nothing else; other phases do not allow
conversing. And what deleting an account does to conversation rows."""

import pytest

from accounts.personal_data import personal_data_erase
from consultations import rules as consultation_rules
from conversations import rules
from conversations.models import StatementVote
from tests.consultations.factories import make_consultation
from tests.conversations.factories import ConversationFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_the_conversation_phase_allows_conversing_only(plan, user):
    conversation = ConversationFactory()
    consultation = conversation.consultation
    assert rules.vote_error(user, conversation) is None
    assert rules.statement_error(user, conversation) is None
    assert rules.results_error(user, conversation) is None
    assert consultation_rules.submit_error(user, consultation) is not None
    assert consultation_rules.vote_error(user, consultation) is not None
    assert consultation_rules.comment_error(user, consultation) is not None


@pytest.mark.parametrize("phase", ["proposals", "voting", "results"])
def test_other_phases_do_not_allow_conversing(plan, user, phase):
    conversation = ConversationFactory(consultation=make_consultation(phase=phase))
    assert rules.vote_error(user, conversation) is not None
    assert rules.statement_error(user, conversation) is not None


def test_deleting_an_account_keeps_votes_unlinked_and_statements_anonymous(plan, user):
    from conversations import services

    conversation = ConversationFactory()
    statement = services.statement_submit(conversation=conversation, author=user, text="Più treni")
    other = StatementFactory(conversation=conversation)
    services.statement_vote(statement=other, voter=user, choice="agree")
    personal_data_erase(user=user)
    statement.refresh_from_db()
    assert statement.author is None
    assert statement.text == "Più treni"
    vote = StatementVote.objects.get(statement=other)
    assert vote.user is None
    assert vote.participant_key != f"u{user.pk}"
