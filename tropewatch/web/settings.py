"""Django settings for tropewatch, all read from the environment.

With no environment at all this runs straight after a clone: SQLite in ``var/`` and background
work done in-process. A deployment sets ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``
(PostgreSQL) and ``REDIS_URL`` (Celery workers); docs/deploy.md lists every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from tropewatch.web.env import envbool, envint, envlist, envnetworks, envstr

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(envstr("TROPEWATCH_VAR_DIR") or BASE_DIR / "var")

DEBUG = envbool("DEBUG", False)

# Only a DEBUG process may fall back to a known key. Without SECRET_KEY a production process
# still runs commands that never sign anything (import, rescan, worker); the web server
# refuses to start (see wsgi.py) and Django refuses to sign with an empty key.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = envstr("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", False)
# Proxies whose X-Forwarded-For is believed (addresses or networks): from anyone else the header
# is the client's own writing. Behind a TLS proxy on this machine that is the loopback address.
TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES") or (
    ["127.0.0.1", "::1"] if BEHIND_TLS_PROXY else []
)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
# HTTPS only, and browsers told to remember it: what `manage.py check --deploy` asks for. A
# deployment serves through a TLS proxy (BEHIND_TLS_PROXY=1), which turns the redirect on;
# `tropewatch serve --production` alone on a laptop speaks plain HTTP and must not redirect.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
# Moderators open links to hostile sites: never tell those sites where the click came from.
# (Not "no-referrer": browsers then send "Origin: null" with forms, which CSRF checks refuse.)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 12) * 3600

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tropewatch.orgs",
    "tropewatch.posts",
    "tropewatch.clusters",
    "tropewatch.imports",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "axes",
    "tropewatch.accounts",
    "tropewatch.review",
    "tropewatch.evidence",
    "tropewatch.adaptation",
    "tropewatch.cases",
    "tropewatch.people",
    "tropewatch.members",
    "tropewatch.reports",
    "tropewatch.impact",
    "tropewatch.submissions",
    "tropewatch.pwa",
    "tropewatch.api",
    "ninja",  # serves its API docs page's script and styles from here, not from a CDN
    "corsheaders",
    "tropewatch.education",
    "tropewatch.allies",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",  # /api/ only; before anything that answers
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tropewatch.api.middleware.ApiRequestMiddleware",  # /api/ body limit; before the body is read
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tropewatch.accounts.middleware.NoStoreMiddleware",  # Cache-Control: no-store, signed in
    "django_otp.middleware.OTPMiddleware",
    "tropewatch.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "tropewatch.web.urls"
WSGI_APPLICATION = "tropewatch.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Web and workers may share one SQLite file: WAL lets readers work while an import writes,
# IMMEDIATE transactions take the write lock up front (no deadlock-prone lock upgrades), and
# the busy timeout makes a second writer wait instead of failing at once. secure_delete
# overwrites what a delete frees with zeros, so an erased author's words do not linger in the
# file's free pages (UK GDPR erasure), at the cost of slower deletes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
        "PRAGMA secure_delete=ON;"
    ),
}


def _database() -> dict:
    url = envstr("DATABASE_URL")
    if url:
        config = dj_database_url.parse(
            url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
        )
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "tropewatch.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: PostgreSQL compiles any query it costs above 100,000, and the
        # queue's LIMIT queries are costed as if read to the end. The queue page's count
        # spent 45 ms compiling for about 50 ms of work (EXPLAIN ANALYZE, 200,000 posts).
        options = config.get("OPTIONS", {})
        config["OPTIONS"] = {**options,
                             "options": f"-c jit=off {options.get('options', '')}".strip()}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# argon2 for new passwords; hashes of the other kinds still verify and are upgraded at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username and address first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
# Login throttling (django-axes; tropewatch/accounts/throttling.py): failures count per username
# *and* address, so guesses against one person never lock out another. LOGIN_FAILURE_LIMIT
# failures lock that pair for LOGIN_COOLOFF; each further failure once a lockout is over doubles
# the next, up to LOGIN_COOLOFF_MAX, which is also how long failures are remembered. A wrong
# two-factor code counts as a failure too. An admin unlocks on the admin's access attempts page.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
LOGIN_COOLOFF_MAX = max(timedelta(hours=envint("LOGIN_COOLOFF_MAX_HOURS", 24)), LOGIN_COOLOFF)
AXES_FAILURE_LIMIT = "tropewatch.accounts.throttling.failure_limit"
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MAX
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = (
    "Too many failed logins for this account from this address: try again later, or ask an "
    "admin to unlock it."
)
AXES_CLIENT_IP_CALLABLE = "tropewatch.accounts.throttling.client_ip"
OTP_TOTP_ISSUER = envstr("OTP_ISSUER", "tropewatch")
INVITATION_TTL_DAYS = envint("INVITATION_TTL_DAYS", 7)
# Password reset emails: at most this many an hour per address asked for and per client
# address (counted in Django's cache, like the API's limits); links work for a day.
PASSWORD_RESETS_PER_HOUR = envint("PASSWORD_RESETS_PER_HOUR", 5)
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# The JSON API (docs/api.md). A body up to API_MAX_BODY_BYTES (a 5 MB screenshot is 6.7 MB of
# base64); flags per token per minute, and other calls. Limits are counted in Django's cache:
# per process unless CACHES names a shared one.
API_MAX_BODY_BYTES = envint("API_MAX_BODY_MB", 8) * 1024 * 1024
API_SUBMIT_RATE = envstr("API_SUBMIT_RATE", "30/m")
API_READ_RATE = envstr("API_READ_RATE", "300/m")
# The browser extension calls from its own origin with a bearer token and no cookies, so the
# API answers extensions' origins (or only those listed) and never allows credentials.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = envlist("API_EXTENSION_ORIGINS", [])
if not CORS_ALLOWED_ORIGINS:
    CORS_ALLOWED_ORIGIN_REGEXES = [r"^chrome-extension://[a-p]{32}$",
                                   r"^moz-extension://[0-9a-f-]{36}$"]
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]

# Content-Security-Policy: scripts, styles and images from this site only, no inline script or
# style, nothing framed, no plugins. Post text is hostile: even if some of it were ever
# rendered as markup, the browser would neither run it nor fetch anything for it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "manifest-src": [SELF],  # the installable console's manifest (tropewatch.pwa)
        "worker-src": [SELF],  # and its service worker
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Celery. Without REDIS_URL there is no broker: tasks run eagerly inside the process that
# queues them, so the embedded default needs no server.
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_QUEUE", "tropewatch")
CELERY_TASK_IGNORE_RESULT = True
# Imports outlive their workers (tropewatch/imports/recovery.py). A task is acknowledged when it
# ends, so one taken by a worker that dies before starting its import comes back after the
# visibility timeout. A worker that dies part-way is found by the sweep every worker runs, not
# by redelivery: rejecting the task back onto the queue would hand a batch that kills its
# worker (out of memory) straight to the next one, for ever.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A second delivery of an import already running does nothing, so this need not exceed the
# longest import; it bounds how long a task taken by a dead worker waits.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 15 * 60)
}
# A worker's import with no batch committed for this long has lost its worker; it must exceed
# the slowest batch (IMPORT_BATCH_SIZE posts, a few seconds).
IMPORT_STALE_SECONDS = envint("IMPORT_STALE_SECONDS", 5 * 60)
# How often each worker sweeps for such imports (and once when it starts).
IMPORT_SWEEP_SECONDS = envint("IMPORT_SWEEP_SECONDS", 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The review console: how long a claimed item stays with its moderator, and how fast the
# queue's priority decays with a post's age.
REVIEW_CLAIM_MINUTES = envint("REVIEW_CLAIM_MINUTES", 15)
REVIEW_HALF_LIFE_DAYS = envint("REVIEW_HALF_LIFE_DAYS", 3)

# Posts in one import transaction: larger is faster, smaller loses less work when killed.
IMPORT_BATCH_SIZE = envint("IMPORT_BATCH_SIZE", 500)
# Worker processes that judge an import's next batches while it stores the current one
# (imports/scan_ahead.py); 0 judges in the importing process. Inputs smaller than
# IMPORT_SCAN_AHEAD_MIN_BYTES are judged in-process: starting workers takes seconds.
# One core is left to the importing process, which parses and stores: on 2 cores one worker
# took 0.89 of the in-process time, two workers 0.97 (bench_import.py --posts 20000).
IMPORT_SCAN_PROCESSES = envint("IMPORT_SCAN_PROCESSES", max(1, (os.cpu_count() or 1) - 1))
IMPORT_SCAN_AHEAD_MIN_BYTES = envint("IMPORT_SCAN_AHEAD_MIN_BYTES", 1024 * 1024)
# A Celery worker's import of at least IMPORT_SCAN_AHEAD_MIN_BYTES hands its next batches to
# the other workers, on any machine, as chunks: at most this many wait ahead of the batch being
# stored (imports/shared_judging.py). 0 keeps each worker's import on the worker.
IMPORT_CHUNKS_AHEAD = envint("IMPORT_CHUNKS_AHEAD", 8)
# A worker that took a chunk and has not answered in this time is presumed dead, and the
# importing worker judges the chunk itself. A chunk is one batch: a few seconds' work.
IMPORT_CHUNK_STALE_SECONDS = envint("IMPORT_CHUNK_STALE_SECONDS", 60)

# Member lists (tropewatch/members, docs/members.md) are stored only as HMAC-SHA256 digests
# under this key: without it `tropewatch members import` refuses and every lookup is "unknown".
# Phone numbers written without a country code are read as numbers of this region.
MEMBERS_KEY = envstr("TROPEWATCH_MEMBERS_KEY")
MEMBERS_PHONE_REGION = envstr("TROPEWATCH_MEMBERS_REGION", "GB").upper()

# Email (the weekly summary, allies' calls to action): SMTP where EMAIL_HOST is set; otherwise
# each message is written to var/outbox/ as a file, so the embedded default needs no mail server.
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "tropewatch@localhost")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"

# Calls to action for allies (tropewatch/allies, docs/allies.md). Webhook addresses are
# untrusted admin input: https to public addresses only, but for the hosts named here (a
# test's 127.0.0.1).
ALLIES_WEBHOOK_HTTP_HOSTS = envlist("ALLIES_WEBHOOK_HTTP_HOSTS", [])
ALLIES_WEBHOOK_TIMEOUT_SECONDS = envint("ALLIES_WEBHOOK_TIMEOUT_SECONDS", 10)
# A failed delivery is tried again after 1, 2, 4... times this, up to ALLIES_MAX_ATTEMPTS tries.
ALLIES_RETRY_SECONDS = envint("ALLIES_RETRY_SECONDS", 60)
ALLIES_MAX_ATTEMPTS = envint("ALLIES_MAX_ATTEMPTS", 6)
# The hour (0-23, each ally's own time zone) at which daily digests go.
ALLIES_DIGEST_HOUR = envint("ALLIES_DIGEST_HOUR", 18)
# Where the group publishes its education library (`tropewatch export-education`), if it does:
# calls to action then link each trope's page.
ALLIES_EDUCATION_URL = envstr("ALLIES_EDUCATION_URL")
