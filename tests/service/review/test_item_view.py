"""The item page: hostile text escaped, spans marked, personal data only for the roles that
may see it, links that cannot run script, images never loaded with the page."""

from __future__ import annotations

import re

import pytest

from tropewatch.posts.models import Author

HOSTILE = '<script>alert(1)</script><img src=x onerror="fetch(1)"> the Rothschilds'


def _page(client, post, query: str = "") -> str:
    response = client.get(f"/o/{post.org.slug}/posts/{post.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def hostile_author(org):
    return Author.objects.create(
        org=org, platform="x", platform_id="a1", handle="<b>handle</b>",
        display_name='"><svg onload=alert(1)>', bio="<iframe src=//evil>",
    )


def test_post_text_and_author_are_escaped(client_as, make_post, hostile_author):
    post = make_post(HOSTILE, author=hostile_author)

    page = _page(client_as("moderator"), post)

    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<svg" not in page and "&lt;svg onload=alert(1)&gt;" in page
    assert "<b>handle" not in page


def test_detected_spans_are_marked_and_their_text_escaped(client_as, make_post):
    text = "<i>x</i> the Rothschilds own the banks"
    start = text.index("Rothschilds")
    post = make_post(text, spans=[{"start": 0, "end": 8, "category": "coded_language"},
                                  {"start": start, "end": start + 11,
                                   "category": "rothschild_soros"}])

    page = _page(client_as("moderator"), post)

    assert '<mark title="coded_language">&lt;i&gt;x&lt;/i&gt;</mark>' in page
    assert '<mark title="rothschild_soros">Rothschilds</mark>' in page


def test_bidi_controls_are_shown_not_obeyed(client_as, make_post):
    post = make_post("abc\u202edcba the Rothschilds")

    page = _page(client_as("viewer"), post)

    assert "\u202e" not in page
    assert 'title="RIGHT-TO-LEFT OVERRIDE">[U+202E]</span>' in page


def test_categories_are_explained_with_their_ihra_example(client_as, make_post):
    post = make_post(categories=["holocaust_denial"])

    page = _page(client_as("triage"), post)

    assert "IHRA example 4:" in page


def test_the_platform_link_is_text_with_an_explicit_safe_open_action(client_as, make_post):
    post = make_post(url="https://x.com/someone/status/1")

    page = _page(client_as("moderator"), post)

    assert "<code dir=\"ltr\">https://x.com/someone/status/1</code>" in page
    assert re.search(r'<a href="https://x.com/someone/status/1" target="_blank" '
                     r'rel="noreferrer noopener">', page)


def test_a_javascript_url_is_never_a_link(client_as, make_post):
    post = make_post(url="javascript:alert(document.cookie)")

    page = _page(client_as("moderator"), post)

    assert 'href="javascript:' not in page
    assert "not a web link, so not opened" in page


def test_the_author_history_counts_their_other_posts_and_confirmed_ones(
        client_as, make_post, members, org):
    from tropewatch.review.decisions import Decision, record
    from tropewatch.review.status import Action

    author = Author.objects.create(org=org, platform="x", platform_id="a2", handle="repeat")
    post = make_post("the post under review", author=author)
    confirmed = make_post("an earlier post of theirs", author=author)
    make_post("a third post of theirs", author=author, flagged=False)
    make_post("someone else's post")
    record(org, confirmed.pk, members["lead"], "lead", Decision(Action.CONFIRM, ["x"]))

    page = _page(client_as("moderator"), post)

    assert "2 other posts imported; 1 confirmed antisemitic." in page
    assert "an earlier post of theirs" in page and "someone else" not in page


def test_triage_and_viewers_see_no_personal_data(client_as, make_post, hostile_author):
    post = make_post(author=hostile_author, url="https://x.com/someone/status/1")
    make_post("another post by them", author=hostile_author)

    for role in ("triage", "viewer"):
        page = _page(client_as(role), post)
        assert "svg onload" not in page and "x.com/someone" not in page
        assert "This author's other posts" not in page
    moderator_page = _page(client_as("moderator"), post)
    assert "This author's other posts" in moderator_page
    assert "another post by them" in moderator_page


def test_images_are_offered_but_never_loaded_with_the_post(client_as, make_post):
    raw = {"media_attachments": [{"type": "image", "url": "https://files.m.example/a.png"},
                                 {"type": "image", "url": "https://tracker.example/b.png"}]}
    post = make_post(platform="mastodon", raw=raw, url="https://m.example/@a/1")
    client = client_as("moderator")

    page = _page(client, post)
    images = client.get(f"/o/{post.org.slug}/posts/{post.pk}/images/")

    assert "files.m.example" not in page and "<img" not in page
    assert "Show the post's 1 image" in page
    assert 'src="https://files.m.example/a.png"' in images.content.decode()
    assert "tracker.example" not in images.content.decode()
    assert 'class="blurred"' in images.content.decode()
    # Only the images page lets the browser load images, and only from the instance's host.
    assert "img-src 'self' https://files.m.example;" in images["Content-Security-Policy"] + ";"
    assert "img-src 'self';" in client.get(f"/o/{post.org.slug}/posts/{post.pk}/")[
        "Content-Security-Policy"] + ";"


def test_thread_context_shows_the_parent_and_replies(client_as, make_post):
    parent = make_post("the post being answered")
    post = make_post("the Rothschilds again", parent=parent)
    make_post("a reply to it", parent=post)

    page = _page(client_as("viewer"), post)

    assert "the post being answered" in page and "a reply to it" in page


PARENT_URL = "https://x.com/bensample/status/1723450000000000000"


def _reply_to_missing_parent(make_post, parent_url: str = PARENT_URL):
    post = make_post("the Rothschilds again")
    post.parent_platform_id, post.parent_url = "1723450000000000000", parent_url
    post.save(update_fields=["parent_platform_id", "parent_url"])
    return post


def test_a_reply_whose_parent_was_not_imported_says_so_with_its_address(client_as, make_post):
    post = _reply_to_missing_parent(make_post)

    page = _page(client_as("moderator"), post)

    assert "replies to a post that was not imported" in page
    assert f'<a href="{PARENT_URL}" target="_blank" rel="noreferrer noopener">' in page


def test_without_an_address_the_missing_parent_is_still_named(client_as, make_post):
    post = _reply_to_missing_parent(make_post, parent_url="javascript:alert(1)")

    page = _page(client_as("moderator"), post)

    assert "replies to a post that was not imported" in page
    assert "the export does not give its address" in page
    assert "javascript:" not in page


def test_the_parent_address_is_personal_data(client_as, make_post):
    post = _reply_to_missing_parent(make_post)

    page = _page(client_as("viewer"), post)

    assert "replies to a post that was not imported" in page
    assert PARENT_URL not in page


def test_an_imported_parent_gives_no_notice(client_as, make_post):
    parent = make_post("the post being answered")
    post = make_post("the Rothschilds again", parent=parent)

    page = _page(client_as("moderator"), post)

    assert "not imported" not in page


def test_every_page_has_a_strict_content_security_policy(client_as, make_post):
    post = make_post()

    policy = client_as("viewer").get(f"/o/{post.org.slug}/posts/{post.pk}/")[
        "Content-Security-Policy"]

    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_the_console_has_no_inline_script_or_style(client_as, make_post):
    post = make_post()
    client = client_as("admin")

    for path in (f"/o/{post.org.slug}/queue/", f"/o/{post.org.slug}/posts/{post.pk}/",
                 f"/o/{post.org.slug}/audit/", f"/o/{post.org.slug}/invitations/"):
        page = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path
