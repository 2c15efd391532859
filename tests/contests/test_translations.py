"""A contest read in English is the same contest: its English page (wagtail-localize's copy)
sends registrations and votes to the Italian page, where entries and results belong, and shows
the contest's prizes, criteria, documents and public answers in English once translated."""

import importlib
import uuid

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import migrations
from wagtail.documents.models import Document
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from contests.models import ContestAnswer, ContestDocument, ContestPage, ContestPrize
from psm.localisation import page_translate
from psm.translatable_rows import row_key
from tests.contests.factories import make_contest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_in_two_languages(plan):
    contest = make_contest()
    english = ContestPage.objects.filter(
        translation_key=contest.translation_key, locale__language_code="en"
    ).first()
    if english is None:  # the English tree is kept in sync from Italian; make the copy if not
        english = contest.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    return contest, english


def test_the_english_page_takes_part_in_the_italian_contest(client, contest_in_two_languages):
    italian, english = contest_in_two_languages
    assert english.pk != italian.pk
    client.force_login(UserFactory())
    page = client.get(english.url).content.decode()
    assert f"/concorsi/{italian.pk}/partecipa/" in page
    assert f"/concorsi/{english.pk}/partecipa/" not in page


def test_an_english_page_address_registers_in_the_italian_contest(client, contest_in_two_languages):
    italian, english = contest_in_two_languages
    client.force_login(UserFactory())
    response = client.get(f"/concorsi/{english.pk}/partecipa/")
    assert response.status_code == 200
    assert response.context["contest"].pk == italian.pk


# ------------------------------------------------------------------------ rows in two languages

ROWS = {
    "title": "Youth contest",
    "criteria": [{"name": "Quality"}, {"name": "Feasibility", "description": "Can it be built?"}],
    "prizes": [{"title": "The building for three years", "description": "And €15,000."}],
    "documents": [{"label": "The rules (PDF)"}],
    "answers": [{"question": "Can schools take part?", "answer": "Yes, as a class."}],
}


@pytest.fixture
def with_rows(plan):
    contest = make_contest()
    criterion = contest.criteria.get(name="Fattibilità")
    criterion.description = "Si può realizzare?"
    criterion.save()
    document = Document.objects.create(
        title="Regolamento", file=ContentFile(b"%PDF-1.4", name="regolamento.pdf")
    )
    ContestPrize.objects.create(
        contest=contest, title="L'edificio per tre anni", description="E 15.000 €.", sort_order=0
    )
    ContestDocument.objects.create(
        contest=contest, label="Il regolamento", document=document, sort_order=0
    )
    ContestAnswer.objects.create(
        contest=contest,
        question="Possono partecipare le scuole?",
        answer="Sì, come classe.",
        sort_order=0,
    )
    contest.save_revision().publish()
    return contest


@pytest.fixture
def bilingual_contest(with_rows):
    english = page_translate(with_rows, Locale.objects.get(language_code="en"), ROWS)
    return with_rows, english


ITALIAN_WORDS = (
    "<li>Qualità (",
    "Si può realizzare?",
    "<strong>L&#x27;edificio per tre anni</strong>: E 15.000 €.",
    ">Il regolamento</a>",
    "<dt>Possono partecipare le scuole?</dt><dd>Sì, come classe.</dd>",
)


def test_the_english_contest_page_shows_its_own_rows_in_english(client, bilingual_contest):
    italian, english = bilingual_contest
    # the English copy has its own rows, keyed to the Italian ones, with the same weights
    assert list(english.criteria.values_list("name", "weight")) == [
        ("Quality", italian.criteria.get(name="Qualità").weight),
        ("Feasibility", italian.criteria.get(name="Fattibilità").weight),
    ]
    assert english.prizes.get().translation_key == italian.prizes.get().translation_key
    assert english.documents.get().document_id == italian.documents.get().document_id
    html = client.get(english.url).content.decode()
    assert '<html lang="en">' in html
    assert f'<link rel="alternate" hreflang="it" href="http://testserver{italian.url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{english.url}">' in html
    for text in (
        "<li>Quality (",
        "Feasibility (",
        ": Can it be built?</li>",
        "<strong>The building for three years</strong>: And €15,000.",
        ">The rules (PDF)</a>",
        "<dt>Can schools take part?</dt><dd>Yes, as a class.</dd>",
    ):
        assert text in html
    for text in (*ITALIAN_WORDS, '<span lang="it">', "untranslated-notice"):
        assert text not in html


def test_the_italian_contest_page_is_unchanged(client, bilingual_contest):
    italian, _english = bilingual_contest
    html = client.get(italian.url).content.decode()
    assert '<html lang="it">' in html
    for text in ITALIAN_WORDS:
        assert text in html
    for text in ("Quality", "The building", "Can schools", '<span lang="it">'):
        assert text not in html


def test_an_untranslated_english_contest_marks_its_italian_rows(client, with_rows):
    alias = ContestPage.objects.filter(
        translation_key=with_rows.translation_key, locale__language_code="en"
    ).first() or with_rows.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    assert alias.alias_of_id == with_rows.pk
    html = client.get(alias.url).content.decode()
    assert '<html lang="en">' in html
    assert "untranslated-notice" in html
    assert '<strong><span lang="it">L&#x27;edificio per tre anni</span></strong>' in html
    assert '<dt><span lang="it">Possono partecipare le scuole?</span></dt>' in html
    assert '<div lang="it"><p>Ripensare l\'ex scuola elementare.</p></div>' in html  # brief
    assert '<span lang="it">Ex scuola elementare</span>, Via della Chiesa 1' in html
    assert 'hreflang="en"' not in html  # not an English page yet: no English alternate


def test_syncing_the_changed_italian_contest_keeps_the_english_rows(bilingual_contest):
    italian, english = bilingual_contest
    kept = dict(english.criteria.values_list("name", "pk"))
    ContestPrize.objects.create(contest=italian, title="Una menzione", sort_order=5)
    italian.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(italian)  # "Sync translated pages"
    source.update_from_db()
    Translation.objects.get(source=source, target_locale=english.locale).save_target(publish=True)
    assert dict(english.criteria.values_list("name", "pk")) == kept  # same rows, same words
    assert list(english.prizes.values_list("title", flat=True)) == [
        "The building for three years",
        "Una menzione",  # to translate next
    ]


# Signed in, caches warm, no questions: Italian, the page and the contest's context with each
# row list once. English: the Italian contest it tells (1) and the English words of the
# prizes, criteria, documents and answers (4).
ITALIAN_PAGE_QUERIES = 17  # the session from the cache, the person kept in the process
# + 1: the person read again after the language remembered by the Italian request before.
ENGLISH_PAGE_QUERIES = ITALIAN_PAGE_QUERIES + 1 + 4 + 1


def test_contest_page_queries_are_pinned(client, bilingual_contest, django_assert_num_queries):
    italian, english = bilingual_contest
    client.force_login(UserFactory())
    for page, pinned in ((italian, ITALIAN_PAGE_QUERIES), (english, ENGLISH_PAGE_QUERIES)):
        client.get(page.url)  # warm the caches
        with django_assert_num_queries(pinned):
            assert client.get(page.url).status_code == 200


# ---------------------------------------------------------------- the migration keeps the rows


def _forwards(name: str):
    module = importlib.import_module(f"contests.migrations.{name}")
    return [op for op in module.Migration.operations if isinstance(op, migrations.RunPython)]


def test_the_migration_keeps_every_row_and_gives_translations_one_key(bilingual_contest):
    """Rows as they were before the migration (keys of their own, not shared; revisions and
    translation sources without keys) get back one key per row, shared with their
    translation, in every copy; no row is lost or changed."""
    italian, english = bilingual_contest
    relations = ("prizes", "documents", "answers", "criteria")
    before = {
        (page.pk, name): list(getattr(page, name).values_list("pk", flat=True))
        for page in (italian, english)
        for name in relations
    }
    for page in (italian, english):
        for name in relations:
            for row in getattr(page, name).all():
                type(row).objects.filter(pk=row.pk).update(translation_key=uuid.uuid4())
    revision = italian.get_latest_revision()
    for name in relations:
        for child in revision.content[name]:
            del child["translation_key"]
    revision.save(update_fields=["content"])
    source = TranslationSource.objects.get_for_instance(italian)
    source.content_json = source.content_json.replace('"translation_key"', '"old_key"')
    source.save(update_fields=["content_json"])

    operations = _forwards("0003_translatable_rows")
    assert len(operations) == 4
    for operation in operations:
        operation.code(apps, None)

    for page in (italian, english):
        for name in relations:
            rows = list(getattr(page, name).all())
            assert [row.pk for row in rows] == before[(page.pk, name)]
            for index, row in enumerate(rows):
                assert row.translation_key == row_key(italian.translation_key, name, index)
                assert row.locale_id == page.locale_id
    assert list(english.criteria.values_list("name", flat=True)) == ["Quality", "Feasibility"]
    assert list(italian.criteria.values_list("name", flat=True)) == ["Qualità", "Fattibilità"]
    revision.refresh_from_db()
    assert revision.content["prizes"][0]["translation_key"] == str(
        italian.prizes.get().translation_key
    )
    source.refresh_from_db()
    assert str(italian.answers.get().translation_key) in source.content_json
