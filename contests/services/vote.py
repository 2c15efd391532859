"""The public vote: one per person (one per account with a verified e-mail), while it is open."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from contests.models import ContestPage, Entry, EntryStatus, PublicVote


def vote_error(contest: ContestPage, user, now=None) -> str | None:
    """None if ``user`` may vote now, otherwise why not."""
    if user is None or not user.is_authenticated:
        return _("Per votare accedi o registrati.")
    if not user.is_active or user.is_removed:
        return _("Il tuo account non è attivo.")
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return _("Per votare conferma il tuo indirizzo e-mail.")
    if contest.jurors.filter(user=user).exists():
        return _("Chi fa parte della giuria non partecipa al voto pubblico.")
    if not contest.public_vote_open(now):
        return _("Il voto pubblico non è aperto.")
    return None


@transaction.atomic
def public_vote_cast(*, contest: ContestPage, entry: Entry, voter: User, now=None) -> PublicVote:
    error = vote_error(contest, voter, now)
    if error:
        raise PermissionDenied(error)
    if entry.contest_id != contest.pk or entry.status != EntryStatus.SUBMITTED:
        raise ValidationError(_("Questo progetto non è in concorso."))
    if entry.members.filter(user=voter).exists():
        raise ValidationError(_("Non puoi votare il progetto della tua squadra."))
    try:
        with transaction.atomic():
            return PublicVote.objects.create(contest=contest, entry=entry, voter=voter)
    except IntegrityError:
        raise ValidationError(
            _("Hai già votato in questo contest: si vota una volta sola.")
        ) from None
