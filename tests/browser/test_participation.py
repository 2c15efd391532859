"""A young person takes part: reads a consultation, writes a proposal (the draft survives a
reload), supports another one, comments, and later reads the official answer. axe-core audits
the consultation page, the proposal list, the form, the detail and the budget ballot."""

import re
from decimal import Decimal

import pytest

from proposals.models import Proposal, Vote
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory, on_ballot

pytestmark = pytest.mark.django_db(transaction=True)


def test_participant_proposes_supports_comments_and_reads_the_answer(
    live_server, plan, browser_page, axe, login, screenshot
):
    from consultations.models import Category

    consultation = make_consultation(
        phase="proposals+voting",
        title="Cosa cambieresti nel PSM?",
        vote_mode="limited",
        max_supports=3,
    )
    Category.objects.create(page=consultation, name="Mobilità")
    other = ProposalFactory(consultation=consultation, title="Bus notturni dalle valli")
    CommentFactory(proposal=other, body="Ottima idea, anche da Susa.")
    participant = UserFactory(display_name="Aisha")
    page = browser_page

    page.goto(live_server.url + consultation.url)
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Cosa cambieresti nel PSM?"

    login(page, live_server.url, participant)
    page.goto(live_server.url + consultation.url)
    axe(page)
    screenshot(page, "consultation", full_page=True)

    # Write a proposal; the draft is kept on the device across a reload.
    page.get_by_role("link", name="Scrivi una proposta").click()
    page.wait_for_url(re.compile(r".*/proposte/nuova/\d+/$"))
    axe(page)
    page.get_by_label("Titolo").fill("Aule studio aperte la sera")
    page.get_by_label("La tua proposta").fill(
        "Nei comuni della cintura le biblioteche chiudono alle 18: servono aule studio aperte "
        "fino alle 23, gestite con le associazioni giovanili."
    )
    page.wait_for_timeout(600)  # the autosave waits for a pause in typing
    page.reload()
    assert page.get_by_label("Titolo").input_value() == "Aule studio aperte la sera"
    assert "recuperato la bozza" in page.locator("#draft-status").inner_text()
    page.get_by_label("Categoria").select_option(label="Mobilità")
    page.get_by_role("button", name="Invia la proposta").click()
    page.wait_for_url(re.compile(r".*/proposte/\d+/$"))
    axe(page)
    assert page.get_by_text("La tua proposta è pubblicata").is_visible()
    assert (
        page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('psm-draft'))")
        == []
    )
    mine = Proposal.objects.get(title="Aule studio aperte la sera")

    # Support the other proposal from the list.
    page.goto(live_server.url + consultation.url)
    card = page.locator(f"#proposta-{other.pk}")
    card.get_by_role("button", name=re.compile(r"^Sostieni")).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Puoi ancora dare 2 sostegni").first.is_visible()
    assert Vote.objects.filter(proposal=other, voter=participant).exists()
    axe(page)

    # Comment on it.
    page.get_by_role("link", name="Bus notturni dalle valli").click()
    page.get_by_label("Scrivi un commento").fill("Sì! Anche il sabato, per favore.")
    page.get_by_role("button", name="Pubblica il commento").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Sì! Anche il sabato, per favore.").is_visible()
    axe(page)

    # A facilitator answers the participant's proposal (B's service); the answer is public.
    from proposals.moderation.services import proposal_answer

    proposal_answer(
        actor=make_facilitator(consultation),
        proposal=mine,
        status="accepted",
        answer="Accolta: da marzo tre biblioteche sperimentano l'apertura serale.",
    )
    page.goto(live_server.url + mine.get_absolute_url())
    assert page.get_by_text("tre biblioteche sperimentano").first.is_visible()
    axe(page)
    screenshot(page, "proposal-detail", full_page=True)


def test_budget_ballot_is_accessible_and_shows_the_total(
    live_server, plan, browser_page, axe, login
):
    consultation = make_consultation(
        phase="voting", vote_mode="budget", total_budget=Decimal("100")
    )
    on_ballot(consultation=consultation, title="Sala prove", cost=Decimal("70"))
    on_ballot(consultation=consultation, title="Coworking", cost=Decimal("50"))
    participant = UserFactory()
    page = browser_page
    login(page, live_server.url, participant)
    page.goto(live_server.url + consultation.url)
    axe(page)
    page.get_by_role("link", name="Compila la scheda di bilancio").click()
    axe(page)
    page.get_by_label("Sala prove — 70,00 €").check()
    page.get_by_label("Coworking — 50,00 €").check()
    assert page.locator("[data-budget-total]").inner_text() == "120.00"
    page.get_by_role("button", name="Invia la scheda").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("più del budget").is_visible()
    page.get_by_label("Coworking — 50,00 €").uncheck()
    page.get_by_role("button", name="Invia la scheda").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("La tua scheda è registrata").is_visible()
    axe(page)


def test_phone_list_with_filters_is_accessible(live_server, plan, phone_page, axe):
    consultation = make_consultation(phase="voting")
    for n in range(25):
        ProposalFactory(consultation=consultation, title=f"Proposta di prova {n}")
    phone_page.goto(live_server.url + consultation.url + "?ordina=casuale")
    axe(phone_page)
    phone_page.get_by_role("link", name="Successiva").click()
    phone_page.wait_for_load_state("networkidle")
    assert "Pagina 2 di 2" in phone_page.content()
    axe(phone_page)
    phone_page.goto(live_server.url + "/consultazioni/")
    # There may be no index page in this database: only check when it exists.
    if phone_page.get_by_role("heading", level=1).count():
        axe(phone_page)
