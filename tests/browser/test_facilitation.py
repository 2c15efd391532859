"""A facilitator moderates a reported proposal and answers another one in the Wagtail
admin; the public results page and the author's notifications show the answer.
axe-core audits the moderation and results pages."""

import re

import pytest

from proposals.models import Visibility
from tests.consultations.factories import make_consultation, make_facilitator, participation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, report, vote

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitator_moderates_and_answers(
    live_server, plan, browser_context_factory, axe, login, screenshot
):
    consultation = make_consultation(phases=("voting",), results_public=True)
    facilitator = make_facilitator(consultation, display_name="Giulia facilitatrice")
    reported = ProposalFactory(consultation=consultation, title="Volantini pubblicitari")
    report(proposal=reported, reason="spam")
    author = UserFactory(display_name="Aisha")
    answered = ProposalFactory(consultation=consultation, title="Aula studio serale", author=author)
    for _ in range(3):
        vote(answered)
    for _ in range(6):
        participation(consultation, age=19, gender="donna")

    page = browser_context_factory().new_page()
    login(page, live_server.url, facilitator)
    page.goto(f"{live_server.url}/admin/moderazione/")
    assert page.get_by_role("link", name=consultation.title).is_visible()
    axe(page)

    page.get_by_role("link", name=consultation.title).click()
    page.wait_for_url(re.compile(rf"/admin/moderazione/{consultation.pk}/$"))
    axe(page)
    screenshot(page, "moderation-queue", full_page=True)

    card = page.locator(".moderation-card", has_text="Volantini pubblicitari")
    card.get_by_label("Motivo pubblico (obbligatorio)").fill("Pubblicità: non è una proposta.")
    card.get_by_role("button", name="Nascondi").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Contenuto nascosto").first.is_visible()
    reported.refresh_from_db()
    assert reported.visibility == Visibility.HIDDEN

    page.get_by_role("link", name="Proposte e risposte").click()
    page.get_by_role("link", name="Aula studio serale").click()
    axe(page)
    page.get_by_label("Stato:", exact=True).select_option("accepted")
    page.get_by_label("Risposta ufficiale (pubblica)").fill(
        "La apriamo da gennaio, tre sere a settimana."
    )
    page.get_by_role("button", name="Pubblica la risposta").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Risposta pubblicata").first.is_visible()

    page.goto(f"{live_server.url}/admin/moderazione/{consultation.pk}/registro/")
    assert page.get_by_text("Pubblicità: non è una proposta.").first.is_visible()
    axe(page)

    # The public results page (results phase running), as anybody sees it.
    visitor = browser_context_factory().new_page()
    visitor.goto(f"{live_server.url}/partecipa/{consultation.pk}/risultati/")
    assert visitor.get_by_role("heading", level=1).inner_text().startswith("Risultati")
    assert visitor.get_by_text("La apriamo da gennaio").first.is_visible()
    assert "Volantini pubblicitari" not in visitor.content()
    axe(visitor)
    screenshot(visitor, "results", full_page=True)

    # The author finds the answer among the notifications.
    reader = browser_context_factory().new_page()
    login(reader, live_server.url, author)
    reader.goto(f"{live_server.url}/notifiche/")
    assert reader.get_by_text("Aula studio serale").first.is_visible()
    axe(reader)
