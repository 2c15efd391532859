"""The answer to a vote sent with htmx: the voting card alone, with the next statement and the
outcome in a ``role=status`` line. The view (``conversations.views.statement_vote``) and the
quick path (``conversations.quick_vote``) both answer with it, so a person sees the same card
whichever of them stored their vote."""

from __future__ import annotations

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template

from conversations import selectors
from conversations.models import Conversation, user_key

TEMPLATE = "conversations/includes/voting_card.html"


def voting_card_fragment(
    request, conversation: Conversation, message: str, *, voted: set[int] | None = None
) -> HttpResponse:
    """The card for ``request.user`` (``voted``: the statements they have voted, when known),
    rendered from its own small template with only what it shows (no context processors: the
    card needs none but the CSRF token of its form)."""
    context = {
        "conversation": conversation,
        "card": selectors.voting_card(conversation, user_key(request.user), voted),
        "vote_message": message,
        "csrf_token": get_token(request),
    }
    return HttpResponse(get_template(TEMPLATE).render(context))
