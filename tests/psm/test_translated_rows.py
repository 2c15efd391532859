"""Rows of a page (inline panels) are translated with it, keep their rows when the Italian page
changes, and a page not translated yet says so and marks its Italian words."""

import datetime
import uuid

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from psm.localisation import page_translate
from psm.models import ActionPage, ImplementationUpdate, StrategyPage
from psm.translatable_rows import _rekey, row_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(plan):
    strategy = StrategyPage.objects.get(locale__language_code="it", code="5.2")
    page = ActionPage(
        title="Azione di prova",
        slug="azione-di-prova",
        code="5.2.9",
        short_title="Prova",
        official_text="Testo ufficiale.",
    )
    page.implementation_updates.add(
        ImplementationUpdate(
            date=datetime.date(2026, 3, 1),
            title="Questionario chiuso",
            text="<p>Risposte: 300.</p>",
        )
    )
    strategy.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


def test_a_page_not_translated_yet_says_so_and_marks_its_italian_words(client, action, english):
    alias = action.copy_for_translation(english, alias=True)  # what synchronisation makes
    html = client.get(alias.url).content.decode()
    assert '<html lang="en">' in html
    assert 'class="callout note untranslated-notice" role="note"' in html
    assert f'<a href="{action.url}" hreflang="it" lang="it">' in html
    assert '<h1 lang="it">Azione di prova</h1>' in html
    assert '<span lang="it">Questionario chiuso</span>' in html
    italian = client.get(action.url).content.decode()
    assert "untranslated-notice" not in italian
    assert "<h1>Azione di prova</h1>" in italian


def test_the_rows_are_translated_with_the_page_and_keep_their_key(client, action, english):
    action.copy_for_translation(english, alias=True)
    translated = page_translate(
        action,
        english,
        {
            "title": "Test action",
            "implementation_updates": [{"title": "Survey closed", "text": "Answers: 300."}],
        },
    )
    row = translated.implementation_updates.get()
    source_row = action.implementation_updates.get()
    assert (row.title, row.locale_id) == ("Survey closed", english.pk)
    assert row.translation_key == source_row.translation_key
    assert source_row.title == "Questionario chiuso"  # the Italian row is untouched
    html = client.get(translated.url).content.decode()
    assert "Survey closed" in html
    assert "Answers: 300." in html
    assert "untranslated-notice" not in html
    assert "Questionario" not in html


def test_syncing_a_changed_italian_page_keeps_the_translated_rows(action, english):
    translated = page_translate(
        action, english, {"implementation_updates": [{"title": "Survey closed"}]}
    )
    kept = translated.implementation_updates.get()
    action.implementation_updates.add(
        ImplementationUpdate(date=datetime.date(2026, 4, 1), title="Incontro", text="<p>Sì.</p>")
    )
    action.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(action)  # "Sync translated pages"
    source.update_from_db()
    Translation.objects.get(source=source, target_locale=english).save_target(publish=True)
    rows = {row.title: row for row in translated.implementation_updates.all()}
    assert rows["Survey closed"].pk == kept.pk  # same row, same id
    new = action.implementation_updates.get(title="Incontro")
    assert rows["Incontro"].translation_key == new.translation_key  # to translate next


def test_the_migration_gives_each_row_and_its_copies_one_shared_key():
    page_key = uuid.uuid4()
    assert row_key(page_key, "faqs", 0) == row_key(str(page_key), "faqs", 0)
    assert row_key(page_key, "faqs", 0) != row_key(page_key, "faqs", 1)
    assert row_key(page_key, "faqs", 0) != row_key(page_key, "documents", 0)
    known = {7: ("0b0e7a5e-0000-4000-8000-000000000000", 2)}
    revision = {
        "translation_key": str(page_key),
        "locale": 2,
        "faqs": [{"pk": 7, "question": "?"}, {"pk": 99, "question": "deleted since"}],
    }
    assert _rekey(revision, "faqs", known)
    assert revision["faqs"][0]["translation_key"] == known[7][0]
    assert revision["faqs"][1]["translation_key"] == str(row_key(page_key, "faqs", 1))
    assert revision["faqs"][1]["locale"] == 2
    assert not _rekey(revision, "faqs", known)  # already keyed
