"""What a reporter is told about a post they flagged: its status and, once decided, how."""

from __future__ import annotations

from tropewatch.review.models import DismissReason, ReviewEvent
from tropewatch.review.status import Action, Status

_WAITING = {
    Status.OPEN: "Waiting for a moderator",
    Status.ESCALATED: "With a lead for a second look",
}


def outcome(post_id: int, status: str) -> str:
    """Plain words for the reporter; never who decided, nor their notes."""
    if status in _WAITING:
        return _WAITING[Status(status)]
    if status == Status.CONFIRMED:
        return "Confirmed as antisemitic"
    last = (
        ReviewEvent.objects.filter(post_id=post_id, action=Action.DISMISS)
        .order_by("-created_at", "-pk").values_list("reason", flat=True).first()
    )
    reason = DismissReason(last).label if last in DismissReason.values else ""
    return f"Not taken further: {reason}" if reason else "Not taken further"
