"""The leadership flow in a real browser: apply (draft survives a reload), upload, submit,
review, select, accept, pathway; axe-core on the call, application, review and pathway pages."""

import datetime

import pytest
from django.core import mail

from accounts.models import Role
from leadership.models import Application
from leadership.models import ApplicationStatus as S
from tests.factories import UserFactory
from tests.leadership import factories


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "curriculum.pdf"
    path.write_bytes(factories.pdf_bytes("Curriculum di prova"))
    return path


def test_candidate_reviewer_coordinator_flow(
    plan, live_server, browser_context_factory, axe, login, pdf_file, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call = factories.make_call(seats=1, reviewers_per_application=1, title="Bando browser")
    candidate = UserFactory(display_name="Candidata Browser", gender="donna")
    reviewer = UserFactory(roles=[Role.REVIEWER], display_name="Revisore Browser")
    # not staff: the Wagtail userbar would run its own axe-core on every page
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    base = live_server.url

    # --- the candidate applies
    page = browser_context_factory().new_page()
    login(page, base, candidate)
    page.goto(base + call.url)
    page.get_by_role("heading", name="Bando browser").wait_for()
    axe(page)
    page.get_by_role("link", name="Candidati").click()
    page.get_by_role("button", name="Inizia la candidatura").click()
    page.locator("label[for=id_category_0]").click()  # Bootstrap Italia styles the label
    question = call.questions.first()
    page.fill(f"#id_{question.field_name}", "Voglio capire come si decide nel mio comune.")
    page.get_by_text("Bozza salvata alle").wait_for()
    page.reload()
    assert page.input_value(f"#id_{question.field_name}") == (
        "Voglio capire come si decide nel mio comune."
    )
    assert page.get_by_label("Studente/essa").is_checked()
    axe(page)
    page.set_input_files(f"#file-{call.documents.first().pk}", str(pdf_file))
    page.get_by_role("button", name="Carica Curriculum vitae").click()
    page.get_by_text("Documento «Curriculum vitae» caricato.").wait_for()
    page.get_by_role("button", name="Invia la candidatura").click()
    page.get_by_text("Candidatura inviata").wait_for()
    application = Application.objects.get(call=call, applicant=candidate)
    assert application.status == S.ELIGIBLE
    assert any(application.protocol in m.subject for m in mail.outbox)

    # --- the coordinator assigns reviewers
    coord_page = browser_context_factory().new_page()
    login(coord_page, base, coordinator)
    coord_page.goto(f"{base}/programma/coordinamento/{call.pk}/")
    coord_page.get_by_role("button", name="Assegna automaticamente").click()
    coord_page.get_by_text("Assegnazioni aggiornate.").wait_for()

    # --- the reviewer scores, blind
    review_page = browser_context_factory().new_page()
    login(review_page, base, reviewer)
    review_page.goto(f"{base}/programma/valutazione/")
    review_page.get_by_role("link", name=f"Candidatura {application.anonymous_label}").click()
    assert "Candidata Browser" not in review_page.locator("main").inner_text()
    axe(review_page)
    for criterion in call.criteria.all():
        review_page.locator(f"label[for=id_c{criterion.pk}_4]").click()
    review_page.get_by_role("button", name="Invia la valutazione").click()
    review_page.get_by_text("Valutazione inviata.").wait_for()

    # --- the coordinator confirms the selection after the deadline
    factories.close_call(call)
    coord_page.goto(f"{base}/programma/coordinamento/{call.pk}/")
    axe(coord_page)
    coord_page.get_by_role("button", name="Conferma la selezione e invia gli esiti").click()
    coord_page.get_by_text("Selezione confermata: gli esiti").wait_for()
    application.refresh_from_db()
    assert application.status == S.SELECTED

    # --- the candidate accepts; the coordinator forms the cohort; the pathway page
    page.goto(f"{base}/programma/candidature/")
    page.get_by_role("button", name="Accetto il posto").click()
    page.get_by_text("Hai accettato il posto").wait_for()
    coord_page.goto(f"{base}/programma/coordinamento/{call.pk}/")
    coord_page.get_by_role("button", name="Crea il gruppo del percorso").click()
    coord_page.get_by_role("link", name="Il percorso del gruppo").click()
    axe(coord_page)
    page.goto(f"{base}/programma/candidature/")
    axe(page)
    page.get_by_role("link", name="Il tuo percorso").click()
    page.get_by_role("heading", name="Il tuo avanzamento").wait_for()
    axe(page)

    # --- a session with its QR code and attendance sheet; the public report
    from django.utils import timezone

    from leadership.models import Cohort
    from leadership.services.pathway import session_checkin_token, session_create

    cohort = Cohort.objects.get(call=call)
    now = timezone.now()
    session = session_create(
        stage=cohort.stages.first(),
        actor=coordinator,
        title="Come funziona un consiglio comunale",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=1),
        place="Palazzo Cisterna",
    )
    coord_page.goto(f"{base}/programma/incontri/{session.pk}/")
    coord_page.locator(".qr-code svg").wait_for()
    axe(coord_page)
    token = session_checkin_token(session)
    page.goto(f"{base}/programma/presenza/{token}/")
    axe(page)
    page.get_by_role("button", name="Sono presente").click()
    page.get_by_text("Presenza registrata").wait_for()
    coord_page.goto(f"{base}/programma/coordinamento/{call.pk}/")
    coord_page.get_by_role("button", name="Pubblica il resoconto anonimo").click()
    coord_page.get_by_text("Resoconto pubblicato.").wait_for()
    page.goto(f"{base}/programma/bandi/{call.pk}/resoconto/")
    page.get_by_role("heading", name="Resoconto della selezione").wait_for()
    assert "Candidata Browser" not in page.locator("main").inner_text()
    axe(page)


def test_countdown_and_verification_pages_are_accessible(plan, live_server, browser_page, axe):
    call = factories.make_call(closes_in=datetime.timedelta(hours=3), slug="bando-countdown")
    browser_page.goto(live_server.url + call.url)
    browser_page.wait_for_function(
        "() => document.querySelector('[data-countdown]').textContent.includes(':')"
    )
    browser_page.goto(live_server.url + "/programma/verifica/?code=AAAA-BBBB-CCCC")
    browser_page.get_by_text("Nessun attestato corrisponde").wait_for()
    axe(browser_page)


def test_draft_kept_in_the_browser_survives_an_expired_session(
    plan, live_server, browser_context_factory, login, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from leadership.services.applications import application_start

    call = factories.make_call(slug="bando-sessione")
    candidate = UserFactory()
    application = application_start(call=call, applicant=candidate)
    question = call.questions.first()
    context = browser_context_factory()
    page = context.new_page()
    login(page, live_server.url, candidate)
    page.goto(f"{live_server.url}/programma/bandi/{call.pk}/candidatura/")
    context.clear_cookies()  # the session expires while the tab is open
    page.fill(f"#id_{question.field_name}", "Scritto mentre la sessione era scaduta.")
    page.get_by_text("le risposte sono conservate in questo browser").wait_for()
    application.refresh_from_db()
    assert application.answers.get(question.field_name, "") == ""
    login(page, live_server.url, candidate)
    page.goto(f"{live_server.url}/programma/bandi/{call.pk}/candidatura/")
    assert page.input_value(f"#id_{question.field_name}") == (
        "Scritto mentre la sessione era scaduta."
    )
    page.get_by_text("Bozza salvata alle").wait_for()
    application.refresh_from_db()
    assert application.answers[question.field_name] == "Scritto mentre la sessione era scaduta."
