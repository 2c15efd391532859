"""Who is asking: the client's IP address, as far as this deployment can tell.

Every rate limit of the project that keys on a client (the API throttle, allauth's login and
sign-up limits) uses :func:`client_ip`, so a client cannot pick its own key by writing an
``X-Forwarded-For`` header.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _address(text: str) -> str | None:
    """``text`` as a normalised IP address ("[::1]" and "1.2.3.4:567" included), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [IPv6] or [IPv6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client that sent ``request``.

    ``REMOTE_ADDR`` (the peer of the connection) unless ``settings.TRUSTED_PROXY_COUNT`` says
    how many reverse proxies of ours stand in front of the application: then the address that
    the outermost of them received the request from, which is the ``TRUSTED_PROXY_COUNT``-th
    entry from the right of ``X-Forwarded-For`` (each proxy appends the address it saw; entries
    further left were written by the client and are never trusted). A header with fewer entries
    than that, or an entry that is not an address, falls back to ``REMOTE_ADDR``.
    """
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(hops) >= trusted:
            forwarded = _address(hops[-trusted])
            if forwarded:
                return forwarded
    return _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
