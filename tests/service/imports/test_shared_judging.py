"""A worker's import hands its batches to the other workers as chunks
(imports/shared_judging.py), and stores what it would have stored judging them itself,
whether a worker judged a chunk, nobody took it, or the worker that took it went quiet.

The real workers, on Redis and PostgreSQL, are in tests/integration/test_shared_judging.py."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from service.exports import write_pages
from tropewatch.imports.judging import judge
from tropewatch.imports.models import ImportRun, JudgingChunk
from tropewatch.imports.scan_ahead import ScanAhead, scan_ahead, shares_with_workers
from tropewatch.imports.services import execute_import, prepare_import, run_import
from tropewatch.imports.shared_judging import ChunkVerdicts, WorkerJudges, judge_chunk
from tropewatch.ingest import parse_file
from tropewatch.posts.models import Detection, Source

from .test_scan_ahead import DETECTION_FIELDS

TEXTS = [
    "The Rothschilds control the banks and the media.",
    "Council meeting moved to Thursday.",
]


@pytest.fixture
def run(org, tmp_path) -> ImportRun:
    source = Source.objects.create(org=org, platform="x", kind="hashtag", name="#topic")
    return prepare_import(org, source, write_pages(tmp_path / "tweets.jsonl", 10), "x")


def held_back(chunk_id: int) -> None:
    """No worker takes the chunk: every one is busy, or the importing one is the only one."""


def test_a_chunk_a_worker_judged_gives_its_verdicts_and_is_deleted(run):
    judges = WorkerJudges(run, send=judge_chunk)  # a worker takes each chunk at once

    verdicts = judges.judge(TEXTS, "ihra").result()

    assert verdicts == judge(TEXTS, "ihra")
    assert not JudgingChunk.objects.exists()


def test_a_worker_leaves_its_verdicts_on_the_chunk_and_clears_the_texts(run):
    chunk = JudgingChunk.objects.create(org=run.org, run=run, policy="ihra", texts=TEXTS)

    assert judge_chunk(chunk.pk) == 2

    chunk.refresh_from_db()
    assert (chunk.status, chunk.texts) == (JudgingChunk.Status.DONE, [])
    assert chunk.verdicts == judge(TEXTS, "ihra")
    assert chunk.claimed_by.endswith(f":{os.getpid()}")


def test_a_chunk_nobody_took_is_judged_by_the_importing_process(run):
    future = WorkerJudges(run, send=held_back).judge(TEXTS, "ihra")

    assert future.result() == judge(TEXTS, "ihra")
    assert not JudgingChunk.objects.exists()


def test_a_chunk_already_taken_is_not_judged_again_by_a_worker(run):
    chunk = JudgingChunk.objects.create(
        org=run.org, run=run, policy="ihra", texts=TEXTS, status=JudgingChunk.Status.RUNNING,
        claimed_by="elsewhere:1", claimed_at=timezone.now(),
    )

    assert judge_chunk(chunk.pk) == 0

    chunk.refresh_from_db()
    assert (chunk.status, chunk.claimed_by, chunk.verdicts) == ("running", "elsewhere:1", None)


def test_a_chunk_a_worker_failed_on_is_handed_back_at_once(run, monkeypatch):
    chunk = JudgingChunk.objects.create(org=run.org, run=run, policy="ihra", texts=TEXTS)

    def broken(texts, policy):
        raise MemoryError("the detector failed")

    monkeypatch.setattr("tropewatch.imports.shared_judging.judge", broken)
    with pytest.raises(MemoryError):
        judge_chunk(chunk.pk)

    chunk.refresh_from_db()
    assert (chunk.status, chunk.claimed_by, chunk.texts) == ("queued", "", TEXTS)
    monkeypatch.undo()
    # The importing worker then takes it as one nobody took, without waiting.
    assert ChunkVerdicts(chunk.pk, TEXTS, "ihra").result() == judge(TEXTS, "ihra")


def test_a_deleted_chunk_is_nothing_for_a_worker(run):
    assert judge_chunk(12345) == 0


def test_a_chunk_whose_worker_went_quiet_is_judged_by_the_importing_process(run, settings):
    settings.IMPORT_CHUNK_STALE_SECONDS = 60
    future = WorkerJudges(run, send=held_back).judge(TEXTS, "ihra")
    # A worker took it 61 s ago and was killed before it answered.
    JudgingChunk.objects.filter(pk=future.chunk_id).update(
        status=JudgingChunk.Status.RUNNING, claimed_by="gone:1",
        claimed_at=timezone.now() - timedelta(seconds=61),
    )

    assert future.result() == judge(TEXTS, "ihra")
    assert not JudgingChunk.objects.exists()


def test_verdicts_that_do_not_match_the_texts_are_not_used(run):
    future = WorkerJudges(run, send=held_back).judge(TEXTS, "ihra")
    JudgingChunk.objects.filter(pk=future.chunk_id).update(
        status=JudgingChunk.Status.DONE, verdicts=[{"antisemitic": True}]
    )

    assert future.result() == judge(TEXTS, "ihra")


def test_batches_judged_by_workers_carry_the_in_process_verdicts(org, run, tmp_path):
    export = write_pages(tmp_path / "more.jsonl", 120)
    batches = [list(parse_file(export, "x"))[i:i + 50] for i in range(0, 120, 50)]

    ahead = ScanAhead(org, WorkerJudges(run, send=judge_chunk), window=2)
    judged = list(ahead.batches(batches))

    assert [batch for batch, _ in judged] == batches
    for batch, verdicts in judged:
        texts = [record.text for record in batch]
        assert verdicts == dict(zip(texts, judge(texts, org.policy), strict=True))
    assert not JudgingChunk.objects.exists()


@pytest.fixture
def sharing(settings):
    """A worker's import, with Redis: tasks leave the process that sends them (here for a
    broker nobody reads, so the importing process judges every chunk itself)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 0


def test_a_worker_import_with_chunks_stores_what_an_import_in_process_stores(
    org, other_org, tmp_path, settings, sharing
):
    export = write_pages(tmp_path / "tweets.jsonl", 300, missing_id_every=37)
    in_process = run_import(
        org, Source.objects.create(org=org, platform="x", kind="hashtag", name="#t"),
        export, "x", batch_size=40,
    )
    source = Source.objects.create(org=other_org, platform="x", kind="hashtag", name="#t")
    queued = prepare_import(other_org, source, export, "x")

    on_worker = execute_import(queued, batch_size=40, on_worker=True)

    fields = ("status", "records_committed", "new_count", "error_count")
    assert [getattr(on_worker, f) for f in fields] == [getattr(in_process, f) for f in fields]
    assert on_worker.status == ImportRun.Status.FINISHED

    def detections(o):
        return sorted(Detection.objects.for_org(o).values_list(*DETECTION_FIELDS))

    assert detections(other_org) == detections(org)
    assert not JudgingChunk.objects.exists()


def test_chunks_left_by_an_earlier_attempt_are_cleared(run, sharing):
    JudgingChunk.objects.create(org=run.org, run=run, policy="ihra", texts=TEXTS)

    with scan_ahead(run.org, run.file_size, worker_run=run) as ahead:
        assert isinstance(ahead.judges, WorkerJudges)
        assert not JudgingChunk.objects.exists()


def test_when_a_worker_import_shares_its_batches(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 1024
    settings.IMPORT_CHUNKS_AHEAD = 8

    assert shares_with_workers(1024)
    assert not shares_with_workers(1023)  # one worker judges it sooner
    settings.IMPORT_CHUNKS_AHEAD = 0
    assert not shares_with_workers(10**9)
    settings.IMPORT_CHUNKS_AHEAD = 8
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no Redis: a task runs where it is sent
    assert not shares_with_workers(10**9)
