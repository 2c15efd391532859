"""Each test gets its own local-memory cache: rate-limit counters never leak between tests,
and nothing here ever flushes a shared Redis (``cache.clear()`` on Redis empties the whole
database other processes use)."""

import uuid

import pytest


@pytest.fixture(autouse=True)
def private_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"proposals-test-{uuid.uuid4().hex}",
        }
    }
