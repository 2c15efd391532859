"""The jury through the shared review engine (``reviewing``): assignment, conflicts with
confirmation, scores."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests import emails
from contests.models import ContestPage, Entry, EntryStatus, JuryAssignment, JuryConflict
from contests.predicates import is_assigned_juror, manages_contest
from reviewing.assignment import plan_assignments
from reviewing.conflicts import clean_conflict_reason
from reviewing.criteria import clean_comment, clean_scores


def require_manager(contest: ContestPage, user) -> None:
    if not manages_contest(user, contest):
        raise PermissionDenied(_("Non gestisci questo contest."))


def require_jury_phase(contest: ContestPage, now=None) -> None:
    now = now or timezone.now()
    if not contest.submission_closes_at < now <= contest.jury_ends_at:
        raise ValidationError(
            _("La giuria lavora dopo la consegna e fino alla fine dei suoi lavori.")
        )


@transaction.atomic
def jury_assign(*, contest: ContestPage, actor: User) -> dict:
    """Every submitted entry gets N jurors: least loaded first, never a conflict, never a
    juror who is in the team."""
    require_manager(contest, actor)
    entries = list(
        Entry.objects.select_for_update()
        .filter(contest=contest, status=EntryStatus.SUBMITTED)
        .order_by("pk")
    )
    jurors = {j.user_id: j.user for j in contest.jurors.select_related("user") if j.user.is_active}
    members: dict[int, list[int]] = {}
    for entry_id, user_id in contest.entries.filter(members__user__isnull=False).values_list(
        "pk", "members__user_id"
    ):
        members.setdefault(entry_id, []).append(user_id)
    plan = plan_assignments(
        [e.pk for e in entries],
        sorted(jurors),
        per_item=contest.jurors_per_entry,
        assigned=JuryAssignment.objects.filter(entry__contest=contest).values_list(
            "entry_id", "juror_id"
        ),
        conflicts=JuryConflict.objects.filter(contest=contest).values_list("entry_id", "juror_id"),
        excluded=members,
    )
    by_id = {e.pk: e for e in entries}
    for entry_id, juror_id in plan.pairs:
        assignment = JuryAssignment.objects.create(entry=by_id[entry_id], juror=jurors[juror_id])
        emails.assignment_queue(assignment)
    return {"created": len(plan.pairs), "short": plan.short}


def _own(assignment: JuryAssignment, juror: User) -> JuryAssignment:
    row = (
        JuryAssignment.objects.select_for_update()
        .select_related("entry__contest")
        .filter(pk=assignment.pk, entry__status=EntryStatus.SUBMITTED)
        .first()
    )
    if row is None or not is_assigned_juror(juror, row):
        raise PermissionDenied(_("Questo progetto non è assegnato a te."))
    return row


@transaction.atomic
def jury_confirm_no_conflict(*, assignment: JuryAssignment, juror: User) -> JuryAssignment:
    """The juror confirms, before seeing the entry, that they have no conflict of interest."""
    assignment = _own(assignment, juror)
    if assignment.no_conflict_at is None:
        assignment.no_conflict_at = timezone.now()
        assignment.save(update_fields=["no_conflict_at"])
    return assignment


@transaction.atomic
def jury_declare_conflict(*, assignment: JuryAssignment, juror: User, reason: str) -> JuryConflict:
    """Before scoring the assignment is removed; after, the score stays on the record and the
    declaration is shown to who runs the contest (``reviewing.conflicts``)."""
    assignment = _own(assignment, juror)
    submitted = assignment.is_submitted
    reason = clean_conflict_reason(reason, after_submission=submitted)
    conflict, _created = JuryConflict.objects.get_or_create(
        contest=assignment.entry.contest,
        juror=juror,
        entry=assignment.entry,
        defaults={"reason": reason, "after_submission": submitted},
    )
    if not submitted:
        assignment.delete()
    return conflict


@transaction.atomic
def jury_submit(
    *, assignment: JuryAssignment, juror: User, scores: dict, comment: str, now=None
) -> JuryAssignment:
    assignment = _own(assignment, juror)
    contest = assignment.entry.contest
    require_jury_phase(contest, now)
    if assignment.no_conflict_at is None:
        raise ValidationError(_("Prima conferma di non avere conflitti di interessi."))
    if assignment.is_submitted:
        raise ValidationError(_("Hai già inviato questa valutazione."))
    comment = clean_comment(comment)
    if not comment:
        raise ValidationError(_("Scrivi la motivazione: sarà parte dei risultati."))
    assignment.scores = clean_scores(contest.criteria.all(), scores, score_max=contest.score_max)
    assignment.comment = comment
    assignment.submitted_at = now or timezone.now()
    assignment.save(update_fields=["scores", "comment", "submitted_at"])
    return assignment
