"""Writes of the staff area: the facilitators' daily digest.

Once a day (Celery beat, :func:`staffhome.tasks.send_facilitator_digests`) each facilitator gets
one e-mail listing what waits in the consultations they moderate, read from the same
:func:`staffhome.selectors.facilitator_desk` as their staff area, and only if something waits.
It goes through the notifications' e-mail ledger under a key naming the person and the day
(Europe/Rome), so a second run, a retried task or two beat processes send nothing new. It is
not transactional: turning e-mails off, or the daily digest off in the notification
preferences, stops it.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import in_language_of
from accounts.models import Role, User
from notifications.delivery import absolute_url, preference_for, unsubscribe_url, wants_email
from notifications.models import EmailDelivery
from notifications.services import email_queue
from staffhome.selectors import ConsultationDesk, facilitator_desk

#: Phases opening within this many days make the digest (the staff area shows two weeks).
DIGEST_PHASE_DAYS = 3


def _waiting(desk: ConsultationDesk, *, now: datetime.datetime) -> ConsultationDesk | None:
    """``desk`` with only the phases opening soon, or None if nothing waits in it."""
    horizon = now + datetime.timedelta(days=DIGEST_PHASE_DAYS)
    desk.upcoming_phases = [phase for phase in desk.upcoming_phases if phase.starts_at <= horizon]
    if desk.reports or desk.pending or desk.awaiting_answer or desk.upcoming_phases:
        return desk
    return None


def facilitator_digest_key(*, user: User, day: datetime.date) -> str:
    return f"staffhome:facilitator-digest:{user.pk}:{day.isoformat()}"


def facilitator_digest_send(
    *, user: User, now: datetime.datetime | None = None
) -> EmailDelivery | None:
    """Queue today's digest for ``user`` if something waits in the consultations they
    moderate and they want it; at most once per person and day. None when nothing is sent."""
    now = now or timezone.now()
    if not user.has_role(Role.FACILITATOR) or not wants_email(user):
        return None
    if not preference_for(user=user).facilitator_digest:
        return None
    desks = [
        desk for desk in facilitator_desk(user=user, now=now) if _waiting(desk, now=now) is not None
    ]
    if not desks:
        return None
    with in_language_of(user):
        body = render_to_string(
            "staffhome/email/facilitator_digest.txt",
            {
                "person": user,
                "desks": desks,
                "base": absolute_url(""),
                "area_url": absolute_url(reverse("staffhome:home")),
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe_url(user=user),
            },
        )
        return email_queue(
            user=user,
            key=facilitator_digest_key(user=user, day=timezone.localdate(now)),
            subject=_("Quello che ti aspetta oggi nelle consultazioni che faciliti"),
            body=body,
        )


def facilitator_digests_send(*, now: datetime.datetime | None = None) -> int:
    """Queue today's digest for every active facilitator; how many were queued now."""
    now = now or timezone.now()
    people = User.objects.filter(groups__name=Role.FACILITATOR.value, is_active=True).distinct()
    return sum(
        1 for person in people.order_by("pk") if facilitator_digest_send(user=person, now=now)
    )
