"""Whole-page cache for anonymous visitors of the Wagtail pages (docs/performance.md).

What is cached: the HTML of a Wagtail page (``psm.views.serve``) answered ``200`` to a ``GET``
from a visitor who carries **no session cookie and no message cookie** (so: not signed in, no
pending message, nothing personal kept server-side) and who did not ask through htmx. Nothing
else: a signed-in person, or anyone with a session (a workshop device, a half-finished form),
is always served by Wagtail.

How it stays fresh: the key holds the **content version** (a token replaced after every save or
delete of any model but the session and the votes, at once and again on commit), the **tallies
version** (the same, for the votes: :data:`TALLY_MODELS`) and the **page version**
(``psm.caching``: publish, unpublish, move…), the language, the host, the path and the query
string. A write anywhere makes every cached page unreachable for the next visitor; nothing is
ever served from a version older than the last change.

Why two data versions: a vote changes the totals that pages show, but none of the facts a vote
is checked against (the proposal or statement, its consultation, the phases, who is
suspended, the view restrictions). Those facts are cached under the content and page versions
only (:func:`facts_versions`), so a burst of votes keeps them cached while every page and
fragment (:func:`request_versions`) is rendered again with the new totals. What no signal announces is bounded by
time: an entry lives at most :data:`MAX_AGE` seconds, and a page whose content turns with the
clock (a consultation's phases) shortens that with :func:`expires_at`. Writes that bypass
Django's signals (``QuerySet.update``, ``bulk_create``) call :func:`bump_content_version` (or
:func:`bump_tallies_version` for votes) themselves where a page shows what they write (the
budget ballot).

The CSRF token of the page's forms (the language switch, the follow button) is personal: before
storing, every token that unmasks to the storing request's secret is replaced by a placeholder,
and each hit puts in a fresh token for its own visitor (``core.csrf.masked_token``, which also
sets their CSRF cookie). Headers are stored without cookies; the middleware outside the view
(security, CSP, locale, CSRF) adds its headers to a hit as to any response.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.utils.translation import get_language

from accounts.backends import VERSION_KEY as PERMISSIONS_VERSION_KEY
from accounts.session_user import USERS_VERSION_KEY
from core.csrf import masked_token
from core.request_memo import once_per_request, remember, remembered
from core.versions import read_version, replace_version
from psm.caching import PAGE_VERSION_KEY, page_version

CONTENT_VERSION_KEY = "psm:content:version"
TALLIES_VERSION_KEY = "psm:tallies:version"
#: Every cache version a request may read (the content, tallies and pages versions, the
#: permissions and people versions of ``accounts``): read together, in one round trip
#: (``config.middleware.RequestMemoMiddleware``, ``consultations.quick``).
VERSION_KEYS = (
    CONTENT_VERSION_KEY,
    TALLIES_VERSION_KEY,
    PAGE_VERSION_KEY,
    PERMISSIONS_VERSION_KEY,
    USERS_VERSION_KEY,
)
VERSION_TIMEOUT = 60 * 60 * 24
#: The longest an entry lives: bounds what no signal announces (a phase starting, an update
#: through ``QuerySet.update`` elsewhere).
MAX_AGE = 30
MAX_QUERY_LENGTH = 200
CSRF_PLACEHOLDER = b"\x00psm-csrf-token\x00"
#: Models whose writes change nothing an anonymous visitor sees.
IGNORED_MODELS = {"sessions.session"}
#: Models whose writes change totals shown on pages and nothing a vote is checked against:
#: they replace the tallies version, not the content version (so does marking notifications
#: read, an ``UPDATE``: ``consultations.apps``). A participation row is written with a
#: person's first vote or proposal in a consultation (the statistics count it).
TALLY_MODELS = {"proposals.vote", "conversations.statementvote", "consultations.participation"}
_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
_STATE_ATTRIBUTE = "psm_page_cache"


# --------------------------------------------------------------------------- versions


def content_version() -> str:
    """The current content version; read once per request (``core.request_memo``)."""
    return once_per_request(CONTENT_VERSION_KEY, lambda: _read_version(CONTENT_VERSION_KEY))


def tallies_version() -> str:
    """The current tallies version (the votes); read once per request."""
    return once_per_request(TALLIES_VERSION_KEY, lambda: _read_version(TALLIES_VERSION_KEY))


def _read_version(key: str) -> str:
    return read_version(key, VERSION_TIMEOUT)


def bump_content_version() -> None:
    """Every cached anonymous page, fragment and cached fact becomes unreachable, now and once
    the transaction commits (a page rendered from the data before the commit cannot stay
    current)."""
    _bump_now_and_on_commit(CONTENT_VERSION_KEY, bump_after_commit)


def bump_after_commit() -> None:
    """The commit half of :func:`bump_content_version` (one per transaction)."""
    _bump(CONTENT_VERSION_KEY)


def bump_tallies_version() -> None:
    """A vote was stored or taken back: every cached page and fragment (they show totals)
    becomes unreachable, now and on commit; the facts a vote is checked against stay."""
    _bump_now_and_on_commit(TALLIES_VERSION_KEY, bump_tallies_after_commit)


def bump_tallies_after_commit() -> None:
    """The commit half of :func:`bump_tallies_version` (one per transaction)."""
    _bump(TALLIES_VERSION_KEY)


def _bump_now_and_on_commit(key: str, after_commit) -> None:
    _bump(key)
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback is after_commit for _sids, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(after_commit)


def _bump(key: str) -> None:
    replace_version(key, VERSION_TIMEOUT)


def _model_written(sender, **kwargs):
    label = sender._meta.label_lower  # noqa: SLF001
    if label in TALLY_MODELS:
        bump_tallies_version()
    elif label not in IGNORED_MODELS:
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
    """The data version (content and tallies together) and the page version for this request,
    read once (one cache round trip) and kept on a ``GET`` request: the anonymous page cache,
    the routing (``psm.caching``) and the fragment caches all key on them. A request that
    writes reads them again each time."""
    kept = getattr(request, "psm_versions", None)
    if kept is not None:
        return kept
    content, tallies, pages = _versions()
    versions = (f"{content}.{tallies}", pages)
    if request is not None and request.method in {"GET", "HEAD"}:
        request.psm_versions = versions
        request.psm_page_version = pages  # psm.caching's routing reads it from here
    return versions


def facts_versions() -> tuple[str, str]:
    """The content and page versions without the tallies: the key of facts a vote is checked
    against (a proposal or statement with its consultation, phases, blocks, restrictions),
    which no vote changes. Read with :func:`request_versions` in one round trip."""
    content, _tallies, pages = _versions()
    return content, pages


def _versions() -> tuple[str, str, str]:
    keys = (CONTENT_VERSION_KEY, TALLIES_VERSION_KEY, PAGE_VERSION_KEY)
    values = [remembered(key) for key in keys]
    if None in values:
        found = cache.get_many(list(keys))  # one round trip
        for key, value in found.items():
            remember(key, value)
        values = [found.get(key) for key in keys]
        readers = (content_version, tallies_version, page_version)
        values = [value or read() for value, read in zip(values, readers, strict=True)]
    return tuple(values)


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


def fragment_value(key: str, build):
    """The value kept under ``key`` (a :func:`fragment_key`), else ``build()``, kept."""
    value = fragment_get(key)
    if value is None:
        value = build()
        fragment_set(key, value)
    return value


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
        content = content.replace(CSRF_PLACEHOLDER, masked_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response.psm_cached = True
    return response
