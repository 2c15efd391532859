"""Submitting an entry: before the deadline to the second (server time), with a receipt and
a protocol number."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests import emails
from contests.models import Entry, EntryEvent, EntryEventKind, EntryStatus, FileKind
from contests.services.eligibility import person_error
from contests.services.entries import require_contact, require_draft


def entry_missing(entry: Entry) -> list[str]:
    """What is still needed before the entry can be submitted, in words."""
    missing = []
    if not entry.title:
        missing.append(_("il titolo del progetto"))
    if not entry.summary:
        missing.append(_("la descrizione del progetto"))
    if not entry.files.filter(kind=FileKind.BOARD).exists():
        missing.append(_("almeno una tavola in PDF"))
    pending = entry.members.filter(accepted_at__isnull=True).count()
    if pending:
        missing.append(
            _("la risposta di %(n)d persone invitate (o toglile dalla squadra)") % {"n": pending}
        )
    if entry.is_team and entry.members.filter(accepted_at__isnull=False).count() < 2:
        missing.append(_("almeno un'altra persona nella squadra"))
    return missing


@transaction.atomic
def entry_submit(*, entry: Entry, actor: User, now=None) -> Entry:
    now = now or timezone.now()
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    require_contact(entry, actor)
    require_draft(entry)
    contest = entry.contest
    if now > contest.submission_closes_at:
        raise ValidationError(
            _("La consegna si è chiusa il %(when)s: il progetto non può più essere inviato.")
            % {
                "when": timezone.localtime(contest.submission_closes_at).strftime(
                    "%d/%m/%Y %H:%M:%S"
                )
            }
        )
    if now < contest.registration_opens_at:
        raise ValidationError(_("Il contest non è ancora aperto."))
    missing = entry_missing(entry)
    if missing:
        raise ValidationError(_("Manca ancora: %(what)s.") % {"what": "; ".join(missing)})
    for member in entry.members.select_related("user"):
        error = person_error(contest, member.user, now=now)
        if error:
            raise ValidationError(
                _("%(email)s non può partecipare: %(why)s") % {"email": member.email, "why": error}
            )
    entry.status = EntryStatus.SUBMITTED
    entry.submitted_at = now
    entry.protocol = f"CT{timezone.localtime(now).year}-{contest.pk}-{entry.pk:05d}"
    entry.save(update_fields=["status", "submitted_at", "protocol"])
    EntryEvent.objects.create(entry=entry, kind=EntryEventKind.SUBMITTED, actor=actor, at=now)
    for member in entry.members.filter(accepted_at__isnull=False).select_related("user"):
        emails.receipt_queue(entry, member.user)
    return entry
