"""A Redis cache that degrades to "nothing cached" when Redis is unreachable.

Django's RedisCache raises on every call while Redis is down, and Wagtail reads the site's root
paths from the cache on every page: one Redis outage and every page answers 500 (measured by
the Redis-outage drill, docs/reliability.md). Here reads miss and writes are dropped instead,
with one warning every ``WARN_EVERY`` seconds; /healthz still reports the cache as down, and
anything that needs the cache to hold a value (rate limits) fails open until Redis is back.

It also keeps one ``redis.Redis`` client per connection pool instead of Django's new one on
every call: building one costs about 0.07 ms of CPU, and a signed-in page makes a dozen cache
calls (docs/performance.md, issue 14's fourth pass). And within a request it reads the keys
the request named with ``core.request_memo.read_together`` (the versions and the session) in
one round trip, the first time any of them is read, and serves the others from that copy,
which its own writes keep up to date.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.request_memo import MISSING, together_unknown, together_value, together_wrote

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
WARN_EVERY = 30.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, with the ``redis.Redis`` object around each pool made once. A client
    holds no connection of its own (each command takes one from the pool, which is thread-safe
    and reopens its connections after a fork), so sharing it is what redis-py recommends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(index))
            self._clients[index] = client
        return client


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    @staticmethod
    def _wrote(key, value, version) -> None:
        """Keep the request's copy of keys read together up to date (MISSING: deleted)."""
        if version is None:
            together_wrote(key, value)
        else:
            together_unknown(key)

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARN_EVERY:
            ResilientRedisCache._last_warning = now
            logger.warning("cache unreachable (%s): %s; serving without cache", operation, error)

    def get(self, key, default=None, version=None):
        if version is None:
            together, value = together_value(key, self.get_many_now)
            if together:
                return default if value is MISSING else value
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._unreachable("get", error)
            return default

    def get_many(self, keys, version=None):
        keys = list(keys)
        found = {}
        if version is None:
            rest = []
            for key in keys:
                together, value = together_value(key, self.get_many_now)
                if not together:
                    rest.append(key)
                elif value is not MISSING:
                    found[key] = value
            keys = rest
        if keys:
            found.update(self.get_many_now(keys, version))
        return found

    def get_many_now(self, keys, version=None):
        """One round trip for ``keys``, whatever was read together."""
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._wrote(key, value, version)
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set", error)
            return None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            self._wrote(key, value, version)
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        together_unknown(key)  # another request's value may be there: read it again
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("add", error)
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        self._wrote(key, MISSING, version)
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        keys = list(keys)
        for key in keys:
            self._wrote(key, MISSING, version)
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("delete_many", error)
            return None

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            self._unreachable("clear", error)
            return None
