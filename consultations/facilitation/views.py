"""Assign and remove facilitators (Wagtail admin). Thin: the services check the permission
again and write the log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consultations.facilitation.forms import FacilitationForm
from consultations.models import Facilitation, FacilitationLog
from consultations.services import facilitation_grant, facilitation_revoke
from core.errors import REFUSALS, message_refusal, refusal_message

LOG_PAGE_SIZE = 50


def _require_assigner(request) -> None:
    if not request.user.has_perm("consultations.assign_facilitators"):
        raise PermissionDenied(
            _("Solo la redazione e il coordinamento assegnano chi facilita le consultazioni.")
        )


@require_http_methods(["GET", "POST"])
def index(request):
    _require_assigner(request)
    form = FacilitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            facilitation_grant(
                page=form.cleaned_data["page"],
                user=form.cleaned_data["email"],
                actor=request.user,
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            messages.success(
                request,
                _("%(name)s ora facilita «%(page)s».")
                % {
                    "name": form.cleaned_data["email"].public_name,
                    "page": form.cleaned_data["page"].title,
                },
            )
            return redirect("facilitation:index")
    facilitations = Facilitation.objects.select_related("page", "user", "granted_by").order_by(
        "page__path", "user__display_name", "pk"
    )
    return render(
        request,
        "consultations/facilitation/index.html",
        {
            "form": form,
            "facilitations": facilitations,
            "header_title": _("Facilitazioni"),
        },
    )


@require_POST
def revoke(request, pk):
    _require_assigner(request)
    facilitation = get_object_or_404(Facilitation.objects.select_related("page", "user"), pk=pk)
    try:
        facilitation_revoke(facilitation=facilitation, actor=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s non facilita più «%(page)s».")
            % {"name": facilitation.user.public_name, "page": facilitation.page.title},
        )
    return redirect("facilitation:index")


@require_http_methods(["GET"])
def log(request):
    _require_assigner(request)
    entries = FacilitationLog.objects.select_related("user", "actor").order_by("-created_at", "-pk")
    page_obj = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "consultations/facilitation/log.html",
        {"page_obj": page_obj, "header_title": _("Registro delle facilitazioni")},
    )
