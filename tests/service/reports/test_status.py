"""The report's transition function: every allowed step, and the refusals named."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tropewatch.reports.status import (
    InvalidReportTransition,
    ReportStatus,
    next_report_status,
    report_status_from_events,
)


@dataclass
class Event:
    action: str
    actor_role: str = "lead"
    outcome: str = ""


@pytest.mark.parametrize(("events", "status"), [
    (["draft"], ReportStatus.DRAFTED),
    (["draft", "submit"], ReportStatus.SUBMITTED),
    (["draft", "submit", "respond"], ReportStatus.RESPONDED),
    (["draft", "submit", "respond", "appeal"], ReportStatus.APPEALED),
    (["draft", "submit", "respond", "appeal", "respond"], ReportStatus.RESPONDED),
])
def test_a_report_moves_along_its_path(events, status):
    assert report_status_from_events(Event(action) for action in events) == status


@pytest.mark.parametrize("before", ["submitted", "responded", "appealed"])
def test_closing_needs_an_outcome(before):
    with pytest.raises(InvalidReportTransition, match="needs its outcome"):
        next_report_status(ReportStatus(before), "close", "lead")
    assert next_report_status(ReportStatus(before), "close", "admin", "removed") == "closed"


@pytest.mark.parametrize(("status", "action"), [
    (None, "submit"), (ReportStatus.DRAFTED, "draft"), (ReportStatus.DRAFTED, "respond"),
    (ReportStatus.DRAFTED, "close"), (ReportStatus.SUBMITTED, "appeal"),
    (ReportStatus.CLOSED, "respond"), (ReportStatus.CLOSED, "appeal"),
])
def test_steps_out_of_order_are_refused(status, action):
    with pytest.raises(InvalidReportTransition, match=f"cannot {action} a report"):
        next_report_status(status, action, "lead", "no_action")


@pytest.mark.parametrize("role", ["moderator", "triage", "viewer"])
def test_only_leads_and_admins_act_on_reports(role):
    with pytest.raises(InvalidReportTransition, match=f"a {role} cannot act"):
        next_report_status(None, "draft", role)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(InvalidReportTransition, match="unknown outcome 'deleted'"):
        next_report_status(ReportStatus.SUBMITTED, "close", "lead", "deleted")
