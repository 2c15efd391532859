"""The client address every rate limit keys on."""

import pytest
from django.test import RequestFactory

from core.clients import UNKNOWN, client_ip


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_by_default_no_forwarded_header_is_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the left entry is the client's own
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "198.51.100.9:5555", "198.51.100.9"),
        (2, "198.51.100.9", "203.0.113.7"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "203.0.113.7"),
        (1, "", "203.0.113.7"),
    ],
)
def test_behind_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_a_missing_peer_address_is_one_shared_bucket(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(remote="")) == UNKNOWN
