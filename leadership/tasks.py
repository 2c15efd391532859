"""Celery tasks of the leadership programme: periodic, idempotent.

The programme's e-mails are not tasks of their own: leadership/emails.py queues them in the
notifications app, which sends each one once and retries it.
"""

from celery import shared_task


@shared_task
def expire_offers() -> int:
    from leadership.services import offers_expire

    return offers_expire()


@shared_task
def send_session_reminders() -> int:
    from leadership.services import reminders_send

    return reminders_send()
