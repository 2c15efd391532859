"""WebSocket routes: the platform's own plus each domain app's ``routing.py``."""

from django.urls import path

from config.consumers import HealthConsumer
from consultations.routing import websocket_urlpatterns as consultation_routes
from proposals.routing import websocket_urlpatterns as proposal_routes
from workshops.routing import websocket_urlpatterns as live_routes

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    *consultation_routes,
    *proposal_routes,
    *live_routes,
]
