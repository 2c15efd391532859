"""Writes for notifications: in-app messages, e-mails sent at most once, preferences.

Other apps call :func:`notify` (usually from a Celery task that takes ids). It is idempotent:
the same ``key`` twice writes one notification and queues one e-mail. The e-mail leaves through
:func:`email_delivery_send`, which locks the delivery row and records ``sent_at``; a retried
task finds it sent and does nothing.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import (
    DeliveryStatus,
    EmailDelivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


# --------------------------------------------------------------------------- links
def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unsubscribe_token(*, user: User) -> str:
    """A signed token naming the person: the unsubscribe link works without logging in."""
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def unsubscribe_url(*, user: User) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user=user)})
    )


# --------------------------------------------------------------------------- preferences
def preference_for(*, user: User) -> NotificationPreference:
    """The person's preferences (unsaved defaults if they never changed them)."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


@transaction.atomic
def preference_update(*, user: User, email_enabled: bool, weekly_digest: bool) -> None:
    NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email_enabled": email_enabled,
            "weekly_digest": weekly_digest,
            "unsubscribed_at": None if email_enabled else timezone.now(),
        },
    )


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


def _reachable(user: User) -> bool:
    return user.is_active and not user.is_removed and bool(user.email)


def _wants_email(user: User) -> bool:
    return _reachable(user) and preference_for(user=user).email_enabled


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
    if email and _wants_email(user):
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
    """Record an e-mail under ``key`` and send it after commit; None if the key exists.

    ``transactional`` e-mails (a receipt, an outcome, a reminder the person signed up for) go
    out even when the person turned notification e-mails off, and carry no unsubscribe link.
    """
    delivery, created = EmailDelivery.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "user": user,
            "subject": subject[:200],
            "body": body,
            "notification": notification,
            "transactional": transactional,
        },
    )
    if not created:
        return None
    from notifications.tasks import send_email_delivery

    delivery_id = delivery.pk
    transaction.on_commit(lambda: send_email_delivery.delay(delivery_id), robust=True)
    return delivery


def email_delivery_send(*, delivery_id: int) -> bool:
    """Send one queued e-mail unless it was already sent. True if it went out now.

    The row stays locked while the message is handed to the mail server, so two workers
    running the same task cannot both send it. A transport error leaves it pending (the task
    retries) with the error recorded.
    """
    try:
        with transaction.atomic():
            delivery = (
                EmailDelivery.objects.select_for_update().select_related("user").get(pk=delivery_id)
            )
            if delivery.status != DeliveryStatus.PENDING:
                return False
            user = delivery.user
            wanted = _reachable(user) if delivery.transactional else _wants_email(user)
            if not wanted:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.save(update_fields=["status"])
                return False
            message = EmailMessage(
                subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + delivery.subject,
                body=delivery.body,
                to=[user.email],
                headers=_delivery_headers(delivery),
            )
            message.send(fail_silently=False)
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.attempts += 1
            delivery.last_error = ""
            delivery.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            return True
    except EmailDelivery.DoesNotExist:
        return False
    except Exception as error:
        EmailDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            attempts=F("attempts") + 1, last_error=repr(error)[:300]
        )
        raise


def _delivery_headers(delivery: EmailDelivery) -> dict[str, str]:
    headers = {"X-PSM-Delivery": delivery.idempotency_key}
    if not delivery.transactional:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(user=delivery.user)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def email_delivery_give_up(*, delivery_id: int, error: str) -> None:
    EmailDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, last_error=error[:300]
    )


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or all of them) as read; only the person's own."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


# --------------------------------------------------------------------------- weekly digest
def digest_week_label(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_send(*, user: User, now: datetime.datetime | None = None) -> EmailDelivery | None:
    """Queue this week's digest for ``user`` (unread notifications of the last 7 days), once."""
    now = now or timezone.now()
    if not _wants_email(user) or not preference_for(user=user).weekly_digest:
        return None
    recent = list(
        Notification.objects.filter(
            user=user, read_at__isnull=True, created_at__gte=now - datetime.timedelta(days=7)
        )
        .exclude(kind=NotificationKind.DIGEST)
        .order_by("-created_at")[:20]
    )
    if not recent:
        return None
    lines = [_("Ciao %(name)s,") % {"name": user.public_name}, ""]
    lines.append(_("ecco le novità della settimana su PSM Giovani:"))
    lines.append("")
    for item in recent:
        lines.append(f"- {item.title}")
        if item.url:
            lines.append(f"  {absolute_url(item.url)}")
    lines += [
        "",
        "-- ",
        _("Ricevi questo riepilogo perché lo hai chiesto nelle preferenze."),
        _("Per non ricevere più e-mail (basta un clic): %(url)s")
        % {"url": unsubscribe_url(user=user)},
    ]
    return email_queue(
        user=user,
        key=f"digest:{user.pk}:{digest_week_label(timezone.localdate(now))}",
        subject=_("Il tuo riepilogo settimanale"),
        body="\n".join(lines),
    )


# --------------------------------------------------------------------------- personal data
def personal_data(*, user: User) -> dict:
    preference = preference_for(user=user)
    return {
        "preferences": {
            "email_enabled": preference.email_enabled,
            "weekly_digest": preference.weekly_digest,
        },
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("pk")
        ],
    }


def personal_data_erase(*, user: User) -> None:
    Notification.objects.filter(user=user).delete()
    EmailDelivery.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
