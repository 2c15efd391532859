"""What each opinion group thinks of each statement, with Pol.is' measures.

For group g and statement s, with A agree, D disagree and S votes seen (passes included), the
Laplace-smoothed probabilities are ``pa = (A + 1) / (S + 2)`` and ``pd = (D + 1) / (S + 2)``.

- **Group-informed consensus** of s: the product of ``pa`` over every group. A statement is
  listed as consensus when every group more likely agrees than not (``pa > 0.5`` in each).
- **Representative** statements of g: for agreement, ``ra = pa(g) / pa(rest)`` (the other groups
  together); the same for disagreement. The direction with the larger ``ra · p`` is kept when
  g leans that way (``p > 0.5``), more than the rest does (``ra > 1``), and a one-sided
  two-proportion z-test says the difference is unlikely to be chance (z ≥ 1.2816, 90%).
- **Divisiveness** of s: half the spread between the groups' net agreement
  ``(pa - pd)``, from 0 (every group alike) to 1 (one group all for, another all against).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_90 = 1.2816
TOP = 5
DIVISIVE_MIN = 0.3


@dataclass(frozen=True)
class GroupCounts:
    agree: np.ndarray  # (groups, statements)
    disagree: np.ndarray
    passed: np.ndarray

    @property
    def seen(self) -> np.ndarray:
        return self.agree + self.disagree + self.passed

    @classmethod
    def of(cls, values: np.ndarray, labels: np.ndarray, groups: int) -> GroupCounts:
        """``values``: the placed participants' rows (NaN not voted); ``labels``: their group."""
        shape = (groups, values.shape[1])
        agree, disagree, passed = np.zeros(shape, int), np.zeros(shape, int), np.zeros(shape, int)
        for g in range(groups):
            rows = values[labels == g]
            agree[g] = np.sum(rows == 1, axis=0)
            disagree[g] = np.sum(rows == -1, axis=0)
            passed[g] = np.sum(rows == 0, axis=0)
        return cls(agree, disagree, passed)


def _p(count: np.ndarray, seen: np.ndarray) -> np.ndarray:
    return (count + 1) / (seen + 2)


def consensus(counts: GroupCounts) -> list[tuple[int, float]]:
    """``(statement index, score)``, best first, for statements every group agrees with."""
    pa = _p(counts.agree, counts.seen)
    score = np.prod(pa, axis=0)
    agreed = np.all(pa > 0.5, axis=0) & (counts.seen.sum(axis=0) > 0)
    order = sorted(np.flatnonzero(agreed), key=lambda s: (-score[s], s))
    return [(int(s), float(score[s])) for s in order[:TOP]]


def divisiveness(counts: GroupCounts) -> np.ndarray:
    """Per statement, 0 (groups alike) to 1 (groups opposed); 0 with fewer than two groups."""
    if counts.agree.shape[0] < 2:
        return np.zeros(counts.agree.shape[1])
    net = _p(counts.agree, counts.seen) - _p(counts.disagree, counts.seen)
    return (net.max(axis=0) - net.min(axis=0)) / 2


def divisive(counts: GroupCounts) -> list[tuple[int, float]]:
    score = divisiveness(counts)
    order = sorted(np.flatnonzero(score >= DIVISIVE_MIN), key=lambda s: (-score[s], s))
    return [(int(s), float(score[s])) for s in order[:TOP]]


def _z(in_count, in_seen, out_count, out_seen) -> np.ndarray:
    """One-sided two-proportion z statistic (in > out), 0 where undefined."""
    p1 = in_count / np.maximum(in_seen, 1)
    p2 = out_count / np.maximum(out_seen, 1)
    pooled = (in_count + out_count) / np.maximum(in_seen + out_seen, 1)
    spread = np.sqrt(
        pooled * (1 - pooled) * (1 / np.maximum(in_seen, 1) + 1 / np.maximum(out_seen, 1))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (p1 - p2) / spread, 0.0)
    return np.where((in_seen > 0) & (out_seen > 0), z, 0.0)


@dataclass(frozen=True)
class Representative:
    statement: int  # statement index
    direction: str  # "agree" | "disagree"
    share: float  # the group's smoothed probability in that direction
    rest_share: float
    score: float


def representative(counts: GroupCounts, group: int) -> list[Representative]:
    """The statements that set ``group`` apart, most telling first (empty with one group)."""
    if counts.agree.shape[0] < 2:
        return []
    rest = [g for g in range(counts.agree.shape[0]) if g != group]
    found = []
    for name, table in (("agree", counts.agree), ("disagree", counts.disagree)):
        in_count, in_seen = table[group], counts.seen[group]
        out_count, out_seen = table[rest].sum(axis=0), counts.seen[rest].sum(axis=0)
        p_in, p_out = _p(in_count, in_seen), _p(out_count, out_seen)
        ratio = p_in / p_out
        z = _z(in_count, in_seen, out_count, out_seen)
        found.extend(
            Representative(int(s), name, float(p_in[s]), float(p_out[s]), float(ratio[s] * p_in[s]))
            for s in np.flatnonzero((p_in > 0.5) & (ratio > 1) & (z >= Z_90))
        )
    best: dict[int, Representative] = {}
    for item in found:
        if item.statement not in best or item.score > best[item.statement].score:
            best[item.statement] = item
    return sorted(best.values(), key=lambda r: (-r.score, r.statement))[:TOP]
