"""Benchmark settings: the base settings as production would run them, on plain HTTP.

Used only by ``make bench`` and ``make drills`` (scripts/bench.py, scripts/drills/). DEBUG is
off, PostgreSQL connections come from the pool as in production, and two bench-only additions can be switched on:

- ``BENCH_BARE_VIEW=1`` mounts a bare Django view at ``/__bench/bare/`` (the "limit" row of the
  benchmark: the same server and middleware, no database, no template). It is never part of
  ``config.urls``: only this settings module selects ``config.bench`` as the URL conf.
- a middleware that answers ``X-Bench-Query-Count`` (SQL queries run for the request) when the
  request carries ``X-Bench-Count-Queries: 1``; load-generator requests don't, so they are not
  slowed down by the counting.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_DATA_ALLOWED = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-key-not-for-production-use-0123456789abcdef")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding 500 accounts
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# PostgreSQL through psycopg's connection pool, as production (base.py, DB_POOL): no new
# connection per request, and no pile-up of persistent per-thread connections either.

BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)
ROOT_URLCONF = "config.bench"
MIDDLEWARE = ["config.bench.QueryCountMiddleware", *MIDDLEWARE]

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")

# Tasks queued by a bench or drill server stay apart from any other worker on the same Redis.
CELERY_TASK_DEFAULT_QUEUE = env("BENCH_PREFIX", default="psm-bench")
