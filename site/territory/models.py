from django.db import models
from django.utils.translation import gettext_lazy as _

# ISTAT code of the Comune of Torino, the metropolitan city's capital.
TORINO_ISTAT_CODE = "001272"


class ZonaOmogenea(models.Model):
    """One of the 11 "zone omogenee" of the Città metropolitana."""

    number = models.PositiveSmallIntegerField(_("numero"), primary_key=True)
    name = models.CharField(_("nome"), max_length=120)
    number_verified = models.BooleanField(_("numero verificato"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("zona omogenea")
        verbose_name_plural = _("zone omogenee")

    def __str__(self) -> str:
        return f"{self.number} – {self.name}"


class AltimetricZone(models.IntegerChoices):
    """ISTAT altimetric zones (codes as published by ISTAT)."""

    INNER_MOUNTAIN = 1, _("Montagna interna")
    COASTAL_MOUNTAIN = 2, _("Montagna litoranea")
    INNER_HILL = 3, _("Collina interna")
    COASTAL_HILL = 4, _("Collina litoranea")
    PLAIN = 5, _("Pianura")


class MountainStatus(models.TextChoices):
    TOTALLY = "T", _("Totalmente montano")
    PARTLY = "P", _("Parzialmente montano")
    NOT = "NM", _("Non montano")


class ComuneQuerySet(models.QuerySet):
    def mountain(self):
        return self.filter(mountain_status__in=[MountainStatus.TOTALLY, MountainStatus.PARTLY])


class Comune(models.Model):
    """A comune of the Città metropolitana di Torino (ISTAT data)."""

    istat_code = models.CharField(_("codice ISTAT"), max_length=6, primary_key=True)
    name = models.CharField(_("nome"), max_length=100, db_index=True)
    cadastral_code = models.CharField(_("codice catastale"), max_length=4, blank=True)
    population = models.PositiveIntegerField(_("popolazione residente"))
    population_date = models.CharField(_("data della popolazione"), max_length=40, blank=True)
    area_km2 = models.DecimalField(_("superficie (km²)"), max_digits=9, decimal_places=4)
    altitude_m = models.PositiveIntegerField(_("altitudine del centro (m)"), null=True, blank=True)
    altimetric_zone = models.PositiveSmallIntegerField(
        _("zona altimetrica"), choices=AltimetricZone.choices
    )
    mountain_status = models.CharField(
        _("classificazione montana"), max_length=2, choices=MountainStatus.choices
    )
    latitude = models.DecimalField(_("latitudine"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitudine"), max_digits=9, decimal_places=6)
    zona_omogenea = models.ForeignKey(
        ZonaOmogenea,
        verbose_name=_("zona omogenea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comuni",
        help_text=_(
            "Caricata da data/zone-comuni.csv dove una fonte la riporta; le altre le assegna "
            "chi amministra la piattaforma (i dati ISTAT non la riportano)."
        ),
    )
    zona_omogenea_source = models.CharField(
        _("fonte della zona omogenea"),
        max_length=500,
        blank=True,
        help_text=_("Dove è scritto che il comune appartiene a questa zona (indirizzo o atto)."),
    )
    population_14_35 = models.PositiveIntegerField(
        _("residenti tra 14 e 35 anni"), null=True, blank=True
    )
    population_14_35_date = models.DateField(
        _("data della popolazione 14-35"), null=True, blank=True
    )

    objects = ComuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")

    def __str__(self) -> str:
        return self.name

    @property
    def is_mountain(self) -> bool:
        return self.mountain_status in (MountainStatus.TOTALLY, MountainStatus.PARTLY)
