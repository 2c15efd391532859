"""Computing and storing the opinion map of a conversation (called by the Celery task)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from conversations.disclosure import published_cells
from conversations.models import Conversation, OpinionSnapshot, StatementStatus, StatementVote
from conversations.selectors import ordering_facts_key
from conversations.signals import opinion_map_computed

if TYPE_CHECKING:
    from conversations.analysis.matrix import VoteMatrix

# numpy, scipy and scikit-learn (``conversations.analysis``) are imported inside the functions
# that compute a map: only the Celery task runs them, and a web worker that never does is about
# 100 MiB lighter without them (docs/performance.md, "Worker memory").


def vote_matrix(conversation: Conversation) -> VoteMatrix:
    """Votes on the published statements (hidden and pending ones are left out)."""
    from conversations.analysis.matrix import VoteMatrix

    statements = list(
        conversation.statements.filter(status=StatementStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    votes = (
        StatementVote.objects.filter(conversation=conversation, statement_id__in=statements)
        .order_by("pk")
        .values_list("participant_key", "statement_id", "choice")
    )
    return VoteMatrix.from_votes(votes.iterator(chunk_size=5000), statements)


def snapshot_compute(conversation: Conversation) -> OpinionSnapshot:
    """The opinion groups of the votes as they are now, stored as a new snapshot (older ones
    are deleted: only the latest is read), with what of it may be published
    (``conversations.disclosure``: computed here once, read by pages and exports); then
    ``opinion_map_computed`` tells the layers above (live workshops push it to projectors)."""
    from threadpoolctl import threadpool_limits

    from conversations.analysis.clustering import opinion_groups
    from conversations.analysis.report import build_report

    seen_at = conversation.votes.aggregate(latest=Max("updated_at"))["latest"]
    matrix = vote_matrix(conversation)
    # One thread: a worker shares the machine with the web processes.
    with threadpool_limits(limits=1):
        groups = opinion_groups(matrix, min_votes=conversation.min_votes, seed=conversation.seed)
        data = build_report(matrix, groups)
    data["published"] = published_cells(data, int(groups.placed.sum()))
    snapshot = OpinionSnapshot.objects.create(
        conversation=conversation,
        votes_seen_at=seen_at,
        votes_count=int(matrix.votes_per_participant.sum()),
        participants_count=len(matrix.participants),
        placed_count=int(groups.placed.sum()),
        groups_count=groups.count,
        data=data,
    )
    conversation.snapshots.exclude(pk=snapshot.pk).delete()
    # the voting card's ordering facts come from the new map (conversations.selectors)
    transaction.on_commit(lambda: cache.delete(ordering_facts_key(conversation.pk)), robust=True)
    opinion_map_computed.send(sender=Conversation, conversation=conversation, snapshot=snapshot)
    return snapshot


def is_stale(conversation: Conversation, snapshot: OpinionSnapshot | None) -> bool:
    latest = conversation.votes.aggregate(latest=Max("updated_at"))["latest"]
    if snapshot is None:
        return latest is not None
    return latest is not None and (
        snapshot.votes_seen_at is None or latest > snapshot.votes_seen_at
    )
