"""What c confirms is in view on a desktop and on a phone; the phone layout puts the post first
and folds the filters; searching the queue narrows its rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tropewatch.review.models import ReviewEvent

from .conftest import DESKTOP, PHONE, foreign_requests, log_in

pytestmark = pytest.mark.browser

# Late in the taxonomy: in the old scrolling box of categories it sat below the fold.
LATE_CATEGORY = "nazi_analogy"


def _clean(page, seen, base_url: str) -> None:
    assert seen.errors == [] and seen.dialogs == []
    assert [m for m in seen.console if m.startswith("error")] == []
    assert page.evaluate("window.__violations") == []
    assert foreign_requests(seen, base_url) == []


@pytest.fixture
def nazi_comparison(org, source):
    from tropewatch.ingest.records import content_sha256
    from tropewatch.posts.models import Detection, Post
    from tropewatch.posts.scanning import current_model_version
    from tropewatch.review.priority import refresh_posts

    text = "They behave exactly like the Nazis did, a new Reich in all but name."
    post = Post.objects.create(
        org=org, source=source, platform="x", platform_id="ex037", text=text,
        created_at=datetime.now(UTC) - timedelta(hours=1), content_sha256=content_sha256(text),
    )
    Detection.objects.create(
        org=org, post=post, antisemitic=True, score=0.9,
        categories=[{"id": LATE_CATEGORY, "name": "Nazi analogy", "score": 0.9}],
        spans=[], model_version=current_model_version(org), policy=org.policy,
        content_sha256=post.content_sha256,
    )
    refresh_posts([post])  # as scanning does: the queue's stored priority
    return post


def _in_view(page, selector: str) -> bool:
    """The element lies inside the viewport and is what the browser shows at its centre (not
    clipped by a scrolling box, nor covered by anything)."""
    return page.evaluate(
        """(selector) => {
          const element = document.querySelector(selector);
          const box = element.getBoundingClientRect();
          const inside = box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight
            && box.right <= window.innerWidth && box.width > 0 && box.height > 0;
          const x = box.left + box.width / 2, y = box.top + box.height / 2;
          const seen = document.elementFromPoint(x, y);
          return inside && seen !== null
            && (element.contains(seen) || seen.htmlFor === element.id);
        }""",
        selector,
    )


def _top(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_ticked_categories_are_in_view_and_c_confirms_them(
    live_server, open_page, member, nazi_comparison, viewport
):
    moderator = member("moderator")
    page, seen = open_page(viewport)
    log_in(page, live_server.url, moderator, with_code=True)

    page.goto(f"{live_server.url}/o/campaign/posts/{nazi_comparison.pk}/")

    ticked = f"input[name=categories][value={LATE_CATEGORY}]"
    assert page.locator(ticked).is_checked()
    assert _in_view(page, ticked)
    assert _in_view(page, "button[data-shortcut=c]")
    # Only the ticked category is out in the open; the others are folded away.
    assert page.locator(".decision.confirm .ticked input").count() == 1
    assert not page.locator("input[name=categories][value=power_control]").is_visible()
    assert page.locator("h1").inner_text().startswith(f"Post {nazi_comparison.pk}")
    _clean(page, seen, live_server.url)

    page.keyboard.press("c")
    page.wait_for_url("**/queue/**")
    assert f"Post {nazi_comparison.pk}: confirm saved." in page.content()
    assert ReviewEvent.objects.get().categories == [LATE_CATEGORY]


def test_on_a_phone_the_post_comes_first_and_targets_are_big_enough(
    live_server, open_page, member, nazi_comparison
):
    moderator = member("moderator")
    page, seen = open_page(PHONE)
    log_in(page, live_server.url, moderator, with_code=True)

    # The queue: its filters folded, no keyboard hints.
    assert not page.locator("#id_status").is_visible()
    assert page.locator("#id_q").is_visible()
    page.locator(".filters-fold > summary").click()
    assert page.locator("#id_status").is_visible()
    assert not page.locator("kbd").first.is_visible()
    assert not page.locator("[data-help-open]").is_visible()

    page.goto(f"{live_server.url}/o/campaign/posts/{nazi_comparison.pk}/")
    text = ".item-post > .post-text"
    assert _in_view(page, text)
    assert _top(page, text) < _top(page, ".facts") < _top(page, "#decide-heading")
    assert not page.locator("kbd").first.is_visible()
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'main button, main summary, main select, .decision fieldset label, .topbar nav a'))
            .filter((element) => element.getClientRects().length > 0)
            .filter((element) => element.getBoundingClientRect().height < 44)
            .map((element) => element.outerHTML.slice(0, 80))"""
    )
    assert small == []
    _clean(page, seen, live_server.url)


def test_on_a_desktop_the_filters_are_open(live_server, open_page, member, nazi_comparison):
    moderator = member("moderator")
    page, seen = open_page(DESKTOP)
    log_in(page, live_server.url, moderator, with_code=True)

    assert page.locator("#id_status").is_visible()
    assert not page.locator(".filters-fold > summary").is_visible()
    assert page.locator("kbd").first.is_visible()
    _clean(page, seen, live_server.url)


def test_searching_the_queue_narrows_the_rows(
    live_server, open_page, member, flagged_post, nazi_comparison
):
    moderator = member("moderator")
    banks = flagged_post("The Rothschilds control the banks", 0.95, 1)
    page, seen = open_page()
    log_in(page, live_server.url, moderator, with_code=True)
    assert page.locator("[data-row-link]").count() == 2

    page.get_by_label("Search text, author or URL").fill('"Reich" (*')
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**q=%22Reich**")

    assert page.locator("[data-row-link]").count() == 1
    assert page.locator("[data-row-link]").inner_text() == nazi_comparison.text
    assert banks.text not in page.content()

    page.get_by_label("Search text, author or URL").fill("rothsch")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**q=rothsch**")
    assert page.locator("[data-row-link]").inner_text() == banks.text
    _clean(page, seen, live_server.url)
