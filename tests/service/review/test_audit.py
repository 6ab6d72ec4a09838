"""The audit log: every event, filterable, exportable to CSV that a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io

from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_audit_log_lists_and_filters_events(client_as, org, members, make_post):
    first, second = make_post(), make_post()
    record(org, first.pk, members["moderator"], "moderator", Decision(Action.CONFIRM, ["x"]))
    record(org, second.pk, members["triage"], "triage", Decision(Action.ESCALATE, note="look"))
    client = client_as("lead")

    everything = client.get("/o/campaign/audit/").content.decode()
    by_triage = client.get("/o/campaign/audit/", {"actor": "triage"}).content.decode()
    escalations = client.get("/o/campaign/audit/", {"action": "escalate"}).content.decode()

    assert "2 events" in everything
    assert "1 event" in by_triage and "(triage)" in by_triage and "(moderator)" not in by_triage
    assert "1 event" in escalations and "look" in escalations


def test_the_csv_export_has_every_filtered_event(client_as, org, members, make_post):
    post = make_post()
    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.DISMISS, reason="news", note="=HYPERLINK(\"http://x\")"))
    record(org, post.pk, members["lead"], "lead", Decision(Action.REOPEN))

    rows = _csv(client_as("admin").get("/o/campaign/audit.csv", {"action": "dismiss"}))

    assert rows[0][:4] == ["time", "actor", "role", "action"]
    assert len(rows) == 2
    assert rows[1][1:5] == ["moderator", "moderator", "dismiss", str(post.pk)]
    assert rows[1][-2:] == ["news", "'=HYPERLINK(\"http://x\")"]

