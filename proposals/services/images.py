"""A proposal's picture from the upload to the page.

In the request, :func:`image_receive` checks the upload from its header (``proposals.images``)
and keeps it in private storage as an :class:`ImageUpload`; the proposal or version that will
show it points at it, and the task ``proposals.tasks.process_image`` is queued once the
transaction commits. The task (``proposals.image_cleaning.image_clean``) decodes and re-encodes
the picture in a child process with a memory ceiling (``proposals.images.image_rendition``),
so a picture that decodes bigger than it looked costs a refusal, not a worker. The clean file
replaces the proposal's picture (and the version's); a refused picture leaves the proposal as
it was and its author is told why. Until then the public sees the previous picture, if any.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from proposals.images import ImageRejected, image_accept
from proposals.models import ImageUpload, Proposal
from proposals.tasks import process_image


def image_receive(image, *, author) -> ImageUpload | None:
    """The upload kept for cleaning, or None if there is none; ``ValidationError`` (with the
    reason, in the author's language) when it cannot be a picture we take."""
    if not image:
        return None
    try:
        data = image_accept(image)
    except ImageRejected as error:
        raise ValidationError(str(error)) from None
    upload = ImageUpload(author=author)
    upload.original.save(uuid.uuid4().hex, ContentFile(data), save=False)
    upload.save()
    transaction.on_commit(lambda: process_image.delay(str(upload.pk)), robust=True)
    return upload


def image_pending_for(proposal: Proposal, user) -> bool:
    """Whether ``user`` (the author) should read that a new picture is being prepared."""
    if user is None or proposal.author_id != getattr(user, "pk", None):
        return False
    return (
        proposal.image_upload_id is not None
        or proposal.versions.filter(image_upload__isnull=False).exists()
    )
