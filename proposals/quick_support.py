"""The quick path for a support sent with htmx: the busiest request of a live consultation.

A support through Django's full request cycle costs about ten cache and database round trips
and twenty middleware; on a two-core host that held the platform to about a hundred supports a
second (docs/performance.md). This WSGI wrapper, in front of the Django application
(``config.wsgi``), answers the one request that matters there, ``POST
/proposte/<id>/sostegno/`` sent by htmx (in Italian, with no other action), when it can be
**accepted as it is**, and hands every other request, and every doubt, to Django unchanged:

- the same checks, by the same code: Django's CSRF middleware on the request; the person read
  from the session as Django reads them (``accounts.session_user``, which refuses whatever Django
  would do more than accept); the proposal with the facts a support is checked against
  (``proposals.vote_facts``); the same rules, asked of the service
  (``proposals.services.votes.support_batchable``). Only plain support consultations: a
  limited or budget one, a refusal, a person already supporting, a language to remember, a session to renew all
  go to the view, which explains them;
- the cache versions, the session and the person in **one** cache round trip, the facts and the
  person kept in the process under those versions;
- the support stored by this process's batch writer (``proposals.support_writer``): durable
  before the answer, once per person by the database's constraint;
- the same answer: the fragment the view renders (``proposals.vote_fragment``), with the
  headers of the middleware that set them on it (security, framing, CSP, CSRF cookie).

Only on PostgreSQL (``settings.QUICK_SUPPORT``): the embedded SQLite default keeps the view.
"""

from __future__ import annotations

import io
import logging
import re

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import signals
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts.backends import VERSION_KEY as PERMISSIONS_VERSION_KEY
from accounts.backends import permissions_version
from accounts.session_user import USERS_VERSION_KEY, session_user, users_version
from consultations.visibility import Viewer
from core.request_memo import close_memo, open_memo, remember
from core.urls import next_from
from proposals.services import votes
from proposals.support_writer import WriterUnavailable, support_writer
from proposals.vote_facts import facts_key, proposal_for_vote
from proposals.vote_fragment import supported_fragment
from psm.caching import PAGE_VERSION_KEY
from psm.page_cache import CONTENT_VERSION_KEY, TALLIES_VERSION_KEY

logger = logging.getLogger(__name__)

PATH = re.compile(r"/proposte/([1-9][0-9]{0,17})/sostegno/")
#: Form fields the htmx button sends; any other (``azione=ritira``) goes to the view.
FIELDS = {"csrfmiddlewaretoken", "next"}
MAX_BODY = 4096
VERSION_KEYS = (
    CONTENT_VERSION_KEY,
    TALLIES_VERSION_KEY,
    PAGE_VERSION_KEY,
    PERMISSIONS_VERSION_KEY,
    USERS_VERSION_KEY,
)


def _not_called(request):  # the middleware below are used only for their hooks
    raise AssertionError


class QuickSupport:
    """WSGI application: the quick path for supports, else ``application``."""

    def __init__(self, application):
        self.application = application
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
        match = self._candidate(environ)
        if match is None:
            return self.application(environ, start_response)
        body = _read_body(environ)
        response = None
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
            response = self._answer(environ, int(match[1]))
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

    def _candidate(self, environ):
        if not self.enabled or environ.get("REQUEST_METHOD") != "POST":
            return None
        if environ.get("HTTP_HX_REQUEST") != "true":
            return None
        if environ.get("HTTP_X_BENCH_COUNT_QUERIES"):  # the bench's query count: the view's
            return None
        return PATH.fullmatch(environ.get("PATH_INFO", ""))

    # ----------------------------------------------------------------------- the answer

    def _answer(self, environ, pk: int):
        """The fragment after a stored support, or None: the view decides."""
        signals.request_started.send(sender=self.__class__, environ=environ)
        token = open_memo()
        try:
            with translation.override(settings.LANGUAGE_CODE):
                return self._support(WSGIRequest(environ), pk)
        except WriterUnavailable:
            return None
        except Exception:
            logger.warning("quick support handed to the view", exc_info=True)
            return None
        finally:
            close_memo(token)
            # As at the end of any Django request: connections go back to the pool, caches
            # close; also when the view takes the request over (it opens its own).
            signals.request_finished.send(sender=self.__class__)

    def _support(self, request, pk: int):
        if not self._request_accepted(request):
            return None
        user, session = self._person(request)
        if user is None:
            return None
        request.user = user
        proposal = proposal_for_vote(pk)
        viewer = Viewer(user=user, session=session)
        if not votes.support_batchable(proposal=proposal, voter=user, viewer=viewer):
            return None
        consultation = proposal.consultation
        back = next_from(request, proposal.get_absolute_url())
        close_old_connections()  # no pooled connection held while the writer works
        total = support_writer().store(
            proposal_id=proposal.pk, voter_id=user.pk, consultation_id=consultation.pk
        )
        if total is None:
            return None  # already supported: the view says so
        response = supported_fragment(
            request, proposal, back, total=total, facts_key=facts_key(proposal.pk)
        )
        return self._finish(request, response)

    def _request_accepted(self, request) -> bool:
        """Only the button's own fields, signed in, no HTTPS redirect due, and Django's CSRF
        middleware satisfied with the cookie as it is."""
        if set(request.POST) - FIELDS or request.GET:
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

    def _person(self, request):
        """The person and their session data, with the cache versions, in one round trip (the
        session from the database when it is not in the cache); (None, None) when the view must
        decide (no such session, or not accepted as it is: ``accounts.session_user``; a
        language to remember)."""
        store = self._session_store(request.COOKIES[settings.SESSION_COOKIE_NAME])
        found = caches[settings.SESSION_CACHE_ALIAS].get_many([store.cache_key, *VERSION_KEYS])
        session = found.get(store.cache_key)
        if session is None:
            session = store.load()  # the session engine's own read: the database, then cached
        if not session:  # none, or expired
            return None, None
        for key in VERSION_KEYS:
            if found.get(key):
                remember(key, found[key])
        user = session_user(  # a version not in the cache yet is made (one more round trip)
            session,
            users=found.get(USERS_VERSION_KEY) or users_version(),
            permissions=found.get(PERMISSIONS_VERSION_KEY) or permissions_version(),
        )
        if user is None or getattr(user, "language", "") != settings.LANGUAGE_CODE:
            return None, None
        return user, session

    def _finish(self, request, response):
        response = self._csrf.process_response(request, response)
        for name, value in self._headers_added(request):
            response.headers.setdefault(name, value)
        # What the session, locale and common middleware add to the view's answer.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        response.headers.setdefault("Content-Length", str(len(response.content)))
        return response

    def _headers_added(self, request) -> list[tuple[str, str]]:
        """The headers the security, framing and CSP middleware add to an answer of this path
        (they depend on the settings and on HTTPS only: the fragment uses no CSP nonce), found
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
