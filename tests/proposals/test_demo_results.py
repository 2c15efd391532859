"""The demo shows a consultation in its results phase: a budget vote after the technical
valuation, the winners funded at their official cost, public results and downloads."""

from io import StringIO

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.demo import demo_accounts_load
from consultations.demo import CONCLUDED_SLUG
from consultations.models import ConsultationPage
from proposals.models import ProposalStatus
from proposals.open_data.licence import LICENCE
from proposals.results import ranking, results_are_final

pytestmark = pytest.mark.django_db


def test_the_demo_has_public_results_with_funded_winners_and_downloads(plan, client):
    accounts = demo_accounts_load()
    for _i in range(2):  # idempotent
        for label in ("consultations", "proposals"):
            apps.get_app_config(label).load_demo_data(accounts=accounts, stdout=StringIO())
    consultation = ConsultationPage.objects.get(locale__language_code="it", slug=CONCLUDED_SLUG)
    assert results_are_final(consultation)
    assert consultation.proposals.count() == 4
    result = ranking(consultation=consultation)
    funded = [row.proposal.title for row in result.rows if row.funded]
    # the most supported is not feasible; the fourth does not fit in what is left
    assert funded == [
        "Aula studio aperta la sera a Pinerolo",
        "Wi-fi gratuito nelle biblioteche di valle",
    ]
    assert result.funded_cost == 40000
    statuses = dict(consultation.proposals.values_list("title", "status"))
    assert statuses["Aula studio aperta la sera a Pinerolo"] == ProposalStatus.ACCEPTED
    assert statuses["Sala per lo studio di gruppo a Cavour"] == ProposalStatus.REJECTED
    page = client.get(reverse("consultations:results", kwargs={"consultation_id": consultation.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Wi-fi gratuito nelle biblioteche di valle" in html
    assert "CC BY 4.0" in html or LICENCE.url in html
    download = client.get(
        reverse(
            "consultations:results_export",
            kwargs={"consultation_id": consultation.pk, "fmt": "csv"},
        )
    )
    assert download.status_code == 200
    assert LICENCE.url in download["Link"]
    assert "Aula studio aperta la sera a Pinerolo" in download.content.decode()
