"""Values kept in this process for a burst of requests that all need the same ones (the facts a
vote is checked against, the person of a session, a rendered answer): at most ``size`` of them,
the oldest pushed out first, each for at most ``max_age`` seconds, safe across threads.

With ``copies=True`` a value is kept pickled and every ``get`` unpickles its own copy, so that
no two requests share (and change) one object. Keys carry the cache versions the value depends
on: a change anywhere makes the old entries unreachable, as in the shared cache.
"""

from __future__ import annotations

import pickle
import threading
import time
import weakref
from collections import OrderedDict

from core.connections import give_back_connections

_every: weakref.WeakSet[Kept] = weakref.WeakSet()


class Kept:
    def __init__(self, size: int, max_age: float | None = None, *, copies: bool = False):
        self.size = size
        self.max_age = max_age
        self.copies = copies
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict = {}  # key → the lock of the one thread loading it
        _every.add(self)

    def get(self, key):
        """The value kept under ``key`` (a copy with ``copies``), or None."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return None
        until, value = entry
        if until is not None and until <= time.monotonic():
            return None
        return pickle.loads(value) if self.copies else value  # noqa: S301 - pickled here

    def put(self, key, value) -> None:
        if self.copies:
            value = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        until = None if self.max_age is None else time.monotonic() + self.max_age
        with self._lock:
            self._entries[key] = (until, value)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_load(self, key, load):
        """The value kept under ``key``, else ``load()``'s, kept (None is not kept). When many
        threads ask for the same missing key at once (a burst of votes on one new object), one
        of them loads it and the others wait for its value, holding no pooled database
        connection meanwhile (the loader may need one: ``core.connections``)."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            flight = self._loading.setdefault(key, threading.Lock())
        if not flight.acquire(blocking=False):  # another thread is loading it
            give_back_connections()
            flight.acquire()
        try:
            value = self.get(key)
            if value is None:
                value = load()
                if value is not None:
                    self.put(key, value)  # with ``copies``, pickled: the loaded one is the caller's
        finally:
            flight.release()
        with self._lock:
            self._loading.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def forget_everything_kept() -> None:
    """Empty every ``Kept`` of the process (tests: a rolled-back test leaves ids to reuse)."""
    for kept in list(_every):
        kept.clear()
