"""Sessions: stored in the database, read through the cache for a short while.

Django's ``cached_db`` keeps the cached copy as long as the session lives (two weeks). The
cache ignores Redis errors (``config.cache.ResilientRedisCache``), so a sign-out while Redis is
unreachable deletes the database row but not the cached copy; if Redis comes back with its data
(a network cut rather than a restart), that copy would open the session again until it expired.
Here the cached copy lives at most ``SESSION_CACHE_SECONDS`` (60 s by default): a session read
more often than that (a participant voting, browsing) is still one cache read and no query, and
a sign-out that missed the cache holds for good after that many seconds at most.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class _ShortLived:
    """The session cache, with every timeout capped."""

    def __init__(self, cache, seconds: int):
        self._cache = cache
        self._seconds = seconds

    def _cap(self, timeout):
        return self._seconds if timeout is None else min(timeout, self._seconds)

    def set(self, key, value, timeout=None, **kwargs):
        return self._cache.set(key, value, self._cap(timeout), **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        return await self._cache.aset(key, value, self._cap(timeout), **kwargs)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLived(self._cache, settings.SESSION_CACHE_SECONDS)
