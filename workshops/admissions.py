"""Who enters a live session: each new device or person is an ``Admission`` of the session,
within a bound per session and a bound per network (docs/permissions.md, "Laboratori dal
vivo"). Services call :func:`session_admit` before saving an answer or an idea; the phone page
calls it when a device first opens the session.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from realtime.broadcast import broadcast_event, group_name
from realtime.events import LiveConsole
from workshops.models import Admission, LiveSession

# New devices one network (a client address: a school's NAT, a household) may bring into one
# session: a class of 200 behind one school NAT stays well below (docs/permissions.md,
# "Laboratori"). Logged-in participants don't count here: their accounts are the bound.
MAX_DEVICES_PER_NETWORK = 300
# Devices and people one session admits in all: the largest hall we run workshops in (an
# assembly of 500-600) plus a few hundred of margin for phones that change browser.
MAX_ADMISSIONS_PER_SESSION = 1000


@dataclass(frozen=True)
class Participant:
    """Who answers: ``key`` is "d<device token>" or "u<user id>"."""

    key: str
    user: object | None = None


def network_key(*, session: LiveSession, network: str) -> str:
    """A keyed hash of the client's network, salted with the session (not linkable across
    sessions, not reversible without the secret key)."""
    if not network:
        return ""
    message = f"live.network:{session.pk}:{network}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_admitted(*, session: LiveSession, participant: Participant) -> bool:
    return session.admissions.filter(participant_key=participant.key).exists()


def admission_error(*, session: LiveSession, participant: Participant, network: str) -> str | None:
    """Why a new device or person cannot enter now (None: they can, or they are in already)."""
    if not session.is_open:
        return _("Il laboratorio è chiuso: grazie per aver partecipato!")
    if is_admitted(session=session, participant=participant):
        return None
    if session.admissions.count() >= MAX_ADMISSIONS_PER_SESSION:
        return _(
            "Il laboratorio ha raggiunto il numero massimo di partecipanti (%(n)d). Se sei in "
            "sala, chiedi a chi conduce."
        ) % {"n": MAX_ADMISSIONS_PER_SESSION}
    hashed = network_key(session=session, network=network)
    if (
        hashed
        and participant.user is None
        and session.admissions.filter(network=hashed, participant_key__startswith="d").count()
        >= MAX_DEVICES_PER_NETWORK
    ):
        return _(
            "Da questa rete sono già entrati %(n)d dispositivi in questo laboratorio: è il "
            "massimo. Accedi con il tuo account per partecipare, o chiedi a chi conduce."
        ) % {"n": MAX_DEVICES_PER_NETWORK}
    return None


@transaction.atomic
def session_admit(*, session: LiveSession, participant: Participant, network: str = "") -> None:
    """Let a device or person into an open session, within the bounds (ValidationError when
    a bound is reached). The session row is locked, so parallel arrivals count one by one."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if error := admission_error(session=session, participant=participant, network=network):
        raise ValidationError(error)
    if participant.key and not is_admitted(session=session, participant=participant):
        Admission.objects.create(
            session=session,
            participant_key=participant.key,
            network=network_key(session=session, network=network)
            if participant.user is None
            else "",
        )
        # the console counts who is in (sent after the commit, best effort)
        broadcast_event(group_name("live.console", session.pk), LiveConsole(session=session.pk))
