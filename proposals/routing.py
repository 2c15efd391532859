"""WebSocket routes of the proposal pages (new comments)."""

from django.urls import re_path

from proposals.consumers import ProposalConsumer

websocket_urlpatterns = [
    re_path(r"^ws/proposals/(?P<pk>[0-9]{1,18})/$", ProposalConsumer.as_asgi()),
]
