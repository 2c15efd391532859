"""Facilitator-side services: hiding and restoring, blocks, official answers, merges
(in-person participation: :mod:`proposals.moderation.in_person`; amendments:
:mod:`proposals.amendments.services`).

Every function checks on the server that ``actor`` may moderate the consultation (the
``consultations.moderate`` permission), writes inside one transaction, leaves a
:class:`ModerationAction` audit row and queues notifications with ``on_commit``. Proposal
status and visibility change only through
:func:`proposals.services.transitions.proposal_transition`. Refusals raise
``PermissionDenied`` (who may act) or ``ValidationError`` (what was sent), both with a message
in plain Italian.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from consultations.models import ConsultationPage, ParticipantBlock, Participation
from proposals.models import (
    Amendment,
    AmendmentState,
    BudgetBallot,
    Comment,
    CommentVisibility,
    ModerationAction,
    ModerationVerb,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Report,
    StatusChange,
    Visibility,
    Vote,
)
from proposals.services.transitions import proposal_transition
from proposals.tasks import (
    notify_content_hidden,
    notify_proposal_answered,
    notify_proposal_published,
)
from psm import page_cache

PARTICIPANT_NOT_FOUND = _lazy("Partecipante non trovato in questa consultazione.")
ANSWER_UNCHANGED = _lazy(
    "Cambi lo stato ma la risposta è identica alla precedente: conferma che il testo vale "
    "anche per il nuovo stato, oppure riscrivilo."
)
ANSWER_REMOVED = _lazy(
    "La risposta è vuota e toglierebbe quella pubblicata: scrivi la nuova risposta, oppure "
    "conferma che la risposta pubblicata va tolta."
)
ANSWER_UNCHANGED_CODE = "answer_unchanged"

#: Statuses that need a written public reason.
REASON_REQUIRED = {
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.IMPLEMENTED,
    ProposalStatus.MERGED,
    ProposalStatus.INCORPORATED,
}


def require_moderator(actor, consultation: ConsultationPage) -> None:
    if actor is None or not actor.has_perm("consultations.moderate", consultation):
        raise PermissionDenied(
            _(
                "Non puoi moderare questa consultazione: serve il ruolo di facilitatore/trice "
                "con i permessi su questa pagina."
            )
        )


def require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


def _consultation_of(*, proposal: Proposal | None = None, comment: Comment | None = None):
    if proposal is not None:
        return proposal.consultation
    return comment.proposal.consultation


def _one_target(proposal, comment) -> None:
    if (proposal is None) == (comment is None):
        raise ValidationError(_("Indica una proposta oppure un commento."))


def audit_record(
    *,
    consultation,
    actor,
    action: str,
    proposal=None,
    comment=None,
    user=None,
    public_reason: str = "",
) -> ModerationAction:
    return ModerationAction.objects.create(
        consultation=consultation,
        actor=actor,
        action=action,
        proposal=proposal,
        comment=comment,
        user=user,
        public_reason=public_reason,
    )


def _on_commit_task(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args), robust=True)


def pending_reports(*, proposal=None, comment=None):
    """The open reports about a proposal or a comment."""
    rows = Report.objects.filter(resolved_at__isnull=True)
    return rows.filter(proposal=proposal) if proposal is not None else rows.filter(comment=comment)


# --------------------------------------------------------------------------- hide / restore
def _hide(*, consultation, actor, proposal, comment, reason: str):
    if proposal is not None:
        action = proposal_transition(
            proposal=proposal,
            actor=actor,
            visibility=Visibility.HIDDEN,
            reason=reason,
            verb=ModerationVerb.HIDE,
        ).action
        author_id = proposal.author_id
    else:
        comment.visibility = CommentVisibility.HIDDEN
        comment.hidden_reason = reason
        comment.save(update_fields=["visibility", "hidden_reason"])
        action = audit_record(
            consultation=consultation,
            actor=actor,
            action=ModerationVerb.HIDE,
            comment=comment,
            user=comment.author,
            public_reason=reason,
        )
        author_id = comment.author_id
    pending_reports(proposal=proposal, comment=comment).update(
        resolved_at=timezone.now(), resolution=_("contenuto nascosto")[:200]
    )
    if author_id is not None:
        _on_commit_task(notify_content_hidden, action.pk)
    return action


def content_flag_reported(
    *, proposal: Proposal | None = None, comment: Comment | None = None
) -> ModerationAction:
    """Record that enough established participants reported this content: it goes first in
    the moderation queue. Nothing is hidden; hiding stays a moderator's decision. Called
    inside the report's transaction (no actor)."""
    return audit_record(
        consultation=_consultation_of(proposal=proposal, comment=comment),
        actor=None,
        action=ModerationVerb.FLAG,
        proposal=proposal,
        comment=comment,
        user=(proposal or comment).author,
    )


@transaction.atomic
def content_hide(
    *,
    actor: User,
    reason: str,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
) -> ModerationAction:
    """Hide a proposal or comment with a public reason; pending reports are resolved."""
    _one_target(proposal, comment)
    consultation = _consultation_of(proposal=proposal, comment=comment)
    require_moderator(actor, consultation)
    reason = require_reason(
        reason, _("Scrivi il motivo, che sarà pubblico, per cui nascondi il contenuto.")
    )
    if proposal is not None:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.visibility == Visibility.WITHDRAWN:
            raise ValidationError(_("La proposta è stata ritirata da chi l'ha scritta."))
    else:
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            raise ValidationError(_("Il commento è stato cancellato da chi l'ha scritto."))
    return _hide(
        consultation=consultation,
        actor=actor,
        proposal=proposal,
        comment=comment,
        reason=reason,
    )


@transaction.atomic
def content_restore(
    *,
    actor: User,
    reason: str = "",
    proposal: Proposal | None = None,
    comment: Comment | None = None,
) -> ModerationAction:
    """Make a hidden (or pending, premoderated) proposal or comment public again.

    Also how a facilitator dismisses reports: the content stays public and the pending
    reports are closed.
    """
    _one_target(proposal, comment)
    consultation = _consultation_of(proposal=proposal, comment=comment)
    require_moderator(actor, consultation)
    reason = (reason or "").strip()
    now = timezone.now()
    was_pending = False
    if proposal is not None:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.visibility == Visibility.WITHDRAWN:
            raise ValidationError(_("La proposta è stata ritirata da chi l'ha scritta."))
        was_pending = proposal.visibility == Visibility.PENDING
        pending_reports(proposal=proposal).update(
            resolved_at=now, resolution=_("nessuna violazione: contenuto pubblico")[:200]
        )
        action = proposal_transition(
            proposal=proposal,
            actor=actor,
            visibility=Visibility.PUBLISHED,
            reason=reason,
            verb=ModerationVerb.RESTORE,
        ).action
        author_id = proposal.author_id
    else:
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            raise ValidationError(_("Il commento è stato cancellato da chi l'ha scritto."))
        comment.visibility = CommentVisibility.PUBLISHED
        comment.hidden_reason = ""
        comment.save(update_fields=["visibility", "hidden_reason"])
        pending_reports(comment=comment).update(
            resolved_at=now, resolution=_("nessuna violazione: contenuto pubblico")[:200]
        )
        action = audit_record(
            consultation=consultation,
            actor=actor,
            action=ModerationVerb.RESTORE,
            comment=comment,
            user=comment.author,
            public_reason=reason,
        )
        author_id = comment.author_id
    if proposal is not None and was_pending and author_id is not None:
        _on_commit_task(notify_proposal_published, action.pk)
    return action


# --------------------------------------------------------------------------- blocks
def _took_part(user: User, consultation: ConsultationPage) -> bool:
    """Whether ``user`` did something in ``consultation`` a moderator can see: a proposal, a
    comment, a support, a budget ballot, a report, a recorded participation, or a past block."""
    return any(
        rows.exists()
        for rows in (
            Participation.objects.filter(consultation=consultation, user=user),
            Proposal.objects.filter(consultation=consultation, author=user),
            Comment.objects.filter(proposal__consultation=consultation, author=user),
            Vote.objects.filter(proposal__consultation=consultation, voter=user),
            BudgetBallot.objects.filter(consultation=consultation, voter=user),
            Report.objects.filter(proposal__consultation=consultation, reporter=user),
            Report.objects.filter(comment__proposal__consultation=consultation, reporter=user),
            ParticipantBlock.objects.filter(consultation=consultation, user=user),
        )
    )


@transaction.atomic
def participant_block(
    *, actor: User, consultation: ConsultationPage, user: User, reason: str
) -> ParticipantBlock:
    """Suspend ``user`` from taking part in ``consultation`` (they can still read).

    Only someone who took part in this consultation (:func:`_took_part`) can be suspended:
    anyone else is "not found", so a facilitator cannot learn the names behind arbitrary
    account ids (the view answers the same for an id with no account)."""
    require_moderator(actor, consultation)
    if not _took_part(user, consultation):
        raise ValidationError(PARTICIPANT_NOT_FOUND)
    reason = require_reason(reason, _("Scrivi il motivo della sospensione."))
    if user.pk == actor.pk:
        raise ValidationError(_("Non puoi sospendere te stesso/a."))
    if user.has_perm("consultations.moderate", consultation):
        raise ValidationError(_("Non puoi sospendere chi modera questa consultazione."))
    active = ParticipantBlock.objects.select_for_update().filter(
        consultation=consultation, user=user, lifted_at__isnull=True
    )
    existing = active.first()
    if existing is not None:
        return existing
    block = ParticipantBlock.objects.create(
        consultation=consultation, user=user, reason=reason, blocked_by=actor
    )
    audit_record(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.BLOCK,
        user=user,
        public_reason=reason,
    )
    return block


@transaction.atomic
def participant_unblock(
    *, actor: User, consultation: ConsultationPage, user: User, reason: str = ""
) -> int:
    """Lift the active suspension of ``user``; returns how many were lifted (0 or 1)."""
    require_moderator(actor, consultation)
    lifted = ParticipantBlock.objects.filter(
        consultation=consultation, user=user, lifted_at__isnull=True
    ).update(lifted_at=timezone.now())
    if lifted:
        # An UPDATE sends no post_save: the pages that show the block (the person's cached
        # facts, consultations.person_facts) must see it lifted at once.
        page_cache.bump_content_version()
        audit_record(
            consultation=consultation,
            actor=actor,
            action=ModerationVerb.UNBLOCK,
            user=user,
            public_reason=(reason or "").strip(),
        )
    return lifted


# --------------------------------------------------------------------------- answers
def _clean_answer(status: str, answer: str) -> str:
    """The answer's text, refused when the status is unknown or needs a reason it lacks."""
    if status not in ProposalStatus.values:
        raise ValidationError(_("Scegli uno stato valido per la proposta."))
    answer = (answer or "").strip()
    if status == ProposalStatus.REJECTED and not answer:
        raise ValidationError(_("Per una proposta non accolta scrivi la motivazione."))
    if status in REASON_REQUIRED and not answer:
        raise ValidationError(_("Scrivi la risposta ufficiale: sarà pubblica."))
    if len(answer) > 5000:
        raise ValidationError(_("La risposta può essere lunga al massimo 5.000 caratteri."))
    return answer


def _check_merge_target(proposal: Proposal, merged_into: Proposal | None) -> None:
    if merged_into is None:
        raise ValidationError(_("Scegli la proposta con cui unire questa."))
    if merged_into.pk == proposal.pk:
        raise ValidationError(_("Una proposta non può essere unita a se stessa."))
    if merged_into.consultation_id != proposal.consultation_id:
        raise ValidationError(_("Si possono unire solo proposte della stessa consultazione."))
    if merged_into.status == ProposalStatus.MERGED:
        raise ValidationError(_("La proposta scelta è già unita a un'altra: scegli quella finale."))


def _in_change_set(proposal: Proposal) -> bool:
    """Whether ``proposal`` is an amendment waiting in an action's change set."""
    return (
        proposal.kind == ProposalKind.AMENDMENT
        and Amendment.objects.filter(
            proposal_id=proposal.pk,
            state__in=[AmendmentState.MERGED, AmendmentState.CONFLICT],
        ).exists()
    )


@transaction.atomic
def proposal_answer(
    *,
    actor: User,
    proposal: Proposal,
    status: str,
    answer: str = "",
    merged_into: Proposal | None = None,
    confirm_unchanged: bool = False,
) -> StatusChange:
    """Give the official answer: a status and a public text, kept in the status history.

    "Non accolta" needs a reason; "unita a un'altra" needs the target proposal. A new status
    with the very text of the previous answer needs ``confirm_unchanged`` (an answer written
    for another status is rarely right for this one), and so does an empty answer, with the same
    status, that would remove the published one (the answer form starts empty). "Integrata nel testo dell'azione" is
    reached only by publishing the amendment (``proposals.amendments.services``). The author
    is notified after commit.
    """
    require_moderator(actor, proposal.consultation)
    answer = _clean_answer(status, answer)
    proposal = (
        Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
    )
    if proposal.visibility == Visibility.WITHDRAWN:
        raise ValidationError(_("La proposta è stata ritirata da chi l'ha scritta."))
    if status == ProposalStatus.INCORPORATED and proposal.status != status:
        raise ValidationError(
            _(
                "Una proposta diventa «integrata nel testo dell'azione» solo quando la modifica "
                "che la contiene viene pubblicata."
            )
        )
    if status != proposal.status and _in_change_set(proposal):
        raise ValidationError(
            _(
                "L'emendamento è nella modifica al testo dell'azione in preparazione: lo stato "
                "cambia quando la modifica viene pubblicata (puoi cambiare solo il testo della "
                "risposta)."
            )
        )
    if status != proposal.status and answer and answer == proposal.answer and not confirm_unchanged:
        raise ValidationError(ANSWER_UNCHANGED, code=ANSWER_UNCHANGED_CODE)
    if status == proposal.status and not answer and proposal.answer and not confirm_unchanged:
        raise ValidationError(ANSWER_REMOVED, code=ANSWER_UNCHANGED_CODE)
    if status == ProposalStatus.MERGED:
        _check_merge_target(proposal, merged_into)
    else:
        merged_into = None
    if (
        proposal.status == status
        and proposal.answer == answer
        and proposal.merged_into_id == (merged_into.pk if merged_into else None)
    ):
        raise ValidationError(_("Non hai cambiato né lo stato né la risposta."))
    change = proposal_transition(
        proposal=proposal,
        actor=actor,
        status=status,
        answer=answer,
        merged_into=merged_into,
        verb=ModerationVerb.ANSWER if answer else ModerationVerb.STATUS,
    ).status_change
    if proposal.author_id is not None:
        _on_commit_task(notify_proposal_answered, change.pk)
    return change


def proposal_merge(*, actor: User, proposal: Proposal, into: Proposal, answer: str) -> StatusChange:
    """Mark ``proposal`` as a duplicate merged into ``into`` (its supports stay its own)."""
    return proposal_answer(
        actor=actor,
        proposal=proposal,
        status=ProposalStatus.MERGED,
        answer=answer,
        merged_into=into,
    )
