"""Sessions read through the cache keep their cached copy for a short while only, so a
sign-out that could not reach the cache (Redis unreachable: its errors are ignored) still holds
once that while is over."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


class RecordingCache:
    def __init__(self):
        self.timeouts = []

    def get(self, key, default=None):
        return default

    def set(self, key, value, timeout=None, **kwargs):
        self.timeouts.append(timeout)

    def __contains__(self, key):
        return False

    def delete(self, key):
        return False  # as when Redis is unreachable: nothing removed


def _store_with(cache):
    store = SessionStore()
    store._cache._cache = cache
    return store


@override_settings(SESSION_CACHE_SECONDS=60)
def test_the_cached_copy_lives_a_minute_at_most():
    cache = RecordingCache()
    store = _store_with(cache)
    store["_auth_user_id"] = "1"
    store.save()
    reader = _store_with(cache)
    reader._session_key = store.session_key
    assert reader.load() == {"_auth_user_id": "1"}  # from the database, then cached
    assert cache.timeouts
    assert max(cache.timeouts) == 60
    assert settings.SESSION_COOKIE_AGE > 60


# The local-memory cache expires by the clock time-machine moves (Redis counts on its own).
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_sign_out_that_missed_the_cache_holds_once_the_copy_expires(time_machine):
    time_machine.move_to("2026-11-29 12:00:00+00:00", tick=False)
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.save()
    key = store.session_key
    session_cache = caches[settings.SESSION_CACHE_ALIAS]
    cached = session_cache.get(store.cache_key)
    # The sign-out reaches the database only (the cache delete was lost).
    SessionStore(key).delete()
    session_cache.set(store.cache_key, cached, settings.SESSION_CACHE_SECONDS)
    assert SessionStore(key).load() == {"_auth_user_id": "1"}  # the stale copy, for now
    time_machine.shift(settings.SESSION_CACHE_SECONDS + 1)
    assert SessionStore(key).load() == {}
