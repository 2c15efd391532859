"""Template tags for pages of lower layers, which cannot import this app:
``{% load accountability_tags %}``

- ``{% proposal_outcomes proposal %}`` on the proposal page: "Dove è andata questa proposta";
- ``{% action_outcomes page %}`` on an action page: "Cosa è stato fatto", with a link.
"""

from django import template

from accountability.selectors import records_for_action, records_for_proposal, status_summary
from psm.localisation import in_source_language

register = template.Library()


@register.inclusion_tag("accountability/includes/proposal_outcomes.html")
def proposal_outcomes(proposal):
    return {"records": list(records_for_proposal(proposal)) if proposal else []}


@register.inclusion_tag("accountability/includes/action_outcomes.html")
def action_outcomes(action):
    # An English action shows what was done for the Italian one it translates.
    records = records_for_action(in_source_language(action))
    summary = status_summary(records)
    return {"action": action, "summary": summary, "count": sum(row[2] for row in summary)}
