"""The facts a support is checked against, read once and kept in the cache.

A support (``proposals.services.votes.vote_cast``) is checked against the proposal (published?
whose?), its consultation (the Wagtail page: live, expired, vote mode), the consultation's
phases, who is suspended there and the view restrictions. None of them changes when somebody
votes, so they are kept under the **content and page versions** of ``psm.page_cache``
(:func:`psm.page_cache.facts_versions`, which leaves out the tallies version that every vote
replaces): a moderation, a phase, a block, any save or delete and any publish or move make the
copy unreachable at once, and it lives at most ``MAX_AGE`` seconds, like a cached page. The
rules themselves stay in their one place (``proposals.rules``, ``proposals.visibility``) and
run on this copy.

A process keeps the latest copies it read as pickled bytes (``KEPT`` of them, under the same
keys, and no longer than ``page_cache.MAX_AGE`` either): a burst of votes on the same proposals
reads them without a cache round trip, and each request still unpickles its own copy, so no two
requests share an object. When many requests of a process ask for the same copy at once (a
burst on a proposal), one of them reads it and the others wait for it.
"""

from __future__ import annotations

from django.core.cache import cache

from core.kept import Kept
from core.request_memo import once_per_request
from proposals.models import Proposal
from psm import page_cache

#: Copies kept in this process (about 2.5 KB each).
KEPT = 2048

_kept = Kept(KEPT, page_cache.MAX_AGE, copies=True)


def _key(proposal_id: int, content: str, pages: str) -> str:
    return f"proposals:vote-facts:{proposal_id}:{content}:{pages}"


def proposal_for_vote(pk: int) -> Proposal | None:
    """The proposal with its consultation, phases, active blocks and view restrictions, and
    its ``comment_count`` (the card's actions show it), or None. From the cache, else three
    queries (the proposal with its page and count, the phases, the blocks); within one request
    the view and the service share one copy (``core.request_memo``)."""
    key = facts_key(pk)
    return once_per_request(key, lambda: _read(pk, key))


def facts_key(pk: int) -> str:
    """The key the facts of proposal ``pk`` are kept under now: what is derived from them may
    be kept under it too (``proposals.vote_fragment.supported_fragment``)."""
    content, pages = page_cache.facts_versions()
    return _key(pk, content, pages)


def _read(pk: int, key: str) -> Proposal | None:
    return _kept.get_or_load(key, lambda: _load(pk, key))


def _load(pk: int, key: str) -> Proposal | None:
    proposal = cache.get(key)
    if proposal is None:
        proposal = (
            Proposal.objects.select_related("consultation")
            .annotate_comment_count()
            .filter(pk=pk)
            .first()
        )
        if proposal is None:
            return None
        consultation = proposal.consultation
        consultation.read_cached_phases()
        consultation.load_active_blocks()
        consultation.get_view_restrictions()  # remembered on the copy (psm.caching)
        cache.set(key, proposal, page_cache.MAX_AGE)
    return proposal
