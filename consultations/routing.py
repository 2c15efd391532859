"""WebSocket routes of the consultation pages (live counts and new comments)."""

from django.urls import re_path

from consultations.consumers import ConsultationConsumer, ProposalConsumer

websocket_urlpatterns = [
    re_path(r"^ws/consultations/(?P<pk>[0-9]{1,18})/$", ConsultationConsumer.as_asgi()),
    re_path(r"^ws/proposals/(?P<pk>[0-9]{1,18})/$", ProposalConsumer.as_asgi()),
]
