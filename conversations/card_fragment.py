"""The answer to a vote sent with htmx: the voting card alone, with the next statement and the
outcome in a ``role=status`` line. The view (``conversations.views.statement_vote``) and the
quick path (``conversations.quick_vote``) both answer with it, so a person sees the same card
whichever of them stored their vote.

A phone votes statement after statement, so the card of each statement is rendered once per
process, content version, language and outcome, with marks where the person's progress and the
request's CSRF token go, and those are put in for each answer.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import formats
from django.utils.translation import get_language

from conversations import selectors
from conversations.models import Conversation, user_key
from core.csrf import TOKEN_MARK, masked_token, put_token
from core.kept import Kept
from psm import page_cache

TEMPLATE = "conversations/includes/voting_card.html"
#: Numbers the card is rendered with once, to be replaced by each person's progress.
VOTED_MARK, TOTAL_MARK = 987654321, 987654322
#: Rendered cards kept per process (about 1.5 KB each).
_kept = Kept(4096, page_cache.MAX_AGE)


def voting_card_fragment(
    request, conversation: Conversation, message: str, *, voted: set[int] | None = None
) -> HttpResponse:
    """The card for ``request.user`` (``voted``: the statements they have voted, when known),
    rendered from its own small template with only what it shows (no context processors: the
    card needs none but the CSRF token of its form)."""
    card = selectors.voting_card(conversation, user_key(request.user), voted)
    if card.statement is None:
        return HttpResponse(_render(card, message, masked_token(request)))
    key = (card.statement.pk, page_cache.content_version(), get_language(), message)
    kept = _kept.get(key)
    if kept is None:
        marked_card = selectors.VotingCard(card.statement, VOTED_MARK, TOTAL_MARK)
        html = _render(marked_card, message, TOKEN_MARK)
        if any(html.count(formats.localize(n)) != 1 for n in (VOTED_MARK, TOTAL_MARK)):
            # not a shape to keep
            return HttpResponse(_render(card, message, masked_token(request)))
        kept = html
        _kept.put(key, kept)
    html = kept.replace(formats.localize(VOTED_MARK), formats.localize(card.voted)).replace(
        formats.localize(TOTAL_MARK), formats.localize(card.total)
    )
    return HttpResponse(put_token(html, request))


def _render(card: selectors.VotingCard, message: str, token: str) -> str:
    context = {"card": card, "vote_message": message, "csrf_token": token}
    return get_template(TEMPLATE).render(context)
