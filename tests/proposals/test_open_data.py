"""Results as open data (issue 12, point 4): public downloads under CC BY 4.0 with a data
dictionary, no person's name in them, and a DCAT-AP_IT catalogue of the published datasets."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from wagtail.models import PageViewRestriction

from proposals.exports import PUBLIC_TABLES, TABLES, table_export
from proposals.open_data import dictionary
from proposals.open_data.licence import LICENCE
from psm.localisation import default_locale_id
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")


@pytest.fixture
def published(plan):
    consultation = make_consultation(phase="results")
    author = UserFactory(display_name="Giulia Rossi")
    proposal = ProposalFactory(consultation=consultation, author=author, title="Più panchine")
    CommentFactory(proposal=proposal, author=UserFactory(display_name="Marco Bianchi"))
    return consultation


def _export(client, consultation, fmt="csv", **params):
    url = reverse(
        "consultations:results_export", kwargs={"consultation_id": consultation.pk, "fmt": fmt}
    )
    return client.get(url, params)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_anyone_downloads_public_results_without_names(client, published):
    response = _export(client, published, tabella="proposte")
    assert response.status_code == 200
    assert response["Link"] == f'<{LICENCE.url}>; rel="license"'
    rows = _csv(response)
    assert "autore/autrice" not in rows[0]
    assert rows[1][rows[0].index("titolo")] == "Più panchine"
    assert "Giulia Rossi" not in response.content.decode("utf-8-sig")


def test_the_comments_stay_with_the_moderators(client, published):
    response = _export(client, published, tabella="commenti")
    assert response.status_code == 400
    assert "Marco Bianchi" not in response.content.decode()
    client.force_login(make_facilitator(published))
    response = _export(client, published, tabella="commenti")
    assert response.status_code == 200
    assert "Marco Bianchi" in response.content.decode("utf-8-sig")
    assert response["Cache-Control"] == "private, no-store"


def test_moderators_get_the_names(client, published):
    client.force_login(make_facilitator(published))
    rows = _csv(_export(client, published, tabella="proposte"))
    assert rows[1][rows[0].index("autore/autrice")] == "Giulia Rossi"


def test_nothing_to_download_before_the_results_are_public(client, plan):
    consultation = make_consultation(phase="voting")
    assert _export(client, consultation, tabella="proposte").status_code == 403
    assert _export(client, consultation, fmt="xlsx").status_code == 403
    moderator = make_facilitator(consultation)
    client.force_login(moderator)
    assert _export(client, consultation, tabella="proposte").status_code == 200


def test_a_restricted_consultation_is_not_open_data(client, published):
    PageViewRestriction.objects.create(page=published, restriction_type="login")
    assert _export(client, published, tabella="proposte").status_code == 404
    catalogue = client.get(reverse("open_data:catalogue", kwargs={"fmt": "ttl"}))
    assert f"/partecipa/{published.pk}/risultati/" not in catalogue.content.decode()


def test_the_workbook_carries_the_licence_and_the_dictionary(client, published):
    response = _export(client, published, fmt="xlsx")
    assert response.status_code == 200
    assert response["Link"] == LICENCE.link_header()
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Commenti" not in workbook.sheetnames
    licence = workbook["Licenza e dizionario"]
    values = [cell.value for row in licence.iter_rows() for cell in row if cell.value]
    assert LICENCE.url in values
    assert any("Città metropolitana di Torino" in str(value) for value in values)
    proposals = workbook["Proposte e sostegni"]
    assert "autore/autrice" not in [cell.value for cell in proposals[1]]


def test_every_download_has_the_licence(client, published):
    for table in (*PUBLIC_TABLES, "dizionario"):
        assert _export(client, published, tabella=table)["Link"] == LICENCE.link_header()
    client.force_login(make_facilitator(published))
    for table in TABLES:
        assert _export(client, published, tabella=table)["Link"] == LICENCE.link_header()


def test_every_column_is_in_the_dictionary(published):
    for key in TABLES:
        for public in (False, True):
            if public and not dictionary.TABLES[key].public:
                continue
            header, rows = table_export(published, key, public=public)
            described = [str(c.label) for c in dictionary.TABLES[key].columns]
            assert set(header) <= set(described)
            assert all(len(row) == len(header) for row in rows)


def test_the_dictionary_downloads_as_csv(client, published):
    rows = _csv(_export(client, published, tabella="dizionario"))
    assert rows[0] == ["tabella", "colonna", "significato", "tipo"]
    assert {row[0] for row in rows[1:]} == set(PUBLIC_TABLES)
    assert "autore/autrice" not in [row[1] for row in rows[1:]]


@pytest.mark.parametrize(
    ("fmt", "parser"), [("xml", "xml"), ("ttl", "turtle"), ("jsonld", "json-ld")]
)
def test_the_catalogue_is_dcat_ap_it(client, published, plan, fmt, parser, settings):
    settings.OPEN_DATA_PUBLISHER_IPA = "cmto"
    settings.OPEN_DATA_CONTACT_EMAIL = "opendata@example.org"
    make_consultation(phase="voting")  # results not public yet: not a dataset
    response = client.get(reverse("open_data:catalogue", kwargs={"fmt": fmt}))
    assert response.status_code == 200
    graph = Graph().parse(data=response.content.decode(), format=parser)
    datasets = list(graph.subjects(RDF.type, DCATAPIT.Dataset))
    assert datasets == [URIRef(f"http://testserver/partecipa/{published.pk}/risultati/")]
    dataset = datasets[0]
    assert str(graph.value(dataset, DCTERMS.identifier)) == (
        f"cmto:psm-giovani-consultazione-{published.pk}"
    )
    for required in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.modified,
        DCAT.theme,
        DCTERMS.publisher,
        DCTERMS.rightsHolder,
        DCTERMS.accrualPeriodicity,
        DCAT.contactPoint,
    ):
        assert graph.value(dataset, required) is not None, required
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(PUBLIC_TABLES) + 3  # tables, dictionary, XLSX, JSON
    for distribution in distributions:
        assert graph.value(distribution, DCTERMS.license) == URIRef(LICENCE.url)
        assert graph.value(distribution, DCAT.downloadURL) is not None
    assert (URIRef(LICENCE.url), RDF.type, DCATAPIT.LicenseDocument) in graph


def test_the_open_data_page_lists_datasets_and_the_licence(
    client, published, django_assert_num_queries
):
    make_consultation(phase="results")
    default_locale_id()  # cached for the process: warm it, as any earlier request does
    with django_assert_num_queries(3):  # session-less: pages, their phases, the site
        response = client.get(reverse("open_data:index"))
    text = response.content.decode()
    assert published.title in text
    assert LICENCE.url in text
    assert "autore/autrice" not in text


def test_the_results_page_offers_the_downloads_to_everyone(client, published):
    response = client.get(
        reverse("consultations:results", kwargs={"consultation_id": published.pk})
    )
    text = response.content.decode()
    assert "?tabella=proposte" in text
    assert "?tabella=commenti" not in text
    assert 'rel="license"' in text
