"""A call in two languages is one call: the English page tells it, people apply to the Italian
one, and lists count it once."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from leadership.models import CallFaq, QuestionKind
from leadership.selectors import open_calls
from psm.localisation import page_translate
from tests.factories import UserFactory
from tests.leadership.factories import make_call

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request to /en/ leaves English active in the thread: give the next test its own."""
    with translation.override(translation.get_language()):
        yield


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


ROWS = {
    "title": "Civic leadership call",
    "documents": [{"label": "CV"}, {"label": "Other"}],
    "questions": [
        {"label": "Why are you applying?"},
        {"label": "How did you hear of us?", "choices": "School\nSocial media\nFriends"},
    ],
    "criteria": [{"name": "Motivation"}, {"name": "Experience"}],
    "faqs": [{"question": "Do I need experience?", "answer": "No."}],
}


@pytest.fixture
def bilingual_call(plan):
    call = make_call()
    CallFaq.objects.create(call=call, question="Serve esperienza?", answer="No.")
    call.save_revision().publish()
    english = page_translate(call, Locale.objects.get(language_code="en"), ROWS)
    return call, english


def test_the_english_call_shows_its_translated_rows(client, bilingual_call):
    call, english = bilingual_call
    assert list(english.documents.values_list("label", flat=True)) == ["CV", "Other"]
    html = client.get(english.url).content.decode()
    for text in ("(CV, Other – ", "<li>Motivation (", "<summary>Do I need experience?</summary>"):
        assert text in html
    for text in ("Curriculum vitae", "Motivazione", "Serve esperienza?"):
        assert text not in html
    assert "Curriculum vitae" in client.get(call.url).content.decode()


def test_the_english_application_form_answers_the_italian_questions(client, bilingual_call):
    call, _english = bilingual_call
    client.force_login(UserFactory())
    with translation.override("en"):
        url = reverse("leadership:apply", args=[call.pk])
        client.post(url)
        html = client.get(url).content.decode()
    choice = call.questions.get(kind=QuestionKind.CHOICE)
    assert "Why are you applying? *" in html
    assert f'name="{choice.field_name}"' in html  # the Italian question's id
    assert '<option value="Social">Social media</option>' in html  # Italian value, English label
    assert '<h3 class="h6">CV *</h3>' in html


# The call page signed in, caches warm. Italian: the route, view restrictions, session,
# person, their application, the selection run, documents, criteria, FAQs (one query each: the
# template used to read each of them twice, 14 queries before), notifications, quotas. English:
# the page found by its route and the Italian call it tells (2), and the English words of the
# documents, criteria and FAQs (3).
ITALIAN_CALL_QUERIES = 10
ENGLISH_CALL_QUERIES = ITALIAN_CALL_QUERIES + 2 + 3


def test_call_page_queries_are_pinned(client, bilingual_call, django_assert_num_queries):
    call, english = bilingual_call
    client.force_login(UserFactory())
    for page, pinned in ((call, ITALIAN_CALL_QUERIES), (english, ENGLISH_CALL_QUERIES)):
        client.get(page.url)  # warm the caches
        with django_assert_num_queries(pinned):
            assert client.get(page.url).status_code == 200
