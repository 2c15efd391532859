"""Who took part in a consultation: participants by age band, gender, comune and altimetric
zone, and mountain beside plain.

Read from ``Participation`` snapshots (age band, gender, comune and altimetric zone copied when
the person first took part), so the figures survive account deletion. Small cells are
suppressed with the platform's one disclosure policy (:mod:`core.disclosure`): fewer than
five people is shown as "meno di 5", and a second cell is hidden when only one would be.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Gender
from consultations.models import AgeBand, ConsultationPage, Participation
from core.disclosure import is_small, suppress
from territory.models import AltimetricZone, Comune, MountainStatus

PER_RESIDENTS = 1000


def bar_step(percent: float) -> int:
    """A bar width rounded to a step of 5 (CSS classes ``psm-w-0`` … ``psm-w-100``)."""
    return max(0, min(100, int(round(percent / 5.0)) * 5))


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
        total_suppressed=is_small(total),
        dimensions=dimensions,
        mountain_vs_plain=_dimension(
            "mountain", _("Montagna e pianura a confronto"), side_by_side, total, True
        ),
    )
