"""Request guards that apply to every view."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


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
