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
from proposals.moderation import in_person
from proposals.moderation import services as moderation
from proposals.results import ranking, results_are_public
from territory.models import TORINO_ISTAT_CODE
from tests.consultations.factories import make_consultation, make_facilitator, participation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, on_ballot, vote

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
    big = on_ballot(consultation=consultation, cost=Decimal("800"))
    too_big = on_ballot(consultation=consultation, cost=Decimal("300"))
    small = on_ballot(consultation=consultation, cost=Decimal("150"))
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
def test_hidden_cells_carry_one_mark_and_no_rate():
    cell = Cell("b", "B", 3, residents=1000, suppressed=True)
    assert cell.shown_count == "riservato"
    assert cell.rate is None
    assert cell.share_of(20) is None


def test_statistics_by_age_gender_comune_zone_with_suppression(consultation):
    # Torino (plain, big) x14, Sauze d'Oulx (mountain) x2, outside area x1
    for _ in range(8):
        participation(consultation, age=16, gender="donna", comune_id=TORINO_ISTAT_CODE)
    for _ in range(6):
        participation(consultation, age=20, gender="uomo", comune_id=TORINO_ISTAT_CODE)
    participation(consultation, age=27, gender="uomo", comune_id="001259")
    participation(consultation, age=31, gender="donna", comune_id="001259")
    participation(consultation, age=40, gender="", comune_id=None)
    stats = participation_statistics(consultation=consultation)
    assert stats.total == 17
    by_key = {d.key: {c.key: c for c in d.cells} for d in stats.dimensions}
    assert by_key["age"]["14-17"].count == 8
    assert not by_key["age"]["14-17"].suppressed
    # three small bands (3 people) and the next smallest with them: no band is worked out
    assert [by_key["age"][k].suppressed for k in ("18-24", "25-29", "30-35", "other")] == [True] * 4
    assert not by_key["gender"]["donna"].suppressed
    assert by_key["gender"]["uomo"].suppressed
    assert by_key["gender"][""].suppressed
    # Sauze d'Oulx (2) is not named; mountain (2) + outside (1) = 17 - 14 would give them away,
    # so Torino's 14 is withheld too
    assert "001259" not in by_key["comune"]
    assert TORINO_ISTAT_CODE not in by_key["comune"]
    assert all(c.suppressed for c in stats.mountain_vs_plain.cells)
    assert by_key["zone"]["1"].suppressed
    assert by_key["zone"]["1"].rate is None


def test_the_issues_subtraction_mountain_minus_sauze_gives_nothing_away(consultation):
    """Mountain 8 - Sauze d'Oulx 6 = Sestriere 2: the small comune is folded with its neighbour."""
    for _ in range(6):
        participation(consultation, age=16, gender="donna", comune_id="001259")
    for _ in range(2):
        participation(consultation, age=16, gender="donna", comune_id="001263")
    for _ in range(20):
        participation(consultation, age=16, gender="donna", comune_id=TORINO_ISTAT_CODE)
    stats = participation_statistics(consultation=consultation)
    comuni = {c.key: c for c in stats.dimensions[3].cells}
    assert "001263" not in comuni
    assert "001259" not in comuni
    assert comuni[TORINO_ISTAT_CODE].count == 20
    others = [c for c in comuni.values() if c.key.startswith("altri-")]
    assert [(c.count, c.suppressed) for c in others] == [(8, False)]
    assert "Montagna interna" in others[0].label
    mountain, plain = stats.mountain_vs_plain.cells
    assert (mountain.count, mountain.suppressed, plain.count) == (8, False, 20)


def test_statistics_query_count_is_constant(consultation, django_assert_num_queries):
    for _ in range(12):
        participation(consultation, age=20, gender="donna")
    with django_assert_num_queries(5):
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
    assert "Scarica i dati" in body  # open data, once the results are public
    assert "?tabella=commenti" not in body  # the comments stay with the facilitators


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


def test_full_exports_are_for_facilitators_and_open_data_for_the_others(
    client, consultation, scored
):
    """With public results everybody downloads the open data (no names, no comments); the
    authors' names and the comments stay with the consultation's own facilitators."""
    for person in (None, UserFactory(), make_facilitator(make_consultation())):
        if person is not None:
            client.force_login(person)
        response = _export(client, consultation, "csv", "proposte")
        assert response.status_code == 200
        assert "autore/autrice" not in response.content.decode("utf-8-sig").splitlines()[0]
        assert _export(client, consultation, "csv", "commenti").status_code == 400


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
        "Licenza e dizionario",
    ]
    proposals = list(workbook["Proposte e sostegni"].values)
    totals = {row[2]: row[9] for row in proposals[1:]}
    assert totals == {"Aula studio serale": 5, "Bici in stazione": 3, "Murales partecipato": 0}
    stats = list(workbook["Partecipazione"].values)
    assert ("totale", None, "7", None, None, None) in [
        tuple(None if v in ("", None) else v for v in row) for row in stats
    ]
    assert any(row[2] == "riservato" for row in stats)


# --------------------------------------------------------------------------- frozen results
def test_withdrawing_a_funded_proposal_after_publication_changes_nothing(client, plan):
    """Issue 11, finding 8: once published, the results are a frozen record."""
    from proposals.services.proposals import proposal_withdraw

    consultation = make_consultation(
        phase="results", vote_mode="budget", total_budget=Decimal("1000")
    )
    funded = on_ballot(consultation=consultation, title="Rifugio aperto", cost=Decimal("800"))
    other = on_ballot(consultation=consultation, title="Sentiero", cost=Decimal("150"))
    for _ in range(6):
        vote(funded)
    vote(other)
    before = ranking(consultation=consultation)
    assert [(r.proposal, r.funded) for r in before.rows] == [(funded, True), (other, True)]

    proposal_withdraw(proposal=funded, user=funded.author)
    after = ranking(consultation=consultation)
    assert [(r.proposal.pk, r.position, r.total, r.funded) for r in after.rows] == [
        (funded.pk, 1, 6, True),
        (other.pk, 2, 1, True),
    ]
    assert after.rows[0].withdrawn_after_publication
    assert not after.rows[1].withdrawn_after_publication
    assert (after.total, after.funded_cost, after.voters) == (7, Decimal("950"), 7)

    page = client.get(
        reverse("consultations:results", kwargs={"consultation_id": consultation.pk})
    ).content.decode()
    assert "Rifugio aperto" in page
    assert "ritirata dopo la pubblicazione dei risultati" in page
    data = client.get(reverse("api:consultation-results", kwargs={"pk": consultation.pk})).json()
    assert data["supports"] == 7
    assert data["ranking"][0]["proposal"] == funded.pk
    assert data["ranking"][0]["withdrawn_after_publication"] is True


def test_a_withdrawal_before_anyone_read_the_results_is_frozen_too(plan):
    from proposals.services.proposals import proposal_withdraw

    consultation = make_consultation(phase="results")
    proposal = ProposalFactory(consultation=consultation)
    for _ in range(3):
        vote(proposal)
    proposal_withdraw(proposal=proposal, user=proposal.author)
    result = ranking(consultation=consultation)
    assert [(r.proposal.pk, r.total) for r in result.rows] == [(proposal.pk, 3)]
    assert result.rows[0].withdrawn_after_publication


def test_results_stay_live_while_a_vote_is_open(consultation, scored):
    first, second, third = scored
    assert ranking(consultation=consultation).total == 8
    vote(third)
    assert ranking(consultation=consultation).total == 9
