"""Template tags other apps' templates use to show live workshops (psm never imports us)."""

from django import template

from workshops.models import LiveSession

register = template.Library()

#: Running workshops listed on the home page.
HOME_WORKSHOPS_SHOWN = 4


@register.inclusion_tag("live/includes/home_workshops.html")
def home_workshops():
    """The workshops running now (latest first), in one query. Their join codes stay in the
    room: the list links to the page where people type the code shown on the projector."""
    sessions = (
        LiveSession.objects.filter(status=LiveSession.Status.OPEN)
        .select_related("page", "comune")
        .order_by("-created_at", "-pk")[:HOME_WORKSHOPS_SHOWN]
    )
    return {"sessions": list(sessions)}
