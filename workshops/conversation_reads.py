"""Reads of the conversation activities of live workshops (issue 16): what a phone, the
projector and the console show of the conversation an activity runs.

A conversation activity points at one conversation of the session's consultation
(``Activity.conversation``); phones vote in it with their workshop participant key, so their
votes join the online ones in one matrix, and the projector shows that conversation's opinion
map as the debounced Celery task last computed it (``conversations.snapshots``), under the same
disclosure control as the public results page (``conversations.selectors.opinion_map``).
"""

from __future__ import annotations

from conversations import selectors as conversation_selectors
from conversations.models import OpinionSnapshot, StatementVote
from realtime.events import LiveResults
from workshops.models import Activity, LiveSession

#: Consensus statements the projector lists (the most agreed first).
PROJECTOR_CONSENSUS = 5


def is_conversation(activity: Activity | None) -> bool:
    return (
        activity is not None
        and activity.kind == Activity.Kind.CONVERSATION
        and activity.conversation_id is not None
    )


def activity_results(activity: Activity) -> LiveResults:
    """The totals the live state carries: the votes cast in the conversation so far (they only
    grow: a changed vote is the same row). One query."""
    total = StatementVote.objects.filter(conversation_id=activity.conversation_id).count()
    return {"total": total, "items": [], "average": None, "ideas": []}


def state_key(activity: Activity) -> str:
    """The part of the live state's key that changes when a new opinion map is stored, so
    projector and phones fetch their region again (``static/js/live.js``). One query."""
    snapshot_id = (
        OpinionSnapshot.objects.filter(conversation_id=activity.conversation_id)
        .order_by("-computed_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"map{snapshot_id or 0}"


def phone_context(activity: Activity, participant_key: str) -> dict:
    """The next statement for this phone (one at a time, in the conversation's order) and how
    many it has voted on (``conversations.selectors.voting_card``: three queries)."""
    card = conversation_selectors.voting_card(activity.conversation, participant_key)
    return {
        "conversation": activity.conversation,
        "statement": card.statement,
        "progress": card,
    }


def projector_context(activity: Activity) -> dict:
    """The opinion map and the consensus list as they may be published (none before the
    first computation)."""
    conversation = activity.conversation
    snapshot = conversation_selectors.latest_snapshot(conversation)
    opinion_map = conversation_selectors.opinion_map(conversation, snapshot) if snapshot else None
    return {
        "conversation": conversation,
        "map": opinion_map,
        "consensus": opinion_map.consensus[:PROJECTOR_CONSENSUS] if opinion_map else [],
    }


def sessions_showing(conversation_id: int) -> list[int]:
    """The open sessions whose screen shows an activity of this conversation."""
    return list(
        LiveSession.objects.filter(
            status=LiveSession.Status.OPEN, current_activity__conversation_id=conversation_id
        ).values_list("pk", flat=True)
    )
