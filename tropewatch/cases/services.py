"""Opening cases and moving them on: the only writer of Case and CaseEvent."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tropewatch.evidence.chain import append
from tropewatch.evidence.models import LinkKind
from tropewatch.evidence.records import case_event_hash
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Author, Post
from tropewatch.review.models import ReviewState
from tropewatch.review.status import Status

from .models import Case, CaseEvent
from .status import CaseAction, CaseState, next_state


class NothingToOpen(ValueError):
    """A case needs an author with at least one confirmed post."""


def confirmed_posts(org: Organisation, authors: Sequence[Author]) -> list[Post]:
    """The authors' posts that moderators confirmed, oldest first."""
    confirmed = ReviewState.objects.for_org(org).filter(
        status=Status.CONFIRMED, post__author__in=authors).values_list("post_id", flat=True)
    return list(Post.objects.for_org(org).filter(pk__in=confirmed).order_by("created_at"))


def open_case(org: Organisation, authors: Sequence[Author], actor: AbstractBaseUser,
              role: str, note: str = "") -> Case:
    """A new case about ``authors`` (one person's accounts), holding their confirmed posts."""
    posts = confirmed_posts(org, authors)
    if not posts:
        raise NothingToOpen("none of these accounts has a confirmed post")
    names = ", ".join(a.handle or a.display_name or a.platform_id for a in authors)
    with transaction.atomic():
        case = Case.objects.create(org=org, title=names[:200])
        case.authors.set(authors)
        case.posts.set(posts)
        _append(case, actor, role, CaseAction.OPEN, note=note, post_ids=[p.pk for p in posts])
    return case


def act(case: Case, actor: AbstractBaseUser, role: str, action: str, outcome: str = "",
        note: str = "") -> CaseEvent:
    """Append ``action`` to the case's log and move its state, or raise
    InvalidCaseTransition (the rules of ``status.next_state``)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk, org=case.org)
        state = next_state(CaseState(locked.state), action, outcome)
        post_ids: list[int] = []
        if action == CaseAction.ADD_POSTS:
            held = set(locked.posts.values_list("pk", flat=True))
            new = [p for p in confirmed_posts(locked.org, list(locked.authors.all()))
                   if p.pk not in held]
            locked.posts.add(*new)
            post_ids = [p.pk for p in new]
        event = _append(locked, actor, role, action, outcome=outcome, note=note,
                        post_ids=post_ids)
        locked.state = state
        if action == CaseAction.DECIDE:
            locked.outcome = outcome
        elif action == CaseAction.REOPEN:
            locked.outcome = ""
        locked.updated_at = event.created_at
        locked.save(update_fields=["state", "outcome", "updated_at"])
    case.refresh_from_db()
    return event


def _append(case: Case, actor: AbstractBaseUser, role: str, action: str, *, outcome: str = "",
            note: str = "", post_ids: Sequence[int] = ()) -> CaseEvent:
    """The event, chained with the organisation's review log and evidence (in the caller's
    transaction), so that ``tropewatch verify`` finds any later change to a case's history."""
    event = CaseEvent.objects.create(
        org=case.org, case=case, actor=actor, actor_name=actor.get_username(), actor_role=role,
        action=action, outcome=outcome, note=note, post_ids=list(post_ids),
        created_at=timezone.now())
    append(case.org_id, LinkKind.CASE_EVENT, event.pk, case_event_hash(event))
    return event
