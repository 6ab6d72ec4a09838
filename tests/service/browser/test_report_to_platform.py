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


def test_the_whole_path_confirm_report_case_and_case_file(
    live_server, open_page, member, flagged_post
):
    """Issue 16's path, in Chromium: confirm → report → case → its PDF case file."""
    import io

    from pypdf import PdfReader

    from tropewatch.cases.models import Case
    from tropewatch.posts.models import Author

    lead = member("lead")
    post = flagged_post("Soros and his friends fund the invasion", 0.93, 2)
    post.author = Author.objects.create(org=post.org, platform="x", platform_id="77",
                                        handle="poster77", display_name="Poster")
    post.save()
    item = f"{live_server.url}/o/campaign/posts/{post.pk}/"
    page, seen = open_page()

    log_in(page, live_server.url, lead, with_code=True)
    page.goto(item)
    page.keyboard.press("c")
    page.wait_for_url("**/queue/**done=1**")
    page.goto(item)
    page.get_by_role("link", name="Report to the platform").click()
    page.wait_for_url(f"**/posts/{post.pk}/report/")
    page.get_by_label("Submitted through the form").check()
    page.get_by_role("button", name="Record").click()
    page.wait_for_load_state()

    page.goto(item)
    page.get_by_role("button", name="Open a case about this author").click()
    case = Case.objects.get()
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.get_by_label("Start investigating").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_label("Record the decision").check()
    page.get_by_label("Outcome (for a decision)").select_option("education")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the case file (PDF)").click()
    pdf = download.value.path().read_bytes()

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Soros and his friends fund the invasion" in " ".join(text.split())
    assert "Education" in text
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("decided", "education")
    assert seen.errors == [] and page.evaluate("window.__violations") == []
    assert foreign_requests(seen, live_server.url) == []
