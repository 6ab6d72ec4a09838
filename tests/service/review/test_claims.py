"""Claims: two moderators are never handed the same item."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from service.concurrency import as_concurrent_moderators
from tropewatch.review.claims import claim_next, release_claim, take_claim
from tropewatch.review.models import Claim
from tropewatch.review.queue import queue

# Issue 22: "50 concurrent moderators on both databases should see 0 re-handed posts".
MODERATORS = 50


def test_a_claim_is_exclusive_until_it_expires(org, members, make_post):
    post = make_post()

    assert take_claim(org, post.pk, members["moderator"])
    assert take_claim(org, post.pk, members["moderator"])  # extending one's own
    assert not take_claim(org, post.pk, members["lead"])
    Claim.objects.filter(post=post).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert take_claim(org, post.pk, members["lead"])
    assert Claim.objects.get(post=post).user == members["lead"]


def test_a_released_claim_is_free_again(org, members, make_post):
    post = make_post()
    take_claim(org, post.pk, members["moderator"])

    release_claim(post.pk, members["moderator"])

    assert take_claim(org, post.pk, members["lead"])


def test_claim_next_hands_two_moderators_different_items(org, members, make_post):
    first, second = make_post(score=0.9), make_post(score=0.8)
    moderator, lead = members["moderator"], members["lead"]

    got_first = claim_next(org, moderator, queue(org, moderator))
    got_second = claim_next(org, lead, queue(org, lead))

    assert (got_first, got_second) == (first.pk, second.pk)
    assert claim_next(org, members["admin"], queue(org, members["admin"])) is None


def test_claim_next_passes_over_skipped_items(org, members, make_post):
    first, second = make_post(score=0.9), make_post(score=0.8)
    moderator = members["moderator"]

    assert claim_next(org, moderator, queue(org, moderator), skip=[first.pk]) == second.pk


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_moderators_never_share_an_item(org, make_post, fifty_moderators):
    posts = [make_post(score=0.5 + i / 1000) for i in range(MODERATORS * 4)]
    claimed: dict[str, list[int]] = {m.username: [] for m in fifty_moderators}

    def work(user) -> None:
        mine = claimed[user.username]
        # Each moderator keeps what they claimed (as if still working on it) and asks for
        # more; their own claims are skipped, as after pressing "skip".
        while (post_id := claim_next(org, user, queue(org, user), skip=mine)) is not None:
            mine.append(post_id)

    as_concurrent_moderators(work, fifty_moderators)

    every = [post_id for ids in claimed.values() for post_id in ids]
    assert sorted(every) == sorted(p.pk for p in posts)  # each claimed exactly once


def test_an_item_decided_after_the_queue_was_read_is_not_handed_out(org, members, make_post,
                                                                     monkeypatch):
    """The race of issue 22 (163 of 400 posts re-handed on SQLite): moderator B reads the
    queue, moderator A confirms its first item and releases the claim, and only then does B
    try to claim that item. B must be handed the next open item instead."""
    from tropewatch.review import claims
    from tropewatch.review.decisions import Decision, record
    from tropewatch.review.models import ReviewState
    from tropewatch.review.status import Action

    decided, still_open = make_post(score=0.9), make_post(score=0.8)
    a, b = members["moderator"], members["lead"]
    real_take_claim = claims.take_claim

    def a_decides_first(org_, post_id, user):
        if post_id == decided.pk and not ReviewState.objects.filter(post_id=post_id).exists():
            assert real_take_claim(org_, post_id, a)
            record(org_, post_id, a, "moderator", Decision(Action.CONFIRM, ["rothschild_soros"]))
        return real_take_claim(org_, post_id, user)

    monkeypatch.setattr(claims, "take_claim", a_decides_first)
    monkeypatch.setattr(claims.connection.features, "has_select_for_update_skip_locked", False)

    assert claim_next(org, b, queue(org, b)) == still_open.pk
    assert not Claim.objects.filter(post=decided, user=b).exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_moderators_deciding_are_never_handed_a_decided_item(
    org, make_post, fifty_moderators
):
    """Fault 3 of issue 22, at the size it names: 50 moderators, each on its own thread and
    database connection, work one queue until it is empty."""
    from tropewatch.review.decisions import Decision, record
    from tropewatch.review.status import Action, InvalidTransition

    posts = [make_post(score=0.5 + i / 1000) for i in range(MODERATORS * 4)]
    decided: list[int] = []
    re_handed: list[int] = []

    def work(user) -> None:
        while (post_id := claim_next(org, user, queue(org, user))) is not None:
            try:
                record(org, post_id, user, "moderator",
                       Decision(Action.DISMISS, reason="not antisemitic"))
                decided.append(post_id)
            except InvalidTransition:
                re_handed.append(post_id)
                release_claim(post_id, user)

    as_concurrent_moderators(work, fifty_moderators)

    assert re_handed == []
    assert sorted(decided) == sorted(p.pk for p in posts)  # each decided exactly once


@pytest.fixture
def fifty_moderators(org) -> list:
    from django.contrib.auth import get_user_model

    from tropewatch.accounts.models import Membership

    users = []
    for number in range(MODERATORS):
        user = get_user_model().objects.create_user(f"mod{number}", password="pw")
        Membership.objects.create(user=user, org=org, role="moderator")
        users.append(user)
    return users



def test_claim_next_goes_past_a_candidate_someone_else_claimed_meanwhile(org, members,
                                                                         make_post):
    """The queue was read before another moderator claimed its first item (here: a queue
    that does not leave claimed items out); the next item is handed out, not "none left"."""
    from tropewatch.review.queue import flagged

    first, second = make_post(score=0.9), make_post(score=0.8)
    assert take_claim(org, first.pk, members["lead"])
    stale_queue = flagged(org).order_by("-score")

    assert claim_next(org, members["moderator"], stale_queue) == second.pk
