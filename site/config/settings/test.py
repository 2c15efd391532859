"""Test settings: the base settings (DEBUG off), a test-only key, fast hashing, mail kept in
memory."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key-not-for-production-use-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/psm-giovani-test-media")
PRIVATE_MEDIA_ROOT = env.path("TEST_PRIVATE_MEDIA_ROOT", default="/tmp/psm-giovani-test-private")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEBUG = False

# Parallel workers (pytest-xdist) and parallel CI runs must not share cache or channel keys.
_WORKER = env("PYTEST_XDIST_WORKER", default="main")
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"{CACHES['default']['KEY_PREFIX']}-test-{_WORKER}"
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = (
        f"{CHANNEL_LAYERS['default']['CONFIG']['prefix']}-test-{_WORKER}"
    )

# No Celery worker runs during the tests: tasks run in the test process, with Redis or without
# (the broker itself is exercised by the drills and the multi-process tests).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
