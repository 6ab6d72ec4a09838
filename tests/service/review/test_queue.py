"""The queue query: what is in it, in which order, and each filter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tropewatch.posts.models import Detection, Source
from tropewatch.review.claims import take_claim
from tropewatch.review.decisions import Decision, record
from tropewatch.review.priority import refresh_posts
from tropewatch.review.queue import QueueFilters, queue
from tropewatch.review.status import Action


def _ids(items) -> list[int]:
    return [item.post_id for item in items]


def test_only_currently_flagged_posts_are_queued(org, members, make_post):
    flagged = make_post()
    make_post(flagged=False)
    stale = make_post()
    # Judged older text. Written around the write points, so refreshed as they would.
    Detection.objects.filter(post=stale).update(content_sha256="0" * 64)
    refresh_posts([stale])
    old_model = make_post()
    Detection.objects.filter(post=old_model).update(model_version="0.0.0")

    assert _ids(queue(org, members["moderator"])) == [flagged.pk]


def test_a_higher_score_comes_first_other_things_equal(org, members, make_post):
    low, high = make_post(score=0.5), make_post(score=0.95)

    assert _ids(queue(org, members["moderator"])) == [high.pk, low.pk]


def test_wide_reach_outranks_a_slightly_higher_score(org, members, make_post):
    quiet = make_post(score=0.9)
    viral = make_post(score=0.8, reach={"likes": 5000, "shares": 2000, "replies": 300})

    assert _ids(queue(org, members["moderator"])) == [viral.pk, quiet.pk]


def test_recency_halves_priority_every_half_life(org, members, make_post, settings):
    settings.REVIEW_HALF_LIFE_DAYS = 3
    # 0.9 seven days old is worth 0.9 / 2**(7/3) = 0.18: below a fresh 0.5 ...
    old = make_post(score=0.9, age=timedelta(days=7))
    fresh = make_post(score=0.5)
    # ... and 0.9 two days old (0.57) above it.
    recent = make_post(score=0.9, age=timedelta(days=2))

    assert _ids(queue(org, members["moderator"])) == [recent.pk, fresh.pk, old.pk]


def test_posts_claimed_by_someone_else_are_left_out_but_ones_own_stay(org, members, make_post):
    mine, theirs, free = make_post(), make_post(), make_post()
    take_claim(org, mine.pk, members["moderator"])
    take_claim(org, theirs.pk, members["lead"])

    assert set(_ids(queue(org, members["moderator"]))) == {mine.pk, free.pk}


def test_the_status_filter(org, members, make_post):
    untouched, escalated, confirmed = make_post(), make_post(), make_post()
    record(org, escalated.pk, members["triage"], "triage", Decision(Action.ESCALATE))
    record(org, confirmed.pk, members["lead"], "lead", Decision(Action.CONFIRM, ["x"]))

    def by_status(status: str) -> set[int]:
        return set(_ids(queue(org, members["lead"], QueueFilters(status=status))))

    assert by_status("open") == {untouched.pk}
    assert by_status("escalated") == {escalated.pk}
    assert by_status("pending") == {untouched.pk, escalated.pk}
    assert by_status("confirmed") == {confirmed.pk}
    assert by_status("dismissed") == set()
    assert by_status("all") == {untouched.pk, escalated.pk, confirmed.pk}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (QueueFilters(platform="mastodon"), {"mastodon"}),
        (QueueFilters(category="holocaust_denial"), {"denial"}),
        (QueueFilters(min_score=0.8), {"high"}),
        (QueueFilters(since=date.today() - timedelta(days=1)), {"high", "mastodon", "denial",
                                                                 "other source"}),
        (QueueFilters(until=date.today() - timedelta(days=5)), {"old"}),
    ],
)
def test_each_filter_narrows_the_queue(org, source, members, make_post, filters, expected):
    other_source = Source.objects.create(org=org, platform="x", name="#other")
    made = {
        "high": make_post(score=0.85),
        "mastodon": make_post(score=0.6, platform="mastodon"),
        "denial": make_post(score=0.6, categories=["holocaust_denial", "power_control"]),
        "old": make_post(score=0.6, age=timedelta(days=9)),
        "other source": make_post(score=0.6, post_source=other_source),
    }
    names = {post.pk: name for name, post in made.items()}

    found = {names[pk] for pk in _ids(queue(org, members["moderator"], filters))}

    assert found == expected


def test_the_source_filter(org, source, members, make_post):
    other_source = Source.objects.create(org=org, platform="x", name="#other")
    make_post()
    elsewhere = make_post(post_source=other_source)

    found = _ids(queue(org, members["moderator"], QueueFilters(source=other_source.pk)))

    assert found == [elsewhere.pk]


def test_another_organisations_posts_never_appear(org, other_org, members, make_post):
    make_post()

    assert _ids(queue(other_org, members["admin"])) == []
