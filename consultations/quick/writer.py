"""Writes stored in batches: one writer thread per process and kind, one statement per batch.

Each request of the quick path hands what it wants stored (an :class:`Item`) to its writer
and waits. The writer takes everything waiting, stores it with **one** statement that commits
on its own (:meth:`BatchWriter.write`), then wakes each request with its outcome. So a request
is answered only once its write is committed (durable), the database's constraints still
decide what is stored whatever the timing, and a burst of a hundred votes costs the database
one round trip and one commit instead of a hundred. Nothing waits on purpose: a batch is
whatever arrived while the previous one was being written, so a lone vote is written at once.

The writer has its own PostgreSQL connection (autocommit), never one of Django's pooled ones
(a request thread holding a pooled connection while it waits would starve the pool). If the
statement fails (the database restarting, say) every request of the batch is told so
(:class:`WriterUnavailable`) and goes to the ordinary view, which has its own connection
handling; the writer reconnects for the next batch.

After a batch is committed and before anybody is answered, :meth:`BatchWriter.stored` runs
(what the next page must already show); after the answers, :meth:`BatchWriter.announce`
(broadcasts, which may lag).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import ClassVar

import psycopg
from django.db import connections

from core.connections import give_back_connections

logger = logging.getLogger(__name__)

#: The most items one statement stores.
BATCH = 500
#: How long a request waits for its batch (seconds) before it goes to the ordinary view.
WAIT = 10.0


class WriterUnavailable(Exception):
    """The batch could not be written: the request goes to the ordinary view."""


@dataclass(eq=False)
class Item:
    """One write waiting for its batch; subclasses add what is written and its outcome."""

    done: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    failed: bool = field(default=False, init=False)


class BatchWriter:
    """Subclasses write a batch (:meth:`write`) and say what follows it (:meth:`stored`,
    :meth:`announce`); :meth:`process_writer` gives each process its one writer."""

    thread_name: ClassVar[str] = "psm-batch-writer"
    _instances: ClassVar[dict[type, BatchWriter]] = {}
    _instances_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, alias: str = "default"):
        self._alias = alias
        self._queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._connection: psycopg.Connection | None = None
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @classmethod
    def process_writer(cls):
        """This process's writer of this kind."""
        writer = BatchWriter._instances.get(cls)
        if writer is None:
            with BatchWriter._instances_lock:
                writer = BatchWriter._instances.get(cls)
                if writer is None:
                    writer = BatchWriter._instances[cls] = cls()
        return writer

    def submit(self, item: Item) -> Item:
        """Hand ``item`` to the writer and wait for its batch; the item with its outcome.
        Raises :class:`WriterUnavailable` when the batch failed or took too long. The caller's
        pooled database connections go back to the pool first (``core.connections``): the
        writer has its own, and the batch's other requests need theirs."""
        give_back_connections()
        self._ensure_thread()
        self._queue.put(item)
        if not item.done.wait(WAIT) or item.failed:
            raise WriterUnavailable
        return item

    # ----------------------------------------------------------------- what subclasses say

    def write(self, cursor, batch: list[Item]) -> None:
        """Store the batch with one statement on ``cursor`` (autocommit) and set each item's
        outcome."""
        raise NotImplementedError

    def stored(self, batch: list[Item]) -> None:
        """After the commit, before anybody is answered."""

    def announce(self, batch: list[Item]) -> None:
        """After the answers."""

    # ----------------------------------------------------------------------- the writer

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=self.thread_name, daemon=True
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
            self._write(batch)

    def _write(self, batch: list[Item]) -> None:
        try:
            with self._open().cursor() as cursor:
                self.write(cursor, batch)
        except Exception:
            logger.warning("batch of %s not written", len(batch), exc_info=True)
            self._drop_connection()
            for item in batch:
                item.failed = True
                item.done.set()
            return
        try:
            self.stored(batch)
        except Exception:  # stored all the same: answer them
            logger.warning("batch stored, what follows it failed", exc_info=True)
        for item in batch:
            item.done.set()
        try:
            self.announce(batch)
        except Exception:  # stored; a missed broadcast is corrected later
            logger.warning("batch stored but not announced", exc_info=True)

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
