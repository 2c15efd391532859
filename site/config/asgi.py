"""ASGI entry point: HTTP goes to Django, WebSocket to the apps' routing modules.

Run with ``uvicorn config.asgi:application --app-dir site``.
"""

import os
import sys
from pathlib import Path

_SITE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_SITE_DIR))
sys.path.insert(1, str(_SITE_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
