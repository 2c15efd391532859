"""Counts entered by hand for the territorial dashboard: people in the room at a workshop, and
paper submissions collected for a consultation.

Each row is one entry ("12 persone, da Pinerolo, 14–17 anni"): never edited, only withdrawn
(who, when, why), so the rows are their own audit trail. Written only through
:mod:`equity.services`, which checks who may (``equity.count_workshop`` /
``equity.count_paper`` in :mod:`equity.rules`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: One entry counts at most this many people or sheets (a typo guard, not a policy).
MAX_ENTRY = 5000


class AgeBand(models.TextChoices):
    UNDER_14 = "under_14", _("meno di 14 anni")
    AGE_14_17 = "14_17", _("14–17 anni")
    AGE_18_24 = "18_24", _("18–24 anni")
    AGE_25_35 = "25_35", _("25–35 anni")
    OVER_35 = "over_35", _("più di 35 anni")


class CountEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class CountEntry(models.Model):
    count = models.PositiveIntegerField(
        _("quante"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ENTRY)]
    )
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune di residenza"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    age_band = models.CharField(
        _("fascia d'età"), max_length=10, choices=AgeBand.choices, blank=True, default=""
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inserito da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("inserito il"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ritirato da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("ritirato il"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("motivo del ritiro"), max_length=300, blank=True)

    objects = CountEntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["entered_at", "pk"]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class WorkshopHeadcount(CountEntry):
    """People counted in the room at a workshop session (with or without a phone). Once a
    session has one, the dashboard counts its headcount instead of its admissions."""

    session = models.ForeignKey(
        "live.LiveSession",
        verbose_name=_("laboratorio"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(CountEntry.Meta):
        verbose_name = _("presenze di un laboratorio")
        verbose_name_plural = _("presenze dei laboratori")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.count}"


class PaperTally(CountEntry):
    """Paper submissions collected for a consultation and counted, not typed in as proposals
    (those are already counted as proposals "in presenza")."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultazione"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    collected_on = models.DateField(_("raccolte il"))
    place = models.CharField(_("dove"), max_length=160, blank=True)

    class Meta(CountEntry.Meta):
        verbose_name = _("schede su carta")
        verbose_name_plural = _("schede su carta")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.count}"
