"""Results of a consultation: ranking with totals per vote mode, and who took part.

Selectors only (reads), a fixed number of queries whatever the number of proposals or
participants. The results page, the exports and the API all read from here, so they show
the same figures.

Participation statistics come from ``Participation`` snapshots (age band, gender, comune and
altimetric zone copied when the person first took part), so they survive account deletion.
Any cell counting fewer than :data:`MIN_CELL` people is suppressed ("meno di 5"); when a
dimension has exactly one suppressed cell, the next smallest is suppressed too, so the hidden
figure cannot be worked out from the total.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Gender
from consultations.models import AgeBand, ConsultationPage, Participation, Verb, VoteMode
from proposals.models import (
    BudgetBallot,
    Proposal,
    ProposalStatus,
    StatusChange,
    Visibility,
)
from territory.models import AltimetricZone, Comune, MountainStatus

MIN_CELL = 5
PER_RESIDENTS = 1000


def bar_step(percent: float) -> int:
    """A bar width rounded to a step of 5 (CSS classes ``psm-w-0`` … ``psm-w-100``)."""
    return max(0, min(100, int(round(percent / 5.0)) * 5))


# --------------------------------------------------------------------------- visibility
def results_are_public(
    consultation: ConsultationPage, now: datetime.datetime | None = None
) -> bool:
    """Public once a results phase has started (and stays so afterwards)."""
    now = now or timezone.now()
    return any(
        phase.allows(Verb.READ_ANSWERS) and phase.starts_at <= now
        for phase in consultation.ordered_phases()
    )


def can_see_results(*, user, consultation: ConsultationPage, now=None) -> bool:
    if results_are_public(consultation, now):
        return True
    return user.has_perm("consultations.moderate", consultation)


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
    def budget_left(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget - self.funded_cost


def ranking(*, consultation: ConsultationPage) -> Ranking:
    """Published proposals by supports (online + in presenza), most supported first.

    In budget mode the proposals are funded in ranking order while the budget lasts
    (a proposal that does not fit is skipped and the next ones are still tried).
    """
    from proposals.models import Vote

    proposals = list(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.PUBLISHED)
        .annotate_support_count()
        .select_related("author", "category", "comune", "merged_into")
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
        fundable = budget is not None and proposal.cost is not None and proposal.support_count > 0
        if fundable and spent + proposal.cost <= budget:
            funded = True
            spent += proposal.cost
        rows.append(
            RankedProposal(
                position=position,
                proposal=proposal,
                online=proposal.online_support_count,
                offline=proposal.offline_support_count,
                total=proposal.support_count,
                cost=proposal.cost,
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


# --------------------------------------------------------------------------- statistics
@dataclass
class Cell:
    key: str
    label: str
    count: int
    residents: int | None = None
    suppressed: bool = False
    bar: int = 0  # CSS bar width in steps of 5 (the value is always written as text)
    share: float | None = None  # percent of the dimension's participants

    @property
    def shown_count(self) -> str:
        return str(_("meno di 5")) if self.suppressed else str(self.count)

    @property
    def rate(self) -> float | None:
        """Participants per 1,000 residents (None when unknown or suppressed)."""
        if self.suppressed or not self.residents:
            return None
        return round(self.count * PER_RESIDENTS / self.residents, 3)

    def share_of(self, total: int) -> float | None:
        if self.suppressed or not total:
            return None
        return round(100 * self.count / total, 1)


@dataclass
class Dimension:
    key: str
    title: str
    cells: list[Cell]
    per_residents: bool = False
    total: int = 0
    max_rate: float = 0.0
    notes: list[str] = field(default_factory=list)

    def set_bars(self) -> None:
        for cell in self.cells:
            cell.share = cell.share_of(self.total)
            if self.per_residents:
                width = 100 * cell.rate / self.max_rate if cell.rate and self.max_rate else 0
            else:
                width = cell.share_of(self.total) or 0
            cell.bar = bar_step(width)


def suppress(cells: list[Cell], minimum: int = MIN_CELL) -> list[Cell]:
    """Mark cells with 1..minimum-1 people; add a second one if only one would be hidden."""
    small = [c for c in cells if 0 < c.count < minimum]
    for cell in small:
        cell.suppressed = True
    if len(small) == 1:
        others = sorted((c for c in cells if c.count >= minimum), key=lambda c: c.count)
        if others:
            others[0].suppressed = True
    return cells


def _dimension(key, title, cells, total, per_residents=False) -> Dimension:
    suppress(cells)
    dimension = Dimension(
        key=key, title=str(title), cells=cells, per_residents=per_residents, total=total
    )
    dimension.max_rate = max((c.rate or 0 for c in cells), default=0)
    dimension.set_bars()
    return dimension


@dataclass
class ParticipationStats:
    total: int
    total_suppressed: bool
    dimensions: list[Dimension]
    mountain_vs_plain: Dimension

    @property
    def shown_total(self) -> str:
        return str(_("meno di 5")) if self.total_suppressed else str(self.total)


def participation_statistics(*, consultation: ConsultationPage) -> ParticipationStats:
    """Participants by age band, gender, comune and altimetric zone (per 1,000 residents),
    and mountain beside plain. Five queries."""
    rows = Participation.objects.filter(consultation=consultation)
    total = rows.count()

    by_age = dict(rows.values_list("age_band").annotate(n=Count("pk")).order_by())
    age_cells = [Cell(key=k, label=str(v), count=by_age.get(k, 0)) for k, v in AgeBand.choices]

    by_gender = dict(rows.values_list("gender").annotate(n=Count("pk")).order_by())
    gender_cells = [Cell(key=k, label=str(v), count=by_gender.get(k, 0)) for k, v in Gender.choices]
    gender_cells.append(Cell(key="", label=str(_("non indicato")), count=by_gender.get("", 0)))

    by_comune = list(
        rows.filter(comune__isnull=False)
        .values("comune_id", "comune__name", "comune__population", "comune__mountain_status")
        .annotate(n=Count("pk"))
        .order_by("comune__name")
    )
    comune_cells = [
        Cell(
            key=row["comune_id"],
            label=row["comune__name"],
            count=row["n"],
            residents=row["comune__population"],
        )
        for row in by_comune
    ]
    outside = total - sum(c.count for c in comune_cells)
    if outside:
        comune_cells.append(
            Cell(key="", label=str(_("fuori area o comune non indicato")), count=outside)
        )

    # Residents per zone and per mountain status come from the whole territory.
    zone_residents = dict(
        Comune.objects.values_list("altimetric_zone").annotate(p=Sum("population")).order_by()
    )
    status_residents = dict(
        Comune.objects.values_list("mountain_status").annotate(p=Sum("population")).order_by()
    )
    by_zone = dict(
        rows.filter(altimetric_zone__isnull=False)
        .values_list("altimetric_zone")
        .annotate(n=Count("pk"))
        .order_by()
    )
    zone_cells = [
        Cell(key=str(k), label=str(v), count=by_zone.get(k, 0), residents=zone_residents.get(k))
        for k, v in AltimetricZone.choices
        if zone_residents.get(k)
    ]

    mountain_count = sum(
        row["n"]
        for row in by_comune
        if row["comune__mountain_status"] in (MountainStatus.TOTALLY, MountainStatus.PARTLY)
    )
    plain_count = sum(
        row["n"] for row in by_comune if row["comune__mountain_status"] == MountainStatus.NOT
    )
    mountain_residents = (status_residents.get(MountainStatus.TOTALLY) or 0) + (
        status_residents.get(MountainStatus.PARTLY) or 0
    )
    side_by_side = [
        Cell(
            key="mountain",
            label=str(_("Comuni montani (totalmente o parzialmente)")),
            count=mountain_count,
            residents=mountain_residents or None,
        ),
        Cell(
            key="plain",
            label=str(_("Comuni non montani")),
            count=plain_count,
            residents=status_residents.get(MountainStatus.NOT),
        ),
    ]

    dimensions = [
        _dimension("age", _("Per fascia d'età"), age_cells, total),
        _dimension("gender", _("Per genere"), gender_cells, total),
        _dimension("zone", _("Per zona altimetrica"), zone_cells, total, per_residents=True),
        _dimension("comune", _("Per comune"), comune_cells, total, per_residents=True),
    ]
    return ParticipationStats(
        total=total,
        total_suppressed=0 < total < MIN_CELL,
        dimensions=dimensions,
        mountain_vs_plain=_dimension(
            "mountain", _("Montagna e pianura a confronto"), side_by_side, total, True
        ),
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
