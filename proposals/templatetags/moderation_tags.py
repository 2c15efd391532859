"""``{% load moderation_tags %}{% action_amendments page %}``: on an action page, the published
changes of its text and the amendments they incorporated ("hai proposto, abbiamo fatto")."""

from django import template

from proposals.amendments.selectors import published_change_sets
from psm.localisation import in_source_language

register = template.Library()


@register.inclusion_tag("proposals/includes/action_amendments.html")
def action_amendments(action):
    # An English action shows the changes made to the Italian one it translates.
    return {"changes": published_change_sets(action=in_source_language(action))}
