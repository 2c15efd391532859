"""Development settings: what ``manage.py`` and ``make run`` select.

The base settings with DEBUG on, a development-only SECRET_KEY and demo data allowed; every
service embedded unless its environment variable is set (see ``base.py``).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "SECRET_KEY", default="local-development-key-not-for-production-use-0123456789abcdef"
)
DEMO_DATA_ALLOWED = True
WHITENOISE_USE_FINDERS = True
# Hashed, compressed static files as in production (``make serve`` runs collectstatic first);
# WhiteNoise serves the hashed ones with a far-future, immutable cache and Brotli or gzip.
STORAGES["staticfiles"] = {"BACKEND": "config.storage.ForgivingCompressedManifestStorage"}  # noqa: F405
# Plain HTTP on 127.0.0.1: a SameSite=None cookie would need HTTPS (accounts/spid).
SAML_SESSION_COOKIE_SAMESITE = "Lax"
