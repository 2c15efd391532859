"""The proposal form's map: a tap sets the coordinates; the proposal page shows the point.
No tile server is configured here: the comuni are drawn as the reference layer."""

import re

import pytest

from proposals.models import Proposal
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_tapping_the_map_fills_the_coordinates(live_server, plan, browser_page, axe, login):
    consultation = make_consultation(phase="proposals", title="Dove mancano spazi per i giovani?")
    participant = UserFactory()
    page = browser_page
    login(page, live_server.url, participant)
    page.goto(f"{live_server.url}/proposte/nuova/{consultation.pk}/")
    map_region = page.get_by_role("region", name=re.compile("Mappa della Città metropolitana"))
    map_region.wait_for()
    page.wait_for_selector(".map-picker path.leaflet-interactive")  # the comuni layer arrived
    axe(page)

    map_region.scroll_into_view_if_needed()
    box = map_region.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = float(page.locator("input[name=latitude]").input_value())
    longitude = float(page.locator("input[name=longitude]").input_value())
    assert 44.5 < latitude < 45.8
    assert 6.6 < longitude < 8.3

    page.get_by_label("Titolo").fill("Una sala prove in valle")
    page.get_by_label("La tua proposta").fill("Una sala prove musicale aperta alle band giovanili.")
    page.get_by_role("button", name="Invia la proposta").click()
    page.wait_for_url(re.compile(r".*/proposte/\d+/$"))
    proposal = Proposal.objects.get(title="Una sala prove in valle")
    assert proposal.latitude is not None
    page.get_by_role("region", name="Mappa con il luogo indicato nella proposta").wait_for()
    axe(page)
