"""Real PostgreSQL (127.0.0.1:5432, user postgres, trust auth) and Redis (127.0.0.1:6379).

Where a service is not running (a fresh laptop) its tests are skipped with a message saying
so. Under CI (the CI variable set) a missing service fails them instead: CI's machine runs
both, and a skip there would hide that nothing was tested.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

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

