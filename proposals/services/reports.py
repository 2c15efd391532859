"""Reports: anybody signed in may flag a proposal or a comment to the facilitators.

Every report reaches the moderation queue, but only the reports of people who could take
part in the consultation, with a verified and not-new account, count towards the
consultation's ``report_threshold`` (:func:`report_counts`). Reaching it puts the content
first in the queue for a priority review; nothing is hidden until a moderator decides.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.choices import Verb
from consultations.models import ConsultationPage
from proposals.models import Comment, Proposal, Report, ReportReason, Visibility
from proposals.moderation.services import content_flag_reported, pending_reports
from proposals.visibility import refuse_unless_comment_visible, refuse_unless_proposal_visible

#: How old an account must be for its reports to count towards the threshold.
REPORTER_MIN_ACCOUNT_AGE = datetime.timedelta(days=7)


def report_counts(reporter: User, consultation: ConsultationPage, now=None) -> bool:
    """Whether a report by ``reporter`` counts towards the priority review: the person may
    take part in ``consultation`` (active account, not suspended there, age and territory),
    the account is at least :data:`REPORTER_MIN_ACCOUNT_AGE` old and its e-mail verified."""
    now = now or timezone.now()
    if consultation.eligibility_error(reporter, now, verb=Verb.COMMENT) is not None:
        return False
    if reporter.date_joined is None or reporter.date_joined > now - REPORTER_MIN_ACCOUNT_AGE:
        return False
    return EmailAddress.objects.filter(user=reporter, verified=True).exists()


def _clean_report_text(reason: str, text: str) -> str:
    if reason not in ReportReason.values:
        raise ValidationError(_("Scegli il motivo della segnalazione."))
    text = (text or "").strip()
    if reason == ReportReason.OTHER and not text:
        raise ValidationError(_("Spiega in poche parole il motivo della segnalazione."))
    if len(text) > 1000:
        raise ValidationError(_("La spiegazione può essere lunga al massimo 1.000 caratteri."))
    return text


def _locked_target(proposal: Proposal | None, comment: Comment | None, viewer):
    """The reported proposal or comment, locked so concurrent reports count each other;
    refused when it is not visible. Returns ``(proposal, comment, consultation, author)``."""
    if proposal is not None:
        target = (
            Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
        )
        refuse_unless_proposal_visible(viewer, target)
        if target.visibility != Visibility.PUBLISHED:
            raise ValidationError(_("Questa proposta non è visibile: non si può segnalare."))
        return target, None, target.consultation, target.author
    target = (
        Comment.objects.select_for_update()
        .select_related("proposal__consultation")
        .get(pk=comment.pk)
    )
    refuse_unless_comment_visible(viewer, target)
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
    viewer=None,
) -> Report:
    """Flag a proposal or a comment. One pending report per person and content.

    When the counting reports (:func:`report_counts`) of different people reach the
    consultation's ``report_threshold``, the content is flagged for a priority review (an
    audited ``flag`` act); it stays visible until a moderator hides it.
    """
    if (proposal is None) == (comment is None):
        raise ValidationError(_("Indica una proposta oppure un commento."))
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied(_("Per segnalare un contenuto accedi o registrati."))
    text = _clean_report_text(reason, text)
    proposal, comment, consultation, author = _locked_target(proposal, comment, viewer or reporter)
    if author is not None and author.pk == reporter.pk:
        raise ValidationError(_("Non puoi segnalare un tuo contenuto."))
    existing = pending_reports(proposal=proposal, comment=comment).filter(reporter=reporter).first()
    if existing is not None:
        return existing
    counts = report_counts(reporter, consultation)
    report = Report.objects.create(
        proposal=proposal,
        comment=comment,
        reporter=reporter,
        reason=reason,
        text=text,
        counts=counts,
    )
    if counts and consultation.report_threshold:
        reporters = (
            pending_reports(proposal=proposal, comment=comment)
            .filter(counts=True, reporter__is_active=True)
            .aggregate(n=Count("reporter", distinct=True))["n"]
        )
        # Exactly when this report reaches the threshold: later ones find it flagged.
        if reporters == consultation.report_threshold:
            content_flag_reported(proposal=proposal, comment=comment)
    return report
