"""CSRF tokens for pages and fragments, masked as Django masks them but with one read of the
system's randomness instead of thirty-two.

Django puts a freshly masked copy of the person's CSRF secret in every page (against BREACH),
drawing each of the mask's 32 characters with its own ``secrets.choice``: 32 calls of
``os.urandom``, each of which lets go of the interpreter's lock and waits to take it back. With
a worker's threads all busy (a live vote: 25 requests a worker) every one of those waits is a
turn behind the other threads, and the batch writer's thread waits behind them too: measured,
about a quarter fewer supports stored a second (``docs/performance.md``, ninth pass).

:func:`masked_token` is ``django.middleware.csrf.get_token`` with the mask drawn from one read:
the same token (the mask, then the secret shifted by it, in Django's 62 characters), the same
effect on the response (the cookie sent again, or a new secret and cookie when there is none),
checked by Django's own middleware as any other. :func:`csrf` is the template context
processor that gives it to ``{% csrf_token %}`` (listed after Django's built-in one, whose
lazy value it replaces unread).
"""

from __future__ import annotations

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
#: Bytes at or above this are drawn again, so every character is equally likely (248 = 4 × 62).
_UNBIASED = 256 - 256 % len(_CHARS)


def random_chars(length: int = CSRF_SECRET_LENGTH) -> str:
    """``length`` characters of Django's CSRF alphabet, uniformly and securely drawn, from
    (almost always) one ``os.urandom`` read."""
    drawn: list[str] = []
    while len(drawn) < length:
        # 40 bytes give 32 usable ones with probability > 0.99; a short draw reads again.
        drawn.extend(_CHARS[byte % len(_CHARS)] for byte in os.urandom(40) if byte < _UNBIASED)
    return "".join(drawn[:length])


def mask(secret: str) -> str:
    """A token for ``secret``: a new mask, then each character of the secret shifted by the
    mask's (what Django's middleware unmasks)."""
    drawn = random_chars(len(secret))
    size = len(_CHARS)
    shifted = "".join(
        _CHARS[(_INDEX[s] + _INDEX[m]) % size] for s, m in zip(secret, drawn, strict=True)
    )
    return drawn + shifted


def masked_token(request) -> str:
    """What ``get_token(request)`` returns and does: the request's CSRF secret, masked anew;
    the cookie is sent again (its expiry renewed), or, without a secret yet, a new secret is
    made and its cookie set."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = random_chars()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)


#: What a template is given as ``csrf_token`` when its output is kept for many requests (a
#: rendered answer kept in the process); :func:`put_token` puts each request's token in.
TOKEN_MARK = "\x00csrf\x00"


def put_token(html: str, request) -> str:
    """``html`` rendered with :data:`TOKEN_MARK`, with this request's own token in its place
    (and its effect on the response, as :func:`masked_token`), or as it is without a mark."""
    if TOKEN_MARK not in html:
        return html
    return html.replace(TOKEN_MARK, masked_token(request))


def csrf(request) -> dict:
    """Template context processor: ``csrf_token`` for ``{% csrf_token %}``, made only when a
    template uses it."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}
