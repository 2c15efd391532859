"""Votes on statements stored in batches (``consultations.quick.writer``): one upsert over the
batch, ``INSERT ... ON CONFLICT (statement, participant) DO UPDATE``, as
``services.vote_record`` stores one vote, which also reads the statements each voter has voted
in the conversation (the next statement to offer them depends on it).

The constraint keeps one vote per participant and statement; a second vote changes the choice.
One participant's two votes on one statement in the same batch are stored as the later one
(a statement cannot update a row twice), as if they had come one after the other.

After each batch, the opinion map of each conversation voted in is asked for
(``services.recompute_request``, debounced). Nothing else changes with a vote: no page shows
statement votes, so no cache version is replaced (the view's upsert sends no signal either).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections

from consultations.quick.writer import BatchWriter, Item
from conversations.models import StatementVote
from conversations.services import RECOMPUTE_DELAY, recompute_request

_VOTES = StatementVote._meta.db_table  # noqa: SLF001

# ('v', statement, participant, None) for each row stored; ('s', conversation, participant,
# [statement ids]) for what each voter had voted before the statement (it cannot see its own
# rows).
STATEMENT = f"""
WITH wanted AS (
    SELECT * FROM unnest(
        %(statements)s::bigint[], %(conversations)s::bigint[], %(participants)s::varchar[],
        %(users)s::bigint[], %(choices)s::smallint[]
    ) AS w(statement_id, conversation_id, participant_key, user_id, choice)
), stored AS (
    INSERT INTO {_VOTES}
        (statement_id, conversation_id, participant_key, user_id, choice, created_at, updated_at)
    SELECT statement_id, conversation_id, participant_key, user_id, choice,
        statement_timestamp(), statement_timestamp()
    FROM wanted
    ON CONFLICT (statement_id, participant_key) DO UPDATE
        SET choice = EXCLUDED.choice, user_id = EXCLUDED.user_id, updated_at = EXCLUDED.updated_at
    RETURNING statement_id, participant_key
), voters AS (
    SELECT DISTINCT conversation_id, participant_key FROM wanted
)
SELECT 'v', statement_id, participant_key, NULL FROM stored
UNION ALL
SELECT 's', v.conversation_id, v.participant_key, array_agg(s.statement_id)
FROM voters v JOIN {_VOTES} s
    ON s.conversation_id = v.conversation_id AND s.participant_key = v.participant_key
GROUP BY v.conversation_id, v.participant_key
"""  # noqa: S608 - table names from the models, values bound


@dataclass(eq=False)
class Vote(Item):
    statement_id: int = 0
    conversation_id: int = 0
    participant_key: str = ""
    user_id: int | None = None
    choice: int = 0
    #: After the batch: the statements of the conversation this voter has voted, this one too.
    voted: set[int] = field(default_factory=set)


class VoteWriter(BatchWriter):
    thread_name = "psm-statement-vote-writer"

    def store(self, **vote) -> set[int]:
        """Store one vote (``Vote``'s fields); the statements of its conversation the voter
        has now voted. Raises ``WriterUnavailable`` when the batch failed."""
        return self.submit(Vote(**vote)).voted

    def write(self, cursor, batch: list[Vote]) -> None:
        latest = {(v.statement_id, v.participant_key): v for v in batch}  # the later one wins
        rows = list(latest.values())
        cursor.execute(
            STATEMENT,
            {
                "statements": [v.statement_id for v in rows],
                "conversations": [v.conversation_id for v in rows],
                "participants": [v.participant_key for v in rows],
                "users": [v.user_id for v in rows],
                "choices": [v.choice for v in rows],
            },
        )
        stored, voted = set(), {}
        for kind, first, participant, statements in cursor.fetchall():
            if kind == "v":
                stored.add((first, participant))
            else:
                voted[(first, participant)] = set(statements)
        mine: dict[tuple[int, str], set[int]] = {}
        for vote in rows:
            mine.setdefault((vote.conversation_id, vote.participant_key), set()).add(
                vote.statement_id
            )
        for vote in batch:
            if (vote.statement_id, vote.participant_key) not in stored:
                raise RuntimeError("a vote of the batch was not stored")  # the views decide
            key = (vote.conversation_id, vote.participant_key)
            vote.voted = voted.get(key, set()) | mine[key]

    def announce(self, batch: list[Vote]) -> None:
        try:
            for conversation_id in {vote.conversation_id for vote in batch}:
                recompute_request(conversation_id, delay=RECOMPUTE_DELAY, committed=True)
        finally:
            # An eager task (the embedded default) used Django's connection in this thread.
            connections.close_all()


def vote_writer() -> VoteWriter:
    """This process's writer of votes on statements."""
    return VoteWriter.process_writer()
