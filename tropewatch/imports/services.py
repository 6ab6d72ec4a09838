"""Importing one input file: stream it through the platform's parser and store it in batches.

Each batch is one transaction holding its authors, posts, detections, record errors and the
advance of the run's resume cursor (``records_committed``). A process killed at any moment
therefore leaves whole batches behind it, and running the same import again skips exactly
the committed records and finishes with the rows an uninterrupted import gives.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from tropewatch.detector.stage_clock import UNCLOCKED, StageClock
from tropewatch.ingest import input_files, parse_file
from tropewatch.ingest.errors import IngestError
from tropewatch.ingest.records import PostRecord, RecordError
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import PLATFORM_ID_LENGTH, Source
from tropewatch.posts.statistics import PlannerStatistics
from tropewatch.posts.storing import store_records

from .models import MAX_STORED_ERRORS, ImportRun
from .scan_ahead import Verdicts, scan_ahead

Progress = Callable[[ImportRun], None]
Item = PostRecord | RecordError

HASH_CHUNK_BYTES = 1024 * 1024
# Storing a batch, and judging in this process the posts no scanning worker judged.
STORE_STAGE = "store, and judge what no worker judged"


class ImportConflict(Exception):
    """Another process advanced or took over the same import run: two processes must not
    import one input at the same time."""


def run_import(
    org: Organisation,
    source: Source,
    path: Path | str,
    platform: str,
    options: dict[str, Any] | None = None,
    *,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import ``path`` into ``source``, resuming an unfinished import of the same input."""
    run = prepare_import(org, source, path, platform, options)
    return execute_import(run, batch_size=batch_size, progress=progress)


def prepare_import(
    org: Organisation,
    source: Source,
    path: Path | str,
    platform: str,
    options: dict[str, Any] | None = None,
) -> ImportRun:
    """The unfinished run of this same input (same organisation, source, platform, options
    and file content) if there is one, else a new queued run."""
    path = Path(path).resolve()
    options = options or {}
    sha256, size = fingerprint(input_files(path, platform))
    unfinished = (
        ImportRun.objects.for_org(org)
        .filter(
            source=source,
            platform=platform,
            file_sha256=sha256,
            file_size=size,
            status__in=ImportRun.RESUMABLE,
        )
        .order_by("-pk")
    )
    for run in unfinished:
        if run.options == options:
            if run.input_path != str(path):
                run.input_path = str(path)  # the same file, moved since
                run.save(update_fields=["input_path"])
            return run
    return ImportRun.objects.create(
        org=org,
        source=source,
        platform=platform,
        input_path=str(path),
        options=options,
        file_sha256=sha256,
        file_size=size,
    )


def fingerprint(paths: list[Path]) -> tuple[str, int]:
    """(SHA-256, size) of the files one after the other, read in chunks so a multi-GB export
    needs no memory. The size is also the total a progress bar counts to."""
    digest = hashlib.sha256()
    size = 0
    for path in paths:
        try:
            with path.open("rb") as file:
                while chunk := file.read(HASH_CHUNK_BYTES):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError as exc:
            raise IngestError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return digest.hexdigest(), size


def execute_import(
    run: ImportRun, *, batch_size: int | None = None, progress: Progress | None = None,
    clock: StageClock = UNCLOCKED, on_worker: bool = False,
) -> ImportRun:
    """Carry ``run`` on from its cursor to the end of its input, or to a fatal input error
    (the run is then failed with the message, and every batch before it stays stored).
    ``clock`` times reading and storing (``tropewatch import --timings``). ``on_worker``:
    a Celery worker carries it out, and the other workers judge its batches ahead."""
    if run.status == ImportRun.Status.FINISHED:
        return run
    run.status = ImportRun.Status.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["status", "started_at", "heartbeat_at"])
    batch_size = batch_size or settings.IMPORT_BATCH_SIZE
    try:
        items = clock.timed(parse_file(Path(run.input_path), run.platform, **run.options),
                            "read and parse the input")
        with scan_ahead(run.org, run.file_size, worker_run=run if on_worker else None) as ahead:
            batches = _batches(_skip(items, run.records_committed), batch_size)
            statistics = PlannerStatistics()
            for batch, verdicts in ahead.batches(batches):
                with clock.stage(STORE_STAGE, len(batch)):
                    _commit_batch(run, batch, verdicts)
                    statistics.grew_by(len(batch))
                if progress is not None:
                    progress(run)
    except IngestError as exc:
        return _finish(run, ImportRun.Status.FAILED, str(exc))
    except ImportConflict:
        raise  # the run belongs to the other process
    except Exception as exc:
        # A bug or a database failure: say so on the run. Importing again starts a new run,
        # which finds the committed posts already stored.
        _finish(run, ImportRun.Status.FAILED, f"stopped by an unexpected error: {exc!r}")
        raise
    run = _finish(run, ImportRun.Status.FINISHED)
    # The import marked the days of its posts stale: roll them up now (on a worker, or here
    # without one), so that the dashboard does not pay for it on its next load.
    from tropewatch.impact.tasks import refresh_rollups_task  # tasks import the Celery app

    refresh_rollups_task.delay(run.org_id)
    return run


def _skip(items: Iterator[Item], count: int) -> Iterator[Item]:
    """Drop the records committed by an earlier attempt. Parsing is deterministic, so the
    first ``count`` items are exactly those records."""
    for _ in range(count):
        if next(items, None) is None:
            return
    yield from items


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Batches of ``size`` items. When the input turns out to be broken, the records read
    before the break are handed over as a last batch before the error is raised."""
    batch: list[Item] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except IngestError:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


@dataclass
class SortedBatch:
    records: list[PostRecord] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # passed over on purpose, by reason
    errors: list[RecordError] = field(default_factory=list)


def sort_batch(batch: list[Item], source: str) -> SortedBatch:
    """The records to store, those passed over on purpose, and the errors to report."""
    sorted_batch = SortedBatch()
    for item in batch:
        problem = item if isinstance(item, RecordError) else unstorable(item, source)
        if problem is None:
            sorted_batch.records.append(item)
        elif problem.is_skip:
            sorted_batch.skipped[problem.kind] += 1
        else:
            sorted_batch.errors.append(problem)
    return sorted_batch


def _commit_batch(run: ImportRun, batch: list[Item], verdicts: Verdicts) -> None:
    sorted_batch = sort_batch(batch, run.input_path)
    records, errors = sorted_batch.records, sorted_batch.errors
    skipped = sum(sorted_batch.skipped.values())
    skip_reasons = dict(Counter(run.skip_reasons) + sorted_batch.skipped)
    stored_errors = run.error_list + [
        _error_entry(e) for e in errors[: max(0, MAX_STORED_ERRORS - len(run.error_list))]
    ]
    with transaction.atomic():
        counts = store_records(run.org, run.source, records, run.org.policy, verdicts)
        heartbeat = timezone.now()
        # Advancing only from the cursor and heartbeat this process wrote makes a second
        # process working on the same run fail here, instead of both committing the same
        # records: one that advanced the run, or took it over (a worker's sweep re-queues a
        # run whose heartbeat went stale, and another worker claims it).
        advanced = _owned(run).update(
            records_committed=F("records_committed") + len(batch),
            new_count=F("new_count") + counts.new,
            updated_count=F("updated_count") + counts.updated,
            skipped_count=F("skipped_count") + counts.skipped + skipped,
            skip_reasons=skip_reasons,
            error_count=F("error_count") + len(errors),
            error_list=stored_errors,
            # Progress: the run is alive, and no worker has died on the batch after it yet.
            heartbeat_at=heartbeat,
            lost_attempts=0,
        )
        if not advanced:
            raise _conflict(run)
    run.records_committed += len(batch)
    run.new_count += counts.new
    run.updated_count += counts.updated
    run.skipped_count += counts.skipped + skipped
    run.skip_reasons = skip_reasons
    run.error_count += len(errors)
    run.error_list = stored_errors
    run.heartbeat_at = heartbeat
    run.lost_attempts = 0


def unstorable(record: PostRecord, source: str) -> RecordError | None:
    """A record the database cannot hold as given: an id longer than its column."""
    for name in ("platform_id", "parent_platform_id", "thread_root_id"):
        value = getattr(record, name)
        if value is not None and len(value) > PLATFORM_ID_LENGTH:
            return RecordError(
                source=source,
                line=record.source_line,
                record=None,
                message=f"{name} {value[:40]!r}... is longer than "
                f"{PLATFORM_ID_LENGTH} characters",
            )
    return None


def _error_entry(error: RecordError) -> dict[str, Any]:
    return {
        "source": error.source,
        "line": error.line,
        "record": error.record,
        "kind": error.kind,
        "message": error.message,
    }


def _finish(run: ImportRun, status: str, message: str = "") -> ImportRun:
    finished_at = timezone.now()
    if not _owned(run).update(status=status, message=message, finished_at=finished_at):
        raise _conflict(run)
    run.status = status
    run.message = message
    run.finished_at = finished_at
    return run


def _owned(run: ImportRun) -> QuerySet[ImportRun]:
    """``run`` as this process last wrote it: still running, at its cursor and heartbeat."""
    return ImportRun.objects.filter(
        pk=run.pk,
        status=ImportRun.Status.RUNNING,
        records_committed=run.records_committed,
        heartbeat_at=run.heartbeat_at,
    )


def _conflict(run: ImportRun) -> ImportConflict:
    return ImportConflict(
        f"import #{run.pk} of {run.input_path} was advanced by another process, or taken "
        f"over after {settings.IMPORT_STALE_SECONDS} s without a commit "
        "(IMPORT_STALE_SECONDS); run one import of an input at a time"
    )
