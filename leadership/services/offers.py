"""Seats: accepting or declining an offer, promoting from the waitlist, expired offers."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from leadership import selection
from leadership.models import Application, CallPage
from leadership.models import ApplicationStatus as S
from leadership.selectors import call_quotas, candidate_of
from leadership.services.access import require_applicant
from leadership.services.transitions import application_transition

HOLDS_SEAT = (S.SELECTED, S.ACCEPTED, S.COMPLETED)


def seat_accept(*, application: Application, actor: User) -> Application:
    application = Application.objects.get(pk=application.pk)
    require_applicant(application, actor)
    if application.status != S.SELECTED:
        raise ValidationError(_("Non c'è un posto da accettare."))
    if application.offer_expires_at and timezone.now() > application.offer_expires_at:
        raise ValidationError(_("Il termine per accettare il posto è scaduto."))
    return application_transition(
        application=application, to=S.ACCEPTED, actor=actor, reason=_("Posto accettato.")
    )


def seat_decline(*, application: Application, actor: User, reason: str = "") -> None:
    require_applicant(application, actor)
    with transaction.atomic():
        application_transition(
            application=application,
            to=S.DECLINED,
            actor=actor,
            reason=reason or _("Posto rifiutato da chi era stato/a selezionato/a."),
        )
        waitlist_promote(call=application.call)


@transaction.atomic
def waitlist_promote(*, call: CallPage) -> list[int]:
    """Offer every free seat to the waitlist: the first in line whose promotion keeps the call's
    quotas achievable (or simply the first in line, saying so, if no one can)."""
    CallPage.objects.select_for_update().filter(pk=call.pk).first()
    holders = list(
        Application.objects.filter(call=call, status__in=HOLDS_SEAT).select_related("comune")
    )
    queue = list(
        Application.objects.filter(call=call, status=S.WAITLISTED)
        .select_related("comune")
        .order_by("waitlist_position", "pk")
    )
    quotas = call_quotas(call)
    promoted = []
    while len(holders) < call.seats and queue:
        index, kept = selection.next_for_seat(
            [candidate_of(a, 0.0) for a in holders],
            [candidate_of(a, 0.0) for a in queue],
            seats=call.seats,
            quotas=quotas,
        )
        application = queue.pop(index)
        if index == 0 and kept:
            reason = _("Posto liberato: offerto alla prima persona in lista d'attesa.")
        elif kept:
            reason = _(
                "Posto liberato: offerto alla prima persona in lista d'attesa che permette di "
                "rispettare le quote del bando."
            )
        else:
            reason = _(
                "Posto liberato: offerto alla prima persona in lista d'attesa (nessuna "
                "permetteva di rispettare tutte le quote)."
            )
        application_transition(
            application=application,
            to=S.SELECTED,
            actor=None,
            reason=reason,
            offer_expires_at=timezone.now() + timedelta(days=call.acceptance_days),
            waitlist_position=None,
        )
        holders.append(application)
        promoted.append(application.pk)
    return promoted


def offers_expire(*, now=None) -> int:
    """Seats not accepted in time are declined and offered to the waitlist (periodic task)."""
    now = now or timezone.now()
    expired = 0
    calls = set()
    for application in Application.objects.filter(status=S.SELECTED, offer_expires_at__lt=now):
        with transaction.atomic():
            try:
                application_transition(
                    application=application,
                    to=S.DECLINED,
                    actor=None,
                    reason=_("Termine per accettare il posto scaduto."),
                )
            except ValidationError:
                continue  # changed meanwhile
        expired += 1
        calls.add(application.call_id)
    for call in CallPage.objects.filter(pk__in=calls):
        waitlist_promote(call=call)
    return expired
