"""WebSocket consumer of consultation pages (live proposal counts and totals)."""

from consultations.models import ConsultationPage
from realtime.broadcast import group_name
from realtime.consumers import GroupRelayConsumer


class ConsultationConsumer(GroupRelayConsumer):
    """Anyone who may see a consultation (``consultations.visibility``, with the socket's user
    and session) gets its events."""

    def authorise(self) -> str | None:
        pk = self.route_pk()
        if ConsultationPage.objects.visible_to(self.scope).filter(pk=pk).exists():
            return group_name("consultation", pk)
        return None
