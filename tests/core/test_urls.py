"""Redirects after an action go back only to this site."""

import pytest
from django.test import RequestFactory

from core.urls import next_from, safe_next


@pytest.fixture
def request_():
    return RequestFactory().get("/", HTTP_HOST="testserver")


@pytest.mark.parametrize(
    "target",
    ["/proposte/1/", "/consultazioni/?pagina=2", "http://testserver/profilo/"],
)
def test_local_targets_are_kept(request_, target):
    assert safe_next(request_, target, "/fallback/") == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "javascript:alert(1)",
        "http:///evil.example.com",
        "\\\\evil.example.com",
        "\\evil",
        "/\\evil.example.com",
        # Bare words and relative paths: redirect() would take "foo" for a URL pattern name
        # (a 500) and "foo/bar" resolves against whichever page posted the form.
        "foo",
        "foo.bar",
        "proposte/1/",
        "",
        None,
    ],
)
def test_other_sites_and_empty_targets_fall_back(request_, target):
    assert safe_next(request_, target, "/fallback/") == "/fallback/"


def test_https_page_does_not_send_back_to_http():
    request = RequestFactory().get("/", HTTP_HOST="testserver", secure=True)
    assert safe_next(request, "http://testserver/x/", "/f/") == "/f/"


def test_next_from_prefers_post_then_get():
    factory = RequestFactory()
    post = factory.post("/?next=/from-get/", {"next": "/from-post/"}, HTTP_HOST="testserver")
    assert next_from(post, "/f/") == "/from-post/"
    get = factory.get("/", {"next": "/from-get/"}, HTTP_HOST="testserver")
    assert next_from(get, "/f/") == "/from-get/"
    assert next_from(factory.get("/", HTTP_HOST="testserver"), "/f/") == "/f/"
