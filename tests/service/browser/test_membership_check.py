"""A lead checks an author's membership in real Chromium: htmx swaps the answer into the item
page under the site's CSP, and exactly the one click is logged."""

from __future__ import annotations

import pytest

from tropewatch.members.importing import import_member_list
from tropewatch.members.models import MembershipLook
from tropewatch.posts.models import Author

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def member_post(org, flagged_post, settings, tmp_path):
    settings.MEMBERS_KEY = "browser-test-key-0123456789-abcdefghijkl"
    members = tmp_path / "members.csv"
    members.write_text("x\n@AdaL\n", encoding="utf-8")
    import_member_list(org, members)
    post = flagged_post("The Rothschilds control the banks.", 0.9, 1)
    post.author = Author.objects.create(org=org, platform="x", platform_id="1", handle="adal")
    post.save()
    return post


def test_a_lead_clicks_and_sees_the_author_is_a_member_logged_once(
    live_server, open_page, member, member_post
):
    lead = member("lead")
    page, seen = open_page()
    log_in(page, live_server.url, lead, with_code=True)
    page.goto(f"{live_server.url}/o/campaign/posts/{member_post.pk}/")
    assert not MembershipLook.objects.exists()  # opening the post looks nothing up

    with page.expect_response(lambda response: "/membership/" in response.url):
        page.get_by_role("link", name="Check whether the author is on the member list").click()

    assert page.locator("#membership [role=status]").inner_text().startswith(
        "Member: their x handle is on the member list"
    )
    assert page.url.endswith(f"/posts/{member_post.pk}/")  # swapped in, not a page load
    assert MembershipLook.objects.get().actor == lead
    assert not seen.errors and page.evaluate("window.__violations") == []
