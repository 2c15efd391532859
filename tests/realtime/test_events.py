"""Declared real-time events: JSON payloads that reach the browser exactly as services built them."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from realtime.broadcast import send_event
from realtime.consumers import GroupRelayConsumer
from realtime.events import (
    EVENTS,
    CommentCreated,
    LiveActivity,
    LiveConsole,
    LiveState,
    ProposalsTotals,
    ProposalTotals,
)

GROUP = "psm.test.1"

SAMPLES = [
    ProposalTotals(proposal=12, supports=40),
    ProposalsTotals(consultation=4, supports={"12": 40, "13": 2}),
    CommentCreated(proposal=12, comment=7),
    LiveState(session=3, status="open", activity=None, key="open"),
    LiveState(
        session=3,
        status="open",
        activity=LiveActivity(
            id=5,
            kind="single_choice",
            state="open",
            results_visible=True,
            total=3,
            results={
                "total": 3,
                "items": [
                    {"index": 0, "label": "La stazione «dismessa»", "count": 2, "percent": 67},
                    {"index": 1, "label": "Il cortile", "count": 1, "percent": 33},
                ],
                "average": None,
                "ideas": [],
            },
        ),
        key="open:5:open:1:",
    ),
    LiveState(
        session=3,
        status="closed",
        activity=LiveActivity(
            id=6,
            kind="scale_1_5",
            state="closed",
            results_visible=True,
            total=2,
            results={"total": 2, "items": [], "average": 3.5, "ideas": [{"pk": 9, "text": "Sì"}]},
        ),
        key="closed:6:closed:1:9",
    ),
    LiveState(
        session=3,
        status="open",
        activity=LiveActivity(
            id=7,
            kind="ideas",
            state="open",
            results_visible=False,
            total=4,
            results=None,
        ),
        key="open:7:open:0",
    ),
    LiveConsole(session=3),
]


def test_every_declared_event_has_a_sample():
    assert {type(event).name for event in SAMPLES} == set(EVENTS)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda event: event.name)
def test_payload_survives_a_json_round_trip(event):
    payload = event.to_payload()
    assert json.loads(json.dumps(payload)) == payload


class _TestRelay(GroupRelayConsumer):
    def authorise(self) -> str | None:
        return GROUP


IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.mark.asyncio
@pytest.mark.django_db  # the consumer closes stale connections in its worker thread
@pytest.mark.parametrize("event", SAMPLES, ids=lambda event: event.name)
async def test_consumer_relays_the_event_unchanged(event):
    with override_settings(CHANNEL_LAYERS=IN_MEMORY):
        socket = WebsocketCommunicator(_TestRelay.as_asgi(), "/ws/test/")
        connected, _ = await socket.connect()
        assert connected
        assert await sync_to_async(send_event)(GROUP, event)
        message = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
    assert message == {"event": event.name, "payload": event.to_payload()}
