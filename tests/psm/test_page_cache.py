"""Cached routing and view restrictions (psm.caching): fewer queries, never a stale page."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from psm.caching import page_version
from psm.models import ActionPage, HomePage
from psm.page_cache import bump_content_version

pytestmark = pytest.mark.django_db

ACTION_URL = "/piano/asse-5/strategia-5-2/azione-5-2-1/"

# Wagtail alone: the site, then two queries for each of the five levels (thirteen), and two for
# the view restrictions. Cached: none of them. The home page's own: the plan, open consultations,
# open calls, running workshops.
ANONYMOUS_HOME_QUERIES = 5
# The action page's own: its consultations, its contests, the amendments' change set and the
# records' statuses, its updates, and the view restrictions of what it lists.
ANONYMOUS_ACTION_QUERIES = 9


def test_routing_and_restrictions_come_from_the_cache(plan, client, django_assert_num_queries):
    client.get("/")
    client.get(ACTION_URL)
    bump_content_version()  # past the whole-page cache (psm.page_cache): render them again
    with django_assert_num_queries(ANONYMOUS_HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(ANONYMOUS_ACTION_QUERIES):
        assert client.get(ACTION_URL).status_code == 200


def test_a_published_change_is_served_at_once(plan, client):
    assert client.get(ACTION_URL).status_code == 200
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    before = page_version()
    action.title = "Azione 5.2.1 – Titolo rivisto"
    action.save_revision().publish()
    assert page_version() != before
    assert "Titolo rivisto" in client.get(ACTION_URL).content.decode()


def test_an_unpublished_page_is_gone_at_once(plan, client):
    assert client.get(ACTION_URL).status_code == 200
    ActionPage.objects.get(locale__language_code="it", code="5.2.1").unpublish()
    assert client.get(ACTION_URL).status_code == 404


def test_a_moved_slug_serves_the_new_address_only(plan, client):
    assert client.get(ACTION_URL).status_code == 200
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    action.slug = "azione-nuova"
    action.save_revision().publish()
    assert client.get(ACTION_URL).status_code == 404
    assert client.get("/piano/asse-5/strategia-5-2/azione-nuova/").status_code == 200


def test_a_new_view_restriction_applies_at_once(plan, client):
    assert client.get(ACTION_URL).status_code == 200
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    restriction = PageViewRestriction.objects.create(
        page=action, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Solo chi coordina"))
    response = client.get(ACTION_URL)
    assert response.status_code == 302  # to the login page, as Wagtail does
    assert "login" in response["Location"]
    restriction.delete()
    assert client.get(ACTION_URL).status_code == 200


def test_home_page_still_served_for_unknown_paths_as_404(plan, client):
    assert HomePage.objects.get(locale__language_code="it").live
    assert client.get("/non-esiste/").status_code == 404
    assert client.get("/non-esiste/").status_code == 404
