"""CSRF tokens masked with one read of the system's randomness (``core.csrf``): the same
tokens as Django's ``get_token``, with the same effect on the response, accepted by Django's
middleware."""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.template import engines
from django.test import Client, RequestFactory

from core import csrf
from tests.factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def _request(secret=None):
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_a_token_unmasks_to_the_secret_and_renews_the_cookie():
    request = _request(SECRET)
    token = csrf.masked_token(request)
    assert len(token) == 64
    assert set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # as get_token: sent again
    assert request.META["CSRF_COOKIE"] == SECRET


def test_each_token_has_a_mask_of_its_own():
    request = _request(SECRET)
    tokens = {csrf.masked_token(request) for _ in range(50)}
    assert len(tokens) == 50
    assert {_unmask_cipher_token(token) for token in tokens} == {SECRET}


def test_without_a_secret_a_new_one_is_made_and_its_cookie_set():
    request = _request()
    token = csrf.masked_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32
    assert set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _request().META.get("CSRF_COOKIE") is None
    other = _request()
    csrf.masked_token(other)
    assert other.META["CSRF_COOKIE"] != secret


def test_one_read_of_randomness_per_token(monkeypatch):
    reads = []
    real = csrf.os.urandom

    def counted(size):
        reads.append(size)
        return real(size)

    monkeypatch.setattr(csrf.os, "urandom", counted)
    for _ in range(200):
        csrf.masked_token(_request(SECRET))
    assert 200 <= len(reads) <= 204  # a second read only when a draw falls short


def test_bytes_that_would_bias_the_alphabet_are_drawn_again(monkeypatch):
    draws = iter([bytes([255, 248, 0, 61, 62, 247] * 6 + [250] * 4), bytes(range(40))])
    monkeypatch.setattr(csrf.os, "urandom", lambda size: next(draws))
    chars = csrf.random_chars()
    first = [CSRF_ALLOWED_CHARS[b % 62] for b in [0, 61, 62, 247] * 6]  # 24 usable bytes
    assert chars == "".join(first + [CSRF_ALLOWED_CHARS[b] for b in range(8)])


def test_every_character_is_drawn_about_equally_often():
    counts = Counter("".join(csrf.random_chars() for _ in range(2000)))  # 64,000 characters
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 64000 / 62
    assert all(abs(n - expected) < 0.2 * expected for n in counts.values())


@pytest.mark.django_db
def test_django_accepts_the_token_of_a_page(plan):
    """``{% csrf_token %}`` takes its token from ``core.csrf`` (the context processor), and
    Django's middleware accepts it, for a person and for an anonymous visitor."""
    for person in (UserFactory(), None):
        client = Client(enforce_csrf_checks=True)
        if person:
            client.force_login(person)
        page = client.get("/piano/asse-5/strategia-5-2/azione-5-2-1/")
        token = TOKEN.search(page.content.decode())[1]
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        assert _unmask_cipher_token(token) == secret
        sent = client.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert sent.status_code == 302
        refused = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        assert refused.status_code == 403


def test_the_templates_take_the_token_from_here(monkeypatch):
    monkeypatch.setattr(csrf, "mask", lambda secret: "M" * 64)
    request = _request(SECRET)
    html = engines["django"].from_string("{% csrf_token %}").render(request=request)
    assert TOKEN.search(html)[1] == "M" * 64
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_kept_answer_gets_each_requests_own_token():
    kept = f'<input name="csrfmiddlewaretoken" value="{csrf.TOKEN_MARK}">'
    first, second = _request(SECRET), _request(SECRET)
    tokens = [TOKEN.search(csrf.put_token(kept, r))[1] for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert {_unmask_cipher_token(t) for t in tokens} == {SECRET}
    assert first.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_an_answer_without_a_form_is_left_as_it_is():
    request = _request(SECRET)
    assert csrf.put_token("<p>Grazie</p>", request) == "<p>Grazie</p>"
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META  # no token used: no cookie sent again
