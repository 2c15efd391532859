"""The security-header checks shared by the headers and access drills.

Every answer gets ``X-Frame-Options: DENY`` (the admin's preview views ``SAMEORIGIN``), ``nosniff``, ``Referrer-Policy: same-origin`` and
COOP. Every page outside the Wagtail admin gets the strict CSP (no inline or eval'd script,
``object-src 'none'``, ``frame-ancestors 'none'``) and its HTML has no inline ``<script>``
(JSON data scripts are fine) and no ``style=""`` attribute; its ``connect-src`` reaches only
this site (``'self'`` and the site's own ``ws(s)://`` origin: no bare ``ws:``/``wss:`` or other
scheme-only source, no ``*``). The Wagtail admin (``/admin/``,
staff only) is excluded from that CSP by ``CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"]``
in config/settings/base.py, because Wagtail's own templates use inline scripts: its pages must
carry exactly what the settings give them, ``settings.ADMIN_CONTENT_SECURITY_POLICY`` when the
project defines one (then still no eval, no plugins, no framing by other sites), no CSP header
otherwise. See docs/reliability.md.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

ADMIN_PREFIX = "/admin/"
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)


def csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def is_html(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


def _common(response) -> dict[str, bool]:
    headers = response.headers
    return {
        "X-Frame-Options DENY": headers.get("X-Frame-Options") == "DENY",
        "nosniff": headers.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy": headers.get("Referrer-Policy") == "same-origin",
        "COOP": headers.get("Cross-Origin-Opener-Policy") == "same-origin",
    }


SCHEME_ONLY = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)  # "ws:", "https:", "data:"


def connect_source_is_own(source: str) -> bool:
    """``'self'`` or the site's own origin (ws, wss, http or https): nothing wider."""
    if source == "'self'":
        return True
    if "*" in source or SCHEME_ONLY.fullmatch(source):
        return False
    own_host = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    parts = urlsplit(source)
    return parts.scheme in ("ws", "wss", "http", "https") and parts.netloc == own_host


def _strict_csp(response) -> dict[str, bool]:
    policy = csp(response)
    script_src = policy.get("script-src", policy.get("default-src", []))
    connect_src = policy.get("connect-src", policy.get("default-src", []))
    return {
        "connect-src only this site": bool(connect_src)
        and all(connect_source_is_own(source) for source in connect_src),
        "CSP present": bool(policy),
        "script-src without unsafe-inline": "'unsafe-inline'" not in script_src,
        "script-src without unsafe-eval": "'unsafe-eval'" not in script_src,
        "script-src restricted": bool(script_src) and "*" not in script_src,
        "object-src none": policy.get("object-src") == ["'none'"],
        "frame-ancestors none": policy.get("frame-ancestors") == ["'none'"],
    }


def _markup(response) -> dict[str, bool]:
    html = response.content.decode(errors="replace")
    return {
        "no inline <script>": not INLINE_SCRIPT.search(html),
        "no style attribute": not STYLE_ATTRIBUTE.search(html),
    }


def admin_policy() -> str | None:
    """The admin's CSP header as the settings define it (None: no header at all)."""
    return getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)


def _admin_csp(response) -> dict[str, bool]:
    expected = admin_policy()
    checks = {
        "the admin's CSP is exactly the settings' one": (
            response.headers.get("Content-Security-Policy") == expected
        )
    }
    if expected:
        policy = csp(response)
        checks["admin script-src without unsafe-eval"] = "'unsafe-eval'" not in policy.get(
            "script-src", policy.get("default-src", ["*"])
        )
        checks["admin object-src none"] = policy.get("object-src") == ["'none'"]
        checks["admin frame-ancestors at most self"] = policy.get("frame-ancestors") in (
            ["'none'"],
            ["'self'"],
        )
    return checks


#: The admin's preview views, which the editor shows in a frame of its own page: Wagtail answers
#: them with ``X-Frame-Options: SAMEORIGIN`` (and the admin's CSP allows only ``'self'`` as
#: ancestor), never a framing by another site.
ADMIN_PREVIEW = re.compile(r"^/admin/.*/preview/")


def header_failures(path: str, response) -> list[str]:
    """What is wrong with one answer's headers (and, for HTML pages, its markup)."""
    checks = _common(response)
    if ADMIN_PREVIEW.match(path):
        checks["X-Frame-Options DENY"] = response.headers.get("X-Frame-Options") in (
            "DENY",
            "SAMEORIGIN",
        )
    if path.startswith(ADMIN_PREFIX):
        checks.update(_admin_csp(response))
    else:
        checks.update(_strict_csp(response))
        if is_html(response):
            checks.update(_markup(response))
    return [f"{path}: {name}" for name, ok in checks.items() if not ok]
