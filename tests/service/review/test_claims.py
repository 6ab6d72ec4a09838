"""Claims: two moderators are never handed the same item."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections
from django.utils import timezone

from tropewatch.review.claims import claim_next, release_claim, take_claim
from tropewatch.review.models import Claim
from tropewatch.review.queue import queue


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
def test_concurrent_moderators_never_share_an_item(org, members, make_post):
    posts = [make_post(score=0.5 + i / 100) for i in range(12)]
    moderators = [members[role] for role in ("admin", "lead", "moderator")]
    claimed: dict[str, list[int]] = {m.username: [] for m in moderators}
    start = threading.Barrier(len(moderators))

    def work(user) -> None:
        start.wait()
        try:
            mine = claimed[user.username]
            # Each moderator keeps what they claimed (as if still working on it) and asks
            # for more; their own claims are skipped, as after pressing "skip".
            while (post_id := claim_next(org, user, queue(org, user), skip=mine)) is not None:
                mine.append(post_id)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=work, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    every = [post_id for ids in claimed.values() for post_id in ids]
    assert sorted(every) == sorted(p.pk for p in posts)  # each claimed exactly once
