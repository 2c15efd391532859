"""Can a partial selection still be completed so that every quota holds? Decided exactly.

Candidates are grouped by *signature* (which bounded groups they belong to); the question is then
a small integer programme: how many people of each signature to add so that the seats are filled
and every group stays within its bounds. It is solved with HiGHS through ``scipy.optimize.milp``
(there are at most as many variables as signatures, a few dozen at most), so whenever some
assignment satisfies every quota the greedy walk in ``ranking`` keeps it reachable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from leadership.selection.quotas import Candidate, Quotas, bounds

Signature = tuple[bool, ...]


class Oracle:
    def __init__(self, quotas: Quotas, seats: int, people: Iterable[Candidate]):
        people = list(people)
        self.seats = seats
        self.rows = bounds(quotas, seats, (c.zona for c in people))
        self._signatures: dict[int, Signature] = {c.id: self._signature(c) for c in people}

    def _signature(self, cand: Candidate) -> Signature:
        return tuple(row.member(cand) for row in self.rows)

    def signature(self, cand: Candidate) -> Signature:
        found = self._signatures.get(cand.id)
        return found if found is not None else self._signature(cand)

    def counts(self, people: Iterable[Candidate]) -> Counter:
        return Counter(self.signature(c) for c in people)

    def feasible(self, chosen: Sequence[Candidate], available: Sequence[Candidate]) -> bool:
        return self.feasible_counts(self.counts(chosen), self.counts(available))

    def feasible_counts(self, chosen: Counter, available: Counter) -> bool:
        """``chosen``/``available``: people per signature already chosen / still choosable."""
        slots = self.seats - sum(chosen.values())
        if slots < 0 or sum(available.values()) < slots:
            return False
        if not self.rows:
            return True
        lows, highs = [], []
        for k, row in enumerate(self.rows):
            have = sum(n for sig, n in chosen.items() if sig[k])
            lows.append(row.lo - have)
            highs.append(None if row.hi is None else row.hi - have)
            if highs[-1] is not None and highs[-1] < 0:
                return False
        # numpy and scipy here, not at the top: only a selection run needs them, and a web
        # worker that never ranks stays about 30 MiB lighter (docs/performance.md, "Worker memory").
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp

        kinds = [sig for sig, n in available.items() if n > 0]
        if not kinds:
            return slots == 0 and all(lo <= 0 for lo in lows)
        matrix = np.array(
            [[1.0] * len(kinds)]
            + [[1.0 if sig[k] else 0.0 for sig in kinds] for k in range(len(self.rows))]
        )
        lower = np.array([slots] + [max(lo, 0) for lo in lows], dtype=float)
        upper = np.array([slots] + [np.inf if hi is None else hi for hi in highs], dtype=float)
        outcome = milp(
            c=np.zeros(len(kinds)),
            constraints=[LinearConstraint(matrix, lower, upper)],
            integrality=np.ones(len(kinds)),
            bounds=Bounds(0, np.array([available[sig] for sig in kinds], dtype=float)),
        )
        return outcome.status == 0


def feasible_from_scratch(
    pool: Sequence[Candidate], forced: Sequence[Candidate], seats: int, quotas: Quotas
) -> bool:
    return Oracle(quotas, seats, [*pool, *forced]).feasible(forced, pool)
