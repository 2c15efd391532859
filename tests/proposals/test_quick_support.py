"""The quick path for supports sent with htmx (``consultations.quick``, ``proposals.quick_support``): a support it can
accept as it is is stored once by the batch writer and answered exactly as the view answers;
every other request, and every doubt, reaches Django unchanged.

It runs on PostgreSQL only (its batch statement, ``settings.QUICK_SUPPORT``), and the writer has
its own connection, so the data must be committed: transactional tests.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consultations.models import ParticipantBlock, Participation
from consultations.quick.app import QuickPath
from proposals.models import Visibility, Vote
from proposals.quick_support import SupportHandler
from proposals.support_writer import SupportWriter
from psm.page_cache import TALLIES_VERSION_KEY
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory
from tests.quick_path import (
    CSRF,
    QUICK_PATH_MARKS,
    TOKEN_VALUE,
    Answer,
    Counting,
    assert_same_body,
    assert_same_headers,
    call,
    signed_in,
)

pytestmark = QUICK_PATH_MARKS

COUNT = f"SELECT count(*) FROM {Vote._meta.db_table} WHERE proposal_id = %s"  # noqa: S608, SLF001


@pytest.fixture
def quick(settings):
    settings.QUICK_SUPPORT = True
    return QuickPath(Counting(), [SupportHandler()])


def vote_path(proposal) -> str:
    return reverse("proposals:vote", kwargs={"pk": proposal.pk})


def support(app, proposal, person=None, *, session=None, **kwargs) -> Answer:
    return call(app, vote_path(proposal), session=session or signed_in(person), **kwargs)


def votes_of(proposal) -> int:
    return Vote.objects.filter(proposal=proposal).count()


@pytest.fixture
def voting(plan):
    consultation = make_consultation(phase="voting")
    return consultation, ProposalFactory(consultation=consultation)


# --------------------------------------------------------------------------- accepted


def test_a_support_is_stored_once_and_answered_without_django(quick, voting):
    consultation, proposal = voting
    person = UserFactory()
    session = signed_in(person)
    answer = support(quick, proposal, session=session)
    assert answer.status == 200
    assert quick.application.calls == 0
    assert "Hai sostenuto" in answer.body
    assert "1 sostegno<" in answer.body
    assert Vote.objects.filter(proposal=proposal, voter=person).count() == 1
    assert Participation.objects.filter(consultation=consultation, user=person).exists()
    # Again: the view explains the refusal.
    again = support(quick, proposal, session=session)
    assert quick.application.calls == 1
    assert again.status == 200
    assert "Hai già sostenuto" in again.body
    assert votes_of(proposal) == 1


def test_the_quick_answer_is_the_views_answer(quick, voting):
    """The same status, cookies, body (but for the CSRF token) and headers (but for Date) as
    the view gives for the same support: for a total of one (rendered as it is), for totals
    above one (from the copy kept per proposal and facts), and with the button's own form
    fields (its token and ``next`` in the body)."""
    consultation, proposal = voting
    pairs = []

    def both(person, total, **kwargs):
        session = signed_in(person)
        calls = quick.application.calls
        quick_answer = call(quick, vote_path(proposal), session=session, **kwargs)
        assert quick.application.calls == calls  # answered without Django
        assert "Hai sostenuto" in quick_answer.body
        assert f"{total} {'sostegno' if total == 1 else 'sostegni'}<" in quick_answer.body
        Vote.objects.filter(proposal=proposal, voter=person).delete()
        view_answer = call(quick.application, vote_path(proposal), session=session, **kwargs)
        assert votes_of(proposal) == total
        pairs.append((quick_answer, view_answer))
        return quick_answer

    first, second, third = UserFactory.create_batch(3)
    both(first, 1)
    answer_two = both(second, 2)
    answer_three = both(third, 3)  # the copy kept for the total of two
    form = {"csrfmiddlewaretoken": CSRF, "next": consultation.url}
    with_form = both(UserFactory(), 4, header_csrf="", data=form)
    assert f'name="next" value="{consultation.url}"' in with_form.body
    # Each answer carries a token of its own request's CSRF secret, never a kept one.
    tokens = [TOKEN_VALUE.search(a.body)[1] for a in (answer_two, answer_three)]
    assert tokens[0] != tokens[1]
    assert {_unmask_cipher_token(token) for token in tokens} == {CSRF}

    for quick_answer, view_answer in pairs:
        assert_same_body(quick_answer, view_answer)
    for quick_answer, view_answer in pairs:
        assert_same_headers(quick_answer, view_answer)


def test_pages_show_the_new_total_as_soon_as_the_support_is_answered(quick, plan, monkeypatch):
    """A quick support replaces the tallies version before it is answered: a cached page shows
    the new total at once (read-your-writes). The writer is slowed down after waking the
    request (as when the request's thread takes the GIL first) to make the ordering visible;
    the person already takes part (a participation row's creation changes versions too)."""
    consultation = make_consultation(phase="voting")
    first, second = ProposalFactory.create_batch(2, consultation=consultation)
    session = signed_in(UserFactory())
    assert "0 sostegni" in Client().get(consultation.url).content.decode()  # cached now
    before = cache.get(TALLIES_VERSION_KEY)
    assert "Hai sostenuto" in support(quick, first, session=session).body
    assert cache.get(TALLIES_VERSION_KEY) != before
    assert "1 sostegno<" in Client().get(consultation.url).content.decode()

    time.sleep(0.2)  # the first batch announced
    announce = SupportWriter.announce

    def late_announce(self, batch):
        time.sleep(0.5)
        announce(self, batch)

    monkeypatch.setattr(SupportWriter, "announce", late_announce)
    before = cache.get(TALLIES_VERSION_KEY)
    assert "Hai sostenuto" in support(quick, second, session=session).body
    assert quick.application.calls == 0
    assert cache.get(TALLIES_VERSION_KEY) != before
    assert "0 sostegni" not in Client().get(consultation.url).content.decode()


def test_many_supports_at_once_are_each_stored_once(quick, plan):
    consultation = make_consultation(phase="voting")
    proposals = ProposalFactory.create_batch(3, consultation=consultation)
    people = UserFactory.create_batch(4)
    sessions = {person.pk: signed_in(person) for person in people}
    requests = [(p, person) for p in proposals for person in people] * 2  # each pair twice
    requests += [(proposals[0], people[0])] * 4

    def send(pair):
        proposal, person = pair
        try:
            return support(quick, proposal, session=sessions[person.pk])
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(send, requests))
    assert {a.status for a in answers} == {200}
    for proposal in proposals:
        for person in people:
            assert Vote.objects.filter(proposal=proposal, voter=person).count() == 1
    with connection.cursor() as cursor:
        for proposal in proposals:
            cursor.execute(COUNT, [proposal.pk])
            assert cursor.fetchone()[0] == len(people)
    stored = sum("Hai sostenuto" in a.body for a in answers)
    refused = sum("Hai già sostenuto" in a.body for a in answers)
    assert stored == len(proposals) * len(people)
    assert refused == len(requests) - stored
    # Every refusal came from the view; some supports were stored without it.
    assert refused <= quick.application.calls < len(requests)


def test_a_failing_writer_hands_the_support_to_the_view(quick, voting, monkeypatch):
    _consultation, proposal = voting

    def broken(self, cursor, batch):
        raise RuntimeError("database restarting")

    monkeypatch.setattr(SupportWriter, "write", broken)
    answer = support(quick, proposal, UserFactory())
    assert quick.application.calls == 1
    assert answer.status == 200
    assert "Hai sostenuto" in answer.body
    assert votes_of(proposal) == 1


# --------------------------------------------------------------------------- handed to Django


def test_requests_not_shaped_as_the_button_go_to_django(quick, voting, settings):
    _consultation, proposal = voting
    path = vote_path(proposal)

    def handed(answer, *, status=200, stored=0, contains=None):
        nonlocal calls
        calls += 1
        assert quick.application.calls == calls
        assert answer.status == status
        assert votes_of(proposal) == stored
        if contains:
            assert contains in answer.body

    calls = 0
    # No session cookie: the view asks to sign in.
    handed(call(quick, path), contains="Per sostenere una proposta accedi")
    # A bad CSRF token: Django refuses it.
    session = signed_in(UserFactory())
    handed(call(quick, path, session=session, header_csrf="b" * 32), status=403)
    # No CSRF cookie at all.
    handed(call(quick, path, session=session, csrf=""), status=403)
    # A withdrawal.
    handed(
        call(quick, path, session=session, data={"azione": "ritira"}),
        contains="Non avevi sostenuto",
    )
    # A field the button does not send.
    handed(
        call(quick, path, session=session, data={"altro": "1"}), stored=1, contains="Hai sostenuto"
    )
    Vote.objects.filter(proposal=proposal).delete()
    # A body longer than the button's.
    handed(call(quick, path, session=session, data={"next": "/" + "x" * 5000}), stored=1)
    Vote.objects.filter(proposal=proposal).delete()
    # A NUL character in a field: the view's guard answers 400 and nothing is stored.
    handed(call(quick, path, session=session, data={"next": "/a\x00b/"}), status=400)
    # A GET.
    handed(call(quick, path, session=session, method="GET"), status=405)
    # Without htmx: the view stores it and redirects.
    handed(call(quick, path, session=signed_in(UserFactory()), hx=False), status=302, stored=1)
    # With a query string.
    handed(call(quick, path, session=signed_in(UserFactory()), query="x=1"), stored=2)
    # In English.
    english = call(quick, f"/en{path}", session=signed_in(UserFactory()))
    handed(english, stored=3)
    assert "You have supported" in english.body
    # A session not in the cache: the session engine reads it from the database, and the quick
    # path answers (the view is not called).
    answer = call(quick, path, session=signed_in(UserFactory(), cached=False))
    assert quick.application.calls == calls
    assert "Hai sostenuto" in answer.body
    assert votes_of(proposal) == 4
    # An unknown session.
    handed(call(quick, path, session="x" * 32), stored=4, contains="Per sostenere")
    # Turned off (SQLite, or QUICK_SUPPORT=False): every request goes to Django.
    settings.QUICK_SUPPORT = False
    off = QuickPath(Counting(), [SupportHandler()])
    answer = call(off, path, session=signed_in(UserFactory()))
    assert off.application.calls == 1
    assert "Hai sostenuto" in answer.body
    assert votes_of(proposal) == 5


def test_consultations_and_proposals_the_quick_path_leaves_to_django(quick, plan):
    person = UserFactory()
    session = signed_in(person)
    calls = 0

    def handed(proposal, *, status=200, stored=0, contains=None):
        nonlocal calls
        answer = support(quick, proposal, session=session)
        calls += 1
        assert quick.application.calls == calls, contains
        assert answer.status == status, contains
        assert votes_of(proposal) == stored, contains
        if contains:
            assert contains in answer.body
        return answer

    limited = make_consultation(phase="voting", vote_mode="limited", max_supports=2)
    handed(ProposalFactory(consultation=limited), stored=1, contains="Puoi ancora dare 1")
    budget = make_consultation(phase="voting", vote_mode="budget")
    handed(ProposalFactory(consultation=budget), contains="scheda di bilancio")
    proposals_phase = make_consultation(phase="proposals")
    handed(ProposalFactory(consultation=proposals_phase))

    voting = make_consultation(phase="voting")
    handed(ProposalFactory(consultation=voting, visibility=Visibility.HIDDEN), status=404)
    handed(ProposalFactory(consultation=voting, visibility=Visibility.PENDING), status=404)
    handed(
        ProposalFactory(consultation=voting, visibility=Visibility.WITHDRAWN), contains="ritirata"
    )

    restricted = make_consultation(phase="voting")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    handed(ProposalFactory(consultation=restricted), status=404)
    unpublished = make_consultation(phase="voting")
    unpublished_proposal = ProposalFactory(consultation=unpublished)
    unpublished.unpublish()
    handed(unpublished_proposal, status=404)

    moderated = make_consultation(phase="voting")
    facilitator = make_facilitator(moderated)
    answer = support(quick, ProposalFactory(consultation=moderated), facilitator)
    calls += 1
    assert quick.application.calls == calls
    assert "Chi modera questa consultazione non vota" in answer.body

    blocked = make_consultation(phase="voting")
    ParticipantBlock.objects.create(
        consultation=blocked, user=person, reason="x", blocked_by=make_facilitator(blocked)
    )
    handed(ProposalFactory(consultation=blocked), contains="sospes")
    assert not Vote.objects.filter(voter=facilitator).exists()


def test_people_the_quick_path_leaves_to_django(quick, plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    calls = 0

    def handed(session, *, stored, contains):
        nonlocal calls
        answer = support(quick, proposal, session=session)
        calls += 1
        assert quick.application.calls == calls, contains
        assert answer.status == 200
        assert votes_of(proposal) == stored, contains
        assert contains in answer.body
        return answer

    inactive = UserFactory(is_active=False)
    handed(signed_in(inactive), stored=0, contains="Per sostenere una proposta accedi")

    changed = UserFactory()
    session = signed_in(changed)
    changed.set_password("un-altra-password-sicura-43")
    changed.save()
    handed(session, stored=0, contains="Per sostenere una proposta accedi")

    english = UserFactory(language="en")
    english_session = signed_in(english)
    handed(english_session, stored=1, contains="Hai sostenuto")
    english.refresh_from_db()
    assert english.language == "it"  # remembered by the view's middleware
    # The middleware's UPDATE replaced the users version: the next support is quick.
    other = ProposalFactory(consultation=consultation)
    assert "Hai sostenuto" in support(quick, other, session=english_session).body
    assert quick.application.calls == calls


def test_changes_apply_to_the_very_next_support(quick, plan):
    consultation = make_consultation(phase="voting")
    first, second = ProposalFactory.create_batch(2, consultation=consultation)
    facilitator = make_facilitator(consultation)

    blocked, changed, deactivated = UserFactory.create_batch(3)
    sessions = {person.pk: signed_in(person) for person in (blocked, changed, deactivated)}
    for person in (blocked, changed, deactivated):
        assert "Hai sostenuto" in support(quick, first, session=sessions[person.pk]).body
    assert quick.application.calls == 0

    ParticipantBlock.objects.create(
        consultation=consultation, user=blocked, reason="x", blocked_by=facilitator
    )
    answer = support(quick, second, session=sessions[blocked.pk])
    assert quick.application.calls == 1
    assert "sospes" in answer.body

    changed.set_password("un-altra-password-sicura-43")
    changed.save()
    answer = support(quick, second, session=sessions[changed.pk])
    assert quick.application.calls == 2
    assert "Per sostenere una proposta accedi" in answer.body

    deactivated.is_active = False
    deactivated.save()
    answer = support(quick, second, session=sessions[deactivated.pk])
    assert quick.application.calls == 3
    assert "Per sostenere una proposta accedi" in answer.body

    assert votes_of(first) == 3
    assert votes_of(second) == 0
