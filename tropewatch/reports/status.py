"""A platform report's status, derived from its event log by one pure transition function.

Invariants:
  * A report starts DRAFTED (its first event is the draft being saved).
  * Only a drafted report is submitted; submitting says who, when, and the platform's reference.
  * The platform's response is recorded for a submitted or appealed report.
  * Only a report the platform responded to can be appealed.
  * CLOSED is final and carries the outcome: removed, restricted or no action.
  * Only leads and admins act on reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from tropewatch.accounts.roles import can_report_to_platforms


class ReportStatus(StrEnum):
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    RESPONDED = "responded"
    APPEALED = "appealed"
    CLOSED = "closed"


class ReportAction(StrEnum):
    DRAFT = "draft"
    SUBMIT = "submit"
    RESPOND = "respond"
    APPEAL = "appeal"
    CLOSE = "close"


class Outcome(StrEnum):
    REMOVED = "removed"
    RESTRICTED = "restricted"
    NO_ACTION = "no_action"


# From which statuses each action may be taken, and the status it leads to.
_MOVES: dict[ReportAction, tuple[frozenset[ReportStatus | None], ReportStatus]] = {
    ReportAction.DRAFT: (frozenset({None}), ReportStatus.DRAFTED),
    ReportAction.SUBMIT: (frozenset({ReportStatus.DRAFTED}), ReportStatus.SUBMITTED),
    ReportAction.RESPOND: (
        frozenset({ReportStatus.SUBMITTED, ReportStatus.APPEALED}), ReportStatus.RESPONDED
    ),
    ReportAction.APPEAL: (frozenset({ReportStatus.RESPONDED}), ReportStatus.APPEALED),
    ReportAction.CLOSE: (
        frozenset({ReportStatus.SUBMITTED, ReportStatus.RESPONDED, ReportStatus.APPEALED}),
        ReportStatus.CLOSED,
    ),
}


class InvalidReportTransition(ValueError):
    """The action is not allowed from this status, by this role or without its outcome."""


class ReportEventLike(Protocol):
    action: str
    actor_role: str
    outcome: str


def next_report_status(
    status: ReportStatus | None, action: str, role: str, outcome: str = ""
) -> ReportStatus:
    """The status after ``role`` takes ``action`` on a report in ``status`` (None: no report
    yet). Closing needs an ``outcome``; responding may carry the one the platform gave."""
    move = ReportAction(action)
    if not can_report_to_platforms(role):
        raise InvalidReportTransition(f"a {role} cannot act on reports to the platforms")
    allowed_from, to = _MOVES[move]
    if status not in allowed_from:
        now = status.value if status else "not drafted yet"
        raise InvalidReportTransition(f"cannot {move.value} a report that is {now}")
    if outcome and outcome not in Outcome.__members__.values():
        raise InvalidReportTransition(f"unknown outcome {outcome!r}")
    if move == ReportAction.CLOSE and not outcome:
        raise InvalidReportTransition("closing a report needs its outcome")
    return to


def report_status_from_events(events: Iterable[ReportEventLike]) -> ReportStatus | None:
    status: ReportStatus | None = None
    for event in events:
        status = next_report_status(status, event.action, event.actor_role, event.outcome)
    return status
