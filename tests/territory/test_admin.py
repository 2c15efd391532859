"""The territory's admin views: ISTAT reference data is edited, never created, in the admin."""

import pytest

from territory.models import TORINO_ISTAT_CODE, Comune, ZonaOmogenea
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "body", "model"),
    [
        ("/admin/comune/new/", {}, Comune),
        (f"/admin/comune/copy/{TORINO_ISTAT_CODE}/", {}, Comune),
        ("/admin/zonaomogenea/new/", {"name": "Zona di prova"}, ZonaOmogenea),
    ],
)
def test_reference_data_cannot_be_added_in_the_admin(client, plan, url, body, model):
    """Regression (access drill): an empty "new comune" form answered 500 (NOT NULL
    population), a named new zone too (no number); adding is now refused."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    count = model.objects.count()
    response = client.post(url, body)
    assert response.status_code in (302, 403)
    assert model.objects.count() == count


def test_the_zone_of_a_comune_is_still_editable(client, plan):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/comune/edit/{TORINO_ISTAT_CODE}/")
    assert response.status_code == 200
