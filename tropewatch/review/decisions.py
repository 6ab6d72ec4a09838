"""Appending to the review log: the only writer of ReviewEvent and ReviewState. Each event
is chained, with the evidence a confirmation or escalation captures, in the same
transaction (tropewatch.evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tropewatch.evidence.capture import on_recorded
from tropewatch.impact.stale import mark_posts
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Post

from .claims import held_by_other, release_claim
from .models import ReviewEvent, ReviewState
from .priority import refresh_decided
from .status import Action, InvalidTransition, Status, after_undo, fold, next_status


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
    undoes: int | None = None  # for an UNDO: the event it takes back


def record(
    org: Organisation, post_id: int, actor: AbstractBaseUser, role: str, decision: Decision
) -> ReviewEvent:
    """Append ``decision`` to the post's log and update its status, or raise
    InvalidTransition (the rules of ``next_status``, and for an undo ``_undone_status``'s)
    or ClaimedByOther (another moderator holds the item; notes are always allowed).
    Releases the actor's claim on a decision."""
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
        if decision.action == Action.UNDO:
            status = _undone_status(post_id, decision.undoes, actor, role)
        else:
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
            refresh_decided([post_id])  # the queue's copy of it
        if decision.action != Action.NOTE:
            release_claim(post_id, actor)
    return event


def _undone_status(post_id: int, undoes: int | None, actor: AbstractBaseUser,
                   role: str) -> Status:
    """The status an undo of event ``undoes`` returns the post to: only while that event is
    still the post's latest decision, and only for the moderator who took it."""
    events = list(ReviewEvent.objects.filter(post_id=post_id).exclude(action=Action.NOTE)
                  .order_by("created_at", "pk"))
    if not events or events[-1].pk != undoes:
        raise InvalidTransition("the item was decided again since; nothing was undone")
    if events[-1].actor_id != actor.pk:
        raise InvalidTransition("only whoever took a decision can undo it")
    return after_undo(fold(events)[1], role)


@dataclass(slots=True)
class BulkResult:
    done: int = 0
    refused: int = 0  # not allowed from the item's status, or held by someone else
    events: list[int] = field(default_factory=list)  # the events appended, for an undo


def record_many(
    org: Organisation, decisions: Iterable[tuple[int, Decision]], actor: AbstractBaseUser,
    role: str,
) -> BulkResult:
    """Decisions on many posts, each on its own: one refused leaves the rest."""
    result = BulkResult()
    for post_id, decision in decisions:
        try:
            event = record(org, post_id, actor, role, decision)
        except (InvalidTransition, ClaimedByOther, Post.DoesNotExist):
            result.refused += 1
        else:
            result.done += 1
            result.events.append(event.pk)
    return result
