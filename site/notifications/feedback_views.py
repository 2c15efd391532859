"""The accessibility declaration page (AgID) with its feedback form."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import REFUSALS, refusal_message
from core.ratelimit import client_network
from notifications.feedback import AccessibilityFeedbackForm, accessibility_feedback_send


@require_http_methods(["GET", "POST"])
def accessibility_declaration(request):
    form = AccessibilityFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accessibility_feedback_send(
                **form.cleaned_data,
                sender=request.user,
                client=client_network(request),
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            messages.success(
                request,
                _(
                    "Grazie: la tua segnalazione è arrivata alla redazione della piattaforma. "
                    "Se hai lasciato l'e-mail, ti rispondiamo entro 30 giorni."
                ),
            )
            return redirect("accessibility")
    return render(
        request,
        "pages/accessibility.html",
        {
            "form": form,
            "last_check": getattr(settings, "ACCESSIBILITY_LAST_CHECK", None),
        },
    )
