"""The queue's cluster rows, one decision for a cluster, its undo and splitting a member."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tropewatch.clusters.assign import assign
from tropewatch.clusters.models import ClusterMember
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import Claim, ReviewEvent, ReviewState
from tropewatch.review.status import Action, Status

from .campaigns import CAMPAIGNS, variant

COPIES = 6


@pytest.fixture
def campaign(org, make_post):
    """Six copies of one campaign post and two unrelated posts, clustered as on import."""
    import random

    rng = random.Random(3)
    copies = [make_post(variant(CAMPAIGNS[0], rng, n)) for n in range(COPIES)]
    others = [make_post("Lovely challah at the bakery on the high street #news"),
              make_post("The council meets about the new bridge on Tuesday #news")]
    assign(org, [(post.pk, post.text) for post in [*copies, *others]])
    return copies


def _cluster_path(post) -> str:
    cluster = ClusterMember.objects.get(post=post).cluster_id
    return f"/o/campaign/clusters/{cluster}/"


def _statuses(posts) -> list[str]:
    states = dict(ReviewState.objects.values_list("post_id", "status"))
    return [states.get(post.pk, Status.OPEN.value) for post in posts]


def test_the_queue_shows_a_campaign_as_one_row_with_its_count(client_as, campaign):
    page = client_as("viewer").get("/o/campaign/queue/").content.decode()

    assert "3 items" in page
    assert f"{COPIES} near-identical posts" in page
    assert _cluster_path(campaign[0]) in page


def test_a_clusters_row_is_its_highest_item_left_in_the_queue(org, members, campaign):
    from tropewatch.clusters.queue import one_row_per_cluster
    from tropewatch.posts.models import Detection
    from tropewatch.review.claims import take_claim
    from tropewatch.review.queue import queue

    def rows() -> list[int]:
        return list(one_row_per_cluster(queue(org, members["moderator"]))
                    .values_list("post_id", flat=True))

    by_priority = list(Detection.objects.filter(post__in=campaign)
                       .order_by("-priority", "-post_id").values_list("post_id", flat=True))
    shown = rows()
    assert len(shown) == 3 and by_priority[0] in shown
    assert not set(by_priority[1:]) & set(shown)

    # Claimed by someone else, the top copy leaves this moderator's queue: the next stands in.
    take_claim(org, by_priority[0], members["lead"])
    shown = rows()
    assert len(shown) == 3 and by_priority[1] in shown and by_priority[0] not in shown


@pytest.mark.parametrize("cap", range(6))
def test_the_queue_counts_its_rows_up_to_the_cap(org, members, campaign, cap):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tropewatch.clusters.queue import count_items, one_row_per_cluster
    from tropewatch.review.queue import queue

    ranked = queue(org, members["moderator"])  # eight rows: six copies and two others
    rows = len(one_row_per_cluster(ranked))

    with CaptureQueriesContext(connection) as queries:
        counted = count_items(ranked, cap)

    assert rows == 3 and counted == min(rows, cap + 1)
    # Two rows are read for each item it may count. Any two hold more than no cluster, and
    # ten are more than the queue holds; eight read are the whole queue, but it cannot tell
    # that they are, and their three clusters are not more than three: counted directly.
    if cap in (0, 4, 5):
        assert len(queries) == 1
    if cap == 3:
        assert len(queries) == 2


def test_a_filtered_queue_shows_a_cluster_by_its_highest_item_that_matches(
    org, members, campaign
):
    from tropewatch.clusters.queue import one_row_per_cluster
    from tropewatch.posts.models import Detection
    from tropewatch.review.queue import QueueFilters, queue

    by_priority = list(Detection.objects.filter(post__in=campaign)
                       .order_by("-priority", "-post_id").values_list("post_id", flat=True))
    Detection.objects.filter(post_id=by_priority[0]).update(
        categories=[{"id": "power_control", "name": "power control", "score": 0.9}])

    shown = set(one_row_per_cluster(
        queue(org, members["moderator"], QueueFilters(category="rothschild_soros"))
    ).values_list("post_id", flat=True))

    assert by_priority[1] in shown and by_priority[0] not in shown


def test_a_cluster_decision_asks_with_the_count_then_logs_one_event_per_member(
    client_as, campaign
):
    client = client_as("moderator")
    path = _cluster_path(campaign[0])

    asked = client.post(f"{path}decide/", {"action": "confirm"})
    assert f"Confirm {COPIES} posts?" in asked.content.decode()
    assert not ReviewEvent.objects.exists()

    done = client.post(f"{path}decide/", {"action": "confirm", "confirmed": "1",
                                          "count": str(COPIES)}, follow=True)

    assert f"Confirm: {COPIES} done." in done.content.decode()
    events = ReviewEvent.objects.filter(action="confirm")
    assert sorted(events.values_list("post_id", flat=True)) == [p.pk for p in campaign]
    assert all(e.categories == ["rothschild_soros"] and e.actor_name == "moderator"
               for e in events)
    assert _statuses(campaign) == ["confirmed"] * COPIES


def test_a_cluster_that_changed_since_the_question_is_asked_about_again(
    client_as, org, members, campaign
):
    record(org, campaign[0].pk, members["lead"], "lead", Decision(Action.ESCALATE))

    response = client_as("moderator").post(
        f"{_cluster_path(campaign[0])}decide/",
        {"action": "dismiss", "reason": "news", "confirmed": "1", "count": str(COPIES)})

    page = response.content.decode()
    assert f"now has {COPIES - 1} open posts" in page and f"Dismiss {COPIES - 1} posts?" in page
    assert ReviewEvent.objects.count() == 1


def test_a_cluster_decision_leaves_decided_escalated_and_claimed_members_alone(
    client_as, org, members, campaign
):
    record(org, campaign[0].pk, members["triage"], "triage", Decision(Action.ESCALATE))
    Claim.objects.create(org=org, post=campaign[1], user=members["admin"],
                         expires_at=timezone.now() + timedelta(minutes=10))

    client_as("moderator").post(f"{_cluster_path(campaign[0])}decide/", {
        "action": "dismiss", "reason": "news", "confirmed": "1", "count": str(COPIES - 2)})

    assert _statuses(campaign) == ["escalated", "open", *["dismissed"] * (COPIES - 2)]
    assert Claim.objects.filter(post=campaign[1], user=members["admin"]).exists()


def test_undo_takes_back_the_last_bulk_decision_with_an_event_per_post(
    client_as, org, members, campaign
):
    client = client_as("moderator")
    client.post(f"{_cluster_path(campaign[0])}decide/", {
        "action": "confirm", "confirmed": "1", "count": str(COPIES)})
    # Someone decides one of them again meanwhile: that post keeps its new decision.
    record(org, campaign[0].pk, members["admin"], "admin", Decision(Action.REOPEN))
    queue_page = client.get("/o/campaign/queue/").content.decode()
    assert f"Last bulk decision: Confirm {COPIES} posts" in queue_page

    response = client.post("/o/campaign/queue/undo/", {"next": "/o/campaign/queue/"},
                           follow=True)

    page = response.content.decode()
    assert f"Undone: {COPIES - 1}." in page and "1 not undone" in page
    assert ReviewEvent.objects.filter(action="undo").count() == COPIES - 1
    assert ReviewEvent.objects.filter(action="confirm").count() == COPIES  # never rewritten
    assert _statuses(campaign) == ["open"] * COPIES
    assert "Last bulk decision" not in page
    client.post("/o/campaign/queue/undo/")  # nothing left to undo
    assert ReviewEvent.objects.filter(action="undo").count() == COPIES - 1


def test_a_moderator_cannot_undo_someone_elses_bulk_decision(client_as, org, campaign):
    client_as("moderator").post(f"{_cluster_path(campaign[0])}decide/", {
        "action": "confirm", "confirmed": "1", "count": str(COPIES)})

    client_as("lead").post("/o/campaign/queue/undo/")

    assert not ReviewEvent.objects.filter(action="undo").exists()


def test_a_split_member_becomes_its_own_queue_item_and_stays_so_on_reimport(
    client_as, org, campaign
):
    client = client_as("moderator")
    path = _cluster_path(campaign[0])

    client.post(f"{path}posts/{campaign[2].pk}/split/")

    member = ClusterMember.objects.get(post=campaign[2])
    assert member.cluster_id is None and member.split_by.get_username() == "moderator"
    page = client.get("/o/campaign/queue/").content.decode()
    assert "4 items" in page and f"{COPIES - 1} near-identical posts" in page
    assign(org, [(campaign[2].pk, campaign[2].text)])
    assert ClusterMember.objects.get(post=campaign[2]).cluster_id is None


def test_the_cluster_page_lists_every_member(client_as, campaign):
    page = client_as("viewer").get(_cluster_path(campaign[0])).content.decode()

    assert f"{COPIES} near-identical posts" in page
    for post in campaign:
        assert f"/o/campaign/posts/{post.pk}/" in page
    assert "Split out" not in page and "Apply to" not in page  # a viewer decides nothing
