"""WebSocket consumers of the live workshops: authorise, join the session's group, relay.

``ws/live/<pk>/`` is public (projector and phones: the same things the pages show);
``ws/live/<pk>/console/`` only for who may conduct the session.
"""

from realtime.broadcast import group_name
from realtime.consumers import GroupRelayConsumer
from workshops.models import LiveSession
from workshops.services import can_facilitate


class LiveSessionConsumer(GroupRelayConsumer):
    def authorise(self) -> str | None:
        pk = self.route_pk()
        if LiveSession.objects.filter(pk=pk).exists():
            return group_name("live", pk)
        return None


class LiveConsoleConsumer(GroupRelayConsumer):
    def authorise(self) -> str | None:
        pk = self.route_pk()
        session = LiveSession.objects.select_related("page").filter(pk=pk).first()
        user = self.user
        if session is None or user is None or not user.is_authenticated:
            return None
        if not can_facilitate(user=user, session=session):
            return None
        return group_name("live.console", pk)
