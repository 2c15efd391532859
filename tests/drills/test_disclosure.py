"""Differencing attack on every published statistic.

A consultation is seeded with small groups (the issue's case: Sauze d'Oulx 6 and Sestriere 2
in the mountain, a lone participant from outside the area, small age bands and genders, three
voters) and every door that publishes its figures is read as an outsider would: the results
page, the API's results, the CSV and XLSX exports, and a leadership selection report. On the
numbers actually returned the drill tries every subtraction an attacker would: a dimension's
total minus its shown cells, a zone or the mountain figure minus the comuni shown in it (the
comuni's zone and mountain status are public ISTAT data), and looks for the names of small
comuni. No hidden group may come out below five people or pinned to fewer than five values.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.disclosure import MIN_CELL
from leadership.services.reports import selection_report
from territory.models import TORINO_ISTAT_CODE, Comune, MountainStatus
from tests.consultations.factories import make_consultation, make_facilitator, participation
from tests.leadership import factories as leadership_factories
from tests.proposals.factories import ProposalFactory, vote

SAUZE, SESTRIERE = "001259", "001263"
HIDDEN = "riservato"
ATTACKS = {"tried": 0}


def _attack_margin(total, cells):
    """``total`` minus the shown cells: the hidden cells together (each at least 1)."""
    ATTACKS["tried"] += 1
    hidden = [c for c in cells if c is None]
    if not hidden or total is None:
        return
    rest = total - sum(c for c in cells if c is not None)
    assert len(hidden) >= 2, "a lone hidden cell is the total minus the others"
    assert rest - len(hidden) + 1 >= MIN_CELL, f"hidden cells pinned to {rest} people"


@pytest.fixture
def seeded(plan):
    consultation = make_consultation(phases=("voting",), results_public=True)
    for _ in range(6):
        participation(consultation, age=16, gender="donna", comune_id=SAUZE)
    participation(consultation, age=27, gender="uomo", comune_id=SESTRIERE)
    participation(consultation, age=31, gender="non_binario", comune_id=SESTRIERE)
    for _ in range(14):
        participation(consultation, age=20, gender="uomo", comune_id=TORINO_ISTAT_CODE)
    for _ in range(6):
        participation(consultation, age=16, gender="donna", comune_id=TORINO_ISTAT_CODE)
    participation(consultation, age=40, gender="", comune_id=None)
    proposal = ProposalFactory(consultation=consultation, title="Navetta per la valle")
    for _ in range(3):
        vote(proposal)
    return consultation


def _api(client, consultation):
    url = reverse("api:consultation-results", kwargs={"pk": consultation.pk})
    return client.get(url).json()


def test_the_api_numbers_resist_every_subtraction(client, seeded):
    data = _api(client, seeded)
    assert data["voters"] is None  # 3 voters
    participation = data["participation"]
    total = participation["participants"]
    assert total == 29
    dims = {d["dimension"]: d["cells"] for d in participation["dimensions"]}
    for key in ("age", "gender"):
        _attack_margin(total, [c["participants"] for c in dims[key]])
    # the comune lines: a hidden stratum adds no line, so the lines need not add up to the total;
    # what they leave over must still be no small group
    left = total - sum(c["participants"] or 0 for c in dims["comune"])
    ATTACKS["tried"] += 1
    assert left == 0 or left >= MIN_CELL
    for cell in [*dims["zone"], *dims["mountain"], *dims["comune"]]:
        if cell["participants"] is not None:
            assert cell["participants"] >= MIN_CELL or cell["participants"] == 0
    # a zone or the mountain figure minus the comuni shown inside it
    comuni = Comune.objects.in_bulk([c["group"] for c in dims["comune"] if c["group"].isdigit()])
    mountain = next(c for c in dims["mountain"] if c["group"] == "mountain")["participants"]
    if mountain is not None:
        shown = [
            c["participants"]
            for c in dims["comune"]
            if (c["group"] in comuni and comuni[c["group"]].mountain_status != MountainStatus.NOT)
            or c["group"].endswith("-mountain")
        ]
        _attack_margin(mountain, shown)
        rest = mountain - sum(v for v in shown if v is not None)
        ATTACKS["tried"] += 1
        assert rest == 0 or rest >= MIN_CELL
    for zone in dims["zone"]:
        if zone["participants"] is None:
            continue
        shown = [
            c["participants"]
            for c in dims["comune"]
            if (c["group"] in comuni and str(comuni[c["group"]].altimetric_zone) == zone["group"])
            or c["group"].startswith(f"altri-{zone['group']}-")
        ]
        rest = zone["participants"] - sum(v for v in shown if v is not None)
        ATTACKS["tried"] += 1
        assert rest == 0 or rest >= MIN_CELL
    text = str(data)
    assert "Sestriere" not in text  # a comune of two is never named
    assert SESTRIERE not in text


def test_page_and_exports_publish_the_api_figures_and_nothing_more(client, seeded):
    data = _api(client, seeded)
    published = {
        (d["dimension"], c["label"]): c["participants"]
        for d in data["participation"]["dimensions"]
        for c in d["cells"]
    }
    page = client.get(
        reverse("consultations:results", kwargs={"consultation_id": seeded.pk})
    ).content.decode()
    client.force_login(make_facilitator(seeded))
    url = reverse(
        "consultations:results_export", kwargs={"consultation_id": seeded.pk, "fmt": "csv"}
    )
    rows = list(
        csv.reader(io.StringIO(client.get(url, {"tabella": "partecipazione"}).content.decode()))
    )
    url = reverse(
        "consultations:results_export", kwargs={"consultation_id": seeded.pk, "fmt": "xlsx"}
    )
    workbook = load_workbook(io.BytesIO(client.get(url).content))
    sheet = [
        [str(v) if v is not None else "" for v in row] for row in workbook["Partecipazione"].values
    ]
    for door, text in (("pagina", page), ("csv", str(rows)), ("xlsx", str(sheet))):
        ATTACKS["tried"] += 1
        assert "Sestriere" not in text, door
    titles = {d["title"]: d["dimension"] for d in data["participation"]["dimensions"]}
    for door_rows in (rows[2:], sheet[2:]):
        for row in door_rows:
            key = (titles[row[0].lstrip("\ufeff")], row[1])
            ATTACKS["tried"] += 1
            expected = published[key]
            assert row[2] == (HIDDEN if expected is None else str(expected)), key


def test_the_leadership_report_resists_every_subtraction(plan):
    call = leadership_factories.make_call(seats=2)
    genders = ["donna"] * 3 + ["uomo"] * 9
    for gender in genders:
        leadership_factories.submitted_application(call, gender=gender)
    report = selection_report(call)
    for key in ("by_gender", "by_category", "by_place"):
        table = report[key]
        _attack_margin(report["submitted"], [cells[0] for cells in table.values()])
        _attack_margin(report["selected"], [cells[1] for cells in table.values()])
        for applied, offered in table.values():
            ATTACKS["tried"] += 1
            if applied is not None and offered is not None:
                assert applied - offered == 0 or applied - offered >= MIN_CELL
    assert report["by_gender"]["donna"][0] is None
