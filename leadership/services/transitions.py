"""The state machine of an application: every change of state goes through
``application_transition``, which checks ``TRANSITIONS`` and leaves an audit row (who, when, from,
to, why). Outcomes reached are e-mailed on commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from leadership import emails
from leadership.models import Application, ApplicationTransition
from leadership.models import ApplicationStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.UNDER_REVIEW, S.INELIGIBLE, S.WITHDRAWN},
    S.INELIGIBLE: {S.ELIGIBLE},
    S.UNDER_REVIEW: {S.SELECTED, S.WAITLISTED, S.NOT_SELECTED, S.INELIGIBLE, S.WITHDRAWN},
    S.WAITLISTED: {S.SELECTED, S.WITHDRAWN},
    S.SELECTED: {S.ACCEPTED, S.DECLINED, S.WITHDRAWN},
    S.ACCEPTED: {S.COMPLETED, S.WITHDRAWN},
    S.NOT_SELECTED: set(),
    S.DECLINED: set(),
    S.COMPLETED: set(),
    S.WITHDRAWN: set(),
}


NOTIFIED = {S.SELECTED, S.WAITLISTED, S.NOT_SELECTED}


@transaction.atomic
def application_transition(
    *, application: Application, to: str, actor: User | None, reason: str = "", **fields
) -> Application:
    """The one way an application changes state. ``fields`` are saved with the change."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("Non è possibile passare da «%(from)s» a «%(to)s».")
            % {"from": S(locked.status).label, "to": S(to).label}
        )
    previous = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    ApplicationTransition.objects.create(
        application=locked, actor=actor, from_status=previous, to_status=to, reason=reason
    )
    if to in NOTIFIED:
        emails.outcome_queue(locked)
    for name in ("status", *fields):
        setattr(application, name, getattr(locked, name))
    return locked
