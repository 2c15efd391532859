"""Drill: security headers and a strict CSP on every page.

Every live page of the Wagtail tree and every public named view is fetched here, and so are
the pages only some people open (an applicant, a reviewer, a consultation's facilitator, a
workshop's facilitator); every other page any role can open is checked by the access drill
(tests/drills/test_access.py, every 2xx HTML answer of its GETs). Each answer must carry the
security headers and a Content-Security-Policy that allows no inline or eval'd script, and its
HTML must contain no inline script or ``style=""`` attribute (the CSP would block them,
breaking the page); the checks are in tests/drills/headers_checks.py. The Wagtail admin gets
exactly what the settings give it (its page editor has inline scripts; see the admin test
below and docs/reliability.md). ``check --deploy`` under production settings is covered by
tests/config/test_settings.py and run again by ``make drills``.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page

from consultations.services import facilitation_grant
from tests.drills.access_fixtures import drill_world_fixture  # noqa: F401 - the fixture
from tests.drills.headers_checks import (
    ADMIN_PREFIX,
    INLINE_SCRIPT,
    STYLE_ATTRIBUTE,
    admin_policy,
    connect_source_is_own,
    csp,
    header_failures,
    is_html,
)
from tests.factories import UserFactory

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
ROOT = Path(__file__).resolve().parents[2]


def _our_template_dirs() -> list[Path]:
    """The project's template folder and those of our own apps (not the installed ones)."""
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    # A library's templates found through DIRS (djangosaml2's, config.settings) are not ours.
    return [
        folder
        for folder in folders
        if folder.is_dir() and folder.is_relative_to(ROOT) and ".venv" not in folder.parts
    ]


def _public_urls(proposal) -> list[str]:
    pages = [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific()]
    return [*pages, proposal.get_absolute_url(), *(reverse(name) for name in PUBLIC_VIEWS)]


def _check(client, urls) -> list[str]:
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            failures.append(f"{url}: HTTP {response.status_code}")
            continue
        failures += header_failures(url, response)
    return failures


def test_every_public_page_has_security_headers_and_strict_csp(client, proposal):
    urls = _public_urls(proposal)
    assert len(urls) > 30  # the whole plan tree, the consultation, the proposal, the views
    failures = _check(client, urls)
    assert not failures, "\n".join(failures)


def _people_pages(world: dict) -> dict:
    """Pages that only their owners open, by the person who opens them."""
    application, review, workshop = world["application"], world["review"], world["workshop"]
    facilitator = UserFactory(is_staff=True)
    facilitation_grant(page=world["consultation"], user=facilitator)
    consultation_id = world["consultation"].pk
    return {
        application.applicant: [
            reverse("leadership:my_applications"),
            reverse("leadership:apply", args=[application.call_id]),
            reverse("notifications:list"),
            reverse("accounts:profile"),
        ],
        review.reviewer: [
            reverse("leadership:review_list"),
            reverse("leadership:review_detail", args=[review.pk]),
        ],
        workshop.facilitator: [
            reverse("live:console", args=[workshop.pk]),
            reverse("live:archive", args=[workshop.pk]),
            reverse("live:participate", args=[workshop.code]),
        ],
        facilitator: [
            reverse("moderation:queue", args=[consultation_id]),
            reverse("moderation:proposal", args=[consultation_id, world["proposal"].pk]),
            reverse("consultations:results", args=[consultation_id]),
            world["proposal"].get_absolute_url(),
        ],
    }


def test_pages_of_applicants_reviewers_and_facilitators_have_the_headers(client, drill_world):
    failures = []
    for person, urls in _people_pages(drill_world).items():
        client.force_login(person)
        failures += _check(client, urls)
    assert not failures, "\n".join(failures)


def test_wagtail_admin_gets_the_settings_policy_because_it_needs_inline_scripts(
    client, role_users, consultation
):
    """config/settings/base.py excludes /admin/ from the strict CSP (``EXCLUDE_URL_PREFIXES``):
    the admin's own templates have inline scripts (the page editor has about ten, the listings
    with filters one or two). The admin pages get exactly what the settings give them
    (``ADMIN_CONTENT_SECURITY_POLICY`` if defined, else no CSP header) and the other security
    headers. If Wagtail drops its inline code, this test fails: then give the admin the strict
    policy too."""
    assert settings.CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"] == [ADMIN_PREFIX]
    client.force_login(role_users["staff"])
    editor = f"{ADMIN_PREFIX}pages/{consultation.pk}/edit/"
    response = client.get(editor)
    assert response.status_code == 200
    assert is_html(response)
    assert header_failures(editor, response) == []
    assert response.headers.get("Content-Security-Policy") == admin_policy()
    assert INLINE_SCRIPT.search(response.content.decode())


def test_our_templates_have_no_inline_script_or_style_attribute():
    """Our own templates (the admin's moderation pages included) never rely on the admin's
    missing CSP: no inline ``<script>`` (JSON data scripts are fine), no ``style=""``."""
    templates = [path for folder in _our_template_dirs() for path in folder.rglob("*.html")]
    assert len(templates) > 80
    failures = []
    for path in templates:
        text = path.read_text()
        failures.extend(
            f"{path.relative_to(ROOT)}: {match.group(0)[:60]}"
            for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE)
            if (match := pattern.search(text))
        )
    assert not failures, "\n".join(failures)


def test_session_and_csrf_cookies_are_not_readable_by_scripts(client, user):
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    "source", ["ws:", "wss:", "https:", "*", "wss://*", "wss://evil.example", "data:"]
)
def test_connect_src_check_refuses_sockets_to_other_hosts(source):
    assert not connect_source_is_own(source)


def test_live_updates_may_connect_only_to_this_site(client, plan):
    connect_src = csp(client.get("/"))["connect-src"]
    assert "ws:" not in connect_src
    assert "wss:" not in connect_src
    assert all(connect_source_is_own(source) for source in connect_src)
