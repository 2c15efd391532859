"""The room's screen and the console on the same socket (issue 13, point 3).

The projector is a page of its own, without the site's chrome, and keeps its access rules;
the console follows the projector's socket and also hears the console's events there.
"""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.urls import reverse

from config.routing import websocket_urlpatterns
from tests.factories import UserFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops import services
from workshops.models import Activity

CHROME = ('id="site-header"', 'id="footer"', "notifiche", "Cerca")


@pytest.mark.django_db
def test_projector_for_who_conducts_has_no_site_chrome_nor_their_name(client, plan):
    activity = ActivityFactory()
    session = activity.session
    facilitator = session.facilitator
    facilitator.first_name, facilitator.last_name = "Ornella", "Quagliotti"
    facilitator.save()
    client.force_login(facilitator)
    response = client.get(reverse("live:projector", kwargs={"pk": session.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    for marker in CHROME:
        assert marker not in page
    assert "Ornella" not in page
    assert "Quagliotti" not in page
    assert facilitator.email not in page
    assert session.code in page
    assert "<svg" in page  # the QR code while joining is open
    assert "data-live-fullscreen" in page
    assert "js/live-screen.js" in page
    assert "<script>" not in page  # CSP: nothing inline
    assert "style=" not in page


@pytest.mark.django_db
def test_projector_link_is_chrome_free_and_closed_session_hides_the_code(client, plan):
    session = LiveSessionFactory(projector_token=services.new_projector_token())
    url = reverse("live:projector_link", kwargs={"token": session.projector_token})
    page = client.get(url).content.decode()
    assert session.code in page
    assert 'id="site-header"' not in page
    services.session_close(session=session, actor=session.facilitator)
    page = client.get(url).content.decode()
    assert session.code not in page
    assert "data-live-ended" in page


@pytest.mark.django_db
def test_projector_still_refuses_others_and_asks_anonymous_to_sign_in(client, plan):
    session = LiveSessionFactory(projector_token=services.new_projector_token())
    url = reverse("live:projector", kwargs={"pk": session.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    client.force_login(UserFactory())
    refused = client.get(url)
    assert refused.status_code == 403
    assert session.code not in refused.content.decode()
    old = session.projector_token
    services.projector_link_renew(session=session, actor=session.facilitator)
    assert client.get(reverse("live:projector_link", kwargs={"token": old})).status_code == 404


@pytest.mark.django_db
def test_console_counts_participants_and_answers_and_has_a_fallback(client, plan):
    activity = ActivityFactory()
    session = activity.session
    for key in ("droom-phone-0001", "droom-phone-0002"):
        services.answer_submit(
            activity=activity, participant=services.Participant(key=key), value=1
        )
    client.force_login(session.facilitator)
    url = reverse("live:console", kwargs={"pk": session.pk})
    page = client.get(url).content.decode()
    assert "2 partecipanti entrati" in page
    assert "2 risposte" in page
    assert f'data-live-socket="/ws/live/{session.pk}/"' in page
    assert "data-live-fallback" in page  # "Aggiorna" without JavaScript
    assert 'href="#chiusura"' in page  # the end of the session, reachable from the top
    fragment = client.get(url, {"fragment": "1"}).content.decode()
    assert "2 partecipanti entrati" in fragment
    assert "<html" not in fragment


# --------------------------------------------------------------------------- the socket

router = URLRouter(websocket_urlpatterns)


@pytest_asyncio.fixture
async def _close_connections():
    yield
    await database_sync_to_async(connections.close_all)()


def _socket(path: str, user=None) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(router, path)
    if user is not None:
        comm.scope["user"] = user
    return comm


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_connections")
async def test_console_hears_arrivals_and_answers_on_the_projector_socket(plan):
    activity = await database_sync_to_async(ActivityFactory)()
    facilitator = await database_sync_to_async(lambda: activity.session.facilitator)()
    console = _socket(f"/ws/live/{activity.session_id}/", user=facilitator)
    assert (await console.connect())[0]

    phone = services.Participant(key="droom-socket-0001")
    await database_sync_to_async(services.session_admit)(
        session=activity.session, participant=phone
    )
    arrival = await console.receive_json_from(timeout=5)
    assert arrival == {"event": "live.console", "payload": {"session": activity.session_id}}

    await database_sync_to_async(services.answer_submit)(
        activity=activity, participant=phone, value=0
    )
    events = {(await console.receive_json_from(timeout=5))["event"] for _i in range(2)}
    assert events == {"live.state", "live.console"}
    await console.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_connections")
async def test_screen_and_others_do_not_hear_the_console(plan):
    activity = await database_sync_to_async(ActivityFactory)(
        state=Activity.State.DRAFT, on_screen=False
    )
    session = activity.session
    token = await database_sync_to_async(
        lambda: (
            services.projector_link_renew(
                session=session, actor=session.facilitator
            ).projector_token
        )
    )()
    screen = _socket(f"/ws/live/{session.pk}/?schermo={token}")
    assert (await screen.connect())[0]
    await database_sync_to_async(services.session_admit)(
        session=session, participant=services.Participant(key="droom-socket-0002")
    )
    assert await screen.receive_nothing(timeout=0.3)  # an arrival is the console's business
    stranger = await database_sync_to_async(UserFactory)()
    assert not (await _socket(f"/ws/live/{session.pk}/", user=stranger).connect())[0]
    await screen.disconnect()
