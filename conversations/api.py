"""Public, read-only API of a conversation's results: ``GET /api/conversations/<id>/results/``.

What the public results page shows, as data: the described groups with their sizes, every
published statement with its vote counts overall, per described group and for everybody else,
and the consensus and divisive statements of the latest opinion map. The same disclosure
control (``conversations.disclosure``, computed by the task): a hidden count is ``null`` and a
group too small to describe has no entry. Anonymous (no authentication), throttled and cached
like the rest of /api/; the same rule as the page: public once a conversation phase has started
(``conversations.rules.results_error``), for a consultation an anonymous visitor may see;
otherwise a 404 with the reason, as the consultations' results endpoint answers.
"""

from __future__ import annotations

from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.models import ConsultationPage
from conversations import rules
from conversations.models import Conversation
from conversations.selectors import GROUP_STYLES, latest_snapshot, statement_rows

CACHE_SECONDS = 60


def _counts(cells) -> dict:
    agree, disagree, passed = cells
    return {"agree": agree, "disagree": disagree, "pass": passed}


def results_payload(conversation: Conversation) -> dict:
    """The published results of ``conversation`` (see the module's docstring)."""
    snapshot = latest_snapshot(conversation)
    data = snapshot.data if snapshot else {}
    sizes = {int(g): n for g, n in (data.get("published") or {}).get("sizes", {}).items()}
    letters = {g: GROUP_STYLES[g][0] for g in sorted(sizes) if g < len(GROUP_STYLES)}
    rows = statement_rows(conversation, snapshot)
    published = {row["statement"].pk for row in rows}
    return {
        "id": conversation.pk,
        "question": conversation.question,
        "consultation": conversation.consultation_id,
        "computed_at": snapshot.computed_at.isoformat() if snapshot else None,
        "participants": snapshot.participants_count if snapshot else 0,
        "placed": snapshot.placed_count if snapshot else 0,
        "groups": [{"group": letter, "people": sizes[g]} for g, letter in letters.items()],
        "statements": [
            {
                "id": row["statement"].pk,
                "text": row["statement"].text,
                "origin": "moderator" if row["statement"].is_seed else "participant",
                "votes": _counts(row["totals"]),
                "groups": {
                    letter: _counts(row["groups"][g])
                    for g, letter in letters.items()
                    if g in row["groups"]
                },
                "others": _counts(row["rest"]),
            }
            for row in rows
        ],
        "consensus": [
            item["statement"]
            for item in data.get("consensus", [])
            if item["statement"] in published
        ],
        "divisive": [
            item["statement"] for item in data.get("divisive", []) if item["statement"] in published
        ],
    }


class ConversationResultsView(APIView):
    @extend_schema(
        summary="Risultati di una conversazione",
        description=(
            "Gruppi di opinione descritti (con le persone), affermazioni pubblicate con i voti "
            "in totale, per gruppo e delle altre persone, affermazioni condivise da tutti i "
            "gruppi e divisive. I conteggi piccoli sono nascosti (null)."
        ),
        responses={200: OpenApiTypes.OBJECT},
        tags=["risultati"],
    )
    @method_decorator(cache_page(CACHE_SECONDS))
    def get(self, request, pk: int):
        if pk > 10**18:  # beyond bigint: not found, never a database error
            raise NotFound(_("Conversazione non trovata."))
        conversation = (
            Conversation.objects.select_related("consultation")
            .filter(pk=pk, consultation__in=ConsultationPage.objects.visible_to(None))
            .first()
        )
        if conversation is None:
            raise NotFound(_("Conversazione non trovata."))
        error = rules.results_error(None, conversation)
        if error is not None:
            raise NotFound(error)
        return Response(results_payload(conversation))


urlpatterns = [
    path("<id:pk>/results/", ConversationResultsView.as_view(), name="results"),
]
