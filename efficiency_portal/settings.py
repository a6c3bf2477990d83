"""The one settings module. Every knob comes from the environment.

Required: DATABASE_URL, REDIS_URL, and SECRET_KEY unless DEBUG is on.
`make run` / `make test` set the two URLs for embedded servers when unset.
"""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from efficiency_portal.env import env_bool, env_int, env_list, env_str, env_url
from efficiency_portal.logging import JSON_FORMATTER, MASK_FILTER

BASE_DIR = Path(__file__).resolve().parent.parent

# Development conveniences (debug pages, a fixed secret); off unless asked for.
DEBUG = env_bool("DEBUG", False)
# Signs sessions and tokens; required when DEBUG is off.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-secret-key-0123456789" if DEBUG else None)
# Host names this site answers to (comma-separated).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
# Origins trusted for CSRF on HTTPS deployments (comma-separated, with scheme).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Public base URL used in QR codes, SMS and e-mail links.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "efficiency_portal",
    "common",
    "organizations",
    "timelimits",
    "complaints",
    # Reads every app above (their indicators.py); nothing imports it. Keep it last.
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "efficiency_portal.logging.RequestLogMiddleware",
    # NUL, lone surrogates and impossible dates in the path or query refused (400), in
    # each surface's format, before a view queries with them (efficiency_portal.input_guard).
    "efficiency_portal.input_guard.BadInputMiddleware",
    # Report pages (DATABASE_REPLICA_PATHS) read from the replica when one is configured.
    "supervision.db_router.ReplicaReadsMiddleware",
    # Axes must be last: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "efficiency_portal.urls"
WSGI_APPLICATION = "efficiency_portal.wsgi.application"
ASGI_APPLICATION = "efficiency_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "efficiency_portal.branding.context",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# PostgreSQL only (the sweep relies on SKIP LOCKED, search on pg_trgm).
DATABASES = {
    "default": dj_database_url.parse(
        env_url(
            "DATABASE_URL",
            schemes=("postgres", "postgresql"),
            example="postgres://user@127.0.0.1:5432/portal",
        ),
        engine="django.db.backends.postgresql",
    )
}
# Django's psycopg 3 connection pool; DB_POOL=false falls back to one connection per request.
if env_bool("DB_POOL", True):
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": env_int("DB_POOL_MAX", 10, minimum=1, maximum=200),
            "timeout": 10,
        }
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0, minimum=0)
# Optional PostgreSQL replica: the dashboard, public statistics and open data read from it
# (supervision.db_router); writes never. Unset: everything uses the primary.
_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        env_url(
            "DATABASE_REPLICA_URL",
            schemes=("postgres", "postgresql"),
            example="postgres://reader@replica:5432/portal",
        ),
        engine="django.db.backends.postgresql",
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["supervision.db_router.ReplicaRouter"]
# GET requests under these paths are reports: their reads go to the replica when configured.
DATABASE_REPLICA_PATHS = [
    "/dashboard/",
    "/open-data/",
    "/bulletins/",
    "/complaints/statistics/",
    "/api/v1/complaint-stats/",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker, beat heartbeat -----------------------------
REDIS_URL = env_url(
    "REDIS_URL", schemes=("redis", "rediss", "unix"), example="redis://127.0.0.1:6379/0"
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
    }
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = (
    None  # results are written to the database by services, never read back from Celery
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for the next one
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
# django-celery-beat's DatabaseScheduler plus every app's schedules.py (efficiency_portal/beat.py).
CELERY_BEAT_SCHEDULER = "efficiency_portal.beat:Scheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Worker and beat log through LOGGING below (JSON lines) instead of Celery's text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic work: the heartbeat in efficiency_portal/schedule.py, each app's in <app>/schedules.py.
from efficiency_portal.schedule import beat_schedule  # noqa: E402

# Seconds between beat heartbeats; /healthz reports beat stale after three missed beats.
BEAT_HEARTBEAT_SECONDS = env_int("BEAT_HEARTBEAT_SECONDS", 60, minimum=5, maximum=3600)
# Seconds between two runs of the deadline sweep (timelimits; Celery beat).
TIMELIMITS_SWEEP_SECONDS = env_int("TIMELIMITS_SWEEP_SECONDS", 60, minimum=5, maximum=3600)
# Seconds between two refreshes of the dashboard's rollup (supervision; Celery beat).
SUPERVISION_ROLLUP_SECONDS = env_int("SUPERVISION_ROLLUP_SECONDS", 60, minimum=5, maximum=86400)
# Seconds after the last successful rollup refresh when /healthz reports it stale (degraded,
# still 200); by default ten refresh intervals, at least ten minutes (a refresh after a bulk
# load takes minutes).
SUPERVISION_ROLLUP_STALE_SECONDS = env_int(
    "SUPERVISION_ROLLUP_STALE_SECONDS",
    max(600, 10 * SUPERVISION_ROLLUP_SECONDS),
    minimum=60,
    maximum=7 * 86400,
)
CELERY_BEAT_SCHEDULE = beat_schedule(heartbeat_seconds=BEAT_HEARTBEAT_SECONDS)

# --- Auth and passwords -----------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Admin login throttling (django-axes): lock a username+IP after this many failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
# Hours a lock-out lasts.
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same client address as the public pages' throttles: behind BEHIND_PROXY the last
# X-Forwarded-For hop, so one person's failures lock only that person's address.
AXES_CLIENT_IP_CALLABLE = "efficiency_portal.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- I18N: Chinese first, English complete ------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The product's name on every page, document and message (efficiency_portal.branding);
# empty: the translatable default 机关效能建设服务平台 (Government Efficiency Portal).
PRODUCT_NAME = env_str("PRODUCT_NAME", "")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "var/static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_ROOT", "var/media")
# Hashed, compressed static files (needs `collectstatic`); off in development and tests.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    # Local files in development; S3-compatible storage in production (STORAGE_BACKEND=s3).
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if env_str("STORAGE_BACKEND", "local") == "s3"
        else "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- Security ---------------------------------------------------------------
# HTTPS-only cookies and HSTS; off for plain-http local runs (SECURE_COOKIES=false).
_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language switch's cookie gets the same treatment as the session cookie.
LANGUAGE_COOKIE_SECURE = _SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Load-balancer probes may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Seconds of HSTS sent when behind HTTPS (0 disables).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content Security Policy: everything is served from this origin (no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [SELF, NONCE],  # inline scripts only with the per-request nonce
        "style-src": ["'self'", "'unsafe-inline'"],  # Django admin ships inline styles
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "efficiency_portal.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    # Bodies nested too deep, and NUL or lone surrogates in them, are refused (a 400).
    "DEFAULT_PARSER_CLASSES": [
        "efficiency_portal.parsers.JSONParser",
        "efficiency_portal.parsers.FormParser",
        "efficiency_portal.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "efficiency_portal.errors.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    # The version of unversioned URLs, and what `manage.py spectacular` documents by default.
    "DEFAULT_VERSION": "v1",
}
# Most rows one API page may hold (?limit=…); a larger limit is lowered to it.
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500, minimum=1, maximum=10000)
# Deepest nesting of a JSON body (API and Open311); deeper bodies are refused with a 400.
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 64, minimum=2, maximum=500)
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PRODUCT_NAME or 'Government Efficiency Portal'} API",
    "DESCRIPTION": "机关效能建设 portal: complaints, ratings, statistics.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
}

# --- Notifications ----------------------------------------------------------
# Outgoing e-mail; the default writes each message to the log (masked) instead of sending it.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "efficiency_portal.logging.ConsoleEmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@efficiency-portal.local")
# SMTP server for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (host, port, login, TLS).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before an SMTP connection attempt gives up (the delivery task retries).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1, maximum=300)

# --- Logging: one JSON object a line ------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # ISO 8601 UTC "time", level, logger, message and every `extra=` field.
        "json": JSON_FORMATTER,
    },
    "filters": {
        # Masks phone numbers, ID numbers and query codes in every line (a safety net).
        "personal_data": MASK_FILTER,
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        "axes": {"level": "WARNING"},  # keeps lock-outs, drops a banner on every command
    },
}
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)

# --- Deadline engine (timelimits) ---------------------------------------------
# Office closing time "HH:MM": a deadline of N working days ends at this time on the N-th day.
TIMELIMITS_OFFICE_CLOSES_AT = env_str("TIMELIMITS_OFFICE_CLOSES_AT", "17:30")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", TIMELIMITS_OFFICE_CLOSES_AT):
    raise ImproperlyConfigured(
        f"TIMELIMITS_OFFICE_CLOSES_AT={TIMELIMITS_OFFICE_CLOSES_AT!r} is not a time: use HH:MM."
    )
# Deadlines changed per sweep transaction; each batch commits on its own.
TIMELIMITS_SWEEP_BATCH = env_int("TIMELIMITS_SWEEP_BATCH", 5000, minimum=1, maximum=100000)
# Pluggable SMS backend (dotted path); the default prints to the console.
TIMELIMITS_SMS_BACKEND = env_str("TIMELIMITS_SMS_BACKEND", "timelimits.backends.ConsoleSmsBackend")
# Delivery attempts of one outbox row before it is marked failed.
TIMELIMITS_DELIVERY_MAX_ATTEMPTS = env_int("TIMELIMITS_DELIVERY_MAX_ATTEMPTS", 5, minimum=1)

# --- Complaints (效能投诉) ------------------------------------------------------
# Prefix of tracking numbers (XN-2026-000123-7); letters only.
COMPLAINTS_TRACKING_PREFIX = env_str("COMPLAINTS_TRACKING_PREFIX", "XN")
# Private directory for attachments (and, in stash/, intake uploads kept for a retry): no URL.
COMPLAINTS_FILES_ROOT = BASE_DIR / env_str("COMPLAINTS_FILES_ROOT", "var/private")
# Largest attachment accepted, in bytes (default 10 MB).
COMPLAINTS_ATTACHMENT_MAX_BYTES = env_int(
    "COMPLAINTS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024, maximum=200 * 1024 * 1024
)
# Most attachments per complaint.
COMPLAINTS_ATTACHMENT_MAX_COUNT = env_int("COMPLAINTS_ATTACHMENT_MAX_COUNT", 10, minimum=1)
# Attachment types accepted, by the MIME type sniffed from the bytes (images, PDF, Office).
COMPLAINTS_ALLOWED_TYPES = env_list(
    "COMPLAINTS_ALLOWED_TYPES",
    [
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/heic",
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ],
)
# Agency code of the complaint centre (投诉中心 / 效能办) whose clocks cover intake and registration.
COMPLAINTS_OFFICE_AGENCY_CODE = env_str("COMPLAINTS_OFFICE_AGENCY_CODE", "P-XNB")
# How many demo complaints `seed_demo` files (tests use a handful).
COMPLAINTS_DEMO_CASES = env_int("COMPLAINTS_DEMO_CASES", 300, minimum=0, maximum=100000)

# --- Open311 GeoReport v2 (complaints.integrations.open311) -----------------------------------
# This endpoint's jurisdiction_id; a request naming another jurisdiction is a 404.
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "efficiency-portal.local")
# Contact shown in the Open311 discovery document (who runs this endpoint).
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "效能投诉中心 (complaint centre), tel. 12345")

# --- Complaints: citizen and public pages (complaints.pages) ------------------
# Length of one throttling window of the public complaint pages, in seconds (default 1 hour).
COMPLAINTS_THROTTLE_WINDOW_SECONDS = env_int(
    "COMPLAINTS_THROTTLE_WINDOW_SECONDS", 3600, minimum=1, maximum=86400
)
# Intake form posts one client may make per window (default 20).
COMPLAINTS_INTAKE_LIMIT = env_int("COMPLAINTS_INTAKE_LIMIT", 20, minimum=1)
# Wrong number/code entries one client may make on the follow page per window (default 10).
COMPLAINTS_FOLLOW_LIMIT = env_int("COMPLAINTS_FOLLOW_LIMIT", 10, minimum=1)
# Seconds intake uploads are kept on disk for the next try after a form error (default 1 h).
COMPLAINTS_STASH_SECONDS = env_int("COMPLAINTS_STASH_SECONDS", 3600, minimum=60, maximum=86400)
# Bytes of kept uploads one client address may hold (default one complaint's: count × size).
COMPLAINTS_STASH_CLIENT_MAX_BYTES = env_int(
    "COMPLAINTS_STASH_CLIENT_MAX_BYTES",
    COMPLAINTS_ATTACHMENT_MAX_COUNT * COMPLAINTS_ATTACHMENT_MAX_BYTES,
    minimum=1024,
)
# Bytes of kept uploads all clients may hold; the oldest stash is cleared first (default 2 GiB).
COMPLAINTS_STASH_TOTAL_MAX_BYTES = env_int(
    "COMPLAINTS_STASH_TOTAL_MAX_BYTES", 2 * 1024**3, minimum=1024
)
# Stashes of kept uploads all clients may hold; the oldest is cleared first (default 2000).
COMPLAINTS_STASH_TOTAL_MAX_COUNT = env_int("COMPLAINTS_STASH_TOTAL_MAX_COUNT", 2000, minimum=1)
# 补充材料 posts one client may make on the follow page per window (default 10).
COMPLAINTS_SUPPLEMENT_LIMIT = env_int("COMPLAINTS_SUPPLEMENT_LIMIT", 10, minimum=1)
# Real-name filers prove their mobile number with an SMS code before filing (default off).
COMPLAINTS_SMS_VERIFY = env_bool("COMPLAINTS_SMS_VERIFY", False)
# Seconds an SMS verification code stays valid (default 5 minutes).
COMPLAINTS_SMS_CODE_SECONDS = env_int("COMPLAINTS_SMS_CODE_SECONDS", 300, minimum=60, maximum=3600)
# Wrong entries of one SMS code before it is burnt (default 5).
COMPLAINTS_SMS_CODE_ATTEMPTS = env_int("COMPLAINTS_SMS_CODE_ATTEMPTS", 5, minimum=1, maximum=20)
# Seconds before another SMS code may be sent to the same number (default 60).
COMPLAINTS_SMS_RESEND_SECONDS = env_int(
    "COMPLAINTS_SMS_RESEND_SECONDS", 60, minimum=10, maximum=3600
)
# SMS codes one number may receive per throttling window, whoever asks (default 5).
COMPLAINTS_SMS_PHONE_LIMIT = env_int("COMPLAINTS_SMS_PHONE_LIMIT", 5, minimum=1)
# Months of the statistics rollup recomputed by each periodic refresh (default 3).
COMPLAINTS_STATS_REFRESH_MONTHS = env_int(
    "COMPLAINTS_STATS_REFRESH_MONTHS", 3, minimum=1, maximum=120
)
