"""Thin views for what is not a page: following a consultation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import ConsultationPage
from consultations.services import consultation_follow
from core.errors import REFUSALS, message_refusal


@require_POST
@login_required
def follow(request, pk: int):
    consultation = ConsultationPage.objects.visible_to(request).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    wanted = request.POST.get("segui", "1") == "1"
    try:
        following = consultation_follow(consultation=consultation, user=request.user, follow=wanted)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        if following:
            messages.success(
                request,
                _("Ti avviseremo quando si apre una nuova fase e quando arrivano le risposte."),
            )
        else:
            messages.success(request, _("Non riceverai più aggiornamenti su questa consultazione."))
    return redirect(consultation.url)
