"""Supports stored in batches (``consultations.quick.writer``): one ``INSERT ... ON CONFLICT
DO NOTHING`` over the batch, which also reads each proposal's total.

The database's unique constraint still decides "once per person" whatever the timing (exactly
once): a support already there comes back as not stored, and the view says so. A failure after
the commit cannot store a support twice: the ordinary view meets the constraint.

After each batch, the stored supports replace the tallies version once, before anybody is
answered (their next page, and everybody's cached pages, show the new totals; the ``INSERT``
sends no signal), and then each proposal's new total is broadcast
(``proposals.services.votes.broadcast_stored_supports``).
"""

from __future__ import annotations

from dataclasses import dataclass

from consultations.quick.writer import BatchWriter, Item
from proposals.models import Vote
from proposals.services.votes import broadcast_stored_supports, total_sql
from psm.page_cache import bump_tallies_after_commit

_VOTES = Vote._meta.db_table  # noqa: SLF001

# Rows inserted come back as ('i', proposal, voter); each proposal's total as read at the
# statement's start (without the batch's own rows, which the statement cannot see) as
# ('t', proposal, total).
STATEMENT = f"""
WITH wanted AS (
    SELECT * FROM unnest(%(proposals)s::bigint[], %(voters)s::bigint[]) AS w(proposal_id, voter_id)
), stored AS (
    INSERT INTO {_VOTES} (proposal_id, voter_id, ballot_id, created_at)
    SELECT proposal_id, voter_id, NULL, statement_timestamp() FROM wanted
    ON CONFLICT DO NOTHING
    RETURNING proposal_id, voter_id
), touched AS (
    SELECT DISTINCT proposal_id FROM wanted
)
SELECT 'i', proposal_id, voter_id FROM stored
UNION ALL
SELECT 't', t.proposal_id, {total_sql("t.proposal_id")} FROM touched t
"""  # noqa: S608 - table names from the models, values bound


@dataclass(eq=False)
class Support(Item):
    proposal_id: int = 0
    voter_id: int = 0
    consultation_id: int = 0
    total: int | None = None  # the new total when stored
    stored_now: bool = False


class SupportWriter(BatchWriter):
    thread_name = "psm-support-writer"

    def store(self, *, proposal_id: int, voter_id: int, consultation_id: int) -> int | None:
        """Store one support; the proposal's new total, or None when the person had already
        supported it. Raises ``WriterUnavailable`` when the batch failed."""
        support = self.submit(
            Support(proposal_id=proposal_id, voter_id=voter_id, consultation_id=consultation_id)
        )
        return support.total if support.stored_now else None

    def write(self, cursor, batch: list[Support]) -> None:
        cursor.execute(
            STATEMENT,
            {
                "proposals": [s.proposal_id for s in batch],
                "voters": [s.voter_id for s in batch],
            },
        )
        rows = cursor.fetchall()
        stored = {(p, v) for kind, p, v in rows if kind == "i"}
        before = {p: int(v or 0) for kind, p, v in rows if kind == "t"}
        added: dict[int, int] = {}
        for proposal_id, _voter_id in stored:
            added[proposal_id] = added.get(proposal_id, 0) + 1
        for support in batch:
            support.stored_now = (support.proposal_id, support.voter_id) in stored
            if support.stored_now:
                stored.discard((support.proposal_id, support.voter_id))  # a repeat in the batch
                support.total = before.get(support.proposal_id, 0) + added[support.proposal_id]

    def stored(self, batch: list[Support]) -> None:
        if any(s.stored_now for s in batch):
            # before anybody is answered: their next page shows the new totals
            bump_tallies_after_commit()

    def announce(self, batch: list[Support]) -> None:
        stored = [s for s in batch if s.stored_now]
        if stored:
            broadcast_stored_supports({(s.consultation_id, s.proposal_id): s.total for s in stored})


def support_writer() -> SupportWriter:
    """This process's writer of supports."""
    return SupportWriter.process_writer()
