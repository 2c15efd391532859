"""After a write of the live workshops commits, the session's new state goes to its WebSocket
groups: ``group_name("live", pk)`` for projector and phones, ``group_name("live.console", pk)``
for the facilitator. Best effort: if the channel layer is down nothing raises."""

from django.db import transaction

from realtime.broadcast import group_name, send_event
from realtime.coalesce import coalescer
from realtime.events import LiveConsole
from workshops import selectors
from workshops.models import LiveSession


def send_state(session_id: int) -> None:
    session = LiveSession.objects.select_related("current_activity").filter(pk=session_id).first()
    if session is None:
        return
    send_event(group_name("live", session.pk), selectors.session_state_event(session))
    send_event(group_name("live.console", session.pk), LiveConsole(session=session.pk))


def announce(session: LiveSession) -> None:
    """Once the transaction commits, push the session's state to its groups."""
    session_id = session.pk
    transaction.on_commit(lambda: send_state(session_id), robust=True)


def announce_burst(session: LiveSession) -> None:
    """For what the phones send (answers, ideas, votes): like :func:`announce`, but a session
    gets at most one push per coalescing window; the last push of a burst is built after all of
    its commits, so it carries every answer (``realtime.coalesce``)."""
    session_id = session.pk

    def push():
        coalescer.submit(
            group_name("live", session_id),
            session_id,
            lambda: send_state(session_id),
            lambda _keys: send_state(session_id),
        )

    transaction.on_commit(push, robust=True)
