"""Two uvicorn processes sharing Redis and one database: a vote posted over HTTP to server 1
reaches a WebSocket client connected to server 2."""

import asyncio
import json
import os
import shutil

import pytest
import websockets

from tests.workshops.asgi_server import (
    create_session,
    free_port,
    http_vote,
    prepare_database,
    server_env,
    uvicorn_server,
)

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (Redis server)"),
]


async def _receive_total(ws_url: str, origin: str, vote) -> dict:
    async with websockets.connect(ws_url, origin=origin, open_timeout=10) as socket:
        await asyncio.get_running_loop().run_in_executor(None, vote)
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=15))
            activity = message["payload"].get("activity") or {}
            if message["event"] == "live.state" and activity.get("total", 0) >= 1:
                return message


def test_vote_on_server_one_reaches_socket_on_server_two(tmp_path):
    db_path = tmp_path / "shared.sqlite3"
    prepare_database(db_path)
    env = server_env(
        db_path, CHANNELS_PREFIX=f"mp{os.getpid()}", CACHE_KEY_PREFIX=f"mp{os.getpid()}"
    )
    data = create_session(env)
    port_one, port_two = free_port(), free_port()
    with (
        uvicorn_server(env, port_one, tmp_path / "one.log") as one,
        uvicorn_server(env, port_two, tmp_path / "two.log") as two,
    ):
        # the classroom screen's socket, opened with the projector link
        ws_url = (
            two.replace("http://", "ws://")
            + f"/ws/live/{data['session']}/?schermo={data['projector_token']}"
        )
        responses = []

        def vote():
            responses.append(http_vote(one, data["code"], data["activity"], 1))

        message = asyncio.run(_receive_total(ws_url, two, vote))
    assert responses[0][0] == 200
    assert "Risposta registrata" in responses[0][1]
    assert message["payload"]["activity"]["id"] == data["activity"]
    assert message["payload"]["activity"]["total"] == 1
    shutil.rmtree(tmp_path, ignore_errors=True)
