"""The quick path for supports sent with htmx (``proposals.quick_support``): a support it can
accept as it is is stored once by the batch writer and answered exactly as the view answers;
every other request, and every doubt, reaches Django unchanged.

It runs on PostgreSQL only (its batch statement, ``settings.QUICK_SUPPORT``), and the writer has
its own connection, so the data must be committed: transactional tests.
"""

from __future__ import annotations

import io
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts.session_user import forget_kept_users
from accounts.sessions import SessionStore
from consultations.models import ParticipantBlock, Participation
from proposals.models import Visibility, Vote
from proposals.quick_support import QuickSupport
from proposals.support_writer import SupportWriter
from proposals.vote_facts import forget_kept_facts
from psm.page_cache import TALLIES_VERSION_KEY
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, VoteFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the quick path is on PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True),
]

CSRF = "a" * 32
COUNT = f"SELECT count(*) FROM {Vote._meta.db_table} WHERE proposal_id = %s"  # noqa: S608, SLF001
TOKEN_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


class Counting:
    """Django's WSGI application, counting the requests it receives."""

    def __init__(self):
        self.inner = get_wsgi_application()
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            self.calls += 1
        return self.inner(environ, start_response)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str


@pytest.fixture(autouse=True)
def _nothing_kept():
    forget_kept_users()
    forget_kept_facts()
    yield
    forget_kept_users()
    forget_kept_facts()


@pytest.fixture
def quick(settings):
    settings.QUICK_SUPPORT = True
    return QuickSupport(Counting())


def call(
    app,
    path,
    *,
    session=None,
    csrf=CSRF,
    header_csrf=None,
    hx=True,
    data=None,
    query="",
    method="POST",
) -> Answer:
    body = urlencode(data or {}).encode()
    cookies = [f"{settings.CSRF_COOKIE_NAME}={csrf}"]
    if session:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_COOKIE": "; ".join(cookies),
        "HTTP_X_CSRFTOKEN": csrf if header_csrf is None else header_csrf,
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }
    if hx:
        environ["HTTP_HX_REQUEST"] = "true"
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = list(headers)

    chunks = app(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()  # Django's request_finished, as a server does
    return Answer(started["status"], started["headers"], content.decode())


def vote_path(proposal) -> str:
    return reverse("proposals:vote", kwargs={"pk": proposal.pk})


def signed_in(person, *, cached=True) -> str:
    """A session key of ``person``; in the session cache unless ``cached`` is False."""
    client = Client()
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = SessionStore(key)
    if cached:
        store.load()
        assert caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key)
    else:
        caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key)
    return key


def support(app, proposal, person=None, *, session=None, **kwargs) -> Answer:
    return call(app, vote_path(proposal), session=session or signed_in(person), **kwargs)


def votes_of(proposal) -> int:
    return Vote.objects.filter(proposal=proposal).count()


def normalised(answer: Answer):
    body = TOKEN.sub(r"\g<1>TOKEN\g<2>", answer.body)
    headers = sorted(
        (k.lower(), v) for k, v in answer.headers if k.lower() not in {"date", "set-cookie"}
    )
    return answer.status, headers, body


def assert_same_answer(quick_answer: Answer, view_answer: Answer) -> None:
    quick_status, quick_headers, quick_body = normalised(quick_answer)
    view_status, view_headers, view_body = normalised(view_answer)
    assert quick_body == view_body
    assert quick_status == view_status
    assert cookie_names(quick_answer) == cookie_names(view_answer)
    assert dict(quick_headers) == dict(view_headers)


def cookie_names(answer: Answer) -> set[str]:
    return {v.split("=", 1)[0].strip() for k, v in answer.headers if k.lower() == "set-cookie"}


@pytest.fixture
def voting(plan):
    consultation = make_consultation(phase="voting")
    return consultation, ProposalFactory(consultation=consultation)


# --------------------------------------------------------------------------- accepted


def test_a_support_is_stored_and_answered_without_django(quick, voting):
    consultation, proposal = voting
    person = UserFactory()
    answer = support(quick, proposal, person)
    assert answer.status == 200
    assert quick.application.calls == 0
    assert "Hai sostenuto" in answer.body
    assert "1 sostegno<" in answer.body
    assert Vote.objects.filter(proposal=proposal, voter=person).count() == 1
    assert votes_of(proposal) == 1
    assert Participation.objects.filter(consultation=consultation, user=person).exists()


def test_the_quick_answer_is_the_views_answer_for_a_first_support(quick, voting):
    _consultation, proposal = voting
    person = UserFactory()
    session = signed_in(person)
    quick_answer = support(quick, proposal, session=session)
    assert quick.application.calls == 0
    Vote.objects.filter(proposal=proposal, voter=person).delete()
    view_answer = support(quick.application, proposal, session=session)
    assert votes_of(proposal) == 1
    assert "1 sostegno<" in view_answer.body
    assert_same_answer(quick_answer, view_answer)


def test_the_quick_answer_is_the_views_answer_from_the_kept_copy(quick, voting):
    """Totals above one come from a copy rendered once per proposal and facts."""
    _consultation, proposal = voting
    VoteFactory(proposal=proposal)
    first, second = UserFactory.create_batch(2)
    second_session = signed_in(second)
    answer_two = support(quick, proposal, first)
    answer_three = support(quick, proposal, session=second_session)  # from the kept copy
    assert quick.application.calls == 0
    assert "2 sostegni<" in answer_two.body
    assert "3 sostegni<" in answer_three.body
    assert "2 sostegni" not in answer_three.body
    Vote.objects.filter(proposal=proposal, voter=second).delete()
    view_answer = support(quick.application, proposal, session=second_session)
    assert votes_of(proposal) == 3
    assert_same_answer(answer_three, view_answer)
    # Each answer carries a token of its own request's CSRF secret, never a kept one.
    tokens = [TOKEN_VALUE.search(a.body)[1] for a in (answer_two, answer_three)]
    assert tokens[0] != tokens[1]
    assert {_unmask_cipher_token(token) for token in tokens} == {CSRF}


def test_the_buttons_form_fields_are_accepted_and_answered_as_the_view_does(quick, voting):
    """The button sends its token and ``next`` in the body (no header): the answer keeps
    ``next`` (a safe one) and is the view's answer."""
    consultation, proposal = voting
    VoteFactory(proposal=proposal)
    person = UserFactory()
    session = signed_in(person)
    form = {"csrfmiddlewaretoken": CSRF, "next": consultation.url}
    quick_answer = call(quick, vote_path(proposal), session=session, header_csrf="", data=form)
    assert quick.application.calls == 0
    assert f'name="next" value="{consultation.url}"' in quick_answer.body
    assert "2 sostegni<" in quick_answer.body
    Vote.objects.filter(proposal=proposal, voter=person).delete()
    view_answer = call(
        quick.application, vote_path(proposal), session=session, header_csrf="", data=form
    )
    assert_same_answer(quick_answer, view_answer)


def test_a_second_support_goes_to_the_view_which_refuses_it(quick, voting):
    _consultation, proposal = voting
    session = signed_in(UserFactory())
    assert support(quick, proposal, session=session).status == 200
    assert quick.application.calls == 0
    again = support(quick, proposal, session=session)
    assert quick.application.calls == 1
    assert "Hai già sostenuto" in again.body
    assert votes_of(proposal) == 1


def test_a_support_replaces_the_tallies_version_for_cached_pages(quick, voting):
    consultation, proposal = voting
    assert "0 sostegni" in Client().get(consultation.url).content.decode()  # cached now
    before = cache.get(TALLIES_VERSION_KEY)
    support(quick, proposal, UserFactory())
    assert quick.application.calls == 0
    assert cache.get(TALLIES_VERSION_KEY) != before
    assert "1 sostegno<" in Client().get(consultation.url).content.decode()


def test_pages_show_the_new_total_as_soon_as_the_support_is_answered(quick, plan, monkeypatch):
    """Read-your-writes: once the quick answer says "Hai sostenuto", a cached page must not show
    the old total. The person already takes part (their participation row, whose creation
    changes the versions too, exists), and the writer is slowed down after waking the request
    (as when the request's thread takes the GIL first) to make the ordering visible."""
    consultation = make_consultation(phase="voting")
    first, second = ProposalFactory.create_batch(2, consultation=consultation)
    session = signed_in(UserFactory())
    assert "Hai sostenuto" in support(quick, first, session=session).body
    time.sleep(0.2)  # the first batch announced
    page = Client().get(consultation.url).content.decode()  # cached now
    assert page.count("0 sostegni") == 1
    announce = SupportWriter._announce  # noqa: SLF001

    def late_announce(self, stored):
        time.sleep(0.5)
        announce(self, stored)

    monkeypatch.setattr(SupportWriter, "_announce", late_announce)
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


def test_a_failing_writer_hands_the_support_to_the_view(quick, voting, monkeypatch):
    _consultation, proposal = voting

    def broken(self, batch):
        raise RuntimeError("database restarting")

    monkeypatch.setattr(SupportWriter, "_write", broken)
    answer = support(quick, proposal, UserFactory())
    assert quick.application.calls == 1
    assert answer.status == 200
    assert "Hai sostenuto" in answer.body
    assert votes_of(proposal) == 1


def test_turned_off_every_request_goes_to_django(settings, voting):
    settings.QUICK_SUPPORT = False
    app = QuickSupport(Counting())
    _consultation, proposal = voting
    answer = support(app, proposal, UserFactory())
    assert app.application.calls == 1
    assert "Hai sostenuto" in answer.body
    assert votes_of(proposal) == 1


# --------------------------------------------------------------------------- handed to Django


def test_requests_not_shaped_as_the_button_go_to_django(quick, voting):
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
    # A GET.
    handed(call(quick, path, session=session, method="GET"), status=405)
    # Without htmx: the view stores it and redirects.
    handed(call(quick, path, session=signed_in(UserFactory()), hx=False), status=302, stored=1)
    # With a query string.
    handed(call(quick, path, session=signed_in(UserFactory()), query="x=1"), stored=2)
    # In English.
    english = call(quick, f"/en{path}", session=signed_in(UserFactory()))
    handed(english, stored=3)
    assert "You supported" in english.body or "supported" in english.body.lower()
    # A session not in the cache: the view reads it from the database.
    handed(
        call(quick, path, session=signed_in(UserFactory(), cached=False)),
        stored=4,
        contains="Hai sostenuto",
    )
    # An unknown session.
    handed(call(quick, path, session="x" * 32), stored=4, contains="Per sostenere")


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
    handed(signed_in(english), stored=1, contains="Hai sostenuto")
    english.refresh_from_db()
    assert english.language == "it"  # remembered by the view's middleware


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
