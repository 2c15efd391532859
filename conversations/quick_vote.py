"""The quick path's handler for a vote on a statement (``consultations.quick``): ``POST
/conversazioni/affermazioni/<id>/voto/``, which a phone sends statement after statement.

The same checks, by the same code: the statement with the facts a vote is checked against
(``selectors.statement_for_vote``) and the service's own rules (``services.vote_batchable``).
A refusal, a choice it does not know, a vote from «Le mie risposte» (``da``), a plain form
while earlier messages are still waiting to be shown go to the view, which explains them. The
vote is stored by this process's batch writer (``conversations.vote_writer``), which also says
which statements the person has voted, and the answer is the view's: with htmx the card
(``conversations.card_fragment``) with the next statement; from a plain form the redirect to
the conversation, with the message in its cookie.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.cookie import CookieStorage
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from conversations import selectors, services
from conversations.card_fragment import voting_card_fragment
from conversations.models import user_key
from conversations.vote_writer import vote_writer


class StatementVoteHandler:
    path = re.compile(r"/conversazioni/affermazioni/([1-9][0-9]{0,17})/voto/")
    #: Form fields the card sends.
    fields = frozenset({"csrfmiddlewaretoken", "voto"})
    #: A plain form (no JavaScript) too: answered with the view's redirect and message.
    htmx_only = False

    def answer(self, request, pk: int, person):
        htmx = request.headers.get("HX-Request") == "true"
        if not htmx and request.COOKIES.get(CookieStorage.cookie_name):
            return None  # messages not shown yet: the view keeps them, in the session if need be
        statement = selectors.statement_for_vote(pk)
        user = person.user
        choice = services.vote_batchable(
            statement=statement, voter=user, viewer=person.viewer, choice=request.POST.get("voto")
        )
        if choice is None:
            return None
        conversation = statement.conversation
        voted = vote_writer().store(
            statement_id=statement.pk,
            conversation_id=conversation.pk,
            participant_key=user_key(user),
            user_id=user.pk,
            choice=choice,
        )
        if htmx:
            return voting_card_fragment(request, conversation, _("Voto registrato."), voted=voted)
        # As the view answers a plain form: the message in its cookie, back to the conversation.
        storage = default_storage(request)
        storage.add(messages.SUCCESS, _("Voto registrato."))
        response = redirect("conversations:detail", pk=conversation.pk)
        storage.update(response)
        return response
