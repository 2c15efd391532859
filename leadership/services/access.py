"""Checks shared by the services: who may act on what."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.visibility import Viewer, restrictions_pass
from leadership.models import Application, CallPage
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


def call_visible(who, call: CallPage) -> bool:
    """Whether ``who`` (a request, a user, a ``Viewer``) may see ``call``: live, and accepted by
    every Wagtail view restriction on the call or its ancestors (a shared password through the
    session's pass, "login", "groups"); the programme's coordination always."""
    viewer = Viewer.of(who)
    if is_coordinator(viewer.user):
        return True
    if not call.live:
        return False
    return restrictions_pass(viewer, call.get_view_restrictions())


def require_call_visible(who, call: CallPage) -> None:
    """The same answer as an unknown call: a restricted call is not revealed."""
    if not call_visible(who, call):
        raise PermissionDenied(_("Questo bando non è disponibile."))
