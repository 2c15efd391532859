"""Celery tasks of the leadership programme: they take ids and are idempotent."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from leadership.models import Application, Session
from leadership.models import ApplicationStatus as S


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


@shared_task
def send_receipt(application_id: int) -> bool:
    """The submission receipt with its protocol number; sent once."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("applicant", "call")
            .filter(pk=application_id, receipt_sent_at__isnull=True)
            .exclude(protocol=None)
            .first()
        )
        if application is None:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "leadership/email/receipt.txt", {"application": application, "base": _base_url()}
            )
            subject = f"[PSM Giovani] Ricevuta {application.protocol}"
        send_mail(subject, body, None, [application.applicant.email])
        application.receipt_sent_at = timezone.now()
        application.save(update_fields=["receipt_sent_at"])
    return True


@shared_task
def send_outcome(application_id: int) -> bool:
    """Selected, waitlisted or not selected: one e-mail per outcome reached."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("applicant", "call")
            .filter(pk=application_id, status__in=[S.SELECTED, S.WAITLISTED, S.NOT_SELECTED])
            .first()
        )
        if application is None or application.outcome_notified == application.status:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "leadership/email/outcome.txt", {"application": application, "base": _base_url()}
            )
            subject = f"[PSM Giovani] {application.call.title}: esito della selezione"
        send_mail(subject, body, None, [application.applicant.email])
        application.outcome_notified = application.status
        application.save(update_fields=["outcome_notified"])
    return True


@shared_task
def send_reminder(session_id: int, user_id: int) -> bool:
    from accounts.models import User

    session = Session.objects.filter(pk=session_id).select_related("stage").first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if session is None or user is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "leadership/email/reminder.txt",
            {"session": session, "person": user, "base": _base_url()},
        )
        subject = f"[PSM Giovani] Domani: {session.title}"
    send_mail(subject, body, None, [user.email])
    return True


@shared_task
def expire_offers() -> int:
    from leadership.services import offers_expire

    return offers_expire()


@shared_task
def send_session_reminders() -> int:
    from leadership.services import reminders_send

    return reminders_send()
