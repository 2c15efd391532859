"""Facilitator-side services: reports, hiding and restoring, blocks, official answers,
merges, in-person participation and accepted amendments.

Every function checks on the server that ``actor`` may moderate the consultation
(:func:`can_moderate`), writes inside one transaction, leaves a :class:`ModerationAction`
audit row and queues notifications with ``on_commit``. Refusals raise
:class:`ModerationRefused` (a ``PermissionDenied``) and bad input raises ``ValidationError``,
both with a message in plain Italian.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from consultations.models import ConsultationPage, ParticipantBlock
from consultations.rules import is_facilitator_of
from proposals.models import (
    Comment,
    CommentVisibility,
    ModerationAction,
    ModerationVerb,
    OfflineTally,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Report,
    ReportReason,
    Source,
    StatusChange,
    Visibility,
)

#: Statuses that need a written public reason.
REASON_REQUIRED = {
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.IMPLEMENTED,
    ProposalStatus.MERGED,
}
MAX_OFFLINE_SUPPORTS = 100_000


class ModerationRefused(PermissionDenied):
    """The person may not do this; ``str(error)`` says why, in Italian."""


# --------------------------------------------------------------------------- permissions
def can_moderate(*, user, consultation: ConsultationPage) -> bool:
    """Facilitators with edit rights on the consultation page (its Wagtail subtree)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_facilitator_of(user, consultation)


def moderable_consultations(*, user):
    """Live and draft consultations ``user`` may moderate, newest first."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ConsultationPage.objects.none()
    if not (user.is_superuser or user.has_role(Role.FACILITATOR)):
        return ConsultationPage.objects.none()
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return ConsultationPage.objects.filter(pk__in=editable.values("pk")).order_by(
        "-first_published_at", "-pk"
    )


def _require_moderator(actor, consultation: ConsultationPage) -> None:
    if not can_moderate(user=actor, consultation=consultation):
        raise ModerationRefused(
            _(
                "Non puoi moderare questa consultazione: serve il ruolo di facilitatore/trice "
                "con i permessi su questa pagina."
            )
        )


def _require_reason(reason: str, message: str) -> str:
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


def _audit(
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


# --------------------------------------------------------------------------- reports
def _pending_reports(*, proposal=None, comment=None):
    rows = Report.objects.filter(resolved_at__isnull=True)
    return rows.filter(proposal=proposal) if proposal is not None else rows.filter(comment=comment)


@transaction.atomic
def report_create(
    *,
    reporter: User,
    reason: str,
    text: str = "",
    proposal: Proposal | None = None,
    comment: Comment | None = None,
) -> Report:
    """Flag a proposal or a comment. One pending report per person and content.

    When the pending reports of different people reach the consultation's
    ``report_threshold`` the content is hidden until a facilitator looks at it.
    """
    _one_target(proposal, comment)
    if reporter is None or not reporter.is_authenticated:
        raise ModerationRefused(_("Per segnalare un contenuto accedi o registrati."))
    if reason not in ReportReason.values:
        raise ValidationError(_("Scegli il motivo della segnalazione."))
    text = (text or "").strip()
    if reason == ReportReason.OTHER and not text:
        raise ValidationError(_("Spiega in poche parole il motivo della segnalazione."))
    if len(text) > 1000:
        raise ValidationError(_("La spiegazione può essere lunga al massimo 1.000 caratteri."))
    # Lock the target so concurrent reports count each other.
    if proposal is not None:
        target = (
            Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
        )
        if target.visibility != Visibility.PUBLISHED:
            raise ValidationError(_("Questa proposta non è visibile: non si può segnalare."))
        author = target.author
        proposal = target
    else:
        target = (
            Comment.objects.select_for_update()
            .select_related("proposal__consultation")
            .get(pk=comment.pk)
        )
        if not target.is_visible:
            raise ValidationError(_("Questo commento non è visibile: non si può segnalare."))
        author = target.author
        comment = target
    if author is not None and author.pk == reporter.pk:
        raise ValidationError(_("Non puoi segnalare un tuo contenuto."))
    existing = (
        _pending_reports(proposal=proposal, comment=comment).filter(reporter=reporter).first()
    )
    if existing is not None:
        return existing
    report = Report.objects.create(
        proposal=proposal, comment=comment, reporter=reporter, reason=reason, text=text
    )
    consultation = _consultation_of(proposal=proposal, comment=comment)
    reporters = _pending_reports(proposal=proposal, comment=comment).aggregate(
        n=Count("reporter", distinct=True)
    )["n"]
    if consultation.report_threshold and reporters >= consultation.report_threshold:
        _hide(
            consultation=consultation,
            actor=None,
            proposal=proposal,
            comment=comment,
            reason=_(
                "Nascosto in attesa di verifica: diverse persone lo hanno segnalato. "
                "Chi modera lo ripristinerà se rispetta le regole."
            ),
            resolve_reports=False,
        )
    return report


# --------------------------------------------------------------------------- hide / restore
def _hide(*, consultation, actor, proposal, comment, reason: str, resolve_reports: bool):
    target = proposal if proposal is not None else comment
    if proposal is not None:
        proposal.visibility = Visibility.HIDDEN
        proposal.hidden_reason = reason
        proposal.save(update_fields=["visibility", "hidden_reason", "updated_at"])
    else:
        comment.visibility = CommentVisibility.HIDDEN
        comment.hidden_reason = reason
        comment.save(update_fields=["visibility", "hidden_reason"])
    if resolve_reports:
        _pending_reports(proposal=proposal, comment=comment).update(
            resolved_at=timezone.now(), resolution=_("contenuto nascosto")[:200]
        )
    action = _audit(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.HIDE,
        proposal=proposal,
        comment=comment,
        user=target.author,
        public_reason=reason,
    )
    if target.author_id is not None:
        from proposals.tasks import notify_content_hidden

        _on_commit_task(notify_content_hidden, action.pk)
    return action


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
    _require_moderator(actor, consultation)
    reason = _require_reason(
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
        resolve_reports=True,
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
    _require_moderator(actor, consultation)
    reason = (reason or "").strip()
    now = timezone.now()
    was_pending = False
    if proposal is not None:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.visibility == Visibility.WITHDRAWN:
            raise ValidationError(_("La proposta è stata ritirata da chi l'ha scritta."))
        was_pending = proposal.visibility == Visibility.PENDING
        proposal.visibility = Visibility.PUBLISHED
        proposal.hidden_reason = ""
        proposal.published_at = proposal.published_at or now
        proposal.save(update_fields=["visibility", "hidden_reason", "published_at", "updated_at"])
        author = proposal.author
    else:
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            raise ValidationError(_("Il commento è stato cancellato da chi l'ha scritto."))
        comment.visibility = CommentVisibility.PUBLISHED
        comment.hidden_reason = ""
        comment.save(update_fields=["visibility", "hidden_reason"])
        author = comment.author
    _pending_reports(proposal=proposal, comment=comment).update(
        resolved_at=now, resolution=_("nessuna violazione: contenuto pubblico")[:200]
    )
    action = _audit(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.RESTORE,
        proposal=proposal,
        comment=comment,
        user=author,
        public_reason=reason,
    )
    if proposal is not None and was_pending and author is not None:
        from proposals.tasks import notify_proposal_published

        _on_commit_task(notify_proposal_published, action.pk)
    return action


# --------------------------------------------------------------------------- blocks
@transaction.atomic
def participant_block(
    *, actor: User, consultation: ConsultationPage, user: User, reason: str
) -> ParticipantBlock:
    """Suspend ``user`` from taking part in ``consultation`` (they can still read)."""
    _require_moderator(actor, consultation)
    reason = _require_reason(reason, _("Scrivi il motivo della sospensione."))
    if user.pk == actor.pk:
        raise ValidationError(_("Non puoi sospendere te stesso/a."))
    if can_moderate(user=user, consultation=consultation):
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
    _audit(
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
    _require_moderator(actor, consultation)
    lifted = ParticipantBlock.objects.filter(
        consultation=consultation, user=user, lifted_at__isnull=True
    ).update(lifted_at=timezone.now())
    if lifted:
        _audit(
            consultation=consultation,
            actor=actor,
            action=ModerationVerb.UNBLOCK,
            user=user,
            public_reason=(reason or "").strip(),
        )
    return lifted


# --------------------------------------------------------------------------- answers
@transaction.atomic
def proposal_answer(
    *,
    actor: User,
    proposal: Proposal,
    status: str,
    answer: str = "",
    merged_into: Proposal | None = None,
) -> StatusChange:
    """Give the official answer: a status and a public text, kept in the status history.

    "Non accolta" needs a reason; "unita a un'altra" needs the target proposal. The author
    is notified after commit.
    """
    _require_moderator(actor, proposal.consultation)
    if status not in ProposalStatus.values:
        raise ValidationError(_("Scegli uno stato valido per la proposta."))
    answer = (answer or "").strip()
    if status == ProposalStatus.REJECTED and not answer:
        raise ValidationError(_("Per una proposta non accolta scrivi la motivazione."))
    if status in REASON_REQUIRED and not answer:
        raise ValidationError(_("Scrivi la risposta ufficiale: sarà pubblica."))
    if len(answer) > 5000:
        raise ValidationError(_("La risposta può essere lunga al massimo 5.000 caratteri."))
    proposal = (
        Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
    )
    if proposal.visibility == Visibility.WITHDRAWN:
        raise ValidationError(_("La proposta è stata ritirata da chi l'ha scritta."))
    if status == ProposalStatus.MERGED:
        if merged_into is None:
            raise ValidationError(_("Scegli la proposta con cui unire questa."))
        if merged_into.pk == proposal.pk:
            raise ValidationError(_("Una proposta non può essere unita a se stessa."))
        if merged_into.consultation_id != proposal.consultation_id:
            raise ValidationError(_("Si possono unire solo proposte della stessa consultazione."))
        if merged_into.status == ProposalStatus.MERGED:
            raise ValidationError(
                _("La proposta scelta è già unita a un'altra: scegli quella finale.")
            )
    else:
        merged_into = None
    previous = proposal.status
    if (
        previous == status
        and proposal.answer == answer
        and proposal.merged_into_id == (merged_into.pk if merged_into else None)
    ):
        raise ValidationError(_("Non hai cambiato né lo stato né la risposta."))
    now = timezone.now()
    proposal.status = status
    proposal.answer = answer
    proposal.merged_into = merged_into
    proposal.answered_at = now
    proposal.answered_by = actor
    proposal.save(
        update_fields=[
            "status",
            "answer",
            "merged_into",
            "answered_at",
            "answered_by",
            "updated_at",
        ]
    )
    change = StatusChange.objects.create(
        proposal=proposal,
        from_status=previous,
        to_status=status,
        answer=answer,
        changed_by=actor,
        changed_at=now,
    )
    _audit(
        consultation=proposal.consultation,
        actor=actor,
        action=ModerationVerb.ANSWER if answer else ModerationVerb.STATUS,
        proposal=proposal,
        user=proposal.author,
        public_reason=answer,
    )
    if proposal.author_id is not None:
        from proposals.tasks import notify_proposal_answered

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


# --------------------------------------------------------------------------- in person
@transaction.atomic
def offline_proposal_record(
    *,
    actor: User,
    consultation: ConsultationPage,
    title: str,
    body: str,
    in_person_date: datetime.date,
    category=None,
    comune=None,
) -> Proposal:
    """A proposal collected at an in-person meeting, published as "in presenza"."""
    _require_moderator(actor, consultation)
    title = (title or "").strip()
    body = (body or "").strip()
    if not title or not body:
        raise ValidationError(_("Titolo e testo della proposta sono obbligatori."))
    if len(title) > 140:
        raise ValidationError(_("Il titolo può essere lungo al massimo 140 caratteri."))
    if in_person_date is None or in_person_date > timezone.localdate():
        raise ValidationError(_("Indica la data dell'incontro (non nel futuro)."))
    if category is not None and category.page_id != consultation.pk:
        raise ValidationError(_("La categoria non appartiene a questa consultazione."))
    now = timezone.now()
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=None,
        kind=ProposalKind.PROPOSAL,
        title=title,
        body=body,
        category=category,
        comune=comune,
        visibility=Visibility.PUBLISHED,
        source=Source.IN_PERSON,
        in_person_date=in_person_date,
        created_at=now,
        published_at=now,
    )
    StatusChange.objects.create(
        proposal=proposal,
        from_status="",
        to_status=ProposalStatus.IN_REVIEW,
        changed_by=actor,
        changed_at=now,
    )
    _audit(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.OFFLINE_RECORD,
        proposal=proposal,
        public_reason=_("Proposta raccolta in presenza il %(day)s.")
        % {"day": in_person_date.strftime("%d/%m/%Y")},
    )
    return proposal


@transaction.atomic
def offline_supports_record(
    *,
    actor: User,
    proposal: Proposal,
    supports: int,
    meeting_date: datetime.date,
    place: str,
) -> OfflineTally:
    """Supports counted by hand at a meeting; shown apart and added to the totals."""
    consultation = proposal.consultation
    _require_moderator(actor, consultation)
    if not isinstance(supports, int) or supports < 1 or supports > MAX_OFFLINE_SUPPORTS:
        raise ValidationError(_("Indica un numero di sostegni tra 1 e 100.000."))
    place = (place or "").strip()
    if not place:
        raise ValidationError(_("Indica il luogo dell'incontro."))
    if meeting_date is None or meeting_date > timezone.localdate():
        raise ValidationError(_("Indica la data dell'incontro (non nel futuro)."))
    if proposal.visibility != Visibility.PUBLISHED:
        raise ValidationError(_("Si possono registrare sostegni solo per proposte pubblicate."))
    tally = OfflineTally.objects.create(
        proposal=proposal,
        supports=supports,
        meeting_date=meeting_date,
        place=place[:160],
        recorded_by=actor,
    )
    _audit(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.OFFLINE_RECORD,
        proposal=proposal,
        public_reason=_("%(n)s sostegni raccolti in presenza a %(place)s il %(day)s.")
        % {"n": supports, "place": place, "day": meeting_date.strftime("%d/%m/%Y")},
    )
    return tally


# --------------------------------------------------------------------------- amendments
@transaction.atomic
def amendment_accept(*, actor: User, proposal: Proposal, answer: str):
    """Accept an amendment: a new DRAFT revision of the action with the amended text.

    Nothing is published: the editorial team reviews the draft in Wagtail and publishes it.
    The proposal becomes "accolta" and the audit row (``amendment_accept``) is what the
    action page lists as "hai proposto, abbiamo fatto".
    Returns the new revision.
    """
    _require_moderator(actor, proposal.consultation)
    if proposal.kind != ProposalKind.AMENDMENT or proposal.amended_action_id is None:
        raise ValidationError(_("Questa proposta non è un emendamento a un'azione."))
    if not (proposal.amended_text or "").strip():
        raise ValidationError(_("L'emendamento non contiene un testo per l'azione."))
    if proposal.visibility != Visibility.PUBLISHED:
        raise ValidationError(_("Si possono accogliere solo emendamenti pubblicati."))
    if ModerationAction.objects.filter(
        proposal=proposal, action=ModerationVerb.AMENDMENT_ACCEPT
    ).exists():
        raise ValidationError(_("Questo emendamento è già stato accolto."))
    answer = _require_reason(answer, _("Scrivi la risposta ufficiale: sarà pubblica."))
    action = proposal.amended_action.specific
    draft = action.get_latest_revision_as_object()
    draft.official_text = proposal.amended_text.strip()
    revision = draft.save_revision(user=actor, log_action=True)
    if proposal.status != ProposalStatus.ACCEPTED or proposal.answer != answer:
        proposal_answer(
            actor=actor, proposal=proposal, status=ProposalStatus.ACCEPTED, answer=answer
        )
    _audit(
        consultation=proposal.consultation,
        actor=actor,
        action=ModerationVerb.AMENDMENT_ACCEPT,
        proposal=proposal,
        user=proposal.author,
        public_reason=answer,
    )
    return revision


def amendments_accepted_for(*, action) -> list[ModerationAction]:
    """ "Hai proposto, abbiamo fatto": accepted amendments of ``action``, oldest first."""
    return list(
        ModerationAction.objects.filter(
            action=ModerationVerb.AMENDMENT_ACCEPT, proposal__amended_action=action
        )
        .select_related("proposal", "proposal__author", "consultation")
        .order_by("created_at", "pk")
    )


# --------------------------------------------------------------------------- queue (reads)
def moderation_queue(*, consultation: ConsultationPage) -> dict:
    """What waits for a facilitator in one consultation (a fixed number of queries)."""
    pending_reports = list(
        Report.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(proposal__consultation=consultation) | Q(comment__proposal__consultation=consultation)
        )
        .select_related(
            "proposal",
            "proposal__author",
            "comment",
            "comment__author",
            "comment__proposal",
            "reporter",
        )
        .order_by("created_at", "pk")
    )
    pending_proposals = list(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.PENDING)
        .select_related("author", "category")
        .order_by("created_at", "pk")
    )
    hidden_proposals = list(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.HIDDEN)
        .select_related("author")
        .order_by("-updated_at", "-pk")
    )
    hidden_comments = list(
        Comment.objects.filter(
            proposal__consultation=consultation, visibility=CommentVisibility.HIDDEN
        )
        .select_related("author", "proposal")
        .order_by("-created_at", "-pk")
    )
    blocks = list(
        ParticipantBlock.objects.filter(consultation=consultation, lifted_at__isnull=True)
        .select_related("user", "blocked_by")
        .order_by("-created_at")
    )
    return {
        "pending_reports": pending_reports,
        "pending_proposals": pending_proposals,
        "hidden_proposals": hidden_proposals,
        "hidden_comments": hidden_comments,
        "blocks": blocks,
    }


def answer_deadline(proposal: Proposal) -> datetime.datetime | None:
    start = proposal.published_at or proposal.created_at
    if start is None:
        return None
    return start + datetime.timedelta(days=proposal.consultation.answer_deadline_days)


def proposals_by_answer_deadline(*, user, now: datetime.datetime | None = None) -> list[dict]:
    """Published proposals still "in valutazione" without an answer, in the consultations
    ``user`` moderates, overdue first and then by deadline."""
    now = now or timezone.now()
    consultations = moderable_consultations(user=user)
    rows = (
        Proposal.objects.filter(
            consultation__in=consultations,
            visibility=Visibility.PUBLISHED,
            status=ProposalStatus.IN_REVIEW,
            answered_at__isnull=True,
        )
        .select_related("consultation")
        .order_by("published_at", "pk")
    )
    items = []
    for proposal in rows:
        deadline = answer_deadline(proposal)
        items.append(
            {
                "proposal": proposal,
                "deadline": deadline,
                "overdue": deadline is not None and deadline < now,
                "days_left": (deadline - now).days if deadline else None,
            }
        )
    items.sort(key=lambda item: (not item["overdue"], item["deadline"] or now))
    return items


def audit_log(*, consultation: ConsultationPage):
    return (
        ModerationAction.objects.filter(consultation=consultation)
        .select_related("actor", "proposal", "comment", "user")
        .order_by("-created_at", "-pk")
    )
