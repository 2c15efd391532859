"""The published, anonymised report of a call's selection."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.models import Gender
from leadership.models import CallPage, Category, SelectionRun
from leadership.selection import Place, rule_label
from leadership.services.access import call_visible


def public_report(request, call_id):
    call = get_object_or_404(CallPage.objects.live(), pk=call_id)
    if not call_visible(request, call):
        raise Http404
    run = SelectionRun.objects.filter(call=call, report_published=True).first()
    if run is None:
        raise Http404
    genders = dict(Gender.choices)
    categories = dict(Category.choices)
    places = dict(Place.choices)
    tables = [
        (_("Per genere dichiarato"), _("Genere"), run.report.get("by_gender", {}), genders),
        (_("Per categoria"), _("Categoria"), run.report.get("by_category", {}), categories),
        (_("Per territorio"), _("Territorio"), run.report.get("by_place", {}), places),
    ]
    tables = [
        (caption, head, [(labels.get(key, key), v[0], v[1]) for key, v in rows.items()])
        for caption, head, rows, labels in tables
    ]
    effects = run.report.get("quota_effects")
    if effects is not None:
        effects = {
            "moved": effects["moved"],
            "rules": [
                (rule_label(rule), up, down) for rule, (up, down) in effects["rules"].items()
            ],
        }
    return render(
        request,
        "leadership/report.html",
        {"call": call, "run": run, "tables": tables, "effects": effects},
    )
