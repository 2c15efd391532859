"""Live workshop in three browsers: projector, facilitator console and a phone.

pytest-django's live_server is WSGI (no WebSockets), so uvicorn runs in a subprocess on a file
SQLite database prepared here (migrations, comuni, PSM pages, a facilitator and a session).
"""

import os
from types import SimpleNamespace

import pytest

from tests.workshops.asgi_server import (
    create_session,
    free_port,
    prepare_database,
    server_env,
    uvicorn_server,
)


@pytest.fixture
def asgi_server(tmp_path):
    db_path = tmp_path / "browser.sqlite3"
    prepare_database(db_path, reference_data=True)
    env = server_env(db_path, CHANNELS_PREFIX=f"browser{os.getpid()}")
    env.pop("REDIS_URL", None)  # one process: the embedded in-memory channel layer
    data = create_session(env, state="draft")
    with uvicorn_server(env, free_port(), tmp_path / "uvicorn.log") as base_url:
        yield base_url, data


def test_phone_vote_reaches_projector_without_reload(
    asgi_server, browser_context_factory, login, axe, screenshot
):
    base_url, data = asgi_server
    session = data["session"]

    facilitator = browser_context_factory().new_page()
    login(facilitator, base_url, SimpleNamespace(email=data["facilitator"]))
    facilitator.goto(f"{base_url}/laboratori/sessione/{session}/conduzione/")
    facilitator.get_by_role("heading", level=1).wait_for()
    axe(facilitator)

    # a classroom computer without a login: the projector link (the pk URL is for who conducts)
    projector = browser_context_factory(viewport={"width": 1600, "height": 900}).new_page()
    projector.goto(f"{base_url}/laboratori/sessione/{session}/schermo/")
    assert data["code"] not in projector.content()
    projector.goto(f"{base_url}/laboratori/schermo/{data['projector_token']}/")
    assert projector.locator(".live-code").inner_text() == data["code"]
    projector.evaluate("() => { window.__sameDocument = true; }")

    # the facilitator starts the activity and shows the results: the projector follows
    facilitator.get_by_role("button", name="Avvia").click()
    facilitator.get_by_role("button", name="Mostra risultati").click()
    projector.get_by_role("heading", name="Quale spazio rigeneriamo?").wait_for()
    projector.locator("[data-live-results]").wait_for()
    assert projector.evaluate("() => window.__sameDocument") is True
    axe(projector)

    phone = browser_context_factory(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(f"{base_url}/laboratori/")
    phone.get_by_label("Codice del laboratorio").fill(data["code"].lower())
    phone.get_by_role("button", name="Entra").click()
    phone.get_by_role("heading", name="Quale spazio rigeneriamo?").wait_for()
    axe(phone)
    phone.locator("label", has_text="Il cortile").click()  # Bootstrap Italia draws the radio
    assert phone.get_by_label("Il cortile").is_checked()
    phone.get_by_role("button", name="Invia la risposta").click()
    phone.get_by_text("Risposta registrata").wait_for()
    axe(phone)

    # the vote appears on the projector, in the same document (no reload)
    projector.locator('[data-index="1"] [data-live-count]').filter(has_text="1").wait_for()
    projector.locator('[data-index="1"] .live-pct-100').wait_for()
    assert projector.locator("[data-live-total]").inner_text() == "1"
    assert projector.evaluate("() => window.__sameDocument") is True
    axe(projector)
    screenshot(projector, "live-projector")
    screenshot(phone, "live-phone", full_page=True)

    # and on the console, refreshed by its own socket
    facilitator.get_by_text("1 risposta", exact=False).first.wait_for()
    axe(facilitator)
    screenshot(facilitator, "live-console")


CONSULTATION_SCRIPT = """
import datetime, json
from django.utils import timezone
from consultations.models import ConsultationPage, Phase
from proposals.models import Proposal
from psm.models import ActionPage
from tests.factories import UserFactory

action = ActionPage.objects.live().order_by("path").first()
page = action.add_child(instance=ConsultationPage(
    title="Spazi per le e i giovani", slug="spazi-live-browser", question="<p>Dove?</p>"))
now = timezone.now()
Phase.objects.create(page=page, kind="voting", starts_at=now - datetime.timedelta(days=1),
                     ends_at=now + datetime.timedelta(days=5))
proposal = Proposal.objects.create(
    consultation=page, title="Una sala prove musicale",
    body="Una sala prove nel centro giovani, aperta anche la sera.", published_at=now)
voter = UserFactory(email="sostiene@example.org")
print(json.dumps({"url": proposal.get_absolute_url(), "voter": voter.email}))
"""


def test_support_and_comment_reach_another_reader_of_the_proposal(
    tmp_path, browser_context_factory, login, axe
):
    from tests.workshops.asgi_server import run_script

    db_path = tmp_path / "consultation.sqlite3"
    prepare_database(db_path, reference_data=True)
    env = server_env(db_path, CHANNELS_PREFIX=f"browserc{os.getpid()}")
    env.pop("REDIS_URL", None)
    data = run_script(env, CONSULTATION_SCRIPT)
    with uvicorn_server(env, free_port(), tmp_path / "uvicorn.log") as base_url:
        reader = browser_context_factory().new_page()
        reader.goto(base_url + data["url"])
        count = reader.locator(".support-box [data-live-supports]")
        assert count.inner_text() == "0 sostegni"
        reader.evaluate("() => { window.__sameDocument = true; }")

        voter = browser_context_factory().new_page()
        login(voter, base_url, SimpleNamespace(email=data["voter"]))
        voter.goto(base_url + data["url"])
        voter.get_by_role("button", name="Sostieni questa proposta").click()
        voter.get_by_role("button", name="Ritira il tuo sostegno").wait_for()

        reader.locator(".support-box [data-live-supports]", has_text="1 sostegno").wait_for()

        voter.get_by_label("Scrivi un commento").fill("Ottima idea, la sera mancano spazi così.")
        voter.get_by_role("button", name="Pubblica il commento").click()
        voter.get_by_text("Ottima idea, la sera mancano spazi così.").wait_for()

        notice = reader.locator("[data-live-comments-notice]")
        notice.get_by_role("link", name="aggiorna").wait_for()
        assert "Nuovi commenti" in notice.inner_text()
        assert reader.evaluate("() => window.__sameDocument") is True
        axe(reader)
