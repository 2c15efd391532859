"""WebSocket routes of the consultation pages (live counts and totals)."""

from django.urls import re_path

from consultations.consumers import ConsultationConsumer

websocket_urlpatterns = [
    re_path(r"^ws/consultations/(?P<pk>[0-9]{1,18})/$", ConsultationConsumer.as_asgi()),
]
