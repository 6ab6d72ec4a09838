"""The interrupted-import check, shared by the SQLite test and the PostgreSQL integration test:
kill -9 an import part-way, run it again, and compare every table with an import that was
never interrupted."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from .exports import write_pages
from .processes import command_env, snapshot_of, start_tropewatch, tropewatch

POSTS = 2000
BATCH = 50
KILL_WAIT_S = 240
ORPHAN_WAIT_S = 60


def import_args(export: Path) -> list[str]:
    return ["import", str(export), "--platform", "x", "--source", "#topic",
            "--org", "campaign", "--create-org", "--batch-size", str(BATCH)]


def check_killed_import_resumes_to_the_same_rows(
    tmp_path: Path,
    killed_url: str,
    clean_url: str,
    records_committed: Callable[[], int],
    **env: str,
) -> None:
    """``records_committed`` reads the cursor of the import into ``killed_url``; ``env``
    adds to the imports' environment."""
    export = write_pages(tmp_path / "tweets.jsonl", POSTS, missing_id_every=97)
    args = import_args(export)

    process = start_tropewatch(args, command_env(killed_url, **env))
    deadline = time.monotonic() + KILL_WAIT_S
    while records_committed() <= BATCH:  # past the first batch, so there is work to keep
        assert process.poll() is None, f"import ended before the kill: {process.communicate()}"
        assert time.monotonic() < deadline, "the import never committed its first batches"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    # The pipes close only when every process holding them has ended, scanning workers too.
    process.communicate(timeout=ORPHAN_WAIT_S)
    at_kill = records_committed()
    assert BATCH < at_kill < POSTS, f"not killed part-way: {at_kill} of {POSTS} committed"

    resumed = tropewatch(args, command_env(killed_url, **env))
    assert resumed.returncode == 0, resumed.stderr
    assert f"after record {at_kill}" in resumed.stderr
    clean = tropewatch(args, command_env(clean_url, **env))
    assert clean.returncode == 0, clean.stderr

    killed_rows, clean_rows = snapshot_of(killed_url), snapshot_of(clean_url)
    assert len(clean_rows["posts"]) == POSTS - POSTS // 97
    assert len(clean_rows["detections"]) == len(clean_rows["posts"])
    for table, rows in clean_rows.items():
        assert killed_rows[table] == rows, f"{table} differ after the interrupted import"
