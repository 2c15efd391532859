"""Request guards that apply to every view."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from accounts.sessions import SessionStore
from core.request_memo import close_memo, open_memo, read_together
from psm.page_cache import VERSION_KEYS

NUL = "\x00"


class RequestMemoMiddleware:
    """Opens the request's memo of cache versions (``core.request_memo``) and closes it once
    the response is built. First in the stack: everything inside reads the versions once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = open_memo()
        try:
            read_together(self._read_together(request))
            return self.get_response(request)
        finally:
            close_memo(token)

    @staticmethod
    def _read_together(request) -> list[str]:
        """The cache versions and the session: the first of them a request reads brings the
        others in the same round trip (``config.cache``)."""
        keys = [*VERSION_KEYS]
        store = SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        if store.session_key:  # a well-formed key (else the store would make a new one)
            keys.append(store.cache_key)
        return keys


class RejectNullCharactersMiddleware:
    """A NUL character is never meaningful in a URL parameter or a form field, and PostgreSQL
    refuses it in text: such a request gets a clear 400 instead of reaching a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or self._has_nul(request.GET)
            or (
                request.method == "POST"
                and request.content_type
                in ("application/x-www-form-urlencoded", "multipart/form-data")
                and self._has_nul(request.POST)
            )
        ):
            return HttpResponseBadRequest(
                _("La richiesta contiene caratteri non validi."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(data) -> bool:
        return any(NUL in key or any(NUL in value for value in data.getlist(key)) for key in data)


class AdminContentSecurityPolicyMiddleware:
    """A Content-Security-Policy of its own for the Wagtail admin.

    The public site's policy allows no inline script; the admin's own templates have some (the
    page editor has about ten), so django-csp leaves ``/admin/`` out and this middleware gives
    it ``settings.ADMIN_CONTENT_SECURITY_POLICY``: inline scripts and styles of the admin's
    pages, nothing from other origins, no eval, no plugins, no framing by other sites. Listed
    after django-csp's middleware, so it sees the response first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.ADMIN_CONTENT_SECURITY_POLICY
        return response
