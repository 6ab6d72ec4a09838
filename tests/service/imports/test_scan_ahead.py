"""Imports whose next batches are judged in worker processes (imports/scan_ahead.py) store
exactly what an import judged in-process stores."""

from __future__ import annotations

import multiprocessing

import pytest

from service.exports import write_pages
from tropewatch.imports.models import ImportRun
from tropewatch.imports.scan_ahead import scan_ahead, worker_count
from tropewatch.imports.services import run_import
from tropewatch.ingest import parse_file
from tropewatch.posts.models import Detection, Source
from tropewatch.posts.scanning import current_model_version

DETECTION_FIELDS = ("post__platform_id", "antisemitic", "score", "categories", "spans",
                    "counter_speech", "explanation", "model_version", "policy",
                    "content_sha256")


@pytest.fixture
def with_workers(settings):
    settings.IMPORT_SCAN_PROCESSES = 2
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 0


def _detections(org) -> list[tuple]:
    return sorted(Detection.objects.for_org(org).values_list(*DETECTION_FIELDS))


def _import(org, path) -> ImportRun:
    source = Source.objects.create(org=org, platform="x", kind="hashtag", name="#topic")
    return run_import(org, source, path, "x", batch_size=40)


def test_workers_store_the_verdicts_the_importing_process_would(
    org, other_org, tmp_path, settings
):
    export = write_pages(tmp_path / "tweets.jsonl", 300)
    settings.IMPORT_SCAN_PROCESSES = 0
    alone = _import(org, export)
    settings.IMPORT_SCAN_PROCESSES = 2
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 0

    ahead = _import(other_org, export)

    assert (ahead.status, ahead.new_count) == (alone.status, alone.new_count) == (
        ImportRun.Status.FINISHED, 300)
    assert _detections(other_org) == _detections(org)
    assert Detection.objects.for_org(org).filter(antisemitic=True).exists()


def test_the_workers_judge_every_new_text_of_a_batch(org, tmp_path, with_workers):
    export = write_pages(tmp_path / "tweets.jsonl", 90)

    with scan_ahead(org, export.stat().st_size) as ahead:
        assert ahead.judges is not None
        batches = list(ahead.batches([list(parse_file(export, "x"))]))

    ((batch, verdicts),) = batches
    assert set(verdicts) == {record.text for record in batch}
    assert {v["model_version"] for v in verdicts.values()} == {current_model_version(org)}


def test_a_reimport_gives_the_workers_nothing_to_judge(org, tmp_path, with_workers):
    export = write_pages(tmp_path / "tweets.jsonl", 60)
    _import(org, export)

    with scan_ahead(org, export.stat().st_size) as ahead:
        ((_, verdicts),) = list(ahead.batches([list(parse_file(export, "x"))]))

    assert verdicts == {}


def test_a_broken_input_keeps_the_batches_read_before_the_break(
    org, other_org, tmp_path, settings
):
    export = write_pages(tmp_path / "tweets.jsonl", 200, truncate=True)
    settings.IMPORT_SCAN_PROCESSES = 0
    alone = _import(org, export)
    settings.IMPORT_SCAN_PROCESSES = 2
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 0

    ahead = _import(other_org, export)

    assert ahead.status == alone.status == ImportRun.Status.FAILED
    assert ahead.message == alone.message
    assert ahead.records_committed == alone.records_committed == 150
    assert _detections(other_org) == _detections(org)


def test_small_inputs_are_judged_in_process(settings):
    settings.IMPORT_SCAN_PROCESSES = 2
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 1024

    assert worker_count(1023) == 0
    assert worker_count(1024) == 2


def _count_in_daemon(queue) -> None:
    queue.put(worker_count(10**9))


def test_a_celery_pool_process_judges_in_process(settings):
    # Celery's prefork pool runs tasks in daemonic processes, which may not start children.
    settings.IMPORT_SCAN_PROCESSES = 2
    settings.IMPORT_SCAN_AHEAD_MIN_BYTES = 0
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_count_in_daemon, args=(queue,), daemon=True)
    child.start()
    child.join(30)

    assert queue.get(timeout=5) == 0
