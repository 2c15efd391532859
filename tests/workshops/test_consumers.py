"""WebSocket consumers: they authorise, join a group and relay what services broadcast."""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction
from django.test import Client

import realtime.broadcast as realtime
from config.routing import websocket_urlpatterns
from psm.models import ActionPage
from tests.factories import UserFactory
from tests.workshops.factories import ActivityFactory
from workshops import services
from workshops.devices import DEVICE_COOKIE, DEVICE_SALT
from workshops.models import Activity

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

router = URLRouter(websocket_urlpatterns)


@pytest_asyncio.fixture(autouse=True)
async def close_worker_thread_connections():
    """The database work ran in asgiref's worker thread: close its connections afterwards."""
    yield
    await database_sync_to_async(connections.close_all)()


def communicator(path: str, user=None) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(router, path)
    if user is not None:
        comm.scope["user"] = user
    return comm


@database_sync_to_async
def make_activity(**kwargs):
    return ActivityFactory(**kwargs)


@database_sync_to_async
def _projector_token(activity) -> str:
    session = activity.session
    return services.projector_link_renew(session=session, actor=session.facilitator).projector_token


async def screen_communicator(activity) -> WebsocketCommunicator:
    """The projector of a classroom computer: opened with the projector link, no login."""
    token = await _projector_token(activity)
    return communicator(f"/ws/live/{activity.session_id}/?schermo={token}")


async def admitted_phone(activity, token: str = "phone-socket-test-0001"):
    """A phone whose device the session admitted (its signed cookie in the scope)."""
    await database_sync_to_async(services.session_admit)(
        session=activity.session, participant=services.Participant(key=f"d{token}")
    )
    comm = communicator(f"/ws/live/{activity.session_id}/")
    comm.scope["cookies"] = {DEVICE_COOKIE: signed_device(token)}
    return comm


def signed_device(token: str) -> str:
    from django.http import HttpResponse

    response = HttpResponse()
    response.set_signed_cookie(DEVICE_COOKIE, token, salt=DEVICE_SALT)
    return response.cookies[DEVICE_COOKIE].value


@database_sync_to_async
def vote(activity, key: str, value):
    return services.answer_submit(
        activity=activity, participant=services.Participant(key=key), value=value
    )


async def test_screen_receives_a_vote_saved_over_http_service(plan):
    activity = await make_activity()
    screen = await screen_communicator(activity)
    connected, _ = await screen.connect()
    assert connected
    await vote(activity, "dconsumer-test-0001", 2)
    message = await screen.receive_json_from(timeout=5)
    assert message["event"] == "live.state"
    assert message["payload"]["activity"]["id"] == activity.pk
    assert message["payload"]["activity"]["total"] == 1
    assert message["payload"]["activity"]["results"] is None  # not revealed yet
    await screen.disconnect()


async def test_revealed_results_travel_with_the_event(plan):
    activity = await make_activity(results_visible=True)
    phone = await admitted_phone(activity)
    assert (await phone.connect())[0]
    await vote(activity, "dconsumer-test-0002", 0)
    payload = (await phone.receive_json_from(timeout=5))["payload"]
    assert payload["activity"]["results"]["items"][0]["count"] == 1
    await phone.disconnect()


async def test_unknown_session_is_refused(plan):
    connected, _ = await communicator("/ws/live/999999/").connect()
    assert not connected


async def test_console_socket_only_for_the_facilitator(plan):
    activity = await make_activity(state=Activity.State.DRAFT, on_screen=False)
    intruder = await database_sync_to_async(UserFactory)()
    refused, _ = await communicator(
        f"/ws/live/{activity.session_id}/console/", user=intruder
    ).connect()
    assert not refused
    anonymous_connected, _ = await communicator(
        f"/ws/live/{activity.session_id}/console/"
    ).connect()
    assert not anonymous_connected

    facilitator = await database_sync_to_async(lambda: activity.session.facilitator)()
    console = communicator(f"/ws/live/{activity.session_id}/console/", user=facilitator)
    assert (await console.connect())[0]
    await database_sync_to_async(services.activity_open)(activity=activity, actor=facilitator)
    message = await console.receive_json_from(timeout=5)
    assert message == {"event": "live.console", "payload": {"session": activity.session_id}}
    await console.disconnect()


async def test_sockets_are_read_only(plan):
    activity = await make_activity()
    screen = await screen_communicator(activity)
    assert (await screen.connect())[0]
    await screen.send_json_to({"answer": 1})
    assert await screen.receive_nothing(timeout=0.2)
    assert await database_sync_to_async(activity.answers.count)() == 0
    await screen.disconnect()


async def test_full_asgi_stack_checks_origin_and_session_cookie(plan):
    from config.asgi import application

    activity = await make_activity()
    facilitator = await database_sync_to_async(lambda: activity.session.facilitator)()
    client = Client()
    await database_sync_to_async(client.force_login)(facilitator)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    path = f"/ws/live/{activity.session_id}/console/"

    foreign = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://evil.example"), (b"cookie", cookie)]
    )
    assert not (await foreign.connect())[0]
    own = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)]
    )
    assert (await own.connect())[0]
    await own.disconnect()


@database_sync_to_async
def broadcast_in_transaction(group, event, payload):
    with transaction.atomic():
        realtime.broadcast(group, event, payload)


async def test_consultation_page_socket_relays_totals(plan):
    from tests.consultations.factories import make_consultation

    page = await database_sync_to_async(make_consultation)()
    socket = communicator(f"/ws/consultations/{page.pk}/")
    assert (await socket.connect())[0]
    await broadcast_in_transaction(
        realtime.group_name("consultation", page.pk),
        "proposal.totals",
        {"proposal": 7, "supports": 3},
    )
    assert await socket.receive_json_from(timeout=5) == {
        "event": "proposal.totals",
        "payload": {"proposal": 7, "supports": 3},
    }
    await socket.disconnect()
    assert not (await communicator("/ws/consultations/999999/").connect())[0]


@database_sync_to_async
def make_proposal(visibility: str):
    from consultations.models import ConsultationPage
    from proposals.models import Proposal

    action = ActionPage.objects.live().first()
    consultation = action.add_child(
        instance=ConsultationPage(
            title=f"Consultazione {visibility}", slug=f"c-{visibility}", question="<p>?</p>"
        )
    )
    return Proposal.objects.create(
        consultation=consultation, title="Proposta", body="Testo", visibility=visibility
    )


async def test_proposal_socket_relays_new_comments_of_published_proposals(plan):
    proposal = await make_proposal("published")
    socket = communicator(f"/ws/proposals/{proposal.pk}/")
    assert (await socket.connect())[0]
    await broadcast_in_transaction(
        realtime.group_name("proposal", proposal.pk),
        "comment.created",
        {"proposal": proposal.pk, "comment": 1},
    )
    message = await socket.receive_json_from(timeout=5)
    assert message["event"] == "comment.created"
    await socket.disconnect()
    hidden = await make_proposal("hidden")
    assert not (await communicator(f"/ws/proposals/{hidden.pk}/").connect())[0]


async def test_socket_is_refused_when_the_channel_layer_is_down(plan):
    from django.test import override_settings

    from tests.workshops.asgi_server import free_port

    activity = await make_activity()
    layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        connected, _ = await communicator(f"/ws/live/{activity.session_id}/").connect(timeout=10)
    assert not connected  # the page keeps working over HTTP; live.js retries later


async def test_state_socket_follows_the_projector_rule(plan):
    """Nobody follows a session by its sequential id alone: who conducts it, the projector
    link, or a device the session let in."""
    activity = await make_activity()
    path = f"/ws/live/{activity.session_id}/"
    assert not (await communicator(path).connect())[0]
    stranger = await database_sync_to_async(UserFactory)()
    assert not (await communicator(path, user=stranger).connect())[0]
    assert not (await communicator(f"{path}?schermo={'x' * 43}").connect())[0]
    unknown_device = communicator(path)
    unknown_device.scope["cookies"] = {DEVICE_COOKIE: signed_device("never-admitted-0001")}
    assert not (await unknown_device.connect())[0]
    facilitator = await database_sync_to_async(lambda: activity.session.facilitator)()
    conductor = communicator(path, user=facilitator)
    assert (await conductor.connect())[0]
    await conductor.disconnect()
    phone = await admitted_phone(activity)
    assert (await phone.connect())[0]
    await phone.disconnect()


async def test_regenerating_the_link_closes_the_old_screens(plan):
    activity = await make_activity()
    screen = await screen_communicator(activity)
    assert (await screen.connect())[0]
    old = await _projector_token(activity)  # renewed again: the screen's token is revoked
    assert old
    closed = await screen.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4403}
    stale = communicator(screen.scope["path"] + "?" + screen.scope["query_string"].decode())
    assert not (await stale.connect())[0]


async def test_a_frame_that_is_not_json_closes_the_socket(plan):
    activity = await make_activity()
    screen = await screen_communicator(activity)
    assert (await screen.connect())[0]
    await screen.send_to(text_data="not json {")
    assert await screen.receive_output(timeout=5) == {"type": "websocket.close", "code": 1003}
    screen = await screen_communicator(activity)
    assert (await screen.connect())[0]
    await screen.send_to(bytes_data=b"\x00\xff")
    assert await screen.receive_output(timeout=5) == {"type": "websocket.close", "code": 1003}


@pytest.mark.parametrize("path", ["/ws/live/abc/", "/ws/live/²/", "/ws/nothing/", "/ws/live/1/x/"])
async def test_unknown_socket_paths_are_refused(plan, path):
    connected, _ = await communicator(path).connect()
    assert not connected
