"""Imports handed to the workers outlive the workers.

A worker can die at any moment: killed by the kernel for memory, by ``kill -9``, by a container
restart. Its run then stays 'running' while its heartbeat (stamped when the import starts and
with each committed batch) stops moving. Every worker sweeps for such runs when it starts and
every IMPORT_SWEEP_SECONDS (tropewatch/web/celery.py):

- a run with no sign of life for IMPORT_STALE_SECONDS lost its worker: it goes back to 'queued'
  with a new task, and the worker that takes it resumes from the run's cursor;
- unless the batch after its cursor has now lost MAX_LOST_ATTEMPTS workers. A batch that kills
  every worker that reads it would otherwise be retried for ever, so the run fails, set aside
  with a message saying where, and the records before that batch stay stored.

A task starts only a queued run, which it claims in one conditional UPDATE: a second delivery
of the same task (Redis's visibility timeout, two sweeps at once) finds the run taken and does
nothing. Only runs a worker has started are swept; an import run in a terminal's process is
carried on by running the command again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ImportRun

logger = logging.getLogger(__name__)

# Deaths on one batch before its run is set aside: one may be bad luck (a restart, a neighbour
# using the memory), two on the same records is the records.
MAX_LOST_ATTEMPTS = 2


@dataclass
class Sweep:
    requeued: list[ImportRun] = field(default_factory=list)
    set_aside: list[ImportRun] = field(default_factory=list)


def claim(run_id: int) -> ImportRun | None:
    """The queued run ``run_id``, now running for the calling worker; None when it is not
    queued (finished, failed, or taken by another worker)."""
    taken = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, by_worker=True, heartbeat_at=timezone.now()
    )
    if not taken:
        return None
    return ImportRun.objects.select_related("org", "source").get(pk=run_id)


def queue(run: ImportRun) -> bool:
    """Send ``run`` to the workers. False, sending nothing, while it is running: a process
    committed a batch of it less than IMPORT_STALE_SECONDS ago."""
    if run.status == ImportRun.Status.RUNNING:
        if not _is_stale(run):
            return False
        # The process running it is gone: queued again, it is the next worker's to claim.
        if not _update_if_unchanged(run, status=ImportRun.Status.QUEUED):
            return False
    _send(run)
    return True


def requeue_stalled() -> Sweep:
    """Re-queue the runs whose worker died, and set aside those whose batch has now killed
    MAX_LOST_ATTEMPTS workers. Safe to run in several workers at once."""
    sweep = Sweep()
    stale_before = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    stalled = ImportRun.objects.filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at=None),
        status=ImportRun.Status.RUNNING,
        by_worker=True,
    )
    for run in stalled:
        lost = run.lost_attempts + 1
        if lost >= MAX_LOST_ATTEMPTS:
            message = (
                f"set aside: {lost} workers died importing the batch after record "
                f"{run.records_committed} (each killed before committing it, perhaps for "
                "lack of memory), so it is not tried again. The records before it are "
                "stored; find the fault in the records after it, then import the file again"
            )
            if _update_if_unchanged(
                run, status=ImportRun.Status.FAILED, lost_attempts=lost, message=message,
                finished_at=timezone.now(),
            ):
                logger.error("import #%s %s", run.pk, message)
                sweep.set_aside.append(run)
        elif _update_if_unchanged(run, status=ImportRun.Status.QUEUED, lost_attempts=lost):
            logger.warning(
                "import #%s lost its worker after record %s (nothing committed for %s s); "
                "queued again", run.pk, run.records_committed, settings.IMPORT_STALE_SECONDS,
            )
            _send(run)
            sweep.requeued.append(run)
    return sweep


def _is_stale(run: ImportRun) -> bool:
    if run.heartbeat_at is None:
        return True
    age = timezone.now() - run.heartbeat_at
    return age > timedelta(seconds=settings.IMPORT_STALE_SECONDS)


def _update_if_unchanged(run: ImportRun, **changes: object) -> bool:
    """Apply ``changes`` unless the run moved since it was read: another sweep took it, or its
    process was alive after all and committed a batch."""
    changed = ImportRun.objects.filter(
        pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
    ).update(**changes)
    if changed:
        for name, value in changes.items():
            setattr(run, name, value)
    return bool(changed)


def _send(run: ImportRun) -> None:
    from .tasks import import_file_task  # the tasks module imports this one

    import_file_task.delay(run.pk)
