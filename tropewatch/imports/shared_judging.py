"""Judging a worker's import on every worker: each batch's texts become a chunk that any
Celery worker, on this machine or another, may take.

Only detection is spread. Storing stays with the one worker that carries out the import,
batch by batch in input order, each batch in its own transaction with the run's cursor
(services.py), so an import spread over many workers stores exactly the rows a single
worker would: the verdicts depend on the text and the policy alone, and clustering, threads
and counts see the posts in the same order.

A chunk is a cache, never a promise. The importing worker judges a chunk itself when it
needs the verdicts and no worker has taken the chunk (every worker is busy, or there is only
the one), or when the worker that took it has not answered for IMPORT_CHUNK_STALE_SECONDS
(it was killed, or its machine went away). A worker killed mid-chunk therefore loses
nothing, and since only the importing worker stores, nothing is stored twice. The texts
wait in the database rather than in the task's message: a chunk the importing worker judged
itself leaves only a chunk id behind in Redis, not its posts.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .judging import judge
from .models import ImportRun, JudgingChunk

logger = logging.getLogger(__name__)

Chunk = JudgingChunk.Status
# How often the importing worker looks for a chunk it is waiting on: first soon (a chunk
# takes about a second), then less often.
FIRST_LOOK_S = 0.01
LAST_LOOK_S = 0.5


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(chunk_id: int) -> bool:
    """Take the queued chunk for this process, in one conditional UPDATE: of a worker and
    the importing process reaching for it at once, one gets it."""
    return bool(
        JudgingChunk.objects.filter(pk=chunk_id, status=Chunk.QUEUED).update(
            status=Chunk.RUNNING, claimed_by=this_process(), claimed_at=timezone.now()
        )
    )


def judge_chunk(chunk_id: int) -> int:
    """A worker's part: judge the chunk if it is still queued, and leave its verdicts on it.
    Returns how many texts it judged (0: the chunk was taken, or is gone)."""
    if not claim(chunk_id):
        return 0
    chunk = JudgingChunk.objects.filter(pk=chunk_id).values("policy", "texts").first()
    if chunk is None:
        return 0
    try:
        verdicts = judge(chunk["texts"], chunk["policy"])
    except Exception:
        # Handed back at once, rather than left to go stale: the importing worker judges it
        # itself, and an error that is the texts' fails the import there, with its message.
        JudgingChunk.objects.filter(
            pk=chunk_id, status=Chunk.RUNNING, claimed_by=this_process()
        ).update(status=Chunk.QUEUED, claimed_by="", claimed_at=None)
        raise
    # Only while still ours: the importing worker may have judged it meanwhile and moved on.
    JudgingChunk.objects.filter(
        pk=chunk_id, status=Chunk.RUNNING, claimed_by=this_process()
    ).update(status=Chunk.DONE, verdicts=verdicts, texts=[])
    return len(verdicts)


class ChunkVerdicts:
    """The verdicts of one chunk, as a future: ``result`` waits for a worker, or judges the
    texts here when none will answer."""

    def __init__(self, chunk_id: int, texts: list[str], policy: str) -> None:
        self.chunk_id = chunk_id
        self.texts = texts
        self.policy = policy

    def result(self) -> list[dict]:
        stale = timedelta(seconds=settings.IMPORT_CHUNK_STALE_SECONDS)
        pause = FIRST_LOOK_S
        while True:
            chunk = (
                JudgingChunk.objects.filter(pk=self.chunk_id)
                .values("status", "claimed_at", "claimed_by", "verdicts")
                .first()
            )
            if chunk is None:  # the run's chunks were cleared: nobody will answer
                return judge(self.texts, self.policy)
            if chunk["status"] == Chunk.DONE:
                if len(chunk["verdicts"]) == len(self.texts):
                    self._forget()
                    return chunk["verdicts"]
                return self._judge_here()
            if chunk["status"] == Chunk.QUEUED and claim(self.chunk_id):
                return self._judge_here()
            if (
                chunk["status"] == Chunk.RUNNING
                and chunk["claimed_at"] < timezone.now() - stale
            ):
                logger.warning(
                    "%s took chunk #%s and has not answered for %s s "
                    "(IMPORT_CHUNK_STALE_SECONDS): judging it here",
                    chunk["claimed_by"], self.chunk_id, settings.IMPORT_CHUNK_STALE_SECONDS,
                )
                return self._judge_here()
            time.sleep(pause)
            pause = min(pause * 2, LAST_LOOK_S)

    def _judge_here(self) -> list[dict]:
        verdicts = judge(self.texts, self.policy)
        self._forget()
        return verdicts

    def _forget(self) -> None:
        JudgingChunk.objects.filter(pk=self.chunk_id).delete()


def send_to_workers(chunk_id: int) -> None:
    from .tasks import judge_chunk_task  # the tasks module imports the Celery app

    judge_chunk_task.delay(chunk_id)


class WorkerJudges:
    """Turns an import's batches into chunks for the workers. ``send`` hands a chunk's id to
    them (a Celery task; a test may hold it back, as a deployment with one worker does)."""

    def __init__(
        self, run: ImportRun, send: Callable[[int], None] = send_to_workers
    ) -> None:
        self.run = run
        self.send = send

    def judge(self, texts: list[str], policy: str) -> ChunkVerdicts:
        chunk = JudgingChunk.objects.create(
            org_id=self.run.org_id, run=self.run, policy=policy, texts=texts
        )
        self.send(chunk.pk)
        return ChunkVerdicts(chunk.pk, texts, policy)

    def clear(self) -> None:
        """Drop the run's chunks: those a process that carried the run before left behind,
        or those read ahead of an input error. Their posts need not wait in the database."""
        JudgingChunk.objects.filter(org_id=self.run.org_id, run=self.run).delete()
