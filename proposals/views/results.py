"""Results page and exports of a consultation (thin views over proposals.results)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consultations.models import ConsultationPage, Verb
from proposals.exports import TABLES, export_csv, export_filename, export_xlsx
from proposals.results import can_see_results, results_are_public, results_context


def _consultation_or_404(request, consultation_id: int) -> ConsultationPage:
    consultation = (
        ConsultationPage.objects.filter(pk=consultation_id).prefetch_related("phases").first()
    )
    if consultation is None:
        raise Http404(_("Consultazione non trovata."))
    if not consultation.live and not request.user.has_perm("consultations.moderate", consultation):
        raise Http404(_("Consultazione non trovata."))
    return consultation


@require_GET
def results(request, consultation_id: int):
    consultation = _consultation_or_404(request, consultation_id)
    is_moderator = request.user.has_perm("consultations.moderate", consultation)
    public = results_are_public(consultation)
    if not public and not is_moderator:
        phase = consultation.next_phase_allowing(Verb.READ_ANSWERS)
        return render(
            request,
            "proposals/results_unavailable.html",
            {"consultation": consultation, "next_phase": phase},
            status=403,
        )
    context = results_context(consultation=consultation)
    context.update({"is_moderator": is_moderator, "results_public": public, "tables": TABLES})
    return render(request, "proposals/results.html", context)


@require_GET
def export(request, consultation_id: int, fmt: str):
    consultation = _consultation_or_404(request, consultation_id)
    if not request.user.has_perm("consultations.moderate", consultation):
        raise PermissionDenied(_("Solo chi modera questa consultazione può scaricare i dati."))
    if not can_see_results(user=request.user, consultation=consultation):
        raise PermissionDenied
    if fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(consultation=consultation),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = export_filename(consultation, "risultati.xlsx")
    elif fmt == "csv":
        table = request.GET.get("tabella", "proposte")
        if table not in TABLES:
            return HttpResponse(
                _("Tabella sconosciuta: scegli tra %(tables)s.") % {"tables": ", ".join(TABLES)},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        # UTF-8 with BOM so spreadsheet programs read accents correctly.
        response = HttpResponse(
            "\ufeff" + export_csv(consultation=consultation, table=table),
            content_type="text/csv; charset=utf-8",
        )
        filename = export_filename(consultation, f"{table}.csv")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
