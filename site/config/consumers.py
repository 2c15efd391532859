from channels.generic.websocket import AsyncJsonWebsocketConsumer


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """Answers ``{"status": "ok"}`` on connect: proves the WebSocket path end to end."""

    async def connect(self):
        await self.accept()
        await self.send_json({"status": "ok"})

    async def receive_json(self, content, **kwargs):
        await self.send_json({"echo": content})
