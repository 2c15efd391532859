"""Receivers that bump a consultation's proposals version (``proposals.caching``) when a
proposal is saved or deleted. They write nothing to the database. The bump happens at once
(the writing request's own next read sees the change) and again once the transaction commits,
so a request that read the old data in between cannot keep it under the current version."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from proposals.caching import bump_proposals_version
from proposals.models import Proposal


def _proposal_changed(sender, instance, **kwargs):
    consultation_id = instance.consultation_id
    bump_proposals_version(consultation_id)
    transaction.on_commit(lambda: bump_proposals_version(consultation_id))


def connect() -> None:
    post_save.connect(_proposal_changed, sender=Proposal, dispatch_uid="proposals-version-save")
    post_delete.connect(_proposal_changed, sender=Proposal, dispatch_uid="proposals-version-delete")
