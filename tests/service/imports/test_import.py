from __future__ import annotations

import pytest

from service.exports import tweet_id, write_pages
from tropewatch.imports.models import ImportRun
from tropewatch.imports.services import run_import
from tropewatch.posts.models import Author, Detection, Post


def _import(org, source, path, **kwargs) -> ImportRun:
    return run_import(org, source, path, "x", batch_size=kwargs.pop("batch_size", 40), **kwargs)


def test_it_stores_every_post_once_with_its_author_and_detection(org, source, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 100, users=7)

    run = _import(org, source, export)

    assert run.status == ImportRun.Status.FINISHED
    assert (run.new_count, run.updated_count, run.skipped_count, run.error_count) == (100, 0, 0, 0)
    assert run.records_committed == 100
    assert Post.objects.for_org(org).count() == 100
    assert Author.objects.for_org(org).count() == 7
    post = Post.objects.get(platform_id=tweet_id(3))
    assert post.author.handle == "user3"
    assert post.reach == {"likes": 3, "shares": 0, "replies": 0, "views": 30}
    assert post.detections.count() == 1
    assert set(Detection.objects.for_org(org).values_list("post_id", flat=True)) == set(
        Post.objects.values_list("pk", flat=True)
    )


def test_importing_the_same_file_again_updates_nothing_and_duplicates_nothing(
    org, source, tmp_path
):
    export = write_pages(tmp_path / "tweets.jsonl", 100)
    first = _import(org, source, export)
    detections = list(Detection.objects.order_by("pk").values_list("pk", "post_id", "created_at"))

    second = _import(org, source, export)

    assert second.pk != first.pk
    assert (second.new_count, second.updated_count, second.skipped_count) == (0, 0, 100)
    assert Post.objects.count() == 100
    assert Author.objects.count() == 7
    # nothing changed, so nothing was scanned again
    assert list(Detection.objects.order_by("pk").values_list("pk", "post_id", "created_at")) == (
        detections
    )


def test_a_later_export_updates_changed_posts_and_rescans_only_changed_text(
    org, source, tmp_path
):
    _import(org, source, write_pages(tmp_path / "first.jsonl", 50))
    before = dict(Detection.objects.values_list("post__platform_id", "content_sha256"))
    edited = "The Rothschilds own the banks and the media, wake up. (edited)"
    later = write_pages(tmp_path / "later.jsonl", 60, texts={4: edited})

    run = _import(org, source, later)

    assert (run.new_count, run.updated_count, run.skipped_count) == (10, 1, 49)
    edited_post = Post.objects.get(platform_id=tweet_id(4))
    assert edited_post.text == edited
    detection = edited_post.detections.get()
    assert detection.content_sha256 == edited_post.content_sha256 != before[tweet_id(4)]
    assert Detection.objects.count() == 60


def test_changed_reach_counts_as_updated_without_a_new_scan(org, source, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 20)
    _import(org, source, export)
    detection_times = dict(Detection.objects.values_list("post_id", "created_at"))
    export.write_text(export.read_text().replace('"like_count": 3,', '"like_count": 300,'))

    run = _import(org, source, export)

    assert (run.new_count, run.updated_count, run.skipped_count) == (0, 2, 18)
    post = Post.objects.get(platform_id=tweet_id(3))
    assert post.reach["likes"] == 300
    assert post.updated_at > post.imported_at  # updated, still known since the first import
    assert dict(Detection.objects.values_list("post_id", "created_at")) == detection_times


def test_replies_are_linked_to_parents_that_arrive_later(org, source, tmp_path):
    # tweet 1 replies to tweet 11, which comes in a later batch
    _import(org, source, write_pages(tmp_path / "tweets.jsonl", 30), batch_size=5)

    reply = Post.objects.get(platform_id=tweet_id(1))
    assert reply.parent_platform_id == tweet_id(11)
    assert reply.parent == Post.objects.get(platform_id=tweet_id(11))
    # tweet 21 replies to tweet 31, which is not in the file: it waits, unlinked
    waiting = Post.objects.get(platform_id=tweet_id(21))
    assert waiting.parent is None and waiting.parent_platform_id == tweet_id(31)


def test_a_reply_waiting_for_its_parent_is_linked_by_a_later_import(org, source, tmp_path):
    _import(org, source, write_pages(tmp_path / "first.jsonl", 30))
    _import(org, source, write_pages(tmp_path / "more.jsonl", 40))

    assert Post.objects.get(platform_id=tweet_id(21)).parent.platform_id == tweet_id(31)


def test_bad_records_are_reported_with_their_line_and_the_rest_imported(org, source, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 100, page_size=10, missing_id_every=25)

    run = _import(org, source, export)

    assert run.status == ImportRun.Status.FINISHED
    assert run.error_count == 4
    assert run.new_count == 96
    first = run.error_list[0]
    assert first["source"] == str(export)
    assert first["line"] == 3  # tweet 24 is on the third page, the file's third line
    assert first["kind"] == "missing_id"
    assert "id" in first["message"]


def test_a_broken_file_fails_the_run_and_keeps_what_came_before(org, source, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 100, page_size=10, truncate=True)

    run = _import(org, source, export, batch_size=25)

    assert run.status == ImportRun.Status.FAILED
    assert str(export) in run.message
    assert "line 10" in run.message
    # the nine whole pages before the cut, also the four that did not fill a batch
    assert run.new_count == 90
    assert Post.objects.count() == 90
    assert Detection.objects.count() == 90


def test_the_error_list_is_bounded_but_every_error_is_counted(
    org, source, tmp_path, monkeypatch
):
    monkeypatch.setattr("tropewatch.imports.services.MAX_STORED_ERRORS", 3)
    export = write_pages(tmp_path / "tweets.jsonl", 100, missing_id_every=10)

    run = _import(org, source, export)

    assert run.error_count == 10
    assert len(run.error_list) == 3


def test_the_same_ids_in_two_organisations_stay_apart(org, source, tmp_path):
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Source

    other = Organisation.objects.create(name="Complaints unit", slug="complaints")
    other_source = Source.objects.create(org=other, platform="x", name="#topic")
    export = write_pages(tmp_path / "tweets.jsonl", 30)

    _import(org, source, export)
    run = _import(other, other_source, export)

    assert run.new_count == 30  # not "skipped": the first organisation's posts are not its own
    for organisation in (org, other):
        posts = Post.objects.for_org(organisation)
        assert posts.count() == 30
        assert set(posts.values_list("author__org", flat=True)) == {organisation.pk}
        assert set(posts.values_list("parent__org", flat=True)) <= {organisation.pk, None}
        assert Detection.objects.for_org(organisation).count() == 30
        assert set(
            Detection.objects.for_org(organisation).values_list("post__org", flat=True)
        ) == {organisation.pk}


def test_an_unfinished_run_of_the_same_input_is_resumed_not_restarted(org, source, tmp_path):
    export = write_pages(tmp_path / "tweets.jsonl", 100)
    first = _import(org, source, export)
    # Make it look as a process killed after 40 records leaves it. Post 0 is gone too: were
    # the committed records read again, it would come back.
    ImportRun.objects.filter(pk=first.pk).update(
        status="running", records_committed=40, new_count=40
    )
    Post.objects.filter(platform_id__in=[tweet_id(n) for n in (0, *range(40, 100))]).delete()
    moved = export.rename(tmp_path / "moved.jsonl")

    resumed = _import(org, source, moved)

    assert resumed.pk == first.pk
    assert resumed.status == ImportRun.Status.FINISHED
    assert resumed.input_path == str(moved)
    assert (resumed.records_committed, resumed.new_count) == (100, 100)
    assert Post.objects.count() == 99
    assert not Post.objects.filter(platform_id=tweet_id(0)).exists()


@pytest.mark.parametrize("field", ["platform_id", "parent_platform_id"])
def test_an_id_too_long_to_store_is_a_record_error(org, source, tmp_path, field):
    export = write_pages(tmp_path / "tweets.jsonl", 10)
    long_id = "9" * 600
    replacement = {"platform_id": f'"id": "{long_id}"',
                   "parent_platform_id": f'"replied_to", "id": "{long_id}"'}[field]
    original = {"platform_id": f'"id": "{tweet_id(1)}"',
                "parent_platform_id": f'"replied_to", "id": "{tweet_id(11)}"'}[field]
    export.write_text(export.read_text().replace(original, replacement, 1))

    run = _import(org, source, export)

    assert run.error_count == 1
    assert field in run.error_list[0]["message"]
    assert Post.objects.count() == 9


def test_a_second_process_advancing_the_same_run_stops_this_one(org, source, tmp_path):
    from django.db.models import F

    from tropewatch.imports.services import ImportConflict, execute_import, prepare_import

    run = prepare_import(org, source, write_pages(tmp_path / "tweets.jsonl", 100), "x")

    def another_process_commits(current: ImportRun) -> None:
        ImportRun.objects.filter(pk=current.pk).update(
            records_committed=F("records_committed") + 40
        )

    with pytest.raises(ImportConflict, match="advanced by another process"):
        execute_import(run, batch_size=40, progress=another_process_commits)
    assert Post.objects.count() == 40  # the first batch only; the second was rolled back


def test_a_reply_keeps_its_parents_address_while_the_parent_is_not_imported(org, source):
    from ingest.ingest_helpers import FIXTURES

    run_import(org, source, FIXTURES / "x" / "archive" / "data" / "tweets.js", "x")

    reply = Post.objects.get(parent_platform_id="1723450000000000000")
    assert reply.parent is None
    assert reply.parent_url == "https://x.com/bensample/status/1723450000000000000"
