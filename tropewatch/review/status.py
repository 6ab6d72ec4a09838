"""An item's review status, derived from its event log by one pure transition function.

The log is the truth; the status is a fold over it. ``next_status`` holds every rule about
which action may follow which, by whom, and is checked before an event is appended, so a log
written through ``tropewatch.review.decisions`` always folds without error.

Invariants:
  * Every item starts OPEN. Notes never change the status.
  * Only an OPEN item can be escalated (by triage or any deciding role).
  * An OPEN item is confirmed or dismissed by a moderator, lead or admin.
  * An ESCALATED item can only be closed (confirmed or dismissed) by a lead or admin.
  * A CONFIRMED or DISMISSED item is never decided again directly: a lead or admin reopens it
    (back to OPEN) first, so every change of mind is visible in the log. A lead or admin may
    also reopen an escalated item, sending it back to the moderators.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from tropewatch.accounts.roles import (
    can_close_escalated,
    can_decide,
    can_escalate,
    can_note,
)


class Status(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Action(StrEnum):
    CONFIRM = "confirm"
    DISMISS = "dismiss"
    ESCALATE = "escalate"
    REOPEN = "reopen"
    NOTE = "note"


CLOSED = frozenset({Status.CONFIRMED, Status.DISMISSED})
_CLOSING = {Action.CONFIRM: Status.CONFIRMED, Action.DISMISS: Status.DISMISSED}


class InvalidTransition(ValueError):
    """The action is not allowed from this status for this role; the message says why."""


class EventLike(Protocol):
    action: str
    actor_role: str


def next_status(status: Status, action: str, role: str) -> Status:
    """The status after ``role`` takes ``action`` on an item in ``status``."""
    match Action(action):
        case Action.NOTE:
            _require(can_note(role), f"a {role} cannot add notes")
            return status
        case Action.ESCALATE:
            _require(status == Status.OPEN, f"only an open item can be escalated; it is {status}")
            _require(can_escalate(role), f"a {role} cannot escalate")
            return Status.ESCALATED
        case Action.CONFIRM | Action.DISMISS:
            _require(
                status not in CLOSED,
                f"the item is {status} already; a lead or admin must reopen it first",
            )
            _require(can_decide(role), f"a {role} cannot confirm or dismiss")
            _require(
                status != Status.ESCALATED or can_close_escalated(role),
                "an escalated item is closed by a lead or admin",
            )
            return _CLOSING[Action(action)]
        case Action.REOPEN:
            _require(status != Status.OPEN, "the item is open already")
            _require(can_close_escalated(role), "only a lead or admin can reopen an item")
            return Status.OPEN


def status_from_events(events: Iterable[EventLike]) -> Status:
    """The status an item has after its events, oldest first."""
    status = Status.OPEN
    for event in events:
        status = next_status(status, event.action, event.actor_role)
    return status


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise InvalidTransition(reason)
