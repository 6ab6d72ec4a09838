from service.exports import write_pages
from tropewatch.imports.models import ImportRun
from tropewatch.imports.services import prepare_import
from tropewatch.imports.tasks import import_file_task
from tropewatch.posts.models import Post
from tropewatch.web.celery import app


def test_without_redis_the_import_task_runs_in_the_calling_process(org, source, tmp_path):
    assert app.conf.task_always_eager  # the service tests run without REDIS_URL
    run = prepare_import(org, source, write_pages(tmp_path / "tweets.jsonl", 25), "x")

    result = import_file_task.delay(run.pk)

    assert result.get() == {"status": "finished", "new": 25, "updated": 0, "skipped": 0,
                            "skip_reasons": {}, "errors": 0}
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.FINISHED
    assert Post.objects.for_org(org).count() == 25
