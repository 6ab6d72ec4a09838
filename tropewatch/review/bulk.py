"""One decision for many posts, as the queue's bulk actions and cluster decisions take it:
confirmation confirms what the detector found on each post, dismissal gives one reason.

What was decided last is kept in the moderator's session, so that it can be undone: the undo
appends an UNDO event per post (``tropewatch.review.decisions``), the log stays append-only.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from tropewatch.orgs.models import Organisation

from .decisions import BulkResult, Decision, record_many
from .models import ReviewEvent
from .queue import flagged
from .status import Action


def decisions_for(
    org: Organisation, action: Action, post_ids: list[int], reason: str = ""
) -> list[tuple[int, Decision]]:
    reason = reason if action == Action.DISMISS else ""
    categories = _detected_categories(org, post_ids) if action == Action.CONFIRM else {}
    return [(pid, Decision(action, categories.get(pid, ()), reason)) for pid in post_ids]


def _detected_categories(org: Organisation, post_ids: list[int]) -> dict[int, list[str]]:
    rows = flagged(org).filter(post_id__in=post_ids).values_list("post_id", "categories")
    return {post_id: [c["id"] for c in cats if isinstance(c, dict) and "id" in c]
            for post_id, cats in rows}


def _last_key(org: Organisation) -> str:
    return f"review-last-bulk-{org.pk}"


def remember(request: HttpRequest, org: Organisation, result: BulkResult, label: str) -> None:
    """Keep the events of the bulk decision just taken, to undo; one decision back only."""
    if result.events:
        request.session[_last_key(org)] = {"events": result.events, "label": label}
    else:
        request.session.pop(_last_key(org), None)


def last_label(request: HttpRequest, org: Organisation) -> str | None:
    """What the bulk decision that can be undone was, e.g. "Confirm 312 posts"."""
    last = request.session.get(_last_key(org))
    return last["label"] if last else None


def undo_last(
    request: HttpRequest, org: Organisation, actor: AbstractBaseUser, role: str
) -> BulkResult:
    """Undo the last bulk decision on each post where it is still the latest decision."""
    last = request.session.pop(_last_key(org), None) or {"events": []}
    events = ReviewEvent.objects.for_org(org).filter(pk__in=last["events"], actor=actor)
    undos = [(post_id, Decision(Action.UNDO, undoes=event_id))
             for event_id, post_id in events.order_by("pk").values_list("pk", "post_id")]
    return record_many(org, undos, actor, role)
