"""The cohort pathway: stages, sessions, attendance, certificates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_STAGES = (
    _("Informazione"),
    _("Sistema decisionale"),
    _("Sistema politico"),
    _("Sistema amministrativo"),
    _("Sistema economico"),
    _("Sistema della ricerca"),
)


class Cohort(models.Model):
    call = models.OneToOneField(
        "leadership.CallPage", on_delete=models.CASCADE, related_name="cohort"
    )
    name = models.CharField(_("nome"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gruppo del percorso")
        verbose_name_plural = _("gruppi del percorso")

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("ordine"))
    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("descrizione"), blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("tappa")
        verbose_name_plural = _("tappe")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "order"], name="stage_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Session(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("titolo"), max_length=200)
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"))
    place = models.CharField(_("luogo"), max_length=255, blank=True)
    online_url = models.URLField(_("collegamento online"), blank=True)
    materials = models.TextField(_("materiali"), blank=True)
    reflection_prompt = models.TextField(_("spunto di riflessione"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")

    def __str__(self) -> str:
        return self.title

    def is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now <= self.ends_at


class AttendanceMethod(models.TextChoices):
    COORDINATOR = "coordinator", _("Registrata dal coordinamento")
    QR = "qr", _("Codice QR")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leadership_attendances"
    )
    present = models.BooleanField(_("presente"), default=True)
    method = models.CharField(max_length=12, choices=AttendanceMethod.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="one_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.participant_id}"


class Certificate(models.Model):
    application = models.OneToOneField(
        "leadership.Application", on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("codice di verifica"), max_length=20, unique=True)
    holder_name = models.CharField(_("intestatario/a"), max_length=120)
    programme_title = models.CharField(_("programma"), max_length=255)
    issued_at = models.DateTimeField(_("rilasciato il"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestato")
        verbose_name_plural = _("attestati")

    def __str__(self) -> str:
        return self.code
