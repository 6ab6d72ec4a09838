"""Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth) and Redis (127.0.0.1:6379).

Where a service is not running (a fresh laptop) its tests are skipped with a message saying
so. Under CI (the CI variable set) a missing service fails them instead: CI's machine runs
both, and a skip there would hide that nothing was tested.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from service.processes import CLI, REPO

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"


def _unavailable(service: str, address: str, error: Exception) -> None:
    message = f"{service} is not reachable at {address} ({error})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run the integration tests against it")
    pytest.skip(f"{message}; start it to run the integration tests")


@pytest.fixture
def postgres_database() -> Iterator[Callable[[], str]]:
    """Creates throwaway databases (returning each one's URL) and drops them afterwards."""
    import psycopg

    try:
        psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as error:
        _unavailable("PostgreSQL", POSTGRES_SERVER, error)
    created: list[str] = []

    def create() -> str:
        name = f"tropewatch_it_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"{POSTGRES_SERVER}/{name}"

    yield create
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        for name in created:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        _unavailable("Redis", REDIS_URL, error)
    return REDIS_URL


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[[dict[str, str]], subprocess.Popen]]:
    """Starts ``tropewatch worker --concurrency 1`` processes, writing their logs to files
    (a pipe nobody reads would block a worker that logs a lot), and stops them afterwards."""
    started: list[subprocess.Popen] = []

    def start(env: dict[str, str]) -> subprocess.Popen:
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        worker = subprocess.Popen(
            [*CLI, "worker", "--concurrency", "1"], env=env, cwd=REPO, stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker.log_path = Path(log.name)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
