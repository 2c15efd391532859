from django import template

from leadership.selectors import open_calls

register = template.Library()


@register.inclusion_tag("leadership/includes/open_calls_list.html")
def leadership_open_calls(limit: int = 6):
    return {"calls": list(open_calls()[:limit])}
