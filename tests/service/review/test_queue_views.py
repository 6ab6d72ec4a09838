"""The queue page and moving through it: pages, counts, the htmx fragment, auto-advance,
skipping and bulk actions."""

from __future__ import annotations

import pytest

from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import Claim, ReviewEvent
from tropewatch.review.status import Action
from tropewatch.review.views import queue as queue_views


def test_the_queue_pages_by_fifty_and_counts_what_waits(client_as, make_post):
    posts = [make_post(f"post number {i}", score=0.5 + i / 200) for i in range(55)]
    client = client_as("viewer")

    first = client.get("/o/campaign/queue/").content.decode()
    second = client.get("/o/campaign/queue/", {"page": "2"}).content.decode()

    assert "55 items" in first and "Next page" in first and "Previous page" not in first
    assert first.count("data-row-link") == 50 and second.count("data-row-link") == 5
    assert posts[54].text in first and posts[0].text in second  # highest priority first
    assert "Next page" not in second and "Previous page" in second


def test_a_long_queue_is_counted_only_up_to_the_cap(client_as, make_post, monkeypatch):
    monkeypatch.setattr(queue_views, "COUNT_CAP", 3)
    for i in range(5):
        make_post(f"post {i}")

    assert "3+ items" in client_as("viewer").get("/o/campaign/queue/").content.decode()


def test_a_queue_past_the_cap_says_so_for_a_while_and_a_short_one_is_counted_each_time(
    client_as, org, members, make_post, monkeypatch
):
    monkeypatch.setattr(queue_views, "COUNT_CAP", 3)
    posts = [make_post(f"post {i}") for i in range(5)]
    client = client_as("viewer")

    def count() -> str:
        page = client.get("/o/campaign/queue/").content.decode()
        return page.split('id="queue-count" class="count">')[1].split("</h2>")[0]

    assert count() == "3+ items"
    for post in posts[:3]:
        record(org, post.pk, members["moderator"], "moderator",
               Decision(Action.DISMISS, reason="news"))
    # Two are left, but the queue was counted past the cap a moment ago.
    assert count() == "3+ items"
    # Once that is forgotten (LONG_QUEUE_SECONDS later), it is counted again, and a queue
    # under the cap is counted on every page: a decision shows at once.
    from django.core.cache import cache

    cache.clear()
    assert count() == "2 items"
    record(org, posts[3].pk, members["moderator"], "moderator",
           Decision(Action.DISMISS, reason="news"))
    assert count() == "1 item"


def test_a_filtered_queue_is_counted_apart_from_the_long_queue_it_filters(
    client_as, make_post, monkeypatch
):
    monkeypatch.setattr(queue_views, "COUNT_CAP", 3)
    for i in range(5):
        make_post(f"post {i}", score=0.5)
    make_post("the one sure post", score=0.95)
    client = client_as("viewer")

    def count(**filters) -> str:
        page = client.get("/o/campaign/queue/", filters).content.decode()
        return page.split('id="queue-count" class="count">')[1].split("</h2>")[0]

    assert count() == "3+ items"
    # Read from the count itself: "3+" turned up in a row's time ("...413+00:00") once.
    assert count(min_score="0.9") == "1 item"


def test_the_queue_page_asks_the_database_as_often_for_many_rows_as_for_few(
    client_as, make_post
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("viewer")

    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/o/campaign/queue/").status_code == 200
        return len(queries)

    make_post("the first post")
    client.get("/o/campaign/queue/")  # the session and the CSRF cookie are set up
    few = queries_for_the_page()
    for i in range(12):
        make_post(f"post number {i}")
    assert queries_for_the_page() == few  # nothing is loaded row by row


def test_htmx_gets_only_the_rows(client_as, make_post):
    make_post("a flagged post")

    fragment = client_as("viewer").get("/o/campaign/queue/", headers={"HX-Request": "true"})

    body = fragment.content.decode()
    assert body.lstrip().startswith('<section id="queue-results"') and "<html" not in body
    assert "a flagged post" in body


def test_deciding_moves_straight_on_to_the_next_item_with_the_same_filters(
    client_as, make_post
):
    first, second = make_post(score=0.9), make_post(score=0.8)
    client = client_as("moderator")

    response = client.post(f"/o/campaign/posts/{first.pk}/decide/", {
        "action": "dismiss", "reason": "news", "queue": "status=open&min_score=0.5"})

    assert response["Location"] == (f"/o/campaign/posts/{second.pk}/"
                                    "?queue=status%3Dopen%26min_score%3D0.5")
    assert Claim.objects.get().post_id == second.pk
    last = client.post(f"/o/campaign/posts/{second.pk}/decide/", {
        "action": "confirm", "categories": ["power_control"], "queue": "status=open"})
    assert last["Location"] == "/o/campaign/queue/?status=open&done=1"


def test_skipping_leaves_the_item_for_others_and_opens_the_next(client_as, members, make_post):
    first, second = make_post(score=0.9), make_post(score=0.8)
    client = client_as("moderator")
    client.post("/o/campaign/queue/next/")

    response = client.post(f"/o/campaign/posts/{first.pk}/skip/")

    assert response["Location"] == f"/o/campaign/posts/{second.pk}/"
    assert list(Claim.objects.values_list("post_id", "user__username")) == [
        (second.pk, "moderator")]


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "confirm"}, "Tick at least one category"),
    ({"action": "dismiss"}, "Choose why"),
    ({"action": "dismiss", "reason": "other"}, "Say why in a note"),
])
def test_incomplete_decisions_are_refused_with_a_reason(client_as, make_post, data, message):
    post = make_post()
    client = client_as("moderator")

    response = client.post(f"/o/campaign/posts/{post.pk}/decide/", data, follow=True)

    assert message in response.content.decode()
    assert not ReviewEvent.objects.exists()


def test_a_moderator_is_told_that_an_escalated_item_waits_for_a_lead(
    client_as, org, members, make_post
):
    post = make_post()
    record(org, post.pk, members["triage"], "triage", Decision(Action.ESCALATE))

    page = client_as("moderator").get(f"/o/campaign/posts/{post.pk}/").content.decode()
    response = client_as("moderator").post(f"/o/campaign/posts/{post.pk}/decide/", {
        "action": "dismiss", "reason": "news"}, follow=True)

    assert "Escalated: a lead or admin closes it." in page
    assert "Not saved: an escalated item is closed by a lead or admin" in (
        response.content.decode())
    assert ReviewEvent.objects.count() == 1


def test_bulk_actions_report_what_was_done_and_what_was_not(client_as, org, members,
                                                            make_post):
    open_posts = [make_post(), make_post()]
    escalated = make_post()
    record(org, escalated.pk, members["triage"], "triage", Decision(Action.ESCALATE))

    client = client_as("moderator")
    selected = {"posts": [p.pk for p in [*open_posts, escalated]], "action": "confirm"}

    asked = client.post("/o/campaign/queue/bulk/", selected)
    assert "Confirm 3 posts?" in asked.content.decode()
    assert not ReviewEvent.objects.filter(action="confirm").exists()  # not before the answer
    response = client.post("/o/campaign/queue/bulk/", {**selected, "confirmed": "1"},
                           follow=True)

    page = response.content.decode()
    assert "Confirm: 2 done." in page and "1 not changed" in page
    confirmed = ReviewEvent.objects.filter(action="confirm")
    assert sorted(confirmed.values_list("post_id", flat=True)) == [p.pk for p in open_posts]
    assert confirmed.first().categories == ["rothschild_soros"]  # what the detector found


def test_a_bulk_dismissal_needs_a_reason(client_as, make_post):
    post = make_post()

    response = client_as("lead").post("/o/campaign/queue/bulk/", {
        "posts": [post.pk], "action": "dismiss"}, follow=True)

    assert "Choose why the posts are not antisemitic." in response.content.decode()
    assert not ReviewEvent.objects.exists()
