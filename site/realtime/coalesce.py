"""Coalescing bursts of events per group: at most one event per group per window (100 ms).

A vote in a quiet consultation goes out at once (the *leading* event, as before). Every further
change to the same group inside the window is only noted (its key: which proposal); when the
window ends, ONE *trailing* event goes out for all the keys noted, built by the caller's
``trailing(keys)`` from fresh data (after the commits, so it is never older than any vote it
covers), and a new window starts. So a burst of 1,000 votes a second on one consultation sends
10 events a second to its sockets instead of 1,000, and no change is lost: the last event of a
burst carries the totals as they stand.

The window is per process (each web worker coalesces its own writes): with N workers a group
gets at most N events per window. The trailing event runs on a timer thread; its database
connection is closed when it is done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 0.1


def _timer(delay: float, function: Callable[[], None]) -> None:
    timer = threading.Timer(delay, run_in_thread(function))
    timer.daemon = True
    timer.start()


class Coalescer:
    """``submit(group, key, leading, trailing)``: ``leading()`` now if the group's window is
    closed, else ``key`` joins the keys that ``trailing(keys)`` receives when it closes."""

    def __init__(
        self,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        schedule: Callable[[float, Callable[[], None]], None] = _timer,
    ):
        self.window = window
        self.clock = clock
        self.schedule = schedule
        self._lock = threading.Lock()
        self._window_ends: dict[str, float] = {}
        self._pending: dict[str, tuple[set, Callable[[Iterable], None]]] = {}
        self._sending: set[str] = set()

    def submit(
        self,
        group: str,
        key: Hashable,
        leading: Callable[[], None],
        trailing: Callable[[Iterable], None],
    ) -> None:
        now = self.clock()
        with self._lock:
            ends = self._window_ends.get(group, 0.0)
            if now >= ends and group not in self._pending and group not in self._sending:
                self._window_ends[group] = now + self.window
                self._sending.add(group)
                send_now = True
            else:
                send_now = False
                keys, _previous = self._pending.get(group, (set(), None))
                first = not keys
                keys.add(key)
                self._pending[group] = (keys, trailing)
                if first:
                    self.schedule(max(ends - now, 0.0), lambda: self.flush(group))
        if send_now:
            try:
                leading()
            finally:
                self._sent(group)

    def _sent(self, group: str) -> None:
        """The window also runs from the moment a send returned: an event slow to build or to
        leave (a busy worker) does not bring the next one closer than the window. What waited
        meanwhile goes out when that window ends."""
        with self._lock:
            self._sending.discard(group)
            ends = self.clock() + self.window
            self._window_ends[group] = max(self._window_ends.get(group, 0.0), ends)
            if group in self._pending:
                self.schedule(self.window, lambda: self.flush(group))

    def flush(self, group: str) -> None:
        """Send the trailing event of ``group`` (the timer calls this when the window ends)."""
        with self._lock:
            if group in self._sending:  # the send under way schedules the next flush
                return
            now = self.clock()
            ends = self._window_ends.get(group, 0.0)
            if ends - now > 1e-6 and group in self._pending:  # a slow send moved the end
                self.schedule(ends - now, lambda: self.flush(group))
                return
            keys, trailing = self._pending.pop(group, (set(), None))
            if keys:
                self._window_ends[group] = now + self.window
                self._sending.add(group)
        if not keys:
            return
        try:
            trailing(sorted(keys))
        except Exception:  # best effort, as every live update
            logger.warning("coalesced event for %s failed", group, exc_info=True)
        finally:
            self._sent(group)

    def pending(self, group: str) -> set:
        with self._lock:
            return set(self._pending.get(group, (set(), None))[0])


def run_in_thread(function: Callable[[], None]) -> Callable[[], None]:
    """``function`` made safe to run on a timer thread that touches the database: stale
    connections are dropped before and this thread's connections closed after."""

    def wrapped():
        close_old_connections()
        try:
            function()
        finally:
            connections.close_all()

    return wrapped


#: The process's coalescer (one per worker process). ``REALTIME_COALESCE_WINDOW`` = 0 sends
#: every event at once (the test settings: no timer thread outlives a test).
coalescer = Coalescer(window=getattr(settings, "REALTIME_COALESCE_WINDOW", WINDOW_SECONDS))
