"""What the tests of the quick path (``consultations.quick``) share: a request sent to a WSGI
application as a server sends it, the answer read back, a signed-in session, and comparisons of
a quick answer with the view's."""

from __future__ import annotations

import io
import re
import sys
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client

from accounts.sessions import SessionStore

CSRF = "a" * 32
#: The quick path runs on PostgreSQL only (its batch statements), and its writers have their own
#: connections, so the data must be committed: transactional tests.
QUICK_PATH_MARKS = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the quick path is on PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True),
]
TOKEN_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


class Counting:
    """Django's WSGI application, counting the requests it receives."""

    def __init__(self):
        self.inner = get_wsgi_application()
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            self.calls += 1
        return self.inner(environ, start_response)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str


def call(
    app,
    path,
    *,
    session=None,
    csrf=CSRF,
    header_csrf=None,
    hx=True,
    data=None,
    query="",
    method="POST",
    extra_cookies=None,
) -> Answer:
    body = urlencode(data or {}).encode()
    cookies = [f"{settings.CSRF_COOKIE_NAME}={csrf}"]
    if session:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    cookies.extend(f"{name}={value}" for name, value in (extra_cookies or {}).items())
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "HTTP_COOKIE": "; ".join(cookies),
        "HTTP_X_CSRFTOKEN": csrf if header_csrf is None else header_csrf,
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }
    if hx:
        environ["HTTP_HX_REQUEST"] = "true"
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = list(headers)

    chunks = app(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()  # Django's request_finished, as a server does
    return Answer(started["status"], started["headers"], content.decode())


def signed_in(person, *, cached=True) -> str:
    """A session key of ``person``; in the session cache unless ``cached`` is False."""
    client = Client()
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = SessionStore(key)
    if cached:
        store.load()
        assert caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key)
    else:
        caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key)
    return key


def normalised(answer: Answer):
    body = TOKEN.sub(r"\g<1>TOKEN\g<2>", answer.body)
    headers = sorted(
        (k.lower(), v) for k, v in answer.headers if k.lower() not in {"date", "set-cookie"}
    )
    return answer.status, headers, body


def assert_same_body(quick_answer: Answer, view_answer: Answer) -> None:
    quick_status, _headers, quick_body = normalised(quick_answer)
    view_status, _headers, view_body = normalised(view_answer)
    assert quick_body == view_body
    assert quick_status == view_status
    assert cookie_names(quick_answer) == cookie_names(view_answer)


def assert_same_headers(quick_answer: Answer, view_answer: Answer) -> None:
    assert dict(normalised(quick_answer)[1]) == dict(normalised(view_answer)[1])


def cookie_names(answer: Answer) -> set[str]:
    return {v.split("=", 1)[0].strip() for k, v in answer.headers if k.lower() == "set-cookie"}


def cookie_value(answer: Answer, name: str) -> str:
    for key, value in answer.headers:
        if key.lower() == "set-cookie" and value.split("=", 1)[0].strip() == name:
            return value.split("=", 1)[1].split(";", 1)[0]  # as a browser sends it back
    raise KeyError(name)
