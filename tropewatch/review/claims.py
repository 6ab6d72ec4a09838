"""Claims: a moderator who opens an item holds it for a while, so that two moderators are
never handed the same post.

Taking a claim is one conditional UPDATE (free, expired or already ours), or an INSERT that the
primary key makes fail for all but one of two racing moderators; this is correct on SQLite and
PostgreSQL alike. On PostgreSQL, picking the next item also locks candidate rows with
``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent moderators pass over each other's
candidates instead of queuing on the same one.

The queue is read before an item is claimed, so another moderator may decide the item in
between (a decision releases its claim in the same transaction). ``claim_next`` therefore asks
the queue again once it holds the claim, and lets go of an item that has left it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Detection

from .models import Claim

# Candidates claim_next tries before giving up; each is one small write.
_CANDIDATES = 20


def claim_ttl() -> timedelta:
    return timedelta(minutes=settings.REVIEW_CLAIM_MINUTES)


def take_claim(org: Organisation, post_id: int, user: AbstractBaseUser) -> bool:
    """Claim the post for ``user`` (or extend their claim); False if someone else holds it."""
    now = timezone.now()
    expires_at = now + claim_ttl()
    with transaction.atomic():
        taken = (
            Claim.objects.filter(org=org, post_id=post_id)
            .filter(Q(user=user) | Q(expires_at__lte=now))
            .update(user=user, expires_at=expires_at)
        )
        if taken:
            return True
        try:
            with transaction.atomic():
                Claim.objects.create(org=org, post_id=post_id, user=user, expires_at=expires_at)
        except IntegrityError:
            return False  # a live claim of someone else's
    return True


def release_claim(post_id: int, user: AbstractBaseUser) -> None:
    Claim.objects.filter(post_id=post_id, user=user).delete()


def held_by_other(post_id: int, user: AbstractBaseUser) -> Claim | None:
    """Someone else's live claim on the post, if there is one."""
    return (
        Claim.objects.filter(post_id=post_id, expires_at__gt=timezone.now())
        .exclude(user=user)
        .select_related("user")
        .first()
    )


def claim_next(
    org: Organisation, user: AbstractBaseUser, queue: QuerySet[Detection],
    skip: Collection[int] = (),
) -> int | None:
    """Claim the first item of ``queue`` (ordered, already excluding others' live claims)
    other than the posts in ``skip``; returns its post id, or None when none is left."""
    candidates = queue.exclude(post_id__in=list(skip))
    tried: list[int] = []
    if connection.features.has_select_for_update_skip_locked:
        # The first unlocked candidate may have been claimed or decided by someone else
        # since ``queue`` was read; the next query no longer offers it, so try again rather
        # than tell this moderator the queue is empty.
        for _ in range(_CANDIDATES):
            with transaction.atomic():
                post_id = (
                    candidates.exclude(post_id__in=tried)
                    .select_for_update(skip_locked=True, of=("self",))
                    .values_list("post_id", flat=True)
                    .first()
                )
                if post_id is None:
                    return None
                if _claim_if_queued(org, user, candidates, post_id):
                    return post_id
                tried.append(post_id)
        return None
    for post_id in candidates.values_list("post_id", flat=True)[:_CANDIDATES]:
        if _claim_if_queued(org, user, candidates, post_id):
            return post_id
    return None


def _claim_if_queued(org: Organisation, user: AbstractBaseUser,
                     candidates: QuerySet[Detection], post_id: int) -> bool:
    """Claim the post, then make sure it is still in the queue: decided since the queue was
    read, it is let go again. Asked after the claim, the answer cannot go stale, because
    deciding needs the claim."""
    if not take_claim(org, post_id, user):
        return False
    if candidates.filter(post_id=post_id).exists():
        return True
    release_claim(post_id, user)
    return False
