"""Supports stored in batches: one writer per process, one statement per batch.

Each request of the quick path (``proposals.quick_support``) hands its support to the writer
and waits. The writer takes everything waiting, stores it with **one** statement that commits
on its own (an ``INSERT ... ON CONFLICT DO NOTHING`` over the batch, which also reads each
proposal's total), then wakes each request with its outcome: stored with the new total, or
already there. So a support is answered only once it is committed (durable), the database's
unique constraint still decides "once per person" whatever the timing (exactly once), and a
burst of a hundred supports costs the database one round trip and one commit instead of a
hundred. Nothing waits on purpose: a batch is whatever arrived while the previous one was being
written, so a lone support is written at once.

The writer has its own PostgreSQL connection (autocommit). If the statement fails (the
database restarting, say) every request of the batch is told so and goes to the ordinary view,
which has its own connection handling; the writer reconnects for the next batch. A failure
after the commit cannot store a support twice: the ordinary view meets the unique constraint
and says the support is already there.

After each batch, the stored supports replace the tallies version once, before anybody is
answered (their next page, and everybody's cached pages, show the new totals; the ``INSERT``
sends no signal), and then each proposal's new total is broadcast
(``proposals.services.votes.broadcast_stored_supports``).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from dataclasses import dataclass, field

import psycopg
from django.db import connections

from proposals.models import Vote
from proposals.services.votes import broadcast_stored_supports, total_sql
from psm.page_cache import bump_tallies_after_commit

logger = logging.getLogger(__name__)

#: The most supports one statement stores.
BATCH = 500
#: How long a request waits for its batch (seconds) before it goes to the ordinary view.
WAIT = 10.0

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


class WriterUnavailable(Exception):
    """The batch could not be written: the request goes to the ordinary view."""


@dataclass
class _Support:
    proposal_id: int
    voter_id: int
    consultation_id: int
    done: threading.Event = field(default_factory=threading.Event)
    total: int | None = None  # the new total when stored
    stored: bool = False
    failed: bool = False


class SupportWriter:
    def __init__(self, alias: str = "default"):
        self._alias = alias
        self._queue: queue.SimpleQueue[_Support] = queue.SimpleQueue()
        self._connection: psycopg.Connection | None = None
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def store(self, *, proposal_id: int, voter_id: int, consultation_id: int) -> int | None:
        """Store one support; the proposal's new total, or None when the person had already
        supported it. Raises :class:`WriterUnavailable` when the batch failed."""
        self._ensure_thread()
        support = _Support(proposal_id, voter_id, consultation_id)
        self._queue.put(support)
        if not support.done.wait(WAIT) or support.failed:
            raise WriterUnavailable
        return support.total if support.stored else None

    # ----------------------------------------------------------------------- the writer

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="psm-support-writer", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(batch)
            except Exception:
                logger.warning("support batch of %s not written", len(batch), exc_info=True)
                self._drop_connection()
                for support in batch:
                    support.failed = True
            stored = [s for s in batch if s.stored]
            if stored:  # before anybody is answered: their next page shows the new totals
                try:
                    bump_tallies_after_commit()
                except Exception:  # the cache says nothing of the votes: answer them anyway
                    logger.warning("tallies version not replaced", exc_info=True)
            for support in batch:
                support.done.set()
            try:
                self._announce(stored)
            except Exception:  # the supports are stored; a missed broadcast is corrected later
                logger.warning("support batch stored but not announced", exc_info=True)

    def _write(self, batch: list[_Support]) -> None:
        connection = self._open()
        with connection.cursor() as cursor:
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
            support.stored = (support.proposal_id, support.voter_id) in stored
            if support.stored:
                stored.discard((support.proposal_id, support.voter_id))  # a repeat in the batch
                support.total = before.get(support.proposal_id, 0) + added[support.proposal_id]

    def _announce(self, stored: list[_Support]) -> None:
        if not stored:
            return
        broadcast_stored_supports({(s.consultation_id, s.proposal_id): s.total for s in stored})

    def _open(self) -> psycopg.Connection:
        if self._connection is None or self._connection.closed:
            params = connections[self._alias].get_connection_params()
            params.pop("cursor_factory", None)
            self._connection = psycopg.connect(**params, autocommit=True)
        return self._connection

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                connection.close()


_writer: SupportWriter | None = None
_writer_lock = threading.Lock()


def support_writer() -> SupportWriter:
    """This process's writer."""
    global _writer  # noqa: PLW0603 - one per process, made on first use
    if _writer is None:
        with _writer_lock:
            if _writer is None:
                _writer = SupportWriter()
    return _writer
