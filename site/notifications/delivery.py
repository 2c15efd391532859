"""Who gets e-mail and how one recorded e-mail leaves, at most once.

Recording an e-mail (:func:`email_record`) writes an :class:`EmailDelivery` under an
idempotency key; :func:`email_delivery_send` locks that row and records ``sent_at``, so a
retried task finds it sent and does nothing. Queueing the send after the commit is
:func:`notifications.services.email_queue` (it uses the task of :mod:`notifications.tasks`,
which runs the functions here).
"""

import datetime
import logging
import re
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
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

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
SUBJECT_MAX = 200
# Errors no retry can cure: a header Django refuses (BadHeaderError is a ValueError), text the
# message cannot encode. The delivery is marked failed with the reason instead of waiting.
PERMANENT_EMAIL_ERRORS = (ValueError, UnicodeError)

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- links
def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.BASE_URL.rstrip("/") + path


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


def reachable(user: User) -> bool:
    return user.is_active and not user.is_removed and bool(user.email)


def wants_email(user: User) -> bool:
    return reachable(user) and preference_for(user=user).email_enabled


# --------------------------------------------------------------------------- recording
_SPACES = re.compile(r"\s+")


def subject_line(text: str) -> str:
    """``text`` as a one-line e-mail subject: line breaks and other control characters
    (CR, LF, U+2028, tabs) become spaces, invisible format characters (bidi controls,
    zero-width) are dropped, runs of spaces shrink to one; at most :data:`SUBJECT_MAX`
    characters. Subjects are built from people's text (proposal titles), and a header with
    a line break is refused by Django (or, elsewhere, would add headers)."""
    kept = []
    for char in str(text):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category in ("Cc", "Zl", "Zp") else char)
    return _SPACES.sub(" ", "".join(kept)).strip()[:SUBJECT_MAX]


@transaction.atomic
def email_record(
    *,
    user: User,
    key: str,
    subject: str,
    body: str,
    notification: Notification | None = None,
    transactional: bool = False,
) -> EmailDelivery | None:
    """Record an e-mail under ``key`` (not sent yet); None if the key exists.

    ``transactional`` e-mails (a receipt, an outcome, a reminder the person signed up for) go
    out even when the person turned notification e-mails off, and carry no unsubscribe link.
    """
    delivery, created = EmailDelivery.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "user": user,
            "subject": subject_line(subject),
            "body": body,
            "notification": notification,
            "transactional": transactional,
        },
    )
    return delivery if created else None


def email_delivery_send(*, delivery_id: int) -> bool:
    """Send one queued e-mail unless it was already sent. True if it went out now.

    The row stays locked while the message is handed to the mail server, so two workers
    running the same task cannot both send it. A transport error leaves it pending (the task
    retries) with the error recorded; an error no retry can cure (:data:`PERMANENT_EMAIL_ERRORS`)
    marks it failed with the reason.
    """
    try:
        with transaction.atomic():
            delivery = (
                EmailDelivery.objects.select_for_update().select_related("user").get(pk=delivery_id)
            )
            if delivery.status != DeliveryStatus.PENDING:
                return False
            user = delivery.user
            wanted = reachable(user) if delivery.transactional else wants_email(user)
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
    except PERMANENT_EMAIL_ERRORS as error:
        logger.warning("e-mail delivery %s cannot be sent: %r", delivery_id, error)
        EmailDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, last_error=repr(error)[:300]
        )
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


# --------------------------------------------------------------------------- weekly digest
def digest_week_label(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_record(*, user: User, now: datetime.datetime | None = None) -> EmailDelivery | None:
    """Record this week's digest for ``user`` (unread notifications of the last 7 days), once."""
    now = now or timezone.now()
    if not wants_email(user) or not preference_for(user=user).weekly_digest:
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
    return email_record(
        user=user,
        key=f"digest:{user.pk}:{digest_week_label(timezone.localdate(now))}",
        subject=_("Il tuo riepilogo settimanale"),
        body="\n".join(lines),
    )
