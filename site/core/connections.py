"""Pooled database connections given back while a thread waits for another.

A worker's pool holds few connections (``DB_POOL_MAX_SIZE``) for many threads. A request
borrows one at its first query and gives it back at its end; if it waits meanwhile for
another thread that needs a connection to finish (one thread loads a value the others wait
for: ``core.kept``), and enough waiters hold one, the pool is empty, the thread they wait for
waits for the pool, and everybody waits until the pool's timeout fails it. Measured: a burst
of votes from people not seen before stalled a worker for 10 s and failed requests
(``docs/performance.md``, ninth pass). :func:`give_back_connections` is called before such a
wait.
"""

from __future__ import annotations

from django.db import connections


def give_back_connections() -> None:
    """Give this thread's pooled connections back to their pool, unless a transaction is open
    on one (it stays). The next query borrows one again. Connections outside a pool (SQLite,
    persistent ones) are left open: closing them would only cost a new connection."""
    for connection in connections.all(initialized_only=True):
        if (
            connection.connection is not None
            and not connection.in_atomic_block
            and connection.settings_dict.get("OPTIONS", {}).get("pool")
        ):
            connection.close()
