"""Who may do what in a consultation, and why not.

Each check is a function returning ``None`` (allowed) or the reason for the refusal in plain
Italian, so the page can explain it; the django-rules predicates and permissions registered
show that reason and services raise it. The one django-rules permission,
``consultations.moderate``, is :func:`is_facilitator_of`: views, templates
(``{% has_perm %}``), services and the admin menu all check it with ``user.has_perm``.

Roles (see docs/permissions.md):
- a participant must be eligible (age on today's date, territory, not blocked) and the running
  phase must allow the verb; to vote, also verified (SPID/CIE identity, confirmed residence)
  when the consultation asks for it;
- facilitators *of this consultation* (Wagtail page permission to edit it, through their
  group) moderate it: they may comment (to answer questions) in any phase that allows
  comments, but neither propose nor vote in it;
- editors and facilitators of other consultations take part like anybody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.utils.translation import gettext as _

from accounts.models import Role
from consultations.choices import Verb
from psm.localisation import default_locale_id

if TYPE_CHECKING:
    from consultations.models import ConsultationPage


@rules.predicate
def is_facilitator_of(user, consultation: ConsultationPage | None) -> bool:
    """True for active facilitators whose group may edit this consultation's page (or
    superusers): the one definition of "may moderate"."""
    if consultation is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_role(Role.FACILITATOR):
        return False
    return consultation.permissions_for_user(user).can_edit()


def _login_error(user) -> str | None:
    if user is None or not user.is_authenticated:
        return _("Per partecipare accedi o registrati.")
    return None


def submit_error(user, consultation: ConsultationPage) -> str | None:
    """Why ``user`` cannot submit a proposal now (None if they can)."""
    if error := _login_error(user):
        return error
    if error := consultation.phase_error(Verb.SUBMIT):
        return error
    if is_facilitator_of(user, consultation):
        return _("Chi modera questa consultazione non può presentare proposte.")
    return consultation.eligibility_error(user, verb=Verb.SUBMIT)


def vote_error(user, consultation: ConsultationPage) -> str | None:
    if error := _login_error(user):
        return error
    if error := consultation.phase_error(Verb.VOTE):
        return error
    if is_facilitator_of(user, consultation):
        return _("Chi modera questa consultazione non vota.")
    return consultation.eligibility_error(user, verb=Verb.VOTE)


def comment_error(user, consultation: ConsultationPage) -> str | None:
    if error := _login_error(user):
        return error
    if error := consultation.phase_error(Verb.COMMENT):
        return error
    if is_facilitator_of(user, consultation):
        return None
    return consultation.eligibility_error(user, verb=Verb.COMMENT)


def follow_error(user, consultation: ConsultationPage) -> str | None:
    return _login_error(user)


def create_error(user, parent) -> str | None:
    """Why ``user`` cannot create a consultation under ``parent`` (None if they can): the
    rule of Wagtail's own "add child page", i.e. the page permissions of ``parent`` for
    ``user`` (an action's facilitators add under it, ``psm.permissions``; editors anywhere),
    and a parent a consultation may live under, in Italian (its translation follows)."""
    from consultations.models import ConsultationPage

    if user is None or not user.is_authenticated or not user.is_active:
        return _("Per creare una consultazione accedi con il tuo account.")
    if not ConsultationPage.can_create_at(parent):
        return _("Qui non si possono creare consultazioni: scegli un'azione del piano.")
    if parent.locale_id != default_locale_id():
        return _("Crea la consultazione sotto la pagina in italiano: la traduzione segue.")
    if not parent.permissions_for_user(user).can_add_subpage():
        return _("Puoi creare consultazioni solo sotto le azioni del piano che faciliti.")
    return None


@rules.predicate
def may_assign_facilitators(user) -> bool:
    """Editors and the programme's coordination (and superusers) assign and remove
    facilitators (``consultations.services.facilitation_grant`` / ``facilitation_revoke``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role(Role.EDITOR) or user.has_role(Role.COORDINATOR)


rules.add_perm("consultations.moderate", is_facilitator_of)
rules.add_perm("consultations.assign_facilitators", may_assign_facilitators)
# The same people keep the consultation templates (``ConsultationTemplate``, a snippet).
rules.add_perm("consultations.manage_templates", may_assign_facilitators)
