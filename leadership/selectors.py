"""Reads that shape the leadership pages (constant query counts)."""

from __future__ import annotations

import math
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
    SelectionRun,
    Session,
)
from leadership.models import ApplicationStatus as S
from leadership.selection import Place
from psm.caching import without_restricted
from psm.localisation import default_locale_id
from reviewing.ranking import by_score
from reviewing.scoring import ItemScore, score_items
from reviewing.scoring import weighted_score as weighted_score  # re-exported
from territory.models import TORINO_ISTAT_CODE, MountainStatus, ZonaOmogenea


def place_of(comune_id: str | None, mountain_status: str | None) -> Place:
    if comune_id == TORINO_ISTAT_CODE:
        return Place.TORINO
    if mountain_status in (MountainStatus.TOTALLY, MountainStatus.PARTLY):
        return Place.MOUNTAIN
    return Place.OUTSIDE


def open_calls(now=None):
    now = now or timezone.now()
    return (
        # A call behind a view restriction is not listed (leadership.services.access).
        without_restricted(CallPage.objects.live())
        .filter(opens_at__lte=now, closes_at__gte=now, locale_id=default_locale_id())
        .order_by("closes_at")
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


class ApplicationScore(ItemScore):
    """An application's submitted scores (see ``reviewing.scoring``)."""

    @property
    def application_id(self) -> int:
        return self.item_id


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
    return score_items(
        reviews,
        weights,
        disagreement_threshold=float(call.disagreement_threshold),
        factory=ApplicationScore,
    )


# --------------------------------------------------------------------------- selection


def _share(value) -> Fraction | None:
    return min(Fraction(value) / 100, Fraction(1)) if value else None


def call_quotas(call: CallPage) -> selection.Quotas:
    """The call's quota rows as the pure selection reads them."""
    values: dict[str, object] = {}
    zona_seats: dict[int, int] = {}
    every_zona = 0
    for quota in call.quotas.all():
        if quota.kind == QuotaKind.ZONA_MIN_SEATS:
            if quota.zona_id is None:
                every_zona = max(every_zona, int(quota.value))
            else:
                zona_seats[quota.zona_id] = max(zona_seats.get(quota.zona_id, 0), int(quota.value))
        else:
            values[quota.kind] = quota.value
    if every_zona:
        for number in ZonaOmogenea.objects.values_list("number", flat=True):
            zona_seats[number] = max(zona_seats.get(number, 0), every_zona)
    return selection.Quotas(
        gender_cap=_share(values.get(QuotaKind.GENDER_MAX_SHARE)),
        category_seats=int(values.get(QuotaKind.CATEGORY_MIN_SEATS) or 0),
        categories=tuple(call.allowed_categories()),
        outside_share=_share(values.get(QuotaKind.OUTSIDE_TORINO_MIN_SHARE)),
        mountain_share=_share(values.get(QuotaKind.MOUNTAIN_MIN_SHARE)),
        zona_seats=tuple(sorted(zona_seats.items())),
        zona_cap=_share(values.get(QuotaKind.ZONA_MAX_SHARE)),
    )


@dataclass
class Proposal:
    result: selection.SelectionResult
    rows: list[dict]
    unreviewed: list[int]
    overrides: dict[int, SelectionOverride]
    effects: list[dict] = field(default_factory=list)  # who moved, by how much, why


def quota_effects(moves, applications: dict) -> list[dict]:
    """Every move against the ranking by score, for the coordinator's page: the application,
    the move (``before``, ``after``, ``places``) and the labels of the rules behind it."""
    return [
        {
            "application": applications.get(move.id),
            "move": move,
            "rules": [selection.rule_label(rule) for rule in move.rules],
        }
        for move in moves
    ]


def confirmed_effects(run: SelectionRun) -> list[dict]:
    """The moves stored with a confirmed selection (see ``SelectionRun.moves``)."""
    moves = [
        selection.Move(m["application"], m["before"], m["after"], tuple(m["rules"]))
        for m in run.moves
    ]
    applications = Application.objects.select_related("comune").in_bulk([m.id for m in moves])
    return quota_effects(moves, applications)


def candidate_of(application: Application, score: float) -> selection.Candidate:
    place = place_of(application.comune_id, getattr(application.comune, "mountain_status", None))
    return selection.Candidate(
        id=application.pk,
        score=score,
        gender=application.gender,
        category=application.category,
        outside_torino=place != Place.TORINO,
        mountain=place == Place.MOUNTAIN,
        zona=getattr(application.comune, "zona_omogenea_id", None),
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
    for cand in by_score(candidates):
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
    return Proposal(
        result=result,
        rows=rows,
        unreviewed=unreviewed,
        overrides=overrides,
        effects=quota_effects(result.moves, by_id),
    )


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
