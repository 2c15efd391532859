"""Where to send someone back to: only to this site, never to another host."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, fallback: str) -> str:
    """``target`` when it points to this site (same host, same or stronger scheme), else
    ``fallback``. Use it for every ``next`` parameter and every stored link we redirect to."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def next_from(request, fallback: str) -> str:
    """The request's ``next`` (POST first, then GET), made safe with :func:`safe_next`."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), fallback)
