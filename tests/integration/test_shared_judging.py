"""Three real Celery workers, fed through Redis, share one import: one stores it, the other
two judge its batches as chunks (imports/shared_judging.py). One of them is killed while it
judges a chunk; the import still stores exactly the rows of an import run in one process."""

from __future__ import annotations

import os
import re
import signal

import pytest
from service.exports import write_pages

from .databases import query
from .workers import (
    WAIT_S,
    assert_same_as_in_process,
    is_gone,
    pool_process,
    pool_processes,
    queue_import,
    the_run,
    wait_until,
    worker_env,
)

pytestmark = pytest.mark.integration

# The importing worker waits this long for a chunk a killed worker took, then judges it.
CHUNK_STALE_S = 5
# Celery's INFO line for a finished chunk; its result is the number of texts judged.
JUDGED = re.compile(r"Task tropewatch\.judge_chunk\[[^\]]+\] succeeded in [\d.]+s: (\d+)")


def chunks_judged(worker) -> int:
    return sum(int(n) for n in JUDGED.findall(worker.log_path.read_text()))


def running_chunk_of(database: str, pids: set[int]) -> tuple[int, int] | None:
    """(chunk id, pid) of a chunk that one of ``pids`` is judging now."""
    for chunk_id, claimed_by in query(
        database, "SELECT id, claimed_by FROM imports_judgingchunk WHERE status = 'running'"
    ):
        pid = int(claimed_by.rsplit(":", 1)[1])
        if pid in pids:
            return chunk_id, pid
    return None


def test_three_workers_share_an_import_and_a_worker_killed_mid_chunk_loses_nothing(
    tmp_path, postgres_database, redis_url, start_worker
):
    posts, batch = 3000, 200
    shared_into, direct_into = postgres_database(), postgres_database()
    env = worker_env(shared_into, redis_url, batch)
    env.update(IMPORT_SCAN_AHEAD_MIN_BYTES="0", IMPORT_CHUNK_STALE_SECONDS=str(CHUNK_STALE_S))
    args = queue_import(write_pages(tmp_path / "tweets.jsonl", posts, missing_id_every=97), env)

    importer = start_worker(env)
    wait_until(lambda: the_run(shared_into)[0] == "running", WAIT_S,
               "the first worker taking the import", importer)
    storing = pool_process(importer)
    helpers = [start_worker(env), start_worker(env)]

    # Kill a helper's pool process while it judges a chunk, as the out-of-memory killer
    # would. A chunk it finished between the look and the kill does not count: look again.
    killed_chunk = None
    while killed_chunk is None:
        chunk_id, pid = wait_until(
            lambda: running_chunk_of(shared_into, {p for h in helpers for p in pool_processes(h)}),
            WAIT_S, "a helper taking a chunk", importer, *helpers,
        )
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda pid=pid: is_gone(pid), 10, "the killed pool process dying")
        left = query(shared_into,
                     f"SELECT status, claimed_by FROM imports_judgingchunk WHERE id = {chunk_id}")
        if left and left[0][0] == "running" and left[0][1].endswith(f":{pid}"):
            killed_chunk = chunk_id

    wait_until(lambda: the_run(shared_into)[0] == "finished", WAIT_S,
               "the shared import finishing", importer, *helpers)

    assert pool_process(importer) == storing, "the importing worker must not have died"
    assert "has not answered for" in importer.log_path.read_text()  # the killed chunk
    assert sum(chunks_judged(h) for h in helpers) > 0, "the helpers judged no chunk"
    assert query(shared_into, "SELECT COUNT(*) FROM imports_judgingchunk") == [(0,)]
    assert_same_as_in_process(args, shared_into, direct_into, posts - posts // 97)
