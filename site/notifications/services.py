"""Writes for notifications: in-app messages, e-mails sent at most once, preferences.

Other apps call :func:`notify` (usually from a Celery task that takes ids). It is idempotent:
the same ``key`` twice writes one notification and queues one e-mail. The e-mail leaves through
:func:`notifications.delivery.email_delivery_send` (run by a task after the commit), which locks
the delivery row and records ``sent_at``; a retried task finds it sent and does nothing.
"""

import datetime

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.delivery import (
    absolute_url,
    digest_record,
    email_record,
    unsubscribe_url,
    wants_email,
)
from notifications.models import (
    EmailDelivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from notifications.tasks import send_after_commit


@transaction.atomic
def preference_update(
    *,
    user: User,
    email_enabled: bool,
    weekly_digest: bool,
    facilitator_digest: bool | None = None,
) -> None:
    """Save the person's choices; ``facilitator_digest`` None leaves that choice as it is
    (the form asks it only of those who facilitate)."""
    defaults = {
        "email_enabled": email_enabled,
        "weekly_digest": weekly_digest,
        "unsubscribed_at": None if email_enabled else timezone.now(),
    }
    if facilitator_digest is not None:
        defaults["facilitator_digest"] = facilitator_digest
    NotificationPreference.objects.update_or_create(user=user, defaults=defaults)


@transaction.atomic
def email_unsubscribe(*, user: User) -> None:
    """Stop every e-mail (notifications and digest); in-app notifications stay."""
    NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email_enabled": False,
            "weekly_digest": False,
            "unsubscribed_at": timezone.now(),
        },
    )


# --------------------------------------------------------------------------- notifications
def _email_body(*, user: User, title: str, body: str, url: str) -> str:
    lines = [
        _("Ciao %(name)s,") % {"name": user.public_name},
        "",
        title,
    ]
    if body:
        lines += ["", body]
    if url:
        lines += ["", _("Leggi su PSM Giovani: %(url)s") % {"url": absolute_url(url)}]
    lines += [
        "",
        "-- ",
        _("Ricevi questa e-mail perché partecipi a PSM Giovani."),
        _("Per non ricevere più e-mail (basta un clic): %(url)s")
        % {"url": unsubscribe_url(user=user)},
        _("Scegli quali e-mail ricevere: %(url)s")
        % {"url": absolute_url(reverse("notifications:preferences"))},
    ]
    return "\n".join(lines)


@transaction.atomic
def notify(
    *,
    user: User,
    key: str,
    kind: NotificationKind | str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification | None:
    """Tell ``user`` about an event, once per ``key``: in the list and (if wanted) by e-mail.

    Returns the new notification, or None if this key was already notified.
    """
    if user.is_removed:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key, kind=kind, title=title[:200], body=body, url=url
            )
    except IntegrityError:
        return None
    if email and wants_email(user):
        email_queue(
            user=user,
            key=f"email:{key}",
            subject=title[:200],
            body=_email_body(user=user, title=title, body=body, url=url),
            notification=notification,
        )
    return notification


@transaction.atomic
def email_queue(
    *,
    user: User,
    key: str,
    subject: str,
    body: str,
    notification: Notification | None = None,
    transactional: bool = False,
) -> EmailDelivery | None:
    """Record an e-mail under ``key`` (:func:`~notifications.delivery.email_record`) and send
    it after commit; None if the key exists."""
    delivery = email_record(
        user=user,
        key=key,
        subject=subject,
        body=body,
        notification=notification,
        transactional=transactional,
    )
    if delivery is not None:
        send_after_commit(delivery.pk)
    return delivery


#: Sent after notifications were marked read (an ``UPDATE``, which sends no ``post_save``), with
#: ``user``: a page that keeps the unread count in a cache forgets it
#: (``consultations.person_facts``).
notifications_read = Signal()


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or all of them) as read; only the person's own."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    marked = rows.update(read_at=timezone.now())
    if marked:
        notifications_read.send(sender=Notification, user=user)
    return marked


# --------------------------------------------------------------------------- weekly digest
def digest_send(*, user: User, now: datetime.datetime | None = None) -> EmailDelivery | None:
    """Queue this week's digest for ``user`` (unread notifications of the last 7 days), once."""
    delivery = digest_record(user=user, now=now)
    if delivery is not None:
        send_after_commit(delivery.pk)
    return delivery
