"""Celery tasks of the proposals app. They take ids and are idempotent: each notification
has a key naming its event, so a retried task writes and sends nothing twice.

Nobody is told about what they cannot see when the task runs (``proposals.visibility``, for
the recipient alone: no session, so no password pass): a consultation unpublished, expired or
restricted in the meantime sends nothing, neither e-mail nor in-site notification."""

from celery import shared_task
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.language import in_language_of
from notifications.models import NotificationKind
from notifications.services import notify
from proposals.image_cleaning import image_clean, images_stale, uploads_sweep
from proposals.image_files import orphan_images_sweep
from proposals.models import Comment, ModerationAction, ProposalStatus, StatusChange
from proposals.visibility import comment_visible, proposal_visible


def proposal_url(proposal) -> str:
    """The proposal's public page (A's ``proposals:detail``), else the consultation page."""
    try:
        return reverse("proposals:detail", kwargs={"pk": proposal.pk})
    except NoReverseMatch:
        return proposal.consultation.url or ""


@shared_task(name="proposals.tasks.notify_proposal_answered")
def notify_proposal_answered(status_change_id: int) -> bool:
    """Tell the author that their proposal got an answer or changed status."""
    change = (
        StatusChange.objects.select_related("proposal__author", "proposal__consultation")
        .filter(pk=status_change_id)
        .first()
    )
    if change is None or change.proposal.author is None:
        return False
    if not proposal_visible(change.proposal.author, change.proposal):
        return False
    proposal = change.proposal
    with in_language_of(proposal.author):
        status = ProposalStatus(change.to_status).label
        if change.answer:
            kind = NotificationKind.PROPOSAL_ANSWERED
            title = _("La tua proposta «%(title)s» ha ricevuto una risposta: %(status)s") % {
                "title": proposal.title,
                "status": str(status).lower(),
            }
        else:
            kind = NotificationKind.STATUS_CHANGED
            title = _("La tua proposta «%(title)s» è ora: %(status)s") % {
                "title": proposal.title,
                "status": str(status).lower(),
            }
        notification = notify(
            user=proposal.author,
            key=f"status-change:{change.pk}",
            kind=kind,
            title=title,
            body=change.answer,
            url=proposal_url(proposal),
        )
    return notification is not None


@shared_task(name="proposals.tasks.notify_comment_reply")
def notify_comment_reply(comment_id: int) -> bool:
    """Tell the author of the parent comment that somebody replied (not to themselves)."""
    reply = (
        Comment.objects.select_related("parent__author", "author", "proposal__consultation")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or reply.parent is None or not reply.is_visible:
        return False
    recipient = reply.parent.author
    if recipient is None or (reply.author_id and reply.author_id == recipient.pk):
        return False
    if not comment_visible(recipient, reply):
        return False
    with in_language_of(recipient):
        title = _("%(name)s ha risposto al tuo commento su «%(title)s»") % {
            "name": reply.author.public_name if reply.author else _("Qualcuno"),
            "title": reply.proposal.title,
        }
        notification = notify(
            user=recipient,
            key=f"comment-reply:{reply.pk}",
            kind=NotificationKind.COMMENT_REPLY,
            title=title,
            body=reply.body[:500],
            url=f"{proposal_url(reply.proposal)}#commento-{reply.pk}",
        )
    return notification is not None


@shared_task(name="proposals.tasks.notify_content_hidden")
def notify_content_hidden(moderation_action_id: int) -> bool:
    """Tell the author that their proposal or comment was hidden, and why."""
    action = (
        ModerationAction.objects.select_related(
            "proposal__consultation", "comment__proposal__consultation", "user"
        )
        .filter(pk=moderation_action_id)
        .first()
    )
    if action is None or action.user is None:
        return False
    about = action.proposal or (action.comment.proposal if action.comment else None)
    if about is not None and not proposal_visible(action.user, about):
        return False
    with in_language_of(action.user):
        if action.proposal is not None:
            title = _("La tua proposta «%(title)s» è stata nascosta") % {
                "title": action.proposal.title
            }
            url = proposal_url(action.proposal)
        elif action.comment is not None:
            title = _("Un tuo commento su «%(title)s» è stato nascosto") % {
                "title": action.comment.proposal.title
            }
            url = proposal_url(action.comment.proposal)
        else:
            return False
        body = _("Motivo: %(reason)s") % {"reason": action.public_reason}
        notification = notify(
            user=action.user,
            key=f"hidden:{action.pk}",
            kind=NotificationKind.PROPOSAL_HIDDEN,
            title=title,
            body=body,
            url=url,
        )
    return notification is not None


@shared_task(name="proposals.tasks.notify_proposal_published")
def notify_proposal_published(moderation_action_id: int) -> bool:
    """Tell the author that their premoderated proposal is now public."""
    action = (
        ModerationAction.objects.select_related("proposal__consultation", "user")
        .filter(pk=moderation_action_id)
        .first()
    )
    if action is None or action.user is None or action.proposal is None:
        return False
    if not proposal_visible(action.user, action.proposal):
        return False
    with in_language_of(action.user):
        title = _("La tua proposta «%(title)s» è stata pubblicata") % {
            "title": action.proposal.title
        }
        notification = notify(
            user=action.user,
            key=f"published:{action.pk}",
            kind=NotificationKind.PROPOSAL_PUBLISHED,
            title=title,
            body=_("Ora tutte e tutti possono leggerla, commentarla e sostenerla."),
            url=proposal_url(action.proposal),
        )
    return notification is not None


@shared_task(name="proposals.tasks.process_image", time_limit=120, soft_time_limit=90)
def process_image(upload_id: str) -> str:
    """Clean a received picture (``proposals.image_cleaning``); the heavy work runs in a child
    process with a memory ceiling, so this worker's own memory stays as it was."""
    return image_clean(upload_id)


@shared_task(name="proposals.tasks.sweep_orphan_images")
def sweep_orphan_images() -> int:
    """Daily (beat): queue again the pictures whose task was lost, and delete picture files no
    proposal uses (a save that failed after the upload was stored)."""
    for upload_id in images_stale():
        process_image.delay(str(upload_id))
    return orphan_images_sweep() + uploads_sweep()
