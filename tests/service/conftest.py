"""Django for the service tests: the project's settings, on a real SQLite file (or on the
database DATABASE_URL names, to run the same tests on PostgreSQL)."""

from __future__ import annotations

import os

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")
# The embedded default: tasks run in-process. tests/integration covers Redis and workers.
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# pytest-django sets Django up before collection only when the settings are named in the
# pytest configuration; named here instead, the test modules' model imports need this.
django.setup()



@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Put the SQLite test database in a file, not in memory, so that WAL mode and the
    transaction settings under test are the ones a deployment gets."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    # Fast hashing for the users tests make; checking the default kind still works.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        # what `tropewatch demo` writes in its own process, under the real settings
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    settings.STATIC_ROOT = tmp_path  # as after collectstatic, which a deployment runs


@pytest.fixture
def admin_client(admin_user):
    """A superuser whose second factor is verified: the admin asks for one."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    client = Client()
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
