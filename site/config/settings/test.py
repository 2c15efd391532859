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

# Every live event goes out at once: no coalescing timer thread outlives a test (the coalescer
# itself is tested with its own clock, tests/realtime/test_coalesce.py).
REALTIME_COALESCE_WINDOW = 0

# The test database is created, flushed and shared across threads (live_server) by the test
# runner: plain connections there. The pool is exercised by the drills and the benchmark, which
# run the bench settings against a real server (docs/performance.md).
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

# SPID and CIE: the service provider's test keys; the identity provider's metadata comes from
# the test identity provider (tests/identity_provider), which turns identity sign-in on.
SPID_SP_KEY_FILE = BASE_DIR / "tests" / "identity_provider" / "keys" / "sp.key"
SPID_SP_CERT_FILE = BASE_DIR / "tests" / "identity_provider" / "keys" / "sp.crt"
FISCAL_NUMBER_HMAC_KEY = "test-only-fiscal-number-key"
SPID_CONTACT_EMAIL = "spid@psm-giovani.invalid"
SPID_IPA_CODE = "cmto_test"
# Plain HTTP in the tests: a SameSite=None cookie needs HTTPS, and the test identity provider
# answers from the same site.
SAML_SESSION_COOKIE_SAMESITE = "Lax"
