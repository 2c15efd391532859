"""The plain-language gate live in the Wagtail editor: the score appears, and changes while the
editor writes; the official text does not count."""

import pytest

from psm.models import ActionPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HARD = (
    "Implementare un programma di costruzione di leadership civica rivolto alla popolazione "
    "giovanile, attraverso una selezione aperta ed un percorso a tappe di informazione e "
    "introduzione al sistema decisionale, politico, amministrativo, economico e di ricerca."
)


def test_editor_shows_the_score_while_writing(live_server, plan, browser_page, login):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    page = browser_page
    login(page, live_server.url, UserFactory(is_staff=True, is_superuser=True))
    page.goto(f"{live_server.url}/admin/pages/{action.pk}/edit/")
    box = page.locator("section.readability--admin")
    box.get_by_text("Raggiunge la soglia di 60").wait_for()
    assert "Indice Gulpease" in box.inner_text()

    page.fill("textarea[name=plain_summary]", HARD)
    box.get_by_text("Sotto la soglia di 60").wait_for()
    assert "Le frasi più difficili" in box.inner_text()
    assert "Implementare un programma" in box.inner_text()
