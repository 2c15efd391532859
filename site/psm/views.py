import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.i18n import set_language
from wagtail import views as wagtail_views
from wagtail.models import Locale, Page

from psm import page_cache
from psm.caching import cached_route
from psm.translations import LANGUAGE_CODES, path_in_language

SEARCH_PAGE_SIZE = 10
WORDS = re.compile(r"\w+")


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    # The full-text index gets words only: a stray quote or operator made SQLite's FTS fail.
    words = " ".join(WORDS.findall(query))
    # The pages of the language being read (an English reader finds the English plan).
    pages = Page.objects.live().public().filter(locale=Locale.get_active())
    results = pages.search(words) if words else Page.objects.none()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "psm/search.html", {"query": query, "results": page})


def serve(request, path):
    """Wagtail's ``serve`` with the route taken from the cache (``psm.caching``), and the
    whole page from the anonymous page cache when it can be (``psm.page_cache``)."""
    cached = page_cache.fetch(request, path)
    if cached is not None:
        return cached
    cached_route(request, path)
    response = wagtail_views.serve(request, path)
    page_cache.store(request, response)
    return response


def switch_language(request):
    """Django's ``set_language`` (the remembered choice on POST, the checks on ``next``; a GET
    only goes back), then on to the same page in the chosen language
    (``psm.translations.path_in_language``)."""
    response = set_language(request)
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    safe = next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if response.status_code == 302 and language in LANGUAGE_CODES and safe:
        target = path_in_language(request, next_url, language)
        if target:
            response["Location"] = target
    return response
