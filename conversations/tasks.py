"""Celery tasks of conversations: the opinion map, recomputed after votes arrive.

``recompute_opinion_groups`` is queued by ``conversations.services.recompute_request`` with a
countdown, at most one pending per conversation (a cache key, released when the task starts,
so votes cast during a computation queue the next one). ``recompute_stale_conversations`` runs
every few minutes from beat and catches anything a lost task or an unreachable cache missed.
"""

from celery import shared_task
from django.core.cache import cache
from django.db.models import Max, OuterRef, Subquery

from conversations.models import Conversation, OpinionSnapshot
from conversations.snapshots import snapshot_compute


def pending_key(conversation_id: int) -> str:
    return f"conversations:recompute-pending:{conversation_id}"


@shared_task(bind=True, name="conversations.tasks.recompute_opinion_groups")
def recompute_opinion_groups(self, conversation_id: int) -> int | None:
    """Recompute one conversation's opinion map; returns the snapshot id (None: no such
    conversation).

    Run by a worker, it releases the pending key first. Run eagerly (embedded mode: no
    countdown, in the process of the vote that queued it), it leaves the key to expire on its
    own, so a conversation is recomputed at most once per ``RECOMPUTE_DELAY`` seconds."""
    if not self.request.is_eager:
        cache.delete(pending_key(conversation_id))
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    return snapshot_compute(conversation).pk


@shared_task(name="conversations.tasks.recompute_stale_conversations")
def recompute_stale_conversations() -> int:
    """Recompute every conversation with votes newer than its latest snapshot."""
    latest_seen = (
        OpinionSnapshot.objects.filter(conversation=OuterRef("pk"))
        .order_by("-computed_at", "-pk")
        .values("votes_seen_at")[:1]
    )
    stale = 0
    rows = Conversation.objects.annotate(
        last_vote=Max("votes__updated_at"), seen=Subquery(latest_seen)
    ).filter(last_vote__isnull=False)
    for conversation in rows:
        if conversation.seen is None or conversation.last_vote > conversation.seen:
            snapshot_compute(conversation)
            stale += 1
    return stale
