"""WebSocket routes: the platform's own plus each domain app's ``routing.py``."""

from django.urls import path

from config.consumers import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
]
