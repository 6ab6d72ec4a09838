"""The transition function: every rule of who may move an item from which status."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.conftest import ROLES
from tropewatch.review.status import (
    Action,
    InvalidTransition,
    Status,
    next_status,
    status_from_events,
)


@dataclass(frozen=True)
class Event:
    action: str
    actor_role: str


def test_an_item_without_events_is_open():
    assert status_from_events([]) is Status.OPEN


@pytest.mark.parametrize("role", ["moderator", "lead", "admin"])
@pytest.mark.parametrize(("action", "status"), [("confirm", Status.CONFIRMED),
                                                 ("dismiss", Status.DISMISSED)])
def test_deciding_roles_close_an_open_item(role, action, status):
    assert status_from_events([Event(action, role)]) is status


@pytest.mark.parametrize("role", ["triage", "viewer"])
@pytest.mark.parametrize("action", ["confirm", "dismiss"])
def test_triage_and_viewers_cannot_close_an_item(role, action):
    with pytest.raises(InvalidTransition, match=f"a {role} cannot confirm or dismiss"):
        next_status(Status.OPEN, action, role)


def test_triage_can_escalate_but_a_viewer_cannot():
    assert next_status(Status.OPEN, "escalate", "triage") is Status.ESCALATED
    with pytest.raises(InvalidTransition, match="cannot escalate"):
        next_status(Status.OPEN, "escalate", "viewer")


def test_an_escalated_item_is_closed_only_by_a_lead_or_admin():
    for role in ("lead", "admin"):
        assert next_status(Status.ESCALATED, "confirm", role) is Status.CONFIRMED
        assert next_status(Status.ESCALATED, "dismiss", role) is Status.DISMISSED
    with pytest.raises(InvalidTransition, match="closed by a lead or admin"):
        next_status(Status.ESCALATED, "dismiss", "moderator")


@pytest.mark.parametrize("status", [Status.ESCALATED, Status.CONFIRMED, Status.DISMISSED])
def test_only_an_open_item_can_be_escalated(status):
    with pytest.raises(InvalidTransition, match="only an open item"):
        next_status(status, "escalate", "admin")


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.DISMISSED])
def test_a_decided_item_must_be_reopened_before_it_is_decided_again(status):
    with pytest.raises(InvalidTransition, match="reopen it first"):
        next_status(status, "confirm", "admin")
    reopened = next_status(status, "reopen", "lead")
    assert reopened is Status.OPEN
    assert next_status(reopened, "dismiss", "moderator") is Status.DISMISSED


def test_moderators_cannot_reopen_and_an_open_item_cannot_be_reopened():
    with pytest.raises(InvalidTransition, match="only a lead or admin"):
        next_status(Status.CONFIRMED, "reopen", "moderator")
    with pytest.raises(InvalidTransition, match="open already"):
        next_status(Status.OPEN, "reopen", "admin")


@pytest.mark.parametrize("status", list(Status))
def test_notes_never_change_the_status(status):
    assert next_status(status, "note", "triage") is status
    with pytest.raises(InvalidTransition):
        next_status(status, "note", "viewer")


def test_a_log_with_a_forbidden_step_does_not_fold():
    log = [Event("escalate", "triage"), Event("confirm", "moderator")]

    with pytest.raises(InvalidTransition):
        status_from_events(log)


events = st.builds(Event, st.sampled_from([a.value for a in Action]), st.sampled_from(ROLES))


@given(st.lists(events, max_size=12))
def test_every_log_built_through_the_rules_folds_to_the_last_accepted_status(log):
    # Append events the way decisions.record does: only those the rules accept.
    accepted, status = [], Status.OPEN
    for event in log:
        try:
            status = next_status(status, event.action, event.actor_role)
        except InvalidTransition:
            continue
        accepted.append(event)

    assert status_from_events(accepted) is status
    # Ozone's invariant: whoever closed an escalated item was a lead or admin.
    current = Status.OPEN
    for event in accepted:
        following = next_status(current, event.action, event.actor_role)
        if current is Status.ESCALATED and following in (Status.CONFIRMED, Status.DISMISSED):
            assert event.actor_role in ("lead", "admin")
        current = following


@pytest.mark.parametrize(("log", "status"), [
    ([Event("confirm", "moderator"), Event("undo", "moderator")], Status.OPEN),
    ([Event("dismiss", "moderator"), Event("note", "lead"), Event("undo", "moderator")],
     Status.OPEN),
    ([Event("escalate", "triage"), Event("confirm", "lead"), Event("undo", "lead")],
     Status.ESCALATED),
    ([Event("escalate", "triage"), Event("undo", "triage")], Status.OPEN),
])
def test_an_undo_returns_the_item_to_the_status_before_the_decision(log, status):
    assert status_from_events(log) is status


@pytest.mark.parametrize("log", [
    [Event("undo", "moderator")],
    [Event("confirm", "moderator"), Event("undo", "moderator"), Event("undo", "moderator")],
    [Event("confirm", "moderator"), Event("reopen", "admin"), Event("undo", "admin")],
    [Event("confirm", "moderator"), Event("undo", "triage")],
    [Event("escalate", "triage"), Event("confirm", "lead"), Event("undo", "moderator")],
])
def test_only_the_latest_decision_is_undone_once_by_a_role_that_could_take_it(log):
    with pytest.raises(InvalidTransition):
        status_from_events(log)


def test_next_status_alone_refuses_an_undo():
    with pytest.raises(InvalidTransition):
        next_status(Status.CONFIRMED, "undo", "admin")
