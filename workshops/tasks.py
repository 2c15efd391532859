"""Celery tasks of the live workshops: periodic, idempotent."""

from celery import shared_task

from workshops.expiry import end_overdue_sessions as _end_overdue_sessions


@shared_task(name="workshops.tasks.end_overdue_sessions")
def end_overdue_sessions() -> int:
    return _end_overdue_sessions()
