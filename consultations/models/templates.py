"""Consultation templates: the phases (kinds and durations, one after the other from a start
date) and the settings a new consultation starts from, kept as data. Editors and the
programme's coordination write them in the Wagtail admin (a snippet with revisions, so every
change says who made it and when); facilitators pick one to create a draft consultation under
an action in a minute (``consultations.services.consultation_from_template``).

The settings are the consultation page's own (``ConsultationPage``): who may take part (ages,
territory, verification to vote), how people vote, moderation and answers, and the proposal
categories (one per line). A template changed later does not change the consultations made
from it: they are copies, edited in the usual page editor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, RevisionMixin

from consultations.choices import PhaseKind, TerritoryScope, VoteMode

#: The longest phase a template may give, in days (a results phase may last a year).
MAX_PHASE_DAYS = 366


@dataclass(frozen=True)
class PlannedPhase:
    """A phase as a template plans it for one start date (not yet saved)."""

    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class TemplateQuerySet(models.QuerySet):
    def in_use(self):
        """The templates facilitators may pick, in the editors' order."""
        return self.filter(in_use=True).order_by("sort_order", "name", "pk")


class ConsultationTemplate(RevisionMixin, ClusterableModel):
    name = models.CharField(_("nome"), max_length=120, unique=True)
    description = models.TextField(
        _("descrizione"),
        blank=True,
        help_text=_("Per chi facilita: quando usarlo, che cosa prevede."),
    )
    in_use = models.BooleanField(
        _("in uso"),
        default=True,
        help_text=_("Solo i modelli in uso compaiono a chi crea una consultazione."),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    categories = models.TextField(
        _("categorie delle proposte"),
        blank=True,
        help_text=_("Una per riga."),
    )
    min_age = models.PositiveSmallIntegerField(_("età minima"), default=14)
    max_age = models.PositiveSmallIntegerField(_("età massima"), default=35)
    territory_scope = models.CharField(
        _("territorio"), max_length=10, choices=TerritoryScope.choices, default=TerritoryScope.ALL
    )
    eligible_comuni = ParentalManyToManyField(
        "territory.Comune",
        verbose_name=_("comuni ammessi"),
        blank=True,
        related_name="+",
        help_text=_("Usato solo se il territorio è «Solo alcuni comuni»."),
    )
    eligible_altimetric_zones = models.JSONField(
        _("zone altimetriche ammesse"), default=list, blank=True
    )
    requires_verified_identity = models.BooleanField(
        _("per votare serve l'identità verificata (SPID o CIE)"), default=False
    )
    requires_confirmed_residence = models.BooleanField(
        _("per votare serve la residenza confermata"), default=False
    )
    vote_mode = models.CharField(
        _("modalità di voto"), max_length=10, choices=VoteMode.choices, default=VoteMode.SUPPORT
    )
    max_supports = models.PositiveIntegerField(
        _("sostegni per persona"),
        null=True,
        blank=True,
        help_text=_("Solo per la modalità «Al massimo N sostegni a persona»."),
    )
    total_budget = models.DecimalField(
        _("budget totale (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Solo per la modalità «Bilancio». Se resta vuoto, chi crea la consultazione lo indica."
        ),
    )
    premoderation = models.BooleanField(_("moderazione preventiva"), default=False)
    answer_deadline_days = models.PositiveSmallIntegerField(
        _("giorni per la risposta ufficiale"), default=60
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("segnalazioni prima di avvisare chi modera"), default=3
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="consultation_template")

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("modello di consultazione")
        verbose_name_plural = _("modelli di consultazione")
        ordering = ["sort_order", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.min_age > self.max_age:
            errors["max_age"] = _("L'età massima non può essere minore di quella minima.")
        if self.vote_mode == VoteMode.LIMITED and not self.max_supports:
            errors["max_supports"] = _("Indica quanti sostegni può dare ogni persona.")
        if self.territory_scope == TerritoryScope.ZONES and not self.eligible_altimetric_zones:
            errors["eligible_altimetric_zones"] = _("Scegli almeno una zona altimetrica.")
        if errors:
            raise ValidationError(errors)

    def ordered_phases(self) -> list[TemplatePhase]:
        """The phases in order; uses a prefetched ``phases`` list when present."""
        return sorted(self.phases.all(), key=lambda phase: (phase.sort_order or 0, phase.pk or 0))

    def total_days(self) -> int:
        return sum(phase.duration_days for phase in self.ordered_phases())

    def category_names(self) -> list[str]:
        names = (line.strip() for line in self.categories.splitlines())
        return list(dict.fromkeys(name[:80] for name in names if name))

    def schedule(self, start: datetime.date) -> list[PlannedPhase]:
        """The phases for a consultation starting on ``start``: one after the other, each
        from midnight of its first day (Europe/Rome, daylight saving included) to midnight
        after its last, so a phase never overlaps the next and no moment is left uncovered."""
        planned = []
        day = start
        for phase in self.ordered_phases():
            end = day + datetime.timedelta(days=phase.duration_days)
            planned.append(PlannedPhase(phase.kind, _midnight(day), _midnight(end)))
            day = end
        return planned


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class TemplatePhase(Orderable):
    template = ParentalKey(ConsultationTemplate, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("tipo"), max_length=12, choices=PhaseKind.choices)
    duration_days = models.PositiveSmallIntegerField(
        _("durata (giorni)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PHASE_DAYS)],
    )

    panels = [FieldPanel("kind"), FieldPanel("duration_days")]

    class Meta(Orderable.Meta):
        verbose_name = _("fase del modello")
        verbose_name_plural = _("fasi del modello")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1), name="template_phase_lasts_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.duration_days})"
