"""Bluesky: saved feeds, searches, repo listings and Jetstream events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ingest_helpers import FIXTURES, split

from tropewatch.ingest import parse_file
from tropewatch.ingest.bluesky import post_view_to_record

BLUESKY = FIXTURES / "bluesky"
ADA = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
BEN_POST = "at://did:plc:4w6pgvzd3q4zpkbt5fryfrjl/app.bsky.feed.post/3kgmi7c2mgs2x"


def test_it_reads_an_author_feed_with_replies_and_reposts() -> None:
    records, errors = split(parse_file(BLUESKY / "author_feed.json", "bluesky"))

    assert errors == []
    post, reply, reposted = records
    assert post.platform_id == f"at://{ADA}/app.bsky.feed.post/3kgmhxbpdew2p"
    assert post.url == "https://bsky.app/profile/ada.example.com/post/3kgmhxbpdew2p"
    assert (post.author.platform_id, post.author.handle) == (ADA, "ada.example.com")
    assert post.reach == {"likes": 31, "shares": 5, "replies": 2}
    assert post.created_at == datetime(2024, 1, 7, 12, 30, 45, 123000, tzinfo=UTC)
    assert reply.parent_platform_id == BEN_POST
    assert reply.parent_url == (
        "https://bsky.app/profile/did:plc:4w6pgvzd3q4zpkbt5fryfrjl/post/3kgmi7c2mgs2x")
    assert reply.thread_root_id == post.platform_id
    # written at 13:02:10+01:00
    assert reply.created_at == datetime(2024, 1, 7, 12, 2, 10, tzinfo=UTC)
    # a repost shows the original post by its original author
    assert reposted.platform_id == BEN_POST
    assert reposted.author.handle == "ben.bsky.social"
    assert reposted.raw["reason"]["by"]["did"] == ADA


def test_a_post_reposted_twice_is_no_duplicate_but_a_repeated_item_is(tmp_path: Path) -> None:
    feed = json.loads((BLUESKY / "author_feed.json").read_text())
    repost = feed["feed"][2]
    other_repost = json.loads(json.dumps(repost))
    other_repost["reason"]["by"]["did"] = "did:plc:someoneelse"
    feed["feed"] += [other_repost, repost]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))

    records, errors = split(parse_file(path, "bluesky"))

    assert len(records) == 4
    assert [(e.kind, e.record) for e in errors] == [("duplicate", 5)]
    assert "record 5 repeats record 3" in errors[0].message


def test_it_reads_search_results_and_skips_posts_of_media_only() -> None:
    records, errors = split(parse_file(BLUESKY / "search_posts.json", "bluesky"))

    assert [r.text for r in records] == ["Moderation notes, week 41 🧵"]
    assert records[0].author.bio == "Researcher. Posts about online safety."
    assert [(e.kind, e.record) for e in errors] == [("media_only", 2)]


def test_repo_records_know_only_the_did() -> None:
    records, errors = split(parse_file(BLUESKY / "list_records.json", "bluesky"))

    assert errors == []
    assert records[0].platform_id == BEN_POST
    assert records[0].author.platform_id == "did:plc:4w6pgvzd3q4zpkbt5fryfrjl"
    assert records[0].author.handle is None
    assert records[0].url == (
        "https://bsky.app/profile/did:plc:4w6pgvzd3q4zpkbt5fryfrjl/post/3kgmi7c2mgs2x"
    )


def test_jetstream_events_create_posts_and_other_events_are_skipped() -> None:
    records, errors = split(parse_file(BLUESKY / "jetstream.jsonl", "bluesky"))

    (post,) = records
    assert post.platform_id == (
        "at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vuowo2b"
    )
    assert post.text == "Agreed, well put."
    assert post.parent_platform_id.endswith("/3l3pte3p2e325")
    assert [(e.kind, e.line) for e in errors] == [("unsupported", 2), ("unsupported", 3)]


def test_a_bare_record_has_no_id_and_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(
        json.dumps(
            [{"$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2024-01-01T00:00:00Z"}]
        )
    )

    records, errors = split(parse_file(path, "bluesky"))

    assert records == []
    assert [e.kind for e in errors] == ["missing_id"]


def test_a_malformed_uri_is_reported(tmp_path: Path) -> None:
    view = json.loads((BLUESKY / "search_posts.json").read_text())["posts"][0]
    view["uri"] = "https://bsky.app/not-an-at-uri"
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([view]))

    _, errors = split(parse_file(path, "bluesky"))

    assert "not the at:// URI of a post" in errors[0].message


def test_post_views_convert_without_a_file_for_live_connectors() -> None:
    view = json.loads((BLUESKY / "search_posts.json").read_text())["posts"][0]

    record = post_view_to_record(view)

    assert record.source_line is None
    assert record.text == "Moderation notes, week 41 🧵"
    assert record.raw == view
