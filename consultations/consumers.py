"""WebSocket consumer of consultation pages (live proposal counts and totals)."""

from wagtail.models import Page

from realtime.broadcast import group_name
from realtime.consumers import GroupRelayConsumer


class ConsultationConsumer(GroupRelayConsumer):
    """Anyone who may see a consultation page (live, no view restriction) gets its events."""

    def authorise(self) -> str | None:
        pk = self.route_pk()
        if Page.objects.live().public().filter(pk=pk).exists():
            return group_name("consultation", pk)
        return None
