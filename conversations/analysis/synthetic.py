"""Synthetic vote matrices with planted opinion groups: the tests, the benchmark and the demo."""

from __future__ import annotations

import numpy as np

from conversations.analysis.matrix import VoteMatrix


def planted(
    *,
    participants: int = 300,
    statements: int = 40,
    groups: int = 3,
    votes_each: int | tuple[int, int] = 20,
    loyalty: float = 0.9,
    seed: int = 1,
) -> tuple[VoteMatrix, np.ndarray]:
    """Each group has an opinion (+1/-1) on each statement; members vote it with probability
    ``loyalty`` (else the opposite or a pass) on a random subset of statements. Returns the
    matrix and the planted group of each row."""
    rng = np.random.default_rng(seed)
    opinions = rng.choice([-1.0, 1.0], size=(groups, statements))
    truth = np.arange(participants) % groups
    values = np.full((participants, statements), np.nan)
    low, high = (votes_each, votes_each) if isinstance(votes_each, int) else votes_each
    for row in range(participants):
        seen = rng.choice(statements, size=rng.integers(low, high + 1), replace=False)
        loyal = rng.random(len(seen)) < loyalty
        noise = rng.choice([-1.0, 0.0], size=len(seen))
        opinion = opinions[truth[row], seen]
        values[row, seen] = np.where(loyal, opinion, opinion * noise)
    matrix = VoteMatrix(
        participants=[f"p{i}" for i in range(participants)],
        statements=list(range(1, statements + 1)),
        values=values,
    )
    return matrix, truth
