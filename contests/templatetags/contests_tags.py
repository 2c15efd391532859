from django import template

from contests.models import ContestPage, Phase

register = template.Library()


@register.inclusion_tag("contests/includes/action_list.html")
def action_contests(action):
    """The contests under an action page, with their phase (one query)."""
    contests = (
        ContestPage.objects.live().public().child_of(action).order_by("-registration_opens_at")
    )
    return {"contests": [(c, Phase(c.phase()).label) for c in contests]}
