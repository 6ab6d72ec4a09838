"""The issue's 'done when' for the dashboard, in real Chromium: on the demo's invented group, a
lead opens the dashboard, chooses the group and the campaign's date, and reads the trend and
the before-and-after estimate with its interval; the chart data downloads as CSV."""

from __future__ import annotations

import os

import pytest

from tropewatch.cli.service import _group_history
from tropewatch.impact.rollups import rebuild

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_lead_reads_the_before_and_after_estimate_for_the_demo_group(
        live_server, open_page, member, org, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # where the demo writes the invented export
    lead = member("lead")
    source, change = _group_history(org, lead)
    rebuild(org)
    page, seen = open_page()
    log_in(page, live_server.url, lead, with_code=True)

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Source", exact=True).select_option(label=source.name)
    page.get_by_label("Before and after").fill(change.isoformat())
    page.get_by_role("button", name="Show").click()

    estimate = page.locator("#before-after")
    sentence = estimate.locator("p", has_text="confirmed antisemitic posts").inner_text()
    assert f"In {source.name}, confirmed antisemitic posts fell from" in sentence
    assert "95% interval" in sentence and "unlikely to be chance" in sentence
    assert page.locator("#over-time svg").count() == 1
    with page.expect_download() as download:
        page.locator("#over-time").get_by_role("link", name="data (CSV)").click()
    assert download.value.suggested_filename == f"{org.slug}-over-time.csv"
    if os.environ.get("TROPEWATCH_SCREENSHOTS"):
        page.screenshot(path=os.environ["TROPEWATCH_SCREENSHOTS"] + "/dashboard.png",
                        full_page=True)
    assert [m for m in seen.console if m.startswith("error")] == []
    assert not seen.errors and page.evaluate("window.__violations") == []
