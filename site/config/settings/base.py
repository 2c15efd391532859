"""Settings for PSM Giovani, shared by every environment; never selected by itself.

Safe by default: DEBUG is off, there is no SECRET_KEY (``local.py`` and ``test.py`` set a
development key, ``production.py`` reads it from the environment) and demo data is refused.
Without ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` the services are embedded: SQLite,
in-memory channel layer, eager Celery tasks, local-memory cache and e-mail printed to the
console; the variables switch to the production services and ``production.py`` makes them
mandatory.
"""

import datetime
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

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

# --------------------------------------------------------------------------- name and address
# What people read as the site's name (pages, e-mail subjects and greetings, the admin) and the
# address every link in an e-mail starts with. config.sites copies both into the
# django.contrib.sites row (allauth's e-mails read it) after every ``migrate``.
SITE_NAME = env("SITE_NAME", default="PSM Giovani")


def _default_base_url() -> str:
    """WAGTAILADMIN_BASE_URL (older deployments), else https:// and the first concrete host of
    ALLOWED_HOSTS when the environment sets it, else the development server."""
    if legacy := env("WAGTAILADMIN_BASE_URL", default=""):
        return legacy
    for host in env.list("ALLOWED_HOSTS", default=[]):
        host = host.lstrip(".")
        if host and host != "*":
            return f"https://{host}"
    return "http://127.0.0.1:8000"


BASE_URL = env("BASE_URL", default=_default_base_url()).rstrip("/")

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
    "conversations",
    "notifications",  # site/notifications
    "workshops",
    "accountability",
    "staffhome",
    "equity",  # participation across the territory (reads every domain app)
    "contests",  # after consultations: both declare subpages of the action page
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Content in both languages (docs/i18n.md): translation workflow, and the locales admin
    # with "synchronise from" (replaces wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
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
    # djangosaml2 is not an installed app: Django's template engine imports every installed
    # app's template tag modules when it starts, and djangosaml2's (``idplist``, which no
    # template uses) loads pysaml2's configuration, signature and schema modules, about
    # 35 MiB, into every web worker. Its templates are found through TEMPLATES' DIRS below;
    # its middleware, backend and views need no app entry (docs/performance.md, "Worker memory").
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
    # Cache versions read once per request (core/request_memo.py).
    "config.middleware.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A session of its own for the SAML exchange, whose cookie comes back on the identity
    # provider's cross-site POST (SameSite=None over HTTPS).
    "djangosaml2.middleware.SamlSessionMiddleware",
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

# djangosaml2's own templates (the POST-binding form, its error pages): see INSTALLED_APPS.
DJANGOSAML2_TEMPLATES = Path(find_spec("djangosaml2").origin).parent / "templates"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", DJANGOSAML2_TEMPLATES],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                # {% csrf_token %}: Django's token, masked with one read of os.urandom
                "core.csrf.csrf",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "config.context_processors.platform",
                "notifications.context_processors.unread_notifications",
            ],
            # Italian month names in lower case in every |date (core/dates.py).
            "builtins": ["core.dates"],
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
elif env.bool("DB_POOL", default=True):
    # psycopg's connection pool (Django >= 5.1, psycopg[pool]), one per worker process: a
    # request borrows an open connection and gives it back at its end, instead of a new
    # PostgreSQL connection (about 5 ms and a backend process) per request. Safe with threads
    # (ASGI, WSGI threads); CONN_MAX_AGE must stay 0 with a pool. docs/performance.md.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # With health checks Django has the pool check a connection before handing it out (one
    # round trip), so a PostgreSQL restart costs no failed request (the db_restart drill).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=8),
            "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
        }
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Supports and votes on statements sent with htmx through the quick path in front of Django,
# stored in batches (consultations/quick/); PostgreSQL only (its batch statements), on unless
# turned off.
QUICK_SUPPORT = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "QUICK_SUPPORT", default=True
)

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
            # Redis pub/sub: a group event is published once and each process hands it to its
            # own sockets, instead of one Redis message per socket written and read back
            # (RedisChannelLayer: about 4,000 round trips per event for 1,000 sockets, and its
            # connection pool ran dry when they all joined at once). Live events are best
            # effort: nothing is queued for a process that is not listening.
            # docs/performance.md, "Fan-out to 1,000 sockets".
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env("CHANNELS_PREFIX", default="psm")},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "realtime.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1500}}
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TIMEZONE = "Europe/Rome"

# A live workshop left running ends by itself this many hours after it started: its code stops
# working, its open activity closes (workshops/expiry.py).
LIVE_SESSION_MAX_HOURS = env.int("LIVE_SESSION_MAX_HOURS", default=12)
# Live updates in a burst (votes, workshop answers) are coalesced: at most one event per group
# per this many seconds, the last one carrying the state after the burst (realtime/coalesce.py).
REALTIME_COALESCE_WINDOW = env.float("REALTIME_COALESCE_WINDOW", default=0.1)
# Whole-page cache of Wagtail pages for anonymous visitors (site/psm/page_cache.py).
PSM_PAGE_CACHE = env.bool("PSM_PAGE_CACHE", default=True)
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
    # Opinion maps behind their votes (a lost debounced task, cache down) are recomputed.
    "conversations-recompute-stale": {
        "task": "conversations.tasks.recompute_stale_conversations",
        "schedule": crontab(minute="*/5"),
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
    # Reviewers with reviews still to send, the day before the call's review deadline (once).
    # Live workshops left running end by themselves (workshops/expiry.py).
    "workshops-end-overdue-sessions": {
        "task": "workshops.tasks.end_overdue_sessions",
        "schedule": crontab(minute="*/10"),
    },
    "leadership-review-reminders": {
        "task": "leadership.tasks.send_review_reminders",
        "schedule": crontab(minute=20, hour="*"),
    },
    # Contests: the submission phase and results to the teams, reminders to jurors (once each).
    "contests-notices": {
        "task": "contests.tasks.send_contest_notices",
        "schedule": crontab(minute="5-59/15"),
    },
    # Facilitators' daily digest of what waits (only when something does; once a day).
    "staffhome-facilitator-digests": {
        "task": "staffhome.tasks.send_facilitator_digests",
        "schedule": crontab(minute=30, hour=7),
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
    # Django's ModelBackend with each person's permissions cached (two queries fewer on every
    # signed-in page; accounts/backends.py).
    "accounts.backends.CachedModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # SPID and CIE: a validated SAML assertion signs the person in (accounts/spid).
    "accounts.spid.backend.IdentityBackend",
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
# Confirming the e-mail signs the person in, in the browser session that signed up (allauth
# checks it is the same pending sign-up), and goes on to the sign-up's `next` (the consultation).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Links in allauth's e-mails sent without a request (the host of the request otherwise).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(BASE_URL).scheme or "https"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Someone signed in but without admin access who opens /admin/ is sent to the login page by
# Wagtail: show it (with Wagtail's message) instead of bouncing back to /admin/ forever.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth's defaults rate-limit sign-up, password reset and confirmation e-mails; they need a
# shared cache in production. Failed logins: 10 a minute per client, and 5 in 5 minutes per
# client *and* account (the adapter adds the client to allauth's per-account key), so nobody
# can lock someone else out by typing wrong passwords from elsewhere. Clients are told apart
# by core.clients.client_ip (AccountAdapter.get_client_ip), see TRUSTED_PROXY_COUNT.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Minimum age to register: the Italian age of digital consent (art. 2-quinquies d.lgs. 196/2003).
ACCOUNT_MINIMUM_AGE = 14
PRIVACY_NOTICE_VERSION = "2026-11"

# --------------------------------------------------------------------------- SPID and CIE
# Sign-in with SPID (SAML2 profile) and CIE ID (SAML2), through djangosaml2 + pysaml2
# (site/accounts/spid, docs/identity.md). Off until the key, certificate, identity providers'
# metadata and fiscal-number hash key are all set.
SPID_SP_KEY_FILE = env("SPID_SP_KEY_FILE", default="")
SPID_SP_CERT_FILE = env("SPID_SP_CERT_FILE", default="")
# Local copies of the identity providers' metadata (SPID: AgID's registry; CIE: the Ministry's).
SPID_IDP_METADATA_FILES = env.list("SPID_IDP_METADATA_FILES", default=[])
CIE_IDP_METADATA_FILES = env.list("CIE_IDP_METADATA_FILES", default=[])
# The service provider's entity ID as registered with AgID (default: the metadata's URL).
SPID_ENTITY_ID = env("SPID_ENTITY_ID", default="")
SPID_LEVEL = env.int("SPID_LEVEL", default=2)
SPID_ACCEPTED_TIME_DIFF = env.int("SPID_ACCEPTED_TIME_DIFF", default=60)
SPID_ORGANIZATION_NAME = env("SPID_ORGANIZATION_NAME", default="Città metropolitana di Torino")
SPID_CONTACT_EMAIL = env("SPID_CONTACT_EMAIL", default="")
# The administration's code in the IPA index (SPID metadata, ContactPerson extensions).
SPID_IPA_CODE = env("SPID_IPA_CODE", default="")
# Logos in the "Entra con SPID" menu, as JSON {"<IdP entity ID>": "<image URL>"}, for the logos
# the administration may show; otherwise the provider's mdui:Logo, otherwise its name alone.
SPID_IDP_LOGOS = env.json("SPID_IDP_LOGOS", default={})
# The fiscal number is kept only as HMAC-SHA256 under this key: changing it unlinks every
# identity (docs/identity.md).
FISCAL_NUMBER_HMAC_KEY = env("FISCAL_NUMBER_HMAC_KEY", default="")
SAML_CONFIG_LOADER = "accounts.spid.config.sp_config"
SAML_SESSION_COOKIE_NAME = "psm_saml"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_CREATE_UNKNOWN_USER = True

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
WAGTAIL_SITE_NAME = SITE_NAME

# Open data (proposals.open_data): who publishes the results and answers questions about them;
# the IPA code (indicepa.gov.it) makes the catalogue's identifiers those of DCAT-AP_IT.
OPEN_DATA_PUBLISHER = env("OPEN_DATA_PUBLISHER", default="Città metropolitana di Torino")
OPEN_DATA_PUBLISHER_IPA = env("OPEN_DATA_PUBLISHER_IPA", default="")
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL", default="")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Pages in Italian and English (wagtail-localize, docs/i18n.md): Italian at today's URLs,
# English under /en/ (config.urls' i18n_patterns, prefix_default_language=False).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "csv"]

# The accessibility declaration's "last check" (docs/accessibility.md): the day the browser
# tests (axe-core, keyboard, 360 px) last passed on a release; updated with the release.
ACCESSIBILITY_LAST_CHECK = datetime.date(2026, 11, 29)

# Plain language (docs/plain-language.md): the Gulpease score each text young people read must
# reach before publishing without a confirmation. 60 = easy with middle-school education; 80 =
# easy with primary schooling, for what is addressed to minors (the privacy notice).
PLAIN_LANGUAGE = {
    "DEFAULT_THRESHOLD": 60,
    "THRESHOLDS": {"answer": 60, "email": 60},
    "TEMPLATES": [
        {
            "label": _("Informativa sulla privacy"),
            "template": "pages/privacy.html",
            "threshold": 80,
        },
        {
            "label": _("E-mail: ricevuta della candidatura"),
            "template": "leadership/email/receipt.txt",
        },
        {"label": _("E-mail: esito della candidatura"), "template": "leadership/email/outcome.txt"},
        {"label": _("E-mail: promemoria del bando"), "template": "leadership/email/reminder.txt"},
    ],
}
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --------------------------------------------------------------------------- security
# The CSP allows no inline script anywhere on the public site. The Wagtail admin (staff only)
# relies on inline scripts and styles of its own, so it gets a separate, looser policy
# (ADMIN_CONTENT_SECURITY_POLICY, set by config.middleware.AdminContentSecurityPolicyMiddleware).
_CSP_SELF = "'self'"


def _own_websocket_origin(base_url: str) -> list[str]:
    """The site's own WebSocket origin (``wss://host`` for an https site), spelled out for
    browsers whose ``'self'`` does not yet cover ws:/wss: (CSP Level 3 says it does). Never a
    bare ``ws:``/``wss:``: that would let a script open a socket to any host."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    return [f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"]


CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF, *_own_websocket_origin(WAGTAILADMIN_BASE_URL)],
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
# How many reverse proxies of ours stand in front of the application (nginx: 1). Rate limits
# then key on the address the outermost one saw (core.clients.client_ip); 0, the default,
# trusts no X-Forwarded-For and uses the connection's address. Never more than the real count:
# the client writes the entries further left.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are stored in the database and read through the cache (one query fewer on every
# signed-in request; a session the cache lost is read from the database). Deleting one goes
# through the session store, which drops both (accounts.personal_data). The cached copy lives
# SESSION_CACHE_SECONDS at most, so a sign-out that could not reach Redis holds after that
# (accounts.sessions).
SESSION_ENGINE = "accounts.sessions"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=60)

# --------------------------------------------------------------------------- REST API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["proposals.api.throttles.ClientRateThrottle"],
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
        "pikepdf": {"level": "WARNING"},  # its start-up line on every process
        "xmlschema": {"level": "WARNING"},  # pysaml2 loads its schemas on every process
        "saml2": {"level": "WARNING"},  # pysaml2 logs whole SAML messages at INFO
    },
}
