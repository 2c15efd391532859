"""Bench-only URL conf and middleware (selected by ``config.settings.bench`` only)."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest Django response the server can give: the benchmark's upper limit."""
    return HttpResponse(b"ok", content_type="text/plain")


class QueryCountMiddleware:
    """``X-Bench-Query-Count``: SQL queries of the request, when asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Count-Queries") != "1":
            return self.get_response(request)
        with CaptureQueriesContext(connection) as queries:
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["X-Bench-Query-Count"] = str(len(queries))
        return response


urlpatterns = []
if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("__bench/bare/", bare, name="bench_bare"))
urlpatterns += site_urlpatterns
