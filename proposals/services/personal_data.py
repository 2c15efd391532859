"""A participant's data about proposals: the export for the privacy page, and what is
removed or kept when the account is deleted."""

from __future__ import annotations

from django.db import transaction

from proposals.models import Comment, CommentLike, Proposal, Vote


def personal_data_export(*, user) -> dict:
    """Proposals, supports, ballots, comments and likes of ``user``."""
    return {
        "proposals": [
            {
                "id": p.pk,
                "consultation": p.consultation_id,
                "kind": p.kind,
                "title": p.title,
                "body": p.body,
                "amended_text": p.amended_text,
                "visibility": p.visibility,
                "status": p.status,
                "created_at": p.created_at.isoformat(),
                "image": p.image.name if p.image else None,
            }
            for p in Proposal.objects.filter(author=user).order_by("pk")
        ],
        "votes": [
            {
                "proposal": v.proposal_id,
                "budget_ballot": v.ballot_id,
                "created_at": v.created_at.isoformat(),
            }
            for v in Vote.objects.filter(voter=user).order_by("pk")
        ],
        "comments": [
            {
                "id": c.pk,
                "proposal": c.proposal_id,
                "parent": c.parent_id,
                "body": c.body,
                "deleted": c.is_deleted,
                "created_at": c.created_at.isoformat(),
            }
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "comment_likes": list(
            CommentLike.objects.filter(user=user)
            .order_by("pk")
            .values_list("comment_id", flat=True)
        ),
    }


@transaction.atomic
def personal_data_anonymise(*, user) -> None:
    """Before an account is removed: drop pictures and map points of the person's proposals
    (they may identify them); texts stay, shown as by "Partecipante rimosso"; supports stay
    counted (tallies are kept); likes are removed."""
    for proposal in Proposal.objects.filter(author=user).exclude(image=""):
        proposal.image.delete(save=False)
        proposal.image = None
        proposal.save(update_fields=["image"])
    Proposal.objects.filter(author=user).update(latitude=None, longitude=None)
    CommentLike.objects.filter(user=user).delete()
