"""The proposal's state machine, declared as data, and the one audited way to move it.

A proposal has an official ``status`` (the answer it got) and a ``visibility`` (who can see
it). :data:`STATUS_TRANSITIONS` and :data:`VISIBILITY_TRANSITIONS` list every allowed change
(a status may stay the same when only the answer text changes; published content may be
"restored" to close its reports). :func:`proposal_transition` refuses any other pair with a
``ValidationError`` and writes nothing; an allowed change saves the proposal, adds a row to
the public status history (status changes) and, for facilitators' acts, a
:class:`~proposals.models.ModerationAction` audit row. Answers, merges, withdrawals, hiding
and restoring all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import (
    ModerationAction,
    Proposal,
    ProposalStatus,
    StatusChange,
    Visibility,
)

S = ProposalStatus
V = Visibility

STATUS_TRANSITIONS: dict[str, set[str]] = {
    S.IN_REVIEW: {S.IN_REVIEW, S.ACCEPTED, S.REJECTED, S.IMPLEMENTED, S.MERGED},
    S.ACCEPTED: {S.ACCEPTED, S.IN_REVIEW, S.REJECTED, S.IMPLEMENTED, S.MERGED, S.INCORPORATED},
    S.REJECTED: {S.REJECTED, S.IN_REVIEW, S.ACCEPTED, S.MERGED},
    S.IMPLEMENTED: {S.IMPLEMENTED, S.ACCEPTED},
    S.MERGED: {S.MERGED, S.IN_REVIEW},
    # Only the publication of an amendment's change set reaches it (the answer may change).
    S.INCORPORATED: {S.INCORPORATED},
}
VISIBILITY_TRANSITIONS: dict[str, set[str]] = {
    V.PENDING: {V.PUBLISHED, V.HIDDEN, V.WITHDRAWN},
    V.PUBLISHED: {V.PUBLISHED, V.HIDDEN, V.WITHDRAWN},
    V.HIDDEN: {V.HIDDEN, V.PUBLISHED, V.WITHDRAWN},
    V.WITHDRAWN: set(),
}


@dataclass(frozen=True)
class Transition:
    proposal: Proposal
    status_change: StatusChange | None = None
    action: ModerationAction | None = None


def _refuse(labels, current: str, wanted: str) -> None:
    raise ValidationError(
        _("Non è possibile passare da «%(from)s» a «%(to)s».")
        % {"from": labels(current).label, "to": labels(wanted).label}
    )


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    actor,
    status: str | None = None,
    answer: str = "",
    merged_into: Proposal | None = None,
    visibility: str | None = None,
    reason: str = "",
    verb: str | None = None,
) -> Transition:
    """Change ``status`` (with its public ``answer``) and/or ``visibility`` of ``proposal``.

    ``reason`` is the public reason of a visibility change (kept as ``hidden_reason`` when
    hiding). ``verb`` (a ``ModerationVerb``) records the act in the moderation audit log; a
    withdrawal by the author passes none.
    """
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=proposal.pk)
    )
    if status is not None and status not in STATUS_TRANSITIONS.get(locked.status, ()):
        _refuse(ProposalStatus, locked.status, status)
    if visibility is not None and visibility not in VISIBILITY_TRANSITIONS.get(
        locked.visibility, ()
    ):
        _refuse(Visibility, locked.visibility, visibility)
    now = timezone.now()
    fields = ["updated_at"]
    previous_status = locked.status
    if status is not None:
        locked.status = status
        locked.answer = answer
        locked.merged_into = merged_into if status == ProposalStatus.MERGED else None
        locked.answered_at = now
        locked.answered_by = actor
        fields += ["status", "answer", "merged_into", "answered_at", "answered_by"]
    if visibility is not None:
        locked.visibility = visibility
        fields.append("visibility")
        if visibility == Visibility.HIDDEN:
            locked.hidden_reason = reason
            fields.append("hidden_reason")
        elif visibility == Visibility.PUBLISHED:
            locked.hidden_reason = ""
            locked.published_at = locked.published_at or now
            fields += ["hidden_reason", "published_at"]
    locked.save(update_fields=fields)
    change = None
    if status is not None:
        change = StatusChange.objects.create(
            proposal=locked,
            from_status=previous_status,
            to_status=status,
            answer=answer,
            changed_by=actor,
            changed_at=now,
        )
    action = None
    if verb is not None:
        action = ModerationAction.objects.create(
            consultation=locked.consultation,
            actor=actor,
            action=verb,
            proposal=locked,
            user=locked.author,
            public_reason=answer if status is not None else reason,
        )
    for name in fields:
        setattr(proposal, name, getattr(locked, name))
    return Transition(proposal=locked, status_change=change, action=action)
