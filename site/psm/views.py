import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

SEARCH_PAGE_SIZE = 10
WORDS = re.compile(r"\w+")


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    # The full-text index gets words only: a stray quote or operator made SQLite's FTS fail.
    words = " ".join(WORDS.findall(query))
    results = Page.objects.live().public().search(words) if words else Page.objects.none()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "psm/search.html", {"query": query, "results": page})
