"""The XSS corpus, imported like any export and viewed in real Chromium by a moderator:
nothing in it runs, nothing in it makes the browser fetch anything, and nothing in it
breaks the layout, at desktop and at phone width. Every page (queue, item, its images page,
the history fragment, the audit log) makes 0 requests beyond the test server (conftest.py
says what counts), but for the platform images a moderator asks to see, and only then."""

from __future__ import annotations

import csv
import json
import re

import pytest
from playwright.sync_api import expect

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


def _assert_inert(page, seen, base_url: str, where: str, allowed: tuple[str, ...] = (),
                  asked_for: tuple[str, ...] = ()) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", where
    assert page.evaluate("window.__violations") == [], where
    assert seen.dialogs == [] and seen.errors == [], where
    assert [m for m in seen.console if m.startswith(("error", "warning"))] == [], where
    assert [url for url in seen.requests if "/canary" in url] == [], where
    # Nothing beyond the test server, but the platform images the moderator asked to see.
    assert sorted(foreign_requests(seen, base_url)) == sorted(asked_for), where
    # Besides the pages themselves, only the console's own static files and service worker
    # (and, where a test says so, its own htmx requests) were fetched.
    own = (base_url + "/static/", base_url + "/service-worker.js?")
    fetched = [url for url in seen.subresources
               if not url.startswith((*own, *allowed)) and url not in asked_for]
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
        page.goto(f"{live_server.url}/o/campaign/posts/{post.pk}/images/")
        assert "The post has no images we can show." in page.content()
        _assert_inert(page, seen, live_server.url, f"images of post {post.platform_id}")


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


@pytest.fixture
def posts_with_media(org, live_server, tmp_path) -> list[tuple[Post, list[str]]]:
    """Posts from an X archive and a Mastodon page whose media addresses are hostile, some
    beside images on the platform's own hosts; each with the addresses the console may show."""
    canary = live_server.url + "/canary"
    foreign = [url.format(canary=canary) for url in xss_corpus.FOREIGN_MEDIA]
    archive = tmp_path / "data"
    archive.mkdir()
    account = {"account": {"accountId": "99", "username": "hostile",
                           "accountDisplayName": xss_corpus.AUTHOR_NAMES[0]}}
    (archive / "account.js").write_text("window.YTD.account.part0 = " + json.dumps([account]))
    tweets = [_tweet("901", [*foreign, xss_corpus.X_MEDIA]), _tweet("902", foreign)]
    (archive / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(tweets))
    statuses = tmp_path / "statuses.json"
    statuses.write_text(json.dumps([{
        "id": "111400000000000077", "created_at": "2026-11-20T10:00:00Z",
        "content": f"<p>{xss_corpus.TROPE}On Mastodon.</p>", "url": xss_corpus.MASTODON_POST,
        "account": {"id": "7", "acct": "ada@social.example", "display_name": "Ada"},
        "media_attachments": [{"type": "image", "url": url, "remote_url": foreign[0]}
                              for url in [*xss_corpus.MASTODON_FOREIGN_MEDIA,
                                          *xss_corpus.MASTODON_MEDIA]],
    }]))
    for platform, export in (("x", archive / "tweets.js"), ("mastodon", statuses)):
        source = Source.objects.create(org=org, platform=platform, name=f"{platform} export")
        run = run_import(org, source, export, platform)
        assert run.status == run.Status.FINISHED, run.message
    shown = {"901": [xss_corpus.X_MEDIA], "902": [],
             "111400000000000077": xss_corpus.MASTODON_MEDIA}
    posts = list(Post.objects.filter(org=org).order_by("pk"))
    assert sorted(p.platform_id for p in posts) == sorted(shown)
    return [(post, shown[post.platform_id]) for post in posts]


def _tweet(tweet_id: str, media: list[str]) -> dict:
    return {"tweet": {
        "id_str": tweet_id, "created_at": "Fri Nov 20 10:00:00 +0000 2026",
        "full_text": xss_corpus.TROPE + "Look at this.",
        "extended_entities": {"media": [{"media_url_https": url} for url in media]},
    }}


def test_images_are_fetched_only_when_asked_for_and_only_from_platform_hosts(
    live_server, open_page, member, posts_with_media
):
    moderator = member("moderator")
    page, seen = open_page()
    log_in(page, live_server.url, moderator, with_code=True)
    page.goto(live_server.url + "/o/campaign/queue/?status=all")
    # The three posts share their text, so the queue shows them as one cluster row.
    assert page.locator("[data-row-link]").count() == 1
    assert page.locator(".cluster-copies").inner_text().startswith(
        f"{len(posts_with_media)} near-identical posts")
    _assert_inert(page, seen, live_server.url, "queue")

    asked_for: list[str] = []
    for post, shown in posts_with_media:
        where = f"{post.platform} post {post.platform_id}"
        page.goto(f"{live_server.url}/o/campaign/posts/{post.pk}/")
        _assert_inert(page, seen, live_server.url, where, asked_for=tuple(asked_for))
        show = page.get_by_role("link", name=re.compile(r"^Show the post's"))
        if not shown:
            assert show.count() == 0, where
            page.goto(f"{live_server.url}/o/campaign/posts/{post.pk}/images/")
            assert "The post has no images we can show." in page.content()
            _assert_inert(page, seen, live_server.url, where + " images",
                          asked_for=tuple(asked_for))
            continue

        assert show.inner_text().startswith(f"Show the post's {len(shown)} image"), where
        show.click()  # the moderator asks to see the images
        page.wait_for_url("**/images/**")
        for image in page.locator("[data-unblur] img").all():
            expect(image).to_have_js_property("naturalWidth", 1)  # conftest's stand-in PNG
        asked_for += shown
        _assert_inert(page, seen, live_server.url, where + " images", asked_for=tuple(asked_for))
        images = page.locator("[data-unblur]")
        assert images.count() == len(shown), where
        assert images.first.get_attribute("class") == "blurred", where
        images.first.click()  # shows what was already fetched, blurred: no new request
        assert images.first.get_attribute("aria-pressed") == "true", where
        _assert_inert(page, seen, live_server.url, where + " shown", asked_for=tuple(asked_for))
