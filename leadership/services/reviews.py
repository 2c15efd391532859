"""Review: assigning reviewers (automatically or by hand), conflicts of interest, scores."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from leadership.models import Application, CallPage, ConflictOfInterest, Review
from leadership.models import ApplicationStatus as S
from leadership.predicates import is_reviewer
from leadership.selectors import reviewers_all
from leadership.services.access import require_coordinator
from leadership.services.transitions import application_transition


@transaction.atomic
def reviews_assign_automatically(*, call: CallPage, actor: User) -> dict:
    """Give each eligible application N reviewers, balancing load, never a declared conflict."""
    require_coordinator(actor)
    reviewers = list(reviewers_all())
    load = defaultdict(int)
    for row in (
        Review.objects.filter(application__call=call).values("reviewer_id").annotate(n=Count("pk"))
    ):
        load[row["reviewer_id"]] = row["n"]
    conflicts = set(
        ConflictOfInterest.objects.filter(call=call).values_list("reviewer_id", "application_id")
    )
    applications = list(
        Application.objects.select_for_update()
        .filter(call=call, status__in=[S.ELIGIBLE, S.UNDER_REVIEW])
        .order_by("pk")
    )
    assigned = defaultdict(set)
    for reviewer_id, application_id in Review.objects.filter(application__call=call).values_list(
        "reviewer_id", "application_id"
    ):
        assigned[application_id].add(reviewer_id)
    created, short = 0, []
    for application in applications:
        have = assigned[application.pk]
        options = [
            r
            for r in reviewers
            if r.pk not in have
            and r.pk != application.applicant_id
            and (r.pk, application.pk) not in conflicts
        ]
        options.sort(key=lambda r: (load[r.pk], r.pk))
        for reviewer in options[: max(0, call.reviewers_per_application - len(have))]:
            Review.objects.create(application=application, reviewer=reviewer, assigned_by=actor)
            load[reviewer.pk] += 1
            have.add(reviewer.pk)
            created += 1
        if len(have) < call.reviewers_per_application:
            short.append(application.pk)
        if have and application.status == S.ELIGIBLE:
            application_transition(
                application=application,
                to=S.UNDER_REVIEW,
                actor=actor,
                reason=_("Assegnata a %(n)d valutatori/trici.") % {"n": len(have)},
            )
    return {"created": created, "short": short}


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
    review, _created = Review.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
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
    if review.is_submitted:
        raise ValidationError(_("La valutazione è già stata inviata: non si può togliere."))
    review.delete()


@transaction.atomic
def conflict_declare(*, application: Application, reviewer: User, reason: str) -> None:
    """A reviewer declares a conflict of interest: the assignment is removed, for good."""
    if not is_reviewer(reviewer):
        raise PermissionDenied(_("Solo chi valuta può dichiarare un conflitto di interessi."))
    ConflictOfInterest.objects.get_or_create(
        call=application.call,
        reviewer=reviewer,
        application=application,
        defaults={"reason": reason[:255]},
    )
    Review.objects.filter(application=application, reviewer=reviewer).delete()


@transaction.atomic
def review_submit(*, review: Review, reviewer: User, scores: dict, comment: str) -> Review:
    review = (
        Review.objects.select_for_update().select_related("application__call").get(pk=review.pk)
    )
    if review.reviewer_id != reviewer.pk:
        raise PermissionDenied(_("Questa valutazione non è assegnata a te."))
    if review.is_submitted:
        raise ValidationError(_("Hai già inviato questa valutazione."))
    application = review.application
    if application.status != S.UNDER_REVIEW:
        raise ValidationError(_("La candidatura non è più in valutazione."))
    call = application.call
    clean = {}
    for criterion in call.criteria.all():
        raw = scores.get(str(criterion.pk))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Dai un punteggio a «%(c)s».") % {"c": criterion.name}
            ) from None
        if not 0 <= value <= call.score_max:
            raise ValidationError(
                _("Il punteggio di «%(c)s» va da 0 a %(max)d.")
                % {"c": criterion.name, "max": call.score_max}
            )
        clean[str(criterion.pk)] = value
    review.scores = clean
    review.comment = comment.strip()[:5000]
    review.submitted_at = timezone.now()
    review.save(update_fields=["scores", "comment", "submitted_at"])
    return review
