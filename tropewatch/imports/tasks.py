"""Background work for Celery workers. Without REDIS_URL these run in the calling process."""

from __future__ import annotations

from tropewatch.web.celery import app

from .models import ImportRun
from .services import execute_import


@app.task(name="tropewatch.import_file")
def import_file_task(import_run_id: int) -> dict[str, int | str]:
    """Run (or resume) a prepared import. The input path must be readable by the worker."""
    run = execute_import(ImportRun.objects.select_related("org", "source").get(pk=import_run_id))
    return {
        "status": run.status,
        "new": run.new_count,
        "updated": run.updated_count,
        "skipped": run.skipped_count,
        "errors": run.error_count,
    }
