"""The queue's stored priority (Detection.priority) is the key the queue used to compute for
every row: written where its inputs change, and ordering the queue as the computed key did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tropewatch.ingest.records import PostRecord
from tropewatch.posts.models import Detection
from tropewatch.posts.storing import store_records
from tropewatch.review.priority import fill, priority_key, refresh_org, reporters
from tropewatch.review.queue import queue
from tropewatch.submissions.services import Flag, submit

FLAGGED_TEXT = "The Rothschilds control the banks."
HARMLESS = "Lovely challah at the bakery this morning."


def computed(detection: Detection) -> float | None:
    """The key as the queue computed it per query before it was stored."""
    return (Detection.objects.filter(pk=detection.pk).annotate(reporters=reporters())
            .annotate(key=priority_key()).values_list("key", flat=True).get())


def stored(post) -> Detection:
    return Detection.objects.get(post=post)


def record(platform_id: str, text: str = FLAGGED_TEXT, reach: dict | None = None,
           age: timedelta = timedelta(hours=2)) -> PostRecord:
    return PostRecord(platform="x", platform_id=platform_id, text=text,
                      created_at=datetime(2026, 11, 20, 12, tzinfo=UTC) - age, url=None,
                      author=None, reach=reach or {})


def a_flag(text: str = HARMLESS, url: str = "https://x.com/u/status/77") -> Flag:
    return Flag(platform="x", url=url, seen_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
                text=text, platform_id="77")


@pytest.fixture
def supporters(django_user_model):
    return [django_user_model.objects.create_user(f"supporter{n}") for n in range(3)]


def test_a_scan_stores_the_computed_key_on_a_flagged_detection(org, source):
    store_records(org, source, [record("1", reach={"likes": 40, "shares": 3})], org.policy)

    detection = Detection.objects.get(post__platform_id="1")
    assert detection.antisemitic
    assert detection.priority is not None
    assert detection.priority == pytest.approx(computed(detection), rel=1e-12)


def test_a_detection_that_flags_nothing_stores_none(org, source):
    store_records(org, source, [record("1", text=HARMLESS)], org.policy)

    detection = Detection.objects.get(post__platform_id="1")
    assert not detection.antisemitic and detection.priority is None


def test_a_new_reach_on_import_again_raises_the_stored_priority(org, source):
    store_records(org, source, [record("1", reach={"likes": 1})], org.policy)
    before = Detection.objects.get(post__platform_id="1").priority

    store_records(org, source, [record("1", reach={"likes": 90_000})], org.policy)

    detection = Detection.objects.get(post__platform_id="1")
    assert detection.priority > before
    assert detection.priority == pytest.approx(computed(detection), rel=1e-12)


def test_a_supporters_flag_sets_it_and_each_new_reporter_raises_it(org, supporters):
    first = submit(org, supporters[0], a_flag())
    detection = stored(first.post)
    assert not detection.antisemitic  # in the queue only because a person flagged it
    one_reporter = detection.priority
    assert one_reporter == pytest.approx(computed(detection), rel=1e-12)

    submit(org, supporters[1], a_flag())

    detection = stored(first.post)
    assert detection.priority > one_reporter
    assert detection.priority == pytest.approx(computed(detection), rel=1e-12)
    assert [item.post_id for item in queue(org, supporters[0])] == [first.post.pk]


def test_new_text_clears_the_priority_of_verdicts_on_the_old_text(org, source, members):
    other_policy = "jda" if org.policy != "jda" else "ihra"
    store_records(org, source, [record("1")], other_policy)
    store_records(org, source, [record("1")], org.policy)
    older = Detection.objects.get(post__platform_id="1", policy=other_policy)
    assert older.priority is not None

    # The post's text changes: the verdict under the org's policy is taken again, and the
    # one under the other policy, judged on the text it had, is superseded at once.
    store_records(org, source, [record("1", text="The Rothschilds own every bank.")],
                  org.policy)

    older.refresh_from_db()
    assert older.priority is None
    current = Detection.objects.get(post__platform_id="1", policy=org.policy)
    assert current.content_sha256 == current.post.content_sha256
    assert current.priority == pytest.approx(computed(current), rel=1e-12)
    # Under the other policy the post waits for its rescan rather than queue on old text.
    org.policy = other_policy
    org.save(update_fields=["policy"])
    assert list(queue(org, members["moderator"])) == []


def test_the_queue_orders_as_the_computed_key_did(org, members, make_post, supporters):
    posts = [
        make_post(score=0.9),
        make_post(score=0.8, reach={"likes": 5000, "shares": 2000, "replies": 300}),
        make_post(score=0.95, age=timedelta(days=7)),
        make_post(score=0.5),
        make_post(score=0.6, age=timedelta(days=2), reach={"likes": 12}),
        make_post(score=0.3, flagged=False),
    ]
    # Supporters' flags on imported posts: one the model let through, one it flagged.
    for supporter, post in ((supporters[0], posts[5]), (supporters[1], posts[3])):
        submit(org, supporter, Flag(platform="x", url=f"https://x.com/u/status/{post.pk}",
                                    seen_at=datetime.now(UTC), platform_id=post.platform_id))

    by_computed_key = list(
        Detection.objects.filter(post__in=posts).annotate(reporters=reporters())
        .annotate(key=priority_key()).order_by("-key", "-post_id").values_list("post_id", flat=True)
    )
    by_stored = [item.post_id for item in queue(org, members["moderator"])]

    assert by_stored == by_computed_key and len(by_stored) == 6
    assert by_stored.index(posts[3].pk) < by_stored.index(posts[0].pk)  # the flag counted


def test_refresh_org_and_fill_repair_values_written_around_the_write_points(
    org, members, make_post, settings
):
    old, fresh = make_post(score=0.9, age=timedelta(days=7)), make_post(score=0.5)
    Detection.objects.update(priority=None)  # e.g. rows written by raw SQL
    assert list(queue(org, members["moderator"])) == []

    refresh_org(org)
    assert [item.post_id for item in queue(org, members["moderator"])] == [fresh.pk, old.pk]

    # A longer half-life changes the order only once the stored values are written again.
    settings.REVIEW_HALF_LIFE_DAYS = 30
    assert [item.post_id for item in queue(org, members["moderator"])] == [fresh.pk, old.pk]
    assert fill() == 2
    assert [item.post_id for item in queue(org, members["moderator"])] == [old.pk, fresh.pk]


def test_a_refresh_writes_only_the_detections_it_may_change(org, make_post, members):
    # Most posts of an import are cleared: their NULL priority and False decided are not
    # written again (PostgreSQL would write new versions of the rows and their index entries).
    from tropewatch.review.decisions import Decision
    from tropewatch.review.decisions import record as decide
    from tropewatch.review.models import ReviewState
    from tropewatch.review.priority import refresh_decided, refresh_posts
    from tropewatch.review.status import Action

    cleared = [make_post(HARMLESS, flagged=False, score=0.01) for _ in range(3)]
    flagged = make_post(score=0.8)
    decide(org, flagged.pk, members["lead"], "lead", Decision(Action.DISMISS, reason="news"))
    posts = [*cleared, flagged]

    assert refresh_posts(posts) == 1
    assert refresh_decided(post.pk for post in posts) == 0
    ReviewState.objects.filter(post=flagged).delete()  # e.g. by raw SQL: open again
    assert refresh_decided(post.pk for post in posts) == 1
    assert not stored(flagged).decided and stored(flagged).priority is not None


def test_the_refresh_command_writes_every_detection_again(org, make_post):
    from io import StringIO

    from django.core.management import call_command

    post = make_post(score=0.7)
    Detection.objects.update(priority=None)
    out = StringIO()

    call_command("refresh_priority", "--org", org.slug, stdout=out)

    assert out.getvalue().strip() == "1 detections' priority written"
    assert stored(post).priority == pytest.approx(computed(stored(post)), rel=1e-12)


@pytest.mark.django_db(transaction=True)
def test_upgrading_clears_the_priority_of_verdicts_on_older_text(org, make_post, restores_schema):
    from django.core.management import call_command

    current, stale = make_post(), make_post()
    call_command("migrate", "posts", "0006", verbosity=0)
    # Stored before the queue trusted the stored value: a verdict on older text, with a key.
    Detection.objects.filter(post=stale).update(content_sha256="0" * 64)

    call_command("migrate", "posts", verbosity=0)

    assert stored(stale).priority is None
    assert stored(current).priority == pytest.approx(computed(stored(current)), rel=1e-12)


def _decided(post) -> bool:
    return Detection.objects.filter(post=post).values_list("decided", flat=True).get()


def test_a_decision_marks_the_detection_decided_and_an_undo_clears_it(org, members, make_post):
    from tropewatch.review.decisions import Decision
    from tropewatch.review.decisions import record as decide
    from tropewatch.review.queue import QueueFilters
    from tropewatch.review.status import Action

    confirmed, escalated, untouched = make_post(), make_post(), make_post()
    event = decide(org, confirmed.pk, members["lead"], "lead",
                   Decision(Action.CONFIRM, ["rothschild_soros"]))
    decide(org, escalated.pk, members["triage"], "triage", Decision(Action.ESCALATE))

    assert [_decided(p) for p in (confirmed, escalated, untouched)] == [True, False, False]

    def listed(status: str) -> set[int]:
        return {item.post_id for item in queue(org, members["lead"], QueueFilters(status=status))}

    assert listed("pending") == {escalated.pk, untouched.pk}
    assert listed("confirmed") == {confirmed.pk}

    decide(org, confirmed.pk, members["lead"], "lead", Decision(Action.UNDO, undoes=event.pk))

    assert not _decided(confirmed)
    assert listed("open") == {confirmed.pk, untouched.pk}


def test_a_decided_posts_new_verdict_is_written_decided(org, source, members):
    from tropewatch.review.decisions import Decision
    from tropewatch.review.decisions import record as decide
    from tropewatch.review.status import Action

    store_records(org, source, [record("1")], org.policy)
    post = Detection.objects.get().post
    decide(org, post.pk, members["lead"], "lead", Decision(Action.DISMISS, reason="news"))

    # A model change: the next import scans the post again, writing a new detection row.
    Detection.objects.update(model_version="0.0.0")
    store_records(org, source, [record("1")], org.policy)

    current = Detection.objects.exclude(model_version="0.0.0").get(post=post)
    assert current.decided


def test_refresh_org_repairs_decided_written_around_the_write_points(org, members, make_post):
    from tropewatch.review.decisions import Decision
    from tropewatch.review.decisions import record as decide
    from tropewatch.review.status import Action

    post = make_post()
    decide(org, post.pk, members["lead"], "lead", Decision(Action.DISMISS, reason="news"))
    Detection.objects.update(decided=False)

    refresh_org(org)

    assert _decided(post)


@pytest.mark.django_db(transaction=True)
def test_upgrading_copies_the_decisions_already_taken(org, members, make_post, restores_schema):
    from django.core.management import call_command

    from tropewatch.review.decisions import Decision
    from tropewatch.review.decisions import record as decide
    from tropewatch.review.status import Action

    dismissed, open_post = make_post(), make_post()
    decide(org, dismissed.pk, members["lead"], "lead", Decision(Action.DISMISS, reason="news"))
    call_command("migrate", "posts", "0007", verbosity=0)

    call_command("migrate", "posts", verbosity=0)

    assert _decided(dismissed) and not _decided(open_post)
