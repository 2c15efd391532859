"""``{% language_alternates %}``: the hreflang links of what the page shows (psm.translations)."""

from django import template

from psm.translations import alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    request = context.get("request")
    if request is None:
        return []
    return alternates(request, context.get("page"))
