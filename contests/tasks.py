"""Celery tasks of contests: periodic and idempotent (the e-mail ledger's keys)."""

from celery import shared_task

from contests.services.notices import contest_notices_send


@shared_task(name="contests.tasks.send_contest_notices")
def send_contest_notices() -> int:
    """Every 15 minutes (beat): submission-phase, results and jury-reminder notices."""
    return contest_notices_send()
