"""Reads about amendments: each one's diff against its own base, the change set under review,
and the published changes an action page lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from proposals.amendments.text import merge_three, normalise, paragraphs
from proposals.models import (
    Amendment,
    AmendmentState,
    ChangeSet,
    ChangeSetState,
    Proposal,
    Visibility,
)
from proposals.selectors import word_diff


@dataclass(frozen=True)
class AmendmentDiff:
    """What an amendment changes, word by word, against the text it was written on."""

    diff: SafeString
    paragraph: int | None
    base_revision_id: int | None


def amendment_of(proposal: Proposal) -> Amendment | None:
    return Amendment.objects.filter(proposal_id=proposal.pk).first()


def amendment_diff(proposal: Proposal, amendment: Amendment | None = None) -> AmendmentDiff | None:
    """The diff of ``proposal`` (an amendment) against its base revision's text: the chosen
    paragraph only for a paragraph amendment. Never against today's text, which may already
    contain it."""
    if not proposal.is_amendment or proposal.amended_action_id is None:
        return None
    amendment = amendment or amendment_of(proposal)
    if amendment is None:  # cannot happen after migration 0004; kept for safety of old rows
        return AmendmentDiff(
            word_diff(proposal.amended_action.official_text, proposal.amended_text), None, None
        )
    old, new = amendment.base_text, normalise(proposal.amended_text)
    if amendment.paragraph:
        old_parts, new_parts = paragraphs(old), paragraphs(new)
        index = amendment.paragraph - 1
        if index < len(old_parts) and index < len(new_parts):
            old, new = old_parts[index], new_parts[index]
    return AmendmentDiff(word_diff(old, new), amendment.paragraph, amendment.base_revision_id)


@dataclass(frozen=True)
class Member:
    """One amendment in a change set, with what the reviewer needs to see."""

    amendment: Amendment
    proposal: Proposal
    diff: AmendmentDiff
    conflicts: tuple[tuple[str, str, str], ...]


def change_set_review(*, change_set: ChangeSet) -> dict:
    """The review screen: the published text, the text in preparation (and their diff), and
    every amendment in it with its own diff and, when flagged, the words in conflict."""
    action = change_set.action
    live = normalise(action.official_text)
    members = []
    rows = (
        Amendment.objects.filter(change_set=change_set)
        .select_related("proposal__author", "proposal__consultation", "proposal__amended_action")
        .order_by("proposal__answered_at", "pk")
    )
    for amendment in rows:
        proposal = amendment.proposal
        conflicts: tuple = ()
        if amendment.state == AmendmentState.CONFLICT:
            conflicts = merge_three(
                base=amendment.base_text, theirs=proposal.amended_text, current=change_set.text
            ).conflicts
        members.append(Member(amendment, proposal, amendment_diff(proposal, amendment), conflicts))
    return {
        "change_set": change_set,
        "action": action,
        "live_text": live,
        "live_changed": change_set.is_open and live != change_set.base_text,
        "diff": word_diff(
            live if change_set.is_open else change_set.previous_text,
            change_set.text if change_set.is_open else change_set.published_text,
        ),
        "members": members,
        "has_conflicts": any(m.amendment.state == AmendmentState.CONFLICT for m in members),
    }


def change_sets_to_review(*, user) -> list[ChangeSet]:
    """The open change sets ``user`` may review and publish, by action code (for the
    moderation index; there is at most one per action)."""
    rows = (
        ChangeSet.objects.filter(state=ChangeSetState.OPEN)
        .select_related("action")
        .order_by("action__code")
    )
    return [row for row in rows if user.has_perm("proposals.review_change_set", row)]


def published_change_sets(*, action) -> list[dict]:
    """ "Hai proposto, abbiamo fatto": the published changes of ``action``, newest first,
    each with the public diff and the incorporated amendments (two queries)."""
    change_sets = list(
        ChangeSet.objects.filter(action=action, state=ChangeSetState.PUBLISHED).order_by(
            "-published_at", "-pk"
        )
    )
    amendments = (
        Amendment.objects.filter(
            change_set__in=change_sets,
            state=AmendmentState.INCORPORATED,
            proposal__visibility__in=[Visibility.PUBLISHED, Visibility.WITHDRAWN],
        )
        .select_related("proposal__author")
        .order_by("pk")
    )
    by_set: dict[int, list[Proposal]] = {}
    for amendment in amendments:
        by_set.setdefault(amendment.change_set_id, []).append(amendment.proposal)
    return [
        {
            "change_set": change_set,
            "proposals": by_set.get(change_set.pk, []),
            "diff": word_diff(change_set.previous_text, change_set.published_text),
        }
        for change_set in change_sets
    ]
