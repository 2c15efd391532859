"""Serializers of the public API: what each endpoint answers, field by field, and the shape
of the aggregated results (documented for the OpenAPI schema)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import strip_tags
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from consultations.models import ConsultationPage
from proposals.models import Proposal, ProposalStatus, StatusChange
from proposals.results import results_are_public


def _plain(html: str) -> str:
    return " ".join(strip_tags(html or "").split())


def money(value) -> str | None:
    """An amount as the schema documents it (and as a proposal's ``cost``): "1234.50"."""
    return None if value is None else f"{Decimal(value):.2f}"


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


# --------------------------------------------------------------------------- results (schema only)
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
        "voters": serializers.IntegerField(
            allow_null=True, help_text="Null when fewer than five people voted (riservato)."
        ),
        "voters_suppressed": serializers.BooleanField(),
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
                "cost": serializers.DecimalField(
                    max_digits=12,
                    decimal_places=2,
                    allow_null=True,
                    help_text=(
                        "Budget mode: the official cost of the technical valuation (null if "
                        "not valued); other modes: the author's estimate."
                    ),
                ),
                "funded": serializers.BooleanField(),
                "withdrawn_after_publication": serializers.BooleanField(),
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
