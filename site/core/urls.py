"""Where to send someone back to: only to a path of this site, never to another host."""

from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, fallback: str) -> str:
    """``target`` when it is a path of this site (``/...``) or an absolute http(s) URL of this
    host, else ``fallback``. Use it for every ``next`` parameter and every stored link we
    redirect to.

    A bare word ("foo") is refused too: Django's ``redirect()`` would try it as a URL pattern
    name and fail, and a relative path resolves against whatever page posted the form.
    """
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and parts.netloc == request.get_host():
        return target
    return fallback


def next_from(request, fallback: str) -> str:
    """The request's ``next`` (POST first, then GET), made safe with :func:`safe_next`."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), fallback)
