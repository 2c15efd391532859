"""Writes of the accountability app.

Editors write records through the Wagtail admin (snippet views, with drafts and revisions);
what must happen when a version *goes live* happens here, in :func:`record_published`, called
for every publication whatever its path (the edit view, a workflow approval, a scheduled
publication, a revert) by the ``published`` signal receiver connected in
``AccountabilityConfig.ready``.
"""

from __future__ import annotations

from django.db import transaction

from accountability import tasks
from accountability.models import (
    ImplementationRecord,
    StatusChange,
    UpdateAnnouncement,
)


@transaction.atomic
def record_published(*, record: ImplementationRecord) -> tuple[StatusChange | None, list[int]]:
    """A version of ``record`` went live: add a timeline row if its status differs from the
    last public one, claim its updates not yet announced, and queue the notifications (after
    commit; exactly once per person and event through ``notifications.services.notify``).

    Returns the new timeline row (or None) and the ids of the updates announced now. Drafts and
    publications scheduled for later (the record is not live yet) change nothing.
    """
    current = ImplementationRecord.objects.select_for_update().filter(pk=record.pk).first()
    if current is None or not current.live:
        return None, []
    last = current.status_changes.order_by("-changed_at", "-pk").first()
    change = None
    if last is None or last.status != current.status:
        note = current.status_note.strip()
        last_note = (
            current.status_changes.exclude(note="")
            .order_by("-changed_at", "-pk")
            .values_list("note", flat=True)
            .first()
        )
        if note == last_note:
            note = ""  # an earlier change's note, not rewritten: not this change's
        change = StatusChange.objects.create(
            record=current, status=current.status, progress=current.progress, note=note
        )
        change_id = change.pk
        transaction.on_commit(lambda: tasks.announce_status_change.delay(change_id))
    announced = []
    for update_id in current.updates.filter(announcement__isnull=True).values_list("pk", flat=True):
        _claim, created = UpdateAnnouncement.objects.get_or_create(update_id=update_id)
        if created:
            announced.append(update_id)
    # The record's first publication is told as its status; its updates need no separate word.
    if last is not None:
        for update_id in announced:
            transaction.on_commit(
                lambda update_id=update_id: tasks.announce_update.delay(update_id)
            )
    return change, announced


def on_record_published(sender, instance, **kwargs) -> None:
    """Receiver of Wagtail's ``published`` signal for records (connected in ``apps.py``)."""
    record_published(record=instance)
