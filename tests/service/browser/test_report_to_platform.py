"""A lead confirms a post, opens its report to the platform, and records it as submitted:
server-rendered pages under the strict CSP, nothing fetched from elsewhere."""

from __future__ import annotations

import pytest

from tropewatch.reports.models import PlatformReport

from .conftest import foreign_requests, log_in

pytestmark = pytest.mark.browser


def test_a_lead_confirms_then_drafts_and_records_the_report(
    live_server, open_page, member, flagged_post
):
    lead = member("lead")
    post = flagged_post("The Rothschilds control the banks", 0.95, 1)
    item = f"{live_server.url}/o/campaign/posts/{post.pk}/"
    page, seen = open_page()

    log_in(page, live_server.url, lead, with_code=True)
    page.goto(item)
    page.keyboard.press("c")  # confirm; the queue is then empty
    page.wait_for_url("**/queue/**done=1**")
    page.goto(item)
    page.get_by_role("link", name="Report to the platform").click()
    page.wait_for_url(f"**/posts/{post.pk}/report/")
    assert "Hateful Conduct: slurs and tropes" in page.locator("#report-text").input_value()

    page.get_by_label("Submitted through the form").check()
    page.get_by_label("The platform's reference").fill("X-42")
    page.get_by_role("button", name="Record").click()
    page.wait_for_load_state()

    assert "Recorded: submit." in page.content()
    report = PlatformReport.objects.get(post=post)
    assert (report.status, report.reference, report.submitted_by) == ("submitted", "X-42", lead)
    assert [e.action for e in report.events.all()] == ["draft", "submit"]
    assert seen.errors == [] and page.evaluate("window.__violations") == []
    assert foreign_requests(seen, live_server.url) == []
