"""Fragments kept for everybody (psm.page_cache.fragment_key, {% fragment %}, the proposal list
of proposals.list_cache): fewer queries on signed-in pages, each person's own supports, pending
proposals and CSRF token put in, and nothing stale after a write."""

import re

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from proposals.models import Visibility
from psm.models import ActionPage
from psm.page_cache import bump_content_version
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, VoteFactory

pytestmark = pytest.mark.django_db

ACTION_URL = "/piano/asse-5/strategia-5-2/azione-5-2-1/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Signed in, a warm cache: the unread notifications (the session is cached, the person kept in
# the process); the body, the navigation and the footer are fragments.
SIGNED_IN_HOME_QUERIES = 1
SIGNED_IN_ACTION_QUERIES = 1


def _signed_in(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user or UserFactory())
    return client


def test_signed_in_home_and_action_pinned(plan, django_assert_num_queries):
    client = _signed_in()
    client.get("/")
    client.get(ACTION_URL)
    with django_assert_num_queries(SIGNED_IN_HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(SIGNED_IN_ACTION_QUERIES):
        assert client.get(ACTION_URL).status_code == 200


def test_a_published_change_reaches_signed_in_people_at_once(plan):
    client = _signed_in()
    assert "Azione 5.2.1" in client.get(ACTION_URL).content.decode()
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    action.title = "Azione con un titolo nuovo"
    action.save_revision().publish()
    assert "Azione con un titolo nuovo" in client.get(ACTION_URL).content.decode()


def test_each_person_sees_their_own_supports_pending_and_token(plan):
    consultation = make_consultation(phase="voting")
    supported = ProposalFactory(consultation=consultation, title="Sostenuta da Anna")
    ProposalFactory(consultation=consultation, title="Non sostenuta")
    anna, bruno = UserFactory(), UserFactory()
    VoteFactory(proposal=supported, voter=anna)
    ProposalFactory(
        consultation=consultation, author=anna, title="In attesa", visibility=Visibility.PENDING
    )
    pages = {}
    for person in (anna, bruno, anna):  # Bruno's page and Anna's second one: the cached list
        client = _signed_in(person)
        html = client.get(consultation.url).content.decode()
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        tokens = TOKEN.findall(html)
        assert tokens
        assert all(_unmask_cipher_token(token) == secret for token in tokens)
        assert "psm-vote" not in html
        assert "psmcsrfmark" not in html
        pages[person.pk] = html
    card = re.compile(r'id="proposta-(\d+)".*?</article>', re.S)
    withdraw = {int(m[1]) for m in card.finditer(pages[anna.pk]) if "Ritira il sostegno" in m[0]}
    assert withdraw == {supported.pk}
    assert "Ritira il sostegno" not in pages[bruno.pk]
    assert "In attesa" in pages[anna.pk]
    assert "In attesa" not in pages[bruno.pk]


def test_a_vote_shows_in_the_next_signed_in_list(plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    client = _signed_in()
    assert "0 sostegni" in client.get(consultation.url).content.decode()
    VoteFactory(proposal=proposal)
    assert "1 sostegno" in client.get(consultation.url).content.decode()


def test_fragments_render_when_the_cache_is_off(plan, settings):
    settings.PSM_PAGE_CACHE = False
    consultation = make_consultation(phase="voting")
    ProposalFactory(consultation=consultation, title="Senza cache")
    bump_content_version()
    html = _signed_in().get(consultation.url).content.decode()
    assert "Senza cache" in html
    assert "Sostieni" in html
