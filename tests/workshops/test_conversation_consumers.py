"""A conversation activity over the live socket: a phone's vote reaches the projector with the
vote count, and the new opinion map (stored by the task) changes the state's key, so screens
fetch it; the socket stays closed to a device the session never admitted."""

import uuid

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from django.db import connections

from conversations.models import OpinionSnapshot
from tests.consultations.factories import make_consultation, make_facilitator
from tests.workshops.factories import LiveSessionFactory
from tests.workshops.test_consumers import communicator, screen_communicator, signed_device
from workshops import conversation_activity, services
from workshops.admissions import Participant
from workshops.devices import DEVICE_COOKIE

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"live-conversation-ws-{uuid.uuid4().hex}",
        }
    }


@pytest_asyncio.fixture(autouse=True)
async def close_worker_thread_connections():
    yield
    await database_sync_to_async(connections.close_all)()


@database_sync_to_async
def conversation_activity_open():
    consultation = make_consultation(phases=("conversation",))
    facilitator = make_facilitator(consultation)
    session = LiveSessionFactory(page=consultation, facilitator=facilitator)
    activity = services.activity_add(
        session=session,
        actor=facilitator,
        kind="conversation",
        prompt="Che cosa serve?",
        options=["Autobus notturni dalle valli", "Scuole aperte il pomeriggio"],
    )
    return services.activity_open(activity=activity, actor=facilitator)


@database_sync_to_async
def phone_vote(activity, key: str, choice: str = "agree"):
    statement = activity.conversation.statements.order_by("pk").first()
    return conversation_activity.conversation_vote(
        activity=activity,
        participant=Participant(key=key),
        statement_id=statement.pk,
        choice=choice,
    )


@database_sync_to_async
def latest_snapshot_id(activity):
    return (
        OpinionSnapshot.objects.filter(conversation_id=activity.conversation_id)
        .values_list("pk", flat=True)
        .first()
    )


async def test_a_phone_vote_reaches_the_projector_with_the_new_map(plan):
    activity = await conversation_activity_open()
    screen = await screen_communicator(activity)
    assert (await screen.connect())[0]
    await phone_vote(activity, "dws-phone-0000000001")
    snapshot_id = await latest_snapshot_id(activity)
    assert snapshot_id is not None  # the task ran (eagerly here) after the vote's commit
    messages = []
    while True:
        message = await screen.receive_json_from(timeout=5)
        messages.append(message)
        payload = message["payload"]
        if payload["activity"]["total"] == 1 and f":map{snapshot_id}" in payload["key"]:
            break
    assert all(m["event"] == "live.state" for m in messages)
    assert payload["activity"]["kind"] == "conversation"
    await screen.disconnect()


async def test_a_phone_follows_only_once_admitted(plan):
    activity = await conversation_activity_open()
    token = "ws-conversation-phone-01"
    stranger = communicator(f"/ws/live/{activity.session_id}/")
    stranger.scope["cookies"] = {DEVICE_COOKIE: signed_device(token)}
    assert not (await stranger.connect())[0]
    await phone_vote(activity, f"d{token}")  # voting admits the device
    phone = communicator(f"/ws/live/{activity.session_id}/")
    phone.scope["cookies"] = {DEVICE_COOKIE: signed_device(token)}
    assert (await phone.connect())[0]
    await phone_vote(activity, f"d{token}", "disagree")  # a changed vote: same count
    payload = (await phone.receive_json_from(timeout=5))["payload"]
    assert payload["activity"]["total"] == 1
    await phone.disconnect()
