"""Drill: security headers and a strict CSP on every public page.

Every live page of the Wagtail tree and every public named view is fetched; each answer must
carry the security headers and a Content-Security-Policy that allows no inline or eval'd
script, and its HTML must contain no inline script or ``style=""`` attribute (the CSP would
block them, breaking the page). ``check --deploy`` under production settings is covered by
tests/config/test_settings.py and run again by ``make drills``.
"""

import re

import pytest
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db

PUBLIC_VIEWS = [
    "search",
    "privacy",
    "accessibility",
    "about",
    "account_login",
    "account_signup",
    "account_reset_password",
    "live:join",
    "healthz",
]
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)


def _public_urls(proposal) -> list[str]:
    pages = [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific()]
    return [*pages, proposal.get_absolute_url(), *(reverse(name) for name in PUBLIC_VIEWS)]


def _csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_every_public_page_has_security_headers_and_strict_csp(client, proposal):
    urls = _public_urls(proposal)
    assert len(urls) > 30  # the whole plan tree, the consultation, the proposal, the views
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            failures.append(f"{url}: HTTP {response.status_code}")
            continue
        csp = _csp(response)
        script_src = csp.get("script-src", csp.get("default-src", []))
        checks = {
            "CSP present": bool(csp),
            "script-src without unsafe-inline": "'unsafe-inline'" not in script_src,
            "script-src without unsafe-eval": "'unsafe-eval'" not in script_src,
            "script-src restricted": bool(script_src) and "*" not in script_src,
            "object-src none": csp.get("object-src") == ["'none'"],
            "frame-ancestors none": csp.get("frame-ancestors") == ["'none'"],
            "X-Frame-Options DENY": response.headers.get("X-Frame-Options") == "DENY",
            "nosniff": response.headers.get("X-Content-Type-Options") == "nosniff",
            "Referrer-Policy": response.headers.get("Referrer-Policy") == "same-origin",
            "COOP": response.headers.get("Cross-Origin-Opener-Policy") == "same-origin",
        }
        if response.headers.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            checks["no inline <script>"] = not INLINE_SCRIPT.search(html)
            checks["no style attribute"] = not STYLE_ATTRIBUTE.search(html)
        failures += [f"{url}: {name}" for name, ok in checks.items() if not ok]
    assert not failures, "\n".join(failures)


def test_session_and_csrf_cookies_are_not_readable_by_scripts(client, user):
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
