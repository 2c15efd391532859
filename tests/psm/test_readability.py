"""The plain-language gate on pages: fields, thresholds, the plain summaries of Axis 5, the live
check, the confirmation before publishing and the editors' dashboard."""

import json

import pytest
from django.test import RequestFactory
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from psm.models import ActionPage, AxisPage, HomePage
from psm.readability import (
    page_readability,
    page_text,
    readability_fields,
    readability_summary,
    site_texts,
    template_text,
    threshold_for,
)
from psm.readability_views import before_publish
from psm.services import psm_load
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HARD = (
    "Implementare un programma di costruzione di leadership civica rivolto alla popolazione "
    "giovanile, attraverso una selezione aperta ed un percorso a tappe di informazione e "
    "introduzione al sistema decisionale, politico, amministrativo, economico e di ricerca."
)
EASY = "Vuoi vivere in montagna? Ti aiutiamo noi. Ci sono corsi e informazioni."
CHECK_URL = "/admin/leggibilita/verifica/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_official_wording_stays_out_of_the_gate():
    assert readability_fields(ActionPage) == ["plain_summary", "body"]
    assert readability_fields(AxisPage) == ["body"]


def test_pages_that_say_nothing_read_every_text_field_they_add():
    assert readability_fields(HomePage) == ["intro", "body"]


def test_thresholds_come_from_settings(settings):
    settings.PLAIN_LANGUAGE = {"DEFAULT_THRESHOLD": 55, "THRESHOLDS": {"psm.actionpage": 70}}
    assert threshold_for("psm.actionpage") == 70
    assert threshold_for("psm.ActionPage") == 70
    assert threshold_for("consultations.consultationpage") == 55
    settings.PLAIN_LANGUAGE = {}
    assert threshold_for("answer") == 60


def test_every_axis_5_action_has_a_plain_summary_that_passes(plan):
    actions = list(ActionPage.objects.filter(locale__language_code="it"))
    assert len(actions) == 20
    for action in actions:
        scored = page_readability(action)
        assert action.plain_summary
        assert scored.passes, (action.code, scored.readability.score)
        assert action.official_text not in page_text(action)


def test_the_action_page_shows_the_plain_summary_beside_the_official_text(client, plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    html = client.get(action.url).content.decode()
    assert "In parole semplici" in html
    assert "Puoi proporre idee per cambiarle." in html
    assert "Il testo ufficiale dell" in html


def test_loading_fills_an_empty_summary_and_never_replaces_an_edit(plan):
    empty = ActionPage.objects.get(locale__language_code="it", code="5.3.1")
    empty.plain_summary = ""
    empty.save_revision().publish()
    edited = ActionPage.objects.get(locale__language_code="it", code="5.3.2")
    edited.plain_summary = "Testo della redazione."
    edited.save_revision().publish()

    report = psm_load()

    assert report.summarised == ["action 5.3.1"]
    assert ActionPage.objects.get(
        locale__language_code="it", code="5.3.1"
    ).plain_summary.startswith("Vuoi vivere")
    assert (
        ActionPage.objects.get(locale__language_code="it", code="5.3.2").plain_summary
        == "Testo della redazione."
    )
    assert ActionPage.objects.get(locale__language_code="it", code="5.3.1").live
    assert psm_load().summarised == []


def test_a_draft_in_progress_is_left_to_its_editor(plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.3.1")
    action.plain_summary = ""
    action.save_revision().publish()
    action.title = "Bozza in corso"
    action.save_revision()

    assert psm_load().summarised == []
    assert ActionPage.objects.get(locale__language_code="it", code="5.3.1").plain_summary == ""


def test_live_check_scores_the_answer(admin_client):
    response = admin_client.post(
        CHECK_URL, json.dumps({"kind": "answer", "fields": {"answer": HARD}}), "application/json"
    )
    data = response.json()
    assert response.status_code == 200
    assert data["passes"] is False
    assert data["threshold"] == 60
    assert data["summary"].startswith("Indice Gulpease")
    assert "Sotto la soglia di 60" in data["verdict"]
    assert data["worst"][0]["text"] == HARD


def test_live_check_of_a_page_reads_only_its_readability_fields(admin_client, plan):
    fields = {"official_text": HARD, "plain_summary": EASY, "title": HARD}
    response = admin_client.post(
        CHECK_URL, json.dumps({"kind": "psm.actionpage", "fields": fields}), "application/json"
    )
    assert response.json()["passes"] is True
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    response = admin_client.post(
        CHECK_URL, json.dumps({"page": action.pk, "fields": fields}), "application/json"
    )
    assert response.json()["passes"] is True


def test_live_check_refuses_bad_input_and_people_without_admin(client, admin_client):
    assert admin_client.post(CHECK_URL, "{nope", "application/json").status_code == 400
    assert admin_client.post(CHECK_URL, "[1]", "application/json").status_code == 400
    assert admin_client.get(CHECK_URL).status_code == 405
    assert admin_client.post(CHECK_URL, {"fields": "x"}).status_code == 400  # a form, not JSON
    client.force_login(UserFactory())
    response = client.post(CHECK_URL, json.dumps({"fields": {}}), "application/json")
    assert response.status_code in {302, 403}


def test_a_page_under_its_threshold_asks_before_publishing(plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    request = RequestFactory().post("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert before_publish(request, action) is None
    action.plain_summary = HARD
    response = before_publish(request, action)
    response.render()
    html = response.content.decode()
    assert "Pubblica comunque" in html
    assert f"/admin/bulk/wagtailcore/page/publish/?id={action.pk}" in html
    assert "Le frasi più difficili" in html


def _edit_form(action, summary):
    return nested_form_data(
        {
            "title": action.title,
            "slug": action.slug,
            "code": action.code,
            "short_title": action.short_title,
            "official_text": action.official_text,
            "plain_summary": summary,
            "body": streamfield([]),
            "related_actions": inline_formset([]),
            "implementation_updates": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )


def test_publishing_a_hard_text_keeps_it_as_a_draft_until_confirmed(admin_client, plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    before = action.plain_summary
    url = f"/admin/pages/{action.pk}/edit/"

    response = admin_client.post(url, _edit_form(action, HARD))

    assert response.status_code == 200
    assert "Pubblica comunque" in response.content.decode()
    action.refresh_from_db()
    assert action.plain_summary == before
    assert action.get_latest_revision().as_object().plain_summary == HARD

    publish = f"/admin/bulk/wagtailcore/page/publish/?id={action.pk}&next={url}"
    assert admin_client.post(publish, {"include_descendants": ""}).status_code == 302
    action.refresh_from_db()
    assert action.plain_summary == HARD


def test_publishing_a_plain_text_goes_straight_through(admin_client, plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    response = admin_client.post(f"/admin/pages/{action.pk}/edit/", _edit_form(action, EASY))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.plain_summary == EASY


def test_site_texts_are_read_without_template_syntax():
    text = template_text("pages/privacy.html")
    assert "{%" not in text
    assert "Chi tratta i tuoi dati" in text
    privacy = site_texts()[0]
    assert privacy.threshold == 80


def test_dashboard_shows_share_median_and_worst_pages(
    admin_client, plan, django_assert_num_queries
):
    action = ActionPage.objects.get(locale__language_code="it", code="5.4.2")
    action.plain_summary = HARD
    action.save_revision().publish()
    summary = readability_summary()
    assert 0 < summary.passing_share < 100
    assert summary.worst()[0].label == action.title

    # The first request of this person: read with their groups (accounts.backends.load_person).
    with django_assert_num_queries(13):
        response = admin_client.get("/admin/leggibilita/")
    html = response.content.decode()
    assert response.status_code == 200
    assert action.title in html
    assert "Indice mediano" in html
    assert "Informativa sulla privacy" in html


def test_dashboard_is_in_the_reports_menu(admin_client):
    assert "/admin/leggibilita/" in admin_client.get("/admin/").content.decode()


def test_the_answer_form_include_scores_the_named_fields():
    from django.template.loader import render_to_string

    html = render_to_string(
        "psm/includes/readability_box.html", {"fields": "answer", "kind": "answer"}
    )
    assert 'data-readability-fields="answer"' in html
    assert 'data-readability-kind="answer"' in html
    assert f'data-readability-url="{CHECK_URL}"' in html
    assert 'aria-live="polite"' in html
    assert "<script" not in html
    assert "js/readability.js" in render_to_string(
        "psm/includes/readability_box.html", {"fields": "answer", "standalone": True}
    )
