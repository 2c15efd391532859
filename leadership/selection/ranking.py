"""The selection walk, its reasons, and the effect of each quota on the ranking."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from leadership.selection.feasibility import Oracle, feasible_from_scratch
from leadership.selection.quotas import CAPPED_GENDERS, Candidate, Quotas, Rule, cap, need
from reviewing.ranking import by_score

#: The cause of a move that is not a quota: a coordinator's motivated correction.
CORRECTION = "correction"


def rule_label(name: str) -> str:
    if name == CORRECTION:
        return _("Correzione motivata del coordinamento")
    try:
        return str(Rule(name).label)
    except ValueError:
        return name


@dataclass(frozen=True)
class Move:
    """A candidate whose place in the proposal differs from their place by score."""

    id: int
    before: int  # position by score (1 = best)
    after: int  # position in the proposal (selected, then waitlist, then the others)
    rules: tuple[str, ...]  # the rules (or CORRECTION) that moved them

    @property
    def places(self) -> int:
        """Places gained (positive) or lost (negative)."""
        return self.before - self.after

    @property
    def distance(self) -> int:
        """Places moved, either way."""
        return abs(self.places)


@dataclass
class SelectionResult:
    selected: list[int] = field(default_factory=list)
    waitlist: list[int] = field(default_factory=list)
    not_selected: list[int] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)
    infeasible: list[str] = field(default_factory=list)
    applied_quotas: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    #: who was passed over for a quota, and by which rule(s)
    blocked_by: dict[int, tuple[str, ...]] = field(default_factory=dict)


def explain_infeasible(
    name: str, pool: Sequence[Candidate], forced: Sequence[Candidate], seats: int, quotas: Quotas
) -> str:
    everyone = [*pool, *forced]
    if name == Rule.GENDER_CAP:
        limit = cap(quotas.gender_cap, seats)
        return _(
            "Tetto per genere (nessun genere oltre il %(share)s %% dei posti, cioè %(cap)d su "
            "%(seats)d) impossibile: le candidature non bastano a coprire i posti senza superarlo "
            "(%(women)d donne, %(men)d uomini, %(others)d persone di altro genere o che non lo "
            "dichiarano)."
        ) % {
            "share": round(float(quotas.gender_cap) * 100),
            "cap": limit,
            "seats": seats,
            "women": sum(1 for c in everyone if c.gender == CAPPED_GENDERS[0]),
            "men": sum(1 for c in everyone if c.gender == CAPPED_GENDERS[1]),
            "others": sum(1 for c in everyone if c.gender not in CAPPED_GENDERS),
        }
    if name == Rule.CATEGORY_SEATS:
        counts = ", ".join(
            f"{cat}: {sum(1 for c in everyone if c.category == cat)}" for cat in quotas.categories
        )
        return _(
            "Posti minimi per categoria (%(n)d ciascuna) impossibili: candidature per categoria "
            "%(counts)s; posti %(seats)d."
        ) % {"n": quotas.category_seats, "counts": counts, "seats": seats}
    if name == Rule.OUTSIDE_SHARE:
        have = sum(1 for c in everyone if c.outside_torino or c.mountain)
        return _(
            "Quota da fuori Torino città impossibile: servono %(need)d persone, le candidature "
            "da fuori Torino sono %(have)d."
        ) % {"need": need(quotas.outside_share, seats), "have": have}
    if name == Rule.MOUNTAIN_SHARE:
        have = sum(1 for c in everyone if c.mountain)
        return _(
            "Quota dai comuni montani impossibile: servono %(need)d persone, le candidature "
            "dai comuni montani sono %(have)d."
        ) % {"need": need(quotas.mountain_share, seats), "have": have}
    if name == Rule.ZONA_SEATS:
        counts = ", ".join(
            _("zona %(z)d: almeno %(n)d posti, %(have)d candidature")
            % {"z": zona, "n": n, "have": sum(1 for c in everyone if c.zona == zona)}
            for zona, n in quotas.zona_seats
        )
        return _("Posti minimi per zona omogenea impossibili (%(counts)s; posti %(seats)d).") % {
            "counts": counts,
            "seats": seats,
        }
    if name == Rule.ZONA_CAP:
        return _(
            "Tetto per zona omogenea (nessuna zona oltre il %(share)s %% dei posti, cioè %(cap)d "
            "su %(seats)d) impossibile: le candidature delle altre zone non bastano."
        ) % {
            "share": round(float(quotas.zona_cap) * 100),
            "cap": cap(quotas.zona_cap, seats),
            "seats": seats,
        }
    return _("Le quote, prese insieme, non possono essere rispettate con queste candidature.")


class _Explainer:
    """Which rule(s) passed a candidate over: each rule that alone forbids taking them; if none
    does, a smallest set of rules that together forbid it."""

    def __init__(self, quotas: Quotas, seats: int, forced, pool):
        self.quotas, self.seats = quotas, seats
        self.everyone, self.pool = [*forced, *pool], pool
        self._oracles: dict[tuple, tuple[Oracle, list]] = {}

    def _forbids(self, names, taken, index: int) -> bool:
        key = tuple(names)
        if key not in self._oracles:
            oracle = Oracle(self.quotas.only(key), self.seats, self.everyone)
            self._oracles[key] = (oracle, [oracle.signature(c) for c in self.pool])
        oracle, signatures = self._oracles[key]
        available = Counter(signatures[index + 1 :])  # those after the candidate
        return not oracle.feasible_counts(oracle.counts(taken), available)

    def blockers(self, chosen, index: int) -> tuple[str, ...]:
        """Why ``pool[index]`` cannot be taken after ``chosen``."""
        taken = [*chosen, self.pool[index]]
        active = self.quotas.active()
        alone = tuple(name for name in active if self._forbids([name], taken, index))
        if alone:
            return alone
        together = list(active)
        for name in list(together):
            rest = [n for n in together if n != name]
            if self._forbids(rest, taken, index):
                together = rest
        return tuple(together)


def _applicable(pool, forced, seats: int, quotas: Quotas, result: SelectionResult) -> Quotas:
    """The quotas that can be met at all; the others are reported in ``result`` and dropped."""
    if feasible_from_scratch(pool, forced, seats, quotas):
        return quotas
    for name in quotas.active():
        if not feasible_from_scratch(pool, forced, seats, quotas.only([name])):
            result.infeasible.append(explain_infeasible(name, pool, forced, seats, quotas))
            quotas = quotas.without(name)
    if not feasible_from_scratch(pool, forced, seats, quotas):
        result.infeasible.append(explain_infeasible("joint", pool, forced, seats, quotas))
        quotas = Quotas()
    return quotas


def _wait_or_not(result: SelectionResult, skipped, limit: int, position: dict) -> None:
    for cand in skipped:
        pos = {"pos": position[cand.id]}
        if len(result.waitlist) < limit:
            result.waitlist.append(cand.id)
            result.reasons[cand.id] = (
                result.reasons.get(cand.id)
                or _("In lista d'attesa: posti esauriti (posizione %(pos)d).") % pos
            )
        else:
            result.not_selected.append(cand.id)
            result.reasons[cand.id] = (
                result.reasons.get(cand.id)
                or _("Non selezionata/o: posti e lista d'attesa esauriti (posizione %(pos)d).")
                % pos
            )


def _walk(result, quotas: Quotas, seats: int, forced, pool, position: dict) -> list[Candidate]:
    """Take each candidate in order unless the quotas could then no longer be met; returns the
    people not taken (passed over, or after the seats ran out), in order."""
    everyone = [*forced, *pool]
    oracle = Oracle(quotas, seats, everyone)
    explainer = _Explainer(quotas, seats, forced, pool)
    chosen_people = list(forced)
    chosen, available = oracle.counts(forced), oracle.counts(pool)
    # Refusals since the last person was taken, by signature: with the same people chosen and
    # fewer available, a kind refused once is refused again (no need to ask the solver).
    refused: dict = {}
    skipped: list[Candidate] = []
    for index, cand in enumerate(pool):
        if len(chosen_people) >= seats:
            skipped.append(cand)
            continue
        sig = oracle.signature(cand)
        available[sig] -= 1
        chosen[sig] += 1
        pos = {"pos": position[cand.id]}
        if sig not in refused and (
            not result.applied_quotas or oracle.feasible_counts(chosen, available)
        ):
            chosen_people.append(cand)
            refused.clear()
            result.selected.append(cand.id)
            result.reasons[cand.id] = (
                _("Selezionata/o per punteggio (posizione %(pos)d).") % pos
                if position[cand.id] <= seats
                else _("Selezionata/o per rispettare le quote (posizione %(pos)d in graduatoria).")
                % pos
            )
            continue
        chosen[sig] -= 1
        skipped.append(cand)
        if sig not in refused:
            refused[sig] = explainer.blockers(chosen_people, index)
        result.blocked_by[cand.id] = refused[sig]
        result.reasons[cand.id] = _(
            "Non inserita/o: con il suo ingresso le quote non sarebbero più rispettabili "
            "(posizione %(pos)d; %(rules)s)."
        ) % {**pos, "rules": ", ".join(rule_label(r) for r in refused[sig])}
    return skipped


def select(
    candidates: Iterable[Candidate],
    *,
    seats: int,
    quotas: Quotas,
    force_in: Iterable[int] = (),
    force_out: Iterable[int] = (),
    waitlist_size: int | None = None,
) -> SelectionResult:
    """Propose who gets a seat, who waits and who is not selected, why, and who moved."""
    result = SelectionResult()
    ranked = by_score(candidates)
    position = {c.id: i + 1 for i, c in enumerate(ranked)}
    force_in, force_out = set(force_in), set(force_out)
    forced = [c for c in ranked if c.id in force_in]
    pool = [c for c in ranked if c.id not in force_in and c.id not in force_out]
    seats = min(seats, len(forced) + len(pool))
    if len(forced) > seats:
        forced = forced[:seats]

    quotas = _applicable(pool, forced, seats, quotas, result)
    result.applied_quotas = quotas.active()

    for cand in forced:
        result.selected.append(cand.id)
        result.reasons[cand.id] = _("Inserita/o dal coordinamento (correzione motivata).")
    skipped = _walk(result, quotas, seats, forced, pool, position)
    _wait_or_not(result, skipped, seats if waitlist_size is None else waitlist_size, position)
    for cid in sorted(force_out, key=lambda i: position.get(i, 0)):
        if cid in position:
            result.not_selected.append(cid)
            result.reasons[cid] = _("Esclusa/o dal coordinamento (correzione motivata).")
    result.moves = _moves(result, position, force_in, force_out)
    selected = set(result.selected) - force_in
    for move in result.moves:
        if move.id in selected and position[move.id] > seats:
            result.reasons[move.id] = _(
                "Selezionata/o per rispettare le quote (posizione %(pos)d in graduatoria; "
                "%(rules)s)."
            ) % {
                "pos": position[move.id],
                "rules": ", ".join(rule_label(r) for r in move.rules),
            }
    return result


def _moves(result: SelectionResult, position: dict, force_in: set, force_out: set) -> list[Move]:
    """Everyone whose place in the proposal differs from their place by score, and why.

    Two people swap order only because the one above was passed over (for a quota, or a
    correction) or the one below was put in by a correction; each move lists those causes.
    """
    final_order = [
        *sorted(result.selected, key=position.__getitem__),
        *result.waitlist,
        *result.not_selected,
    ]
    after = {cid: i + 1 for i, cid in enumerate(final_order)}
    causes: dict[int, set] = {cid: set() for cid in final_order}

    def flips_below(cid):  # ranked below cid by score, ahead of cid in the proposal
        return [o for o in final_order if position[o] > position[cid] and after[o] < after[cid]]

    def flips_above(cid):  # ranked above cid by score, behind cid in the proposal
        return [o for o in final_order if position[o] < position[cid] and after[o] > after[cid]]

    for cid, rules in result.blocked_by.items():
        for other in flips_below(cid):
            causes[cid].update(rules)
            causes[other].update(rules)
    for cid in force_out & after.keys():
        for other in flips_below(cid):
            causes[cid].add(CORRECTION)
            causes[other].add(CORRECTION)
    for cid in force_in & after.keys():
        for other in flips_above(cid):
            causes[cid].add(CORRECTION)
            causes[other].add(CORRECTION)
    order = [*Rule.values, CORRECTION]
    return [
        Move(cid, position[cid], after[cid], tuple(sorted(causes[cid], key=order.index)))
        for cid in sorted(final_order, key=position.__getitem__)
        if position[cid] != after[cid]
    ]


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
    oracle = Oracle(quotas, final, [*chosen, *queue])
    base_chosen, base_available = oracle.counts(chosen), oracle.counts(queue)
    for index, cand in enumerate(queue):
        sig = oracle.signature(cand)
        picked, available = Counter(base_chosen), Counter(base_available)
        picked[sig] += 1
        available[sig] -= 1
        if oracle.feasible_counts(picked, available):
            return index, True
    return 0, False
