"""Fixtures shared by the whole suite.

The territory (312 comuni) and the PSM page tree are loaded once into the test database;
tests run inside transactions, so they all see them. Tests that flush the database
(``transactional_db``, ``live_server``) ask for the ``plan`` fixture, which puts back the copy
of the database taken right after the load (``tests/snapshot.py``) when a flush removed it.
"""

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from psm.models import HomePage
from tests import snapshot
from tests.factories import UserFactory

_loaded: list[snapshot.Snapshot | None] = []


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def _load_reference_data():
    call_command("load_territory", verbosity=0, stdout=_Null())
    call_command("load_psm", verbosity=0, stdout=_Null())


class _Null:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference_data()
        _loaded.append(snapshot.take())


THROTTLE_CLOCK = 1_800_000_030.0  # 30 s into a bucket of every window length in use


def clear_own_cache_keys() -> None:
    """Empty this test process's cache. On Redis only our own key prefix is deleted:
    ``cache.clear()`` would FLUSHDB, wiping the counters of the other pytest-xdist worker
    (and of anyone else sharing the server) in the middle of their tests."""
    from django.core.cache import cache

    from core.kept import forget_everything_kept

    forget_everything_kept()
    redis_cache = getattr(cache, "_cache", None)
    if redis_cache is None or not hasattr(redis_cache, "get_client"):
        cache.clear()
        return
    client = redis_cache.get_client(None, write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    clear_own_cache_keys()
    yield
    clear_own_cache_keys()


@pytest.fixture(autouse=True)
def _italian_first():
    """Every test starts and ends in Italian. The test client runs requests in the test's thread,
    and a request to an ``/en/`` address leaves English active there afterwards: the next test
    would read English messages where it expects the Italian ones."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _steady_throttle_clock(monkeypatch):
    """The throttles' clock stands still in the middle of a bucket: a window that rolled over
    while a test counted up to its limit would let one more attempt through (the sliding window
    is an estimate across the boundary) and fail the count by one, now and then."""
    from core import ratelimit

    monkeypatch.setattr(ratelimit, "now", lambda: THROTTLE_CLOCK)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel-layer instance. pytest-asyncio gives every async test a new
    event loop, and channels_redis keeps asyncio locks per layer instance that bind to the loop
    that first waited on them: a layer shared across tests fails later with "is bound to a
    different event loop"."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def plan(db):
    """The PSM page tree and territory, reloaded if a flushing test removed them."""
    if not HomePage.objects.exists():
        if _loaded and _loaded[0] is not None:
            snapshot.restore(_loaded[0])
        else:
            _load_reference_data()
    return HomePage.objects.get(locale__language_code="it")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()
