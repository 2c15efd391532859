"""Entries and teams: start an entry, save the draft, invite, accept, remove."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests import emails
from contests.models import (
    ContestPage,
    EntrantKind,
    Entry,
    EntryEvent,
    EntryEventKind,
    EntryMember,
    EntryStatus,
    MemberRole,
)
from contests.models.entries import https_link
from contests.predicates import is_contact, is_member
from contests.services.eligibility import require_kind, require_person

#: letters and digits that cannot be mistaken for one another
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def require_open(contest: ContestPage, now=None) -> None:
    if not contest.accepts_entries(now):
        raise ValidationError(_("Il contest non accetta iscrizioni o consegne in questo momento."))


def require_draft(entry: Entry) -> None:
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError(_("Il progetto è stato ritirato: non si può più cambiare."))
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError(_("Il progetto è già stato consegnato: non si può più cambiare."))


def require_member(entry: Entry, user) -> None:
    if not is_member(user, entry):
        raise PermissionDenied(_("Non fai parte di questa squadra."))


def require_contact(entry: Entry, user) -> None:
    if not is_contact(user, entry):
        raise PermissionDenied(_("Solo la persona di riferimento della squadra può farlo."))


@transaction.atomic
def entry_start(
    *, contest: ContestPage, user: User, kind: str, organisation: str = "", now=None
) -> Entry:
    """Register: the person becomes the entry's contact (and its first member)."""
    require_open(contest, now)
    require_person(contest, user, now=now)
    require_kind(contest, kind)
    organisation = organisation.replace("\x00", "").strip()[:200]
    if kind in (EntrantKind.SCHOOL, EntrantKind.ASSOCIATION) and not organisation:
        raise ValidationError(_("Scrivi il nome della scuola o dell'associazione."))
    if EntryMember.objects.filter(
        entry__contest=contest,
        user=user,
        entry__status__in=[EntryStatus.DRAFT, EntryStatus.SUBMITTED],
    ).exists():
        raise ValidationError(_("Partecipi già a questo contest con un progetto."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                entry = Entry.objects.create(
                    contest=contest,
                    contact=user,
                    kind=kind,
                    organisation=organisation,
                    code=new_code(),
                )
                break
        except IntegrityError as error:
            if (
                Entry.objects.filter(contest=contest, contact=user)
                .exclude(status=EntryStatus.WITHDRAWN)
                .exists()
            ):
                raise ValidationError(
                    _("Partecipi già a questo contest con un progetto.")
                ) from error
    else:  # pragma: no cover - 32^8 codes
        raise ValidationError(_("Riprova tra un momento."))
    EntryMember.objects.create(
        entry=entry,
        email=user.email.lower(),
        user=user,
        role=MemberRole.DESIGN,
        accepted_at=timezone.now(),
    )
    EntryEvent.objects.create(
        entry=entry, kind=EntryEventKind.STARTED, actor=user, at=now or timezone.now()
    )
    return entry


@transaction.atomic
def entry_save_draft(*, entry: Entry, actor: User, data: dict) -> Entry:
    """Saved as the team types (any member): title, description, video link."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require_member(entry, actor)
    require_draft(entry)
    fields = []
    limits = {"title": 160, "summary": 8000, "video_url": 200}
    for name, limit in limits.items():
        if name in data:
            value = str(data[name]).replace("\x00", "").strip()[:limit]
            if name == "video_url" and value and not https_link(value):
                raise ValidationError(_("Il link al video deve iniziare con https://."))
            setattr(entry, name, value)
            fields.append(name)
    entry.draft_saved_at = timezone.now()
    entry.save(update_fields=[*fields, "draft_saved_at"])
    return entry


@transaction.atomic
def member_invite(*, entry: Entry, actor: User, email: str, role: str, now=None) -> EntryMember:
    """The contact invites someone by e-mail; they join by accepting with that address."""
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    require_contact(entry, actor)
    require_draft(entry)
    require_open(entry.contest, now)
    if not entry.is_team:
        raise ValidationError(_("Chi partecipa da sola o da solo non invita altre persone."))
    if role not in MemberRole.values:
        raise ValidationError(_("Scegli un ruolo."))
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationError(_("Scrivi un indirizzo e-mail valido."))
    if entry.members.count() >= entry.contest.max_team_size:
        raise ValidationError(
            _("La squadra può avere al massimo %(n)d persone.") % {"n": entry.contest.max_team_size}
        )
    if entry.members.filter(email=email).exists():
        raise ValidationError(_("Questa persona è già stata invitata."))
    member = EntryMember.objects.create(entry=entry, email=email, role=role)
    invitee = User.objects.filter(email__iexact=email, is_active=True).first()
    if invitee is not None:
        emails.invitation_queue(member, invitee)
    return member


@transaction.atomic
def member_accept(*, member: EntryMember, user: User, now=None) -> EntryMember:
    member = (
        EntryMember.objects.select_for_update().select_related("entry__contest").get(pk=member.pk)
    )
    if member.email.lower() != user.email.lower():
        raise PermissionDenied(_("Questo invito è per un altro indirizzo e-mail."))
    if member.is_accepted:
        return member
    entry = member.entry
    require_draft(entry)
    require_open(entry.contest, now)
    require_person(entry.contest, user, now=now)
    if EntryMember.objects.filter(
        entry__contest=entry.contest,
        user=user,
        entry__status__in=[EntryStatus.DRAFT, EntryStatus.SUBMITTED],
    ).exists():
        raise ValidationError(_("Partecipi già a questo contest con un progetto."))
    member.user = user
    member.accepted_at = now or timezone.now()
    member.save(update_fields=["user", "accepted_at"])
    return member


@transaction.atomic
def member_remove(*, member: EntryMember, actor: User) -> None:
    """The contact removes a member or an invitation; a member may leave on their own."""
    member = EntryMember.objects.select_for_update().select_related("entry").get(pk=member.pk)
    entry = member.entry
    if not (is_contact(actor, entry) or member.user_id == actor.pk):
        raise PermissionDenied(_("Solo la persona di riferimento della squadra può farlo."))
    require_draft(entry)
    if member.user_id == entry.contact_id:
        raise ValidationError(_("La persona di riferimento non può lasciare la squadra."))
    member.delete()
