"""Real time is best effort: with Redis down, votes and consultation writes still save."""

import shutil
import subprocess
import time

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

import realtime.broadcast as realtime
from tests.workshops.asgi_server import free_port
from tests.workshops.factories import ActivityFactory
from workshops.models import Answer

pytestmark = pytest.mark.django_db


def redis_layer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/0"], "prefix": "outage-test"},
        }
    }


@pytest.fixture
def spy_send(monkeypatch):
    """Record what ``send_now`` returned: True if the event left, False if it was swallowed."""
    results = []
    original = realtime.send_now

    def recording(group, event, payload):
        results.append(original(group, event, payload))
        return results[-1]

    monkeypatch.setattr(realtime, "send_now", recording)
    return results


def vote(client, activity, choice: int):
    url = reverse("live:answer", kwargs={"code": activity.session.code, "activity_pk": activity.pk})
    return client.post(url, {"choice": str(choice)}, follow=True)


def test_vote_saves_with_redis_on_a_closed_port(
    client, plan, spy_send, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    with (
        override_settings(CHANNEL_LAYERS=redis_layer(free_port())),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = vote(client, activity, 1)
    assert response.status_code == 200
    assert "Risposta registrata" in response.content.decode()
    assert Answer.objects.count() == 1
    assert spy_send
    assert not any(spy_send)


def test_consultation_broadcast_does_not_raise_without_redis(
    plan, spy_send, django_capture_on_commit_callbacks
):
    with (
        override_settings(CHANNEL_LAYERS=redis_layer(free_port())),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        realtime.broadcast(
            realtime.group_name("consultation", 1),
            "proposal.totals",
            {"proposal": 1, "supports": 2},
        )
    assert spy_send == [False]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_private_redis_killed_mid_workshop(
    client, plan, spy_send, django_capture_on_commit_callbacks, tmp_path
):
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                break
            time.sleep(0.1)
        activity = ActivityFactory()
        with override_settings(CHANNEL_LAYERS=redis_layer(port)):
            with django_capture_on_commit_callbacks(execute=True):
                assert "Risposta registrata" in vote(client, activity, 0).content.decode()
            assert spy_send
            assert all(spy_send)
            spy_send.clear()

            server.kill()
            server.wait(timeout=10)
            client.cookies.clear()  # another phone
            with django_capture_on_commit_callbacks(execute=True):
                response = vote(client, activity, 2)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
    assert response.status_code == 200
    assert "Risposta registrata" in response.content.decode()
    assert sorted(Answer.objects.values_list("value", flat=True)) == [0, 2]
    assert spy_send
    assert not any(spy_send)
