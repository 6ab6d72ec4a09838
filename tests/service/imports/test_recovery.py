"""Imports whose worker died: the sweep re-queues them, and sets aside one whose same batch
killed two workers. A worker's death is a BaseException out of its import (nothing after it
runs, as after SIGKILL); a dead worker's silence is its heartbeat moved into the past.
tests/integration/test_worker_deaths.py kills real worker processes."""

from datetime import timedelta

import pytest

from service.exports import write_pages
from tropewatch.imports.models import ImportRun
from tropewatch.imports.recovery import Sweep, claim, queue, requeue_stalled
from tropewatch.imports.services import ImportConflict, execute_import, prepare_import
from tropewatch.imports.tasks import import_file_task
from tropewatch.posts.models import Post, Source
from tropewatch.web.celery import app

POSTS = 25
BATCH = 10


class WorkerDied(BaseException):
    """What the rest of a killed process sees of its import: nothing more happens."""


def die(run: ImportRun) -> None:
    raise WorkerDied


@pytest.fixture
def no_worker(monkeypatch):
    """Tasks go to an in-memory queue that nobody reads, as when every worker is down."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)


def queued_run(org, source, tmp_path) -> ImportRun:
    return prepare_import(org, source, write_pages(tmp_path / "tweets.jsonl", POSTS), "x")


def worker_dies_after_a_batch(run_id: int) -> ImportRun:
    """A worker takes the run, commits one batch and is killed on the next."""
    run = claim(run_id)
    assert run is not None
    with pytest.raises(WorkerDied):
        execute_import(run, batch_size=BATCH, progress=die)
    return ImportRun.objects.get(pk=run_id)


def falls_silent(run: ImportRun, settings) -> None:
    stale = run.heartbeat_at - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=stale)


def test_the_sweep_resumes_a_run_whose_worker_died_and_leaves_a_live_one(
    org, source, other_org, tmp_path, settings
):
    dead = worker_dies_after_a_batch(queued_run(org, source, tmp_path).pk)
    other = Source.objects.create(org=other_org, platform="x", kind="hashtag", name="#topic")
    live = worker_dies_after_a_batch(queued_run(other_org, other, tmp_path).pk)
    falls_silent(dead, settings)

    sweep = requeue_stalled()  # without Redis the task runs here, as a worker would

    assert [run.pk for run in sweep.requeued] == [dead.pk]
    assert sweep.set_aside == []
    dead.refresh_from_db()
    assert (dead.status, dead.records_committed, dead.new_count) == ("finished", POSTS, POSTS)
    assert dead.lost_attempts == 0  # its batches committed
    assert Post.objects.for_org(org).count() == POSTS
    live.refresh_from_db()
    assert (live.status, live.records_committed) == ("running", BATCH)
    assert Post.objects.for_org(other_org).count() == BATCH


def test_a_run_whose_same_batch_killed_two_workers_is_set_aside_and_not_queued_again(
    org, source, tmp_path, settings, no_worker
):
    run = worker_dies_after_a_batch(queued_run(org, source, tmp_path).pk)
    falls_silent(run, settings)
    assert [r.pk for r in requeue_stalled().requeued] == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.lost_attempts) == ("queued", 1)

    second = claim(run.pk)  # the next worker takes it and is killed before committing
    falls_silent(second, settings)
    sweep = requeue_stalled()

    assert sweep.requeued == []
    assert [r.pk for r in sweep.set_aside] == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.lost_attempts, run.records_committed) == ("failed", 2, BATCH)
    assert run.message.startswith(
        f"set aside: 2 workers died importing the batch after record {BATCH} "
    )
    assert run.finished_at is not None
    assert Post.objects.for_org(org).count() == BATCH  # what it had committed stays
    assert requeue_stalled() == Sweep()  # nothing left to sweep
    assert import_file_task(run.pk) == {"status": "failed"}  # a late delivery leaves it


def test_a_batch_committed_between_deaths_clears_the_count(
    org, source, tmp_path, settings, no_worker
):
    run = worker_dies_after_a_batch(queued_run(org, source, tmp_path).pk)
    falls_silent(run, settings)
    requeue_stalled()

    run = worker_dies_after_a_batch(run.pk)  # progress: one more batch, then killed
    assert (run.records_committed, run.lost_attempts) == (2 * BATCH, 0)
    falls_silent(run, settings)
    sweep = requeue_stalled()

    assert [r.pk for r in sweep.requeued] == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.lost_attempts) == ("queued", 1)


def test_a_second_delivery_of_a_running_import_leaves_it_to_its_worker(org, source, tmp_path):
    run = queued_run(org, source, tmp_path)
    assert claim(run.pk) is not None

    assert claim(run.pk) is None
    assert import_file_task(run.pk) == {"status": "running"}
    assert Post.objects.count() == 0


def test_a_worker_presumed_dead_that_carries_on_stops_at_its_next_commit(
    org, source, tmp_path, settings, no_worker
):
    run = claim(queued_run(org, source, tmp_path).pk)

    def taken_over_meanwhile(current: ImportRun) -> None:
        if current.records_committed == BATCH:  # its next batch is slower than the limit
            falls_silent(current, settings)
            requeue_stalled()
            claim(current.pk)  # and the next worker takes the run

    with pytest.raises(ImportConflict, match="taken over"):
        execute_import(run, batch_size=BATCH, progress=taken_over_meanwhile)
    run.refresh_from_db()
    assert (run.status, run.records_committed) == ("running", BATCH)
    assert Post.objects.for_org(org).count() == BATCH


def test_an_import_run_in_a_terminal_is_not_swept(org, source, tmp_path, settings):
    run = queued_run(org, source, tmp_path)
    with pytest.raises(WorkerDied):
        execute_import(run, batch_size=BATCH, progress=die)
    falls_silent(run, settings)

    assert requeue_stalled() == Sweep()
    run.refresh_from_db()
    assert run.status == "running"


def test_queueing_a_running_import_waits_until_its_process_has_been_silent(
    org, source, tmp_path, settings, no_worker
):
    run = queued_run(org, source, tmp_path)
    with pytest.raises(WorkerDied):
        execute_import(run, batch_size=BATCH, progress=die)

    assert queue(run) is False
    assert ImportRun.objects.get(pk=run.pk).status == "running"
    falls_silent(run, settings)
    run.refresh_from_db()
    assert queue(run) is True
    assert ImportRun.objects.get(pk=run.pk).status == "queued"
