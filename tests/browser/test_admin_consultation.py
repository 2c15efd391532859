"""A facilitator creates a consultation under "their" action in the Wagtail admin, sets its
phase and publishes it; the consultation then appears on the action page."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import ConsultationPage
from consultations.services import facilitation_grant
from psm.models import ActionPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN_FORMAT = "%Y-%m-%d %H:%M"


def _facilitator_of(page):
    person = UserFactory(display_name="Giulia facilitatrice")
    facilitation_grant(page=page, user=person)
    return person


def test_facilitator_creates_and_publishes_a_consultation(live_server, plan, browser_page, login):
    action = ActionPage.objects.get(locale__language_code="it", code="5.3.5")
    other_action = ActionPage.objects.get(locale__language_code="it", code="5.1.1")
    facilitator = _facilitator_of(action)
    page = browser_page
    refused = []  # the admin's own Content-Security-Policy must not break the editor
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url} {message.location.get('url')}: {message.text[:80]}")
            if "Content Security Policy" in message.text and "/admin/" in page.url
            else None
        ),
    )
    login(page, live_server.url, facilitator)

    # Not their subtree: Wagtail refuses.
    page.goto(
        f"{live_server.url}/admin/pages/add/consultations/consultationpage/{other_action.pk}/"
    )
    assert page.locator("#id_title").count() == 0
    assert not ConsultationPage.objects.child_of(other_action).exists()

    page.goto(f"{live_server.url}/admin/pages/add/consultations/consultationpage/{action.pk}/")
    page.fill("#id_title", "Che uso per la ex scuola di Usseaux?")
    question = page.locator("[data-contentpath='question'] .public-DraftEditor-content")
    question.click()
    page.keyboard.type("Come vorreste usare l'edificio della ex scuola?")
    now = timezone.localtime()
    page.select_option("#id_phases-0-kind", "proposals")
    page.fill("#id_phases-0-starts_at", (now - datetime.timedelta(days=1)).strftime(ADMIN_FORMAT))
    page.keyboard.press("Escape")
    page.fill("#id_phases-0-ends_at", (now + datetime.timedelta(days=30)).strftime(ADMIN_FORMAT))
    page.keyboard.press("Escape")
    page.locator("#id_title").click()  # closes the date picker
    # "Publish" sits in the footer's menu of more actions.
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(lambda url: "/add/" not in url)
    assert refused == []

    consultation = ConsultationPage.objects.get(
        locale__language_code="it", title="Che uso per la ex scuola di Usseaux?"
    )
    assert consultation.live
    assert consultation.get_parent().pk == action.pk
    assert consultation.status() == "open"

    page.goto(live_server.url + action.url)
    assert page.get_by_role("link", name="Che uso per la ex scuola di Usseaux?").first.is_visible()
