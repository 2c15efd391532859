"""Reports: anybody signed in may flag a proposal or a comment to the facilitators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import User
from proposals.models import Comment, Proposal, Report, ReportReason, Visibility
from proposals.moderation.services import content_hide_reported, pending_reports


def _clean_report_text(reason: str, text: str) -> str:
    if reason not in ReportReason.values:
        raise ValidationError(_("Scegli il motivo della segnalazione."))
    text = (text or "").strip()
    if reason == ReportReason.OTHER and not text:
        raise ValidationError(_("Spiega in poche parole il motivo della segnalazione."))
    if len(text) > 1000:
        raise ValidationError(_("La spiegazione può essere lunga al massimo 1.000 caratteri."))
    return text


def _locked_target(proposal: Proposal | None, comment: Comment | None):
    """The reported proposal or comment, locked so concurrent reports count each other;
    refused when it is not visible. Returns ``(proposal, comment, consultation, author)``."""
    if proposal is not None:
        target = (
            Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
        )
        if target.visibility != Visibility.PUBLISHED:
            raise ValidationError(_("Questa proposta non è visibile: non si può segnalare."))
        return target, None, target.consultation, target.author
    target = (
        Comment.objects.select_for_update()
        .select_related("proposal__consultation")
        .get(pk=comment.pk)
    )
    if not target.is_visible:
        raise ValidationError(_("Questo commento non è visibile: non si può segnalare."))
    return None, target, target.proposal.consultation, target.author


@transaction.atomic
def report_create(
    *,
    reporter: User,
    reason: str,
    text: str = "",
    proposal: Proposal | None = None,
    comment: Comment | None = None,
) -> Report:
    """Flag a proposal or a comment. One pending report per person and content.

    When the pending reports of different people reach the consultation's
    ``report_threshold`` the content is hidden until a facilitator looks at it.
    """
    if (proposal is None) == (comment is None):
        raise ValidationError(_("Indica una proposta oppure un commento."))
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied(_("Per segnalare un contenuto accedi o registrati."))
    text = _clean_report_text(reason, text)
    proposal, comment, consultation, author = _locked_target(proposal, comment)
    if author is not None and author.pk == reporter.pk:
        raise ValidationError(_("Non puoi segnalare un tuo contenuto."))
    existing = pending_reports(proposal=proposal, comment=comment).filter(reporter=reporter).first()
    if existing is not None:
        return existing
    report = Report.objects.create(
        proposal=proposal, comment=comment, reporter=reporter, reason=reason, text=text
    )
    reporters = pending_reports(proposal=proposal, comment=comment).aggregate(
        n=Count("reporter", distinct=True)
    )["n"]
    if consultation.report_threshold and reporters >= consultation.report_threshold:
        content_hide_reported(proposal=proposal, comment=comment)
    return report
