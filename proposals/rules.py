"""Who may edit, withdraw, support or comment a proposal, and why not.

Built on ``consultations.rules`` (phase and eligibility); each ``*_error`` function returns
``None`` or the reason in plain Italian: views show it, services raise it as
``PermissionDenied``.
"""

from __future__ import annotations

import datetime

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import rules as consultation_rules
from consultations.models import ConsultationStatus, Verb, VoteMode
from proposals.models import ChangeSet, Comment, Proposal, ProposalStatus, Visibility

COMMENT_EDIT_MINUTES = 15
#: An amendment in these states is in (or on its way into) the action's text: frozen.
AMENDMENT_SETTLED = (ProposalStatus.ACCEPTED, ProposalStatus.INCORPORATED)


def edit_error(user, proposal: Proposal) -> str | None:
    if user is None or not user.is_authenticated or proposal.author_id != user.pk:
        return _("Solo chi ha scritto la proposta può modificarla.")
    if proposal.visibility == Visibility.WITHDRAWN:
        return _("La proposta è stata ritirata.")
    if proposal.visibility == Visibility.HIDDEN:
        return _("La proposta è stata nascosta da chi modera e non si può modificare.")
    if proposal.is_amendment and proposal.status in AMENDMENT_SETTLED:
        return _("L'emendamento è stato accolto: il testo non si può più modificare.")
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


def change_set_review_error(user, change_set: ChangeSet | None) -> str | None:
    """Why ``user`` may not review and publish this change to an action's text: an editor
    who may publish the action page may; so may a facilitator who moderates the
    consultation of every amendment in it (they answered them)."""
    if change_set is None or user is None or not user.is_authenticated or not user.is_active:
        return _("Accedi con un account della redazione o di facilitazione.")
    if change_set.action.permissions_for_user(user).can_publish():
        return None
    consultations = {
        amendment.proposal.consultation
        for amendment in change_set.amendments.select_related("proposal__consultation")
    }
    if consultations and all(
        consultation_rules.is_facilitator_of(user, consultation) for consultation in consultations
    ):
        return None
    return _(
        "Non puoi pubblicare modifiche a questa azione: serve il permesso di pubblicare la "
        "pagina dell'azione, oppure moderare le consultazioni degli emendamenti."
    )


@rules.predicate
def may_review_change_set(user, change_set) -> bool:
    return change_set_review_error(user, change_set) is None


rules.add_perm("proposals.review_change_set", may_review_change_set)
