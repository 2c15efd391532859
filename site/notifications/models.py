"""In-app notifications, e-mail deliveries (sent at most once) and each person's preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    PROPOSAL_ANSWERED = "proposal_answered", _("Risposta alla tua proposta")
    STATUS_CHANGED = "status_changed", _("Cambio di stato della tua proposta")
    COMMENT_REPLY = "comment_reply", _("Risposta al tuo commento")
    PHASE_STARTED = "phase_started", _("Nuova fase di una consultazione che segui")
    PROPOSAL_HIDDEN = "proposal_hidden", _("Contenuto nascosto")
    PROPOSAL_PUBLISHED = "proposal_published", _("Proposta pubblicata dopo la verifica")
    DIGEST = "digest", _("Riepilogo settimanale")
    IMAGE_REFUSED = "image_refused", _("Immagine non pubblicata")
    IMPLEMENTATION = "implementation", _("Che cosa è stato fatto delle proposte che segui")
    ACCESSIBILITY_FEEDBACK = "accessibility_feedback", _("Segnalazione sull'accessibilità")


class Notification(models.Model):
    """One message shown in the person's notification list.

    ``key`` names the event it comes from (e.g. ``answer:<status change id>``): a retried task
    finds the row it already wrote instead of writing a second one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario/a"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("chiave dell'evento"), max_length=200, unique=True)
    kind = models.CharField(_("tipo"), max_length=30, choices=NotificationKind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    body = models.TextField(_("testo"), blank=True)
    url = models.CharField(_("collegamento"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    read_at = models.DateTimeField(_("letta il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("in coda")
    SENT = "sent", _("inviata")
    SKIPPED = "skipped", _("non inviata (e-mail disattivate)")
    FAILED = "failed", _("non riuscita")


class EmailDelivery(models.Model):
    """One e-mail to one person, identified by an idempotency key: it goes out at most once."""

    idempotency_key = models.CharField(_("chiave di idempotenza"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario/a"),
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notifica"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    subject = models.CharField(_("oggetto"), max_length=200)
    body = models.TextField(_("testo"))
    transactional = models.BooleanField(
        _("e-mail di servizio"),
        default=False,
        help_text=_(
            "Ricevute, esiti e promemoria che la persona ha chiesto: partono anche se ha "
            "disattivato le e-mail di notifica."
        ),
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    last_error = models.CharField(_("ultimo errore"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    sent_at = models.DateTimeField(_("inviata il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invio e-mail")
        verbose_name_plural = _("invii e-mail")

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.get_status_display()})"


class NotificationPreference(models.Model):
    """What a person wants by e-mail. No row means the defaults (e-mail on, no weekly digest,
    the facilitators' daily digest on for those who facilitate)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("ricevi le notifiche per e-mail"), default=True)
    weekly_digest = models.BooleanField(
        _("ricevi un riepilogo settimanale"),
        default=False,
        help_text=_("Una sola e-mail alla settimana con le notifiche che non hai ancora letto."),
    )
    facilitator_digest = models.BooleanField(
        _("ricevi il riepilogo quotidiano di chi facilita"),
        default=True,
        help_text=_(
            "Solo per chi facilita consultazioni: una e-mail al giorno, quando qualcosa attende "
            "(segnalazioni, proposte da approvare, risposte da dare, fasi che stanno per aprire)."
        ),
    )
    unsubscribed_at = models.DateTimeField(_("disiscrizione il"), null=True, blank=True)
    updated_at = models.DateTimeField(_("aggiornate il"), auto_now=True)

    class Meta:
        verbose_name = _("preferenze di notifica")
        verbose_name_plural = _("preferenze di notifica")

    def __str__(self) -> str:
        return str(self.user)
