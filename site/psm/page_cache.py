"""Whole-page cache for anonymous visitors of the Wagtail pages (docs/performance.md).

What is cached: the HTML of a Wagtail page (``psm.views.serve``) answered ``200`` to a ``GET``
from a visitor who carries **no session cookie and no message cookie** (so: not signed in, no
pending message, nothing personal kept server-side) and who did not ask through htmx. Nothing
else: a signed-in person, or anyone with a session (a workshop device, a half-finished form),
is always served by Wagtail.

How it stays fresh: the key holds the **content version** (a token replaced after every save or
delete of any model but the session, at once and again on commit) and the **page version**
(``psm.caching``: publish, unpublish, move…), the language, the host, the path and the query
string. A write anywhere makes every cached page unreachable for the next visitor; nothing is
ever served from a version older than the last change. What no signal announces is bounded by
time: an entry lives at most :data:`MAX_AGE` seconds, and a page whose content turns with the
clock (a consultation's phases) shortens that with :func:`expires_at`. Writes that bypass
Django's signals (``QuerySet.update``, ``bulk_create``) call :func:`bump_content_version`
themselves where a page shows what they write (the budget ballot).

The CSRF token of the page's forms (the language switch, the follow button) is personal: before
storing, every token that unmasks to the storing request's secret is replaced by a placeholder,
and each hit puts in a fresh token for its own visitor (``get_token``, which also sets their
CSRF cookie). Headers are stored without cookies; the middleware outside the view (security,
CSP, locale, CSRF) adds its headers to a hit as to any response.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.translation import get_language

from core.request_memo import once_per_request, remember, remembered
from psm.caching import PAGE_VERSION_KEY, page_version

CONTENT_VERSION_KEY = "psm:content:version"
VERSION_TIMEOUT = 60 * 60 * 24
#: The longest an entry lives: bounds what no signal announces (a phase starting, an update
#: through ``QuerySet.update`` elsewhere).
MAX_AGE = 30
MAX_QUERY_LENGTH = 200
CSRF_PLACEHOLDER = b"\x00psm-csrf-token\x00"
#: Models whose writes change nothing an anonymous visitor sees.
IGNORED_MODELS = {"sessions.session"}
_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
_STATE_ATTRIBUTE = "psm_page_cache"


# --------------------------------------------------------------------------- versions


def content_version() -> str:
    """The current content version; read once per request (``core.request_memo``)."""
    return once_per_request(CONTENT_VERSION_KEY, _read_content_version)


def _read_content_version() -> str:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(CONTENT_VERSION_KEY, version, VERSION_TIMEOUT):
            version = cache.get(CONTENT_VERSION_KEY) or version
    return version


def bump_content_version() -> None:
    """Every cached anonymous page becomes unreachable, now and once the transaction commits
    (a page rendered from the data before the commit cannot stay current)."""
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback is bump_after_commit for _sids, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(bump_after_commit)


def bump_after_commit() -> None:
    """The commit half of :func:`bump_content_version` (one per transaction)."""
    _bump()


def _bump() -> None:
    version = uuid.uuid4().hex
    cache.set(CONTENT_VERSION_KEY, version, VERSION_TIMEOUT)
    remember(CONTENT_VERSION_KEY, version)


def _model_written(sender, **kwargs):
    if sender._meta.label_lower not in IGNORED_MODELS:  # noqa: SLF001
        bump_content_version()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_model_written, dispatch_uid=f"psm-content-version-{id(signal)}")


# --------------------------------------------------------------------------- requests


def expires_at(request, when: float) -> None:
    """The page shown to ``request`` changes by itself at ``when`` (a Unix time): a cached copy
    must not outlive it."""
    state = getattr(request, _STATE_ATTRIBUTE, None)
    if state is not None:
        state["expires"] = min(state["expires"], when)


def _eligible(request) -> bool:
    if not settings.PSM_PAGE_CACHE:
        return False
    if request.method != "GET" or request.headers.get("HX-Request"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "messages" in request.COOKIES:  # messages' CookieStorage cookie name
        return False
    return len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH


def request_versions(request) -> tuple[str, str]:
    """The content and page versions for this request, read once (one cache round trip) and
    kept on a ``GET`` request: the anonymous page cache, the routing (``psm.caching``) and the
    fragment caches all key on them. A request that writes reads them again each time."""
    content = getattr(request, "psm_content_version", None)
    pages = getattr(request, "psm_page_version", None)
    if content is not None and pages is not None:
        return content, pages
    content = remembered(CONTENT_VERSION_KEY)
    pages = remembered(PAGE_VERSION_KEY)
    if content is None or pages is None:
        versions = cache.get_many([CONTENT_VERSION_KEY, PAGE_VERSION_KEY])  # one round trip
        for key, value in versions.items():
            remember(key, value)
        content = versions.get(CONTENT_VERSION_KEY) or content_version()
        pages = versions.get(PAGE_VERSION_KEY) or page_version()
    if request is not None and request.method in {"GET", "HEAD"}:
        request.psm_content_version = content
        request.psm_page_version = pages  # psm.caching's routing reads it from here
    return content, pages


def _digest(*parts) -> str:
    raw = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _key(request, path: str) -> str:
    digest = _digest(request.get_host(), path, request.META.get("QUERY_STRING", ""))
    content, pages = request_versions(request)
    return f"psm:anon-page:{content}:{pages}:{get_language() or ''}:{digest}"


# --------------------------------------------------------------------------- fragments


def fragment_key(request, name: str, *vary) -> str:
    """The key of a fragment that is the same for everybody who sees it (navigation, footer,
    a page's body, a list of proposal cards): the same content and page versions as the whole
    pages (one key scheme: any write makes every fragment unreachable), the language, the
    fragment's name and whatever else it depends on (``vary``)."""
    content, pages = request_versions(request)
    return f"psm:fragment:{content}:{pages}:{get_language() or ''}:{name}:{_digest(*vary)}"


def fragment_get(key: str):
    if not settings.PSM_PAGE_CACHE:
        return None
    return cache.get(key)


def fragment_set(key: str, value) -> None:
    """Keep a fragment at most :data:`MAX_AGE` seconds, like a whole page."""
    if settings.PSM_PAGE_CACHE:
        cache.set(key, value, MAX_AGE)


def fetch(request, path: str) -> HttpResponse | None:
    """The cached response for this anonymous request, or None (then :func:`store` after the
    view). Marks the request as a candidate for :func:`store`."""
    if not _eligible(request):
        return None
    key = _key(request, path)
    entry = cache.get(key)
    if entry is not None and entry["expires"] > time.time():
        return _rebuild(request, entry)
    setattr(request, _STATE_ATTRIBUTE, {"key": key, "expires": time.time() + MAX_AGE})
    return None


def store(request, response) -> None:
    """Keep ``response`` for the next anonymous visitors, when nothing in it is personal."""
    state = getattr(request, _STATE_ATTRIBUTE, None)
    if state is None or response.status_code != 200 or response.streaming:
        return
    if response.cookies or response.has_header("Cache-Control"):
        return  # the view set a cookie, or said how (not) to cache it
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    content = _strip_csrf(request, response.content)
    ttl = int(state["expires"] - time.time())
    if ttl <= 0:
        return
    headers = {
        name: value for name, value in response.items() if name.lower() not in {"set-cookie"}
    }
    entry = {
        "content": content,
        "status": response.status_code,
        "headers": headers,
        "expires": state["expires"],
    }
    cache.set(state["key"], entry, ttl)


def _strip_csrf(request, content: bytes) -> bytes:
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content

    def replace(match: re.Match) -> bytes:
        token = match.group(0)
        if _unmask_cipher_token(token.decode()) == secret:
            return CSRF_PLACEHOLDER
        return token

    return _TOKEN.sub(replace, content)


def _rebuild(request, entry: dict) -> HttpResponse:
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response.psm_cached = True
    return response
