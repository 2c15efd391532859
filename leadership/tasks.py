"""Celery tasks of the leadership programme: periodic, idempotent.

The programme's e-mails are not tasks of their own: leadership/emails.py queues them in the
notifications app, which sends each one once and retries it.
"""

from celery import shared_task

from leadership.services.offers import offers_expire
from leadership.services.pathway import reminders_send
from leadership.services.reviews import review_reminders_send


@shared_task
def expire_offers() -> int:
    return offers_expire()


@shared_task
def send_session_reminders() -> int:
    return reminders_send()


@shared_task
def send_review_reminders() -> int:
    return review_reminders_send()
