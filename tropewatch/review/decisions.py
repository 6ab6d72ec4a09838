"""Appending to the review log: the only writer of ReviewEvent and ReviewState. Each event
is chained, with the evidence a confirmation or escalation captures, in the same
transaction (tropewatch.evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tropewatch.evidence.capture import on_recorded
from tropewatch.impact.stale import mark_posts
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Post

from .claims import held_by_other, release_claim
from .models import ReviewEvent, ReviewState
from .status import Action, InvalidTransition, Status, next_status


class ClaimedByOther(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is reviewing this item")
        self.name = name


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    categories: Sequence[str] = ()
    reason: str = ""
    note: str = ""


def record(
    org: Organisation, post_id: int, actor: AbstractBaseUser, role: str, decision: Decision
) -> ReviewEvent:
    """Append ``decision`` to the post's log and update its status, or raise
    InvalidTransition (the rules of ``next_status``) or ClaimedByOther (another moderator
    holds the item; notes are always allowed). Releases the actor's claim on a decision."""
    with transaction.atomic():
        # Lock the post: decisions on one post are applied one at a time, so each is checked
        # against the status the one before it left.
        Post.objects.select_for_update().filter(org=org, pk=post_id).get()
        if decision.action != Action.NOTE:
            other = held_by_other(post_id, actor)
            if other is not None:
                raise ClaimedByOther(other.user.get_username())
        state = ReviewState.objects.filter(post_id=post_id).first()
        current = Status(state.status) if state else Status.OPEN
        status = next_status(current, decision.action, role)
        event = ReviewEvent.objects.create(
            org=org, post_id=post_id, actor=actor, actor_name=actor.get_username(),
            actor_role=role, action=decision.action, categories=list(decision.categories),
            reason=decision.reason, note=decision.note,
        )
        on_recorded(event, current, status)
        if status != current:
            mark_posts(org.pk, [post_id])
            ReviewState.objects.update_or_create(
                post_id=post_id, defaults={"org": org, "status": status,
                                           "updated_at": timezone.now()},
            )
        if decision.action != Action.NOTE:
            release_claim(post_id, actor)
    return event


@dataclass(slots=True)
class BulkResult:
    done: int = 0
    refused: int = 0  # not allowed from the item's status, or held by someone else


def record_many(
    org: Organisation, decisions: Iterable[tuple[int, Decision]], actor: AbstractBaseUser,
    role: str,
) -> BulkResult:
    """Decisions on many posts, each on its own: one refused leaves the rest."""
    result = BulkResult()
    for post_id, decision in decisions:
        try:
            record(org, post_id, actor, role, decision)
        except (InvalidTransition, ClaimedByOther, Post.DoesNotExist):
            result.refused += 1
        else:
            result.done += 1
    return result
