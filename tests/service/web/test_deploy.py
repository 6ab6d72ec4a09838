"""`manage.py check --deploy` under the production settings a deployment sets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "production-secret-key-with-plenty-of-entropy-8f3a1c",
    "ALLOWED_HOSTS": "review.example.org",
    "BEHIND_TLS_PROXY": "1",
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    # A deployment's environment, not the test run's: the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for their own process, which no deployment may.
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL",
                         "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **env}, cwd=REPO, capture_output=True, text=True, timeout=120,
    )


def test_the_production_settings_pass_every_deployment_check(tmp_path):
    result = _check({**PRODUCTION, "TROPEWATCH_VAR_DIR": str(tmp_path)})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_settings_are_not_fit_to_deploy(tmp_path):
    result = _check({**PRODUCTION, "DEBUG": "1", "TROPEWATCH_VAR_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr
