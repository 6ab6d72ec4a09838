"""A case's state, derived from its event log by one pure transition function.

    open → investigating → awaiting response → decided → closed

Invariants:
  * A case starts OPEN. Notes and added posts never change the state.
  * Only an OPEN case starts being investigated.
  * While investigating, the unit may ask the person for a response (AWAITING_RESPONSE) and
    take the investigation up again when it comes (or does not).
  * A decision needs an outcome, and is made while investigating or awaiting a response.
  * A DECIDED case may be reopened (an appeal, new evidence) back to INVESTIGATING, or closed.
  * A CLOSED case is final: a new complaint about the same person is a new case.
Only leads and admins (the complaints unit) act on cases: ``roles.can_handle_cases``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol


class CaseState(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    AWAITING_RESPONSE = "awaiting_response"
    DECIDED = "decided"
    CLOSED = "closed"


class CaseAction(StrEnum):
    OPEN = "open"
    INVESTIGATE = "investigate"
    REQUEST_RESPONSE = "request_response"
    RESUME = "resume"
    DECIDE = "decide"
    REOPEN = "reopen"
    CLOSE = "close"
    NOTE = "note"
    ADD_POSTS = "add_posts"


class Outcome(StrEnum):
    NOT_A_MEMBER = "not_a_member"
    NO_ACTION = "no_action"
    EDUCATION = "education"
    WARNING = "warning"
    SUSPENSION = "suspension"
    EXPULSION = "expulsion"
    REFERRED_TO_PLATFORM = "referred_to_platform"
    REFERRED_TO_POLICE = "referred_to_police"


STATE_NAMES = {
    CaseState.OPEN: "Open", CaseState.INVESTIGATING: "Investigating",
    CaseState.AWAITING_RESPONSE: "Awaiting response", CaseState.DECIDED: "Decided",
    CaseState.CLOSED: "Closed",
}
OUTCOME_NAMES = {
    Outcome.NOT_A_MEMBER: "Not a member", Outcome.NO_ACTION: "No action",
    Outcome.EDUCATION: "Education", Outcome.WARNING: "Warning",
    Outcome.SUSPENSION: "Suspension", Outcome.EXPULSION: "Expulsion",
    Outcome.REFERRED_TO_PLATFORM: "Referred to the platform",
    Outcome.REFERRED_TO_POLICE: "Referred to the police",
}
ACTION_NAMES = {
    CaseAction.INVESTIGATE: "Start investigating",
    CaseAction.REQUEST_RESPONSE: "Ask for a response",
    CaseAction.RESUME: "Resume the investigation",
    CaseAction.DECIDE: "Record the decision",
    CaseAction.REOPEN: "Reopen",
    CaseAction.CLOSE: "Close the case",
}

# From each state, the actions that move it, and where they lead.
_MOVES: dict[CaseState, dict[CaseAction, CaseState]] = {
    CaseState.OPEN: {CaseAction.INVESTIGATE: CaseState.INVESTIGATING},
    CaseState.INVESTIGATING: {CaseAction.REQUEST_RESPONSE: CaseState.AWAITING_RESPONSE,
                              CaseAction.DECIDE: CaseState.DECIDED},
    CaseState.AWAITING_RESPONSE: {CaseAction.RESUME: CaseState.INVESTIGATING,
                                  CaseAction.DECIDE: CaseState.DECIDED},
    CaseState.DECIDED: {CaseAction.REOPEN: CaseState.INVESTIGATING,
                        CaseAction.CLOSE: CaseState.CLOSED},
    CaseState.CLOSED: {},
}
_KEEPING = frozenset({CaseAction.NOTE, CaseAction.ADD_POSTS})


class InvalidCaseTransition(ValueError):
    """The action is not allowed from this state, or lacks what it needs; the message says why."""


def next_state(state: CaseState, action: str, outcome: str = "") -> CaseState:
    """The state after ``action`` on a case in ``state``."""
    if action == CaseAction.OPEN:
        raise InvalidCaseTransition("a case is opened once, when it is created")
    if action in _KEEPING:
        if state == CaseState.CLOSED:
            raise InvalidCaseTransition("the case is closed")
        return state
    moves = _MOVES[state]
    if action not in moves:
        allowed = ", ".join(ACTION_NAMES[a].lower() for a in moves) or "nothing"
        raise InvalidCaseTransition(
            f"a case that is {STATE_NAMES[state].lower()} cannot take '{action}' "
            f"(allowed: {allowed})")
    if action == CaseAction.DECIDE and outcome not in set(Outcome):
        raise InvalidCaseTransition("a decision needs an outcome")
    if action != CaseAction.DECIDE and outcome:
        raise InvalidCaseTransition("only a decision has an outcome")
    return moves[CaseAction(action)]


def allowed_actions(state: CaseState) -> list[CaseAction]:
    return list(_MOVES[state])


class CaseEventLike(Protocol):
    action: str
    outcome: str


def state_from_events(events: Iterable[CaseEventLike]) -> tuple[CaseState, str]:
    """The state and the outcome in force after a case's log; the first event opens it."""
    events = iter(events)
    first = next(events, None)
    if first is None or first.action != CaseAction.OPEN:
        raise InvalidCaseTransition("a case's log starts with its opening")
    state, outcome = CaseState.OPEN, ""
    for event in events:
        state = next_state(state, event.action, event.outcome)
        if event.action == CaseAction.DECIDE:
            outcome = event.outcome
        elif event.action == CaseAction.REOPEN:
            outcome = ""
    return state, outcome
