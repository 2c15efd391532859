"""What facilitators record from in-person meetings: proposals collected on paper and
supports counted by hand, published as "in presenza" and kept apart in the totals."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.models import ConsultationPage
from proposals.models import (
    ModerationVerb,
    OfflineTally,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Source,
    StatusChange,
    Visibility,
)
from proposals.moderation.services import audit_record, require_moderator

MAX_OFFLINE_SUPPORTS = 100_000


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
    require_moderator(actor, consultation)
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
    audit_record(
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
    require_moderator(actor, consultation)
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
    audit_record(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.OFFLINE_RECORD,
        proposal=proposal,
        public_reason=_("%(n)s sostegni raccolti in presenza a %(place)s il %(day)s.")
        % {"n": supports, "place": place, "day": meeting_date.strftime("%d/%m/%Y")},
    )
    return tally
