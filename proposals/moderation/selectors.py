"""Reads of the moderation pages: which consultations a person moderates, what waits in
each one's queue, answers due, the audit log, accepted amendments."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from consultations.models import ConsultationPage, ParticipantBlock
from proposals.models import (
    Comment,
    CommentVisibility,
    ModerationAction,
    ModerationVerb,
    Proposal,
    ProposalStatus,
    Report,
    Visibility,
)


def moderable_consultations(*, user):
    """The consultations ``user`` may moderate (the ``consultations.moderate`` permission),
    newest first."""
    if user is None or not user.is_authenticated:
        return ConsultationPage.objects.none()
    allowed = [
        page.pk
        for page in ConsultationPage.objects.all()
        if user.has_perm("consultations.moderate", page)
    ]
    return ConsultationPage.objects.filter(pk__in=allowed).order_by("-first_published_at", "-pk")


def moderates_any(user) -> bool:
    """Whether ``user`` may moderate at least one consultation (the admin menu item)."""
    if user is None or not user.is_authenticated:
        return False
    return any(
        user.has_perm("consultations.moderate", page)
        for page in ConsultationPage.objects.all().iterator()
    )


def moderation_overview(*, user) -> list[dict]:
    """Each consultation ``user`` moderates with its open reports and pending proposals."""
    consultations = list(moderable_consultations(user=user))
    ids = [c.pk for c in consultations]
    pending_reports = dict(
        Report.objects.filter(resolved_at__isnull=True, proposal__consultation__in=ids)
        .values_list("proposal__consultation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    comment_reports = dict(
        Report.objects.filter(resolved_at__isnull=True, comment__proposal__consultation__in=ids)
        .values_list("comment__proposal__consultation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pending_proposals = dict(
        Proposal.objects.filter(consultation__in=ids, visibility=Visibility.PENDING)
        .values_list("consultation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "consultation": c,
            "reports": pending_reports.get(c.pk, 0) + comment_reports.get(c.pk, 0),
            "pending": pending_proposals.get(c.pk, 0),
        }
        for c in consultations
    ]


def amendments_accepted_for(*, action) -> list[ModerationAction]:
    """ "Hai proposto, abbiamo fatto": accepted amendments of ``action``, oldest first."""
    return list(
        ModerationAction.objects.filter(
            action=ModerationVerb.AMENDMENT_ACCEPT, proposal__amended_action=action
        )
        .select_related("proposal", "proposal__author", "consultation")
        .order_by("created_at", "pk")
    )


def moderation_queue(*, consultation: ConsultationPage) -> dict:
    """What waits for a facilitator in one consultation (a fixed number of queries)."""
    pending_reports = list(
        Report.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(proposal__consultation=consultation) | Q(comment__proposal__consultation=consultation)
        )
        .select_related(
            "proposal",
            "proposal__author",
            "comment",
            "comment__author",
            "comment__proposal",
            "reporter",
        )
        .order_by("created_at", "pk")
    )
    pending_proposals = list(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.PENDING)
        .select_related("author", "category")
        .order_by("created_at", "pk")
    )
    hidden_proposals = list(
        Proposal.objects.filter(consultation=consultation, visibility=Visibility.HIDDEN)
        .select_related("author")
        .order_by("-updated_at", "-pk")
    )
    hidden_comments = list(
        Comment.objects.filter(
            proposal__consultation=consultation, visibility=CommentVisibility.HIDDEN
        )
        .select_related("author", "proposal")
        .order_by("-created_at", "-pk")
    )
    blocks = list(
        ParticipantBlock.objects.filter(consultation=consultation, lifted_at__isnull=True)
        .select_related("user", "blocked_by")
        .order_by("-created_at")
    )
    return {
        "pending_reports": pending_reports,
        "pending_proposals": pending_proposals,
        "hidden_proposals": hidden_proposals,
        "hidden_comments": hidden_comments,
        "blocks": blocks,
    }


def answer_deadline(proposal: Proposal) -> datetime.datetime | None:
    start = proposal.published_at or proposal.created_at
    if start is None:
        return None
    return start + datetime.timedelta(days=proposal.consultation.answer_deadline_days)


def proposals_by_answer_deadline(*, user, now: datetime.datetime | None = None) -> list[dict]:
    """Published proposals still "in valutazione" without an answer, in the consultations
    ``user`` moderates, overdue first and then by deadline."""
    now = now or timezone.now()
    consultations = moderable_consultations(user=user)
    rows = (
        Proposal.objects.filter(
            consultation__in=consultations,
            visibility=Visibility.PUBLISHED,
            status=ProposalStatus.IN_REVIEW,
            answered_at__isnull=True,
        )
        .select_related("consultation")
        .order_by("published_at", "pk")
    )
    items = []
    for proposal in rows:
        deadline = answer_deadline(proposal)
        items.append(
            {
                "proposal": proposal,
                "deadline": deadline,
                "overdue": deadline is not None and deadline < now,
                "days_left": (deadline - now).days if deadline else None,
            }
        )
    items.sort(key=lambda item: (not item["overdue"], item["deadline"] or now))
    return items


def audit_log(*, consultation: ConsultationPage):
    return (
        ModerationAction.objects.filter(consultation=consultation)
        .select_related("actor", "proposal", "comment", "user")
        .order_by("-created_at", "-pk")
    )
