"""Reads of the staff area: what each role has to do, one section per role, each in a fixed
number of queries whatever the number of consultations, proposals or calls.

The rules stay where they live: who moderates is ``consultations.moderate``
(``proposals.moderation.selectors.moderable_consultations``), who reviews and coordinates is
``leadership.review`` / ``leadership.coordinate``; answer deadlines are
``proposals.moderation.selectors.answer_deadline``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from consultations.models import ConsultationPage, Phase
from leadership.models import Application, CallPage, Review
from leadership.models import ApplicationStatus as S
from proposals.models import Proposal, ProposalStatus, Report, Visibility
from proposals.moderation.selectors import answer_deadline, moderable_consultations
from psm.localisation import default_locale_id
from psm.models import ActionPage
from workshops.models import LiveSession

#: Phases opening within this many days are listed as "about to open".
UPCOMING_PHASE_DAYS = 14
#: Workshops shown per facilitator (open ones first, then the most recent).
WORKSHOPS_SHOWN = 10


@dataclass
class ConsultationDesk:
    """One consultation as its facilitator sees it on the staff area."""

    consultation: ConsultationPage
    reports: int = 0
    pending: int = 0
    awaiting_answer: int = 0
    overdue: int = 0
    next_deadline: datetime.datetime | None = None
    upcoming_phases: list[Phase] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.reports or self.pending or self.overdue)


def facilitator_desk(*, user, now: datetime.datetime | None = None) -> list[ConsultationDesk]:
    """The consultations ``user`` moderates, with what waits in each: open reports, proposals
    waiting for approval, published proposals without an official answer (overdue ones and the
    nearest deadline), phases opening in the next ``UPCOMING_PHASE_DAYS`` days. Consultations
    that need attention first."""
    now = now or timezone.now()
    # phases read once: the answer deadline counts from the end of participation
    consultations = list(moderable_consultations(user=user).prefetch_related("phases"))
    if not consultations:
        return []
    desks = {c.pk: ConsultationDesk(consultation=c) for c in consultations}
    ids = list(desks)
    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .filter(Q(proposal__consultation__in=ids) | Q(comment__proposal__consultation__in=ids))
        .values_list("proposal__consultation", "comment__proposal__consultation")
    )
    for on_proposal, on_comment in reports:
        desks[on_proposal or on_comment].reports += 1
    pending = (
        Proposal.objects.filter(consultation__in=ids, visibility=Visibility.PENDING)
        .values_list("consultation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for consultation_id, count in pending:
        desks[consultation_id].pending = count
    unanswered = Proposal.objects.filter(
        consultation__in=ids,
        visibility=Visibility.PUBLISHED,
        status=ProposalStatus.IN_REVIEW,
        answered_at__isnull=True,
    ).only("pk", "consultation_id", "published_at", "created_at")
    for proposal in unanswered:
        desk = desks[proposal.consultation_id]
        proposal.consultation = desk.consultation  # answer_deadline reads its days
        deadline = answer_deadline(proposal)
        desk.awaiting_answer += 1
        if deadline is not None and deadline < now:
            desk.overdue += 1
        elif deadline is not None and (desk.next_deadline is None or deadline < desk.next_deadline):
            desk.next_deadline = deadline
    upcoming = Phase.objects.filter(
        page_id__in=ids,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=UPCOMING_PHASE_DAYS),
    ).order_by("starts_at", "pk")
    for phase in upcoming:
        desks[phase.page_id].upcoming_phases.append(phase)
    return sorted(desks.values(), key=lambda desk: not desk.needs_attention)


def facilitated_actions(*, user) -> list[ActionPage]:
    """The plan's actions assigned to ``user`` (``consultations.Facilitation``): they may add
    consultations under each."""
    return list(ActionPage.objects.filter(facilitations__user=user).order_by("path").distinct())


def facilitator_workshops(*, user, consultations: list[ConsultationPage]) -> list[LiveSession]:
    """The live workshops ``user`` runs or that belong to a consultation they moderate: open
    ones first, then the most recent."""
    sessions = (
        LiveSession.objects.filter(
            Q(facilitator=user) | Q(page_id__in=[c.pk for c in consultations])
        )
        .select_related("page")
        .order_by("-created_at", "-pk")[:WORKSHOPS_SHOWN]
    )
    return sorted(sessions, key=lambda session: not session.is_open)


@dataclass
class ReviewDesk:
    """A reviewer's assignments in one call."""

    call: CallPage
    to_do: list[Review] = field(default_factory=list)
    done: int = 0


def reviewer_desk(*, user) -> list[ReviewDesk]:
    """The reviews assigned to ``user`` on applications still under review, by call: those to
    score (oldest assignment first) and how many are done."""
    desks: dict[int, ReviewDesk] = {}
    reviews = (
        Review.objects.filter(reviewer=user, application__status=S.UNDER_REVIEW)
        .select_related("application__call")
        .order_by("assigned_at", "pk")
    )
    for review in reviews:
        call = review.application.call
        desk = desks.setdefault(call.pk, ReviewDesk(call=call))
        if review.submitted_at is None:
            desk.to_do.append(review)
        else:
            desk.done += 1
    return sorted(desks.values(), key=lambda desk: (not desk.to_do, desk.call.closes_at))


@dataclass
class CallDesk:
    """A call as the programme's coordination sees it."""

    call: CallPage
    received: int = 0
    to_assign: int = 0
    under_review: int = 0
    reviews_pending: int = 0
    selected: int = 0

    def is_open(self, now: datetime.datetime) -> bool:
        return self.call.opens_at <= now <= self.call.closes_at


def coordinator_desk() -> list[CallDesk]:
    """Every live call (latest deadline first) with its applications received, eligible ones
    waiting for reviewers, those under review, reviews still to be submitted and seats offered
    or accepted."""
    calls = list(
        CallPage.objects.live().filter(locale_id=default_locale_id()).order_by("-closes_at", "-pk")
    )
    desks = {call.pk: CallDesk(call=call) for call in calls}
    counts = (
        Application.objects.filter(call__in=list(desks))
        .values_list("call", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for call_id, status, count in counts:
        desk = desks[call_id]
        if status not in (S.DRAFT, S.WITHDRAWN):
            desk.received += count
        if status == S.ELIGIBLE:
            desk.to_assign = count
        elif status == S.UNDER_REVIEW:
            desk.under_review = count
        elif status in (S.SELECTED, S.ACCEPTED):
            desk.selected += count
    pending_reviews = (
        Review.objects.filter(application__call__in=list(desks), submitted_at__isnull=True)
        .values_list("application__call")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for call_id, count in pending_reviews:
        desks[call_id].reviews_pending = count
    return list(desks.values())
