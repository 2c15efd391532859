"""The device token of people taking part without an account: a random value in a signed
cookie (no personal data), read the same way by the pages and by the WebSocket consumer."""

import re

from django.http import HttpRequest

DEVICE_COOKIE = "psm_live_device"
DEVICE_SALT = "live.device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 30
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def device_token(cookies) -> str | None:
    """The valid device token in ``cookies`` (a request's or a WebSocket scope's), or None."""
    # a WebSocket scope has cookies but no request: Django's own reader on a bare request
    carrier = HttpRequest()
    carrier.COOKIES = dict(cookies or {})
    token = carrier.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
    )
    return token if isinstance(token, str) and TOKEN.match(token) else None
