"""Reads that shape the leadership pages (constant query counts)."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import Role, User
from leadership import selection
from leadership.models import (
    Application,
    Attendance,
    CallPage,
    Cohort,
    QuotaKind,
    Review,
    SelectionOverride,
    Session,
)
from leadership.models import ApplicationStatus as S
from leadership.selection import Place
from territory.models import TORINO_ISTAT_CODE, MountainStatus


def place_of(comune_id: str | None, mountain_status: str | None) -> Place:
    if comune_id == TORINO_ISTAT_CODE:
        return Place.TORINO
    if mountain_status in (MountainStatus.TOTALLY, MountainStatus.PARTLY):
        return Place.MOUNTAIN
    return Place.OUTSIDE


def open_calls(now=None):
    now = now or timezone.now()
    return (
        CallPage.objects.live().filter(opens_at__lte=now, closes_at__gte=now).order_by("closes_at")
    )


def reviewers_all():
    return (
        User.objects.filter(groups__name=Role.REVIEWER.value, is_active=True)
        .distinct()
        .order_by("pk")
    )


def cohort_participant_ids(cohort: Cohort) -> set[int]:
    return set(
        Application.objects.filter(
            call_id=cohort.call_id, status__in=[S.ACCEPTED, S.COMPLETED]
        ).values_list("applicant_id", flat=True)
    )


# --------------------------------------------------------------------------- scores


@dataclass
class ApplicationScore:
    application_id: int
    reviews: int = 0
    weighted: list[float] = field(default_factory=list)  # one per submitted review
    mean: float | None = None
    normalised: float | None = None
    spread: float = 0.0
    flagged: bool = False


def weighted_score(scores: dict, weights: dict[str, float]) -> float:
    total = sum(weights.values())
    return sum(float(scores.get(k, 0)) * w for k, w in weights.items()) / total if total else 0.0


def call_scores(call: CallPage, reviews=None, weights=None) -> dict[int, ApplicationScore]:
    """Weighted mean per application, z-score per reviewer, disagreement flags.

    ``reviews`` and ``weights`` default to the call's submitted reviews and criteria.
    """
    if weights is None:
        weights = {str(c.pk): float(c.weight) for c in call.criteria.all()}
    if reviews is None:
        reviews = list(
            Review.objects.filter(application__call=call, submitted_at__isnull=False).values_list(
                "application_id", "reviewer_id", "scores"
            )
        )
    per_reviewer = defaultdict(list)
    result: dict[int, ApplicationScore] = {}
    for app_id, reviewer_id, scores in reviews:
        value = weighted_score(scores, weights)
        per_reviewer[reviewer_id].append((app_id, value))
        entry = result.setdefault(app_id, ApplicationScore(app_id))
        entry.weighted.append(value)
    z_values = defaultdict(list)
    for items in per_reviewer.values():
        values = [v for _a, v in items]
        mu = statistics.fmean(values)
        sigma = statistics.pstdev(values) if len(values) > 1 else 0.0
        for app_id, value in items:
            z_values[app_id].append((value - mu) / sigma if sigma else 0.0)
    threshold = float(call.disagreement_threshold)
    for app_id, entry in result.items():
        entry.reviews = len(entry.weighted)
        entry.mean = statistics.fmean(entry.weighted)
        entry.normalised = statistics.fmean(z_values[app_id])
        entry.spread = max(entry.weighted) - min(entry.weighted)
        entry.flagged = entry.reviews > 1 and entry.spread > threshold
    return result


# --------------------------------------------------------------------------- selection


def call_quotas(call: CallPage) -> selection.Quotas:
    values = {}
    for quota in call.quotas.all():
        values[quota.kind] = quota.value
    share = values.get(QuotaKind.GENDER_MIN_SHARE)
    return selection.Quotas(
        gender_share=min(Fraction(share) / 100, Fraction(1, 2)) if share else None,
        category_seats=int(values.get(QuotaKind.CATEGORY_MIN_SEATS) or 0),
        categories=tuple(call.allowed_categories()),
        outside_share=Fraction(values[QuotaKind.OUTSIDE_TORINO_MIN_SHARE]) / 100
        if values.get(QuotaKind.OUTSIDE_TORINO_MIN_SHARE)
        else None,
        mountain_share=Fraction(values[QuotaKind.MOUNTAIN_MIN_SHARE]) / 100
        if values.get(QuotaKind.MOUNTAIN_MIN_SHARE)
        else None,
    )


@dataclass
class Proposal:
    result: selection.SelectionResult
    rows: list[dict]
    unreviewed: list[int]
    overrides: dict[int, SelectionOverride]


def candidate_of(application: Application, score: float) -> selection.Candidate:
    place = place_of(application.comune_id, getattr(application.comune, "mountain_status", None))
    return selection.Candidate(
        id=application.pk,
        score=score,
        gender=application.gender,
        category=application.category,
        outside_torino=place != Place.TORINO,
        mountain=place == Place.MOUNTAIN,
    )


def selection_proposal(call: CallPage) -> Proposal:
    applications = list(
        Application.objects.filter(call=call, status=S.UNDER_REVIEW).select_related("comune")
    )
    scores = call_scores(call)
    overrides = {
        o.application_id: o for o in SelectionOverride.objects.filter(application__call=call)
    }
    candidates, unreviewed = [], []
    for application in applications:
        entry = scores.get(application.pk)
        if entry is None:
            unreviewed.append(application.pk)
            continue
        score = entry.normalised if call.normalise_scores else entry.mean
        candidates.append(candidate_of(application, score))
    result = selection.select(
        candidates,
        seats=call.seats,
        quotas=call_quotas(call),
        force_in=[pk for pk, o in overrides.items() if o.include],
        force_out=[pk for pk, o in overrides.items() if not o.include],
    )
    by_id = {a.pk: a for a in applications}
    rows = []
    outcome = {pk: S.SELECTED for pk in result.selected}
    outcome.update({pk: S.WAITLISTED for pk in result.waitlist})
    outcome.update({pk: S.NOT_SELECTED for pk in result.not_selected})
    for cand in sorted(candidates, key=lambda c: (-c.score, c.id)):
        entry = scores[cand.id]
        rows.append(
            {
                "application": by_id[cand.id],
                "candidate": cand,
                "score": entry,
                "outcome": outcome.get(cand.id, S.NOT_SELECTED),
                "reason": result.reasons.get(cand.id, ""),
                "override": overrides.get(cand.id),
            }
        )
    return Proposal(result=result, rows=rows, unreviewed=unreviewed, overrides=overrides)


# --------------------------------------------------------------------------- review area


def reviewer_assignments(user):
    return (
        Review.objects.filter(reviewer=user, application__status=S.UNDER_REVIEW)
        .select_related("application__call")
        .order_by("submitted_at", "application_id")
    )


def reviewer_progress(call: CallPage) -> list[dict]:
    rows = (
        Review.objects.filter(application__call=call)
        .values("reviewer_id", "reviewer__display_name", "reviewer__email")
        .annotate(assigned=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False)))
        .order_by("reviewer__display_name")
    )
    return [
        {
            "name": r["reviewer__display_name"] or r["reviewer__email"],
            "assigned": r["assigned"],
            "done": r["done"],
            "percent": round(100 * r["done"] / r["assigned"]) if r["assigned"] else 0,
        }
        for r in rows
    ]


def peer_reviews_visible(review: Review) -> list[Review]:
    """Other reviews of the same application: only once this reviewer has submitted theirs."""
    if not review.is_submitted:
        return []
    return list(
        Review.objects.filter(application_id=review.application_id, submitted_at__isnull=False)
        .exclude(pk=review.pk)
        .order_by("pk")
    )


# --------------------------------------------------------------------------- pathway


def cohort_stages(cohort: Cohort):
    return cohort.stages.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk"))
    )


def participant_progress(*, cohort: Cohort, user) -> dict:
    """Per stage: sessions held, attended, and whether the completion rule is met."""
    share = float(cohort.call.programme.completion_min_share)
    attended = set(
        Attendance.objects.filter(
            participant=user, present=True, session__stage__cohort=cohort
        ).values_list("session_id", flat=True)
    )
    stages = []
    for stage in cohort_stages(cohort):
        sessions = list(stage.sessions.all())
        count = sum(1 for s in sessions if s.pk in attended)
        needed = math.ceil(share * len(sessions) - 1e-9)
        stages.append(
            {
                "stage": stage,
                "sessions": sessions,
                "attended_ids": attended,
                "total": len(sessions),
                "attended": count,
                "needed": needed,
                "ok": count >= needed,
                "percent": round(100 * count / len(sessions)) if sessions else 100,
            }
        )
    any_sessions = any(s["total"] for s in stages)
    return {
        "stages": stages,
        "complete": any_sessions and all(s["ok"] for s in stages),
        "share": round(share * 100),
    }


def attendance_sheet(session: Session, participants) -> list[dict]:
    marks = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    return [{"person": p, "attendance": marks.get(p.pk)} for p in participants]
