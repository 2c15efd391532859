"""Which statement a participant sees next.

Each statement the participant has not voted on gets a priority

    priority = (1 + 8 / (1 + votes)) · (1 + 2 · divisiveness)

``votes``: votes it has so far (new statements come first, so each gets enough votes to be
placed); ``divisiveness``: from the latest opinion map (0 to 1, :mod:`.statements`), so the
statements that best separate the groups are asked more often. One statement is then drawn
with probability proportional to its priority, from a random generator seeded with the
conversation's seed, the participant and how many votes they have given: the same person
sees the same statement on reload, different people see different ones, and a test with a
fixed seed always gets the same order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    statement: int
    votes: int
    divisiveness: float = 0.0


def priority(candidate: Candidate) -> float:
    return (1 + 8 / (1 + candidate.votes)) * (1 + 2 * candidate.divisiveness)


def next_statement(candidates: Sequence[Candidate], *, seed: str) -> int | None:
    if not candidates:
        return None
    ordered = sorted(candidates, key=lambda c: c.statement)
    return draw([c.statement for c in ordered], [priority(c) for c in ordered], seed=seed)


def draw(statements: Sequence[int], weights: Sequence[float], *, seed: str) -> int | None:
    """One of ``statements`` (in id order) with probability proportional to its weight (its
    :func:`priority`, which a caller may keep while the facts it comes from hold)."""
    if not statements:
        return None
    rng = random.Random(seed)  # noqa: S311 - an order of questions, not a secret
    return rng.choices(statements, weights=weights, k=1)[0]
