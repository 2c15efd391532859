"""A conversation live in a workshop (issue 16): two phones vote on statements, and the
projector's opinion map and consensus follow without a reload; axe on both after voting.

As in test_live.py, uvicorn serves the site in a subprocess (WebSockets) on a file SQLite
database prepared here: a consultation under action 5.2.1 running a conversation, a workshop
on it whose conversation activity is open, and 30 earlier votes in two planted groups (the
opinion map already computed; a phone is placed on it after six votes, one per statement). The Celery task runs
eagerly in the server: the first phone's vote recomputes the map at once (then the debounce holds further recomputations), so the
projector shows the new map after that vote and the second phone's vote in its count.
"""

import os

import pytest

from tests.workshops.asgi_server import (
    free_port,
    prepare_database,
    run_script,
    server_env,
    uvicorn_server,
)

SCRIPT = """
import datetime, json
from django.utils import timezone
from accounts.models import Role
from consultations.models import ConsultationPage, Phase
from consultations.services import facilitation_grant
from conversations.models import Choice, StatementVote
from conversations.snapshots import snapshot_compute
from psm.models import ActionPage
from tests.factories import UserFactory
from workshops import services

action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
page = action.add_child(instance=ConsultationPage(
    title="Spazi per le e i giovani: dove siamo d'accordo?", slug="conversazione-live-browser",
    question="<p>Che cosa serve?</p>"))
now = timezone.now()
Phase.objects.create(page=page, kind="conversation", starts_at=now - datetime.timedelta(days=1),
                     ends_at=now + datetime.timedelta(days=5))
facilitator = UserFactory(roles=[Role.FACILITATOR], is_staff=True, email="conduce@example.org")
facilitation_grant(page=page, user=facilitator)
session = services.session_create(page=page, facilitator=facilitator, title="Laboratorio a Ivrea")
statements = [
    "Servono autobus notturni dalle valli a Torino",
    "Le scuole aperte il pomeriggio come spazi giovani",
    "Più piste ciclabili fuori Torino",
    "Meglio investire nei centri urbani",
    "Il lavoro da remoto riporta giovani nei paesi",
    "Le auto private vanno limitate nei centri storici",
]
activity = services.activity_add(session=session, actor=facilitator, kind="conversation",
                                 prompt="Che cosa serve ai giovani del territorio?",
                                 options=statements)
conversation = activity.conversation
conversation.min_votes = len(statements)  # the 30 planted people are placed, a new phone not yet
conversation.save(update_fields=["min_votes"])
rows = list(conversation.statements.order_by("pk"))
StatementVote.objects.bulk_create(
    StatementVote(conversation=conversation, statement=statement, participant_key=f"dp{person}",
                  choice=Choice.AGREE if index == 0 or index % 2 == person % 2 else Choice.DISAGREE)
    for person in range(30) for index, statement in enumerate(rows)
)
snapshot_compute(conversation)
services.activity_open(activity=activity, actor=facilitator)
print(json.dumps({"session": session.pk, "code": session.code,
                  "projector_token": session.projector_token, "consensus": statements[0],
                  "statements": statements, "votes": StatementVote.objects.count()}))
"""


@pytest.fixture
def conversation_server(tmp_path):
    db_path = tmp_path / "conversation.sqlite3"
    prepare_database(db_path, reference_data=True)
    env = server_env(db_path, CHANNELS_PREFIX=f"browserconv{os.getpid()}")
    env.pop("REDIS_URL", None)  # one process: the embedded in-memory channel layer
    data = run_script(env, SCRIPT)
    with uvicorn_server(env, free_port(), tmp_path / "uvicorn.log") as base_url:
        yield base_url, data


def _phone(browser_context_factory):
    return browser_context_factory(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()


def _vote_agree(phone, data) -> str:
    """Agree with the statement the phone shows; returns its text."""
    legend = phone.locator(".live-statement")
    legend.wait_for()
    shown = legend.inner_text().strip("«»")
    assert shown in data["statements"]
    phone.get_by_role("button", name="D'accordo", exact=True).click()
    phone.get_by_text("Voto registrato: d'accordo.").wait_for()
    return shown


def test_two_phones_vote_and_the_projector_map_follows(
    conversation_server, browser_context_factory, axe
):
    base_url, data = conversation_server
    projector = browser_context_factory(viewport={"width": 1600, "height": 900}).new_page()
    projector.goto(f"{base_url}/laboratori/schermo/{data['projector_token']}/")
    consensus = projector.locator("[data-live-consensus]")
    assert data["consensus"] in consensus.inner_text()
    participants = projector.locator("[data-live-participants]")
    assert "Hanno votato 30 persone." in participants.inner_text()
    assert projector.locator("svg.opinion-map").count() == 1
    first_map = projector.locator("[data-live-map]").get_attribute("data-live-map")
    projector.evaluate("() => { window.__sameDocument = true; }")
    axe(projector)

    first = _phone(browser_context_factory)
    first.goto(f"{base_url}/laboratori/{data['code']}/")
    first.get_by_role("heading", name="Che cosa serve ai giovani del territorio?").wait_for()
    axe(first)
    _vote_agree(first, data)
    axe(first)

    # the task stored a new map: the projector fetched it, in the same document
    projector.locator("[data-live-participants]", has_text="Hanno votato 31 persone.").wait_for()
    # a phone joins the map after min_votes votes (six here): the 30 placed people stay
    assert "Sulla mappa: 30 persone." in projector.locator("[data-live-participants]").inner_text()
    assert projector.locator("[data-live-map]").get_attribute("data-live-map") != first_map
    assert data["consensus"] in projector.locator("[data-live-consensus]").inner_text()
    assert projector.locator("[data-live-total]").inner_text() == str(data["votes"] + 1)

    second = _phone(browser_context_factory)
    second.goto(f"{base_url}/laboratori/{data['code']}/")
    _vote_agree(second, data)
    axe(second)

    # the second vote reaches the projector's count at once (the map follows the debounce)
    projector.locator("[data-live-total]", has_text=str(data["votes"] + 2)).wait_for()
    assert projector.evaluate("() => window.__sameDocument") is True
    axe(projector)
