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
