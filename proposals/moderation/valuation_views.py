"""The facilitators' technical valuation screen (/admin/moderazione/<id>/valutazione/): the
consultation's published proposals, each with its valuation form. Thin: the rules are in
:func:`proposals.moderation.valuation.proposal_valuate`, which checks the permission again."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultations.models import ConsultationPage, VoteMode
from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from proposals.models import Proposal
from proposals.moderation.services import require_moderator
from proposals.moderation.valuation import (
    proposal_valuate,
    proposals_to_value,
    valuation_error,
)
from proposals.moderation.valuation_forms import ValuationForm

PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def valuations(request, consultation_id: int):
    consultation = get_object_or_404(ConsultationPage, pk=consultation_id)
    require_moderator(request.user, consultation)
    if consultation.vote_mode != VoteMode.BUDGET:
        raise Http404
    bound = None
    if request.method == "POST":
        item = get_object_or_404(
            Proposal, pk=parse_id(request.POST.get("proposal", "")) or 0, consultation=consultation
        )
        bound = ValuationForm(request.POST, proposal=item)
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                proposal_valuate(
                    actor=request.user,
                    proposal=item,
                    feasible=data["feasible"] == "si",
                    official_cost=data["official_cost"],
                    reason=data["reason"],
                )
            except REFUSALS as error:
                message_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("Valutazione di «%(title)s» registrata: ora è pubblica.")
                    % {"title": item.title},
                )
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Controlla i campi della valutazione evidenziati."))
    page = Paginator(proposals_to_value(consultation=consultation), PER_PAGE).get_page(
        request.GET.get("p")
    )
    rows = [
        (
            item,
            bound
            if bound is not None and bound.prefix == f"v{item.pk}"
            else ValuationForm(proposal=item),
        )
        for item in page
    ]
    return render(
        request,
        "proposals/moderation/valuations.html",
        {
            "consultation": consultation,
            "page_obj": page,
            "rows": rows,
            "refusal": valuation_error(consultation),
            "header_title": _("Valutazione tecnica: %(title)s") % {"title": consultation.title},
        },
    )
