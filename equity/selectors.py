"""Participation across the territory, every source together, per 1,000 residents aged 14–35.

What is counted (docs/equity.md): each person's first participation in each consultation
(``consultations.Participation``); at a live workshop, the people its facilitator counted in
the room (``equity.WorkshopHeadcount``) or, where nobody counted, each device or person let in
(``workshops.Admission``); each proposal collected on paper or at an in-person meeting
(``proposals.Proposal`` with source "in presenza", not those made from workshop ideas, whose
people the workshop already counts) and each paper submission counted without being typed in
(``equity.PaperTally``); each application sent to the leadership programme. They are
participations, not people: one person in two consultations counts twice.

A workshop counts in the comune its facilitator named when creating the session
(``LiveSession.comune``), a headcount entry in the comune of residence it names if any;
without one (an online workshop, or nobody said) under "comune non indicato" and in the
totals, never in a guessed comune. An admission is a device (or a signed-in person) let in,
not a headcount of the room: that is why a headcount, once entered, replaces them.

Every figure goes through :func:`core.disclosure.protect`: the geography (comuni, zone
omogenee, altimetric zones) is one set of figures over the same atoms, so no hidden figure can
be worked out from a zone against its comuni; time × source is a second table that shares only
the grand total with it. Eight queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateField, F, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncQuarter
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from consultations.models import Participation
from consultations.statistics import Cell, bar_step
from core.disclosure import MIN_CELL, Figure, is_small, protect
from equity.models import PaperTally, WorkshopHeadcount
from leadership.models import Application
from proposals.models import Proposal, Source
from territory.models import AltimetricZone, Comune, ZonaOmogenea
from workshops.models import Admission, Idea

CONSULTATIONS, WORKSHOPS, PAPER, LEADERSHIP = "consultations", "workshops", "paper", "leadership"
SOURCES = (
    (CONSULTATIONS, _("Consultazioni online")),
    (WORKSHOPS, _("Laboratori dal vivo")),
    (PAPER, _("Proposte su carta o in presenza")),
    (LEADERSHIP, _("Candidature al programma di leadership")),
)
OUTSIDE = ("outside",)
UNASSIGNED = None  # a comune whose zona omogenea nobody has set yet
TOTAL = "total"


def _quarter(value) -> tuple[int, int] | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.year, (value.month - 1) // 3 + 1


def source_counts() -> dict[str, list[tuple[str | None, tuple[int, int] | None, int]]]:
    """Per source, ``(comune code or None, (year, quarter), count)``: six grouped queries.

    Workshops: a session with a headcount (``WorkshopHeadcount``, not withdrawn) counts the
    people its facilitator counted, each entry in its own comune or else the session's; a
    session without one counts its admissions. Paper: proposals typed in "in presenza" plus the
    paper submissions counted without typing them in (``PaperTally``)."""
    paper_date = Coalesce("in_person_date", TruncDate("created_at"), output_field=DateField())
    from_ideas = Idea.objects.filter(proposal__isnull=False).values("proposal_id")
    headcounts = WorkshopHeadcount.objects.active()
    counted_sessions = headcounts.values("session_id")
    querysets = {
        CONSULTATIONS: [
            Participation.objects.annotate(area=F("comune_id"), q=TruncQuarter("first_at"))
        ],
        WORKSHOPS: [
            Admission.objects.exclude(session__in=counted_sessions).annotate(
                area=F("session__comune_id"), q=TruncQuarter("session__created_at")
            ),
            headcounts.annotate(
                area=Coalesce("comune_id", "session__comune_id"),
                q=TruncQuarter("session__created_at"),
            ),
        ],
        PAPER: [
            Proposal.objects.filter(source=Source.IN_PERSON)
            .exclude(pk__in=from_ideas)
            .annotate(area=F("comune_id"), q=TruncQuarter(paper_date)),
            PaperTally.objects.active().annotate(
                area=F("comune_id"), q=TruncQuarter("collected_on")
            ),
        ],
        LEADERSHIP: [
            Application.objects.filter(submitted_at__isnull=False).annotate(
                area=F("comune_id"), q=TruncQuarter("submitted_at")
            )
        ],
    }
    counts = {}
    for key, sources in querysets.items():
        merged: dict = defaultdict(int)
        for queryset in sources:
            amount = (
                Sum("count") if queryset.model in (WorkshopHeadcount, PaperTally) else Count("pk")
            )
            rows = queryset.values("area", "q").annotate(n=amount).order_by()
            for row in rows:
                merged[(row["area"], _quarter(row["q"]))] += row["n"]
        counts[key] = [(place, quarter, n) for (place, quarter), n in merged.items()]
    return counts


# --------------------------------------------------------------------------- the dashboard
@dataclass
class TimeRow:
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class MapPoint:
    x: float
    y: float
    r: float
    label: str
    kind: str  # "published", "zero" (no participation) or "grouped" (small or hidden)

    @property
    def corner(self) -> tuple[float, float]:
        """Top-left corner of the small square drawn for a grouped comune."""
        return self.x - 2, self.y - 2


@dataclass
class Dashboard:
    total: int
    total_suppressed: bool
    zones: list[Cell]
    altimetric: list[Cell]
    comuni: list[Cell]
    without_participation: list[str]
    sources: list[tuple[str, str]]
    time_rows: list[TimeRow]
    source_totals: list[Cell]
    unassigned_comuni: int
    residents_14_35: int
    residents_date: datetime.date | None
    map_points: list[MapPoint] = field(default_factory=list)
    map_size: tuple[int, int] = (0, 0)
    figures: list[Figure] = field(default_factory=list)  # geography, as protected
    time_figures: list[Figure] = field(default_factory=list)

    @property
    def shown_total(self) -> str:
        return str(_("meno di 5")) if self.total_suppressed else str(self.total)


def _with_bars(cells: list[Cell]) -> list[Cell]:
    top = max((c.rate or 0 for c in cells), default=0)
    for cell in cells:
        cell.bar = bar_step(100 * cell.rate / top) if cell.rate and top else 0
    return cells


def _quarter_label(quarter: tuple[int, int] | None) -> str:
    if quarter is None:
        return str(_("data non indicata"))
    return str(_("%(q)s° trimestre %(year)s")) % {"q": quarter[1], "year": quarter[0]}


def _geography_figures(info: dict, by_comune: dict, outside: int, total: int) -> dict:
    """Strata (zona omogenea × altimetric zone), zone omogenee, altimetric zones and the total
    as one protected set of figures over the strata and "comune non indicato": a zone against
    its strata reveals nothing. Comuni are named only inside published strata (see
    :func:`_stratum_lines`), so the exact check runs on some forty atoms, not 312."""
    figures: dict = {}
    for _name, zona, alt, _pop in info.values():
        figures.setdefault((zona, alt), None)
    count: dict = defaultdict(int)
    for code, n in by_comune.items():
        _name, zona, alt, _pop = info[code]
        count[(zona, alt)] += n
    strata = list(figures)
    figures = {s: Figure(s, frozenset([s]), count[s]) for s in strata}
    figures[OUTSIDE] = Figure(OUTSIDE, frozenset([OUTSIDE]), outside, listed=True)
    for kind, index in (("zona", 0), ("alt", 1)):
        for value in {s[index] for s in strata}:
            atoms = frozenset(s for s in strata if s[index] == value)
            figures[(kind, value)] = Figure((kind, value), atoms, sum(count[s] for s in atoms))
    figures[TOTAL] = Figure(TOTAL, frozenset([*strata, OUTSIDE]), total)
    protect(list(figures.values()))
    return figures


def _stratum_lines(comuni: list[tuple[str, str, int, int]], in_stratum: int):
    """The comuni of a published stratum that may be named, and what the others hold together.

    Named: at least ``MIN_CELL``; the rest is 0 or at least ``MIN_CELL`` (the smallest named
    comuni join it until it is), so every line of a published stratum is published and none
    can be worked out from the stratum's figure."""
    named = sorted((c for c in comuni if c[2] >= MIN_CELL), key=lambda c: (c[2], c[1]))
    rest = sum(c[2] for c in comuni) - sum(c[2] for c in named)
    while rest and rest < MIN_CELL and named:
        rest += named.pop(0)[2]
    return named, rest


def _geography_cells(info: dict, by_comune: dict, figures: dict, zone_names: dict):
    residents: dict = defaultdict(int)
    members: dict = defaultdict(list)
    for code, (name, zona, alt, pop) in info.items():
        for key in (("zona", zona), ("alt", alt), (zona, alt)):
            residents[key] += pop or 0
        members[(zona, alt)].append((code, name, by_comune.get(code, 0), pop or 0))

    def cell(key, label):
        figure = figures[key]
        return Cell(
            key=str(key),
            label=label,
            count=figure.count,
            residents=residents.get(key) or None,
            suppressed=figure.hidden,
        )

    zones = [
        cell(("zona", number), f"{number} – {name}")
        if ("zona", number) in figures
        else Cell(key=str(number), label=f"{number} – {name}", count=0)
        for number, name in zone_names.items()
    ]
    if ("zona", UNASSIGNED) in figures:
        zones.append(cell(("zona", UNASSIGNED), str(_("zona non ancora assegnata"))))
    altimetric = [
        cell(("alt", value), str(label))
        for value, label in AltimetricZone.choices
        if ("alt", value) in figures
    ]
    alt_label = dict(AltimetricZone.choices)
    lines, zero, named_codes = [], [], set()
    for stratum in sorted(members, key=lambda s: (s[0] or 99, s[1])):
        figure = figures[stratum]
        where = {
            "zona": stratum[0] if stratum[0] is not None else _("non assegnata"),
            "alt": str(alt_label.get(stratum[1], "—")).lower(),
        }
        if figure.hidden:
            lines.append(cell(stratum, str(_("comuni di zona omogenea %(zona)s, %(alt)s")) % where))
            continue
        zero += [(name, code) for code, name, n, _pop in members[stratum] if n == 0]
        named, rest = _stratum_lines(members[stratum], len(members[stratum]))
        for code, name, n, pop in named:
            named_codes.add(code)
            lines.append(Cell(key=code, label=name, count=n, residents=pop or None))
        if rest:
            rest_pop = residents[stratum] - sum(c[3] for c in named)
            label = str(_("altri comuni di zona omogenea %(zona)s, %(alt)s")) % where
            lines.append(Cell(key=str(stratum), label=label, count=rest, residents=rest_pop))
    lines.sort(key=lambda c: (c.key not in named_codes, c.label if c.key in named_codes else ""))
    if figures[OUTSIDE].count:
        lines.append(cell(OUTSIDE, str(_("comune non indicato o fuori area"))))
    return zones, altimetric, lines, sorted(zero), named_codes


def _time_table(counts: dict, total: int):
    """Quarter × source, with the quarter and source totals, protected together."""
    cells: dict = defaultdict(int)
    for source, rows in counts.items():
        for _place, quarter, n in rows:
            cells[(quarter, source)] += n
    quarters = sorted({q for q, _s in cells}, key=lambda q: q or (0, 0))
    keys = [s for s, _label in SOURCES]
    cells_keys = [(q, s) for q in quarters for s in keys]
    figures = {
        atom: Figure(atom, frozenset([atom]), cells.get(atom, 0), listed=True)
        for atom in cells_keys
    }
    for q in quarters:
        group = frozenset((q, s) for s in keys)
        figures[("q", q)] = Figure(("q", q), group, sum(figures[a].count for a in group))
    for s in keys:
        group = frozenset((q, s) for q in quarters)
        figures[("s", s)] = Figure(("s", s), group, sum(figures[a].count for a in group))
    figures[TOTAL] = Figure(
        TOTAL, frozenset(a for a in figures if len(a) == 2 and a[0] not in ("q", "s")), total
    )
    protect(list(figures.values()))

    def cell(key, label=""):
        f = figures[key]
        return Cell(key=str(key), label=label, count=f.count, suppressed=f.hidden)

    rows = [
        TimeRow(
            label=_quarter_label(q),
            cells=[cell((q, s)) for s in keys],
            total=cell(("q", q)),
        )
        for q in quarters
    ]
    totals = [cell(("s", s), str(label)) for s, label in SOURCES]
    return rows, totals, list(figures.values())


MAP_WIDTH = 640


def _map(comuni: list[tuple], lines: list[Cell], named: set, zero: set):
    """Comuni as points, projected (equirectangular, scaled at the territory's latitude)."""
    if not comuni:
        return [], (0, 0)
    lats = [float(c[6]) for c in comuni]
    lons = [float(c[7]) for c in comuni]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * scale_x or 1
    span_y = (max(lats) - min(lats)) or 1
    pad = 12
    unit = (MAP_WIDTH - 2 * pad) / span_x
    height = int(span_y * unit + 2 * pad)
    rates = {line.key: line.rate for line in lines if line.key in named}
    top = max((r for r in rates.values() if r), default=0)
    points = []
    for code, name, *_middle, lat, lon in comuni:
        x = pad + (float(lon) - min(lons)) * scale_x * unit
        y = pad + (max(lats) - float(lat)) * unit
        if code in named:
            rate = rates.get(code)
            radius = 3 + 9 * math.sqrt(rate / top) if rate and top else 3
            label = _("%(name)s: %(rate)s ogni 1.000 residenti tra 14 e 35 anni")
            rate_text = number_format(rate, decimal_pos=3) if rate is not None else "—"
            points.append(
                MapPoint(x, y, radius, str(label) % {"name": name, "rate": rate_text}, "published")
            )
        elif code in zero:
            label = str(_("%(name)s: nessuna partecipazione")) % {"name": name}
            points.append(MapPoint(x, y, 2.5, label, "zero"))
        else:
            label = str(_("%(name)s: dato riservato o raggruppato")) % {"name": name}
            points.append(MapPoint(x, y, 2.5, label, "grouped"))
    points.sort(key=lambda p: -p.r)  # big circles first, small ones stay visible on top
    return points, (MAP_WIDTH, height)


def territorial_participation() -> Dashboard:
    """Participations by comune, zona omogenea, altimetric zone and quarter, every source
    together, protected by the one disclosure policy. Eight queries."""
    comuni = list(
        Comune.objects.order_by("name").values_list(
            "istat_code",
            "name",
            "zona_omogenea_id",
            "altimetric_zone",
            "population_14_35",
            "population_14_35_date",
            "latitude",
            "longitude",
        )
    )
    zone_names = dict(ZonaOmogenea.objects.order_by("number").values_list("number", "name"))
    counts = source_counts()
    known = {c[0] for c in comuni}
    by_comune: dict = defaultdict(int)
    outside = total = 0
    for rows in counts.values():
        for place, _quarter, n in rows:
            total += n
            if place in known:
                by_comune[place] += n
            else:
                outside += n
    info = {code: (name, zona, alt, pop) for code, name, zona, alt, pop, *_rest in comuni}
    figures = _geography_figures(info, by_comune, outside, total)
    zones, altimetric, lines, zero, named = _geography_cells(info, by_comune, figures, zone_names)
    time_rows, source_totals, time_figures = _time_table(counts, total)
    points, size = _map(comuni, lines, named, {code for _name, code in zero})
    dates = {c[5] for c in comuni if c[5]}
    return Dashboard(
        total=total,
        total_suppressed=is_small(total),
        zones=_with_bars(zones),
        altimetric=_with_bars(altimetric),
        comuni=_with_bars(lines),
        without_participation=[name for name, _code in zero],
        sources=[(k, str(v)) for k, v in SOURCES],
        time_rows=time_rows,
        source_totals=source_totals,
        unassigned_comuni=sum(1 for c in comuni if c[2] is None),
        residents_14_35=sum(c[4] or 0 for c in comuni),
        residents_date=max(dates) if dates else None,
        map_points=points,
        map_size=size,
        figures=list(figures.values()),
        time_figures=time_figures,
    )


#: The figures change slowly and the disclosure check is not free: computed once per language
#: every ten minutes, and forgotten as soon as a count is entered or withdrawn.
CACHE_SECONDS = 60 * 10


def _cache_key(language: str) -> str:
    return f"equity:territory:{language}"


def cached_territorial_participation(language: str) -> Dashboard:
    return cache.get_or_set(_cache_key(language), territorial_participation, CACHE_SECONDS)


def forget_dashboard() -> None:
    cache.delete_many([_cache_key(code) for code, _name in settings.LANGUAGES])
