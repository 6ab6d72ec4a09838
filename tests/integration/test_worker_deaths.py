"""Real Celery workers, fed through Redis, killed part-way through an import.

Killing a worker's main process (``kill -9``, a container restart) leaves its import to the
next worker's sweep, within seconds rather than Redis's visibility timeout. Killing the pool
process that imports, as the kernel's out-of-memory killer does, twice on the same batch sets
the import aside with a message instead of handing that batch to worker after worker."""

from __future__ import annotations

import os
import signal
import time

import pytest
from service.exports import write_pages

from .databases import query
from .workers import (
    STALE_S,
    SWEEP_S,
    WAIT_S,
    assert_same_as_in_process,
    is_gone,
    pool_process,
    queue_import,
    the_run,
    wait_until,
    worker_env,
)

pytestmark = pytest.mark.integration

# From the new worker's start to the finished import: the stale time, a sweep, and importing
# what was left. Without the sweep the import waits for Redis's visibility timeout (900 s).
RESUME_WITHIN_S = 90


def test_an_import_whose_worker_was_killed_is_finished_by_the_next_worker_within_seconds(
    tmp_path, postgres_database, redis_url, start_worker
):
    posts, batch = 1000, 50
    killed_into, direct_into = postgres_database(), postgres_database()
    env = worker_env(killed_into, redis_url, batch)
    args = queue_import(write_pages(tmp_path / "tweets.jsonl", posts, missing_id_every=97), env)

    first = start_worker(env)
    wait_until(
        lambda: (run := the_run(killed_into)) and run[1] > batch, WAIT_S,
        "the first worker committing its first batches", first,
    )
    pool = pool_process(first)
    os.kill(first.pid, signal.SIGKILL)  # the main process, as docker compose restart does
    first.wait()
    wait_until(lambda: is_gone(pool), 10, "the pool process dying with its main process")
    status, at_kill, _, _ = the_run(killed_into)
    assert status == "running" and batch < at_kill < posts, (status, at_kill)

    second = start_worker(env)
    wait_until(
        lambda: the_run(killed_into)[0] == "finished", RESUME_WITHIN_S,
        "the import finishing after its worker was killed", second,
    )

    assert_same_as_in_process(args, killed_into, direct_into, posts - posts // 97)


def test_a_batch_that_kills_two_workers_is_set_aside_instead_of_retried(
    tmp_path, postgres_database, redis_url, start_worker
):
    posts, batch = 2000, 200
    database = postgres_database()
    env = worker_env(database, redis_url, batch)
    queue_import(write_pages(tmp_path / "tweets.jsonl", posts), env)
    worker = start_worker(env)
    wait_until(
        lambda: (run := the_run(database)) and run[1] >= batch, WAIT_S,
        "the worker committing its first batch", worker,
    )

    # Kill the pool process whenever an attempt is importing, as the out-of-memory killer
    # would on a batch too big for the memory. Where an attempt commits a batch before the
    # kill lands, the next batch is the one that kills; the rule needs two on one batch.
    killed_at: list[int] = []
    killed_heartbeat = None
    deadline = time.monotonic() + WAIT_S
    while (run := the_run(database))[0] != "failed":
        assert time.monotonic() < deadline, f"never set aside; killed at {killed_at}"
        assert worker.poll() is None, worker.log_path.read_text()
        status, _, heartbeat, _ = run
        if status == "running" and (not killed_at or heartbeat != killed_heartbeat):
            os.kill(pool_process(worker), signal.SIGKILL)
            _, cursor, killed_heartbeat, _ = the_run(database)
            killed_at.append(cursor)
        time.sleep(0.02)

    _, cursor, _, message = run
    assert killed_at[-2:] == [cursor, cursor]
    assert message.startswith(
        f"set aside: 2 workers died importing the batch after record {cursor} "
    )
    assert batch <= cursor < posts
    assert query(database, "SELECT COUNT(*) FROM posts_post") == [(cursor,)]
    # The worker lives on, and nothing hands the batch to it again.
    time.sleep(STALE_S + 3 * SWEEP_S)
    assert worker.poll() is None
    assert the_run(database)[:2] == ("failed", cursor)
