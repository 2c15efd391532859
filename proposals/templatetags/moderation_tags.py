"""``{% load moderation_tags %}{% action_amendments page %}``: on an action page, the accepted
amendments that changed it ("hai proposto, abbiamo fatto"), with dates."""

from django import template

from proposals.moderation.selectors import amendments_accepted_for

register = template.Library()


@register.inclusion_tag("proposals/includes/action_amendments.html")
def action_amendments(action):
    return {"amendments": amendments_accepted_for(action=action)}
