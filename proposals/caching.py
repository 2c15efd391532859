"""What the proposal list caches, and how it stays fresh (docs/performance.md).

- **Per consultation, under a version** bumped by every save or delete of one of its proposals
  (``proposals.signals``) and the page version (``psm.caching``, bumped by category changes
  too): the number of published proposals and the comuni of the filter, the two reads that
  grow with the consultation, and the categories.
- **Card heads, by content**: the part of a proposal card that is the same for everybody (title,
  status, author, date, category, comune, cost, body excerpt) is rendered once per distinct
  content. The key is a hash of every value the head shows, so a changed proposal, a renamed
  author or category gets a new key and can never be served stale. Support and comment counts
  and the vote button are rendered per request (and corrected live by the WebSocket events).
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.versions import read_version
from psm.caching import page_version

TIMEOUT = 60 * 60 * 24
CARD_HEAD_TEMPLATE = "proposals/includes/proposal_card_head.html"


def _version_key(consultation_id: int) -> str:
    return f"proposals:version:{consultation_id}"


def proposals_version(consultation_id: int) -> str:
    return read_version(_version_key(consultation_id), TIMEOUT)


def bump_proposals_version(consultation_id: int) -> None:
    cache.set(_version_key(consultation_id), uuid.uuid4().hex, TIMEOUT)


def cached_listing_facts(consultation_id: int, compute) -> dict:
    """``compute()`` (a dict) cached under the consultation's current proposals version and the
    page version (a published consultation page may have changed its categories or rules)."""
    key = f"proposals:facts:{consultation_id}:{proposals_version(consultation_id)}:{page_version()}"
    facts = cache.get(key)
    if facts is None:
        facts = compute()
        cache.set(key, facts, TIMEOUT)
    return facts


def _head_key(proposal, is_budget: bool) -> str:
    author = proposal.author.public_name if proposal.author_id else ""
    parts = [
        get_language() or "",
        proposal.pk,
        proposal.title,
        proposal.body,
        proposal.kind,
        proposal.status,
        author,
        proposal.created_at.isoformat(),
        proposal.category.name if proposal.category_id else "",
        getattr(getattr(proposal.category, "reading", None), "name", ""),
        proposal.comune.name if proposal.comune_id else "",
        proposal.cost if is_budget else "",
    ]
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"proposals:card-head:{digest}"


def attach_card_heads(proposals, *, is_budget: bool) -> None:
    """Set ``card_head`` (safe HTML) on each proposal: one cache read for all of them."""
    keys = {proposal.pk: _head_key(proposal, is_budget) for proposal in proposals}
    found = cache.get_many(list(keys.values()))
    missing = {}
    for proposal in proposals:
        html = found.get(keys[proposal.pk])
        if html is None:
            html = render_to_string(
                CARD_HEAD_TEMPLATE, {"proposal": proposal, "is_budget": is_budget}
            )
            missing[keys[proposal.pk]] = html
        proposal.card_head = html
    if missing:
        cache.set_many(missing, TIMEOUT)
