"""Reads of the moderation pages: which consultations a person moderates, what waits in
each one's queue, answers due, the audit log."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage, ParticipantBlock
from proposals.models import (
    Comment,
    CommentVisibility,
    ModerationAction,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Report,
    VersionState,
    Visibility,
)
from proposals.selectors import word_diff


def moderable_consultations(*, user):
    """The consultations ``user`` may moderate (the ``consultations.moderate`` permission),
    newest first."""
    if user is None or not user.is_authenticated:
        return ConsultationPage.objects.none()
    allowed = [
        page.pk
        for page in ConsultationPage.objects.in_source_language()
        if user.has_perm("consultations.moderate", page)
    ]
    return ConsultationPage.objects.filter(pk__in=allowed).order_by("-first_published_at", "-pk")


def moderates_any(user) -> bool:
    """Whether ``user`` may moderate at least one consultation (the admin menu item)."""
    if user is None or not user.is_authenticated:
        return False
    return any(
        user.has_perm("consultations.moderate", page)
        for page in ConsultationPage.objects.in_source_language().iterator()
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
    _mark_priority(pending_reports, threshold=consultation.report_threshold)
    pending_reports.sort(key=lambda report: not report.priority)
    pending_edits = list(
        ProposalVersion.objects.filter(
            proposal__consultation=consultation, state=VersionState.PENDING
        )
        .exclude(proposal__visibility=Visibility.WITHDRAWN)
        .select_related("proposal", "editor")
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
        "pending_edits": pending_edits,
        "hidden_proposals": hidden_proposals,
        "hidden_comments": hidden_comments,
        "blocks": blocks,
    }


def _mark_priority(reports: list[Report], *, threshold: int) -> None:
    """Set ``report.priority`` on each open report: its content was reported by at least
    ``threshold`` different people whose reports count (``Report.counts``, account still
    active). The same rule as :func:`proposals.services.reports.report_create`'s flag."""
    counting: dict[tuple, set[int]] = {}
    for report in reports:
        if report.counts and report.reporter is not None and report.reporter.is_active:
            counting.setdefault(_target(report), set()).add(report.reporter_id)
    for report in reports:
        report.priority = bool(threshold) and len(counting.get(_target(report), ())) >= threshold


def _target(report: Report) -> tuple:
    return (
        ("proposal", report.proposal_id) if report.proposal_id else ("comment", report.comment_id)
    )


def version_comparison(*, proposal: Proposal, old_id=None, new_id=None) -> dict:
    """The versions of ``proposal`` and the word diff between two of them.

    By default the latest version against the one before it (for a pending edit: the
    approved text against the edit). Ids that are not versions of ``proposal`` fall back
    to the default.
    """
    versions = list(proposal.versions.select_related("editor", "reviewed_by", "category", "comune"))
    by_id = {version.pk: version for version in versions}
    new = by_id.get(new_id) or (versions[-1] if versions else None)
    older = [
        v for v in versions if new is not None and (v.created_at, v.pk) < (new.created_at, new.pk)
    ]
    applied = [v for v in older if v.state == VersionState.APPLIED]
    old = by_id.get(old_id) or (applied or older or [None])[-1]
    rows = []
    if old is not None and new is not None:
        rows = [
            {
                "label": _("Titolo"),
                "diff": word_diff(old.title, new.title),
                "changed": old.title != new.title,
            },
            {
                "label": _("Testo"),
                "diff": word_diff(old.body, new.body),
                "changed": old.body != new.body,
            },
        ]
        if old.amended_text or new.amended_text:
            rows.append(
                {
                    "label": _("Nuovo testo dell'azione"),
                    "diff": word_diff(old.amended_text, new.amended_text),
                    "changed": old.amended_text != new.amended_text,
                }
            )
        for label, before, after in (
            (_("Categoria"), old.category, new.category),
            (_("Comune"), old.comune, new.comune),
            (_("Punto sulla mappa"), _point(old), _point(new)),
            (_("Costo stimato (€)"), old.cost, new.cost),
        ):
            if before != after:
                rows.append(
                    {
                        "label": label,
                        "diff": word_diff(str(before or "—"), str(after or "—")),
                        "changed": True,
                    }
                )
        if old.image != new.image:
            change = (
                _("immagine aggiunta")
                if not old.image
                else _("immagine tolta")
                if not new.image
                else _("immagine sostituita")
            )
            rows.append({"label": _("Immagine"), "diff": change, "changed": True})
    history = [
        {"version": version, "previous": versions[index - 1] if index else None}
        for index, version in enumerate(versions)
    ]
    return {"history": history, "old": old, "new": new, "rows": rows}


def _point(version: ProposalVersion) -> str:
    if version.latitude is None:
        return ""
    return f"{version.latitude}, {version.longitude}"


def answer_deadline(proposal: Proposal) -> datetime.datetime | None:
    """When the official answer is due: ``answer_deadline_days`` after the end of the
    consultation's participation (the public rules: "entro N giorni dalla fine"). A proposal
    published after that end (typed in from paper or a meeting) counts from its publication."""
    published = proposal.published_at or proposal.created_at
    end = proposal.consultation.participation_end()
    start = max(end, published) if end and published else (end or published)
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
        .prefetch_related("consultation__phases")
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
