"""E-mail notices at each step of a contest, run by Celery beat
(:func:`contests.tasks.send_contest_notices`) through the notifications' e-mail ledger.

Each notice has a key naming the contest, the step and the person, so a second run, a retried
task or two beat processes send nothing new (exactly once). A run looks only at steps that
began within :data:`NOTICE_WINDOW` (or, for the jury, end within :data:`JURY_REMINDER_BEFORE`),
so a contest created with dates in the past does not mail its old steps.

- **Submission** (the questions close, ``questions_close_at``): every accepted member of a team
  still in draft, with the deadline to the second.
- **Results** (from ``results_at``, once the results are confirmed): every accepted member of a
  submitted entry (:func:`contests.emails.result_queue`); nobody hears a result before it is
  public.
- **Jury reminder**: each juror with assigned entries still to score, in the day before
  ``jury_ends_at`` (the count only: no code, no name).

The receipt on submission (:func:`contests.services.submission.entry_submit`), the invitation,
the jury assignment and the withdrawal are sent by their services as they happen. Registration
opening has nobody registered to tell: it is announced on the contest page and its action.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from contests import emails
from contests.models import ContestPage, Entry, EntryStatus, JuryAssignment
from psm.localisation import default_locale_id

NOTICE_WINDOW = timedelta(days=2)
JURY_REMINDER_BEFORE = timedelta(days=1)


def _members(entries):
    for entry in entries:
        for member in entry.members.filter(accepted_at__isnull=False).select_related("user"):
            if member.user.is_active:
                yield entry, member.user


def submission_notices_send(*, now) -> int:
    queued = 0
    contests = ContestPage.objects.filter(
        locale_id=default_locale_id(),
        questions_close_at__lte=now,
        questions_close_at__gt=now - NOTICE_WINDOW,
        submission_closes_at__gt=now,
    )
    for contest in contests:
        drafts = Entry.objects.filter(contest=contest, status=EntryStatus.DRAFT).select_related(
            "contest"
        )
        for entry, person in _members(drafts):
            queued += emails.submission_phase_queue(entry, person) is not None
    return queued


def result_notices_send(*, now) -> int:
    queued = 0
    contests = ContestPage.objects.filter(
        locale_id=default_locale_id(),
        results_at__lte=now,
        result__isnull=False,
        results_at__gt=now - NOTICE_WINDOW,
    ) | ContestPage.objects.filter(
        locale_id=default_locale_id(),
        results_at__lte=now,
        result__confirmed_at__gt=now - NOTICE_WINDOW,
    )
    for contest in contests.distinct().select_related("result"):
        winner_id = contest.result.winner_id
        submitted = Entry.objects.filter(
            contest=contest, status=EntryStatus.SUBMITTED
        ).select_related("contest")
        for entry, person in _members(submitted):
            queued += emails.result_queue(entry, person, won=entry.pk == winner_id) is not None
    return queued


def jury_reminders_send(*, now) -> int:
    queued = 0
    contests = ContestPage.objects.filter(
        locale_id=default_locale_id(),
        jury_ends_at__gt=now,
        jury_ends_at__lte=now + JURY_REMINDER_BEFORE,
    )
    for contest in contests:
        pending = Counter(
            JuryAssignment.objects.filter(
                entry__contest=contest,
                entry__status=EntryStatus.SUBMITTED,
                submitted_at__isnull=True,
                juror__is_active=True,
                juror__contest_juries__contest=contest,
            ).values_list("juror_id", flat=True)
        )
        jurors = {j.user_id: j.user for j in contest.jurors.select_related("user")}
        for juror_id, count in sorted(pending.items()):
            queued += emails.jury_reminder_queue(contest, jurors[juror_id], count) is not None
    return queued


def contest_notices_send(*, now=None) -> int:
    """Every notice due now; how many e-mails were queued by this run."""
    now = now or timezone.now()
    return (
        submission_notices_send(now=now)
        + result_notices_send(now=now)
        + jury_reminders_send(now=now)
    )
