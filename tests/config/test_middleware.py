import pytest
from django.conf import settings


@pytest.mark.parametrize("query", ["?q=a%00b", "?comune=%00", "?%00=1"])
def test_nul_characters_in_parameters_are_a_clear_400(client, plan, query):
    response = client.get("/cerca/" + query)
    assert response.status_code == 400
    assert "caratteri non validi" in response.content.decode()


def test_nul_characters_in_form_fields_are_refused(client, plan):
    response = client.post("/account/login/", {"login": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 400


def test_ordinary_parameters_pass(client, plan):
    assert client.get("/cerca/?q=giovani").status_code == 200


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.django_db
def test_the_admin_has_a_policy_of_its_own_and_the_site_keeps_the_strict_one(client, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin = _directives(client.get("/admin/").headers["Content-Security-Policy"])
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's inline scripts
    assert "'unsafe-eval'" not in admin["script-src"]
    assert admin["object-src"] == ["'none'"]
    assert admin["frame-ancestors"] == ["'self'"]
    assert admin["form-action"] == ["'self'"]
    public = _directives(client.get("/").headers["Content-Security-Policy"])
    assert public["script-src"] == ["'self'"]
    assert public["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_no_gravatar_requests_from_the_admin(client, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "gravatar.com" not in client.get("/admin/").content.decode()


def test_the_keys_read_together_are_the_versions_and_a_well_formed_session(rf):
    """``RequestMemoMiddleware`` names the versions and the session's cache key; a cookie too
    short to be a session key adds nothing (the store would make up a key for it, which asks
    the database: this test has no database)."""
    from accounts.sessions import SessionStore
    from config.middleware import RequestMemoMiddleware
    from psm.page_cache import VERSION_KEYS

    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "short"
    assert RequestMemoMiddleware._read_together(request) == list(VERSION_KEYS)  # noqa: SLF001
    key = "k" * 32
    request.COOKIES[settings.SESSION_COOKIE_NAME] = key
    assert RequestMemoMiddleware._read_together(request) == [  # noqa: SLF001
        *VERSION_KEYS,
        SessionStore(key).cache_key,
    ]
