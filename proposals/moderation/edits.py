"""Authors' edits waiting for a moderator (pre-moderated consultations): approve publishes the
version's content, reject keeps the approved text public; both audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from proposals.models import (
    ModerationAction,
    ModerationVerb,
    Proposal,
    ProposalVersion,
    VersionState,
    Visibility,
)
from proposals.moderation.services import audit_record, require_moderator, require_reason
from proposals.services.versions import version_apply, version_discard


def _locked_pending(version: ProposalVersion) -> tuple[Proposal, ProposalVersion]:
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("consultation")
        .get(pk=version.proposal_id)
    )
    version = ProposalVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.PENDING:
        raise ValidationError(_("Questa modifica è già stata verificata o sostituita."))
    if proposal.visibility == Visibility.WITHDRAWN:
        raise ValidationError(_("La proposta è stata ritirata da chi l'ha scritta."))
    return proposal, version


@transaction.atomic
def proposal_edit_approve(*, actor: User, version: ProposalVersion) -> ModerationAction:
    """Publish an author's pending edit: the proposal takes the version's content."""
    require_moderator(actor, version.proposal.consultation)
    proposal, version = _locked_pending(version)
    version_apply(proposal=proposal, version=version, reviewer=actor)
    return audit_record(
        consultation=proposal.consultation,
        actor=actor,
        action=ModerationVerb.EDIT_APPROVE,
        proposal=proposal,
        user=proposal.author,
    )


@transaction.atomic
def proposal_edit_reject(*, actor: User, version: ProposalVersion, reason: str) -> ModerationAction:
    """Refuse an author's pending edit with a reason; the approved text stays public."""
    require_moderator(actor, version.proposal.consultation)
    reason = require_reason(reason, _("Scrivi il motivo per cui la modifica non viene approvata."))
    proposal, version = _locked_pending(version)
    version.proposal = proposal
    version_discard(version, state=VersionState.REJECTED, reviewer=actor)
    return audit_record(
        consultation=proposal.consultation,
        actor=actor,
        action=ModerationVerb.EDIT_REJECT,
        proposal=proposal,
        user=proposal.author,
        public_reason=reason,
    )
