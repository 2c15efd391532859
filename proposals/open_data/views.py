"""/dati/: the open-data page (datasets, licence, dictionary) and the DCAT-AP_IT catalogue."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from proposals.open_data import dictionary
from proposals.open_data.catalogue import FORMATS, catalogue_serialised, published_datasets
from proposals.open_data.licence import LICENCE, attribution

CACHE_SECONDS = 300


@require_GET
def index(request):
    return render(
        request,
        "proposals/open_data.html",
        {
            "datasets": published_datasets(),
            "tables": [table for table in dictionary.TABLES.values() if table.public],
            "licence": LICENCE,
            "attribution": attribution(),
            "formats": FORMATS,
        },
    )


@require_GET
@cache_page(CACHE_SECONDS)
def catalogue(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    content = catalogue_serialised(absolute=request.build_absolute_uri, fmt=fmt)
    response = HttpResponse(content, content_type=f"{FORMATS[fmt]}; charset=utf-8")
    response["Link"] = LICENCE.link_header()
    return response
