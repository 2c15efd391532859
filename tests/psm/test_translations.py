"""The plan in both languages: English translations made with wagtail-localize, served under
/en/ with hreflang alternates, a language switch that keeps the page, Italian URLs unchanged."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from psm.models import ActionPage, AxisPage, HomePage, PlanPage, StrategyPage

pytestmark = pytest.mark.django_db

PLAN_TYPES = (HomePage, PlanPage, AxisPage, StrategyPage, ActionPage)
ACTION = "/piano/asse-5/strategia-5-2/azione-5-2-1/"


def _italian_plan_pages():
    return [
        page
        for model in PLAN_TYPES
        for page in model.objects.filter(locale__language_code="it").order_by("path")
    ]


def test_every_page_of_the_plan_has_an_english_translation_with_an_english_title(plan):
    pages = _italian_plan_pages()
    assert len(pages) == 1 + 1 + 6 + 5 + 20
    english_locale = Locale.objects.get(language_code="en")
    for page in pages:
        english = page.get_translation_or_none(english_locale)
        assert english is not None, page.title
        assert english.live
        assert english.alias_of_id is None
        assert english.title != page.title or page.title == "PSM Giovani"
        # A real wagtail-localize translation, fully translated ("Up to date" for editors).
        record = Translation.objects.get(
            source__object_id=page.translation_key, target_locale=english.locale
        )
        total, done = record.get_progress()
        assert total == done > 0


def test_the_english_action_keeps_its_code_and_has_english_texts(plan):
    english = ActionPage.objects.get(locale__language_code="en", code="5.2.1")
    assert english.title == "Action 5.2.1 – Young people who know and change the PSM"
    assert english.official_text.startswith("Increase young people's knowledge")
    assert english.plain_summary.startswith("Young people must know")
    data = json.loads((settings.DATA_DIR / "psm-asse5.en.json").read_text(encoding="utf-8"))
    assert len(data["actions"]) == 20


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/en/", "Metropolitan Strategic Plan"),
        ("/en/piano/", "Axis 5 – A more attractive, fair and equal Turin metropolis"),
        ("/en/piano/asse-5/", "Strategy 5.2 – Activate the young generations"),
        ("/en/piano/asse-5/strategia-5-3/", "Coordinated, good-quality urban regeneration"),
        (f"/en{ACTION}", "Young people must know what the Plan has in store"),
    ],
)
def test_the_english_plan_is_served_under_en(client, plan, url, text):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert text in html
    assert "Azione 5.2.1" not in html


@pytest.mark.parametrize(
    "url", ["/", "/piano/", "/piano/asse-5/", ACTION, "/privacy/", "/dati/", "/cerca/"]
)
def test_italian_urls_are_unchanged(client, plan, url):
    response = client.get(url)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert '<html lang="it">' in response.content.decode()


def test_reversed_urls_keep_their_italian_addresses_and_gain_an_english_prefix():
    assert reverse("privacy") == "/privacy/"
    assert reverse("proposals:create", args=[7]).startswith("/proposte/")
    with translation.override("en"):
        assert reverse("privacy") == "/en/privacy/"
    assert reverse("healthz") == "/healthz"  # language-neutral routes have no prefix


def test_pages_link_their_translations_with_hreflang(client, plan):
    italian = client.get(ACTION).content.decode()
    english = client.get(f"/en{ACTION}").content.decode()
    for html in (italian, english):
        assert f'<link rel="alternate" hreflang="it" href="http://testserver{ACTION}">' in html
        assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{ACTION}">' in html
        assert (
            f'<link rel="alternate" hreflang="x-default" href="http://testserver{ACTION}">' in html
        )


def test_other_routes_link_their_english_address_with_hreflang(client, plan):
    html = client.get("/privacy/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/privacy/">' in html


def test_a_page_not_translated_yet_has_no_english_alternate(client, plan):
    english = ActionPage.objects.get(locale__language_code="en", code="5.5.3")
    english.unpublish()
    html = client.get("/piano/asse-5/strategia-5-5/azione-5-5-3/").content.decode()
    assert 'hreflang="en"' not in html


def test_the_language_switch_keeps_the_page(client, plan):
    response = client.post(reverse("set_language"), {"language": "en", "next": ACTION})
    assert response.status_code == 302
    assert response["Location"] == f"/en{ACTION}"
    response = client.post(reverse("set_language"), {"language": "it", "next": f"/en{ACTION}"})
    assert response["Location"] == ACTION


def test_the_language_switch_follows_a_translated_slug(client, plan):
    english = ActionPage.objects.get(locale__language_code="en", code="5.2.1")
    english.slug = "action-5-2-1"
    english.save_revision().publish()
    response = client.post(reverse("set_language"), {"language": "en", "next": ACTION})
    assert response["Location"] == "/en/piano/asse-5/strategia-5-2/action-5-2-1/"


def test_the_language_switch_keeps_other_routes_and_their_query(client, plan):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/cerca/?q=giovani"})
    assert response["Location"] == "/en/cerca/?q=giovani"
    response = client.post(reverse("set_language"), {"language": "it", "next": "/en/privacy/"})
    assert response["Location"] == "/privacy/"


def test_the_language_switch_refuses_other_sites(client, plan):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://example.org/"}
    )
    assert response["Location"] in ("/", "/en/")


def test_english_search_finds_english_pages(client, plan):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for page in Page.objects.live().specific():
        backend.add(page)
    html = client.get("/en/cerca/", {"q": "leadership"}).content.decode()
    assert "Action 5.2.2" in html
    assert "Azione 5.2.2" not in html


def test_editors_see_the_translation_status(client, plan, admin_user):
    client.force_login(admin_user)
    english = ActionPage.objects.get(locale__language_code="en", code="5.2.1")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # wagtail-localize's translation editor, with its progress.
    assert "wagtail-localize" in html or "translation-editor" in html
    assert "Action 5.2.1" in html
