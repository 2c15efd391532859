"""WebSocket routes of the live workshops."""

from django.urls import re_path

from workshops.consumers import LiveConsoleConsumer, LiveSessionConsumer

websocket_urlpatterns = [
    re_path(r"^ws/live/(?P<pk>[0-9]{1,18})/$", LiveSessionConsumer.as_asgi()),
    re_path(r"^ws/live/(?P<pk>[0-9]{1,18})/console/$", LiveConsoleConsumer.as_asgi()),
]
