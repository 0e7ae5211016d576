"""Settings for Newsroom, read from the environment.

Local defaults need no services: SQLite, tasks run in-process, email to the
console. Production differs only by environment variables (see the README's
configuration table); with DEBUG off nothing secret has a default.
"""

import datetime
import os
from email.utils import parseaddr
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from newsroom.environment import (
    database_config,
    env_bool,
    env_int,
    env_list,
    next_redis_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ

DEBUG = env_bool(ENV, "DEBUG", default=True)

SECRET_KEY = ENV.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list(
    ENV, "ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "outbox",
    "pictures",
    "articles",
    "audit",
    "factcheck",
    "desk",
    "reader",
    "operations",
    "ninja",
    "api",
    "ingest",
    "webhooks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsroom.hygiene.ControlCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "desk.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "desk.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL in production and CI.
DATABASES = {
    "default": database_config(
        ENV.get("DATABASE_URL"),
        base_dir=BASE_DIR,
        pool=env_bool(ENV, "DATABASE_POOL", default=False),
        timeouts={
            "connect": env_int(ENV, "DATABASE_CONNECT_TIMEOUT", 5),
            "lock": env_int(ENV, "DATABASE_LOCK_TIMEOUT_MS", 5_000),
            "statement": env_int(ENV, "DATABASE_STATEMENT_TIMEOUT_MS", 30_000),
        },
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = ENV.get("REDIS_URL", "")

# The cache lives in its own Redis database (by default the broker's URL with
# the next database number), so that its pages never crowd out the task
# queues; see the README for the memory policy to give it.
CACHE_REDIS_URL = ENV.get("CACHE_REDIS_URL") or next_redis_database(REDIS_URL)
# Seconds to connect to, or hear from, the cache's Redis before going without.
CACHE_REDIS_TIMEOUT = float(ENV.get("CACHE_REDIS_TIMEOUT", "0.5"))
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": ENV.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": CACHE_REDIS_TIMEOUT,
                "socket_timeout": CACHE_REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = ENV.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True  # Stored in UTC; shown in TIME_ZONE.

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded pictures and their renditions (README "Pictures"): local files by
# default, or any S3-compatible bucket through django-storages.
MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = ENV.get("MEDIA_URL", "/media/")
# Django itself serves MEDIA_ROOT at MEDIA_URL (the demo, tests, browser
# checks); in production the web server or the bucket does.
SERVE_MEDIA = env_bool(ENV, "SERVE_MEDIA", default=DEBUG)
_MEDIA_S3_BUCKET = ENV.get("MEDIA_S3_BUCKET", "")
_MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _MEDIA_S3_BUCKET,
            "endpoint_url": ENV.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": ENV.get("MEDIA_S3_REGION") or None,
            "custom_domain": ENV.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    if _MEDIA_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
PICTURE_MAX_BYTES = env_int(ENV, "PICTURE_MAX_BYTES", 20 * 1024 * 1024)
PICTURE_MAX_PIXELS = env_int(ENV, "PICTURE_MAX_PIXELS", 40_000_000)
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {
        # Hashed, compressed files need collectstatic; DEBUG serves from the source.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. HTTPS settings follow DEBUG unless set explicitly (e.g. behind a proxy).
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool(ENV, "SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool(ENV, "CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int(ENV, "SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD", True)
if env_bool(ENV, "SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: our templates load static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Email: console locally, SMTP when EMAIL_HOST is set.
EMAIL_HOST = ENV.get("EMAIL_HOST", "")
EMAIL_BACKEND = ENV.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int(ENV, "EMAIL_PORT", 587)
EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool(ENV, "EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
# A mail server that does not answer must not hold a worker (or, in-process, a
# request) for ever; the outbox sends the email again later.
EMAIL_TIMEOUT = env_int(ENV, "EMAIL_TIMEOUT", 10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without a broker, tasks run in-process at once and raise their errors,
# so the demo and the plain test run need no services.
CELERY_BROKER_URL = ENV.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = ENV.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = (
    1  # With late acks, prefetching hides tasks from idle workers.
)
CELERY_TASK_SOFT_TIME_LIMIT = env_int(ENV, "CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int(ENV, "CELERY_TASK_TIME_LIMIT", 180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request hands its jobs to the broker after commit: a broker that is down or
# stalled must cost it a second, not a socket's default timeout (the outbox
# sends the job again later).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Lost work is re-sent by the outbox sweep after OUTBOX_RESEND_SECONDS; Redis
# also redelivers a task whose worker died unacknowledged once the visibility
# timeout has passed. It must exceed the longest wait of a task held by a worker
# (a retry's back-off, at most 300 s, plus CELERY_TASK_TIME_LIMIT), or Redis
# would hand out a task that is still waiting or running. Workers look for such
# tasks every tenth of it.
CELERY_VISIBILITY_TIMEOUT = env_int(ENV, "CELERY_VISIBILITY_TIMEOUT", 900)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(60, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    # A broker that accepts connections and answers nothing (stalled, or behind
    # a proxy whose Redis is gone) must not hold a request for the length of
    # the stall (found by make chaos). Longer than the workers' 1 s BRPOP.
    "socket_timeout": 3,
}
# The outbox (outbox.services): how often beat sends overdue jobs again, how
# long a sent job may take before it counts as lost, how many sends before it is
# given up (and shown on the desk and in the admin).
OUTBOX_SWEEP_SECONDS = env_int(ENV, "OUTBOX_SWEEP_SECONDS", 30)
OUTBOX_RESEND_SECONDS = env_int(ENV, "OUTBOX_RESEND_SECONDS", 300)
OUTBOX_MAX_ATTEMPTS = env_int(ENV, "OUTBOX_MAX_ATTEMPTS", 12)
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = ENV.get("CELERY_QUEUE", "newsroom")
PUBLISH_SWEEP_SECONDS = env_int(ENV, "PUBLISH_SWEEP_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "send-due-jobs": {
        "task": "outbox.tasks.send_due_jobs_task",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
    },
    # Each run sweeps everything due, so a missed run is caught up by the next.
    "publish-due-articles": {
        "task": "desk.tasks.publish_due_articles_task",
        "schedule": float(PUBLISH_SWEEP_SECONDS),
    },
    "remind-waiting-claims": {
        "task": "desk.tasks.remind_waiting_claims_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "recheck-evidence-links": {
        "task": "factcheck.tasks.recheck_evidence_links_task",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Evidence links are checked in the background when added, and again once
# they are this many days old (factcheck.links).
EVIDENCE_LINK_CHECKS = env_bool(ENV, "EVIDENCE_LINK_CHECKS", default=True)
EVIDENCE_LINK_RECHECK_DAYS = env_int(ENV, "EVIDENCE_LINK_RECHECK_DAYS", 7)
# Let the check reach private addresses (an intranet source; tests). Off: links
# typed by staff must not make our workers probe the internal network.
EVIDENCE_LINK_CHECK_PRIVATE = env_bool(
    ENV, "EVIDENCE_LINK_CHECK_PRIVATE", default=False
)

# Backups (operations.backups): where manage.py backup_database writes them.
BACKUP_DIR = Path(ENV.get("BACKUP_DIR") or BASE_DIR / "var" / "backups")

# Errors reach the operators: always in the log (stderr), by email to ADMINS
# ("Name <address>, ...") when set, and to Sentry when SENTRY_DSN is set and
# sentry-sdk is installed (pip install ".[sentry]").
ADMINS = [parseaddr(item) for item in env_list(ENV, "ADMINS", [])]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Unhandled errors in requests, and work the outbox gave up on.
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR"},
        "outbox": {"handlers": ["mail_admins"], "level": "ERROR"},
    },
}
SENTRY_DSN = ENV.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False)

NEWSROOM_NAME = ENV.get("NEWSROOM_NAME", "Newsroom")
# Whole-page cache for anonymous readers (0 turns it off); dropped on publication.
# Off by default without Redis: a per-process memory cache could not be dropped
# in the other workers when a story is published.
PAGE_CACHE_SECONDS = env_int(ENV, "PAGE_CACHE_SECONDS", 600 if CACHE_REDIS_URL else 0)
# Each worker reads the page cache's public version at most this often, so a
# change reaches its cached pages within this many seconds (0: on every request,
# a Redis round trip that costs as much as serving the page from memory).
PAGE_CACHE_VERSION_CHECK_SECONDS = env_int(ENV, "PAGE_CACHE_VERSION_CHECK_SECONDS", 1)
# Each worker also keeps the pages it serves in memory, bounded by both.
PAGE_CACHE_LOCAL_ENTRIES = env_int(ENV, "PAGE_CACHE_LOCAL_ENTRIES", 1000)
PAGE_CACHE_LOCAL_BYTES = env_int(ENV, "PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# Absolute links in emails and feeds.
SITE_URL = ENV.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Stored article-page renders (reader.renders) are rebuilt at least this often,
# whatever happens; 0 builds every page live and stores nothing.
STORY_RENDER_MAX_AGE = env_int(ENV, "STORY_RENDER_MAX_AGE", 600)

# Proxies in front of the app that append to X-Forwarded-For (newsroom/proxies.py):
# the client's address for lockouts and rate limits is the Nth entry from the
# right. 0: the app is reached directly and the header is ignored.
TRUSTED_PROXY_COUNT = env_int(ENV, "TRUSTED_PROXY_COUNT", 0)

# Two-factor authentication (django-otp, desk/two_factor.py): role names, "admin"
# for superusers, "staff" for everyone. Enrolled users are always asked for a
# code. The demo (DEBUG) requires it of no one, so its walk-through needs no phone.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    ENV, "TWO_FACTOR_REQUIRED_ROLES", [] if DEBUG else ["publisher", "admin"]
)
OTP_TOTP_ISSUER = ENV.get("NEWSROOM_NAME", "Newsroom")

# Login throttling (django-axes): a run of wrong passwords locks the account,
# and separately the address, out for a while, with a page that says so.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int(ENV, "LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int(ENV, "LOGIN_LOCKOUT_MINUTES", 15)
)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.proxies.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content API (api): per-client rate limits, "N/s", "N/m", "N/h" or "N/d"
# (empty: none), counted in the cache for requests that reach Django.
API_RATE_ANONYMOUS = ENV.get("API_RATE_ANONYMOUS", "300/m")
API_RATE_TOKEN = ENV.get("API_RATE_TOKEN", "1200/m")

# Agency ingest (ingest): feeds are read through the link check's safe client.
AGENCY_FEED_SWEEP_SECONDS = env_int(ENV, "AGENCY_FEED_SWEEP_SECONDS", 60)
AGENCY_FEED_MAX_BYTES = env_int(ENV, "AGENCY_FEED_MAX_BYTES", 10_000_000)
AGENCY_FEED_ALERT_AFTER = env_int(ENV, "AGENCY_FEED_ALERT_AFTER", 3)
# A wire on the newsroom's own network (or tests). Off: a feed address typed in
# the admin cannot make a worker probe the internal network.
AGENCY_FEEDS_ALLOW_PRIVATE = env_bool(ENV, "AGENCY_FEEDS_ALLOW_PRIVATE", default=False)
CELERY_BEAT_SCHEDULE["poll-agency-feeds"] = {
    "task": "ingest.tasks.poll_agency_feeds_task",
    "schedule": float(AGENCY_FEED_SWEEP_SECONDS),
}

# Webhooks (webhooks): events from the audit log, signed deliveries.
WEBHOOK_SWEEP_SECONDS = env_int(ENV, "WEBHOOK_SWEEP_SECONDS", 15)
WEBHOOK_TIMEOUT_SECONDS = env_int(ENV, "WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = env_int(ENV, "WEBHOOK_MAX_ATTEMPTS", 12)
WEBHOOK_RETRY_BASE_SECONDS = env_int(ENV, "WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_MAX_SECONDS = env_int(ENV, "WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600)
WEBHOOK_DISABLE_AFTER = env_int(ENV, "WEBHOOK_DISABLE_AFTER", 30)
# The audit log is read again this far back on every run: an entry that
# committed after a later one is still found (each makes its event once).
WEBHOOK_AUDIT_OVERLAP_SECONDS = env_int(ENV, "WEBHOOK_AUDIT_OVERLAP_SECONDS", 300)
WEBHOOK_DERIVE_BATCH = 1000
# Receivers on the newsroom's own network (or tests). Off: an address typed in
# the admin cannot make a worker post to the internal network.
WEBHOOK_ALLOW_PRIVATE = env_bool(ENV, "WEBHOOK_ALLOW_PRIVATE", default=False)
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {
    "task": "webhooks.tasks.webhooks_sweep_task",
    "schedule": float(WEBHOOK_SWEEP_SECONDS),
}
