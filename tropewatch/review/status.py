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
  * An UNDO takes back the item's latest confirmation, dismissal or escalation (notes aside),
    returning it to the status before it; only a role that could have taken that decision
    may, and an undo is not undone in turn. Who may undo whose decision is the caller's
    rule (``tropewatch.review.decisions``: only the moderator who took it).
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
    UNDO = "undo"


CLOSED = frozenset({Status.CONFIRMED, Status.DISMISSED})
_CLOSING = {Action.CONFIRM: Status.CONFIRMED, Action.DISMISS: Status.DISMISSED}
UNDOABLE = frozenset({Action.CONFIRM, Action.DISMISS, Action.ESCALATE})
# The status before the latest undoable decision, and that decision's action.
Undoable = tuple[Status, str]


class InvalidTransition(ValueError):
    """The action is not allowed from this status for this role; the message says why."""


class EventLike(Protocol):
    action: str
    actor_role: str


def next_status(status: Status, action: str, role: str) -> Status:
    """The status after ``role`` takes ``action`` on an item in ``status``; an UNDO needs
    the decision it undoes (``after_undo``)."""
    match Action(action):
        case Action.UNDO:
            raise InvalidTransition("an undo needs the decision it undoes")
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


def after_undo(undoable: Undoable | None, role: str) -> Status:
    """The status after ``role`` undoes the decision ``undoable`` describes."""
    _require(undoable is not None, "there is no decision to undo")
    before, action = undoable
    try:
        next_status(before, action, role)
    except InvalidTransition:
        raise InvalidTransition(f"a {role} cannot undo a decision to {action}") from None
    return before


def fold(events: Iterable[EventLike]) -> tuple[Status, Undoable | None]:
    """The status an item has after its events, oldest first, and what an undo would take
    back."""
    status, undoable = Status.OPEN, None
    for event in events:
        if event.action == Action.UNDO:
            status, undoable = after_undo(undoable, event.actor_role), None
            continue
        before, status = status, next_status(status, event.action, event.actor_role)
        if event.action in UNDOABLE:
            undoable = (before, event.action)
        elif event.action != Action.NOTE:
            undoable = None  # a reopen is not undone; nor is what came before it
    return status, undoable


def status_from_events(events: Iterable[EventLike]) -> Status:
    """The status an item has after its events, oldest first."""
    return fold(events)[0]


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise InvalidTransition(reason)
