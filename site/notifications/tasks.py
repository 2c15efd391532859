"""Celery tasks for e-mail. They take ids and are safe to run twice."""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.language import in_language_of
from accounts.models import User
from notifications.delivery import digest_record, email_delivery_give_up, email_delivery_send
from notifications.models import DeliveryStatus, EmailDelivery, NotificationPreference

logger = logging.getLogger(__name__)

# Errors worth retrying: the mail server is down, slow or refusing for now.
TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
MAX_RETRIES = 6


@shared_task(
    bind=True,
    name="notifications.tasks.send_email_delivery",
    autoretry_for=TRANSIENT_EMAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1500,  # below the broker's visibility timeout (settings)
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def send_email_delivery(self, delivery_id: int) -> bool:
    """Send one recorded e-mail; a retry after success sends nothing."""
    try:
        return email_delivery_send(delivery_id=delivery_id)
    except TRANSIENT_EMAIL_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            email_delivery_give_up(delivery_id=delivery_id, error=repr(error))
        raise


def send_after_commit(delivery_id: int) -> None:
    """Queue :func:`send_email_delivery` for a recorded e-mail once the transaction commits."""
    transaction.on_commit(lambda: send_email_delivery.delay(delivery_id), robust=True)


@shared_task(name="notifications.tasks.resend_stuck_deliveries")
def resend_stuck_deliveries() -> int:
    """Periodic: queue again e-mails still pending after 15 minutes (a lost retry, a worker
    restart). Sending stays idempotent: a delivery already sent is never sent again. One that
    used up its attempts (its last failure lost with a worker) is marked failed, so nothing
    stays pending for ever."""
    old = EmailDelivery.objects.filter(
        status=DeliveryStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=15)
    )
    old.filter(attempts__gte=MAX_RETRIES).update(status=DeliveryStatus.FAILED)
    stuck = old.filter(attempts__lt=MAX_RETRIES).values_list("pk", flat=True)[:500]
    count = 0
    for delivery_id in list(stuck):
        try:
            send_email_delivery.apply_async(args=[delivery_id], ignore_result=True)
        except Exception:  # eager mode raises the retry; the next sweep tries again
            logger.warning("e-mail delivery %s still failing", delivery_id, exc_info=True)
            continue
        count += 1
    return count


@shared_task(name="notifications.tasks.send_weekly_digests")
def send_weekly_digests() -> int:
    """Weekly (beat): queue a digest for everybody who asked for one. Once per ISO week."""
    now = timezone.now()
    count = 0
    user_ids = NotificationPreference.objects.filter(
        weekly_digest=True, email_enabled=True
    ).values_list("user_id", flat=True)
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True):
        with in_language_of(user):
            delivery = digest_record(user=user, now=now)
        if delivery is not None:
            send_after_commit(delivery.pk)
            count += 1
    return count
