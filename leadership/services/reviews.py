"""Review: assigning reviewers (automatically or by hand), conflicts of interest, scores."""

from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from leadership import emails
from leadership.models import Application, CallPage, ConflictOfInterest, Review
from leadership.models import ApplicationStatus as S
from leadership.predicates import is_reviewer
from leadership.selectors import reviewers_all
from leadership.services.access import require_coordinator, require_reviewer
from leadership.services.transitions import application_transition
from psm.localisation import default_locale_id
from reviewing.assignment import plan_assignments
from reviewing.conflicts import clean_conflict_reason
from reviewing.criteria import clean_scores


@transaction.atomic
def reviews_assign_automatically(*, call: CallPage, actor: User) -> dict:
    """Give each eligible application N reviewers, balancing load, never a declared conflict."""
    require_coordinator(actor)
    applications = list(
        Application.objects.select_for_update()
        .filter(call=call, status__in=[S.ELIGIBLE, S.UNDER_REVIEW])
        .order_by("pk")
    )
    reviewers = {r.pk: r for r in reviewers_all()}
    plan = plan_assignments(
        [a.pk for a in applications],
        list(reviewers),
        per_item=call.reviewers_per_application,
        assigned=Review.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id"
        ),
        conflicts=ConflictOfInterest.objects.filter(call=call).values_list(
            "application_id", "reviewer_id"
        ),
        excluded={a.pk: [a.applicant_id] for a in applications},
    )
    by_id = {a.pk: a for a in applications}
    for application_id, reviewer_id in plan.pairs:
        review = Review.objects.create(
            application=by_id[application_id], reviewer=reviewers[reviewer_id], assigned_by=actor
        )
        emails.assignment_queue(review)
    for application in applications:
        have = plan.reviewers_of[application.pk]
        if have and application.status == S.ELIGIBLE:
            application_transition(
                application=application,
                to=S.UNDER_REVIEW,
                actor=actor,
                reason=_("Assegnata a %(n)d valutatori/trici.") % {"n": len(have)},
            )
    return {"created": len(plan.pairs), "short": plan.short}


@transaction.atomic
def review_assign(*, application: Application, reviewer: User, actor: User) -> Review:
    require_coordinator(actor)
    if not is_reviewer(reviewer):
        raise ValidationError(_("Questa persona non ha il ruolo di valutatore/trice."))
    if reviewer.pk == application.applicant_id:
        raise ValidationError(_("Nessuno può valutare la propria candidatura."))
    if ConflictOfInterest.objects.filter(reviewer=reviewer, application=application).exists():
        raise ValidationError(
            _("Questa persona ha dichiarato un conflitto di interessi su questa candidatura.")
        )
    if application.status not in (S.ELIGIBLE, S.UNDER_REVIEW):
        raise ValidationError(_("Si possono assegnare solo candidature ammissibili."))
    review, created = Review.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if created:
        emails.assignment_queue(review)
    if application.status == S.ELIGIBLE:
        application_transition(
            application=application,
            to=S.UNDER_REVIEW,
            actor=actor,
            reason=_("Assegnata manualmente."),
        )
    return review


@transaction.atomic
def review_unassign(*, review: Review, actor: User) -> None:
    require_coordinator(actor)
    review = Review.objects.select_for_update().filter(pk=review.pk).first()
    if review is None:
        return
    if review.is_submitted:
        raise ValidationError(_("La valutazione è già stata inviata: non si può togliere."))
    review.delete()


@transaction.atomic
def conflict_declare(
    *, application: Application, reviewer: User, reason: str
) -> ConflictOfInterest:
    """A reviewer declares a conflict of interest on an application (assigned or not yet).

    Before the review is submitted the assignment, if any, is removed for good (nothing was
    scored). A submitted review is never deleted: it is part of the record the selection rests on. The
    declaration is recorded with its date and reason, marked as made after submission, and
    shown to the coordinator, who decides (a motivated ranking correction, another reviewer).
    """
    require_reviewer(reviewer)
    review = (
        Review.objects.select_for_update()
        .filter(application=application, reviewer=reviewer)
        .first()
    )
    submitted = review is not None and review.is_submitted
    reason = clean_conflict_reason(reason, after_submission=submitted)
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        call=application.call,
        reviewer=reviewer,
        application=application,
        defaults={"reason": reason, "after_submission": submitted},
    )
    if review is not None and not submitted:
        review.delete()
    return conflict


@transaction.atomic
def review_submit(*, review: Review, reviewer: User, scores: dict, comment: str) -> Review:
    require_reviewer(reviewer)
    review = (
        Review.objects.select_for_update()
        .select_related("application__call")
        .filter(pk=review.pk)
        .first()
    )
    if review is None or review.reviewer_id != reviewer.pk:
        raise PermissionDenied(_("Questa valutazione non è assegnata a te."))
    if review.is_submitted:
        raise ValidationError(_("Hai già inviato questa valutazione."))
    application = review.application
    if application.status != S.UNDER_REVIEW:
        raise ValidationError(_("La candidatura non è più in valutazione."))
    call = application.call
    review.scores = clean_scores(call.criteria.all(), scores, score_max=call.score_max)
    review.comment = comment.strip()[:5000]
    review.submitted_at = timezone.now()
    review.save(update_fields=["scores", "comment", "submitted_at"])
    return review


#: How long before a call's review deadline reviewers with reviews still to send are reminded.
REVIEW_REMINDER_BEFORE = timedelta(days=1)


def review_reminders_send(*, now=None) -> int:
    """Remind each reviewer with reviews still to send, once per call, in the day before the
    call's review deadline. Run hourly by Celery beat; the e-mail ledger's key makes a second
    run (or a retried one) send nothing new."""
    now = now or timezone.now()
    queued = 0
    calls = CallPage.objects.filter(
        review_deadline__gt=now,
        review_deadline__lte=now + REVIEW_REMINDER_BEFORE,
        locale_id=default_locale_id(),  # translations are the same call
    )
    for call in calls:
        pending = defaultdict(list)
        for review in (
            Review.objects.filter(
                application__call=call,
                application__status=S.UNDER_REVIEW,
                submitted_at__isnull=True,
            )
            .select_related("reviewer", "application")
            .order_by("reviewer_id", "application_id")
        ):
            pending[review.reviewer].append(review)
        for reviewer, reviews in pending.items():
            if emails.review_reminder_queue(call, reviewer, reviews) is not None:
                queued += 1
    return queued
