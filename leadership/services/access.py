"""Checks shared by the services: who may act on what."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from leadership.models import Application
from leadership.models import ApplicationStatus as S
from leadership.predicates import is_coordinator, is_reviewer


def require_coordinator(actor) -> None:
    if not is_coordinator(actor):
        raise PermissionDenied(_("Solo il coordinamento del programma può farlo."))


def require_reviewer(actor) -> None:
    """Checked at every reviewer action: a role taken away stops the open pages too."""
    if not is_reviewer(actor):
        raise PermissionDenied(_("L'area di valutazione è riservata a chi valuta."))


def require_applicant(application: Application, actor: User) -> None:
    if application.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Questa candidatura non è tua."))


def require_own_draft(application: Application, actor: User) -> None:
    require_applicant(application, actor)
    if application.status != S.DRAFT:
        raise ValidationError(_("La candidatura è già stata inviata e non si può più modificare."))
