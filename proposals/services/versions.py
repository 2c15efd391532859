"""Versions of a proposal's content: every edit keeps one, so moderators can compare.

A version is a full copy of what the author can change (title, text, category, place,
picture, cost, amended text); a picture still being cleaned is its ``image_upload``, which the
task ``proposals.tasks.process_image`` turns into the file name. The first edit also keeps the content as it was before it,
so the original is never lost. In a premoderated consultation an edit of a published
proposal becomes a ``PENDING`` version and the proposal keeps its approved text until a
moderator approves (:func:`version_apply`) or refuses it; elsewhere the edit is applied at
once and the version records it.
"""

from __future__ import annotations

from django.utils import timezone

from proposals.image_files import image_forget_on_commit
from proposals.models import Proposal, ProposalVersion, VersionState

#: The fields a version copies from (and back onto) the proposal.
CONTENT_FIELDS = (
    "title",
    "body",
    "category_id",
    "comune_id",
    "latitude",
    "longitude",
    "cost",
    "amended_text",
    "image_upload_id",
)


def content_of(item: Proposal | ProposalVersion) -> dict:
    """The comparable content of a proposal or of a version (picture as its file name)."""
    image = item.image if isinstance(item, ProposalVersion) else (item.image.name or "")
    return {**{name: getattr(item, name) for name in CONTENT_FIELDS}, "image": image or ""}


def pending_version(proposal: Proposal) -> ProposalVersion | None:
    """The author's edit that waits for a moderator, if any."""
    return proposal.versions.filter(state=VersionState.PENDING).first()


def version_keep_original(proposal: Proposal) -> None:
    """Before the first edit, keep the content as it is now as the first version."""
    if proposal.versions.exists():
        return
    ProposalVersion.objects.create(
        proposal=proposal,
        state=VersionState.APPLIED,
        editor=proposal.author,
        created_at=proposal.published_at or proposal.created_at,
        **_version_fields(content_of(proposal)),
    )


def version_record(*, proposal: Proposal, content: dict, editor, state: str) -> ProposalVersion:
    """A new version with ``content``; a pending one replaces the edit that was waiting."""
    if state == VersionState.PENDING:
        for waiting in proposal.versions.filter(state=VersionState.PENDING):
            version_discard(waiting, state=VersionState.SUPERSEDED, keep_image=content["image"])
    return ProposalVersion.objects.create(
        proposal=proposal, state=state, editor=editor, **_version_fields(content)
    )


def version_apply(*, proposal: Proposal, version: ProposalVersion, reviewer=None) -> Proposal:
    """Copy ``version`` onto ``proposal`` (locked by the caller) and mark it applied."""
    previous_image = proposal.image.name or ""
    for name in CONTENT_FIELDS:
        setattr(proposal, name, getattr(version, name))
    proposal.image = version.image or None
    proposal.save()
    if previous_image and previous_image != version.image:
        image_forget_on_commit(previous_image)
    version.state = VersionState.APPLIED
    if reviewer is not None:
        version.reviewed_by = reviewer
        version.reviewed_at = timezone.now()
    version.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    return proposal


def version_discard(
    version: ProposalVersion, *, state: str, reviewer=None, keep_image: str = ""
) -> None:
    """Close a pending version without applying it; its new picture, unused, goes."""
    version.state = state
    if reviewer is not None:
        version.reviewed_by = reviewer
        version.reviewed_at = timezone.now()
    version.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    if version.image and version.image not in (version.proposal.image.name, keep_image):
        image_forget_on_commit(version.image)


def _version_fields(content: dict) -> dict:
    return {name: content[name] for name in (*CONTENT_FIELDS, "image")}
