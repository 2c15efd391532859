"""The sliding-window throttle counter and the client network it keys on."""

import pytest
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.ratelimit import SlidingWindow, client_network


def test_counts_up_to_the_limit_then_refuses():
    window = SlidingWindow("test", limit=3, seconds=60)
    for _n in range(3):
        assert not window.exceeded("a")
        window.hit("a")
    assert window.exceeded("a")
    assert not window.exceeded("b")  # keys are counted apart
    window.clear("a")
    assert not window.exceeded("a")


def test_the_previous_bucket_fades_out(monkeypatch):
    window = SlidingWindow("fade", limit=10, seconds=100)
    monkeypatch.setattr(ratelimit, "now", lambda: 1000.0)  # start of a bucket
    for _n in range(10):
        window.hit("k")
    assert window.count("k") == 10
    monkeypatch.setattr(ratelimit, "now", lambda: 1150.0)  # half into the next one
    assert window.count("k") == pytest.approx(5)
    monkeypatch.setattr(ratelimit, "now", lambda: 1200.0)
    assert window.count("k") == 0


def test_cache_down_fails_open(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(ratelimit.cache, "get_many", broken)
    monkeypatch.setattr(ratelimit.cache, "add", broken)
    window = SlidingWindow("down", limit=1, seconds=60)
    window.hit("x")
    window.hit("x")
    assert not window.exceeded("x")


def test_client_network():
    factory = RequestFactory()
    assert client_network(factory.get("/", REMOTE_ADDR="192.0.2.7")) == "192.0.2.7"
    v6 = factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert client_network(v6) == "2001:db8:1:2::/64"  # one household, one key


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_client_network_with_too_few_forwarded_hops_uses_the_peer():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_network(request) == "192.0.2.8"
