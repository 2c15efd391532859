"""Cache versions read once per request (core.request_memo, config.middleware.RequestMemoMiddleware)
and the Redis cache client reused across calls (config.cache): issue 14's fourth pass."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.backends import VERSION_KEY, bump_permissions_version, permissions_version
from config.cache import ResilientRedisCache
from core.request_memo import close_memo, once_per_request, open_memo, remember
from psm.caching import PAGE_VERSION_KEY, bump_page_version, page_version
from psm.page_cache import CONTENT_VERSION_KEY, bump_content_version, content_version


def test_outside_a_request_every_read_goes_to_the_cache():
    reads = []
    assert once_per_request("k", lambda: reads.append(1) or len(reads)) == 1
    assert once_per_request("k", lambda: reads.append(1) or len(reads)) == 2


def test_inside_a_request_a_key_is_read_once_and_a_bump_is_followed():
    token = open_memo()
    try:
        reads = []
        assert once_per_request("k", lambda: reads.append(1) or "first") == "first"
        assert once_per_request("k", lambda: reads.append(1) or "second") == "first"
        assert len(reads) == 1
        remember("k", "bumped")
        assert once_per_request("k", lambda: "never") == "bumped"
    finally:
        close_memo(token)
    assert once_per_request("k", lambda: "fresh") == "fresh"


@pytest.mark.django_db
def test_versions_bumped_in_a_request_are_the_ones_it_reads_after():
    token = open_memo()
    try:
        before = (page_version(), content_version(), permissions_version())
        cache.set(PAGE_VERSION_KEY, "another process")  # seen from the next request on
        assert page_version() == before[0]
        bump_page_version()
        bump_content_version()
        bump_permissions_version()
        after = (page_version(), content_version(), permissions_version())
        assert all(a != b for a, b in zip(after, before, strict=True))
        assert after == (
            cache.get(PAGE_VERSION_KEY),
            cache.get(CONTENT_VERSION_KEY),
            cache.get(VERSION_KEY),
        )
    finally:
        close_memo(token)


@pytest.mark.django_db
def test_each_request_reads_the_versions_afresh(plan):
    client = Client()
    client.get("/")
    bump_page_version()  # between two requests: the next one must see it
    assert page_version() == cache.get(PAGE_VERSION_KEY)
    assert client.get("/").status_code == 200


def test_the_redis_client_is_built_once_per_pool():
    """Django's RedisCacheClient wraps its pool in a new redis.Redis on every call; ours keeps
    one (no connection is opened to build it)."""
    backend = ResilientRedisCache("redis://127.0.0.1:6399/0", {})
    client = backend._cache  # noqa: SLF001
    first = client.get_client("k")
    assert client.get_client("k") is first
    assert client.get_client("k", write=True) is first  # one server: one pool
