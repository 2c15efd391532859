"""The quick path for votes on statements sent with htmx (``conversations.quick_vote``): a vote
it can accept as it is is stored by the batch writer (``conversations.vote_writer``) and
answered with the card the view gives; every other request, and every doubt, reaches Django
unchanged.

PostgreSQL only (its batch statement, ``settings.QUICK_SUPPORT``); the writer has its own
connection, so the data must be committed: transactional tests.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations.models import ParticipantBlock, Participation
from consultations.quick.app import QuickPath
from conversations.models import Choice, StatementVote
from conversations.quick_vote import StatementVoteHandler
from conversations.tasks import pending_key, recompute_opinion_groups
from conversations.vote_writer import VoteWriter
from proposals.quick_support import SupportHandler
from tests.consultations.factories import make_facilitator
from tests.conversations.factories import ConversationFactory, StatementFactory
from tests.factories import UserFactory
from tests.quick_path import (
    CSRF,
    QUICK_PATH_MARKS,
    TOKEN_VALUE,
    Counting,
    assert_same_body,
    assert_same_headers,
    call,
    cookie_names,
    cookie_value,
    signed_in,
)

pytestmark = QUICK_PATH_MARKS


@pytest.fixture
def quick(settings):
    settings.QUICK_SUPPORT = True
    return QuickPath(Counting(), [SupportHandler(), StatementVoteHandler()])


@pytest.fixture(autouse=True)
def recomputes(monkeypatch):
    """The recomputes asked for (conversation ids), not run: eager Celery would run them in
    the writer's thread, after the test."""
    asked = []
    monkeypatch.setattr(
        recompute_opinion_groups, "apply_async", lambda args, **kwargs: asked.append(args[0])
    )
    return asked


@pytest.fixture
def statements(plan):
    conversation = ConversationFactory()
    return StatementFactory.create_batch(3, conversation=conversation)


def vote_path(statement) -> str:
    with translation.override("it"):  # a request in English leaves its language active here
        return reverse("conversations:vote", args=[statement.pk])


def vote(app, statement, session, choice="agree", **kwargs):
    return call(app, vote_path(statement), session=session, data={"voto": choice}, **kwargs)


def choice_of(statement, person):
    return StatementVote.objects.get(statement=statement, user=person).choice


# --------------------------------------------------------------------------- accepted


def test_a_vote_is_stored_and_answered_with_the_next_card_without_django(
    quick, statements, recomputes
):
    first, second, third = statements
    conversation = first.conversation
    person = UserFactory()
    session = signed_in(person)
    answer = vote(quick, first, session)
    assert answer.status == 200
    assert quick.application.calls == 0
    assert 'id="scheda-voto"' in answer.body
    assert 'role="status">Voto registrato.' in answer.body
    assert "Hai votato 1 affermazioni su 3." in answer.body
    assert first.text not in answer.body  # the next one is offered
    assert choice_of(first, person) == Choice.AGREE
    assert Participation.objects.filter(consultation=conversation.consultation, user=person)
    assert cache.get(pending_key(conversation.pk))  # the map's recompute is asked for, once
    assert recomputes == [conversation.pk]
    # A second vote on the same statement changes it, on the quick path too.
    assert vote(quick, first, session, "disagree").status == 200
    assert choice_of(first, person) == Choice.DISAGREE
    assert StatementVote.objects.filter(statement=first).count() == 1
    vote(quick, second, session, "pass")
    last = vote(quick, third, session)
    assert "Hai votato tutte le affermazioni pubblicate" in last.body
    assert quick.application.calls == 0


def test_the_quick_card_is_the_views_card(quick, statements):
    """The same status, cookies, body (but for the CSRF token) and headers (but for Date) as
    the view gives for the same vote by the same person, with the same statements voted."""
    first, second, _third = statements
    person = UserFactory()
    session = signed_in(person)
    pairs = []
    for statement in (first, second):
        quick_answer = vote(quick, statement, session)
        assert quick.application.calls == len(pairs)  # answered without Django
        StatementVote.objects.filter(statement=statement, user=person).delete()
        view_answer = vote(quick.application, statement, session)
        assert quick.application.calls == len(pairs) + 1
        pairs.append((quick_answer, view_answer))
    tokens = [TOKEN_VALUE.search(quick_answer.body)[1] for quick_answer, _view in pairs]
    assert tokens[0] != tokens[1]  # each answer its own request's token
    assert {_unmask_cipher_token(token) for token in tokens} == {CSRF}
    for quick_answer, view_answer in pairs:
        assert_same_body(quick_answer, view_answer)
        assert_same_headers(quick_answer, view_answer)


def test_a_plain_form_vote_gets_the_views_redirect_and_message(quick, statements):
    """Without JavaScript: the same redirect, headers and cookies as the view's, and the
    message shows on the page it leads to."""
    first, second, _third = statements
    person = UserFactory()
    session = signed_in(person)
    quick_answer = vote(quick, first, session, hx=False)
    assert quick.application.calls == 0
    assert quick_answer.status == 302
    assert choice_of(first, person) == Choice.AGREE
    StatementVote.objects.filter(statement=first, user=person).delete()
    view_answer = vote(quick.application, first, session, hx=False)
    assert quick.application.calls == 1
    assert_same_body(quick_answer, view_answer)
    assert_same_headers(quick_answer, view_answer)
    assert cookie_names(quick_answer) == {"messages"}
    location = dict(quick_answer.headers)["Location"]
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; messages={cookie_value(quick_answer, 'messages')}"
    assert "Voto registrato." in Client().get(location, HTTP_COOKIE=cookie).content.decode()


def test_many_votes_at_once_leave_one_vote_per_person_and_statement(quick, statements):
    people = UserFactory.create_batch(4)
    sessions = {person.pk: signed_in(person) for person in people}
    requests = [
        (statement, person, choice)
        for statement in statements
        for person in people
        for choice in ("agree", "disagree")  # each pair twice, the second changes it
    ]

    def send(request):
        statement, person, choice = request
        try:
            return vote(quick, statement, sessions[person.pk], choice)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(send, requests))
    assert {a.status for a in answers} == {200}
    assert all("Voto registrato." in a.body for a in answers)
    assert quick.application.calls < len(requests)
    for statement in statements:
        for person in people:
            votes = StatementVote.objects.filter(statement=statement, user=person)
            assert votes.count() == 1
            assert votes.get().choice in {Choice.AGREE, Choice.DISAGREE}


def test_a_failing_writer_hands_the_vote_to_the_view(quick, statements, monkeypatch):
    def broken(self, cursor, batch):
        raise RuntimeError("database restarting")

    monkeypatch.setattr(VoteWriter, "write", broken)
    person = UserFactory()
    answer = vote(quick, statements[0], signed_in(person))
    assert quick.application.calls == 1
    assert answer.status == 200
    assert "Voto registrato." in answer.body
    assert choice_of(statements[0], person) == Choice.AGREE


# --------------------------------------------------------------------------- handed to Django


def test_votes_the_quick_path_leaves_to_django(quick, statements, settings):
    """Each of these reaches the view (counted), which stores or refuses and explains."""
    first, second, _third = statements
    conversation = first.conversation
    consultation = conversation.consultation
    calls = 0

    def handed(answer, *, status=200, contains=None):
        nonlocal calls
        calls += 1
        assert quick.application.calls == calls
        assert answer.status == status
        if contains:
            assert contains in answer.body

    person = UserFactory()
    session = signed_in(person)
    # A choice it does not know: the view explains.
    handed(vote(quick, first, session, "forse"), contains="Scegli «d&#x27;accordo»")
    # From «Le mie risposte»: a redirect back there.
    handed(
        call(quick, vote_path(first), session=session, data={"voto": "agree", "da": "risposte"}),
        status=302,
    )
    # A plain form while an earlier message waits in its cookie: the view adds to it.
    waiting = call(
        quick,
        vote_path(second),
        session=signed_in(UserFactory()),
        data={"voto": "agree"},
        hx=False,
        extra_cookies={"messages": "waiting"},
    )
    handed(waiting, status=302)
    # In English (a person who then reads the site in English: the view remembers it).
    english = call(
        quick, f"/en{vote_path(first)}", session=signed_in(UserFactory()), data={"voto": "agree"}
    )
    handed(english, contains="Vote recorded.")
    # A hidden statement.
    hidden = StatementFactory(conversation=conversation, hidden=True)
    handed(vote(quick, hidden, session), contains="non è più in votazione")
    # A person suspended in the consultation.
    blocked = UserFactory()
    ParticipantBlock.objects.create(consultation=consultation, user=blocked, reason="test")
    handed(vote(quick, first, signed_in(blocked)))
    assert not StatementVote.objects.filter(user=blocked).exists()
    # Who moderates does not vote.
    moderator = make_facilitator(consultation)
    handed(vote(quick, first, signed_in(moderator)), contains="Chi modera")
    assert not StatementVote.objects.filter(user=moderator).exists()
    # No session.
    handed(call(quick, vote_path(first), data={"voto": "agree"}), status=302)
    # Turned off: every request goes to Django.
    settings.QUICK_SUPPORT = False
    off = QuickPath(Counting(), [StatementVoteHandler()])
    answer = vote(off, second, signed_in(UserFactory()))
    assert off.application.calls == 1
    assert "Voto registrato." in answer.body
