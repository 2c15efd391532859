"""Proposal lists inside consultation pages (consultations never imports proposals)."""

from django import template

from proposals.list_cache import render_proposal_list

register = template.Library()


@register.simple_tag(takes_context=True)
def consultation_proposals(context):
    """The consultation's proposal list (``proposals.list_cache``: one rendering for everybody,
    the person's supports, CSRF token and own lines put in per request)."""
    return render_proposal_list(context)
