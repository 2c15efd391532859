"""Pictures on their way to a proposal: received in the request, cleaned by a Celery task."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_storage_callable


class ImageUploadState(models.TextChoices):
    PENDING = "pending", _("In elaborazione")
    READY = "ready", _("Pubblicabile")
    REFUSED = "refused", _("Rifiutata")
    DISCARDED = "discarded", _("Non più usata")


class ImageUpload(models.Model):
    """A picture as the author sent it, kept in private storage (no URL) until the task
    ``proposals.tasks.process_image`` re-encodes it under a memory ceiling.

    The proposal (or the version of an edit) that will show it points here through its
    ``image_upload`` while the picture is pending; the task then gives it the clean file and
    clears the pointer, or refuses the picture and tells the author why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore/autrice"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    original = models.FileField(
        _("file ricevuto"),
        storage=private_storage_callable,
        upload_to="proposal-uploads/",
        blank=True,
    )
    state = models.CharField(
        _("stato"),
        max_length=10,
        choices=ImageUploadState.choices,
        default=ImageUploadState.PENDING,
    )
    reason = models.TextField(_("motivo del rifiuto"), blank=True)
    result = models.CharField(_("file pubblicato"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("ricevuta il"), default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(_("elaborata il"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("immagine ricevuta")
        verbose_name_plural = _("immagini ricevute")

    def __str__(self):
        return f"{self.pk} ({self.get_state_display()})"
