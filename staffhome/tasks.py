"""Celery tasks of the staff area. Safe to run twice: the e-mail ledger's key is per day."""

from celery import shared_task

from staffhome.services import facilitator_digests_send


@shared_task(name="staffhome.tasks.send_facilitator_digests")
def send_facilitator_digests() -> int:
    """Daily (beat): each facilitator's digest of what waits, when something does."""
    return facilitator_digests_send()
