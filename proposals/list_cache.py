"""The proposal list of a consultation page, rendered once for everybody (docs/performance.md).

The list (filters, count, 20 cards with their counts and vote buttons, pagination) is the same
for every person who sees it but for three things, which the cached copy holds as markers:

- the vote button of each card, stored in both forms (``<!--psm-vote:ID-->support<!--psm-or-->
  withdraw<!--/psm-vote-->``) and chosen per request from the person's supports;
- the CSRF token of the vote forms (:data:`CSRF_MARK`), replaced by the person's own;
- the person's own lines at the top (pending proposals, supports left), rendered per request.

The person's supports and pending proposals themselves (:func:`person_voter_state`) are kept
under the same key scheme for the person and the consultation, so a warm page reads none.

The key (``psm.page_cache.fragment_key``) holds the content and page versions (any write, a
vote included, makes it unreachable), the language, the consultation, the full path with its
query (filters, sort, page) and what the forms depend on: the person's refusal to vote (its
text), budget mode, signed in or not. "Random" order is kept per session, so it is not cached.
"""

from __future__ import annotations

import re

from django.utils.safestring import mark_safe

from proposals.models import Proposal
from proposals.selectors import VoterState, proposal_list_for_page, voter_state
from psm import page_cache

LIST_TEMPLATE = "proposals/includes/proposal_list.html"
PERSONAL_TEMPLATE = "proposals/includes/proposal_list_personal.html"
CSRF_MARK = "psmcsrfmark"
PERSONAL_MARK = "<!--psm-personal-->"
_VOTE = re.compile(r"<!--psm-vote:(\d+)-->(.*?)<!--psm-or-->(.*?)<!--/psm-vote-->", re.S)


def person_voter_state(request, consultation) -> VoterState:
    """:func:`proposals.selectors.voter_state` of the signed-in person, kept under the same key
    scheme as the list (a vote, a withdrawal or a proposal of theirs is a save, which makes it
    unreachable) for the person and the consultation, at most ``MAX_AGE`` seconds."""
    user = request.user
    if not user.is_authenticated:
        return VoterState()
    key = page_cache.fragment_key(request, "voter-state", consultation.pk, user.pk)
    voted, pending = page_cache.fragment_value(key, lambda: _kept_voter_state(consultation, user))
    return VoterState(
        voted_ids=set(voted),
        supports_left=consultation.supports_left(len(voted)),
        pending=[Proposal(pk=pk, title=title) for pk, title in pending],
    )


def _kept_voter_state(consultation, user) -> tuple[frozenset, list]:
    """What is kept of :func:`voter_state`: the supported ids and the pending (id, title)."""
    state = voter_state(consultation=consultation, user=user)
    return frozenset(state.voted_ids), [(proposal.pk, proposal.title) for proposal in state.pending]


def render_proposal_list(context) -> str:
    """The list for the person of ``context`` (a consultation page's template context)."""
    request = context["request"]
    consultation = context.get("consultation") or context["page"]
    engine = context.template.engine
    vote_error = context.get("vote_error")
    is_budget = context.get("is_budget")
    state = person_voter_state(request, consultation)
    base = {
        "request": request,
        "page": consultation,
        "consultation": consultation,
        "vote_error": vote_error,
        "is_budget": is_budget,
    }
    personal = engine.get_template(PERSONAL_TEMPLATE).render(context.new({**base, "state": state}))
    # "Random" order is the session's own; a Wagtail preview shows an unsaved page.
    cacheable = request.GET.get("ordina") != "casuale" and not getattr(request, "is_preview", False)
    key = page_cache.fragment_key(
        request,
        "proposal-list",
        consultation.pk,
        request.get_full_path(),
        str(vote_error or ""),
        bool(is_budget),
        request.user.is_authenticated,
    )
    html = page_cache.fragment_get(key) if cacheable else None
    if html is None:
        data = {
            **base,
            "state": VoterState(),
            "vote_marks": True,
            "csrf_token": CSRF_MARK,
            "personal_part": mark_safe(PERSONAL_MARK),  # noqa: S308 - a fixed marker
        }
        data.update(proposal_list_for_page(consultation=consultation, request=request))
        html = str(engine.get_template(LIST_TEMPLATE).render(context.new(data)))
        if cacheable:
            page_cache.fragment_set(key, html)
    voted = state.voted_ids
    html = _VOTE.sub(lambda m: m[3] if int(m[1]) in voted else m[2], html)
    html = html.replace(CSRF_MARK, str(context.get("csrf_token", "")))
    return mark_safe(html.replace(PERSONAL_MARK, personal, 1))  # noqa: S308 - rendered templates
