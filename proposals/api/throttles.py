"""The open-data API's throttle: anonymous requests counted per client address.

DRF's ``AnonRateThrottle`` keys on the raw ``X-Forwarded-For`` when ``NUM_PROXIES`` is unset,
so a client writing a new header value on each request got a new allowance each time. Here the
key is :func:`core.clients.client_ip`, which trusts only the configured proxies.
"""

from rest_framework.throttling import AnonRateThrottle

from core.clients import client_ip


class ClientRateThrottle(AnonRateThrottle):
    """``AnonRateThrottle`` (scope ``anon``, rate from settings) keyed on the client's address."""

    def get_ident(self, request):
        return client_ip(request)
