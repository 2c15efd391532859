"""Comments and replies (two levels), their edits, deletion and likes."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.services import participation_record, refuse_if
from proposals import rules as proposal_rules
from proposals.models import Comment, CommentLike, CommentVersion, Proposal
from proposals.services.cleaning import COMMENT_MAX, clean_text
from proposals.tasks import notify_comment_reply
from proposals.visibility import refuse_unless_comment_visible, refuse_unless_proposal_visible
from realtime.broadcast import broadcast_event, group_name
from realtime.events import CommentCreated

COMMENT_RATE = 5  # comments per person …
COMMENT_RATE_WINDOW = 60  # … per this many seconds


def _rate_limit_comment(user) -> None:
    key = f"proposals:comment-rate:{user.pk}"
    try:
        cache.add(key, 0, timeout=COMMENT_RATE_WINDOW)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=COMMENT_RATE_WINDOW)
        count = 1
    except Exception:  # cache unreachable: do not block people from commenting
        return
    if count > COMMENT_RATE:
        raise ValidationError(
            _(
                "Stai commentando molto velocemente: puoi scrivere al massimo %(n)s commenti "
                "al minuto. Aspetta un momento e riprova."
            )
            % {"n": COMMENT_RATE}
        )


def _broadcast_comment(comment: Comment) -> None:
    broadcast_event(
        group_name("proposal", comment.proposal_id),
        CommentCreated(proposal=comment.proposal_id, comment=comment.pk),
    )


@transaction.atomic
def comment_post(
    *, proposal: Proposal, author, body: str, parent: Comment | None = None, viewer=None
) -> Comment:
    """A comment, or a reply to one (two levels: a reply to a reply joins the same thread).

    ``viewer``: the request acting (view restrictions, ``proposals.visibility``); the author
    alone when omitted."""
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    refuse_unless_proposal_visible(viewer or author, proposal)
    refuse_if(proposal_rules.comment_error(author, proposal))
    body = clean_text(body, field=_("Commento"), minimum=2, maximum=COMMENT_MAX)
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError(_("Il commento a cui rispondi non è di questa proposta."))
        if not parent.is_visible:
            raise ValidationError(_("Il commento a cui rispondi non è più visibile."))
        if parent.parent_id is not None:
            parent = parent.parent
    _rate_limit_comment(author)
    comment = Comment.objects.create(proposal=proposal, author=author, parent=parent, body=body)
    participation_record(consultation=proposal.consultation, user=author)
    _broadcast_comment(comment)
    if parent is not None:
        transaction.on_commit(lambda: notify_comment_reply.delay(comment.pk), robust=True)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str, viewer=None) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refuse_unless_comment_visible(viewer or user, comment)
    refuse_if(proposal_rules.comment_edit_error(user, comment))
    body = clean_text(body, field=_("Commento"), minimum=2, maximum=COMMENT_MAX)
    if body == comment.body:
        return comment
    now = timezone.now()
    # Every edit keeps a version for the moderators; the first also keeps the original.
    if not comment.versions.exists():
        CommentVersion.objects.create(
            comment=comment, body=comment.body, editor=comment.author, created_at=comment.created_at
        )
    CommentVersion.objects.create(comment=comment, body=body, editor=user, created_at=now)
    comment.body = body
    comment.edited_at = now
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user, viewer=None) -> Comment:
    """Soft delete: the thread keeps its shape, the text is gone (its versions too)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refuse_unless_comment_visible(viewer or user, comment)
    refuse_if(proposal_rules.comment_delete_error(user, comment))
    comment.versions.all().delete()
    comment.is_deleted = True
    comment.body = ""
    comment.save(update_fields=["is_deleted", "body"])
    return comment


@transaction.atomic
def comment_like(*, comment: Comment, user, viewer=None) -> tuple[bool, int]:
    """Toggle the person's like; returns (liked now, number of likes)."""
    comment = Comment.objects.select_related("proposal__consultation").get(pk=comment.pk)
    refuse_unless_comment_visible(viewer or user, comment)
    refuse_if(proposal_rules.like_error(user, comment))
    deleted, _detail = CommentLike.objects.filter(comment=comment, user=user).delete()
    liked = False
    if not deleted:
        try:
            with transaction.atomic():
                CommentLike.objects.create(comment=comment, user=user)
            liked = True
        except IntegrityError:  # a double click: the first one already liked it
            liked = True
    return liked, CommentLike.objects.filter(comment=comment).count()
