"""Reads that shape the consultation pages, with a constant number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone

from consultations import rules as consultation_rules
from consultations.models import (
    ConsultationPage,
    ConsultationStatus,
    Follow,
    Phase,
    VoteMode,
)


def consultations_with_phases():
    return (
        ConsultationPage.objects.live()
        .public()
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_at")))
    )


def consultations_by_status(*, action=None, now=None) -> dict[str, list[ConsultationPage]]:
    """Live consultations grouped by status (upcoming, open, closed), optionally of one action.

    "Of an action" means under the action page or linked to it.
    """
    now = now or timezone.now()
    pages = consultations_with_phases()
    if action is not None:
        pages = pages.filter(
            Q(path__startswith=action.path) | Q(linked_actions__action=action)
        ).distinct()
    groups: dict[str, list[ConsultationPage]] = {status: [] for status in ConsultationStatus}
    for page in pages.order_by("-first_published_at", "-pk"):
        groups[page.status(now)].append(page)
    groups[ConsultationStatus.UPCOMING].sort(key=lambda p: _first_start(p))
    groups[ConsultationStatus.OPEN].sort(key=lambda p: _first_start(p), reverse=True)
    return groups


def _first_start(page: ConsultationPage):
    phases = page.ordered_phases()
    return phases[0].starts_at if phases else timezone.now()


def consultations_for_index(*, request) -> dict:
    """The index page: filter by status and by action (code)."""
    from psm.models import ActionPage

    status = request.GET.get("stato", "")
    if status not in ConsultationStatus.values:
        status = ""
    code = request.GET.get("azione", "")
    action = ActionPage.objects.live().filter(code=code).first() if code else None
    groups = consultations_by_status(action=action)
    if status:
        listed = [(ConsultationStatus(status), groups[status])]
    else:
        listed = [(ConsultationStatus(s), groups[s]) for s in ("open", "upcoming", "closed")]
    action_ids = set(
        ConsultationPage.objects.live()
        .public()
        .values_list("linked_actions__action", flat=True)
        .distinct()
    )
    paths = list(ConsultationPage.objects.live().public().values_list("path", flat=True))
    actions = [
        a
        for a in ActionPage.objects.live().order_by("code")
        if a.pk in action_ids or any(path.startswith(a.path) for path in paths)
    ]
    return {
        "status_filter": status,
        "action_filter": action,
        "action_code": code if action else "",
        "statuses": ConsultationStatus.choices,
        "filter_actions": actions,
        "listed_groups": listed,
    }


def consultation_page_context(*, consultation: ConsultationPage, request) -> dict:
    """Everything the consultation page shows, besides the proposals (the proposals app
    renders those through its template tags: consultations never imports proposals)."""
    now = timezone.now()
    user = request.user
    phases = consultation.ordered_phases()
    current = consultation.current_phase(now)
    submit_error = consultation_rules.submit_error(user, consultation)
    vote_error = consultation_rules.vote_error(user, consultation)
    comment_error = consultation_rules.comment_error(user, consultation)
    following = (
        user.is_authenticated
        and Follow.objects.filter(consultation=consultation, user=user).exists()
    )
    context = {
        "phases": phases,
        "current_phase": current,
        "status": consultation.status(now),
        "rules_lines": consultation.rules_in_words(),
        "submit_error": submit_error,
        "vote_error": vote_error,
        "comment_error": comment_error,
        "is_moderator": consultation_rules.is_facilitator_of(user, consultation),
        "following": following,
        "is_budget": consultation.vote_mode == VoteMode.BUDGET,
        "is_limited": consultation.vote_mode == VoteMode.LIMITED,
        "now": now,
        "results_open": consultation.allows("read_answers", now),
        "amendable": bool(consultation.amendable_actions()) if submit_error is None else False,
    }
    return context
