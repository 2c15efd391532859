"""Who may edit, withdraw, support or comment a proposal, and why not.

Built on ``consultations.rules`` (phase and eligibility); each ``*_error`` function returns
``None`` or the reason in plain Italian: views show it, services raise it as
``PermissionDenied``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import rules as consultation_rules
from consultations.models import ConsultationStatus, Verb, VoteMode
from proposals.models import Comment, Proposal, Visibility

COMMENT_EDIT_MINUTES = 15


def edit_error(user, proposal: Proposal) -> str | None:
    if user is None or not user.is_authenticated or proposal.author_id != user.pk:
        return _("Solo chi ha scritto la proposta può modificarla.")
    if proposal.visibility == Visibility.WITHDRAWN:
        return _("La proposta è stata ritirata.")
    if proposal.visibility == Visibility.HIDDEN:
        return _("La proposta è stata nascosta da chi modera e non si può modificare.")
    if proposal.consultation.has_started_phase(Verb.VOTE):
        return _("Le proposte non si possono più modificare: il voto è già iniziato.")
    if proposal.consultation.status() == ConsultationStatus.CLOSED:
        return _("La consultazione è conclusa.")
    return None


def withdraw_error(user, proposal: Proposal) -> str | None:
    if user is None or not user.is_authenticated or proposal.author_id != user.pk:
        return _("Solo chi ha scritto la proposta può ritirarla.")
    if proposal.visibility == Visibility.WITHDRAWN:
        return _("La proposta è già stata ritirata.")
    return None


def _published_error(proposal: Proposal) -> str | None:
    if proposal.visibility == Visibility.PUBLISHED:
        return None
    if proposal.visibility == Visibility.WITHDRAWN:
        return _("La proposta è stata ritirata.")
    if proposal.visibility == Visibility.PENDING:
        return _("La proposta è in attesa di verifica da parte di chi modera.")
    return _("La proposta è stata nascosta da chi modera.")


def support_error(user, proposal: Proposal) -> str | None:
    """Why ``user`` cannot support this proposal now (modes support and limited)."""
    consultation = proposal.consultation
    if error := consultation_rules.vote_error(user, consultation):
        return error
    if consultation.vote_mode == VoteMode.BUDGET:
        return _("In questa consultazione si vota con la scheda di bilancio.")
    return _published_error(proposal)


def comment_error(user, proposal: Proposal) -> str | None:
    if error := consultation_rules.comment_error(user, proposal.consultation):
        return error
    return _published_error(proposal)


def comment_edit_error(user, comment: Comment) -> str | None:
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        return _("Solo chi ha scritto il commento può modificarlo.")
    if not comment.is_visible:
        return _("Il commento non è più visibile.")
    if timezone.now() - comment.created_at > datetime.timedelta(minutes=COMMENT_EDIT_MINUTES):
        return _("Un commento si può modificare solo nei primi %(minutes)s minuti.") % {
            "minutes": COMMENT_EDIT_MINUTES
        }
    return None


def comment_delete_error(user, comment: Comment) -> str | None:
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        return _("Solo chi ha scritto il commento può eliminarlo.")
    if comment.is_deleted:
        return _("Il commento è già stato eliminato.")
    return None


def like_error(user, comment: Comment) -> str | None:
    if user is None or not user.is_authenticated:
        return _("Per mettere «mi piace» accedi o registrati.")
    if not comment.is_visible:
        return _("Il commento non è più visibile.")
    if comment.author_id == user.pk:
        return _("Non puoi mettere «mi piace» ai tuoi commenti.")
    if comment.proposal.consultation.is_blocked(user):
        return _("Chi modera questa consultazione ha sospeso la tua partecipazione.")
    return None
