"""Real Celery workers for the integration tests: their environment, their processes, and
the import they carry out."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from service.processes import command_env, snapshot_of, tropewatch

from .databases import query

# Short enough for a test, long enough for a batch on a busy machine (a fresh pool process
# loads the detector's models in its first batch: 5 s and more on a busy machine).
STALE_S = 15
SWEEP_S = 1
WAIT_S = 120


def worker_env(database: str, redis_url: str, batch: int) -> dict[str, str]:
    # A queue of its own, so no other worker on this Redis takes the task.
    return command_env(
        database, REDIS_URL=redis_url, CELERY_QUEUE=f"test-{uuid.uuid4().hex}",
        IMPORT_BATCH_SIZE=str(batch), IMPORT_STALE_SECONDS=str(STALE_S),
        IMPORT_SWEEP_SECONDS=str(SWEEP_S),
    )


def the_run(database: str) -> tuple | None:
    rows = query(
        database,
        "SELECT status, records_committed, heartbeat_at, message FROM imports_importrun",
    )
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


def wait_until(condition: Callable[[], object], seconds: float, what: str, *workers) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for worker in workers:
            assert worker.poll() is None, f"a worker stopped: {worker.log_path.read_text()}"
        if result := condition():
            return result
        time.sleep(0.02)
    logs = "\n".join(worker.log_path.read_text()[-3000:] for worker in workers)
    raise AssertionError(f"{what} did not happen within {seconds} s\n{logs}")


def pool_processes(worker: subprocess.Popen) -> list[int]:
    """The pids of the worker's pool processes: none while it starts or replaces one."""
    return [int(pid) for pid in
            Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()]


def pool_process(worker: subprocess.Popen) -> int:
    """The pid of the worker's one pool process, which runs its tasks."""
    children = pool_processes(worker)
    assert len(children) == 1, f"expected one pool process, found {children}"
    return children[0]


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # a zombie is dead too


def queue_import(export: Path, env: dict[str, str]) -> list[str]:
    args = ["import", str(export), "--platform", "x", "--source", "#topic",
            "--org", "campaign", "--create-org"]
    queued = tropewatch([*args, "--queue"], env)
    assert queued.returncode == 0, queued.stderr
    return args


def assert_same_as_in_process(args: list[str], by_workers: str, in_process: str,
                              posts: int) -> None:
    """Import ``args`` in one process into ``in_process`` and compare every table with what
    the workers stored in ``by_workers``; ``posts``: how many posts the file holds."""
    direct = tropewatch(args, command_env(in_process))
    assert direct.returncode == 0, direct.stderr
    workers, alone = snapshot_of(by_workers), snapshot_of(in_process)
    assert len(alone["posts"]) == posts
    for table, rows in alone.items():
        assert workers[table] == rows, f"{table} differ between the workers and one process"
