"""Withdrawing an entry: by its contact, before the submission deadline (to the second), audited.

A withdrawn entry leaves the contest: the jury never gets it (assignments not yet scored are
removed, and every jury door reads submitted entries only), the public vote and the ranking skip
it. Its protocol number stays on the row, so a receipt already sent stays valid: it proves
what was submitted and when, and the withdrawal notice names the same number. The contact may
then enter again with a new entry while the contest accepts entries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests import emails
from contests.models import Entry, EntryEvent, EntryEventKind, EntryStatus, JuryAssignment
from contests.services.entries import require_contact

REASON_MAX = 500


@transaction.atomic
def entry_withdraw(*, entry: Entry, actor: User, reason: str = "", now=None) -> Entry:
    now = now or timezone.now()
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    require_contact(entry, actor)
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError(_("Il progetto è già stato ritirato."))
    if now > entry.contest.submission_closes_at:
        raise ValidationError(_("Dopo il termine di consegna un progetto non si può più ritirare."))
    members = [
        m.user for m in entry.members.filter(accepted_at__isnull=False).select_related("user")
    ]
    entry.status = EntryStatus.WITHDRAWN
    entry.withdrawn_at = now
    entry.save(update_fields=["status", "withdrawn_at"])
    # pending invitations lapse; accepted members stay on the row (it is their history)
    entry.members.filter(accepted_at__isnull=True).delete()
    JuryAssignment.objects.filter(entry=entry, submitted_at__isnull=True).delete()
    EntryEvent.objects.create(
        entry=entry,
        kind=EntryEventKind.WITHDRAWN,
        actor=actor,
        at=now,
        reason=reason.replace("\x00", "").strip()[:REASON_MAX],
    )
    for person in members:
        emails.withdrawal_queue(entry, person)
    return entry
