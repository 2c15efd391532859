"""Quota-respecting selection: a pure function, no database.

The algorithm proposes, the coordinator confirms. It walks the ranking by score and takes each
candidate unless taking them would make the quotas impossible to meet with the people still
available; a candidate passed over is skipped only because of the quotas, and the reason says so.
Feasibility is decided exactly (a small search over candidate *types*: gender × category ×
place), so whenever some assignment satisfies every quota, the proposal satisfies them too.
When no assignment can, the quota(s) at fault are reported with the reason and left out: they
are never silently broken.

Quotas (see ``QuotaKind``):
- ``gender_share`` p %: among the selected who declared ``donna`` or ``uomo``, each of the two
  is at least p % (people who did not declare, or declared non binario, are not counted);
- ``category_seats`` n: at least n seats for each category the call accepts;
- ``outside_torino`` p %: at least ceil(p % × seats) people from outside the city of Torino;
- ``mountain`` p %: at least ceil(p % × seats) people from mountain comuni.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WOMAN, MAN = "donna", "uomo"
GENDERS = (WOMAN, MAN, "")


class Place(models.TextChoices):
    """Where a candidate lives, as the quotas and the public report group people (a plain
    enumeration: no database). A mountain comune is also outside Torino."""

    TORINO = "torino", gettext_lazy("Torino città")
    OUTSIDE = "outside", gettext_lazy("Altri comuni")
    MOUNTAIN = "mountain", gettext_lazy("Comuni montani")


PLACES = tuple(Place)


@dataclass(frozen=True)
class Candidate:
    id: int
    score: float
    gender: str = ""  # "donna", "uomo" or anything else (= not counted)
    category: str = ""
    outside_torino: bool = False
    mountain: bool = False

    @property
    def gender_key(self) -> str:
        return self.gender if self.gender in (WOMAN, MAN) else ""

    @property
    def place(self) -> Place:
        if self.mountain:
            return Place.MOUNTAIN
        return Place.OUTSIDE if self.outside_torino else Place.TORINO


@dataclass(frozen=True)
class Quotas:
    gender_share: Fraction | None = None  # 0..1/2
    category_seats: int = 0
    categories: tuple[str, ...] = ()
    outside_share: Fraction | None = None
    mountain_share: Fraction | None = None

    def without(self, name: str) -> Quotas:
        values = {
            "gender_share": self.gender_share,
            "category_seats": self.category_seats,
            "categories": self.categories,
            "outside_share": self.outside_share,
            "mountain_share": self.mountain_share,
        }
        values[name] = 0 if name == "category_seats" else None
        return Quotas(**values)

    def active(self) -> list[str]:
        names = []
        if self.gender_share:
            names.append("gender_share")
        if self.category_seats and self.categories:
            names.append("category_seats")
        if self.outside_share:
            names.append("outside_share")
        if self.mountain_share:
            names.append("mountain_share")
        return names


@dataclass
class SelectionResult:
    selected: list[int] = field(default_factory=list)
    waitlist: list[int] = field(default_factory=list)
    not_selected: list[int] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)
    infeasible: list[str] = field(default_factory=list)
    applied_quotas: list[str] = field(default_factory=list)


def gender_ok(women: int, men: int, share: Fraction | None) -> bool:
    if not share:
        return True
    declared = women + men
    return women >= share * declared and men >= share * declared


def check_quotas(chosen: Sequence[Candidate], seats: int, quotas: Quotas) -> list[str]:
    """The names of the quotas that ``chosen`` (the final selection) does not meet."""
    broken = []
    women = sum(1 for c in chosen if c.gender_key == WOMAN)
    men = sum(1 for c in chosen if c.gender_key == MAN)
    if not gender_ok(women, men, quotas.gender_share):
        broken.append("gender_share")
    if quotas.category_seats:
        for category in quotas.categories:
            if sum(1 for c in chosen if c.category == category) < quotas.category_seats:
                broken.append("category_seats")
                break
    if quotas.outside_share and sum(1 for c in chosen if c.outside_torino or c.mountain) < _need(
        quotas.outside_share, seats
    ):
        broken.append("outside_share")
    if quotas.mountain_share and sum(1 for c in chosen if c.mountain) < _need(
        quotas.mountain_share, seats
    ):
        broken.append("mountain_share")
    return broken


def _need(share: Fraction | None, seats: int) -> int:
    return math.ceil(share * seats) if share else 0


class _Oracle:
    """Decides whether a partial selection can be completed so that every quota holds."""

    def __init__(self, quotas: Quotas, seats: int):
        self.quotas = quotas
        self.seats = seats
        self.categories = tuple(quotas.categories) if quotas.category_seats else ()
        self.types = [(g, c, p) for g in GENDERS for c in (*self.categories, None) for p in PLACES]

    def type_of(self, cand: Candidate) -> int:
        category = cand.category if cand.category in self.categories else None
        return self.types.index((cand.gender_key, category, cand.place))

    def feasible(self, chosen_counts: Sequence[int], available: Sequence[int]) -> bool:
        """``chosen_counts``/``available``: per type, already chosen / still choosable."""
        q = self.quotas
        chosen_total = sum(chosen_counts)
        slots = self.seats - chosen_total
        if slots < 0 or sum(available) < slots:
            return False
        cat_need = []
        for cat in self.categories:
            have = sum(
                n for (g, c, p), n in zip(self.types, chosen_counts, strict=True) if c == cat
            )
            cat_need.append(max(0, q.category_seats - have))
        have_out = sum(
            n for (g, c, p), n in zip(self.types, chosen_counts, strict=True) if p != Place.TORINO
        )
        have_mtn = sum(
            n for (g, c, p), n in zip(self.types, chosen_counts, strict=True) if p == Place.MOUNTAIN
        )
        out_need = max(0, _need(q.outside_share, self.seats) - have_out)
        mtn_need = max(0, _need(q.mountain_share, self.seats) - have_mtn)
        women0 = sum(
            n for (g, c, p), n in zip(self.types, chosen_counts, strict=True) if g == WOMAN
        )
        men0 = sum(n for (g, c, p), n in zip(self.types, chosen_counts, strict=True) if g == MAN)
        types = self.types
        avail = tuple(available)
        avail_w = sum(a for (g, _c, _p), a in zip(types, avail, strict=True) if g == WOMAN)
        avail_m = sum(a for (g, _c, _p), a in zip(types, avail, strict=True) if g == MAN)
        avail_u = sum(avail) - avail_w - avail_m
        ncat = len(self.categories)
        share = q.gender_share

        def fill_ok(slots_left: int, women: int, men: int, rem: tuple[int, int, int]) -> bool:
            # fill the remaining slots with anyone still available, gender permitting
            rem_w, rem_m, rem_u = rem
            if rem_w + rem_m + rem_u < slots_left:
                return False
            if not share:
                return True
            if share >= 1:
                return women == 0 and men == 0 and rem_u >= slots_left
            for fw in range(0, min(slots_left, rem_w) + 1):
                lo = max(0, slots_left - fw - rem_u)
                hi = min(rem_m, slots_left - fw)
                w = women + fw
                # need share*(w+m) <= m  and share*(w+m) <= w
                # m >= share*w/(1-share) ; m <= w*(1-share)/share
                m_lo = math.ceil(share * w / (1 - share)) - men
                m_hi = math.floor(w * (1 - share) / share) - men
                if max(lo, m_lo) <= min(hi, m_hi):
                    return True
            return False

        # what the types from index t onwards can still contribute to each need
        n_types = len(types)
        suffix = [[0] * (ncat + 2) for _ in range(n_types + 1)]
        for t in range(n_types - 1, -1, -1):
            g, c, p = types[t]
            row = list(suffix[t + 1])
            if c is not None:
                row[self.categories.index(c)] += avail[t]
            if p != Place.TORINO:
                row[ncat] += avail[t]
            if p == Place.MOUNTAIN:
                row[ncat + 1] += avail[t]
            suffix[t] = row

        def gender_reachable(slots_left: int, women: int, men: int) -> bool:
            """Can the minority gender still be topped up to the share? (necessary)"""
            if not share or share >= 1:
                return True
            ratio = share / (1 - share)
            rem_m = avail_m - (men - men0)
            rem_w = avail_w - (women - women0)
            add_m = max(0, math.ceil(ratio * women) - men)
            add_w = max(0, math.ceil(ratio * men) - women)
            return add_m <= min(rem_m, slots_left) and add_w <= min(rem_w, slots_left)

        @cache
        def search(t: int, needs: tuple, slots_left: int, women: int, men: int):
            if not gender_reachable(slots_left, women, men):
                return False
            if any(n > cap for n, cap in zip(needs, suffix[t], strict=True)):
                return False
            if t == len(types):
                if any(needs):
                    return False
                picked_w, picked_m = women - women0, men - men0
                picked_u = (slots - slots_left) - picked_w - picked_m
                rem = (avail_w - picked_w, avail_m - picked_m, avail_u - picked_u)
                return fill_ok(slots_left, women, men, rem)
            g, c, p = types[t]
            useful = 0
            if c is not None:
                useful = max(useful, needs[self.categories.index(c)])
            if p != Place.TORINO:
                useful = max(useful, needs[ncat])
            if p == Place.MOUNTAIN:
                useful = max(useful, needs[ncat + 1])
            top = min(avail[t], slots_left, useful)
            for x in range(top, -1, -1):
                new = list(needs)
                if c is not None:
                    i = self.categories.index(c)
                    new[i] = max(0, new[i] - x)
                if p != Place.TORINO:
                    new[ncat] = max(0, new[ncat] - x)
                if p == Place.MOUNTAIN:
                    new[ncat + 1] = max(0, new[ncat + 1] - x)
                if sum(new[:ncat]) > slots_left - x:
                    continue
                if search(
                    t + 1,
                    tuple(new),
                    slots_left - x,
                    women + (x if g == WOMAN else 0),
                    men + (x if g == MAN else 0),
                ):
                    return True
            return False

        needs = (*cat_need, out_need, mtn_need)
        if sum(cat_need) > slots or max(out_need, mtn_need) > slots:
            return False
        return search(0, needs, slots, women0, men0)


def _feasible_from_scratch(pool: Sequence[Candidate], forced: Sequence[Candidate], seats, quotas):
    oracle = _Oracle(quotas, seats)
    chosen = [0] * len(oracle.types)
    available = [0] * len(oracle.types)
    for cand in forced:
        chosen[oracle.type_of(cand)] += 1
    for cand in pool:
        available[oracle.type_of(cand)] += 1
    return oracle.feasible(chosen, available)


def explain_infeasible(
    name: str, pool: Sequence[Candidate], forced: Sequence[Candidate], seats: int, quotas: Quotas
) -> str:
    everyone = [*pool, *forced]
    if name == "gender_share":
        women = sum(1 for c in everyone if c.gender_key == WOMAN)
        men = sum(1 for c in everyone if c.gender_key == MAN)
        return _(
            "Quota di genere (%(share)s %% per ciascun genere tra chi lo dichiara) impossibile: "
            "tra le candidature ci sono %(women)d donne e %(men)d uomini per %(seats)d posti."
        ) % {
            "share": round(float(quotas.gender_share) * 100),
            "women": women,
            "men": men,
            "seats": seats,
        }
    if name == "category_seats":
        counts = ", ".join(
            f"{cat}: {sum(1 for c in everyone if c.category == cat)}" for cat in quotas.categories
        )
        return _(
            "Posti minimi per categoria (%(n)d ciascuna) impossibili: candidature per categoria "
            "%(counts)s; posti %(seats)d."
        ) % {"n": quotas.category_seats, "counts": counts, "seats": seats}
    if name == "outside_share":
        have = sum(1 for c in everyone if c.outside_torino or c.mountain)
        return _(
            "Quota da fuori Torino città impossibile: servono %(need)d persone, le candidature "
            "da fuori Torino sono %(have)d."
        ) % {"need": _need(quotas.outside_share, seats), "have": have}
    if name == "mountain_share":
        have = sum(1 for c in everyone if c.mountain)
        return _(
            "Quota dai comuni montani impossibile: servono %(need)d persone, le candidature "
            "dai comuni montani sono %(have)d."
        ) % {"need": _need(quotas.mountain_share, seats), "have": have}
    return _("Le quote, prese insieme, non possono essere rispettate con queste candidature.")


def select(
    candidates: Iterable[Candidate],
    *,
    seats: int,
    quotas: Quotas,
    force_in: Iterable[int] = (),
    force_out: Iterable[int] = (),
    waitlist_size: int | None = None,
) -> SelectionResult:
    """Propose who gets a seat, who waits and who is not selected, and why."""
    result = SelectionResult()
    ranked = sorted(candidates, key=lambda c: (-c.score, c.id))
    position = {c.id: i + 1 for i, c in enumerate(ranked)}
    force_in, force_out = set(force_in), set(force_out)
    forced = [c for c in ranked if c.id in force_in]
    pool = [c for c in ranked if c.id not in force_in and c.id not in force_out]
    seats = min(seats, len(forced) + len(pool))
    if len(forced) > seats:
        forced = forced[:seats]

    # Which quotas can be met at all? Drop (and report) the ones that cannot.
    if not _feasible_from_scratch(pool, forced, seats, quotas):
        for name in quotas.active():
            alone = _only(quotas, name)
            if not _feasible_from_scratch(pool, forced, seats, alone):
                result.infeasible.append(explain_infeasible(name, pool, forced, seats, quotas))
                quotas = quotas.without(name)
        if not _feasible_from_scratch(pool, forced, seats, quotas):
            result.infeasible.append(explain_infeasible("joint", pool, forced, seats, quotas))
            quotas = Quotas()
    result.applied_quotas = quotas.active()

    oracle = _Oracle(quotas, seats)
    chosen = [0] * len(oracle.types)
    available = [0] * len(oracle.types)
    for cand in forced:
        chosen[oracle.type_of(cand)] += 1
        result.selected.append(cand.id)
        result.reasons[cand.id] = _("Inserita/o dal coordinamento (correzione motivata).")
    for cand in pool:
        available[oracle.type_of(cand)] += 1

    skipped: list[Candidate] = []
    taken = len(forced)
    for cand in pool:
        if taken >= seats:
            skipped.append(cand)
            continue
        t = oracle.type_of(cand)
        available[t] -= 1
        chosen[t] += 1
        if not quotas.active() or oracle.feasible(chosen, available):
            taken += 1
            result.selected.append(cand.id)
            if position[cand.id] <= seats:
                result.reasons[cand.id] = _("Selezionata/o per punteggio (posizione %(pos)d).") % {
                    "pos": position[cand.id]
                }
            else:
                result.reasons[cand.id] = _(
                    "Selezionata/o per rispettare le quote (posizione %(pos)d in graduatoria)."
                ) % {"pos": position[cand.id]}
        else:
            chosen[t] -= 1
            skipped.append(cand)
            result.reasons[cand.id] = _(
                "Non inserita/o: con il suo ingresso le quote non sarebbero più rispettabili "
                "(posizione %(pos)d)."
            ) % {"pos": position[cand.id]}

    limit = seats if waitlist_size is None else waitlist_size
    for cand in skipped:
        if len(result.waitlist) < limit:
            result.waitlist.append(cand.id)
            result.reasons.setdefault(cand.id, "")
            result.reasons[cand.id] = result.reasons[cand.id] or _(
                "In lista d'attesa: posti esauriti (posizione %(pos)d)."
            ) % {"pos": position[cand.id]}
        else:
            result.not_selected.append(cand.id)
            result.reasons.setdefault(cand.id, "")
            result.reasons[cand.id] = result.reasons[cand.id] or _(
                "Non selezionata/o: posti e lista d'attesa esauriti (posizione %(pos)d)."
            ) % {"pos": position[cand.id]}
    for cid in force_out:
        if cid in position:
            result.not_selected.append(cid)
            result.reasons[cid] = _("Esclusa/o dal coordinamento (correzione motivata).")
    return result


def _only(quotas: Quotas, name: str) -> Quotas:
    if name == "gender_share":
        return Quotas(gender_share=quotas.gender_share)
    if name == "category_seats":
        return Quotas(category_seats=quotas.category_seats, categories=quotas.categories)
    if name == "outside_share":
        return Quotas(outside_share=quotas.outside_share)
    return Quotas(mountain_share=quotas.mountain_share)


def next_for_seat(
    chosen: Sequence[Candidate], queue: Sequence[Candidate], *, seats: int, quotas: Quotas
) -> tuple[int, bool]:
    """Which waitlisted person gets a freed seat: the first in ``queue`` whose promotion keeps
    every quota achievable. Returns (index, True), or (0, False) when no one can (then the
    first in line gets it and the caller records that quotas could not be kept)."""
    if not queue:
        raise ValueError("empty waitlist")
    if not quotas.active():
        return 0, True
    final = min(seats, len(chosen) + len(queue))
    oracle = _Oracle(quotas, final)
    base_chosen = [0] * len(oracle.types)
    base_available = [0] * len(oracle.types)
    for cand in chosen:
        base_chosen[oracle.type_of(cand)] += 1
    for cand in queue:
        base_available[oracle.type_of(cand)] += 1
    for index, cand in enumerate(queue):
        t = oracle.type_of(cand)
        picked, available = list(base_chosen), list(base_available)
        picked[t] += 1
        available[t] -= 1
        if oracle.feasible(picked, available):
            return index, True
    return 0, False
