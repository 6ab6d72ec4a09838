"""A lead opens the dashboard in real Chromium: the charts draw under the site's CSP with no
console error or CSP violation, each beside its table, and the link in the top bar leads there."""

from __future__ import annotations

import pytest

from tropewatch.impact.rollups import rebuild

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_the_charts_render_under_the_csp_without_errors(live_server, open_page, member, org,
                                                         flagged_post):
    for number in range(3):
        flagged_post("The Rothschilds control the banks.", 0.9, number)
    rebuild(org)
    lead = member("lead")
    page, seen = open_page()
    log_in(page, live_server.url, lead, with_code=True)

    page.get_by_role("link", name="Dashboard").click()

    page.wait_for_url("**/o/campaign/dashboard/")
    chart = page.locator("#over-time")
    assert chart.locator("svg circle").count() == 1  # one day: one point per series
    assert chart.locator("table tbody tr th").inner_text() != ""
    assert page.locator("#by-source svg rect[height]").count() > 2
    assert [m for m in seen.console if m.startswith("error")] == []
    assert not seen.errors and page.evaluate("window.__violations") == []
