"""Proposal lists inside consultation pages (consultations never imports proposals)."""

from django import template

from proposals.selectors import proposal_list_for_page, voter_state

register = template.Library()


@register.inclusion_tag("proposals/includes/proposal_list.html", takes_context=True)
def consultation_proposals(context):
    request = context["request"]
    consultation = context.get("consultation") or context["page"]
    data = {
        "request": request,
        "page": consultation,
        "consultation": consultation,
        "vote_error": context.get("vote_error"),
        "is_budget": context.get("is_budget"),
        "state": voter_state(consultation=consultation, user=request.user),
        "csrf_token": context.get("csrf_token"),
    }
    data.update(proposal_list_for_page(consultation=consultation, request=request))
    return data
