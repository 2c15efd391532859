"""The Redis cache degrades to "nothing cached" while Redis is unreachable."""

import socket

import pytest

from config.cache import ResilientRedisCache


@pytest.fixture
def dead_redis_url():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(dead_redis_url, caplog):
    cache = ResilientRedisCache(
        dead_redis_url, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    cache.set("k", 1)
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.add("k", 1) is False
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a"])
    cache.clear()
    assert "cache unreachable" in caplog.text


def test_it_is_a_normal_redis_cache_when_redis_answers():
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    cache = ResilientRedisCache(url, {"KEY_PREFIX": "psm-drill-cache-test"})
    cache.set("k", {"v": 1}, 5)
    assert cache.get("k") == {"v": 1}
    cache.delete("k")
