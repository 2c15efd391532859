"""Values read once per request: the cache versions that key every cached route, restriction
list, fragment and permission set (``psm.caching``, ``psm.page_cache``, ``accounts.backends``)
and the default locale's id were each read from Redis two to four times per page.

Inside a request (``config.middleware.RequestMemoMiddleware`` opens the memo and closes it when
the response is done), :func:`once_per_request` reads a key the first time and answers from
the memo after that; outside a request (Celery, the shell, a socket) it always reads. A version
bumped during the request is remembered at once (:func:`remember`), so the request's own later
reads follow its own writes; another process's bump is seen from the next request on, as a
request that began a moment earlier would have seen it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_MEMO: ContextVar[dict | None] = ContextVar("psm_request_memo", default=None)


def once_per_request(key: str, read: Callable[[], T]) -> T:
    memo = _MEMO.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def remembered(key: str):
    """The value this request already read for ``key``, or None."""
    memo = _MEMO.get()
    return None if memo is None else memo.get(key)


def remember(key: str, value) -> None:
    memo = _MEMO.get()
    if memo is not None:
        memo[key] = value


def open_memo():
    return _MEMO.set({})


def close_memo(token) -> None:
    _MEMO.reset(token)


# --------------------------------------------------------------------------- read together

#: A request's keys read in one cache round trip (:func:`read_together`).
_TOGETHER = "core.request_memo:together"
#: A key read together and not in the cache.
MISSING = object()


class _Together:
    __slots__ = ("keys", "values")

    def __init__(self, keys):
        self.keys = set(keys)
        self.values: dict | None = None  # read on first use


def read_together(keys) -> None:
    """Within this request, the first cache read of any of ``keys`` reads them all in one round
    trip (``config.cache.ResilientRedisCache`` asks :func:`together_value`): the versions and the
    session, which nearly every page reads one after the other. Writes by this request to those
    keys update the copy (:func:`together_wrote`, :func:`together_unknown`)."""
    memo = _MEMO.get()
    if memo is not None:
        memo[_TOGETHER] = _Together(keys)


def together_value(key, read_many):
    """``(True, value or MISSING)`` when ``key`` is read together in this request (all of them
    read with ``read_many(keys) -> {key: value}`` the first time); ``(False, None)`` else."""
    memo = _MEMO.get()
    together = None if memo is None else memo.get(_TOGETHER)
    if together is None or key not in together.keys:
        return False, None
    if together.values is None:
        together.values = read_many(list(together.keys))
    return True, together.values.get(key, MISSING)


def together_wrote(key, value) -> None:
    """This request set ``key`` to ``value`` (MISSING: deleted it)."""
    memo = _MEMO.get()
    together = None if memo is None else memo.get(_TOGETHER)
    if together is not None and together.values is not None and key in together.keys:
        if value is MISSING:
            together.values.pop(key, None)
        else:
            together.values[key] = value


def together_unknown(key) -> None:
    """What the cache holds under ``key`` is not known here any more: read it again."""
    memo = _MEMO.get()
    together = None if memo is None else memo.get(_TOGETHER)
    if together is not None:
        together.keys.discard(key)
