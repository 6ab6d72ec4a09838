"""A real Celery worker, fed through Redis, carries out an import queued by the CLI."""

import subprocess
import time
import uuid

import pytest
from service.exports import write_pages
from service.processes import command_env, snapshot_of, tropewatch

from .databases import query

pytestmark = pytest.mark.integration

WORKER_TIMEOUT_S = 180


def test_a_queued_import_is_done_by_a_worker_with_the_rows_of_an_import_run_in_process(
    tmp_path, postgres_database, redis_url, start_worker
):
    queued_into, direct_into = postgres_database(), postgres_database()
    export = write_pages(tmp_path / "tweets.jsonl", 400, missing_id_every=40)
    args = ["import", str(export), "--platform", "x", "--source", "#topic",
            "--org", "campaign", "--create-org"]
    # A queue of its own, so no other worker on this Redis takes the task.
    env = command_env(queued_into, REDIS_URL=redis_url, CELERY_QUEUE=f"test-{uuid.uuid4().hex}")

    worker = start_worker(env)
    queued = tropewatch([*args, "--queue"], env)
    assert queued.returncode == 0, queued.stderr
    assert "queued for a worker" in queued.stderr
    status = _wait_for_the_import(queued_into, worker)

    assert status == [("finished", 390, 10)]
    direct = tropewatch(args, command_env(direct_into))
    assert direct.returncode == 0, direct.stderr
    by_worker, in_process = snapshot_of(queued_into), snapshot_of(direct_into)
    for table in ("organisations", "sources", "authors", "posts", "detections", "import_runs"):
        assert by_worker[table] == in_process[table], table


def _wait_for_the_import(database: str, worker: subprocess.Popen) -> list[tuple]:
    deadline = time.monotonic() + WORKER_TIMEOUT_S
    while time.monotonic() < deadline:
        assert worker.poll() is None, f"the worker stopped: {worker.log_path.read_text()}"
        rows = query(database, "SELECT status, new_count, error_count FROM imports_importrun")
        if rows and rows[0][0] in ("finished", "failed"):
            return rows
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish the import in {WORKER_TIMEOUT_S} s")
