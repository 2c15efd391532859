"""A call in two languages is one call: the English page tells it, people apply to the Italian
one, and lists count it once."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from leadership.selectors import open_calls
from psm.localisation import page_translate
from tests.factories import UserFactory
from tests.leadership.factories import make_call

pytestmark = pytest.mark.django_db


def test_the_english_call_leads_to_the_italian_application(client, plan):
    call = make_call(intro="<p>Un percorso gratuito.</p>")
    call.save_revision().publish()
    english = page_translate(
        call,
        Locale.objects.get(language_code="en"),
        {"title": "Civic leadership call", "intro": "A free pathway."},
    )
    assert english.title == "Civic leadership call"
    assert list(open_calls()) == [call]
    client.force_login(UserFactory())
    response = client.get(english.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A free pathway." in html
    with translation.override("en"):
        apply_url = reverse("leadership:apply", args=[call.pk])
    assert f'href="{apply_url}"' in html
