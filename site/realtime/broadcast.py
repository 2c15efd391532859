"""Broadcasting events to WebSocket groups, best effort.

Writes go HTTP → service; a service calls :func:`broadcast` inside its transaction and the
event leaves only after the commit. If the channel layer (Redis) is unreachable the failure
is logged and swallowed: votes and comments are saved whatever happens to live updates.
Event names are namespaced (``proposal.totals``, ``comment.created``, ``live.results``).
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime.coalesce import coalescer
from realtime.events import Event

logger = logging.getLogger(__name__)


def group_name(kind: str, pk: int | str) -> str:
    """Channel-layer group names: ASCII letters, digits, hyphens and periods only."""
    return f"psm.{kind}.{pk}"


def relay_message(event: str, payload: dict) -> dict:
    """The channel-layer message of one event: its JSON text, encoded once here for the whole
    group (a thousand sockets relay the same string instead of each encoding the payload)."""
    text = json.dumps({"event": event, "payload": payload}, ensure_ascii=False)
    return {"type": "relay.event", "text": text}


def send_now(group: str, event: str, payload: dict) -> bool:
    """Send one event to a group immediately; False (and a log line) if it could not go out."""
    layer = get_channel_layer()
    if layer is None:
        return False
    message = relay_message(event, payload)
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # any transport failure: live updates are best effort
        logger.warning("broadcast of %s to %s failed", event, group, exc_info=True)
        return False
    return True


def broadcast(group: str, event: str, payload: dict) -> None:
    """Queue an event for ``group``, sent once the current transaction commits."""
    transaction.on_commit(lambda: send_now(group, event, payload))


def send_event(group: str, event: Event) -> bool:
    """Send a declared event to a group immediately (see :func:`send_now`)."""
    return send_now(group, event.name, event.to_payload())


def broadcast_event(group: str, event: Event) -> None:
    """Queue a declared event for ``group``, sent once the current transaction commits."""
    broadcast(group, event.name, event.to_payload())


def broadcast_coalesced(group: str, key, event: Event, trailing, *, committed=False) -> None:
    """After the commit, ``event`` goes out at once unless ``group`` had an event less than
    100 ms ago; then ``key`` waits for the window's end, when ``trailing(keys)`` builds one
    event (or None) for every key that waited (``realtime.coalesce``). ``committed``: the
    caller's writes are committed already (and it may hold no database connection), so the
    event is handed over now."""

    def send_trailing(keys):
        late = trailing(keys)
        if late is not None:
            send_event(group, late)

    def submit():
        coalescer.submit(group, key, lambda: send_event(group, event), send_trailing)

    if committed:
        submit()
    else:
        transaction.on_commit(submit)
