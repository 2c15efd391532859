"""The Celery side of a proposal's picture (see ``proposals.services.images`` for the request
side): decode and re-encode it under a memory ceiling, then hand the clean file to whoever
waits for it, or refuse it and tell the author why."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import in_language_of
from core.files import private_storage
from notifications.models import NotificationKind
from notifications.services import notify
from proposals.image_files import FOLDER, image_forget_on_commit
from proposals.images import ImageRejected, image_rendition
from proposals.models import ImageUpload, ImageUploadState, Proposal, ProposalVersion

logger = logging.getLogger(__name__)

#: A picture still pending after this long lost its task (a worker killed mid-way): queued again.
STALE_AFTER = timedelta(minutes=30)
#: How long the record of a handled picture (its state and the reason of a refusal) is kept.
KEEP_HANDLED = timedelta(days=30)
#: A received file older than this with no pending picture behind it (its request failed after
#: the file was stored) is deleted.
GRACE = timedelta(hours=24)
UPLOADS = "proposal-uploads"


def image_clean(upload_id) -> str:
    """Clean the picture ``upload_id`` and give it to whoever still waits for it; returns the
    upload's new state. Idempotent: a picture already handled is left alone."""
    with transaction.atomic():
        upload = (
            ImageUpload.objects.select_for_update()
            .filter(pk=upload_id, state=ImageUploadState.PENDING)
            .first()
        )
        if upload is None:
            return ""
        waiting = _waiting_for(upload)
        if not waiting:
            return _close(upload, ImageUploadState.DISCARDED)
        try:
            with upload.original.open("rb") as original:
                rendition = image_rendition(original.read())
        except ImageRejected as error:
            return _refuse(upload, str(error))
        except FileNotFoundError:
            logger.error("picture %s lost before it was cleaned", upload.pk)
            return _refuse(upload, _("Il file ricevuto non è più disponibile: caricalo di nuovo."))
        name = default_storage.save(
            f"{FOLDER}/{uuid.uuid4().hex}.{rendition.extension}", ContentFile(rendition.content)
        )
        # if the transaction fails, the stored file is swept as an orphan the next night
        ProposalVersion.objects.filter(image_upload=upload).update(image=name, image_upload=None)
        for proposal in Proposal.objects.select_for_update().filter(image_upload=upload):
            previous = proposal.image.name or ""
            proposal.image = name
            proposal.image_upload = None
            proposal.save(update_fields=["image", "image_upload", "updated_at"])
            if previous and previous != name:
                image_forget_on_commit(previous)
        upload.result = name
        return _close(upload, ImageUploadState.READY)


def _waiting_for(upload: ImageUpload) -> bool:
    return (
        Proposal.objects.filter(image_upload=upload).exists()
        or ProposalVersion.objects.filter(image_upload=upload).exists()
    )


def _close(upload: ImageUpload, state: str) -> str:
    upload.state = state
    upload.processed_at = timezone.now()
    upload.save(update_fields=["state", "reason", "result", "processed_at"])
    if upload.original:
        name, storage = upload.original.name, upload.original.storage
        transaction.on_commit(lambda: storage.delete(name))
    return state


def _refuse(upload: ImageUpload, reason: str) -> str:
    """The picture is not used: whoever waited for it keeps what they had; the author learns
    why, in the site and by e-mail (once per picture)."""
    proposal = (
        Proposal.objects.filter(image_upload=upload).first()
        or Proposal.objects.filter(versions__image_upload=upload).first()
    )
    Proposal.objects.filter(image_upload=upload).update(image_upload=None)
    ProposalVersion.objects.filter(image_upload=upload).update(image_upload=None)
    upload.reason = reason
    state = _close(upload, ImageUploadState.REFUSED)
    if proposal is not None:
        with in_language_of(upload.author):
            notify(
                user=upload.author,
                key=f"image-refused:{upload.pk}",
                kind=NotificationKind.IMAGE_REFUSED,
                title=_("L'immagine della tua proposta «%(title)s» non è stata pubblicata")
                % {"title": proposal.title},
                body=reason,
                url=reverse("proposals:detail", kwargs={"pk": proposal.pk}),
            )
    return state


def images_stale(*, now=None) -> list:
    """The pictures whose task was lost (pending for longer than ``STALE_AFTER``)."""
    now = now or timezone.now()
    return list(
        ImageUpload.objects.filter(
            state=ImageUploadState.PENDING, created_at__lt=now - STALE_AFTER
        ).values_list("pk", flat=True)
    )


def uploads_sweep(*, now=None) -> int:
    """Forget handled pictures after ``KEEP_HANDLED`` and delete received files that no
    pending picture uses any more; returns how many files went."""
    now = now or timezone.now()
    ImageUpload.objects.exclude(state=ImageUploadState.PENDING).filter(
        created_at__lt=now - KEEP_HANDLED
    ).delete()
    storage = private_storage
    try:
        _folders, files = storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    pending = set(
        ImageUpload.objects.filter(state=ImageUploadState.PENDING).values_list(
            "original", flat=True
        )
    )
    removed = 0
    for filename in files:
        name = f"{UPLOADS}/{filename}"
        if name in pending or storage.get_modified_time(name) > now - GRACE:
            continue
        storage.delete(name)
        removed += 1
    return removed
