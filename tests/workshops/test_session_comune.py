"""Where a workshop takes place: the facilitator names the comune when creating it, and the
territorial statistics count its admissions there (equity)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from equity.selectors import territorial_participation
from psm.models import ActionPage
from tests.factories import UserFactory
from workshops.models import Admission, LiveSession

pytestmark = pytest.mark.django_db

SUSA = "001270"


def test_the_facilitator_names_the_comune_and_admissions_count_there(client, plan):
    page = ActionPage.objects.live().order_by("path").first()
    client.force_login(UserFactory(roles=[Role.FACILITATOR], facilitator=True))
    response = client.post(
        reverse("live:create"), {"page": page.pk, "title": "A Susa", "comune": SUSA}
    )
    session = LiveSession.objects.get()
    assert response["Location"] == reverse("live:console", kwargs={"pk": session.pk})
    assert session.comune_id == SUSA
    Admission.objects.bulk_create(
        Admission(session=session, participant_key=f"d{i}") for i in range(11)
    )
    dashboard = territorial_participation()
    assert next(c for c in dashboard.comuni if c.label == "Susa").count == 11


def test_the_comune_is_optional_and_an_unknown_one_is_refused(client, plan):
    page = ActionPage.objects.live().order_by("path").first()
    client.force_login(UserFactory(roles=[Role.FACILITATOR], facilitator=True))
    response = client.post(
        reverse("live:create"), {"page": page.pk, "title": "Online", "comune": "999999"}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not LiveSession.objects.exists()
    client.post(reverse("live:create"), {"page": page.pk, "title": "Online", "comune": ""})
    assert LiveSession.objects.get().comune is None
