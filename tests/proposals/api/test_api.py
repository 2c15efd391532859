"""The public read-only API: schema validates, no personal data, only public things,
results only once public, pagination, caching, bad input answered with 400."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from proposals.moderation import services as moderation
from tests.consultations.factories import make_consultation, make_facilitator, participation
from tests.proposals.factories import ProposalFactory, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(plan):
    return make_consultation(phases=("voting",), results_public=True)


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for expected in (
        "/api/consultations/",
        "/api/proposals/",
        "/api/answers/",
        "/api/consultations/{id}/results/",
    ):
        assert expected in paths
    assert all(path.startswith("/api/") for path in paths)


def test_schema_and_docs_are_served(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(io.BytesIO(response.content))
    assert "/api/proposals/" in schema["paths"]
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "/api/proposals/" in body
    assert "cdn" not in body.lower()
    assert "<script>" not in body


def test_proposals_are_public_only_and_without_personal_data(client, consultation):
    shown = ProposalFactory(consultation=consultation, title="Visibile")
    ProposalFactory(consultation=consultation, title="Nascosta", visibility="hidden")
    ProposalFactory(consultation=consultation, title="In attesa", visibility="pending")
    vote(shown)
    response = client.get(reverse("api:proposal-list"), {"consultation": consultation.pk})
    assert response.status_code == 200
    data = response.json()
    assert [row["title"] for row in data["results"]] == ["Visibile"]
    row = data["results"][0]
    assert row["author_name"] == shown.author.public_name
    assert row["supports"] == 1
    assert row["online_supports"] == 1
    text = response.content.decode()
    assert shown.author.email not in text
    assert "birth" not in text
    assert "email" not in text


def test_draft_consultations_are_not_listed(client, consultation):
    consultation.unpublish()
    response = client.get(reverse("api:consultation-list"))
    assert consultation.title not in response.content.decode()
    detail = client.get(reverse("api:consultation-detail", kwargs={"pk": consultation.pk}))
    assert detail.status_code == 404


def test_answers_endpoint(client, consultation):
    proposal = ProposalFactory(consultation=consultation)
    moderation.proposal_answer(
        actor=make_facilitator(consultation),
        proposal=proposal,
        status="rejected",
        answer="Fuori dalle competenze.",
    )
    data = client.get(reverse("api:answer-list"), {"consultation": consultation.pk}).json()
    assert data["count"] == 1
    assert data["results"][0]["to_status"] == "rejected"
    assert data["results"][0]["answer"] == "Fuori dalle competenze."
    assert "changed_by" not in data["results"][0]


def test_results_once_public_with_suppressed_cells(client, consultation):
    proposal = ProposalFactory(consultation=consultation)
    vote(proposal)
    for _ in range(6):
        participation(consultation, age=19, gender="donna")
    participation(consultation, age=33, gender="uomo")
    url = reverse("api:consultation-results", kwargs={"pk": consultation.pk})
    data = client.get(url).json()
    assert data["supports"] == 1
    assert data["ranking"][0]["proposal"] == proposal.pk
    assert data["voters"] is None  # one person voted: a count of people below five
    assert data["voters_suppressed"] is True
    gender = next(d for d in data["participation"]["dimensions"] if d["dimension"] == "gender")
    cells = {c["group"]: c for c in gender["cells"]}
    assert cells["donna"]["suppressed"] is True  # complementary suppression
    assert cells["uomo"]["participants"] is None
    assert cells["uomo"]["suppressed"]

    closed = make_consultation(phases=("voting", "results"))
    response = client.get(reverse("api:consultation-results", kwargs={"pk": closed.pk}))
    assert response.status_code == 404


def test_bad_filters_get_400_not_500(client, consultation):
    assert client.get(reverse("api:proposal-list"), {"consultation": "abc"}).status_code == 400
    assert client.get(reverse("api:proposal-list"), {"status": "boh"}).status_code == 400
    assert client.get(reverse("api:proposal-list"), {"page": "9999"}).status_code == 404


def test_pagination_and_constant_queries(client, consultation, django_assert_max_num_queries):
    for _ in range(60):
        ProposalFactory(consultation=consultation)
    with django_assert_max_num_queries(6):
        data = client.get(reverse("api:proposal-list")).json()
    assert data["count"] == 60
    assert len(data["results"]) == 50
    assert data["next"]


def test_responses_are_cached(client, consultation, django_assert_num_queries):
    url = reverse("api:consultation-list")
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_read_only(client, consultation):
    assert client.post(reverse("api:proposal-list"), {"title": "x"}).status_code in (403, 405)


@pytest.mark.parametrize("huge", [2**63, 2**64, 10**30])
def test_huge_ids_are_not_found(client, huge):
    for url in (
        f"/api/proposals/{huge}/",
        f"/api/consultations/{huge}/",
        f"/api/answers/{huge}/",
        f"/api/consultations/{huge}/results/",
    ):
        assert client.get(url).status_code == 404
    assert client.get("/api/proposals/", {"consultation": str(huge)}).status_code == 400
