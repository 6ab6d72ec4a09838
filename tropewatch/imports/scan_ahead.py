"""Scanning an import's next batches in worker processes while this one stores the current.

In one process an import parses, detects and stores in turn, and the detector's cheap stages
are single-threaded Python: a core stays idle for most of the import. Here worker
processes, each with its own detector, judge the batches ahead of the one being committed,
so that parsing and storing overlap with detection and every core works. An import a
Celery worker carries out hands those batches instead to every worker, on any machine, as
chunks (shared_judging.py).

Nothing about resuming changes: batches are still committed one at a time, in input order,
each in its own transaction with the run's cursor, and the verdicts a worker returns are
exactly those the importing process would have computed (the detector's verdict depends on
the text and the policy alone). A worker's verdicts are only a cache: a post the workers did
not judge is judged in-process when its batch is stored.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from tropewatch.ingest.records import PostRecord
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Detection, Post
from tropewatch.posts.scanning import current_model_version
from tropewatch.posts.storing import ids_by_key

from .judging import judge, start_worker
from .models import ImportRun
from .shared_judging import ChunkVerdicts, WorkerJudges

# The verdicts of a batch, as dictionaries (``Verdict.to_dict``), keyed by the post's text.
Verdicts = dict[str, dict]


class Judges(Protocol):
    """Where a batch's texts are judged ahead of their storing: worker processes of this
    import (``ProcessJudges``) or Celery workers anywhere (``shared_judging.WorkerJudges``)."""

    def judge(self, texts: list[str], policy: str) -> Future | ChunkVerdicts: ...


class ProcessJudges:
    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def judge(self, texts: list[str], policy: str) -> Future:
        return self.pool.submit(judge, texts, policy)


@dataclass(frozen=True)
class Judging:
    """Texts sent to a worker, and the future of their verdicts in the same order."""

    texts: list[str]
    future: Future | ChunkVerdicts


def worker_count(input_bytes: int) -> int:
    """How many scanning processes an import of this size gets: none for a small input, where
    starting them (a few seconds each, to load the models) would cost more than it saves, and
    none inside a Celery worker's pool process, which may not start processes of its own."""
    if input_bytes < settings.IMPORT_SCAN_AHEAD_MIN_BYTES:
        return 0
    if multiprocessing.current_process().daemon:
        return 0
    return settings.IMPORT_SCAN_PROCESSES


class ScanAhead:
    """Hands batches to the worker pool as they are read, and back with their verdicts in
    input order, at most ``window`` batches ahead of the one being stored."""

    def __init__(self, org: Organisation, judges: Judges | None, window: int) -> None:
        self.org = org
        self.judges = judges
        self.window = window
        self.model_version = current_model_version(org)

    def batches(self, batches: Iterable[list]) -> Iterator[tuple[list, Verdicts]]:
        """(batch, verdicts) for each batch, in order. When reading the input fails, the
        batches already read are handed over before the error is raised again, as
        ``services._batches`` does for the records before a break."""
        pending: deque[tuple[list, Judging | None]] = deque()
        try:
            for batch in batches:
                pending.append((batch, self._submit(batch)))
                if len(pending) > self.window:
                    yield self._result(*pending.popleft())
        except Exception:
            while pending:
                yield self._result(*pending.popleft())
            raise
        while pending:
            yield self._result(*pending.popleft())

    def _submit(self, batch: list) -> Judging | None:
        if self.judges is None:
            return None
        texts = self._unjudged([item for item in batch if isinstance(item, PostRecord)])
        if not texts:
            return None
        return Judging(texts, self.judges.judge(texts, self.org.policy))

    def _unjudged(self, records: list[PostRecord]) -> list[str]:
        """The texts of records whose stored post has no current verdict on that text: a
        re-import of posts already judged costs the workers nothing."""
        if not records:
            return []
        # The stored posts first, then their detections by post: one query joining the two
        # walked every detection of the organisation, once per batch.
        stored = {
            pk: key for key, pk in
            ids_by_key(Post, self.org, {(r.platform, r.platform_id) for r in records}).items()
        }
        judged = {
            (*stored[post_id], content_sha256)
            for post_id, content_sha256 in Detection.objects.filter(
                post_id__plain_in=list(stored), policy=self.org.policy,
                model_version=self.model_version,
            ).values_list("post_id", "content_sha256")
        }
        return list(dict.fromkeys(
            r.text for r in records if (r.platform, r.platform_id, r.content_sha256) not in judged
        ))

    @staticmethod
    def _result(batch: list, judging: Judging | None) -> tuple[list, Verdicts]:
        if judging is None:
            return batch, {}
        return batch, dict(zip(judging.texts, judging.future.result(), strict=True))


@contextmanager
def scan_ahead(
    org: Organisation, input_bytes: int, *, worker_run: ImportRun | None = None
) -> Iterator[ScanAhead]:
    """A ``ScanAhead`` with as many worker processes as ``worker_count`` allows (none: the
    batches pass through and are judged in-process when stored). ``worker_run`` is an import
    a Celery worker carries out: its batches go to every worker as chunks instead."""
    if worker_run is not None and shares_with_workers(input_bytes):
        judges = WorkerJudges(worker_run)
        judges.clear()
        try:
            yield ScanAhead(org, judges, window=settings.IMPORT_CHUNKS_AHEAD)
        finally:
            judges.clear()
        return
    workers = worker_count(input_bytes)
    if workers < 1:
        yield ScanAhead(org, None, 0)
        return
    # spawn, not fork: the importing process holds database connections and onnxruntime's
    # threads, neither of which survives a fork.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker) as pool:
        yield ScanAhead(org, ProcessJudges(pool), window=workers + 1)


def shares_with_workers(input_bytes: int) -> bool:
    """Whether a worker's import hands its batches to the other workers: not for a small
    input, which one worker judges in less time than chunks take to pass through the
    database; not without Redis, where a task runs in the process that sends it."""
    return (
        settings.IMPORT_CHUNKS_AHEAD > 0
        and input_bytes >= settings.IMPORT_SCAN_AHEAD_MIN_BYTES
        and not settings.CELERY_TASK_ALWAYS_EAGER
    )
