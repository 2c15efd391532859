"""The quick path's handler for a support sent with htmx (``consultations.quick``): ``POST
/proposte/<id>/sostegno/``, the busiest request of a live consultation.

The same checks, by the same code: the proposal with the facts a support is checked against
(``proposals.vote_facts``) and the service's own rules
(``proposals.services.votes.support_batchable``). Only plain support consultations: a limited
or budget one, a refusal, a person already supporting go to the view, which explains them.
The support is stored by this process's batch writer (``proposals.support_writer``), and the
answer is the fragment the view renders (``proposals.vote_fragment``).
"""

from __future__ import annotations

import re

from core.urls import next_from
from proposals.services import votes
from proposals.support_writer import support_writer
from proposals.vote_facts import facts_key, proposal_for_vote
from proposals.vote_fragment import supported_fragment


class SupportHandler:
    path = re.compile(r"/proposte/([1-9][0-9]{0,17})/sostegno/")
    #: Form fields the htmx button sends; any other (``azione=ritira``) goes to the view.
    fields = frozenset({"csrfmiddlewaretoken", "next"})
    #: Without htmx the view redirects with a message kept in the session: left to it.
    htmx_only = True

    def answer(self, request, pk: int, person):
        proposal = proposal_for_vote(pk)
        if not votes.support_batchable(proposal=proposal, voter=person.user, viewer=person.viewer):
            return None
        back = next_from(request, proposal.get_absolute_url())
        total = support_writer().store(
            proposal_id=proposal.pk,
            voter_id=person.user.pk,
            consultation_id=proposal.consultation.pk,
        )
        if total is None:
            return None  # already supported: the view says so
        return supported_fragment(
            request, proposal, back, total=total, facts_key=facts_key(proposal.pk)
        )
