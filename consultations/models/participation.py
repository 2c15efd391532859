"""Rows about people in a consultation: participation snapshots, follows and blocks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import age_on


class AgeBand(models.TextChoices):
    B14_17 = "14-17", "14–17"
    B18_24 = "18-24", "18–24"
    B25_29 = "25-29", "25–29"
    B30_35 = "30-35", "30–35"
    OTHER = "other", _("altra età o non indicata")


def age_band_for(age: int | None) -> str:
    if age is None:
        return AgeBand.OTHER
    for band, low, high in (
        (AgeBand.B14_17, 14, 17),
        (AgeBand.B18_24, 18, 24),
        (AgeBand.B25_29, 25, 29),
        (AgeBand.B30_35, 30, 35),
    ):
        if low <= age <= high:
            return band
    return AgeBand.OTHER


class Participation(models.Model):
    """A snapshot of who took part, kept so statistics survive account deletion."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_participations",
    )
    age_band = models.CharField(_("fascia d'età"), max_length=6, choices=AgeBand.choices)
    gender = models.CharField(_("genere"), max_length=20, blank=True)
    comune = models.ForeignKey(
        "territory.Comune", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    altimetric_zone = models.PositiveSmallIntegerField(_("zona altimetrica"), null=True, blank=True)
    first_at = models.DateTimeField(_("prima partecipazione"), default=timezone.now)

    class Meta:
        verbose_name = _("partecipazione")
        verbose_name_plural = _("partecipazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="participation_once_per_consultation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.consultation_id}"

    @classmethod
    def snapshot_fields(cls, user, day: datetime.date) -> dict:
        return {
            "age_band": age_band_for(age_on(user.birth_date, day) if user.birth_date else None),
            "gender": user.gender or "",
            "comune_id": user.comune_id,
            "altimetric_zone": user.comune.altimetric_zone if user.comune_id else None,
        }


class Follow(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("iscrizione agli aggiornamenti")
        verbose_name_plural = _("iscrizioni agli aggiornamenti")
        constraints = [models.UniqueConstraint(fields=["consultation", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.consultation_id}"


class ParticipantBlock(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="blocks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_blocks"
    )
    reason = models.TextField(_("motivo"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sospeso/a da"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(_("revocata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("sospensione")
        verbose_name_plural = _("sospensioni")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.consultation_id}"
