"""A supporter on a phone-sized Chromium shares a post into tropewatch while logged out: the
share target sends them through the login to the filled-in "Submit a link" form, they attach
a screenshot, send it, and see the verdict, all under the site's CSP."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from service.submissions.flags import image_bytes
from tropewatch.submissions.models import Submission

from .conftest import PHONE, foreign_requests

pytestmark = pytest.mark.browser

SHARED = {"title": "Post in Friends of the Park",
          "text": "The Rothschilds secretly control every central bank. "
                  "https://www.facebook.com/groups/9/posts/7/?mibextid=abc"}

# Everything the service worker keeps: static files only, never a page.
_CACHED_ADDRESSES = """
caches.keys().then((names) => Promise.all(names.map((name) =>
  caches.open(name).then((cache) => cache.keys())))).then((lists) =>
  lists.flat().map((request) => request.url))
"""


def test_a_shared_post_is_flagged_from_a_phone(live_server, open_page, member, tmp_path):
    reporter = member("reporter")
    shot = tmp_path / "shot.png"
    shot.write_bytes(image_bytes(390, 600))
    page, seen = open_page(PHONE)

    page.goto(f"{live_server.url}/share/?{urlencode(SHARED)}")
    page.get_by_label("Username").fill(reporter.username)
    page.get_by_label("Password").fill("pw-reporter")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/o/campaign/submit/?*")

    assert page.get_by_label("Link to the post").input_value() == \
        "https://www.facebook.com/groups/9/posts/7/?mibextid=abc"
    assert page.get_by_label("What the post says").input_value().startswith("The Rothschilds")
    assert page.get_by_label("Platform").input_value() == "facebook"
    # Nothing wider than the phone: no sideways scrolling to reach a field.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Your note for the moderators").fill("In our local group")
    page.get_by_label("Screenshot").set_input_files(str(shot))
    page.get_by_role("button", name="Send to the moderators").click()
    page.wait_for_url("**/o/campaign/submit/sent/*/")

    assert page.locator(".verdict").inner_text().startswith("The detector")
    assert page.get_by_role("link", name="Follow this flag").is_visible()
    submission = Submission.objects.get()
    assert submission.reporter == reporter and submission.note == "In our local group"
    assert submission.screenshot.width == 390
    worker = page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)")
    assert worker.startswith(f"{live_server.url}/service-worker.js?static=")
    page.reload()  # now through the worker, which has claimed the page
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    cached = page.evaluate(_CACHED_ADDRESSES)
    assert cached and all(url.startswith(f"{live_server.url}/static/") for url in cached)
    assert not seen.errors and page.evaluate("window.__violations") == []
    assert foreign_requests(seen, live_server.url) == []
