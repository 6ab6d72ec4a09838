"""Django settings for tropewatch, all read from the environment.

With no environment at all this runs straight after a clone: SQLite in ``var/`` and background
work done in-process. A deployment sets ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``
(PostgreSQL) and ``REDIS_URL`` (Celery workers); docs/deploy.md lists every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from tropewatch.web.env import envbool, envint, envlist, envstr

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
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tropewatch.orgs",
    "tropewatch.posts",
    "tropewatch.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# the busy timeout makes a second writer wait instead of failing at once.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
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
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# An import task is acknowledged only when it ends, so a worker that dies part-way leaves it
# to be delivered again; the import then resumes from its committed cursor.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task to another worker after this long; it must exceed the
# longest import, or two workers would run the same import.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 24 * 3600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Posts in one import transaction: larger is faster, smaller loses less work when killed.
IMPORT_BATCH_SIZE = envint("IMPORT_BATCH_SIZE", 500)
