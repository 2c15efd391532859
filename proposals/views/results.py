"""Results page and exports of a consultation (thin views over proposals.results)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consultations.models import ConsultationPage, Verb
from proposals.exports import dictionary_csv, export_csv, export_filename, export_xlsx
from proposals.open_data.audience import DICTIONARY, Audience, results_audience
from proposals.open_data.licence import LICENCE, attribution
from proposals.results import results_context
from psm.localisation import attach_reading_rows


def _consultation_or_404(request, consultation_id: int) -> ConsultationPage:
    """The consultation if this request may see it (``consultations.visibility``: its
    moderators always), else 404."""
    consultation = (
        ConsultationPage.objects.visible_to(request)
        .filter(pk=consultation_id)
        .prefetch_related("phases")
        .first()
    )
    if consultation is None:
        raise Http404(_("Consultazione non trovata."))
    return consultation


@require_GET
def results(request, consultation_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    try:
        audience = results_audience(user=request.user, consultation=consultation)
    except PermissionDenied:
        phase = consultation.next_phase_allowing(Verb.READ_ANSWERS)
        return render(
            request,
            "proposals/results_unavailable.html",
            {"consultation": consultation, "next_phase": phase},
            status=403,
        )
    context = results_context(consultation=consultation)
    rows = context["ranking"].rows
    attach_reading_rows(row.proposal.category for row in rows if row.proposal.category_id)
    context.update(
        {
            "audience": audience,
            "is_moderator": audience.moderator,
            "results_public": audience.results_public,
            "licence": LICENCE,
            "attribution": attribution(),
        }
    )
    return render(request, "proposals/results.html", context)


def _download(content, *, content_type: str, filename: str, audience: Audience) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = LICENCE.link_header()
    response["Cache-Control"] = audience.cache_control
    return response


@require_GET
def export(request, consultation_id: int, fmt: str):
    """The results' tables to download, as :func:`results_audience` allows this person
    (``proposals.open_data.audience``)."""
    consultation = _consultation_or_404(request, consultation_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    audience = results_audience(user=request.user, consultation=consultation)
    if fmt == "xlsx":
        return _download(
            export_xlsx(consultation=consultation, public=audience.public),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=export_filename(consultation, "risultati.xlsx"),
            audience=audience,
        )
    table = request.GET.get("tabella", "proposte")
    if table not in audience.csv_choices:
        return HttpResponse(
            _("Tabella sconosciuta: scegli tra %(tables)s.")
            % {"tables": ", ".join(audience.csv_choices)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if table == DICTIONARY:
        content = dictionary_csv(public=audience.public)
    else:
        content = export_csv(consultation=consultation, table=table, public=audience.public)
    # UTF-8 with BOM so spreadsheet programs read accents correctly.
    return _download(
        "\ufeff" + content,
        content_type="text/csv; charset=utf-8",
        filename=export_filename(consultation, f"{table}.csv"),
        audience=audience,
    )
