"""Settings for PSM Giovani, shared by every environment; never selected by itself.

Safe by default: DEBUG is off, there is no SECRET_KEY (``local.py`` and ``test.py`` set a
development key, ``production.py`` reads it from the environment) and demo data is refused.
Without ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` the services are embedded: SQLite,
in-memory channel layer, eager Celery tasks, local-memory cache and e-mail printed to the
console; the variables switch to the production services and ``production.py`` makes them
mandatory.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

# --------------------------------------------------------------------------- paths
SITE_DIR = Path(__file__).resolve().parents[2]  # site/
BASE_DIR = SITE_DIR.parent  # repository root
DATA_DIR = BASE_DIR / "data"

env = environ.Env()

# --------------------------------------------------------------------------- core
# No SECRET_KEY here: each settings module that builds on this one sets its own.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1

INSTALLED_APPS = [
    # platform shell (site/)
    "config",
    "accounts",
    "territory",
    "psm",
    # domain apps (repository root)
    "consultations",
    "proposals",
    "leadership",
    "notifications",  # site/notifications
    "workshops",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # third parties
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AdminContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "config.context_processors.platform",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --------------------------------------------------------------------------- database
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked" (votes arrive together).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------- Redis: cache, channels, Celery
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to "no cache" while Redis is down (pages keep working): config/cache.py.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="psm"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env("CHANNELS_PREFIX", default="psm"),
                # A projector's socket receives every vote of a busy room: the default
                # 100 queued messages per channel dropped events under the 1,000-client bench.
                "capacity": 1500,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1500}}
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TIMEZONE = "Europe/Rome"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a killed worker had taken comes back after the visibility timeout (Redis's default
# is one hour); retries wait at most 25 minutes (notifications.tasks), less than this, so a
# waiting retry is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "visibility_timeout": 1800}
CELERY_TASK_IGNORE_RESULT = True
# Periodic tasks, run by ``celery -A config beat``: each names a task an app defines in tasks.py.
CELERY_BEAT_SCHEDULE = {
    "platform-heartbeat": {
        "task": "config.tasks.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    # Followers hear about a consultation's new phase once (Phase.announced_at).
    "consultations-announce-phases": {
        "task": "consultations.tasks.announce_started_phases",
        "schedule": crontab(minute="*/10"),
    },
    # E-mails left pending (lost retry, worker restart) are queued again; never sent twice.
    "notifications-resend-stuck": {
        "task": "notifications.tasks.resend_stuck_deliveries",
        "schedule": crontab(minute="*/15"),
    },
    # Opt-in weekly digest of unread notifications, Monday morning (Europe/Rome).
    "notifications-weekly-digest": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),
    },
    "proposals-sweep-orphan-images": {
        "task": "proposals.tasks.sweep_orphan_images",
        "schedule": crontab(minute=40, hour=3),
    },
    "leadership-expire-offers": {
        "task": "leadership.tasks.expire_offers",
        "schedule": crontab(minute="*/15"),
    },
    "leadership-session-reminders": {
        "task": "leadership.tasks.send_session_reminders",
        "schedule": crontab(minute=0, hour="*"),
    },
}

# --------------------------------------------------------------------------- e-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that stops answering must not hold a worker process forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PSM Giovani <noreply@psm-giovani.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --------------------------------------------------------------------------- auth and accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
WAGTAILADMIN_LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PSM Giovani] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Someone signed in but without admin access who opens /admin/ is sent to the login page by
# Wagtail: show it (with Wagtail's message) instead of bouncing back to /admin/ forever.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth's defaults already rate-limit login, sign-up, password reset and confirmation
# e-mails; they are kept (ACCOUNT_RATE_LIMITS unset) and need a shared cache in production.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PSM Giovani"

# Minimum age to register: the Italian age of digital consent (art. 2-quinquies d.lgs. 196/2003).
ACCOUNT_MINIMUM_AGE = 14
PRIVACY_NOTICE_VERSION = "2026-11"

# --------------------------------------------------------------------------- i18n
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --------------------------------------------------------------------------- static and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files only the owner and staff may read (application documents): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --------------------------------------------------------------------------- Wagtail
WAGTAIL_SITE_NAME = "PSM Giovani"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "csv"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --------------------------------------------------------------------------- security
# The CSP allows no inline script anywhere on the public site. The Wagtail admin (staff only)
# relies on inline scripts and styles of its own, so it gets a separate, looser policy
# (ADMIN_CONTENT_SECURITY_POLICY, set by config.middleware.AdminContentSecurityPolicyMiddleware).
_CSP_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF, "ws:", "wss:"],
        "frame-ancestors": ["'none'"],
        "form-action": [_CSP_SELF],
        "base-uri": [_CSP_SELF],
        "object-src": ["'none'"],
    },
}
ADMIN_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        " ".join(["img-src 'self' data: blob:", *env.list("CSP_EXTRA_IMG_SRC", default=[])]),
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'self'",  # the page editor previews the page in a frame of its own
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# Wagtail shows editors' avatars from gravatar.com by default: that sends a hash of their
# e-mail to a third party on every admin page. Initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# --------------------------------------------------------------------------- REST API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_THROTTLE_RATE", default="120/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PSM Giovani — API pubblica",
    "DESCRIPTION": "Dati aperti, in sola lettura: consultazioni, proposte, risposte, risultati.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["config.api_schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.document_errors",
    ],
}

# --------------------------------------------------------------------------- platform
# Map tiles for proposal locations; empty means "no tiles" (the page still works).
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
DEMO_DATA_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
