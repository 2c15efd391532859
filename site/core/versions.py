"""Cache versions: a random token under a key, replaced whenever what it versions changes, so
that every entry keyed on the old token becomes unreachable at once (``psm.caching``,
``psm.page_cache``, ``proposals.caching``, ``accounts.backends``, ``accounts.session_user``)."""

from __future__ import annotations

import uuid

from django.core.cache import cache

from core.request_memo import remember


def read_version(key: str, timeout: int) -> str:
    """The token under ``key``; a new one if there is none (the first writer wins a race)."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, timeout):
            version = cache.get(key) or version
    return version


def replace_version(key: str, timeout: int) -> str:
    """A new token under ``key``, remembered by this request (``core.request_memo``): its own
    later reads follow its own write."""
    version = uuid.uuid4().hex
    cache.set(key, version, timeout)
    remember(key, version)
    return version
