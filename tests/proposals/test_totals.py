"""The support totals of a consultation's proposals (re-read after a WebSocket reconnection)."""

from django.urls import reverse

from consultations.models import ConsultationPage
from proposals.models import Proposal, Vote
from psm.localisation import default_locale_id
from psm.models import ActionPage
from tests.factories import UserFactory


def test_consultation_totals_json(client, plan, django_assert_max_num_queries):
    action = ActionPage.objects.live().order_by("path").first()
    consultation = action.add_child(
        instance=ConsultationPage(title="Totali", slug="totali-live", question="<p>?</p>")
    )
    proposals = [
        Proposal.objects.create(consultation=consultation, title=f"P{n}", body="Testo")
        for n in range(3)
    ]
    for voter in [UserFactory(), UserFactory()]:
        Vote.objects.create(proposal=proposals[0], voter=voter)
    url = reverse("live:consultation_totals", kwargs={"pk": consultation.pk})
    default_locale_id()  # cached for the process: warm it, as any earlier request does
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.json()["supports"] == {
        str(proposals[0].pk): 2,
        str(proposals[1].pk): 0,
        str(proposals[2].pk): 0,
    }
    assert client.get(reverse("live:consultation_totals", kwargs={"pk": 999999})).status_code == 404
