"""Services: statements (written, seeded, moderated), votes (one per participant, changed,
refused), and the debounced recompute of the opinion map."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conversations import services
from conversations.models import (
    Choice,
    OpinionSnapshot,
    Statement,
    StatementStatus,
    StatementVote,
)
from conversations.tasks import recompute_opinion_groups, recompute_stale_conversations
from tests.consultations.factories import make_consultation
from tests.conversations.factories import ConversationFactory, StatementFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_participant_statement_is_published_under_post_moderation(conversation, user):
    statement = services.statement_submit(
        conversation=conversation, author=user, text="  Più   piste ciclabili  "
    )
    assert statement.text == "Più piste ciclabili"
    assert statement.status == StatementStatus.PUBLISHED
    assert not statement.is_seed


def test_premoderation_keeps_a_statement_pending_until_approved(plan, user):
    consultation = make_consultation(phases=("conversation",), premoderation=True)
    conversation = ConversationFactory(consultation=consultation)
    statement = services.statement_submit(conversation=conversation, author=user, text="Più treni")
    assert statement.status == StatementStatus.PENDING
    from tests.consultations.factories import make_facilitator

    moderator = make_facilitator(consultation)
    services.statement_moderate(statement=statement, moderator=moderator, action="approve")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PUBLISHED
    assert statement.moderated_by == moderator


def test_a_moderator_seeds_statements_published_at_once(plan, user):
    consultation = make_consultation(phases=("conversation",), premoderation=True)
    conversation = ConversationFactory(consultation=consultation)
    from tests.consultations.factories import make_facilitator

    moderator = make_facilitator(consultation)
    statement = services.statement_submit(
        conversation=conversation, author=moderator, text="La scuola deve aprire il pomeriggio"
    )
    assert statement.is_seed
    assert statement.status == StatementStatus.PUBLISHED


@pytest.mark.parametrize(
    ("text", "message"),
    [("no", "almeno"), ("x" * 141, "al massimo 140")],
)
def test_bad_statements_are_refused_with_a_reason(conversation, user, text, message):
    with pytest.raises(ValidationError, match=message):
        services.statement_submit(conversation=conversation, author=user, text=text)


def test_duplicate_statements_are_refused(conversation, user, other_user):
    services.statement_submit(conversation=conversation, author=user, text="Più treni")
    with pytest.raises(ValidationError, match="c'è già"):
        services.statement_submit(conversation=conversation, author=other_user, text="più TRENI")


def test_participants_cannot_write_when_the_conversation_says_so(plan, user):
    conversation = ConversationFactory(participants_write=False)
    with pytest.raises(PermissionDenied, match="chi modera"):
        services.statement_submit(conversation=conversation, author=user, text="Più treni")


def test_non_moderators_cannot_moderate(conversation, user):
    statement = StatementFactory(conversation=conversation)
    with pytest.raises(PermissionDenied):
        services.statement_moderate(statement=statement, moderator=user, action="hide")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PUBLISHED


def test_hiding_takes_a_statement_out_of_voting(conversation, facilitator, user):
    statement = StatementFactory(conversation=conversation)
    services.statement_moderate(statement=statement, moderator=facilitator, action="hide")
    read_again = Statement.objects.get(pk=statement.pk)  # as the next request reads it
    with pytest.raises(ValidationError, match="non è più in votazione"):
        services.statement_vote(statement=read_again, voter=user, choice="agree")


def test_one_vote_per_participant_and_changing_it(conversation, user):
    statement = StatementFactory(conversation=conversation)
    services.statement_vote(statement=statement, voter=user, choice="agree")
    services.statement_vote(statement=statement, voter=user, choice="disagree")
    votes = StatementVote.objects.filter(statement=statement)
    assert votes.count() == 1
    assert votes.get().choice == Choice.DISAGREE
    assert votes.get().participant_key == f"u{user.pk}"


def test_ineligible_and_out_of_phase_voters_are_refused(plan):
    conversation = ConversationFactory()
    statement = StatementFactory(conversation=conversation)
    too_old = UserFactory(birth_date=datetime.date(1970, 1, 1))
    with pytest.raises(PermissionDenied, match="tra 14 e 35 anni"):
        services.statement_vote(statement=statement, voter=too_old, choice="agree")
    later = ConversationFactory(
        consultation=make_consultation(phases=("information", "conversation"))
    )
    with pytest.raises(PermissionDenied, match="apre il"):
        services.statement_vote(
            statement=StatementFactory(conversation=later), voter=UserFactory(), choice="agree"
        )


def test_moderators_do_not_vote(conversation, facilitator):
    statement = StatementFactory(conversation=conversation)
    with pytest.raises(PermissionDenied, match="non vota"):
        services.statement_vote(statement=statement, voter=facilitator, choice="agree")


def test_an_unknown_choice_is_refused(conversation, user):
    statement = StatementFactory(conversation=conversation)
    with pytest.raises(ValidationError, match="d'accordo"):
        services.statement_vote(statement=statement, voter=user, choice="maybe")


def test_votes_queue_one_recompute_per_conversation(
    conversation, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        recompute_opinion_groups, "apply_async", lambda args, countdown: queued.append(args)
    )
    statements = StatementFactory.create_batch(3, conversation=conversation)
    voters = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        for voter in voters:
            for statement in statements:
                services.statement_vote(statement=statement, voter=voter, choice="agree")
    assert queued == [(conversation.pk,)]
    recompute_opinion_groups(conversation.pk)  # the task releases the key …
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_vote(statement=statements[0], voter=voters[0], choice="pass")
    assert queued == [(conversation.pk,), (conversation.pk,)]  # … so the next vote queues again


def test_the_task_stores_a_snapshot_and_the_sweep_catches_stale_maps(conversation):
    statements = StatementFactory.create_batch(8, conversation=conversation)
    from tests.conversations.factories import StatementVoteFactory

    for person in range(12):
        for statement in statements:
            StatementVoteFactory(
                statement=statement,
                participant_key=f"d{person}",
                choice=Choice.AGREE if person % 2 else Choice.DISAGREE,
            )
    assert recompute_stale_conversations() == 1
    snapshot = OpinionSnapshot.objects.get(conversation=conversation)
    assert snapshot.placed_count == 12
    assert snapshot.groups_count == 2
    assert recompute_stale_conversations() == 0
    recompute_opinion_groups(conversation.pk)
    assert OpinionSnapshot.objects.filter(conversation=conversation).count() == 1
    assert recompute_opinion_groups(999_999) is None


def test_eager_celery_recomputes_at_most_once_per_delay(
    conversation, django_capture_on_commit_callbacks, monkeypatch
):
    """Embedded mode: the task runs in the voting process; the pending key is left to expire,
    so a burst of votes costs one computation."""
    from types import SimpleNamespace

    from conversations import tasks

    computed = []
    monkeypatch.setattr(
        tasks, "snapshot_compute", lambda c: computed.append(c.pk) or SimpleNamespace(pk=1)
    )
    statement = StatementFactory(conversation=conversation)
    for voter in UserFactory.create_batch(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.statement_vote(statement=statement, voter=voter, choice="agree")
    assert computed == [conversation.pk]
