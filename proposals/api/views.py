"""Public, read-only open-data API: consultations, proposals, official answers and
aggregated results. No personal data beyond the display names shown on the site.

Anonymous only (no authentication classes), paginated, throttled (settings), and each
response is cached for :data:`CACHE_SECONDS`. Results follow the page's rule: public once
the results phase has started. The OpenAPI 3 schema is at /api/schema/.
"""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.models import ConsultationPage
from consultations.statistics import participation_statistics
from core.disclosure import MIN_CELL
from core.ids import parse_id
from proposals.api.serializers import (
    RESULTS_SCHEMA,
    AnswerSerializer,
    ConsultationSerializer,
    ProposalSerializer,
    money,
)
from proposals.models import Proposal, ProposalStatus, StatusChange, Visibility
from proposals.results import ranking, results_are_public

CACHE_SECONDS = 60


# --------------------------------------------------------------------------- helpers
def _id_param(request, name: str) -> int | None:
    """The id given in query parameter ``name`` (None when absent); a 400 when not an id."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    pk = parse_id(raw)
    if pk is None:
        raise ValidationError({name: "Deve essere un numero intero positivo."})
    return pk


def public_consultations():
    """What an anonymous visitor may see (``consultations.visibility``): the API has no
    authentication, so restricted, unpublished and expired consultations stay out."""
    return ConsultationPage.objects.visible_to(None)


cached = method_decorator(cache_page(CACHE_SECONDS))

CONSULTATION_PARAM = OpenApiParameter(
    "consultation", OpenApiTypes.INT, description="Solo le voci di questa consultazione (id)."
)
STATUS_PARAM = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    enum=ProposalStatus.values,
    description="Solo le proposte in questo stato.",
)


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only, cached, and ids bounded to a bigint (an absurd id is a 404)."""

    lookup_value_regex = r"[0-9]{1,18}"

    @cached
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @cached
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# --------------------------------------------------------------------------- views
@extend_schema(tags=["consultazioni"])
class ConsultationViewSet(PublicReadOnlyViewSet):
    """Consultations published on the site, newest first."""

    serializer_class = ConsultationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            return ConsultationPage.objects.none()
        return (
            public_consultations().prefetch_related("phases").order_by("-first_published_at", "-pk")
        )


@extend_schema(tags=["proposte"])
@extend_schema_view(list=extend_schema(parameters=[CONSULTATION_PARAM, STATUS_PARAM]))
class ProposalViewSet(PublicReadOnlyViewSet):
    """Published proposals with their supports (online, in presenza, total) and answer."""

    serializer_class = ProposalSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        rows = (
            Proposal.objects.filter(
                visibility=Visibility.PUBLISHED,
                consultation__in=public_consultations().values("pk"),
            )
            .annotate_support_count()
            .select_related("author", "category", "comune")
            .order_by("pk")
        )
        if self.action == "list":
            consultation = _id_param(self.request, "consultation")
            if consultation is not None:
                rows = rows.filter(consultation_id=consultation)
            status = self.request.query_params.get("status")
            if status:
                if status not in ProposalStatus.values:
                    raise ValidationError({"status": "Stato sconosciuto."})
                rows = rows.filter(status=status)
        return rows


@extend_schema(tags=["risposte"])
@extend_schema_view(list=extend_schema(parameters=[CONSULTATION_PARAM]))
class AnswerViewSet(PublicReadOnlyViewSet):
    """The public status history (official answers) of published proposals."""

    serializer_class = AnswerSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StatusChange.objects.none()
        rows = (
            StatusChange.objects.filter(
                proposal__visibility=Visibility.PUBLISHED,
                proposal__consultation__in=public_consultations().values("pk"),
            )
            .select_related("proposal")
            .order_by("pk")
        )
        if self.action == "list":
            consultation = _id_param(self.request, "consultation")
            if consultation is not None:
                rows = rows.filter(proposal__consultation_id=consultation)
        return rows


class ConsultationResultsView(APIView):
    """Aggregated results of one consultation, once they are public (results phase)."""

    @extend_schema(tags=["risultati"], responses={200: RESULTS_SCHEMA})
    @cached
    def get(self, request, pk: int):
        if pk > 10**18:  # beyond bigint: not found, never a database error
            raise NotFound
        consultation = get_object_or_404(public_consultations().prefetch_related("phases"), pk=pk)
        if not results_are_public(consultation):
            raise NotFound("I risultati di questa consultazione non sono ancora pubblici.")
        result = ranking(consultation=consultation)
        stats = participation_statistics(consultation=consultation)

        def cells(dimension):
            return [
                {
                    "group": cell.key,
                    "label": cell.label,
                    "participants": None if cell.suppressed else cell.count,
                    "suppressed": cell.suppressed,
                    "residents": cell.residents,
                    "per_1000_residents": cell.rate,
                }
                for cell in dimension.cells
            ]

        return Response(
            {
                "consultation": consultation.pk,
                "vote_mode": result.vote_mode,
                "online_supports": result.online_total,
                "offline_supports": result.offline_total,
                "supports": result.total,
                "voters": None if result.voters_suppressed else result.voters,
                "voters_suppressed": result.voters_suppressed,
                "budget": money(result.budget),
                "funded_cost": money(result.funded_cost),
                "ranking": [
                    {
                        "position": row.position,
                        "proposal": row.proposal.pk,
                        "title": row.proposal.title,
                        "status": row.proposal.status,
                        "online_supports": row.online,
                        "offline_supports": row.offline,
                        "supports": row.total,
                        "cost": money(row.cost),
                        "funded": row.funded,
                        "withdrawn_after_publication": row.withdrawn_after_publication,
                    }
                    for row in result.rows
                ],
                "participation": {
                    "participants": None if stats.total_suppressed else stats.total,
                    "minimum_cell": MIN_CELL,
                    "dimensions": [
                        {"dimension": d.key, "title": d.title, "cells": cells(d)}
                        for d in [*stats.dimensions, stats.mountain_vs_plain]
                    ],
                },
            }
        )
