"""Keys a request reads together (``core.request_memo.read_together``, served by
``config.cache.ResilientRedisCache``): the first read of any brings them all in one round trip;
the others come from that copy, which the request's own writes keep true."""

import pytest
from django.core.cache import caches

from config.cache import ResilientRedisCache
from core.request_memo import close_memo, open_memo, read_together

cache = caches["default"]
pytestmark = pytest.mark.skipif(
    not isinstance(cache, ResilientRedisCache), reason="the Redis cache (REDIS_URL) only"
)


@pytest.fixture
def trips(monkeypatch):
    """Round trips made, as the list of keys each asked for."""
    made = []
    real = ResilientRedisCache.get_many_now

    def counted(self, keys, version=None):
        made.append(sorted(keys))
        return real(self, keys, version)

    monkeypatch.setattr(ResilientRedisCache, "get_many_now", counted)
    return made


@pytest.fixture
def request_memo():
    token = open_memo()
    yield
    close_memo(token)


def test_the_first_read_brings_them_all(trips, request_memo):
    cache.set_many({"rt:a": 1, "rt:b": 2})
    cache.delete("rt:c")
    read_together(["rt:a", "rt:b", "rt:c"])
    assert cache.get("rt:b") == 2
    assert trips == [["rt:a", "rt:b", "rt:c"]]
    assert cache.get("rt:a") == 1
    assert cache.get("rt:c", "absent") == "absent"
    assert cache.get_many(["rt:a", "rt:c"]) == {"rt:a": 1}
    assert len(trips) == 1
    cache.set("rt:d", 4)
    assert cache.get_many(["rt:b", "rt:d"]) == {"rt:b": 2, "rt:d": 4}
    assert trips[1] == ["rt:d"]  # only what was not read together


def test_the_requests_own_writes_are_seen(trips, request_memo):
    cache.set_many({"rt:a": 1, "rt:b": 2, "rt:c": 3})
    read_together(["rt:a", "rt:b", "rt:c"])
    assert cache.get("rt:a") == 1
    cache.set("rt:a", 10)
    cache.delete("rt:b")
    assert cache.get("rt:a") == 10
    assert cache.get("rt:b") is None
    assert len(trips) == 1
    # ``add`` may meet another request's value: the key is read from the cache again.
    assert cache.add("rt:c", 30) is False
    assert cache.get("rt:c") == 3
    assert cache.get("rt:a") == 10


def test_outside_a_request_every_read_goes_to_the_cache(trips):
    cache.set("rt:a", 1)
    read_together(["rt:a"])  # no request memo: nothing registered
    assert cache.get("rt:a") == 1
    assert cache.get("rt:a") == 1
    assert cache.get_many(["rt:a"]) == {"rt:a": 1}
    assert trips == [["rt:a"]]  # get() reads without get_many_now: only the get_many counted
