"""Results: ranking with totals per mode (online + in presenza), participation statistics
with suppression under 5, visibility rules, exports showing the page's figures."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.statistics import Cell, participation_statistics
from core.disclosure import suppress
from proposals.moderation import in_person
from proposals.moderation import services as moderation
from proposals.results import ranking, results_are_public
from territory.models import TORINO_ISTAT_CODE
from tests.consultations.factories import make_consultation, make_facilitator, participation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(plan):
    return make_consultation(phases=("voting",), results_public=True)


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


def _offline(facilitator, proposal, supports):
    in_person.offline_supports_record(
        actor=facilitator,
        proposal=proposal,
        supports=supports,
        meeting_date=timezone.localdate() - datetime.timedelta(days=1),
        place="Ivrea",
    )


@pytest.fixture
def scored(consultation, facilitator):
    first = ProposalFactory(consultation=consultation, title="Bici in stazione")
    second = ProposalFactory(consultation=consultation, title="Aula studio serale")
    third = ProposalFactory(consultation=consultation, title="Murales partecipato")
    hidden = ProposalFactory(consultation=consultation, title="Nascosta", visibility="hidden")
    for _ in range(3):
        vote(first)
    vote(second)
    vote(hidden)
    _offline(facilitator, second, 4)  # 1 online + 4 in presenza = 5
    return first, second, third


# --------------------------------------------------------------------------- ranking
def test_ranking_adds_in_person_supports_and_skips_hidden(consultation, scored):
    first, second, third = scored
    result = ranking(consultation=consultation)
    assert [(r.proposal, r.online, r.offline, r.total) for r in result.rows] == [
        (second, 1, 4, 5),
        (first, 3, 0, 3),
        (third, 0, 0, 0),
    ]
    assert [r.position for r in result.rows] == [1, 2, 3]
    assert (result.online_total, result.offline_total, result.total) == (4, 4, 8)
    assert result.voters == 4


def test_budget_mode_funds_in_ranking_order_within_budget(plan):
    consultation = make_consultation(
        phases=("voting",), results_public=True, vote_mode="budget", total_budget=Decimal("1000")
    )
    big = ProposalFactory(consultation=consultation, cost=Decimal("800"))
    too_big = ProposalFactory(consultation=consultation, cost=Decimal("300"))
    small = ProposalFactory(consultation=consultation, cost=Decimal("150"))
    for _ in range(3):
        vote(big)
    for _ in range(2):
        vote(too_big)
    vote(small)
    result = ranking(consultation=consultation)
    assert [(r.proposal, r.funded) for r in result.rows] == [
        (big, True),
        (too_big, False),
        (small, True),
    ]
    assert result.funded_cost == Decimal("950")
    assert result.budget_left == Decimal("50")


# --------------------------------------------------------------------------- statistics
def test_suppression_of_small_cells_and_the_complementary_one():
    cells = [Cell("a", "A", 12), Cell("b", "B", 3), Cell("c", "C", 7), Cell("d", "D", 0)]
    suppress(cells)
    assert [c.suppressed for c in cells] == [False, True, True, False]
    assert cells[1].shown_count == "meno di 5"
    assert cells[1].rate is None
    two_small = [Cell("a", "A", 1), Cell("b", "B", 2), Cell("c", "C", 9)]
    suppress(two_small)
    assert [c.suppressed for c in two_small] == [True, True, False]


def test_statistics_by_age_gender_comune_zone_with_suppression(consultation):
    # Torino (plain, big) x7, Sestriere (mountain) x2, outside area x1
    for _ in range(7):
        participation(consultation, age=16, gender="donna", comune_id=TORINO_ISTAT_CODE)
    participation(consultation, age=27, gender="uomo", comune_id="001259")
    participation(consultation, age=31, gender="uomo", comune_id="001259")
    participation(consultation, age=40, gender="", comune_id=None)
    stats = participation_statistics(consultation=consultation)
    assert stats.total == 10
    by_key = {d.key: {c.key: c for c in d.cells} for d in stats.dimensions}
    assert by_key["age"]["14-17"].count == 7
    assert not by_key["age"]["14-17"].suppressed
    assert by_key["age"]["25-29"].suppressed
    assert by_key["age"]["30-35"].suppressed
    assert by_key["gender"]["donna"].count == 7
    assert by_key["gender"]["uomo"].suppressed
    torino = by_key["comune"][TORINO_ISTAT_CODE]
    assert torino.rate == round(7 * 1000 / torino.residents, 3)
    assert by_key["comune"]["001259"].suppressed
    assert by_key["comune"]["001259"].rate is None
    mountain, plain = stats.mountain_vs_plain.cells
    assert mountain.suppressed
    assert mountain.rate is None
    assert plain.count == 7


def test_statistics_query_count_is_constant(consultation, django_assert_num_queries):
    for _ in range(12):
        participation(consultation, age=20, gender="donna")
    with django_assert_num_queries(7):
        participation_statistics(consultation=consultation)


# --------------------------------------------------------------------------- page
def test_results_page_shows_ranking_and_statistics(client, consultation, scored):
    for _ in range(6):
        participation(consultation, age=20, gender="donna")
    response = client.get(
        reverse("consultations:results", kwargs={"consultation_id": consultation.pk})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aula studio serale" in body
    assert "Nascosta" not in body
    assert "Montagna e pianura a confronto" in body
    assert "meno di 5" in body
    assert "Scarica i dati" not in body  # exports only for facilitators


def test_results_page_query_count_does_not_grow(
    client, consultation, facilitator, django_assert_max_num_queries
):
    for _ in range(15):
        vote(ProposalFactory(consultation=consultation))
    with django_assert_max_num_queries(20):
        assert (
            client.get(
                reverse("consultations:results", kwargs={"consultation_id": consultation.pk})
            ).status_code
            == 200
        )


def test_results_before_the_results_phase(client, plan):
    consultation = make_consultation(phases=("voting", "results"))
    assert not results_are_public(consultation)
    url = reverse("consultations:results", kwargs={"consultation_id": consultation.pk})
    response = client.get(url)
    assert response.status_code == 403
    assert "fase dei risultati" in response.content.decode()
    client.force_login(make_facilitator(consultation))
    response = client.get(url)
    assert response.status_code == 200
    assert "visibile solo a chi modera" in response.content.decode()


# --------------------------------------------------------------------------- exports
def _export(client, consultation, fmt, table=None):
    url = reverse(
        "consultations:results_export", kwargs={"consultation_id": consultation.pk, "fmt": fmt}
    )
    return client.get(url, {"tabella": table} if table else {})


def test_exports_are_for_facilitators_only(client, consultation, scored):
    assert _export(client, consultation, "csv").status_code in (302, 403)
    client.force_login(UserFactory())
    assert _export(client, consultation, "csv").status_code == 403
    other = make_facilitator(make_consultation())
    client.force_login(other)
    assert _export(client, consultation, "xlsx").status_code == 403


def test_csv_export_has_the_figures_of_the_page(client, consultation, facilitator, scored):
    first, second, third = scored
    moderation.proposal_answer(
        actor=facilitator, proposal=second, status="accepted", answer="La apriamo a gennaio."
    )
    client.force_login(facilitator)
    page = client.get(reverse("consultations:results", kwargs={"consultation_id": consultation.pk}))
    assert "Scarica i dati" in page.content.decode()
    response = _export(client, consultation, "csv", "proposte")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["posizione", "id", "titolo"]
    by_title = {row[2]: row for row in data}
    assert set(by_title) == {"Bici in stazione", "Aula studio serale", "Murales partecipato"}
    online, offline, total = (
        header.index(h) for h in ("sostegni online", "sostegni in presenza", "sostegni totali")
    )
    result = ranking(consultation=consultation)
    for row in result.rows:
        exported = by_title[row.proposal.title]
        assert (int(exported[online]), int(exported[offline]), int(exported[total])) == (
            row.online,
            row.offline,
            row.total,
        )
        assert str(row.total) in page.content.decode()
    assert "La apriamo a gennaio." in by_title["Aula studio serale"]
    answers = _export(client, consultation, "csv", "risposte").content.decode("utf-8-sig")
    assert "La apriamo a gennaio." in answers
    assert _export(client, consultation, "csv", "nonsense").status_code == 400


def test_csv_export_neutralises_formulas(client, consultation, facilitator):
    ProposalFactory(consultation=consultation, title='=HYPERLINK("http://x")')
    client.force_login(facilitator)
    content = _export(client, consultation, "csv", "proposte").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_xlsx_export_has_all_tables_with_the_same_figures(
    client, consultation, facilitator, scored
):
    for _ in range(6):
        participation(consultation, age=20, gender="donna")
    participation(consultation, age=30, gender="uomo")
    client.force_login(facilitator)
    response = _export(client, consultation, "xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Proposte e sostegni",
        "Storico risposte",
        "Commenti",
        "Partecipazione",
    ]
    proposals = list(workbook["Proposte e sostegni"].values)
    totals = {row[2]: row[9] for row in proposals[1:]}
    assert totals == {"Aula studio serale": 5, "Bici in stazione": 3, "Murales partecipato": 0}
    stats = list(workbook["Partecipazione"].values)
    assert ("totale", None, "7", None, None, None) in [
        tuple(None if v in ("", None) else v for v in row) for row in stats
    ]
    assert any(row[2] == "meno di 5" for row in stats)
