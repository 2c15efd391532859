"""Who took part in a consultation: participants by age band, gender, comune and altimetric
zone, and mountain beside plain.

Read from ``Participation`` snapshots (age band, gender, comune and altimetric zone copied when
the person first took part), so the figures survive account deletion. Every figure goes through
the platform's one disclosure policy (:func:`core.disclosure.protect`): small groups and the
groups hidden to protect them are shown as "riservato", and no hidden figure can be worked out by
subtracting published ones, across dimensions (a zone against its comuni, mountain against
plain) and against the total.

The territory is cut into strata (altimetric zone × mountain or not): a zone and the mountain
and plain figures are sums of strata, so the policy protects the strata table with its margins.
Inside a published stratum a comune is named only with at least five participants; the others
are counted together under "altri comuni" of the stratum, and that line is itself at least five
(the smallest named comuni join it until it is) and covers at least two comuni.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Gender
from consultations.models import AgeBand, ConsultationPage, Participation
from core.disclosure import MIN_CELL, Figure, is_small, protect
from territory.models import AltimetricZone, Comune, MountainStatus

PER_RESIDENTS = 1000
#: How every hidden figure is shown (small or hidden to protect a small one: the same mark).
HIDDEN_MARK = _("riservato")
MOUNTAIN, PLAIN = "mountain", "plain"
OUTSIDE = ("outside",)


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
        return str(HIDDEN_MARK) if self.suppressed else str(self.count)

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
    dimension = Dimension(
        key=key, title=str(title), cells=cells, per_residents=per_residents, total=total
    )
    dimension.max_rate = max((c.rate or 0 for c in cells), default=0)
    dimension.set_bars()
    return dimension


def _protect_flat(cells: list[Cell], total: int) -> None:
    """A one-way table (age bands, genders): its cells partition the total."""
    figures = [
        Figure(key=c.key, atoms=frozenset([c.key]), count=c.count, listed=True) for c in cells
    ]
    figures.append(Figure(key=None, atoms=frozenset(c.key for c in cells), count=total))
    protect(figures)
    for cell, figure in zip(cells, figures, strict=False):
        cell.suppressed = figure.hidden


@dataclass
class ParticipationStats:
    total: int
    total_suppressed: bool
    dimensions: list[Dimension]
    mountain_vs_plain: Dimension

    @property
    def shown_total(self) -> str:
        return str(_("meno di 5")) if self.total_suppressed else str(self.total)


def _group(mountain_status: str | None) -> str | None:
    if mountain_status in (MountainStatus.TOTALLY, MountainStatus.PARTLY):
        return MOUNTAIN
    return PLAIN if mountain_status == MountainStatus.NOT else None


def _named_comuni(comuni: list[dict], in_stratum: int) -> tuple[list[dict], int]:
    """The comuni of one stratum that may be named, and how many people the others hold.

    Named: at least ``MIN_CELL``; the rest ("altri comuni") is 0 or at least ``MIN_CELL`` and
    spread over at least two comuni of the territory, else the smallest named comune joins it."""
    named = sorted((c for c in comuni if c["n"] >= MIN_CELL), key=lambda c: (c["n"], c["name"]))
    rest = sum(c["n"] for c in comuni) - sum(c["n"] for c in named)
    while rest and (rest < MIN_CELL or in_stratum - len(named) < 2) and named:
        rest += named.pop(0)["n"]
    return sorted(named, key=lambda c: c["name"]), rest


def _stratum_cells(stratum: tuple, comuni: list[dict], territory: dict) -> list[Cell]:
    """A published stratum's lines: its named comuni and, if any, its "altri comuni"."""
    named, rest = _named_comuni(comuni, territory["comuni"])
    cells = [
        Cell(key=c["id"], label=c["name"], count=c["n"], residents=c["residents"]) for c in named
    ]
    if rest:
        zone, group = stratum
        cells.append(
            Cell(
                key=f"altri-{zone}-{group}",
                label=str(_("altri comuni: %(zone)s, %(group)s"))
                % {
                    "zone": dict(AltimetricZone.choices).get(zone, "—"),
                    "group": _("montani") if group == MOUNTAIN else _("non montani"),
                },
                count=rest,
                residents=(territory["residents"] - sum(c["residents"] or 0 for c in named))
                or None,
            )
        )
    return cells


def _geography(rows, total: int) -> tuple[list[Cell], list[Cell], list[Cell]]:
    """Zone, comune and mountain/plain cells, protected together (one query on the territory)."""

    territory = defaultdict(lambda: {"residents": 0, "comuni": 0})
    for zone, status, residents, comuni in (
        Comune.objects.values_list("altimetric_zone", "mountain_status")
        .annotate(p=Sum("population"), c=Count("pk"))
        .order_by()
    ):
        stratum = (zone, _group(status))
        territory[stratum]["residents"] += residents or 0
        territory[stratum]["comuni"] += comuni
    by_stratum: dict[tuple, list[dict]] = defaultdict(list)
    outside = 0
    for row in rows:
        if row["comune_id"] is None:
            outside += row["n"]
            continue
        stratum = (row["comune__altimetric_zone"], _group(row["comune__mountain_status"]))
        by_stratum[stratum].append(
            {
                "id": row["comune_id"],
                "name": row["comune__name"],
                "n": row["n"],
                "residents": row["comune__population"],
            }
        )
    strata = sorted(set(territory) | set(by_stratum), key=repr)
    count = {s: sum(c["n"] for c in by_stratum.get(s, [])) for s in strata}
    figures = {s: Figure(key=s, atoms=frozenset([s]), count=count[s]) for s in strata}
    figures[OUTSIDE] = Figure(key=OUTSIDE, atoms=frozenset([OUTSIDE]), count=outside, listed=True)
    zones = [z for z, _label in AltimetricZone.choices if any(s[0] == z for s in territory)]
    for zone in zones:
        atoms = frozenset(s for s in strata if s[0] == zone)
        figures[("zone", zone)] = Figure(("zone", zone), atoms, sum(count[s] for s in atoms))
    for group in (MOUNTAIN, PLAIN):
        atoms = frozenset(s for s in strata if s[1] == group)
        figures[group] = Figure(group, atoms, sum(count[s] for s in atoms))
    figures["total"] = Figure("total", frozenset([*strata, OUTSIDE]), total)
    protect(list(figures.values()))

    zone_label = dict(AltimetricZone.choices)
    zone_cells = [
        Cell(
            key=str(zone),
            label=str(zone_label[zone]),
            count=figures[("zone", zone)].count,
            residents=sum(territory[s]["residents"] for s in strata if s[0] == zone) or None,
            suppressed=figures[("zone", zone)].hidden,
        )
        for zone in zones
    ]
    comune_cells = [
        cell
        for stratum in sorted(strata, key=lambda s: (s[0] or 0, s[1] or ""))
        if count[stratum] and not figures[stratum].hidden  # a hidden stratum names no comune
        for cell in _stratum_cells(stratum, by_stratum[stratum], territory[stratum])
    ]
    comune_cells.sort(key=lambda c: c.label)
    if outside:
        comune_cells.append(
            Cell(
                key="",
                label=str(_("fuori area o comune non indicato")),
                count=outside,
                suppressed=figures[OUTSIDE].hidden,
            )
        )
    status_residents = {
        group: sum(v["residents"] for s, v in territory.items() if s[1] == group) or None
        for group in (MOUNTAIN, PLAIN)
    }
    side_by_side = [
        Cell(
            key=MOUNTAIN,
            label=str(_("Comuni montani (totalmente o parzialmente)")),
            count=figures[MOUNTAIN].count,
            residents=status_residents[MOUNTAIN],
            suppressed=figures[MOUNTAIN].hidden,
        ),
        Cell(
            key=PLAIN,
            label=str(_("Comuni non montani")),
            count=figures[PLAIN].count,
            residents=status_residents[PLAIN],
            suppressed=figures[PLAIN].hidden,
        ),
    ]
    return zone_cells, comune_cells, side_by_side


def participation_statistics(*, consultation: ConsultationPage) -> ParticipationStats:
    """Participants by age band, gender, comune and altimetric zone (per 1,000 residents),
    and mountain beside plain, protected by the one disclosure policy. Five queries."""
    rows = Participation.objects.filter(consultation=consultation)
    total = rows.count()

    by_age = dict(rows.values_list("age_band").annotate(n=Count("pk")).order_by())
    age_cells = [Cell(key=k, label=str(v), count=by_age.get(k, 0)) for k, v in AgeBand.choices]
    _protect_flat(age_cells, total)

    by_gender = dict(rows.values_list("gender").annotate(n=Count("pk")).order_by())
    gender_cells = [Cell(key=k, label=str(v), count=by_gender.get(k, 0)) for k, v in Gender.choices]
    gender_cells.append(Cell(key="", label=str(_("non indicato")), count=by_gender.get("", 0)))
    _protect_flat(gender_cells, total)

    by_comune = list(
        rows.values(
            "comune_id",
            "comune__name",
            "comune__population",
            "comune__mountain_status",
            "comune__altimetric_zone",
        )
        .annotate(n=Count("pk"))
        .order_by("comune__name")
    )
    zone_cells, comune_cells, side_by_side = _geography(by_comune, total)

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
