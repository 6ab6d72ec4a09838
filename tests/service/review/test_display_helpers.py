"""Pure helpers behind the item page: segments, links and image addresses."""

from __future__ import annotations

import pytest

from tropewatch.posts.models import Post
from tropewatch.review.highlight import Segment, segments
from tropewatch.review.links import external_url, https_url
from tropewatch.review.media import image_urls


def test_segments_cover_the_text_exactly_and_mark_spans():
    text = "abc DEF ghi"

    found = segments(text, [{"start": 4, "end": 7, "category": "power_control"}])

    assert found == [Segment("abc "), Segment("DEF", ("power_control",)), Segment(" ghi")]


def test_overlapping_spans_split_into_segments_with_every_covering_category():
    found = segments("abcdef", [{"start": 0, "end": 4, "category": "a"},
                                {"start": 2, "end": 6, "category": "b"}])

    assert [(s.text, s.categories) for s in found] == [
        ("ab", ("a",)), ("cd", ("a", "b")), ("ef", ("b",))]


@pytest.mark.parametrize("span", [
    {"start": -1, "end": 2, "category": "a"}, {"start": 2, "end": 99, "category": "a"},
    {"start": 3, "end": 3, "category": "a"}, {"start": "0", "end": 2, "category": "a"},
    {"end": 2},
])
def test_spans_outside_the_text_are_ignored(span):
    assert segments("abcdef", [span]) == [Segment("abcdef")]


def test_invisible_controls_become_named_markers_and_disappear_from_the_text():
    found = segments("a\u202eb\u200bc", [])

    assert "".join(s.text for s in found) == "abc"
    assert [s.control for s in found if s.control] == ["U+202E", "U+200B"]
    assert found[1].control_name == "RIGHT-TO-LEFT OVERRIDE"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "//evil.example/",
    "/relative", "https://", "https://ok.example/\" onmouseover=\"x", "https://a.example/ b",
    "vbscript:msgbox", "https://a.example/\nx", "",
])
def test_only_plain_http_addresses_become_links(url):
    assert external_url(url) is None


def test_http_and_https_addresses_are_kept_and_images_must_be_https():
    assert external_url("http://example.org/p?q=1") == "http://example.org/p?q=1"
    assert https_url("http://example.org/a.png") is None
    assert https_url("https://example.org/a.png") == "https://example.org/a.png"


@pytest.mark.parametrize(("platform", "url", "raw", "expected"), [
    ("mastodon", "https://m.example/@a/1",
     {"media_attachments": [{"type": "image", "url": "https://files.m.example/1.png"},
                            {"type": "image", "url": "https://m.example/2.png"},
                            {"type": "video", "url": "https://m.example/v.mp4"},
                            {"type": "image", "url": "javascript:alert(1)"}]},
     ["https://files.m.example/1.png", "https://m.example/2.png"]),
    # A hostile record naming its author's own server, or one posing as the instance's.
    ("mastodon", "https://m.example/@a/1",
     {"media_attachments": [{"type": "image", "url": "https://tracker.example/1.png"},
                            {"type": "image", "url": "https://m.example.tracker.example/2.png"},
                            {"type": "image", "url": "https://evilm.example/3.png"}]}, []),
    ("mastodon", "", {"media_attachments": [{"type": "image", "url": "https://m.example/1.png"}]},
     []),
    ("x", "", {"extended_entities": {"media": [
        {"media_url_https": "https://pbs.twimg.com/media/a.jpg"},
        {"media_url_https": "https://pbs.example/b.jpg"}]}},
     ["https://pbs.twimg.com/media/a.jpg"]),
    ("bluesky", "", {"author": {"did": "did:plc:abc123"}, "record": {"embed": {
        "$type": "app.bsky.embed.images", "images": [{"image": {"ref": {"$link": "bafk1"}}}]}}},
     ["https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:abc123/bafk1@jpeg"]),
    ("bluesky", "", {"author": {"did": "did:plc:x/../../y"}, "record": {"embed": {
        "$type": "app.bsky.embed.images", "images": [{"image": {"ref": {"$link": "bafk1"}}}]}}},
     []),
    ("facebook", "", {"anything": "https://f.example/a.png"}, []),
    ("mastodon", "https://m.example/@a/1", {"media_attachments": "not a list"}, []),
])
def test_image_addresses_are_read_per_platform_only_from_its_media_hosts(platform, url, raw,
                                                                          expected):
    assert image_urls(Post(platform=platform, url=url, raw=raw)) == expected
