"""WebSocket routes of the consultation pages (live counts and new comments)."""

from django.urls import path

from consultations.consumers import ConsultationConsumer, ProposalConsumer

websocket_urlpatterns = [
    path("ws/consultations/<int:pk>/", ConsultationConsumer.as_asgi()),
    path("ws/proposals/<int:pk>/", ProposalConsumer.as_asgi()),
]
