"""A facilitator enters the people in the room at their workshop and the paper submissions of
their consultation, withdraws a wrong line, and the public dashboard counts them; axe-core on
every page, after each interaction."""

import pytest
from django.utils import timezone

from equity.models import PaperTally, WorkshopHeadcount
from tests.consultations.factories import make_consultation, make_facilitator
from tests.workshops.factories import LiveSessionFactory
from workshops.models import Admission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_counts_the_room_and_the_paper(live_server, plan, browser_page, login, axe):
    consultation = make_consultation(phase="proposals")
    facilitator = make_facilitator(consultation, display_name="Giulia facilitatrice")
    session = LiveSessionFactory(
        page=consultation, facilitator=facilitator, title="Laboratorio a Pinerolo"
    )
    for i in range(3):
        Admission.objects.create(session=session, participant_key=f"device-{i}")
    page = browser_page
    login(page, live_server.url, facilitator)

    page.goto(f"{live_server.url}/partecipazione/territorio/conteggi/")
    axe(page)
    page.get_by_role("link", name="Laboratorio a Pinerolo").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.get_by_label("Quante persone").fill("22")
    page.get_by_label("Comune di residenza (se lo sai)").select_option(label="Pinerolo")
    page.get_by_label("Fascia d'età (se la sai)").select_option(label="14–17 anni")
    page.get_by_role("button", name="Registra le presenze").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Presenze registrate: 22").is_visible()
    axe(page)
    page.get_by_label("Quante persone").fill("2")
    page.get_by_role("button", name="Registra le presenze").click()
    page.wait_for_load_state("networkidle")
    second = WorkshopHeadcount.objects.get(count=2)
    page.locator(f"#reason-{second.pk}").fill("Contate due volte")
    page.locator(f"#reason-{second.pk}").locator("xpath=ancestor::form").get_by_role(
        "button", name="Ritira"
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Presenze registrate: 22").is_visible()
    assert "Contate due volte" in page.locator("main").inner_text()
    axe(page)

    page.goto(f"{live_server.url}/partecipazione/territorio/conteggi/")
    page.get_by_role("link", name=consultation.title).click()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.get_by_label("Quante schede").fill("9")
    assert page.get_by_label("Giorno della raccolta").input_value() == str(timezone.localdate())
    page.get_by_label("Dove (facoltativo)").fill("Biblioteca civica")
    page.get_by_role("button", name="Registra le schede").click()
    page.wait_for_load_state("networkidle")
    assert PaperTally.objects.get().count == 9
    axe(page)

    page.goto(f"{live_server.url}/partecipazione/territorio/")
    # 22 in the room + 9 sheets (the 3 phones no longer count)
    assert page.locator(".results-figure").first.inner_text().strip() == "31"
    axe(page)
