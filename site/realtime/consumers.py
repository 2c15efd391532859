"""The relay consumer every app's WebSocket consumer builds on.

Consumers only authorise on connect, join a group and relay what services broadcast
(``{"type": "relay.event", "text": <JSON of {"event": ..., "payload": ...}>}``, encoded once per
group by ``realtime.broadcast.relay_message``) to the browser unchanged. They never write:
writes go over HTTP to the services, which broadcast after the commit.
"""

import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

logger = logging.getLogger(__name__)


class GroupRelayConsumer(AsyncJsonWebsocketConsumer):
    """Authorise, join one group, relay ``relay.event`` messages. Subclasses say which group."""

    group: str | None = None

    async def __call__(self, scope, receive, send):
        """Channels asks the layer for this socket's channel before anything else; with Redis
        pub/sub that is a subscription, which fails while Redis is down. The socket is then
        refused at the handshake, as when it cannot join its group, instead of an error in the
        server: the page keeps working over HTTP and its script retries later."""
        try:
            await super().__call__(scope, receive, send)
        except Exception:
            if getattr(self, "channel_layer", None) is None or getattr(self, "channel_name", None):
                raise  # the failure came later: not ours to hide
            logger.warning("no channel for a socket on %s", scope.get("path"), exc_info=True)
            message = await receive()
            if message.get("type") == "websocket.connect":
                await send({"type": "websocket.close", "code": 1011})

    def authorise(self) -> str | None:
        """Runs in a thread with database access: the group to join, or None to refuse."""
        raise NotImplementedError

    async def connect(self):
        self.group = await database_sync_to_async(self.authorise)()
        if self.group is None:
            await self.close()
            return
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:  # channel layer down: refuse; the page keeps working over HTTP
            logger.warning("cannot join %s", self.group, exc_info=True)
            self.group = None
            await self.close(code=1011)
            return
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:
                logger.warning("cannot leave %s", self.group, exc_info=True)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Clients have nothing to say over the socket (writes go over HTTP): a JSON frame is
        ignored, anything else (binary, not JSON) closes the socket with 1003, "unsupported
        data", instead of raising in the decoder."""
        if text_data is not None:
            try:
                await self.decode_json(text_data)
            except ValueError:
                pass
            else:
                return
        await self.close(code=1003)

    async def receive_json(self, content, **kwargs):
        """Clients have nothing to say over the socket: writes go over HTTP."""

    async def dispatch(self, message):
        """Relayed events touch no database: they skip the thread hop Channels makes before
        every handler to close stale database connections (with 1,000 sockets, 1,000 trips
        through one thread per event). Every other message is dispatched as Channels does."""
        if message.get("type") == "relay.event":
            await self.relay_event(message)
        else:
            await super().dispatch(message)

    async def relay_event(self, message):
        """The event's JSON text as it was encoded once for the whole group."""
        await self.send(text_data=message["text"])

    def route_pk(self) -> int:
        return int(self.scope["url_route"]["kwargs"]["pk"])

    @property
    def user(self):
        return self.scope.get("user")


class NoRouteConsumer(AsyncJsonWebsocketConsumer):
    """The last WebSocket route: a path no app serves (``/ws/live/abc/``) is refused at the
    handshake (HTTP 403) instead of raising "No route found" in the router."""

    async def connect(self):
        await self.close()
