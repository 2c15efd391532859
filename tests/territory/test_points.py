import pytest

from territory.models import TORINO_ISTAT_CODE

pytestmark = pytest.mark.django_db


def test_comuni_points_for_the_map(client):
    data = client.get("/territorio/comuni.json").json()
    assert len(data["comuni"]) == 312
    torino = next(c for c in data["comuni"] if c["code"] == TORINO_ISTAT_CODE)
    assert torino["name"] == "Torino"
    assert 44.5 < torino["lat"] < 45.6
    assert 6.6 < torino["lon"] < 8.2
    assert "ISTAT" in data["attribution"]
