"""Supports: one per person and proposal (``support`` and ``limited`` modes) or a whole
budget ballot (``budget`` mode). New totals are broadcast after the commit."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import rules as consultation_rules
from consultations.models import ConsultationPage, VoteMode
from consultations.services import participation_record, refuse_if
from core.ids import parse_ids
from proposals import rules as proposal_rules
from proposals.models import BudgetBallot, OfflineTally, Proposal, Vote
from realtime.broadcast import broadcast_event, group_name
from realtime.events import ProposalTotals


def support_total(proposal_id: int) -> int:
    votes = Vote.objects.filter(proposal_id=proposal_id).count()
    offline = (
        OfflineTally.objects.filter(proposal_id=proposal_id).aggregate(total=Sum("supports"))[
            "total"
        ]
        or 0
    )
    return votes + offline


def _broadcast_totals(consultation_id: int, proposal_ids) -> None:
    group = group_name("consultation", consultation_id)
    for proposal_id in sorted(set(proposal_ids)):
        broadcast_event(
            group, ProposalTotals(proposal=proposal_id, supports=support_total(proposal_id))
        )


def supports_left(*, consultation: ConsultationPage, voter) -> int | None:
    """Supports ``voter`` may still give in a limited-mode consultation (None: no limit)."""
    if consultation.vote_mode != VoteMode.LIMITED:
        return None
    used = Vote.objects.filter(proposal__consultation=consultation, voter=voter).count()
    return max((consultation.max_supports or 0) - used, 0)


@transaction.atomic
def vote_cast(*, proposal: Proposal, voter) -> int:
    """Support ``proposal``; returns its new total. Once per person (database constraint)."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    consultation = proposal.consultation
    refuse_if(proposal_rules.support_error(voter, proposal))
    participation = participation_record(consultation=consultation, user=voter)
    if consultation.vote_mode == VoteMode.LIMITED:
        # Serialise this person's supports in this consultation: lock their snapshot row.
        type(participation).objects.select_for_update().get(pk=participation.pk)
        left = supports_left(consultation=consultation, voter=voter)
        if not Vote.objects.filter(proposal=proposal, voter=voter).exists() and left <= 0:
            raise ValidationError(
                _(
                    "Hai già dato tutti i %(n)s sostegni a disposizione: per sostenere questa "
                    "proposta ritira prima un altro sostegno."
                )
                % {"n": consultation.max_supports or 0}
            )
    try:
        with transaction.atomic():
            Vote.objects.create(proposal=proposal, voter=voter)
    except IntegrityError:
        raise ValidationError(_("Hai già sostenuto questa proposta.")) from None
    _broadcast_totals(consultation.pk, [proposal.pk])
    return support_total(proposal.pk)


@transaction.atomic
def vote_withdraw(*, proposal: Proposal, voter) -> int:
    """Take a support back while voting is open; returns the new total."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    consultation = proposal.consultation
    refuse_if(consultation_rules.vote_error(voter, consultation))
    if consultation.vote_mode == VoteMode.BUDGET:
        raise ValidationError(_("In questa consultazione si vota con la scheda di bilancio."))
    deleted, _detail = Vote.objects.filter(proposal=proposal, voter=voter).delete()
    if not deleted:
        raise ValidationError(_("Non avevi sostenuto questa proposta."))
    _broadcast_totals(consultation.pk, [proposal.pk])
    return support_total(proposal.pk)


@transaction.atomic
def budget_ballot_submit(
    *, consultation: ConsultationPage, voter, proposal_ids
) -> BudgetBallot | None:
    """Replace the person's whole budget ballot in one transaction.

    The chosen proposals must be published, priced and fit the total budget together. An empty
    choice removes the ballot. Changes are allowed until voting closes.
    """
    refuse_if(consultation_rules.vote_error(voter, consultation))
    if consultation.vote_mode != VoteMode.BUDGET:
        raise ValidationError(_("Questa consultazione non prevede il voto di bilancio."))
    ids = parse_ids(proposal_ids)
    if ids is None:
        raise ValidationError(_("La scelta inviata non è valida."))
    wanted = sorted(ids)
    proposals = list(Proposal.objects.filter(consultation=consultation, pk__in=wanted).published())
    if len(proposals) != len(wanted):
        raise ValidationError(
            _("Una delle proposte scelte non è più disponibile: controlla la tua scelta.")
        )
    unpriced = [p.title for p in proposals if p.cost is None]
    if unpriced:
        raise ValidationError(
            _("La proposta «%(title)s» non ha ancora un costo stimato.") % {"title": unpriced[0]}
        )
    total = sum((p.cost for p in proposals), Decimal("0"))
    budget = consultation.total_budget or Decimal("0")
    if total > budget:
        raise ValidationError(
            _("La tua scelta costa %(total)s €, più del budget di %(budget)s €.")
            % {"total": total, "budget": budget}
        )
    participation_record(consultation=consultation, user=voter)
    ballot, _created = BudgetBallot.objects.get_or_create(consultation=consultation, voter=voter)
    ballot = BudgetBallot.objects.select_for_update().get(pk=ballot.pk)  # one writer per person
    before = set(ballot.votes.values_list("proposal_id", flat=True))
    Vote.objects.filter(ballot=ballot).delete()
    if not proposals:
        ballot.delete()
        _broadcast_totals(consultation.pk, before)
        return None
    Vote.objects.bulk_create([Vote(proposal=p, voter=voter, ballot=ballot) for p in proposals])
    ballot.submitted_at = timezone.now()
    ballot.save(update_fields=["submitted_at"])
    _broadcast_totals(consultation.pk, before | {p.pk for p in proposals})
    return ballot
