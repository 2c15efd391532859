"""WebSocket routes: the platform's own plus each domain app's ``routing.py``."""

from django.urls import path, re_path

from config.consumers import HealthConsumer
from consultations.routing import websocket_urlpatterns as consultation_routes
from proposals.routing import websocket_urlpatterns as proposal_routes
from realtime.consumers import NoRouteConsumer
from workshops.routing import websocket_urlpatterns as live_routes

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    *consultation_routes,
    *proposal_routes,
    *live_routes,
    re_path(r"", NoRouteConsumer.as_asgi()),  # anything else: refused, not an exception
]
