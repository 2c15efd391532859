"""A live workshop's results after the session: the archive page and the CSV export."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.spreadsheets import escape_cell
from workshops import selectors, services
from workshops.models import Activity, LiveSession
from workshops.views.common import facilitated_session, refuse


@require_GET
def archive(request, pk: int):
    session = get_object_or_404(LiveSession.objects.select_related("page"), pk=pk)
    rows = [
        (activity, results)
        for activity, results in selectors.session_activities_with_results(session)
        if not session.is_open or activity.results_visible
    ]
    can_facilitate = services.can_facilitate(user=request.user, session=session)
    return render(
        request,
        "live/archive.html",
        {
            "session": session,
            "rows": rows,
            "can_facilitate": can_facilitate,
            "proposals_available": can_facilitate
            and services.ideas_can_become_proposals(session=session),
        },
    )


@login_required
@require_GET
def results_csv(request, pk: int):
    session = facilitated_session(request, pk)
    if session is None:
        return refuse(request, _("Solo chi conduce questo laboratorio può scaricare i risultati."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laboratorio-{session.pk}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("attività"),
            _("tipo"),
            _("domanda"),
            _("voce"),
            _("conteggio"),
            _("percentuale"),
            _("risposte"),
        ]
    )
    for activity, results in selectors.session_activities_with_results(session):
        if activity.kind == Activity.Kind.IDEAS:
            for item in results["ideas"]:
                writer.writerow(
                    [
                        activity.order,
                        activity.get_kind_display(),
                        escape_cell(activity.prompt),
                        escape_cell(item["text"]),
                        "",
                        "",
                        results["total"],
                    ]
                )
            continue
        for item in results["items"]:
            writer.writerow(
                [
                    activity.order,
                    activity.get_kind_display(),
                    escape_cell(activity.prompt),
                    escape_cell(item["label"]),
                    item["count"],
                    item["percent"],
                    results["total"],
                ]
            )
    return response
