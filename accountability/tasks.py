"""Celery tasks telling people what became of their proposals. They take ids and are safe to
run twice: each notification's key names the event and the person (``notifications.notify``
writes and sends it once). A record unpublished in the meantime sends nothing."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from accountability.models import RecordUpdate, StatusChange
from accountability.selectors import record_followers
from accounts.language import in_language_of
from notifications.models import NotificationKind
from notifications.services import notify


def _reason() -> str:
    return _(
        "Ricevi questo avviso perché l'intervento nasce da proposte o idee che hai scritto o "
        "da una consultazione che segui."
    )


def _tell_followers(record, tell) -> int:
    """Call ``tell(user)`` for each of the record's followers, in that person's language;
    returns how many were told now (``tell`` gives ``None`` for one already told)."""
    told = 0
    for user in record_followers(record):
        with in_language_of(user):
            told += tell(user) is not None
    return told


@shared_task(name="accountability.tasks.announce_status_change")
def announce_status_change(status_change_id: int) -> int:
    """Tell the record's followers its new status; returns how many were told now."""
    change = StatusChange.objects.select_related("record").filter(pk=status_change_id).first()
    if change is None or not change.record.live:
        return 0
    record = change.record

    def tell(user):
        title = _("«%(record)s»: %(status)s") % {
            "record": record.title,
            "status": str(change.get_status_display()).lower(),
        }
        lines = [
            _("Dove è andata la tua proposta: a che punto è l'intervento «%(record)s».")
            % {"record": record.title}
        ]
        if change.note:
            lines.append(change.note)
        lines.append(_reason())
        return notify(
            user=user,
            key=f"accountability-status:{change.pk}:{user.pk}",
            kind=NotificationKind.IMPLEMENTATION,
            title=title,
            body="\n\n".join(lines),
            url=record.get_absolute_url(),
        )

    return _tell_followers(record, tell)


@shared_task(name="accountability.tasks.announce_update")
def announce_update(update_id: int) -> int:
    """Tell the record's followers about a newly published update."""
    update = RecordUpdate.objects.select_related("record").filter(pk=update_id).first()
    if update is None or not update.record.live:
        return 0
    record = update.record
    return _tell_followers(
        record,
        lambda user: notify(
            user=user,
            key=f"accountability-update:{update.pk}:{user.pk}",
            kind=NotificationKind.IMPLEMENTATION,
            title=_("Novità su «%(record)s»: %(update)s")
            % {"record": record.title, "update": update.title},
            body="\n\n".join([update.text, _reason()]),
            url=record.get_absolute_url() + f"#aggiornamento-{update.pk}",
        ),
    )
