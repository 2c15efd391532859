"""Public, read-only open-data API: consultations, proposals, official answers and
aggregated results. No personal data beyond the display names shown on the site.

Anonymous only (no authentication classes), paginated, throttled (settings), and each
response is cached for :data:`CACHE_SECONDS`. Results follow the page's rule: public once
the results phase has started. The OpenAPI 3 schema is at /api/schema/.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.decorators import method_decorator
from django.utils.html import strip_tags
from django.views.decorators.cache import cache_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.models import ConsultationPage
from consultations.results import participation_statistics, ranking, results_are_public
from proposals.models import Proposal, ProposalStatus, StatusChange, Visibility

CACHE_SECONDS = 60


def _plain(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def _money(value) -> str | None:
    """An amount as the schema documents it (and as a proposal's ``cost``): "1234.50"."""
    return None if value is None else f"{Decimal(value):.2f}"


# --------------------------------------------------------------------------- serializers
class PhaseSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ConsultationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    phases = serializers.SerializerMethodField()
    results_public = serializers.SerializerMethodField()

    class Meta:
        model = ConsultationPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "question",
            "status",
            "vote_mode",
            "max_supports",
            "total_budget",
            "min_age",
            "max_age",
            "territory_scope",
            "answer_deadline_days",
            "first_published_at",
            "phases",
            "results_public",
        ]

    def get_url(self, obj) -> str:
        return obj.full_url or ""

    def get_question(self, obj) -> str:
        return _plain(obj.question)

    def get_status(self, obj) -> str:
        return obj.status()

    @extend_schema_field(PhaseSerializer(many=True))
    def get_phases(self, obj) -> list:
        return PhaseSerializer(obj.ordered_phases(), many=True).data

    def get_results_public(self, obj) -> bool:
        return results_are_public(obj)


class ProposalSerializer(serializers.ModelSerializer):
    consultation = serializers.IntegerField(source="consultation_id")
    author_name = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.name", default=None, allow_null=True)
    comune_istat_code = serializers.CharField(source="comune_id", allow_null=True)
    comune = serializers.CharField(source="comune.name", default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    amended_action = serializers.IntegerField(source="amended_action_id", allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    online_supports = serializers.IntegerField(source="online_support_count")
    offline_supports = serializers.IntegerField(source="offline_support_count")
    supports = serializers.IntegerField(source="support_count")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "consultation",
            "kind",
            "title",
            "body",
            "category",
            "comune_istat_code",
            "comune",
            "latitude",
            "longitude",
            "cost",
            "amended_action",
            "amended_text",
            "source",
            "in_person_date",
            "author_name",
            "status",
            "status_label",
            "answer",
            "answered_at",
            "merged_into",
            "published_at",
            "online_supports",
            "offline_supports",
            "supports",
        ]

    def get_author_name(self, obj) -> str | None:
        return obj.author.public_name if obj.author_id else None


class AnswerSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    consultation = serializers.IntegerField(source="proposal.consultation_id")
    from_status = serializers.CharField(
        help_text="Stato precedente (vuoto per il primo): " + ", ".join(ProposalStatus.values)
    )
    to_status = serializers.CharField(help_text="Nuovo stato: " + ", ".join(ProposalStatus.values))

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "proposal",
            "consultation",
            "from_status",
            "to_status",
            "answer",
            "changed_at",
        ]


# --------------------------------------------------------------------------- helpers
def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({name: "Deve essere un numero intero positivo."})
    return int(raw)


def public_consultations():
    return ConsultationPage.objects.live().public()


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
            consultation = _int_param(self.request, "consultation")
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
            consultation = _int_param(self.request, "consultation")
            if consultation is not None:
                rows = rows.filter(proposal__consultation_id=consultation)
        return rows


_CELL = inline_serializer(
    "StatisticsCell",
    {
        "group": serializers.CharField(),
        "label": serializers.CharField(),
        "participants": serializers.IntegerField(allow_null=True),
        "suppressed": serializers.BooleanField(),
        "residents": serializers.IntegerField(allow_null=True),
        "per_1000_residents": serializers.FloatField(allow_null=True),
    },
    many=True,  # each dimension lists its cells
)
RESULTS_SCHEMA = inline_serializer(
    "ConsultationResults",
    {
        "consultation": serializers.IntegerField(),
        "vote_mode": serializers.CharField(),
        "online_supports": serializers.IntegerField(),
        "offline_supports": serializers.IntegerField(),
        "supports": serializers.IntegerField(),
        "voters": serializers.IntegerField(),
        "budget": serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True),
        "funded_cost": serializers.DecimalField(max_digits=12, decimal_places=2),
        "ranking": inline_serializer(
            "RankingRow",
            {
                "position": serializers.IntegerField(),
                "proposal": serializers.IntegerField(),
                "title": serializers.CharField(),
                "status": serializers.CharField(),
                "online_supports": serializers.IntegerField(),
                "offline_supports": serializers.IntegerField(),
                "supports": serializers.IntegerField(),
                "cost": serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True),
                "funded": serializers.BooleanField(),
            },
            many=True,
        ),
        "participation": inline_serializer(
            "ParticipationStatistics",
            {
                "participants": serializers.IntegerField(allow_null=True),
                "minimum_cell": serializers.IntegerField(),
                "dimensions": inline_serializer(
                    "StatisticsDimension",
                    {
                        "dimension": serializers.CharField(),
                        "title": serializers.CharField(),
                        "cells": _CELL,
                    },
                    many=True,
                ),
            },
        ),
    },
)


class ConsultationResultsView(APIView):
    """Aggregated results of one consultation, once they are public (results phase)."""

    @extend_schema(tags=["risultati"], responses={200: RESULTS_SCHEMA})
    @cached
    def get(self, request, pk: int):
        from consultations.results import MIN_CELL

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
                "voters": result.voters,
                "budget": _money(result.budget),
                "funded_cost": _money(result.funded_cost),
                "ranking": [
                    {
                        "position": row.position,
                        "proposal": row.proposal.pk,
                        "title": row.proposal.title,
                        "status": row.proposal.status,
                        "online_supports": row.online,
                        "offline_supports": row.offline,
                        "supports": row.total,
                        "cost": _money(row.cost),
                        "funded": row.funded,
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
