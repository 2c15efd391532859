"""Weighted scores, per-reviewer calibration (z-score) and disagreement flags."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class ItemScore:
    """The submitted scores of one reviewed item (an application, a contest entry)."""

    item_id: int
    reviews: int = 0
    weighted: list[float] = field(default_factory=list)  # one per submitted review
    mean: float | None = None
    normalised: float | None = None
    spread: float = 0.0
    flagged: bool = False


def weighted_score(scores: Mapping, weights: Mapping[str, float]) -> float:
    """The mean of a score sheet (criterion key → value) weighted by each criterion's weight."""
    total = sum(weights.values())
    return sum(float(scores.get(k, 0)) * w for k, w in weights.items()) / total if total else 0.0


def score_items(
    reviews: Iterable[tuple[int, int, Mapping]],
    weights: Mapping[str, float],
    *,
    disagreement_threshold: float,
    factory=ItemScore,
) -> dict[int, ItemScore]:
    """Weighted mean per item, z-score per reviewer, disagreement flags.

    ``reviews`` are the submitted ones, as ``(item_id, reviewer_id, scores)``. Calibration: each
    reviewer's weighted scores are turned into z-scores against that reviewer's own mean and
    spread (a reviewer who scores only once, or always the same, counts 0), and an item's
    ``normalised`` score is the mean of its z-scores. An item is flagged when two or more
    reviewers' weighted scores differ by more than ``disagreement_threshold``.
    """
    per_reviewer = defaultdict(list)
    result: dict[int, ItemScore] = {}
    for item_id, reviewer_id, scores in reviews:
        value = weighted_score(scores, weights)
        per_reviewer[reviewer_id].append((item_id, value))
        entry = result.setdefault(item_id, factory(item_id))
        entry.weighted.append(value)
    z_values = defaultdict(list)
    for items in per_reviewer.values():
        values = [v for _i, v in items]
        mu = statistics.fmean(values)
        sigma = statistics.pstdev(values) if len(values) > 1 else 0.0
        for item_id, value in items:
            z_values[item_id].append((value - mu) / sigma if sigma else 0.0)
    for item_id, entry in result.items():
        entry.reviews = len(entry.weighted)
        entry.mean = statistics.fmean(entry.weighted)
        entry.normalised = statistics.fmean(z_values[item_id])
        entry.spread = max(entry.weighted) - min(entry.weighted)
        entry.flagged = entry.reviews > 1 and entry.spread > disagreement_threshold
    return result
