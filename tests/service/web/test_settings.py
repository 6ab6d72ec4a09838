from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from service.processes import REPO
from tropewatch.web.env import envbool, envint, envlist

_SETTINGS_VARS = ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")


def _settings_in(env: dict[str, str], *names: str) -> dict:
    """Named settings as a fresh process with exactly these variables computes them."""
    code = (
        "import json, tropewatch.web.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    base = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARS}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, cwd=REPO, capture_output=True,
        text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("yes", True), ("Off", False),
                                                  ("false", False), ("", True)])
def test_envbool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)

    assert envbool("SOME_FLAG", True) is expected


def test_envbool_refuses_a_typo_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")

    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture'"):
        envbool("DEBUG", False)


def test_envint_refuses_a_non_number_naming_the_variable(monkeypatch):
    monkeypatch.setenv("IMPORT_BATCH_SIZE", "500k")

    with pytest.raises(ImproperlyConfigured, match="IMPORT_BATCH_SIZE='500k'"):
        envint("IMPORT_BATCH_SIZE", 500)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org, www.example.org,,")

    assert envlist("ALLOWED_HOSTS", []) == ["example.org", "www.example.org"]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")
    with connection.cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        busy_timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]

    assert journal_mode == "wal"
    assert busy_timeout > 0


def test_postgresql_compiles_no_query_just_in_time(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]

    assert jit == "off"


def test_without_any_environment_it_uses_sqlite_in_var_and_runs_tasks_in_process(tmp_path):
    found = _settings_in(
        {"TROPEWATCH_VAR_DIR": str(tmp_path / "var")}, "DATABASES", "CELERY_TASK_ALWAYS_EAGER"
    )

    database = found["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "var" / "tropewatch.sqlite3")
    assert (tmp_path / "var").is_dir()
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert found["CELERY_TASK_ALWAYS_EAGER"] is True


def test_database_url_and_redis_url_select_postgresql_and_celery_workers():
    found = _settings_in(
        {"DATABASE_URL": "postgres://tw:secret@db.internal:5432/tropewatch",
         "REDIS_URL": "redis://cache:6379/0"},
        "DATABASES", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER",
    )

    database = found["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.internal", "tropewatch", "tw"
    )
    assert found["CELERY_BROKER_URL"] == "redis://cache:6379/0"
    assert found["CELERY_TASK_ALWAYS_EAGER"] is False


def test_only_debug_falls_back_to_a_development_secret_key():
    assert _settings_in({}, "SECRET_KEY") == {"SECRET_KEY": ""}
    assert _settings_in({"DEBUG": "1"}, "SECRET_KEY")["SECRET_KEY"]
    assert _settings_in({"SECRET_KEY": "s3cret"}, "SECRET_KEY") == {"SECRET_KEY": "s3cret"}


def _import_wsgi(**env: str) -> subprocess.CompletedProcess:
    """Load the application as gunicorn does, in a process with exactly these variables."""
    base = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARS}
    return subprocess.run(
        [sys.executable, "-c", "import tropewatch.web.wsgi"], env={**base, **env}, cwd=REPO,
        capture_output=True, text=True, timeout=60,
    )


def test_the_web_server_refuses_to_start_without_a_secret_key():
    result = _import_wsgi()

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("secret", ["abc", "s" * 49, "ab" * 40])
def test_the_web_server_refuses_a_short_or_simple_secret_key(secret):
    result = _import_wsgi(SECRET_KEY=secret)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "50" in result.stderr


def test_the_web_server_starts_with_a_long_random_secret_key():
    assert _import_wsgi(SECRET_KEY="test-only-" + "k3y-" * 12).returncode == 0
