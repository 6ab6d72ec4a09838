"""Running tropewatch commands in their own processes, each against its own database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The real entry point, as the `tropewatch` console script runs it.
CLI = [sys.executable, "-c", "from tropewatch.cli import app; app()"]
COMMAND_TIMEOUT_S = 300


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def command_env(database_url: str, **extra: str) -> dict[str, str]:
    """This process's environment, with the database (and broker) the test chooses."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
    env.update(DATABASE_URL=database_url, PYTHONUNBUFFERED="1", **extra)
    return env


def tropewatch(args: list[str], env: dict[str, str], **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=REPO, capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT_S, **popen,
    )


def create_organisation(slug: str, env: dict[str, str]) -> None:
    """Set up the database and one organisation in it, for commands that need one to exist."""
    script = ("from tropewatch.cli.support import find_organisation, setup_django; "
              f"setup_django(); find_organisation({slug!r}, create=True)")
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
    assert result.returncode == 0, result.stderr


def start_tropewatch(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, *args], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def snapshot_of(database_url: str) -> dict[str, list]:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("snapshot.py"))],
        env=command_env(database_url), cwd=REPO, capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT_S, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
