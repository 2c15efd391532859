"""The answer to a support sent with htmx: the card's actions fragment (counts, button, an
outcome in a ``role=status`` line). The view (``proposals.views.participation.proposal_vote``)
and the quick path (``proposals.quick_support``) both answer with it, so a person sees the same
fragment whichever of them stored their support."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from consultations.models import VoteMode
from core.csrf import TOKEN_MARK, put_token
from core.kept import Kept
from proposals import selectors
from proposals.models import Proposal


def supported_message(proposal: Proposal, left: int | None) -> str:
    """What a person reads after supporting ``proposal`` (``left``: supports they may still
    give, None without a limit)."""
    if left is None:
        return _("Hai sostenuto «%(title)s».") % {"title": proposal}
    return _("Hai sostenuto «%(title)s». Puoi ancora dare %(n)s sostegni.") % {
        "title": proposal,
        "n": left,
    }


def vote_fragment(
    request, proposal, back, *, message, total=None, voted=None, error=None, token=None
):
    """The actions fragment of one proposal card, after a vote. The comment count was read
    with the proposal (``proposal_for_vote``); the support count is the new total, or read here
    after a refusal. ``token``: what the form gets as its CSRF token (a mark, for a kept copy),
    else the request's."""
    if total is None:
        counted = Proposal.objects.filter(pk=proposal.pk).annotate_support_count()
        total = counted.values_list("support_count", flat=True).first() or 0
    proposal.support_count = total
    if voted is None:  # a refusal: show the person's actual state
        voted = request.user.is_authenticated and proposal.votes.filter(voter=request.user).exists()
    context = {
        "proposal": proposal,
        "state": selectors.VoterState(voted_ids={proposal.pk} if voted else set()),
        "vote_error": error,
        "is_budget": proposal.consultation.vote_mode == VoteMode.BUDGET,
        "next_url": back,
        "vote_message": message,
    }
    if token is not None:
        context["csrf_token"] = token  # over the context processor's
    return render(request, "proposals/includes/proposal_actions.html", context)


# --------------------------------------------------------------------------- kept answers

#: A total the fragment is rendered with once, to be replaced by each real total; it takes the
#: plural form, so only totals in that form (every total but one, in Italian and English) use
#: the kept copy.
SENTINEL = 987654321
#: Kept fragments per process (about 1 KB each).
KEPT = 4096
_kept = Kept(KEPT)


def supported_fragment(request, proposal, back: str, *, total: int, facts_key: str):
    """:func:`vote_fragment` after a support without a limit (the quick path's answer), from a
    copy rendered once per proposal, facts (``facts_key``, the ``proposals.vote_facts`` key),
    language and ``back``, with the new total and this request's CSRF token put in."""
    message = supported_message(proposal, None)
    plural = ngettext("sostegno", "sostegni", total) == ngettext("sostegno", "sostegni", SENTINEL)
    if not plural:
        return vote_fragment(request, proposal, back, message=message, total=total, voted=True)
    key = (facts_key, get_language(), back)
    kept = _kept.get(key)
    if kept is None:
        response = vote_fragment(
            request, proposal, back, message=message, total=SENTINEL, voted=True, token=TOKEN_MARK
        )
        kept = response.content.decode()
        if kept.count(formats.localize(SENTINEL)) != 1:
            # not a shape to keep: render it as it is
            return vote_fragment(request, proposal, back, message=message, total=total, voted=True)
        _kept.put(key, kept)
    html = kept.replace(formats.localize(SENTINEL), formats.localize(total))
    return HttpResponse(put_token(html, request))
