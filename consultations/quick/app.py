"""The quick path's WSGI application (see the package's docstring).

A handler (:class:`Handler`) names the one request it answers (a path, the form fields its
button sends, whether only with htmx) and answers it from a request already accepted here: Django's CSRF and security
middleware satisfied with the cookies as they are, no query string, no other field, a session
read as Django reads it, in the site's first language. It returns the answer, or None to hand
the request to Django, which then answers as if nothing had happened (the body is given back
unread). Any exception does the same, logged.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import Protocol

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import signals
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts.backends import VERSION_KEY as PERMISSIONS_VERSION_KEY
from accounts.backends import permissions_version
from accounts.session_user import USERS_VERSION_KEY, session_user, users_version
from consultations.quick.writer import WriterUnavailable
from consultations.visibility import Viewer
from core.request_memo import close_memo, open_memo, remember
from psm.page_cache import VERSION_KEYS

logger = logging.getLogger(__name__)

MAX_BODY = 4096


@dataclass(frozen=True)
class Person:
    """Who sends an accepted request: the user, and the viewer that visibility checks take."""

    user: object
    viewer: Viewer


class Handler(Protocol):
    #: The path it answers, with the object's id as the first group.
    path: re.Pattern
    #: The form fields its button sends; a request with any other goes to Django.
    fields: frozenset[str]
    #: Whether only requests sent by htmx are answered (else plain forms too).
    htmx_only: bool

    def answer(self, request, pk: int, person: Person) -> HttpResponse | None: ...


def _not_called(request):  # the middleware below are used only for their hooks
    raise AssertionError


class QuickPath:
    """WSGI application: the handlers' requests when they can be answered here, else
    ``application``."""

    def __init__(self, application, handlers: list[Handler]):
        self.application = application
        self.handlers = list(handlers)
        self.enabled = settings.QUICK_SUPPORT
        self._csrf = CsrfViewMiddleware(_not_called)
        self._security = SecurityMiddleware(_not_called)
        self._outbound = [  # response hooks, in the order Django's stack runs them
            CSPMiddleware(_not_called),
            XFrameOptionsMiddleware(_not_called),
            self._security,
        ]
        self._outbound_headers: dict[bool, list[tuple[str, str]]] = {}
        # The session engine's store, as Django's session middleware loads it.
        self._session_store = SessionMiddleware(_not_called).SessionStore

    def __call__(self, environ, start_response):
        found = self._candidate(environ)
        if found is None:
            return self.application(environ, start_response)
        handler, pk = found
        body = _read_body(environ)
        response = None
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
            response = self._answer(environ, handler, pk)
            environ["wsgi.input"] = io.BytesIO(body)  # unread, for the view
        if response is None:
            return self.application(environ, start_response)
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [
            *response.items(),
            *(("Set-Cookie", cookie.OutputString()) for cookie in response.cookies.values()),
        ]
        start_response(status, headers)
        return [response.content]

    def _candidate(self, environ) -> tuple[Handler, int] | None:
        if not self.enabled or environ.get("REQUEST_METHOD") != "POST":
            return None
        if environ.get("HTTP_X_BENCH_COUNT_QUERIES"):  # the bench's query count: the view's
            return None
        htmx = environ.get("HTTP_HX_REQUEST") == "true"
        path = environ.get("PATH_INFO", "")
        for handler in self.handlers:
            match = handler.path.fullmatch(path)
            if match is not None and (htmx or not handler.htmx_only):
                return handler, int(match[1])
        return None

    # ----------------------------------------------------------------------- the answer

    def _answer(self, environ, handler: Handler, pk: int):
        """The handler's answer, or None: the view decides."""
        signals.request_started.send(sender=self.__class__, environ=environ)
        token = open_memo()
        try:
            with translation.override(settings.LANGUAGE_CODE):
                request = WSGIRequest(environ)
                if not self._request_accepted(request, handler.fields):
                    return None
                person = self._person(request)
                if person is None:
                    return None
                request.user = person.user
                response = handler.answer(request, pk, person)
                return None if response is None else self._finish(request, response)
        except WriterUnavailable:
            return None
        except Exception:
            logger.warning("quick request handed to the view", exc_info=True)
            return None
        finally:
            close_memo(token)
            # As at the end of any Django request: connections go back to the pool, caches
            # close; also when the view takes the request over (it opens its own).
            signals.request_finished.send(sender=self.__class__)

    def _request_accepted(self, request, fields: frozenset[str]) -> bool:
        """Only the button's own fields, signed in, no HTTPS redirect due, and Django's CSRF
        middleware satisfied with the cookie as it is."""
        if set(request.POST) - fields or request.GET:
            return False
        if any("\x00" in value for values in request.POST.lists() for value in values[1]):
            return False  # the view answers 400 (config.middleware.RejectNullCharactersMiddleware)
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return False
        if self._security.process_request(request) is not None:
            return False
        if self._csrf.process_request(request) is not None:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        return self._csrf.process_view(request, None, (), {}) is None

    def _person(self, request) -> Person | None:
        """The person, with the cache versions, in one round trip (the session from the
        database when it is not in the cache); None when the view must decide (no such session,
        or not accepted as it is: ``accounts.session_user``; a language to remember)."""
        store = self._session_store(request.COOKIES[settings.SESSION_COOKIE_NAME])
        if not store.session_key:  # malformed: the view's session middleware ignores it
            return None
        request.session = store  # as the session middleware sets it (read again if used)
        found = caches[settings.SESSION_CACHE_ALIAS].get_many([store.cache_key, *VERSION_KEYS])
        session = found.get(store.cache_key)
        if session is None:
            session = store.load()  # the session engine's own read: the database, then cached
        if not session:  # none, or expired
            return None
        for key in VERSION_KEYS:  # remembered for the request (``core.request_memo``)
            if found.get(key):
                remember(key, found[key])
        user = session_user(  # a version not in the cache yet is made (one more round trip)
            session,
            users=found.get(USERS_VERSION_KEY) or users_version(),
            permissions=found.get(PERMISSIONS_VERSION_KEY) or permissions_version(),
        )
        if user is None or getattr(user, "language", "") != settings.LANGUAGE_CODE:
            return None
        return Person(user=user, viewer=Viewer(user=user, session=session))

    def _finish(self, request, response):
        response = self._csrf.process_response(request, response)
        for name, value in self._headers_added(request):
            response.headers.setdefault(name, value)
        # What the locale, session and common middleware add to the view's answer, in their
        # order (the CSRF middleware's "Cookie" comes first when it set its cookie).
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        response.headers.setdefault("Content-Length", str(len(response.content)))
        return response

    def _headers_added(self, request) -> list[tuple[str, str]]:
        """The headers the security, framing and CSP middleware add to an answer of this path
        (they depend on the settings and on HTTPS only: the fragments use no CSP nonce), found
        once by running them on an empty answer."""
        secure = request.is_secure()
        added = self._outbound_headers.get(secure)
        if added is None:
            probe = HttpResponse()
            before = set(probe.headers)
            for middleware in self._outbound:
                probe = middleware.process_response(request, probe)
            added = [(k, v) for k, v in probe.headers.items() if k not in before]
            self._outbound_headers[secure] = added
        return added


def _read_body(environ) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length < 0 or length > MAX_BODY:
        return None
    return environ["wsgi.input"].read(length) if length else b""
