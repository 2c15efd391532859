"""Supports: one per person and proposal (``support`` and ``limited`` modes) or a whole
budget ballot (``budget`` mode). New totals are broadcast after the commit."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import rules as consultation_rules
from consultations.models import ConsultationPage, VoteMode
from consultations.services import participation_ensure, participation_record, refuse_if
from core.errors import REFUSALS
from core.ids import parse_ids
from proposals import rules as proposal_rules
from proposals.models import (
    BudgetBallot,
    OfflineTally,
    Proposal,
    Visibility,
    Vote,
    ballot_error,
    official_cost,
)
from proposals.visibility import (
    refuse_unless_consultation_visible,
    refuse_unless_proposal_visible,
)
from proposals.vote_facts import proposal_for_vote
from psm.page_cache import bump_tallies_version
from realtime.broadcast import broadcast_coalesced, group_name
from realtime.events import ProposalsTotals, ProposalTotals


def total_sql(proposal: str) -> str:
    """A proposal's total (online votes plus in-person supports) as an SQL expression, for the
    proposal id ``proposal`` (a column, or ``%s`` twice bound): the sum that
    ``annotate_support_count`` gives a list, written out because every vote reads it (the
    annotated queryset took several times the query's own time to build)."""
    return (
        f"(SELECT COUNT(*) FROM {Vote._meta.db_table} WHERE proposal_id = {proposal})"  # noqa: S608, SLF001
        f" + COALESCE((SELECT SUM(supports) FROM {OfflineTally._meta.db_table}"  # noqa: SLF001
        f" WHERE proposal_id = {proposal}), 0)"
    )


def support_total(proposal_id: int) -> int:
    """Online votes plus in-person supports, in one query (:func:`total_sql`)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {total_sql('%s')}", [proposal_id, proposal_id])  # noqa: S608
        return int(cursor.fetchone()[0] or 0)


def support_totals(proposal_ids) -> dict[int, int]:
    """Online votes plus in-person supports of several proposals, in one plain query (the
    closing event of every burst of votes reads it: ``_totals_event``)."""
    ids = sorted({int(pk) for pk in proposal_ids})
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        "SELECT proposal_id, SUM(n) FROM ("  # noqa: S608 - table names from the models
        f"SELECT proposal_id, COUNT(*) AS n FROM {Vote._meta.db_table}"  # noqa: SLF001
        f" WHERE proposal_id IN ({marks}) GROUP BY proposal_id"
        f" UNION ALL SELECT proposal_id, SUM(supports) AS n FROM {OfflineTally._meta.db_table}"  # noqa: SLF001
        f" WHERE proposal_id IN ({marks}) GROUP BY proposal_id"
        ") counted GROUP BY proposal_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *ids])
        totals = {pk: int(total or 0) for pk, total in cursor.fetchall()}
    return {pk: totals.get(pk, 0) for pk in ids}


def _totals_event(consultation_id: int):
    """The event closing a burst of votes (``realtime.coalesce``): the totals read now."""

    def build(proposal_ids):
        totals = support_totals(proposal_ids)
        supports = {str(pk): totals.get(pk, 0) for pk in proposal_ids}
        return ProposalsTotals(consultation=consultation_id, supports=supports)

    return build


def _broadcast_totals(
    consultation_id: int, proposal_ids, known: dict | None = None, *, committed: bool = False
) -> None:
    """Each proposal's new total after the commit; a burst on one consultation goes out as at
    most one event per 100 ms (``realtime.broadcast.broadcast_coalesced``)."""
    group = group_name("consultation", consultation_id)
    known = known or {}
    trailing = _totals_event(consultation_id)
    for proposal_id in sorted(set(proposal_ids)):
        supports = known.get(proposal_id)
        if supports is None:
            supports = support_total(proposal_id)
        event = ProposalTotals(proposal=proposal_id, supports=supports)
        broadcast_coalesced(group, proposal_id, event, trailing, committed=committed)


def broadcast_stored_supports(totals: dict[tuple[int, int], int]) -> None:
    """Broadcast the new totals of supports stored and committed outside :func:`vote_cast`
    (the batches of ``proposals.support_writer``), given as ``{(consultation id, proposal id):
    new total}``."""
    by_consultation: dict[int, dict[int, int]] = {}
    for (consultation_id, proposal_id), total in totals.items():
        by_consultation.setdefault(consultation_id, {})[proposal_id] = total
    for consultation_id, known in by_consultation.items():
        _broadcast_totals(consultation_id, known, known=known, committed=True)


def _refuse_unless_supportable(proposal: Proposal, voter, viewer) -> None:
    refuse_unless_proposal_visible(viewer or voter, proposal)
    refuse_if(proposal_rules.support_error(voter, proposal))


def support_batchable(*, proposal: Proposal | None, voter, viewer) -> bool:
    """Whether :func:`vote_cast` would store this support with a plain ``INSERT``: a plain
    support consultation and nothing refused (the same checks, on the same cached facts). Then
    the person's participation is recorded too, and a caller may store the support in a batch
    (``proposals.quick_support`` with ``proposals.support_writer``); else it lets
    :func:`vote_cast` decide and explain."""
    if proposal is None or proposal.consultation.vote_mode != VoteMode.SUPPORT:
        return False
    try:
        _refuse_unless_supportable(proposal, voter, viewer)
    except REFUSALS:
        return False
    participation_ensure(consultation=proposal.consultation, user=voter)
    return True


def supports_left(*, consultation: ConsultationPage, voter) -> int | None:
    """Supports ``voter`` may still give in a limited-mode consultation (None: no limit)."""
    if consultation.vote_mode != VoteMode.LIMITED:
        return None
    used = Vote.objects.filter(proposal__consultation=consultation, voter=voter).count()
    return consultation.supports_left(used)


def vote_cast(*, proposal: Proposal, voter, viewer=None) -> int:
    """Support ``proposal``; returns its new total. Once per person (database constraint).

    ``viewer``: the request acting (view restrictions, ``proposals.visibility``); the voter
    alone when omitted. The path many phones take at once, kept lean: the proposal with the
    facts it is checked against from the cache (``proposals.vote_facts``: the view's copy
    within a request; never the caller's object, which may be stale), the participation row
    looked up only the first time (``participation_ensure``), then one ``INSERT``, which is
    its own transaction outside a caller's. ``limited`` mode locks the person's participation
    row and counts their supports in one transaction."""
    proposal = proposal_for_vote(proposal.pk)
    _refuse_unless_supportable(proposal, voter, viewer)
    consultation = proposal.consultation
    if consultation.vote_mode == VoteMode.LIMITED:
        _limited_vote(proposal=proposal, voter=voter)
    else:
        participation_ensure(consultation=consultation, user=voter)
        _insert_vote(proposal=proposal, voter=voter)
    total = support_total(proposal.pk)
    _broadcast_totals(consultation.pk, [proposal.pk], known={proposal.pk: total})
    return total


@transaction.atomic
def _limited_vote(*, proposal: Proposal, voter) -> None:
    """A support within the consultation's limit: this person's supports there are serialised
    on their participation row."""
    consultation = proposal.consultation
    participation = participation_record(consultation=consultation, user=voter)
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
    _insert_vote(proposal=proposal, voter=voter)


def _insert_vote(*, proposal: Proposal, voter) -> None:
    """One ``INSERT``. Outside a transaction it commits on its own (no ``BEGIN``/``COMMIT``
    round trips); inside a caller's, under a savepoint, so that a duplicate leaves the
    caller's transaction usable. A second support by the same person is refused by the
    database's unique constraint, whatever the timing."""
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                Vote.objects.create(proposal=proposal, voter=voter)
        else:
            Vote.objects.create(proposal=proposal, voter=voter)
    except IntegrityError:
        raise ValidationError(_("Hai già sostenuto questa proposta.")) from None


@transaction.atomic
def vote_withdraw(*, proposal: Proposal, voter, viewer=None) -> int:
    """Take a support back while voting is open; returns the new total."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    refuse_unless_proposal_visible(viewer or voter, proposal)
    consultation = proposal.consultation
    refuse_if(consultation_rules.vote_error(voter, consultation))
    if consultation.vote_mode == VoteMode.BUDGET:
        raise ValidationError(_("In questa consultazione si vota con la scheda di bilancio."))
    deleted, _detail = Vote.objects.filter(proposal=proposal, voter=voter).delete()
    if not deleted:
        raise ValidationError(_("Non avevi sostenuto questa proposta."))
    total = support_total(proposal.pk)
    _broadcast_totals(consultation.pk, [proposal.pk], known={proposal.pk: total})
    return total


@transaction.atomic
def budget_ballot_submit(
    *, consultation: ConsultationPage, voter, proposal_ids, viewer=None
) -> BudgetBallot | None:
    """Replace the person's whole budget ballot in one transaction.

    The chosen proposals must be on the ballot (published, not rejected, valued feasible:
    :func:`proposals.models.ballot_error`) and their official costs must fit the total budget
    together. An empty
    choice removes the ballot. Changes are allowed until voting closes.
    """
    refuse_unless_consultation_visible(viewer or voter, consultation)
    refuse_if(consultation_rules.vote_error(voter, consultation))
    if consultation.vote_mode != VoteMode.BUDGET:
        raise ValidationError(_("Questa consultazione non prevede il voto di bilancio."))
    ids = parse_ids(proposal_ids)
    if ids is None:
        raise ValidationError(_("La scelta inviata non è valida."))
    wanted = sorted(ids)
    proposals = list(
        Proposal.objects.filter(consultation=consultation, pk__in=wanted).select_related(
            "valuation"
        )
    )
    if len(proposals) != len(wanted) or any(
        p.visibility != Visibility.PUBLISHED for p in proposals
    ):
        raise ValidationError(
            _("Una delle proposte scelte non è più disponibile: controlla la tua scelta.")
        )
    refusals = [ballot_error(p) for p in proposals]
    refusal = next((r for r in refusals if r), None)
    if refusal:
        raise ValidationError(refusal)
    total = sum((official_cost(p) for p in proposals), Decimal("0"))
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
    bump_tallies_version()  # bulk_create sends no post_save: the cached pages' totals changed
    ballot.submitted_at = timezone.now()
    ballot.save(update_fields=["submitted_at"])
    _broadcast_totals(consultation.pk, before | {p.pk for p in proposals})
    return ballot
