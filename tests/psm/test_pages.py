"""The plan as pages: loading, idempotency, tree rules, rendering and query counts."""

import datetime

import pytest
from django.core.management import call_command
from wagtail.models import Page

from psm.models import ActionPage, AxisPage, HomePage, ImplementationUpdate, PlanPage, StrategyPage
from psm.services import derive_short_title, psm_load

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["it", "en"])
def test_plan_is_loaded_with_six_axes_five_strategies_twenty_actions(plan, language):
    in_language = {"locale__language_code": language}
    assert PlanPage.objects.filter(**in_language).count() == 1
    assert AxisPage.objects.filter(**in_language).count() == 6
    assert StrategyPage.objects.filter(**in_language).count() == 5
    assert ActionPage.objects.filter(**in_language).count() == 20
    assert all(page.live for page in ActionPage.objects.all())


def test_action_titles_carry_the_code_and_a_short_title(plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    assert action.title == "Azione 5.2.1 – Giovani che conoscono e cambiano il PSM"
    assert action.official_text.startswith("Aumentare la conoscenza da parte della popolazione")


def test_axis_4_name_is_marked_unverified(plan):
    axis = AxisPage.objects.get(locale__language_code="it", code="4")
    assert not axis.name_verified
    assert axis.title == "Asse 4 – Torino metropoli che impara di più"
    assert AxisPage.objects.filter(name_verified=False, locale=axis.locale).count() == 1


def test_second_load_changes_nothing_and_keeps_editor_edits(plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    action.title = "Azione 5.2.1 – Titolo scelto dalla redazione"
    action.official_text = "Testo modificato dalla redazione"
    action.save_revision().publish()
    pages_before = Page.objects.count()
    revisions_before = action.revisions.count()

    report = psm_load()

    assert report.created == []
    assert Page.objects.count() == pages_before
    action.refresh_from_db()
    assert action.title == "Azione 5.2.1 – Titolo scelto dalla redazione"
    assert action.official_text == "Testo modificato dalla redazione"
    assert action.revisions.count() == revisions_before


def test_load_recreates_only_what_is_missing(plan):
    ActionPage.objects.get(locale__language_code="it", code="5.5.3").delete()
    report = psm_load()
    assert report.created == ["action 5.5.3"]
    assert ActionPage.objects.filter(locale__language_code="it").count() == 20


def test_load_psm_command_reports(plan, capsys):
    call_command("load_psm")
    assert "0 pagine create" in capsys.readouterr().out


def test_home_page_is_the_site_root(plan, client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"].specific_class is HomePage


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (PlanPage, HomePage, True),
        (AxisPage, PlanPage, True),
        (StrategyPage, AxisPage, True),
        (ActionPage, StrategyPage, True),
        (ActionPage, AxisPage, False),
        (StrategyPage, PlanPage, False),
        (AxisPage, HomePage, False),
        (HomePage, PlanPage, False),
        (PlanPage, ActionPage, False),
    ],
)
def test_page_tree_rules(child, parent, allowed):
    assert child.can_create_at(parent()) is allowed or (
        # max_count and parent rules: a second HomePage is never creatable
        child is HomePage and not allowed
    )
    assert (child in parent.allowed_subpage_models()) is allowed


def test_only_one_home_page():
    assert not HomePage.can_create_at(Page.get_first_root_node())


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/", "Il futuro della Città metropolitana"),
        ("/piano/", "Gli assi del piano"),
        ("/piano/asse-5/", "Strategia 5.2"),
        ("/piano/asse-4/", "non è stato verificato"),
        ("/piano/asse-5/strategia-5-3/", "Rigenerazione urbana coordinata"),
        ("/piano/asse-5/strategia-5-2/azione-5-2-2/", "leadership civica"),
    ],
)
def test_every_page_type_renders(client, plan, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_action_page_shows_dated_implementation_updates_newest_first(client, plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    ImplementationUpdate.objects.create(
        page=action, date=datetime.date(2026, 3, 1), title="Primo laboratorio", text="<p>A</p>"
    )
    ImplementationUpdate.objects.create(
        page=action, date=datetime.date(2026, 9, 1), title="Risposte pubblicate", text="<p>B</p>"
    )
    html = client.get(action.url).content.decode()
    assert html.index("Risposte pubblicate") < html.index("Primo laboratorio")
    assert '<time datetime="2026-09-01">' in html


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/piano/",
        "/piano/asse-5/",
        "/piano/asse-5/strategia-5-1/",
        "/piano/asse-5/strategia-5-2/azione-5-2-1/",
    ],
)
def test_plan_pages_use_a_constant_number_of_queries(
    client, plan, url, django_assert_num_queries, settings
):
    settings.PSM_PAGE_CACHE = False  # the rendering itself is measured (the cache has its tests)
    client.get(url)  # warm Wagtail's site-root cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    # Adding more content of the same kind must not add queries.
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    for day in range(1, 8):
        ImplementationUpdate.objects.create(
            page=action, date=datetime.date(2026, 1, day), title=f"U{day}", text="<p>x</p>"
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_search_finds_actions(client, plan):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for page in Page.objects.live().specific():
        backend.add(page)
    response = client.get("/cerca/", {"q": "leadership"})
    assert response.status_code == 200
    assert "Azione 5.2.2" in response.content.decode()


def test_empty_search_shows_the_form(client, plan):
    response = client.get("/cerca/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Supportare le persone, con altro", "Supportare le persone"),
        ("Una frase breve", "Una frase breve"),
    ],
)
def test_derive_short_title(text, expected):
    assert derive_short_title(text) == expected


def test_derive_short_title_cuts_long_text_at_a_word():
    title = derive_short_title("parola " * 30)
    assert len(title) <= 71
    assert title.endswith("…")
