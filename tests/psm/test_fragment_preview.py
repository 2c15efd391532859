"""A Wagtail preview renders the unsaved page: nothing in it comes from the fragments kept for
the live page (psm.templatetags.fragments), which share its versions since nothing was saved."""

import pytest
from django.test import Client

from psm.models import ActionPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACTION_URL = "/piano/asse-5/strategia-5-2/azione-5-2-1/"


def test_an_action_preview_shows_the_draft_body(plan, rf):
    editor = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(editor)
    for _round in range(2):  # the body fragment kept
        assert client.get(ACTION_URL).status_code == 200
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    action.plain_summary = "Il riassunto della bozza"
    request = rf.get("/admin/", HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}")
    html = action.make_preview_request(request, action.default_preview_mode).content.decode()
    assert "Il riassunto della bozza" in html
    assert "Il riassunto della bozza" not in client.get(ACTION_URL).content.decode()
