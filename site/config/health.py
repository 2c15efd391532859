"""/healthz: is each backing service reachable? JSON, 200 when all are, 503 otherwise."""

import asyncio
import contextlib
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


async def _forget(layer, channel: str) -> None:
    """Let go of the check's channel. Channels has no call for it: a layer drops a channel when
    a receive on it is cancelled (the pub/sub layer then unsubscribes from Redis; without this,
    every check run in a long-lived event loop, as under uvicorn, left one subscription)."""
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await waiting


async def _roundtrip_channel_layer() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    try:
        # Redis pub/sub delivers nothing, rather than failing, to a subscriber it lost: bounded.
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    finally:
        await _forget(layer, channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("channel layer returned an unexpected message")


def _check_channel_layer() -> None:
    async_to_sync(_roundtrip_channel_layer)()


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "channel_layer": _check_channel_layer,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # a health check reports every failure, whatever its kind
            logger.warning("healthz: %s unreachable: %s", name, exc)
            results[name] = f"error: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    body = {"status": "ok" if healthy else "error", "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
