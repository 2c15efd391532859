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
