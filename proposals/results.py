"""Results of a consultation: the ranking of its proposals with totals per vote mode, the
answers, and (from :mod:`consultations.statistics`) who took part.

Selectors only (reads), a fixed number of queries whatever the number of proposals or
participants. The results page, the exports and the API all read from here, so they show
the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from consultations.models import ConsultationPage, Verb, VoteMode
from consultations.statistics import bar_step, participation_statistics
from core.disclosure import MIN_CELL, is_small
from proposals.models import (
    BudgetBallot,
    Proposal,
    ProposalStatus,
    ResultsSnapshot,
    StatusChange,
    Visibility,
    Vote,
    ballot_error,
    valuation_of,
)


# --------------------------------------------------------------------------- visibility
def results_are_public(
    consultation: ConsultationPage, now: datetime.datetime | None = None
) -> bool:
    """Public once a results phase has started (and stays so afterwards)."""
    return consultation.has_started_phase(Verb.READ_ANSWERS, now)


def results_are_final(consultation: ConsultationPage, now: datetime.datetime | None = None) -> bool:
    """Public and no vote open any more: from here on the results are a frozen record."""
    return results_are_public(consultation, now) and not consultation.allows(Verb.VOTE, now)


def can_see_results(*, user, consultation: ConsultationPage, now=None) -> bool:
    return results_are_public(consultation, now) or user.has_perm(
        "consultations.moderate", consultation
    )


# --------------------------------------------------------------------------- ranking
@dataclass
class RankedProposal:
    position: int
    proposal: Proposal
    online: int
    offline: int
    total: int
    cost: Decimal | None = None
    funded: bool = False
    share: float = 0.0  # of the highest total, for the bar width (0–100)
    withdrawn_after_publication: bool = False

    @property
    def bar(self) -> int:
        return bar_step(self.share)

    @property
    def author_name(self) -> str:
        if self.proposal.author is None:
            return str(_("Proposta raccolta in presenza"))
        return self.proposal.author.public_name


@dataclass
class Ranking:
    consultation: ConsultationPage
    vote_mode: str
    rows: list[RankedProposal]
    online_total: int
    offline_total: int
    voters: int
    ballots: int = 0
    budget: Decimal | None = None
    funded_cost: Decimal = Decimal("0")

    @property
    def total(self) -> int:
        return self.online_total + self.offline_total

    @property
    def voters_suppressed(self) -> bool:
        """How many people voted is a count of people: below five it is not published."""
        return is_small(self.voters)

    @property
    def budget_left(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget - self.funded_cost


def ranking(*, consultation: ConsultationPage) -> Ranking:
    """The ranking as published: once the results are final (:func:`results_are_final`) the
    first reading stores it in a :class:`ResultsSnapshot` and every later reading shows that
    record, so withdrawing a proposal afterwards cannot change the ranking, the totals or the
    funding; the proposal stays listed, marked "ritirata dopo la pubblicazione". Before that the
    ranking is computed live (:func:`live_ranking`)."""
    if not results_are_final(consultation):
        return live_ranking(consultation=consultation)
    snapshot = ResultsSnapshot.objects.filter(consultation=consultation).first()
    if snapshot is None:
        snapshot, _created = ResultsSnapshot.objects.get_or_create(
            consultation=consultation,
            defaults={"data": _frozen(live_ranking(consultation=consultation))},
        )
    return _thawed(consultation, snapshot.data)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _frozen(result: Ranking) -> dict:
    return {
        "rows": [
            {
                "proposal": row.proposal.pk,
                "position": row.position,
                "online": row.online,
                "offline": row.offline,
                "total": row.total,
                "cost": _money(row.cost),
                "funded": row.funded,
                "share": row.share,
            }
            for row in result.rows
        ],
        "online_total": result.online_total,
        "offline_total": result.offline_total,
        "voters": result.voters,
        "ballots": result.ballots,
        "budget": _money(result.budget),
        "funded_cost": _money(result.funded_cost),
    }


def _thawed(consultation: ConsultationPage, data: dict) -> Ranking:
    """The stored record with today's proposals: a withdrawn one keeps its row with a note; one
    hidden by moderation since (or deleted) loses its row but not its share of the totals."""
    proposals = (
        Proposal.objects.filter(
            pk__in=[row["proposal"] for row in data["rows"]],
            visibility__in=[Visibility.PUBLISHED, Visibility.WITHDRAWN],
        )
        .select_related("author", "category", "comune", "merged_into", "valuation")
        .in_bulk()
    )
    rows = [
        RankedProposal(
            position=row["position"],
            proposal=proposals[row["proposal"]],
            online=row["online"],
            offline=row["offline"],
            total=row["total"],
            cost=None if row["cost"] is None else Decimal(row["cost"]),
            funded=row["funded"],
            share=row["share"],
            withdrawn_after_publication=(
                proposals[row["proposal"]].visibility == Visibility.WITHDRAWN
            ),
        )
        for row in data["rows"]
        if row["proposal"] in proposals
    ]
    return Ranking(
        consultation=consultation,
        vote_mode=consultation.vote_mode,
        rows=rows,
        online_total=data["online_total"],
        offline_total=data["offline_total"],
        voters=data["voters"],
        ballots=data["ballots"],
        budget=None if data["budget"] is None else Decimal(data["budget"]),
        funded_cost=Decimal(data["funded_cost"]),
    )


def live_ranking(*, consultation: ConsultationPage) -> Ranking:
    """Published proposals by supports (online + in presenza), most supported first.

    In budget mode the proposals are funded in ranking order while the budget lasts
    (a proposal that does not fit is skipped and the next ones are still tried), at their
    official cost; only proposals on the ballot (:func:`proposals.models.ballot_error`: valued
    feasible, not rejected or merged) with at least one support can be funded. The rule is
    the one the consultation publishes (``Eligibility.rules_in_words``).
    """
    proposals = list(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.PUBLISHED)
        .annotate_support_count()
        .select_related("author", "category", "comune", "merged_into", "valuation")
        .order_by("-support_count", "-online_support_count", "created_at", "pk")
    )
    voters = (
        Vote.objects.filter(
            proposal__consultation=consultation, proposal__visibility=Visibility.PUBLISHED
        ).aggregate(n=Count("voter", distinct=True))["n"]
        or 0
    )
    ballots = 0
    if consultation.vote_mode == VoteMode.BUDGET:
        ballots = BudgetBallot.objects.filter(consultation=consultation).count()
    top = max((p.support_count for p in proposals), default=0)
    rows: list[RankedProposal] = []
    budget = consultation.total_budget if consultation.vote_mode == VoteMode.BUDGET else None
    spent = Decimal("0")
    position = 0
    previous_total = None
    for index, proposal in enumerate(proposals, start=1):
        if proposal.support_count != previous_total:
            position = index
            previous_total = proposal.support_count
        funded = False
        cost = proposal.cost
        fundable = False
        if budget is not None:
            valuation = valuation_of(proposal)
            cost = valuation.official_cost if valuation is not None else None
            fundable = ballot_error(proposal) is None and proposal.support_count > 0
        if fundable and spent + cost <= budget:
            funded = True
            spent += cost
        rows.append(
            RankedProposal(
                position=position,
                proposal=proposal,
                online=proposal.online_support_count,
                offline=proposal.offline_support_count,
                total=proposal.support_count,
                cost=cost,
                funded=funded,
                share=round(100 * proposal.support_count / top, 1) if top else 0.0,
            )
        )
    return Ranking(
        consultation=consultation,
        vote_mode=consultation.vote_mode,
        rows=rows,
        online_total=sum(r.online for r in rows),
        offline_total=sum(r.offline for r in rows),
        voters=voters,
        ballots=ballots,
        budget=budget,
        funded_cost=spent,
    )


def status_summary(*, consultation: ConsultationPage) -> list[dict]:
    """How many published proposals are in each status (answers at a glance)."""
    counts = dict(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.PUBLISHED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {"status": status, "label": label, "count": counts.get(status, 0)}
        for status, label in ProposalStatus.choices
    ]


def answers(*, consultation: ConsultationPage) -> list[StatusChange]:
    """The public status history of the consultation's published proposals."""
    return list(
        StatusChange.objects.filter(
            proposal__consultation=consultation, proposal__visibility=Visibility.PUBLISHED
        )
        .select_related("proposal")
        .order_by("proposal_id", "changed_at", "pk")
    )


def results_context(*, consultation: ConsultationPage) -> dict:
    """Everything the results page shows (and the exports repeat)."""
    return {
        "consultation": consultation,
        "ranking": ranking(consultation=consultation),
        "status_summary": status_summary(consultation=consultation),
        "stats": participation_statistics(consultation=consultation),
        "MIN_CELL": MIN_CELL,
    }
