"""The API throttle counts clients by their address, not by a header they write themselves."""

import pytest
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


def _get(client, n: int, **headers):
    # A different query string each time: the answer is not served from the page cache.
    return client.get(f"/api/consultations/?page_size={n}", **headers).status_code


def test_a_new_forwarded_for_on_each_request_gets_no_new_allowance(client):
    codes = [
        _get(client, n, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        for n in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    # The client forges the left entries; the proxy appends the address it really saw.
    first = [
        _get(client, n, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.1", **proxy) for n in range(4)
    ]
    assert first == [200, 200, 200, 429]
    assert _get(client, 9, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy) == 200
