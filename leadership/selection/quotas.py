"""What a candidate is to the quotas, what the quotas are, and each quota as bounds on groups.

Every quota is written as one or more :class:`Bound` rows: "the selected people in this group
are at least ``lo`` and at most ``hi``". The selection (``ranking``), the feasibility check
(``feasibility``) and the final check (:func:`check_quotas`) all read the same rows, so a rule is
written once.

Rules (their names are stable: they are stored in the report of a confirmed selection):

- ``gender_cap`` p: neither ``donna`` nor ``uomo`` holds more than floor(p × seats) seats. It is a
  cap on over-representation: people who declared ``non_binario``, or nothing, are never counted
  against it, so taking them can never break it and the rule never passes them over;
- ``category_seats`` n: at least n seats for each category the call accepts;
- ``outside_share`` p: at least ceil(p × seats) people from outside the city of Torino;
- ``mountain_share`` p: at least ceil(p × seats) people from mountain comuni;
- ``zona_seats`` {zona: n}: at least n seats for each listed zona omogenea;
- ``zona_cap`` p: no zona omogenea holds more than floor(p × seats) seats (people whose comune has
  no zona are not counted).

"seats" is the number of seats actually filled: the call's seats, or fewer candidates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy

WOMAN, MAN = "donna", "uomo"
#: The genders a gender cap counts. Anyone else is outside the cap.
CAPPED_GENDERS = (WOMAN, MAN)


class Place(models.TextChoices):
    """Where a candidate lives, as the quotas and the public report group people (a plain
    enumeration: no database). A mountain comune is also outside Torino."""

    TORINO = "torino", gettext_lazy("Torino città")
    OUTSIDE = "outside", gettext_lazy("Altri comuni")
    MOUNTAIN = "mountain", gettext_lazy("Comuni montani")


PLACES = tuple(Place)


class Rule(models.TextChoices):
    """The quota rules, by the name the algorithm and the reports use."""

    GENDER_CAP = "gender_cap", gettext_lazy("Tetto per genere")
    CATEGORY_SEATS = "category_seats", gettext_lazy("Posti minimi per categoria")
    OUTSIDE_SHARE = "outside_share", gettext_lazy("Quota da fuori Torino città")
    MOUNTAIN_SHARE = "mountain_share", gettext_lazy("Quota dai comuni montani")
    ZONA_SEATS = "zona_seats", gettext_lazy("Posti minimi per zona omogenea")
    ZONA_CAP = "zona_cap", gettext_lazy("Tetto per zona omogenea")


#: Rules that only cap a group (never reserve seats).
CAP_RULES = frozenset({Rule.GENDER_CAP, Rule.ZONA_CAP})


@dataclass(frozen=True)
class Candidate:
    id: int
    score: float
    gender: str = ""  # as declared: "donna", "uomo", "non_binario", "non_dichiarato" or ""
    category: str = ""
    outside_torino: bool = False
    mountain: bool = False
    zona: int | None = None  # the zona omogenea of the comune, if known

    @property
    def place(self) -> Place:
        if self.mountain:
            return Place.MOUNTAIN
        return Place.OUTSIDE if self.outside_torino else Place.TORINO


@dataclass(frozen=True)
class Quotas:
    gender_cap: Fraction | None = None  # share of seats, 0 < p <= 1
    category_seats: int = 0
    categories: tuple[str, ...] = ()
    outside_share: Fraction | None = None
    mountain_share: Fraction | None = None
    zona_seats: tuple[tuple[int, int], ...] = ()  # (zona, minimum seats)
    zona_cap: Fraction | None = None

    def active(self) -> list[str]:
        names = []
        if self.gender_cap is not None:
            names.append(Rule.GENDER_CAP.value)
        if self.category_seats and self.categories:
            names.append(Rule.CATEGORY_SEATS.value)
        if self.outside_share:
            names.append(Rule.OUTSIDE_SHARE.value)
        if self.mountain_share:
            names.append(Rule.MOUNTAIN_SHARE.value)
        if any(n for _z, n in self.zona_seats):
            names.append(Rule.ZONA_SEATS.value)
        if self.zona_cap is not None:
            names.append(Rule.ZONA_CAP.value)
        return names

    def only(self, names: Iterable[str]) -> Quotas:
        """These quotas with every rule but ``names`` left out."""
        keep = set(names)
        return Quotas(
            gender_cap=self.gender_cap if Rule.GENDER_CAP in keep else None,
            category_seats=self.category_seats if Rule.CATEGORY_SEATS in keep else 0,
            categories=self.categories,
            outside_share=self.outside_share if Rule.OUTSIDE_SHARE in keep else None,
            mountain_share=self.mountain_share if Rule.MOUNTAIN_SHARE in keep else None,
            zona_seats=self.zona_seats if Rule.ZONA_SEATS in keep else (),
            zona_cap=self.zona_cap if Rule.ZONA_CAP in keep else None,
        )

    def without(self, name: str) -> Quotas:
        return self.only(n for n in self.active() if n != name)


@dataclass(frozen=True)
class Bound:
    """The selected members of one group: at least ``lo``, at most ``hi`` (None: no cap)."""

    rule: str
    group: str  # e.g. "uomo", "studente", "zona 3"
    member: Callable[[Candidate], bool] = field(compare=False)
    lo: int = 0
    hi: int | None = None

    def count(self, people: Iterable[Candidate]) -> int:
        return sum(1 for c in people if self.member(c))

    def holds(self, people: Sequence[Candidate]) -> bool:
        n = self.count(people)
        return n >= self.lo and (self.hi is None or n <= self.hi)


def need(share: Fraction | None, seats: int) -> int:
    """Seats a minimum share reserves: ceil(share × seats)."""
    return math.ceil(share * seats) if share else 0


def cap(share: Fraction, seats: int) -> int:
    """Seats a cap allows: floor(share × seats)."""
    return math.floor(share * seats)


def _is(attribute: str, value) -> Callable[[Candidate], bool]:
    return lambda c: getattr(c, attribute) == value


def _gender_bounds(quotas: Quotas, seats: int, zones) -> list[Bound]:
    if quotas.gender_cap is None:
        return []
    limit = cap(quotas.gender_cap, seats)
    return [Bound(Rule.GENDER_CAP, g, _is("gender", g), hi=limit) for g in CAPPED_GENDERS]


def _category_bounds(quotas: Quotas, seats: int, zones) -> list[Bound]:
    if not quotas.category_seats:
        return []
    return [
        Bound(Rule.CATEGORY_SEATS, cat, _is("category", cat), lo=quotas.category_seats)
        for cat in quotas.categories
    ]


def _place_bounds(quotas: Quotas, seats: int, zones) -> list[Bound]:
    rows = []
    if quotas.outside_share:
        rows.append(
            Bound(
                Rule.OUTSIDE_SHARE,
                Place.OUTSIDE.value,
                lambda c: c.outside_torino or c.mountain,
                lo=need(quotas.outside_share, seats),
            )
        )
    if quotas.mountain_share:
        rows.append(
            Bound(
                Rule.MOUNTAIN_SHARE,
                Place.MOUNTAIN.value,
                lambda c: c.mountain,
                lo=need(quotas.mountain_share, seats),
            )
        )
    return rows


def _zona_bounds(quotas: Quotas, seats: int, zones) -> list[Bound]:
    rows = [
        Bound(Rule.ZONA_SEATS, f"zona {zona}", _is("zona", zona), lo=minimum)
        for zona, minimum in quotas.zona_seats
        if minimum
    ]
    if quotas.zona_cap is not None:
        limit = cap(quotas.zona_cap, seats)
        rows += [
            Bound(Rule.ZONA_CAP, f"zona {zona}", _is("zona", zona), hi=limit)
            for zona in sorted({z for z in zones if z is not None})
        ]
    return rows


def bounds(quotas: Quotas, seats: int, zones: Iterable[int | None] = ()) -> list[Bound]:
    """Every quota of ``quotas`` as bounds on the final selection of ``seats`` people.

    ``zones``: the zone omogenee the candidates come from (a zona cap bounds each of them).
    """
    zones = list(zones)
    builders = (_gender_bounds, _category_bounds, _place_bounds, _zona_bounds)
    return [row for build in builders for row in build(quotas, seats, zones)]


def check_quotas(chosen: Sequence[Candidate], seats: int, quotas: Quotas) -> list[str]:
    """The names of the rules that ``chosen`` (the final selection of ``seats``) breaks."""
    broken: list[str] = []
    for row in bounds(quotas, seats, (c.zona for c in chosen)):
        if not row.holds(chosen) and row.rule not in broken:
            broken.append(str(row.rule))
    return broken
