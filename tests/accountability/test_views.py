"""The public pages: the whole plan (filters, pagination, constant queries), one action, one
record; drafts and unpublished records out of sight; the proposal and action pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals.models import Visibility
from psm.models import ActionPage
from territory.models import Comune, ZonaOmogenea
from tests.accountability.factories import (
    ImplementationRecordFactory,
    publish,
    with_first_stone,
)
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db
PLAN = reverse("accountability:plan")


def _titles(response) -> list[str]:
    return [record.title for record in response.context["page_obj"]]


def test_plan_lists_published_records_only(plan, client):
    shown = ImplementationRecordFactory(title="Pubblicato")
    ImplementationRecordFactory(title="Bozza", publish=False)
    withdrawn = ImplementationRecordFactory(title="Ritirato")
    withdrawn.unpublish()
    response = client.get(PLAN)
    assert response.status_code == 200
    assert _titles(response) == [shown.title]
    assert "Bozza" not in response.content.decode()


def test_a_draft_or_unpublished_record_page_is_404(plan, client):
    draft = ImplementationRecordFactory(publish=False)
    assert client.get(reverse("accountability:detail", args=[draft.pk])).status_code == 404
    record = ImplementationRecordFactory()
    assert client.get(record.get_absolute_url()).status_code == 200
    record.unpublish()
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get("/risultati-attuazione/interventi/99999999/").status_code == 404


def test_a_published_record_shows_its_live_version_not_its_draft(plan, client):
    record = ImplementationRecordFactory(title="Titolo pubblicato")
    record.title = "Titolo in bozza"
    record.save_revision()
    content = client.get(record.get_absolute_url()).content.decode()
    assert "Titolo pubblicato" in content
    assert "Titolo in bozza" not in content


def test_record_page_shows_timeline_progress_updates_photos_and_sources(
    plan, client, consultation, proposal
):
    hidden = ProposalFactory(
        consultation=consultation, title="Proposta nascosta X", visibility=Visibility.HIDDEN
    )
    record = ImplementationRecordFactory(proposals=[proposal, hidden], status_note="Accolta.")
    with_first_stone(record, "Il cantiere visto dalla piazza")
    record = publish(record)
    content = client.get(record.get_absolute_url()).content.decode()
    assert "avanzamento 45%" in content
    assert '<progress max="100" value="45"' in content
    assert "Cantiere aperto." in content
    assert "Accolta." in content
    assert "Posa della prima pietra" in content
    assert 'alt="Il cantiere visto dalla piazza"' in content
    assert proposal.get_absolute_url() in content
    assert "Proposta nascosta X" not in content


def test_record_page_names_its_comuni_only(plan, client):
    usseaux, torino = Comune.objects.get(name="Usseaux"), Comune.objects.get(name="Torino")
    record = ImplementationRecordFactory(comuni=[usseaux, torino])
    content = client.get(record.get_absolute_url()).content.decode()
    assert "Torino, Usseaux</dd>" in content
    assert "Pinerolo" not in content
    everywhere = ImplementationRecordFactory()
    content = client.get(everywhere.get_absolute_url()).content.decode()
    assert "Tutto il territorio metropolitano" in content


def test_filters_by_comune_zone_and_status(plan, client):
    torino = Comune.objects.get(name="Torino")
    other = Comune.objects.get(name="Usseaux")
    first, second = (
        ZonaOmogenea.objects.get_or_create(number=1, defaults={"name": "Torino"})[0],
        ZonaOmogenea.objects.get_or_create(number=5, defaults={"name": "Pinerolese"})[0],
    )
    Comune.objects.filter(pk=torino.pk).update(zona_omogenea=first)
    Comune.objects.filter(pk=other.pk).update(zona_omogenea=second)
    other.refresh_from_db()
    in_torino = ImplementationRecordFactory(title="A Torino", comuni=[torino])
    elsewhere = ImplementationRecordFactory(title="Altrove", comuni=[other], in_progress=True)
    everywhere = ImplementationRecordFactory(title="Ovunque")

    by_comune = _titles(client.get(PLAN, {"comune": torino.pk}))
    assert set(by_comune) == {in_torino.title, everywhere.title}
    by_zone = _titles(client.get(PLAN, {"zona": other.zona_omogenea_id}))
    assert set(by_zone) == {elsewhere.title, everywhere.title}
    by_status = _titles(client.get(PLAN, {"stato": "in_progress"}))
    assert by_status == [elsewhere.title]


def test_a_bad_filter_value_is_ignored_with_a_message(plan, client):
    ImplementationRecordFactory()
    response = client.get(PLAN, {"comune": "nessuno", "stato": "<script>", "pagina": "x"})
    assert response.status_code == 200
    assert len(_titles(response)) == 1
    assert "non sono validi" in response.content.decode()


def test_pagination_keeps_the_filters(plan, client):
    for _ in range(22):
        ImplementationRecordFactory(in_progress=True)
    response = client.get(PLAN, {"stato": "in_progress"})
    assert len(_titles(response)) == 20
    assert "stato=in_progress&amp;pagina=2" in response.content.decode()
    assert len(_titles(client.get(PLAN, {"stato": "in_progress", "pagina": 2}))) == 2


def test_plan_query_count_is_constant(plan, client, django_assert_num_queries):
    """The same number of queries with 3 and with 25 records (each with comuni)."""
    comuni = list(Comune.objects.all()[:3])
    zone = ZonaOmogenea.objects.get_or_create(number=1, defaults={"name": "Torino"})[0]
    Comune.objects.filter(pk__in=[c.pk for c in comuni]).update(zona_omogenea=zone)
    counts = []
    for n in (3, 22):
        for _ in range(n):
            ImplementationRecordFactory(comuni=comuni)
        client.get(PLAN)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PLAN, {"zona": zone.pk})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(counts[1]):
        client.get(PLAN, {"zona": zone.pk, "pagina": 2})


def test_action_page_lists_its_records(plan, client):
    mine = ImplementationRecordFactory(title="Della 5.2.1")
    ImplementationRecordFactory(
        title="Della 5.3.5", action=ActionPage.objects.get(locale__language_code="it", code="5.3.5")
    )
    response = client.get(reverse("accountability:action", args=["5.2.1"]))
    assert response.status_code == 200
    assert [r.title for r in response.context["records"]] == [mine.title]
    assert client.get(reverse("accountability:action", args=["9.9.9"])).status_code == 404


def test_the_psm_action_page_links_to_what_was_done(plan, client):
    ImplementationRecordFactory()
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    content = client.get(action.url).content.decode()
    assert "Cosa è stato fatto" in content
    assert reverse("accountability:action", args=["5.2.1"]) in content


def test_the_proposal_page_shows_where_it_went(plan, client, proposal):
    record = ImplementationRecordFactory(proposals=[proposal], title="Sportello nelle scuole")
    ImplementationRecordFactory(proposals=[proposal], title="Bozza segreta", publish=False)
    content = client.get(proposal.get_absolute_url()).content.decode()
    assert "Dove è andata questa proposta" in content
    assert record.get_absolute_url() in content
    assert "Bozza segreta" not in content


def test_a_proposal_without_records_shows_no_section(plan, client, proposal):
    content = client.get(proposal.get_absolute_url()).content.decode()
    assert "Dove è andata questa proposta" not in content


def test_the_admin_preview_renders_a_draft_even_without_an_action(plan, rf, proposal):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from accountability.models import ImplementationRecord

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    unsaved = ImplementationRecord(title="Bozza senza azione", description="x")
    html = render_to_string(
        unsaved.get_preview_template(request, ""), unsaved.get_preview_context(request, ""), request
    )
    assert "Bozza senza azione" in html
    assert "Anteprima" in html
    draft = ImplementationRecordFactory(proposals=[proposal], publish=False)
    draft.title = "Titolo della bozza"
    html = render_to_string(
        draft.get_preview_template(request, ""), draft.get_preview_context(request, ""), request
    )
    assert "Titolo della bozza" in html
    assert proposal.title in html
