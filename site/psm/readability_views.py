"""The plain-language gate in the admin: the live check the editor and the answer form call, the
confirmation before publishing a page under its threshold, and the editors' dashboard."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page, get_page_models

from core.readability import Readability, analyse
from psm.localisation import default_locale_id
from psm.readability import (
    page_kind,
    page_readability,
    readability_fields,
    readability_summary,
    threshold_for,
)

CONFIRM_FIELD = "readability_confirmed"
MAX_TEXT = 50_000


def _page_model(kind: str, page_id) -> type[Page] | None:
    if page_id:
        page = Page.objects.filter(pk=page_id).only("content_type").first()
        return page.specific_class if page else None
    return next((model for model in get_page_models() if page_kind(model) == kind), None)


def describe(readability: Readability, threshold: float) -> dict:
    """The result as the editor reads it: numbers and sentences ready to show."""
    data = readability.as_dict(threshold=threshold)
    if readability.score is None:
        data["summary"] = _("Nessun testo da valutare.")
        return data
    values = {
        "score": number_format(readability.score, 1),
        "level": readability.level,
        "threshold": number_format(threshold, 0),
    }
    data["summary"] = _("Indice Gulpease %(score)s su 100: %(level)s.") % values
    data["verdict"] = (
        _("Raggiunge la soglia di %(threshold)s per questo tipo di testo.") % values
        if readability.passes(threshold)
        else _(
            "Sotto la soglia di %(threshold)s per questo tipo di testo: prova frasi più brevi e "
            "parole più comuni."
        )
        % values
    )
    data["worst_heading"] = _("Le frasi più difficili")
    return data


@require_POST
def readability_check(request: HttpRequest) -> JsonResponse:
    """POST {"kind": "answer" | "<app>.<model>", "page": id?, "fields": {name: text}}: the score
    of the fields that young people read (for a page: its ``readability_fields``)."""
    if request.content_type != "application/json":
        return JsonResponse({"error": _("Richiesta non valida.")}, status=400)
    try:
        payload = json.loads(request.body or b"{}")
        fields = payload.get("fields") or {}
        kind = str(payload.get("kind") or "")
        if not isinstance(fields, dict):
            raise ValueError
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"error": _("Richiesta non valida.")}, status=400)
    model = _page_model(kind, payload.get("page")) if "." in kind or payload.get("page") else None
    if model is not None:
        kind = page_kind(model)
        wanted = readability_fields(model)
        texts = [str(fields.get(name) or "") for name in wanted]
    else:
        texts = [str(value or "") for value in fields.values()]
    text = "\n".join(part for part in texts if part.strip())[:MAX_TEXT]
    return JsonResponse(describe(analyse(text), threshold_for(kind or "default")))


def before_publish(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Wagtail's ``before_publish_page``: a page under its threshold is kept as a draft (Wagtail
    has saved the revision already) and the editor is asked to confirm; "Pubblica comunque" goes
    through Wagtail's own publish confirmation, which does not ask again."""
    if page.locale_id != default_locale_id():  # the Gulpease index measures Italian only
        return None
    scored = page_readability(page)
    if scored.passes:
        return None
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    publish_url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    publish_url += "?" + urlencode({"id": page.pk, "next": edit_url})
    return TemplateResponse(
        request,
        "psm/admin/readability_confirm.html",
        {
            "page": page,
            "result": describe(scored.readability, scored.threshold),
            "edit_url": edit_url,
            "publish_url": publish_url,
        },
    )


def readability_dashboard(request: HttpRequest) -> TemplateResponse:
    summary = readability_summary()
    return TemplateResponse(
        request,
        "psm/admin/readability_dashboard.html",
        {
            "summary": summary,
            "worst": summary.worst(),
            "passing_share": summary.passing_share,
            "median": summary.median,
            "page_title": _("Leggibilità dei testi"),
        },
    )
