"""The filters of "Cosa è diventato delle vostre idee" (django-filter): comune, zona omogenea,
status and action. A record that names no comune concerns the whole metropolitan territory,
so it is listed under every comune and every zone. Unknown values are ignored and the form
says why (no error page)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.models import ImplementationRecord, RecordStatus
from psm.localisation import default_locale_id
from psm.models import ActionPage
from territory.models import Comune, ZonaOmogenea


class RecordFilter(django_filters.FilterSet):
    comune = django_filters.ModelChoiceFilter(
        label=_("Comune"),
        queryset=Comune.objects.only("pk", "name"),
        method="filter_comune",
        empty_label=_("Tutti i comuni"),
    )
    zona = django_filters.ModelChoiceFilter(
        label=_("Zona omogenea"),
        queryset=ZonaOmogenea.objects.all(),
        method="filter_zona",
        empty_label=_("Tutte le zone"),
    )
    stato = django_filters.ChoiceFilter(
        label=_("Stato"),
        field_name="status",
        choices=RecordStatus.choices,
        empty_label=_("Tutti gli stati"),
    )
    azione = django_filters.ModelChoiceFilter(
        label=_("Azione del piano"),
        field_name="action",
        # The Italian actions (records belong to them), read when the form is built.
        queryset=lambda request: (
            ActionPage.objects.live()
            .filter(locale_id=default_locale_id())
            .order_by("code")
            .only("pk", "code", "title")
        ),
        empty_label=_("Tutte le azioni"),
    )

    class Meta:
        model = ImplementationRecord
        fields: list[str] = []

    def filter_comune(self, queryset, name, value):
        return queryset.filter(Q(comuni=value) | Q(comuni__isnull=True)).distinct()

    def filter_zona(self, queryset, name, value):
        return queryset.filter(Q(comuni__zona_omogenea=value) | Q(comuni__isnull=True)).distinct()
