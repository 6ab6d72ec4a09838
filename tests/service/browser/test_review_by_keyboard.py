"""A moderator logs in with two factors and works the queue with the keyboard alone; triage
and viewers are refused what their roles do not allow."""

from __future__ import annotations

import pytest

from tropewatch.review.models import ReviewEvent

from .conftest import foreign_requests, log_in

pytestmark = pytest.mark.browser


def _clean(page, seen, base_url: str) -> None:
    assert seen.errors == [] and seen.dialogs == []
    assert [m for m in seen.console if m.startswith("error")] == []
    assert page.evaluate("window.__violations") == []
    assert foreign_requests(seen, base_url) == []


def test_a_moderator_logs_in_with_two_factors_and_works_the_queue_by_keyboard(
    live_server, open_page, member, flagged_post
):
    moderator = member("moderator")
    top = flagged_post("The Rothschilds control the banks", 0.95, 1)
    middle = flagged_post("Soros funds everything, they say", 0.85, 2)
    last = flagged_post("A third flagged post", 0.75, 3)
    page, seen = open_page()

    log_in(page, live_server.url, moderator, with_code=True)
    page.keyboard.press("j")
    first_focus = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.textContent") == first_focus == top.text

    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("?")
    assert not page.locator("#help").is_visible()

    page.keyboard.press("s")  # start: claims the top item and opens it
    page.wait_for_url(f"**/posts/{top.pk}/**")
    page.keyboard.press("c")  # confirm, and on to the next item
    page.wait_for_url(f"**/posts/{middle.pk}/**")
    page.keyboard.press("d")  # dismiss: focus the reasons ...
    page.keyboard.press("ArrowDown")  # ... pick the second one ...
    page.keyboard.press("Enter")  # ... and send it
    page.wait_for_url(f"**/posts/{last.pk}/**")
    page.keyboard.press("e")  # escalate
    page.wait_for_url("**/queue/**done=1**")
    assert "Nothing left to review" in page.content()

    log = list(ReviewEvent.objects.order_by("pk").values_list("post_id", "action", "reason",
                                                                "actor_name"))
    assert log == [(top.pk, "confirm", "", "moderator"), (middle.pk, "dismiss", "news",
                   "moderator"), (last.pk, "escalate", "", "moderator")]
    assert ReviewEvent.objects.get(action="confirm").categories == ["rothschild_soros"]
    _clean(page, seen, live_server.url)


def test_a_wrong_code_keeps_a_moderator_out(live_server, open_page, member):
    member("moderator")
    page, _ = open_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("pw-moderator")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Log in").click()

    assert "That code is not right" in page.content()
    assert page.goto(live_server.url + "/o/campaign/queue/").url.startswith(
        live_server.url + "/login/")


def test_triage_escalates_but_cannot_confirm_and_a_viewer_only_reads(
    live_server, open_page, member, flagged_post
):
    member("triage")
    member("viewer")
    post = flagged_post("The Rothschilds control the banks", 0.9, 1)
    item = f"{live_server.url}/o/campaign/posts/{post.pk}/"

    page, seen = open_page()
    log_in(page, live_server.url, type("U", (), {"username": "viewer"}), with_code=False)
    page.goto(item)
    for key in ("c", "d", "e", "s"):
        page.keyboard.press(key)
    assert page.url == item
    assert "Your role reads the queue" in page.content()
    _clean(page, seen, live_server.url)
    assert page.goto(live_server.url + "/o/campaign/audit/").status == 403
    assert "Your role does not allow this" in page.content()
    assert page.goto(item + "images/").status == 403
    assert not ReviewEvent.objects.exists()

    page, seen = open_page()
    log_in(page, live_server.url, type("U", (), {"username": "triage"}), with_code=False)
    page.goto(item)
    assert page.get_by_role("button", name="Confirm").count() == 0
    page.keyboard.press("c")
    assert page.url == item and not ReviewEvent.objects.exists()
    page.keyboard.press("e")
    page.wait_for_url("**/queue/**")
    assert list(ReviewEvent.objects.values_list("action", "actor_role")) == [
        ("escalate", "triage")]
    _clean(page, seen, live_server.url)
