"""WebSocket routes of the live workshops."""

from django.urls import path

from consultations.live.consumers import LiveConsoleConsumer, LiveSessionConsumer

websocket_urlpatterns = [
    path("ws/live/<int:pk>/", LiveSessionConsumer.as_asgi()),
    path("ws/live/<int:pk>/console/", LiveConsoleConsumer.as_asgi()),
]
