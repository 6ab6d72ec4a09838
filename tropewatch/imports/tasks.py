"""Background work for Celery workers. Without REDIS_URL these run in the calling process."""

from __future__ import annotations

from tropewatch.web.celery import app

from .models import ImportRun
from .recovery import claim
from .services import execute_import
from .shared_judging import judge_chunk


@app.task(name="tropewatch.import_file")
def import_file_task(import_run_id: int) -> dict[str, int | str]:
    """Run (or resume) a queued import. The input path must be readable by the worker.

    A run that is not queued is left alone: it finished, failed, or another worker has it
    (this task was delivered twice)."""
    run = claim(import_run_id)
    if run is None:
        return {"status": ImportRun.objects.get(pk=import_run_id).status}
    run = execute_import(run, on_worker=True)
    return {
        "status": run.status,
        "new": run.new_count,
        "updated": run.updated_count,
        "skipped": run.skipped_count,
        "skip_reasons": run.skip_reasons,
        "errors": run.error_count,
    }


@app.task(name="tropewatch.judge_chunk")
def judge_chunk_task(chunk_id: int) -> int:
    """Judge one chunk of another worker's import (shared_judging.py). A chunk already taken,
    or gone, is left alone."""
    return judge_chunk(chunk_id)
