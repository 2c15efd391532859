"""Reads that shape the accountability pages, the proposal page's "where it went" and the
list of people to tell about a record."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from accountability.models import ImplementationRecord, RecordStatus
from accountability.statement_outcome_reads import record_statements
from accounts.models import User
from consultations.models import Follow
from proposals.models import Proposal
from proposals.visibility import proposal_visible
from psm.models import ActionPage
from territory.models import Comune


def public_records():
    """Published records under a live action, with what a list row shows."""
    return (
        ImplementationRecord.objects.published()
        .filter(action__live=True)
        .select_related("action")
        .prefetch_related(Prefetch("comuni", queryset=Comune.objects.only("pk", "name")))
    )


def status_summary(records) -> list[tuple[str, str, int]]:
    """``(status, label, count)`` for each status present in ``records``, in workflow order."""
    counts = dict(
        records.order_by().values_list("status").annotate(total=Count("pk", distinct=True))
    )
    return [
        (status.value, status.label, counts[status.value])
        for status in RecordStatus
        if counts.get(status.value)
    ]


def records_for_action(action: ActionPage):
    return public_records().filter(action=action).order_by("title", "pk")


def records_for_proposal(proposal: Proposal):
    """The published records a proposal led to ("Dove è andata questa proposta")."""
    return (
        ImplementationRecord.objects.published()
        .filter(action__live=True, proposals=proposal)
        .select_related("action")
        .order_by("title", "pk")
    )


def record_page_context(*, record: ImplementationRecord, viewer, preview: bool = False) -> dict:
    """What the record's page shows. Linked proposals are those the viewer may see
    (``proposals.visibility``); in an admin preview, the draft's own links and updates."""
    if preview:
        proposals = [
            proposal for proposal in record.proposals.all() if proposal_visible(viewer, proposal)
        ]
        timeline = list(record.status_changes.all()) if record.pk else []
        ideas = list(record.ideas.all())
        comuni = list(record.comuni.all())
    else:
        proposals = list(
            record.proposals.visible_to(viewer)
            .select_related("consultation", "amended_action")
            .order_by("title", "pk")
        )
        timeline = list(record.status_changes.order_by("changed_at", "pk"))
        ideas = list(record.ideas.filter(approved=True).order_by("created_at", "pk"))
        # Sorted here: ``order_by`` on a prefetched ParentalManyToMany manager re-runs the
        # prefetch's own queryset, unfiltered (every comune).
        comuni = sorted(record.comuni.all(), key=lambda comune: comune.name)
    updates = sorted(record.updates.all(), key=lambda update: (update.date, update.pk or 0))
    return {
        "record": record,
        "action": record.action if record.action_id else None,
        "timeline": timeline,
        "updates": list(reversed(updates)),
        "linked_proposals": [p for p in proposals if not p.is_amendment],
        "linked_amendments": [p for p in proposals if p.is_amendment],
        "linked_ideas": ideas,
        "linked_statements": record_statements(record, viewer),
        "comuni": comuni,
        "is_preview": preview,
    }


def record_followers(record: ImplementationRecord) -> list[User]:
    """Who hears about this record's changes: the authors of the linked proposals and the
    people following their consultations, each only if they may see one of those proposals
    now; and the logged-in authors of the linked workshop ideas. Active accounts, each once."""
    proposals = list(record.proposals.select_related("consultation"))
    candidates: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.author_id:
            candidates.setdefault(proposal.author_id, []).append(proposal)
    by_consultation: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        by_consultation.setdefault(proposal.consultation_id, []).append(proposal)
    for consultation_id, user_id in Follow.objects.filter(
        consultation_id__in=list(by_consultation)
    ).values_list("consultation_id", "user_id"):
        candidates.setdefault(user_id, []).extend(by_consultation[consultation_id])
    idea_authors = set(
        record.ideas.filter(approved=True, user__isnull=False).values_list("user_id", flat=True)
    )
    users = User.objects.filter(
        Q(pk__in=list(candidates)) | Q(pk__in=list(idea_authors)), is_active=True
    ).order_by("pk")
    followers = []
    for user in users:
        if user.is_removed:
            continue
        if user.pk in idea_authors or any(
            proposal_visible(user, proposal) for proposal in candidates.get(user.pk, [])
        ):
            followers.append(user)
    return followers
