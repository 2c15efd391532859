"""The files behind proposal pictures: an old picture goes when it is replaced or removed,
and a file no proposal points to (a save that failed after the upload was stored) is swept."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from proposals.models import Proposal, ProposalVersion

FOLDER = "proposals"
GRACE = timedelta(hours=24)


def image_forget_on_commit(name: str | None) -> None:
    """Delete the file ``name`` once the change that stopped using it is committed."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def orphan_images_sweep(*, now=None, grace: timedelta = GRACE) -> int:
    """Delete picture files older than ``grace`` that no proposal or version uses;
    returns how many.

    The grace period leaves alone an upload whose proposal is still being saved.
    """
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    used = set(
        Proposal.objects.filter(image__startswith=f"{FOLDER}/").values_list("image", flat=True)
    )
    # A picture of an edit that waits for a moderator belongs to no proposal yet.
    used |= set(
        ProposalVersion.objects.filter(image__startswith=f"{FOLDER}/").values_list(
            "image", flat=True
        )
    )
    removed = 0
    for filename in files:
        name = f"{FOLDER}/{filename}"
        if name in used or default_storage.get_modified_time(name) > now - grace:
            continue
        default_storage.delete(name)
        removed += 1
    return removed
