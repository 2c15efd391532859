"""Regression tests for faults the bad-input drill's schemathesis run found in the schema."""

from decimal import Decimal

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.consultations.factories import make_consultation, participation
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"400", "404", "429"} <= set(operation["responses"]), (method, path)


def test_operations_with_filters_document_bad_parameters(schema):
    listing = schema["paths"]["/api/proposals/"]["get"]["responses"]["400"]["content"]
    assert {"application/json", "text/plain"} <= set(listing)
    detail = schema["paths"]["/api/proposals/{id}/"]["get"]["responses"]["400"]["content"]
    assert set(detail) == {"text/plain"}


def test_control_characters_answer_the_documented_plain_400(client, plan):
    response = client.get(reverse("api:consultation-list"), {"\x00x": "1"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_results_cells_are_a_list_as_served(client, plan, schema):
    cells = schema["components"]["schemas"]["StatisticsDimension"]["properties"]["cells"]
    assert cells["type"] == "array"
    consultation = make_consultation(phases=("voting",), results_public=True)
    participation(consultation)
    response = client.get(reverse("api:consultation-results", args=[consultation.pk]))
    assert isinstance(response.json()["participation"]["dimensions"][0]["cells"], list)


def test_results_amounts_are_decimal_strings_as_documented(client, plan, schema):
    funded = schema["components"]["schemas"]["ConsultationResults"]["properties"]["funded_cost"]
    assert funded["type"] == "string"
    consultation = make_consultation(phases=("voting",), results_public=True)
    ProposalFactory(consultation=consultation, cost=Decimal("1500"))
    response = client.get(reverse("api:consultation-results", args=[consultation.pk]))
    data = response.json()
    assert data["funded_cost"] == "0.00"
    assert data["ranking"][0]["cost"] == "1500.00"


def test_unknown_filter_value_answers_the_documented_400(client, plan):
    response = client.get(reverse("api:proposal-list"), {"consultation": "abc"})
    assert response.status_code == 400
    assert "intero" in str(response.json()["consultation"])
