"""Each staff role from sign-in to their daily tasks, without the superuser account, starting
from the header's "La mia area di lavoro"; axe-core on every page of ours they visit.

- facilitator: creates a consultation under action 5.3.5 from a template, from their area
  (a past start date first: the error summary takes the focus, what was typed stays), then
  publishes the draft in the page editor; approves a proposal waiting in the moderation queue
  and answers it;
- reviewer: opens an assignment, starts a conflict declaration and cancels it, scores, then
  declares a conflict on another application after confirming;
- coordinator: reviews the ranking and the quotas' effect while the call is open (confirming
  is disabled, with the reason), confirms once the call has closed.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Role
from consultations.models import ConsultationPage
from consultations.services import facilitation_grant
from leadership.models import Application, ConflictOfInterest, QuotaKind, Review
from leadership.models import ApplicationStatus as S
from leadership.services.reviews import review_submit, reviews_assign_automatically
from proposals.models import ProposalStatus, Visibility
from psm.models import ActionPage
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.leadership import factories as leadership_factories
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _open_staff_area(page, axe):
    page.get_by_role("link", name="La mia area di lavoro").click()
    page.get_by_role("heading", level=1, name="La mia area di lavoro").wait_for()
    axe(page)


def test_facilitator_creates_publishes_moderates_and_answers(
    live_server, plan, browser_page, login, axe
):
    action = ActionPage.objects.get(locale__language_code="it", code="5.3.5")
    facilitator = UserFactory(display_name="Giulia facilitatrice")
    facilitation_grant(page=action, user=facilitator)
    running = make_consultation(
        phase="proposals", parent=action, premoderation=True, title="Piazze di montagna"
    )
    waiting = ProposalFactory(
        consultation=running,
        title="Una panchina rossa in ogni piazza",
        visibility=Visibility.PENDING,
        published_at=None,
    )
    page = browser_page
    base = live_server.url
    login(page, base, facilitator)
    _open_staff_area(page, axe)
    assert page.get_by_text("Piazze di montagna").first.is_visible()

    # --- a new consultation under 5.3.5 from a template, from the link in the area
    page.get_by_role("link", name=f"crea da un modello – {action.title}").click()
    page.get_by_role("heading", level=1, name="Nuova consultazione da un modello").wait_for()
    axe(page)
    title = "Che uso per la ex scuola di Usseaux?"
    today = timezone.localdate()
    page.get_by_label("Proposte e voto (6 settimane)").check()
    page.get_by_label("Titolo della consultazione").fill(title)
    page.get_by_label("Domanda (facoltativa)").fill("Come usereste la ex scuola?")
    page.get_by_label("Data di inizio").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Crea la bozza").click()
    # a past date: the summary takes the focus, names the field; what was typed stays
    summary = page.locator("#form-errors")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert "La data di inizio non può essere già passata." in summary.inner_text()
    assert page.get_by_label("Data di inizio").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Titolo della consultazione").input_value() == title
    assert page.get_by_label("Proposte e voto (6 settimane)").is_checked()
    axe(page)
    summary.get_by_role("link", name=re.compile("^Data di inizio")).click()
    assert page.evaluate("document.activeElement.id") == "id_start"
    page.get_by_label("Data di inizio").fill(today.isoformat())
    page.get_by_role("button", name="Crea la bozza").click()
    page.get_by_text(f"Bozza «{title}» creata dal modello").wait_for()
    # The message fades in (a CSS transition that Wagtail's script starts once the page is up):
    # axe would read its colours half-way. Give the transition time to start, then wait for the
    # message's own animations to finish.
    page.wait_for_timeout(1000)
    page.evaluate(
        "() => Promise.all(document.getAnimations().filter(a => a.effect?.target?.closest"
        "?.('.messages')).map(a => a.finished)).then(() => true)"
    )
    axe(page)  # the page editor with the draft
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    created = ConsultationPage.objects.get(locale__language_code="it", title=title)
    assert created.live
    assert created.get_parent().pk == action.pk
    assert [phase.kind for phase in created.ordered_phases()][:2] == ["information", "proposals"]

    # --- back to the area: the new consultation is there; the running one waits for them
    page.goto(base + "/area-di-lavoro/")  # checked with axe above, from the header's link
    assert page.get_by_role("link", name=title, exact=True).is_visible()
    page.get_by_role("link", name="Coda di moderazione – Piazze di montagna").click()
    page.get_by_role("heading", name="Proposte in attesa di verifica").wait_for()
    axe(page)
    card = page.locator(".moderation-card", has_text="Una panchina rossa in ogni piazza")
    card.get_by_role("button", name="Pubblica", exact=True).click()
    page.wait_for_load_state("networkidle")
    waiting.refresh_from_db()
    assert waiting.visibility == Visibility.PUBLISHED
    axe(page)

    # --- the answer
    page.goto(base + "/area-di-lavoro/")
    page.get_by_role("link", name="Proposte e risposte – Piazze di montagna").click()
    proposal_link = page.get_by_role("link", name="Una panchina rossa in ogni piazza")
    proposal_link.wait_for()
    axe(page)
    proposal_link.click()
    page.get_by_label("Risposta ufficiale (pubblica)").wait_for()  # axe on the loaded page
    axe(page)
    page.get_by_label("Stato:", exact=True).select_option("accepted")
    page.get_by_label("Risposta ufficiale (pubblica)").fill(
        "La mettiamo in piazza del municipio a marzo."
    )
    page.get_by_role("button", name="Pubblica la risposta").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Risposta pubblicata").first.is_visible()
    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.ACCEPTED
    axe(page)


def test_reviewer_cancels_then_confirms_a_conflict_and_scores(
    live_server, plan, browser_page, login, axe
):
    call = leadership_factories.make_call(title="Bando per chi valuta")
    reviewer = UserFactory(roles=[Role.REVIEWER], display_name="Revisore Browser")
    first, second = (leadership_factories.submitted_application(call) for _ in range(2))
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(status=S.UNDER_REVIEW)
    to_score = Review.objects.create(application=first, reviewer=reviewer)
    conflicted = Review.objects.create(application=second, reviewer=reviewer)
    page = browser_page
    base = live_server.url
    login(page, base, reviewer)
    _open_staff_area(page, axe)
    assert page.get_by_text("Bando per chi valuta").first.is_visible()

    # --- the first assignment: a conflict started, then cancelled; then scored
    page.get_by_role("link", name=f"Candidatura {first.anonymous_label}").click()
    page.get_by_role("heading", name="Conflitto di interessi").wait_for()
    axe(page)
    page.get_by_role("button", name="Dichiara un conflitto di interessi").click()
    page.get_by_role("heading", level=1, name="Conferma il conflitto di interessi").wait_for()
    axe(page)
    page.get_by_role("link", name="Annulla e torna alla valutazione").click()
    page.get_by_role("button", name="Invia la valutazione").wait_for()
    assert not ConflictOfInterest.objects.filter(application=first).exists()
    for criterion in call.criteria.all():
        page.locator(f"label[for=id_c{criterion.pk}_4]").click()
    page.get_by_role("button", name="Invia la valutazione").click()
    page.get_by_text("Valutazione inviata.").wait_for()
    axe(page)
    to_score.refresh_from_db()
    assert to_score.submitted_at is not None

    # --- the second one: a conflict, confirmed
    page.goto(base + "/area-di-lavoro/")
    page.get_by_role("link", name=f"Candidatura {second.anonymous_label}").click()
    page.get_by_label("Motivo (facoltativo)").fill("È mia cugina.")
    page.get_by_role("button", name="Dichiara un conflitto di interessi").click()
    page.get_by_role("heading", level=1, name="Conferma il conflitto di interessi").wait_for()
    assert page.get_by_label("Motivo (facoltativo)").input_value() == "È mia cugina."
    page.get_by_role("button", name="Confermo il conflitto di interessi").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    declared = ConflictOfInterest.objects.get(application=second, reviewer=reviewer)
    assert declared.reason == "È mia cugina."
    assert not Review.objects.filter(pk=conflicted.pk).exists()  # passes to someone else


def test_coordinator_reviews_ranking_and_quotas_then_confirms_after_closing(
    live_server, plan, browser_page, login, axe
):
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    call = leadership_factories.make_call(
        seats=2,
        reviewers_per_application=1,
        quotas={QuotaKind.GENDER_MAX_SHARE: "50"},
        title="Bando per il coordinamento",
    )
    reviewer = leadership_factories.reviewer()
    genders = ["uomo", "uomo", "uomo", "donna"]
    applications = [
        leadership_factories.submitted_application(call, gender=gender) for gender in genders
    ]
    reviews_assign_automatically(call=call, actor=coordinator)
    for i, application in enumerate(applications):
        review_submit(
            review=Review.objects.get(application=application, reviewer=reviewer),
            reviewer=reviewer,
            scores={str(c.pk): max(0, 5 - i) for c in call.criteria.all()},
            comment="",
        )
    page = browser_page
    base = live_server.url
    login(page, base, coordinator)
    _open_staff_area(page, axe)

    # --- while the call is open: the ranking and the quotas' effect, confirmation disabled
    page.get_by_role("link", name="Bando per il coordinamento").click()
    page.get_by_role("heading", name="Selezione").wait_for()
    axe(page)
    assert page.get_by_text("Proposta di graduatoria").first.is_visible()
    effects = page.locator("table", has_text="Effetto delle quote sulla graduatoria")
    assert effects.get_by_text(re.compile(r"sale di \d posizion")).first.is_visible()
    confirm = page.get_by_role("button", name="Conferma la selezione e invia gli esiti")
    assert confirm.is_disabled()
    reason = page.locator("#confirm-why")
    assert reason.is_visible()
    assert confirm.get_attribute("aria-describedby") == "confirm-why"

    # --- the call closes: confirmation possible
    leadership_factories.close_call(call)
    page.reload()
    confirm = page.get_by_role("button", name="Conferma la selezione e invia gli esiti")
    assert confirm.is_enabled()
    confirm.click()
    page.get_by_text("Selezione confermata: gli esiti").wait_for()
    axe(page)
    selected = sorted(a.gender for a in Application.objects.filter(call=call, status=S.SELECTED))
    assert selected == ["donna", "uomo"]
