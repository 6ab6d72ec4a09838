"""Case states move only along the allowed transitions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tropewatch.cases.status import (
    CaseAction,
    CaseState,
    InvalidCaseTransition,
    Outcome,
    next_state,
    state_from_events,
)

S, A = CaseState, CaseAction
# The whole process, written out once more by hand: (from, action) -> to.
ALLOWED = {
    (S.OPEN, A.INVESTIGATE): S.INVESTIGATING,
    (S.INVESTIGATING, A.REQUEST_RESPONSE): S.AWAITING_RESPONSE,
    (S.INVESTIGATING, A.DECIDE): S.DECIDED,
    (S.AWAITING_RESPONSE, A.RESUME): S.INVESTIGATING,
    (S.AWAITING_RESPONSE, A.DECIDE): S.DECIDED,
    (S.DECIDED, A.REOPEN): S.INVESTIGATING,
    (S.DECIDED, A.CLOSE): S.CLOSED,
    **{(state, keep): state for state in S if state != S.CLOSED
       for keep in (A.NOTE, A.ADD_POSTS)},
}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(A))
def test_every_state_takes_exactly_the_allowed_actions(state, action):
    outcome = Outcome.WARNING if action == A.DECIDE else ""
    if (state, action) in ALLOWED:
        assert next_state(state, action, outcome) == ALLOWED[(state, action)]
    else:
        with pytest.raises(InvalidCaseTransition):
            next_state(state, action, outcome)


def test_a_decision_needs_an_outcome_and_nothing_else_has_one():
    with pytest.raises(InvalidCaseTransition, match="needs an outcome"):
        next_state(S.INVESTIGATING, A.DECIDE, "")
    with pytest.raises(InvalidCaseTransition, match="needs an outcome"):
        next_state(S.INVESTIGATING, A.DECIDE, "banished")
    with pytest.raises(InvalidCaseTransition, match="only a decision"):
        next_state(S.OPEN, A.INVESTIGATE, Outcome.EXPULSION)


def test_the_refusal_says_what_is_allowed():
    with pytest.raises(InvalidCaseTransition,
                       match="open cannot take 'close'.*start investigating"):
        next_state(S.OPEN, A.CLOSE)


@dataclass
class Event:
    action: str
    outcome: str = ""


@given(st.lists(st.sampled_from([a for a in A if a != A.OPEN]), max_size=12),
       st.sampled_from(list(Outcome)))
def test_any_log_folds_along_allowed_transitions_only(actions, outcome):
    """Folding a log either gives the state the hand-written table reaches, or refuses at the
    first action the table does not allow."""
    events = [Event(A.OPEN)] + [Event(a, outcome if a == A.DECIDE else "") for a in actions]
    state, decided = S.OPEN, ""
    for action in actions:
        if (state, action) not in ALLOWED:
            with pytest.raises(InvalidCaseTransition):
                state_from_events(events)
            return
        state = ALLOWED[(state, action)]
        decided = outcome if action == A.DECIDE else "" if action == A.REOPEN else decided
    assert state_from_events(events) == (state, decided)


def test_a_log_starts_with_its_opening():
    with pytest.raises(InvalidCaseTransition, match="starts with its opening"):
        state_from_events([Event(A.INVESTIGATE)])
