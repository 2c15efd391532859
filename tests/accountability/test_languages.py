"""An implementation record under /en/: a staff record written in Italian, not a page, so not
translated; its words keep ``lang="it"`` on the English page (like participant content, shown
in the language written) while the interface is English and the alternates stay right."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.accountability.factories import (
    ImplementationRecordFactory,
    publish,
    with_first_stone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(plan):
    record = ImplementationRecordFactory(
        title="Sportello giovani", description="Uno sportello a Pinerolo.", office="Ufficio giovani"
    )
    with_first_stone(record, "Il cantiere dalla piazza")
    return publish(record)


def _url(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_the_english_record_page_marks_the_italian_words_of_the_record(client, record):
    url = _url("accountability:detail", "en", record.pk)
    assert url.startswith("/en/")
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    italian = _url("accountability:detail", "it", record.pk)
    assert f'<link rel="alternate" hreflang="it" href="http://testserver{italian}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{url}">' in html
    for marked in (
        '<h1 id="titolo-intervento" lang="it">Sportello giovani</h1>',
        '<div class="mb-4" lang="it"><p>Uno sportello a Pinerolo.</p></div>',
        '<dd class="col-sm-9" lang="it">Ufficio giovani</dd>',
        '<div class="small" lang="it">Cantiere aperto.</div>',
        '– <span lang="it">Posa della prima pietra</span></h3>',
        '<div lang="it"><p>Una giornata con le scuole.</p></div>',
        '<figure class="col-md-6 mb-3" lang="it">',
    ):
        assert marked in html
    assert "Updates" in html  # the interface is English


def test_the_italian_record_page_is_unchanged(client, record):
    html = client.get(record.get_absolute_url()).content.decode()
    assert '<h1 id="titolo-intervento">Sportello giovani</h1>' in html
    assert "<div><p>Una giornata con le scuole.</p></div>" in html
    assert ' lang="it">' not in html.split("<main", 1)[1]


def test_the_english_lists_mark_the_record_titles(client, record):
    for url in (
        _url("accountability:plan", "en"),
        _url("accountability:action", "en", record.action.code),
    ):
        html = client.get(url).content.decode()
        assert f'<a href="{_url("accountability:detail", "en", record.pk)}" lang="it">' in html
    html = client.get(_url("accountability:plan", "it")).content.decode()
    assert f'<a href="{record.get_absolute_url()}">Sportello giovani</a>' in html
