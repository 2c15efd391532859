"""Workshop sessions expire: one left running ends by itself ``LIVE_SESSION_MAX_HOURS`` after
it started.

The rule is :func:`workshops.models.session_lifetime`, read in two ways: on access, an overdue
session is not open (``LiveSession.is_open``; ``LiveSession.objects.running()`` finds codes),
so its code, answers and console actions stop at once; and the periodic task
``workshops.tasks.end_overdue_sessions`` ends it through :func:`workshops.services.session_end`,
the same function a facilitator's "Chiudi il laboratorio" runs (activities closed, network
hashes dropped, screens told).
"""

from workshops.models import LiveSession
from workshops.services import session_end


def end_overdue_sessions(now=None) -> int:
    """End every session past its lifetime; how many ended. Idempotent."""
    ended = 0
    for session in LiveSession.objects.overdue(now).only("pk").order_by("pk"):
        session_end(session=session)
        ended += 1
    return ended
