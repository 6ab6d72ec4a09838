"""The XSS corpus, imported like any export and viewed in real Chromium by a moderator:
nothing in it runs, nothing in it makes the browser fetch anything, and nothing in it
breaks the layout, at desktop and at phone width."""

from __future__ import annotations

import csv

import pytest

from tropewatch.imports.services import run_import
from tropewatch.posts.models import Author, Post, Source

from . import xss_corpus
from .conftest import DESKTOP, PHONE, foreign_requests, log_in

pytestmark = pytest.mark.browser

OUTSIDE = "http://canary.invalid"


@pytest.fixture
def hostile_posts(org, live_server, tmp_path) -> list[Post]:
    canary = live_server.url + "/canary"
    source = Source.objects.create(org=org, platform="csv", name="<script>window.__xss = "
                                   "'source'</script>")
    export = tmp_path / "corpus.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "created_at", "author", "url"])
        for number, payload in enumerate(xss_corpus.POSTS):
            text = xss_corpus.TROPE + payload.format(canary=canary, outside=OUTSIDE)
            author = xss_corpus.AUTHOR_NAMES[number % len(xss_corpus.AUTHOR_NAMES)]
            url = xss_corpus.URL if number % 2 else f"{canary}/post-link"
            writer.writerow([f"xss{number}", text, "2026-11-20T10:00:00Z", author, url])
    run = run_import(org, source, export, "csv")
    assert run.status == run.Status.FINISHED, run.message
    # Platforms give names and bios too; the generic CSV has only handles.
    Author.objects.filter(org=org).update(
        display_name=xss_corpus.AUTHOR_NAMES[0],
        bio=xss_corpus.AUTHOR_BIO.format(canary=canary, outside=OUTSIDE),
    )
    posts = list(Post.objects.filter(org=org).order_by("pk"))
    assert len(posts) == len(xss_corpus.POSTS)
    return posts


def _assert_inert(page, seen, base_url: str, where: str, allowed: tuple[str, ...] = ()) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", where
    assert page.evaluate("window.__violations") == [], where
    assert seen.dialogs == [] and seen.errors == [], where
    assert [m for m in seen.console if m.startswith(("error", "warning"))] == [], where
    assert [url for url in seen.requests if "/canary" in url] == [], where
    assert foreign_requests(seen, base_url) == [], where
    # Besides the pages themselves, only the console's own static files (and, where a test
    # says so, its own htmx requests) were fetched.
    fetched = [url for url in seen.subresources
               if not url.startswith((base_url + "/static/", *allowed))]
    assert fetched == [], where
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where}: {overflow}px wider than the window"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "phone"])
def test_the_corpus_executes_nothing_and_fetches_nothing(
    live_server, open_page, member, hostile_posts, viewport
):
    moderator = member("moderator")
    page, seen = open_page(viewport)
    log_in(page, live_server.url, moderator, with_code=True)

    page.goto(live_server.url + "/o/campaign/queue/?status=all")
    assert page.locator("[data-row-link]").count() >= 1
    _assert_inert(page, seen, live_server.url, "queue")

    for post in hostile_posts:
        page.goto(f"{live_server.url}/o/campaign/posts/{post.pk}/")
        assert page.locator(".post-text").first.inner_text().startswith("The Rothschilds")
        _assert_inert(page, seen, live_server.url, f"post {post.platform_id}")


def test_hostile_notes_are_inert_in_the_htmx_fragment_and_the_audit_log(
    live_server, open_page, member, hostile_posts
):
    lead = member("lead")
    page, seen = open_page()
    log_in(page, live_server.url, lead, with_code=True)
    post = hostile_posts[0]
    page.goto(f"{live_server.url}/o/campaign/posts/{post.pk}/")

    note = xss_corpus.NOTE.format(canary=live_server.url + "/canary", outside=OUTSIDE)
    page.get_by_label("Add a note").fill(note)
    with page.expect_response(lambda response: "/notes/" in response.url):
        page.get_by_role("button", name="Save note").click()  # swapped in by htmx

    assert page.locator("#history .note").inner_text() == note
    notes_url = f"{live_server.url}/o/campaign/posts/{post.pk}/notes/"
    assert notes_url in seen.subresources  # sent by htmx, not by a page load
    _assert_inert(page, seen, live_server.url, "note fragment", allowed=(notes_url,))
    page.goto(live_server.url + "/o/campaign/audit/")
    assert note[:40] in page.locator(".audit").inner_text()
    _assert_inert(page, seen, live_server.url, "audit log", allowed=(notes_url,))
