"""Public pages of what was done: the whole plan, one action, one record. Read-only: editing
happens in the Wagtail admin (``wagtail_hooks``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accountability.filters import RecordFilter
from accountability.selectors import (
    public_records,
    record_page_context,
    records_for_action,
    status_summary,
)
from psm.localisation import default_locale_id
from psm.models import ActionPage

PAGE_SIZE = 20


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("pagina", None)
    return params.urlencode()


@require_GET
def plan_records(request):
    """ "Cosa è diventato delle vostre idee": every published record, filterable."""
    filters = RecordFilter(request.GET or None, queryset=public_records())
    records = filters.qs.order_by("action__code", "title", "pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "accountability/plan_records.html",
        {
            "filters": filters,
            "page_obj": page,
            "summary": status_summary(records),
            "querystring": _querystring_without_page(request),
        },
    )


@require_GET
def action_records(request, code: str):
    """ "Cosa è stato fatto" for one action of the plan."""
    italian = ActionPage.objects.live().public().filter(locale_id=default_locale_id())
    action = get_object_or_404(italian, code=code)
    records = records_for_action(action)
    action = action.localized  # its title in the language being read
    return render(
        request,
        "accountability/action_records.html",
        {"action": action, "records": records, "summary": status_summary(records)},
    )


@require_GET
def record_detail(request, pk: int):
    record = public_records().filter(pk=pk).prefetch_related("updates").first()
    if record is None:
        raise Http404
    return render(
        request,
        "accountability/record_detail.html",
        record_page_context(record=record, viewer=request),
    )
