"""The participant × statement vote matrix: +1 agree, -1 disagree, 0 pass, NaN not voted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class VoteMatrix:
    participants: list[str]  # row labels (participant keys)
    statements: list[int]  # column labels (statement ids)
    values: np.ndarray  # float, shape (participants, statements), NaN where not voted

    @classmethod
    def from_votes(
        cls, votes: Iterable[tuple[str, int, int]], statements: Iterable[int]
    ) -> VoteMatrix:
        """From ``(participant_key, statement_id, choice)`` triples; votes on statements not in
        ``statements`` (hidden, still pending) are left out."""
        columns = list(statements)
        column_of = {pk: i for i, pk in enumerate(columns)}
        row_of: dict[str, int] = {}
        rows, cols, choices = [], [], []
        for key, statement_id, choice in votes:
            column = column_of.get(statement_id)
            if column is None:
                continue
            rows.append(row_of.setdefault(key, len(row_of)))
            cols.append(column)
            choices.append(choice)
        values = np.full((len(row_of), len(columns)), np.nan)
        if rows:
            values[np.array(rows), np.array(cols)] = np.array(choices, dtype=float)
        return cls(participants=list(row_of), statements=columns, values=values)

    @property
    def votes_per_participant(self) -> np.ndarray:
        return np.sum(~np.isnan(self.values), axis=1)
