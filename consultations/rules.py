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


@rules.predicate
def may_assign_facilitators(user) -> bool:
    """Editors and the programme's coordination (and superusers) assign and remove
    facilitators (``consultations.services.facilitation_grant`` / ``facilitation_revoke``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role(Role.EDITOR) or user.has_role(Role.COORDINATOR)


rules.add_perm("consultations.moderate", is_facilitator_of)
rules.add_perm("consultations.assign_facilitators", may_assign_facilitators)
