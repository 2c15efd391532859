"""WebSocket consumers of the live workshops: authorise, join the session's group, relay.

``ws/live/<pk>/`` follows the session's state (projector and phones) under the same rule as
their pages (``services.may_watch``): who conducts the session, a screen opened with the
projector link (``?schermo=<token>``; regenerating the link closes it), and the devices and
people the session admitted. Who may conduct the session also hears the console's events on
the same socket (the console page follows ``ws/live/<pk>/`` like the projector).
``ws/live/<pk>/console/`` carries the console's events alone, only for who may conduct.
"""

import contextlib
from urllib.parse import parse_qs

from realtime.broadcast import group_name
from realtime.consumers import GroupRelayConsumer
from workshops.devices import device_token
from workshops.models import LiveSession
from workshops.services import can_facilitate, may_watch


class LiveSessionConsumer(GroupRelayConsumer):
    by_projector_link = False
    conducts = False

    def _screen_token(self) -> str:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        values = query.get("schermo") or [""]
        return values[0]

    def authorise(self) -> str | None:
        pk = self.route_pk()
        session = LiveSession.objects.select_related("page").filter(pk=pk).first()
        if session is None:
            return None
        token = device_token(self.scope.get("cookies"))
        screen = self._screen_token()
        if not may_watch(
            session=session,
            user=self.user,
            participant_key=f"d{token}" if token else None,
            token=screen,
        ):
            return None
        self.by_projector_link = bool(screen) and screen == session.projector_token
        user = self.user
        self.conducts = bool(
            user is not None
            and user.is_authenticated
            and can_facilitate(user=user, session=session)
        )
        return group_name("live", pk)

    async def connect(self):
        await super().connect()
        if self.group and self.conducts:
            try:
                await self.channel_layer.group_add(
                    group_name("live.console", self.route_pk()), self.channel_name
                )
            except Exception:  # the console's events are missing: it would look stale
                await self.close(code=1011)
        if self.group and self.by_projector_link:
            try:
                await self.channel_layer.group_add(
                    group_name("live.screen", self.route_pk()), self.channel_name
                )
            except Exception:  # without the revocation group the screen may not stay on
                await self.close(code=1011)

    async def disconnect(self, code):
        await super().disconnect(code)
        if self.conducts:
            with contextlib.suppress(Exception):  # best effort, like leaving any group
                await self.channel_layer.group_discard(
                    group_name("live.console", self.route_pk()), self.channel_name
                )
        if self.by_projector_link:
            try:
                await self.channel_layer.group_discard(
                    group_name("live.screen", self.route_pk()), self.channel_name
                )
            except Exception:
                return

    async def screen_revoked(self, message):
        """The projector link was regenerated: screens opened with the old one close."""
        await self.close(code=4403)


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
