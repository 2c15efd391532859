"""Who may enter a contest (kind of entrant, age) and be in a team."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import ContestPage, EntrantKind


def person_error(contest: ContestPage, user, *, now=None) -> str | None:
    """None if ``user`` may take part (enter or join a team), otherwise why not."""
    if user is None or not user.is_authenticated:
        return _("Per partecipare accedi o registrati.")
    if not user.is_active or user.is_removed:
        return _("Il tuo account non è attivo.")
    if contest.jurors.filter(user=user).exists():
        return _("Fai parte della giuria di questo contest: non puoi parteciparvi.")
    if contest.age_min is None and contest.age_max is None:
        return None
    day = timezone.localdate(now or timezone.now())
    age = user.age_on(day)
    low, high = contest.age_min or 0, contest.age_max or 200
    if age is None:
        return _(
            "Questo contest è per chi ha tra %(min)s e %(max)s anni: indica la tua data di "
            "nascita nel profilo."
        ) % {"min": low, "max": high}
    if not low <= age <= high:
        return _("Questo contest è per chi ha tra %(min)s e %(max)s anni.") % {
            "min": low,
            "max": high,
        }
    return None


def require_person(contest: ContestPage, user, *, now=None) -> None:
    error = person_error(contest, user, now=now)
    if error:
        raise PermissionDenied(error)


def require_kind(contest: ContestPage, kind: str) -> None:
    if kind not in contest.allowed_kinds():
        labels = ", ".join(str(EntrantKind(k).label).lower() for k in contest.allowed_kinds())
        raise ValidationError(
            _("Questo contest è aperto a: %(kinds)s.") % {"kinds": labels or _("nessuno")}
        )
