"""A call in two languages is one call: the English page tells it, people apply to the Italian
one, and lists count it once."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from wagtail.models import Locale

from leadership.models import Application, CallFaq, QuestionKind
from leadership.selectors import open_calls
from leadership.services.applications import application_missing
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


def _apply_page(client, call, language: str) -> str:
    client.force_login(UserFactory(birth_date=None))
    with translation.override(language):
        url = reverse("leadership:apply", args=[call.pk])
    client.post(url)  # starts the draft
    return client.get(url).content.decode()


def test_the_english_application_page_names_the_call_and_what_is_missing_in_english(
    client, bilingual_call
):
    call, _english = bilingual_call
    html = _apply_page(client, call, "en")
    assert '<html lang="en">' in html
    assert "<title>Application · Civic leadership call" in html
    assert "<h1>Application: Civic leadership call</h1>" in html
    path = f"/programma/bandi/{call.pk}/candidatura/"
    assert f'<link rel="alternate" hreflang="it" href="http://testserver{path}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{path}">' in html
    missing = html.split('data-testid="missing">')[1].split("</ul>")[0]
    assert "<li>The answer to “Why are you applying?”.</li>" in missing
    assert "<li>The document “CV” (PDF).</li>" in missing
    main = html.split("<main", 1)[1]  # the header's language switch names Italian in Italian
    for text in (call.title, "Perché ti candidi?", "Curriculum vitae", 'lang="it"'):
        assert text not in main


def test_the_italian_application_page_is_unchanged(client, bilingual_call):
    call, _english = bilingual_call
    html = _apply_page(client, call, "it")
    assert f"<h1>Candidatura: {call.title}</h1>" in html
    missing = html.split('data-testid="missing">')[1].split("</ul>")[0]
    assert "<li>La risposta a «Perché ti candidi?».</li>" in missing
    assert "<li>Il documento «Curriculum vitae» (PDF).</li>" in missing
    assert "Civic leadership" not in html


def test_an_untranslated_call_marks_its_italian_words_on_the_english_application(client, plan):
    call = make_call()
    call.save_revision().publish()
    html = _apply_page(client, call, "en")
    assert f'<h1>Application: <span lang="it">{call.title}</span></h1>' in html
    assert f"<title>Application · {call.title}" in html  # no markup in a title
    assert '<li>The answer to “<span lang="it">Perché ti candidi?</span>”.</li>' in html
    assert '<li>The document “<span lang="it">Curriculum vitae</span>” (PDF).</li>' in html


def test_a_refusal_quotes_the_missing_rows_as_text(plan):
    call = make_call()
    application = Application.objects.create(call=call, applicant=UserFactory())
    with translation.override("en"):
        missing = application_missing(application)
    assert "The document “Curriculum vitae” (PDF)." in missing
    assert " ".join(missing).count("<span") == 0
    assert '<span lang="it">Curriculum vitae</span>' in conditional_escape(missing[-1])


# The call page signed in, caches warm (the person kept in the process). Italian: the route,
# view restrictions, session, their application, the selection run, documents, criteria, FAQs (one query each: the
# template used to read each of them twice, 14 queries before), notifications, quotas. English:
# the page found by its route and the Italian call it tells (2), and the English words of the
# documents, criteria and FAQs (3).
ITALIAN_CALL_QUERIES = 9
# + 1: the person read again after the language remembered by the Italian request before.
ENGLISH_CALL_QUERIES = ITALIAN_CALL_QUERIES + 2 + 3 + 1


def test_call_page_queries_are_pinned(client, bilingual_call, django_assert_num_queries):
    call, english = bilingual_call
    client.force_login(UserFactory())
    for page, pinned in ((call, ITALIAN_CALL_QUERIES), (english, ENGLISH_CALL_QUERIES)):
        client.get(page.url)  # warm the caches
        with django_assert_num_queries(pinned):
            assert client.get(page.url).status_code == 200


# The application page of a draft, signed in, caches warm. English adds the call's English
# page (1) and the English words of its documents (the list and the missing items) and
# questions (the form and the missing items): 2 + 2.
ITALIAN_APPLY_QUERIES = 11  # the session from the cache, the person kept in the process
ENGLISH_APPLY_QUERIES = ITALIAN_APPLY_QUERIES + 1 + 4 + 1  # the person again, as above


def test_application_page_queries_are_pinned(client, bilingual_call, django_assert_num_queries):
    call, _english = bilingual_call
    _apply_page(client, call, "it")  # starts the draft, warms the caches
    for language, pinned in (("it", ITALIAN_APPLY_QUERIES), ("en", ENGLISH_APPLY_QUERIES)):
        with translation.override(language):
            url = reverse("leadership:apply", args=[call.pk])
        client.get(url)
        with django_assert_num_queries(pinned):
            assert client.get(url).status_code == 200
