import asyncio
import os
from unittest.mock import patch

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application


def test_healthz_reports_every_service(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "channel_layer": "ok"}


def test_healthz_reports_a_failing_service_with_503(client, db, monkeypatch):
    from config import health

    def broken():
        raise ConnectionError("down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_health_websocket_answers():
    communicator = WebsocketCommunicator(
        application,
        "/ws/health/",
        headers=[(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {"status": "ok"}
    await communicator.disconnect()


def test_celery_app_discovers_tasks_and_declares_beat():
    from config.celery import app

    app.loader.import_default_modules()
    assert "config.tasks.heartbeat" in app.tasks
    assert app.conf.beat_schedule["platform-heartbeat"]["task"] == "config.tasks.heartbeat"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis pub/sub layer")
def test_the_channel_check_leaves_no_subscription_behind(settings):
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from config.health import _roundtrip_channel_layer

    layer = RedisPubSubChannelLayer(hosts=[os.environ["REDIS_URL"]], prefix="healthz-test")

    async def twice():
        with patch("config.health.get_channel_layer", return_value=layer):
            await _roundtrip_channel_layer()
            await _roundtrip_channel_layer()
        inner = layer._get_layer()
        left = [name for name in inner.channels if "healthz." in name]
        await layer.flush()
        return left

    assert asyncio.run(twice()) == []
