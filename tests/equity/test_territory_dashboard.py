"""The public dashboard of participation across the territory (equity.selectors, equity.views)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.disclosure import MIN_CELL, bounds
from equity.selectors import territorial_participation
from leadership.models import Application, ApplicationStatus
from proposals.models import Source
from territory.models import TORINO_ISTAT_CODE, Comune
from tests.consultations.factories import make_consultation, participation
from tests.factories import UserFactory
from tests.leadership.factories import make_call
from tests.proposals.factories import ProposalFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops.models import Activity, Admission, Idea

pytestmark = pytest.mark.django_db

PINEROLO, AIRASCA = "001191", "001002"  # both in zona omogenea 5 (Pinerolese)


@pytest.fixture
def consultation(plan):
    return make_consultation(phase="proposals")


def paper(consultation, comune_id, n=1):
    for _i in range(n):
        ProposalFactory(
            consultation=consultation,
            author=None,
            source=Source.IN_PERSON,
            in_person_date=timezone.localdate(),
            comune=Comune.objects.get(pk=comune_id),
        )


def applications(comune_id, n=1):
    call = make_call()
    for _i in range(n):
        Application.objects.create(
            call=call,
            applicant=UserFactory(),
            status=ApplicationStatus.SUBMITTED,
            comune_id=comune_id,
            submitted_at=timezone.now(),
        )


def admissions(n, comune_id=None):
    session = LiveSessionFactory(comune_id=comune_id)
    for i in range(n):
        Admission.objects.create(session=session, participant_key=f"device-{i}")
    return session


def line(cells, label):
    return next(c for c in cells if c.label == label)


def assert_no_hidden_figure_can_be_recomputed(figures):
    published = [f for f in figures if not f.hidden]
    hidden = [f for f in figures if f.hidden]
    for figure in hidden:
        low, high = bounds(figure.atoms, published, hidden)
        assert high is None or high - low + 1 >= MIN_CELL, figure.key


def test_every_source_is_counted_where_it_happened(consultation):
    for _i in range(6):
        participation(consultation, comune_id=TORINO_ISTAT_CODE)
    paper(consultation, TORINO_ISTAT_CODE, 2)
    applications(TORINO_ISTAT_CODE, 2)
    admissions(5)  # the facilitator did not say where: "comune non indicato"
    admissions(7, comune_id=PINEROLO)
    applications(None, 1)  # no comune: counted, but nowhere on the map
    dashboard = territorial_participation()
    assert dashboard.total == 23
    assert line(dashboard.comuni, "Pinerolo").count == 7
    torino = line(dashboard.comuni, "Torino")
    assert torino.count == 10
    assert not torino.suppressed
    youth = Comune.objects.get(pk=TORINO_ISTAT_CODE).population_14_35
    assert torino.residents == youth
    assert torino.rate == round(10 * 1000 / youth, 3)
    assert line(dashboard.comuni, "comune non indicato o fuori area").count == 6
    kinds = {p.label.split(":")[0]: p.kind for p in dashboard.map_points}
    assert kinds["Torino"] == "published"
    assert kinds["Pinerolo"] == "published"
    assert kinds["Airasca"] == "zero"  # a zero says nothing about a person
    totals = {c.label: c for c in dashboard.source_totals}
    assert totals["Consultazioni online"].count == 6
    assert totals["Laboratori dal vivo"].count == 12
    assert totals["Proposte su carta o in presenza"].count == 2
    assert totals["Candidature al programma di leadership"].count == 3
    assert totals["Proposte su carta o in presenza"].suppressed  # 2 < 5
    assert_no_hidden_figure_can_be_recomputed(dashboard.time_figures)


def test_ideas_turned_into_proposals_are_not_counted_twice_and_drafts_not_at_all(consultation):
    session = admissions(3)
    activity = ActivityFactory(session=session, kind=Activity.Kind.IDEAS)
    proposal = ProposalFactory(consultation=consultation, author=None, source=Source.IN_PERSON)
    Idea.objects.create(activity=activity, text="Un'idea", participant_key="d", proposal=proposal)
    Application.objects.create(call=make_call(), applicant=UserFactory(), comune_id=PINEROLO)
    counts = {c.key: c.count for c in territorial_participation().source_totals}
    assert counts == {
        "('s', 'consultations')": 0,
        "('s', 'workshops')": 3,
        "('s', 'paper')": 0,
        "('s', 'leadership')": 0,
    }


def test_small_cells_are_hidden_and_cannot_be_recomputed_by_difference(consultation):
    for _i in range(12):
        participation(consultation, comune_id=PINEROLO)
    for _i in range(3):
        participation(consultation, comune_id=AIRASCA)
    for _i in range(20):
        participation(consultation, comune_id=TORINO_ISTAT_CODE)
    dashboard = territorial_participation()
    labels = [c.label for c in dashboard.comuni]
    assert "Airasca" not in labels  # fewer than 5: never named
    assert any(c.suppressed for c in dashboard.comuni)
    # The differencing attempt: a zone, or the grand total, minus the published lines inside
    # it never leaves a single hidden line, so Airasca's 3 cannot be worked out.
    zona5 = next(c for c in dashboard.zones if c.label.startswith("5 "))
    in_zona5 = [c for c in dashboard.comuni if c.label == "Pinerolo" or "omogenea 5," in c.label]
    if not zona5.suppressed:
        hidden = [c for c in in_zona5 if c.suppressed]
        assert len(hidden) != 1
        if not hidden:
            assert sum(c.count for c in in_zona5) == zona5.count
    published = sum(c.count for c in dashboard.comuni if not c.suppressed)
    assert dashboard.total - published not in range(1, MIN_CELL)
    assert sum(c.suppressed for c in dashboard.comuni) != 1
    assert_no_hidden_figure_can_be_recomputed(dashboard.figures)
    for cell in dashboard.comuni + dashboard.zones + dashboard.altimetric:
        assert cell.suppressed or cell.count == 0 or cell.count >= MIN_CELL
        if cell.suppressed:
            assert cell.rate is None


def test_below_ten_only_the_total_is_published(consultation):
    for _i in range(7):
        participation(consultation, comune_id=PINEROLO)
    dashboard = territorial_participation()
    assert dashboard.total == 7
    assert not dashboard.total_suppressed
    assert all(c.suppressed for c in dashboard.comuni + dashboard.zones if c.count)
    assert not dashboard.without_participation  # zeros hidden too with no breakdown


def test_denominator_and_unassigned_comuni():
    dashboard = territorial_participation()
    assert dashboard.residents_14_35 == 468_730
    assert dashboard.residents_date == datetime.date(2023, 1, 1)
    assert dashboard.unassigned_comuni == 132
    unassigned = line(dashboard.zones, "zona non ancora assegnata")
    assert unassigned.residents == sum(
        Comune.objects.filter(zona_omogenea__isnull=True).values_list("population_14_35", flat=True)
    )
    assert len(dashboard.map_points) == 312


def test_the_public_page_names_its_denominator_and_source(
    client, consultation, django_assert_num_queries
):
    for _i in range(12):
        participation(consultation, comune_id=PINEROLO)
    paper(consultation, AIRASCA, 6)
    admissions(4)
    with django_assert_num_queries(8):
        response = client.get(reverse("equity:territory"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fonte: ISTAT, ANPR, Città metropolitana di Torino" in html
    assert "01/01/2023" in html
    assert "132" in html  # comuni without a zona omogenea yet
    assert "Pinerolo" in html
    assert "riservato" in html
    assert '<svg class="w-100 h-auto border"' in html
    with django_assert_num_queries(0):  # the figures are kept for ten minutes
        assert client.get(reverse("equity:territory")).status_code == 200
    assert "<title" in html
