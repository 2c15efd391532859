"""The anonymous whole-page cache (psm.page_cache): served without a query to the next
anonymous visitor, never stale after a change, never to a signed-in person or a visitor with a
session or a pending message, one copy per language, and the CSRF token always the visitor's."""

import datetime
import re

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone

from consultations.models import Phase
from psm import page_cache
from psm.models import ActionPage
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, VoteFactory

pytestmark = pytest.mark.django_db

ACTION_URL = "/piano/asse-5/strategia-5-2/azione-5-2-1/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page_cache_hit(client, url, **kwargs) -> bool:
    """Whether the whole page came from the anonymous page cache (a page rendered again may
    still run no query: its fragments and the consultation's phases are cached too)."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return getattr(response, "psm_cached", False)


def _hit(client, url, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_next_anonymous_visitor_gets_the_page_without_a_query(
    plan, client, django_assert_num_queries
):
    first = client.get(ACTION_URL)
    again = _hit(Client(), ACTION_URL, django_assert_num_queries)
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())
    assert again["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in again  # the middleware outside the view still runs


def test_each_visitor_gets_a_csrf_token_of_their_own(plan, django_assert_num_queries):
    make_consultation(phase="voting")  # its page has a form (follow) besides the header's
    Client().get(ACTION_URL)
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = _hit(visitor, ACTION_URL, django_assert_num_queries)
        tokens = TOKEN.findall(response.content.decode())
        assert tokens
        secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value
        assert all(_unmask_cipher_token(token) == secret for token in tokens)
        assert b"psm-csrf-token" not in response.content


def test_a_change_shows_up_for_the_next_anonymous_visitor(plan, client):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation, title="Prima versione")
    assert "Prima versione" in client.get(consultation.url).content.decode()
    assert "0 sostegni" in client.get(consultation.url).content.decode()
    VoteFactory(proposal=proposal)
    assert "1 sostegno" in Client().get(consultation.url).content.decode()
    proposal.title = "Seconda versione"
    proposal.save()
    assert "Seconda versione" in Client().get(consultation.url).content.decode()
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    action.title = "Azione con un titolo nuovo"
    action.save_revision().publish()
    assert "Azione con un titolo nuovo" in Client().get(ACTION_URL).content.decode()


def test_signed_in_people_never_get_the_anonymous_copy(plan, client, django_assert_num_queries):
    consultation = make_consultation(phase="voting")
    Client().get(consultation.url)
    _hit(Client(), consultation.url, django_assert_num_queries)
    person = UserFactory()
    client.force_login(person)
    page = client.get(consultation.url).content.decode()
    assert "Segui: avvisami delle novità" in page  # their own participation box
    assert "Per proporre, sostenere e commentare accedi" not in page
    # …and what they were served is not kept for the next anonymous visitor.
    assert (
        "Per proporre, sostenere e commentare accedi"
        in Client().get(consultation.url).content.decode()
    )


def test_a_visitor_with_a_session_or_a_message_is_served_fresh(plan):
    Client().get(ACTION_URL)
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "qualcosa"
    with_message = Client()
    with_message.cookies["messages"] = "qualcosa"
    for visitor in (with_session, with_message):
        # Rendered by Wagtail (from fragments shared with everybody: psm.page_cache's
        # fragment_key, which may take no query at all), never the anonymous whole-page copy.
        response = visitor.get(ACTION_URL)
        assert response.status_code == 200
        assert not getattr(response, "psm_cached", False)
    assert getattr(Client().get(ACTION_URL), "psm_cached", False)


def test_one_copy_per_language(plan, django_assert_num_queries):
    english_url = f"/en{ACTION_URL}"  # the language comes from the address (wagtail-localize)
    italian = Client().get(ACTION_URL).content.decode()
    english = Client().get(english_url).content.decode()
    assert '<html lang="it"' in italian
    assert '<html lang="en"' in english
    assert (
        '<html lang="en"' in _hit(Client(), english_url, django_assert_num_queries).content.decode()
    )
    assert (
        '<html lang="it"' in _hit(Client(), ACTION_URL, django_assert_num_queries).content.decode()
    )


def test_htmx_requests_and_query_strings_have_their_own_answers(plan):
    consultation = make_consultation(phase="voting")
    Client().get(consultation.url)
    assert _page_cache_hit(Client(), consultation.url)
    assert not _page_cache_hit(Client(), consultation.url, headers={"HX-Request": "true"})
    assert not _page_cache_hit(Client(), consultation.url + "?ordine=sostegni")


def test_a_consultation_copy_expires_when_the_next_phase_starts(
    plan, monkeypatch, django_assert_num_queries
):
    consultation = make_consultation(phase="voting")
    soon = timezone.now() + datetime.timedelta(seconds=5)
    Phase.objects.create(
        page=consultation,
        kind="results",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(days=10),
        sort_order=9,
    )
    Client().get(consultation.url)
    _hit(Client(), consultation.url, django_assert_num_queries)
    later = soon.timestamp() + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert not _page_cache_hit(Client(), consultation.url)
