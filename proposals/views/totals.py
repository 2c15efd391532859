"""The support totals of a consultation's proposals, as JSON.

Pages re-read them after a WebSocket reconnection (``static/js/live-updates.js``): events
missed while offline are not replayed.
"""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from consultations.models import ConsultationPage
from proposals.models import Proposal


@require_GET
def consultation_totals(request, pk: int):
    """Supports per published proposal of a consultation (404 for a consultation this request
    may not see: ``consultations.visibility``)."""
    if not ConsultationPage.objects.visible_to(request).filter(pk=pk).exists():
        raise Http404
    rows = (
        Proposal.objects.filter(consultation_id=pk)
        .published()
        .annotate_support_count()
        .values_list("pk", "support_count")
    )
    totals = {str(proposal_pk): count or 0 for proposal_pk, count in rows}
    response = JsonResponse({"consultation": pk, "supports": totals})
    response["Cache-Control"] = "no-store"
    return response
