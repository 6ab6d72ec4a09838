"""Boosts and posts of media only are real posts with nothing of their own to scan: every
platform's import counts them as skipped, by reason, and reports them as no error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from cli.helpers import flat
from ingest.ingest_helpers import FIXTURES
from typer.testing import CliRunner

from tropewatch.cli import service as service_cli
from tropewatch.imports.models import ImportRun
from tropewatch.imports.services import run_import
from tropewatch.posts.models import Post, Source

WORDS = "Volunteers meet on Tuesday to plan the next workshop."


def archive_tweet(number: int, text: str, **extra) -> dict:
    return {"tweet": {"id_str": str(1790000000000000000 + number), "full_text": text,
                      "created_at": "Sat Nov 11 22:06:40 +0000 2023", **extra}}


def x_archive(tmp_path: Path) -> Path:
    """data/tweets.js with a post, a retweet and a photo only (its t.co link and no words)."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "x" / "archive" / "data" / "account.js", data / "account.js")
    tweets = [
        archive_tweet(1, WORDS),
        archive_tweet(2, "RT @someone: what they wrote, cut sh…"),
        archive_tweet(3, "https://t.co/AbC123xyz",
                      extended_entities={"media": [{"type": "photo"}]}),
    ]
    path = data / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(tweets), encoding="utf-8")
    return path


def x_api_page(tmp_path: Path) -> Path:
    """One API v2 page: a post, a retweet and a video only."""
    def tweet(number: int, text: str, **extra) -> dict:
        return {"id": str(1790000000000000000 + number), "text": text, "author_id": "42",
                "created_at": "2024-05-01T10:00:00.000Z", **extra}

    page = {"data": [
        tweet(1, WORDS),
        tweet(2, "RT @someone: their words", referenced_tweets=[
            {"type": "retweeted", "id": "1780000000000000000"}]),
        tweet(3, "https://t.co/AbC123xyz", attachments={"media_keys": ["7_1"]}),
    ], "includes": {"users": [{"id": "42", "username": "someone", "name": "Some One"}]}}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    return path


def fixture(*parts: str):
    return lambda tmp_path: FIXTURES.joinpath(*parts)


# (platform, the export, what it holds that is skipped on purpose)
EXPORTS = {
    "x archive": ("x", x_archive, {"boost": 1, "media_only": 1}),
    "x api": ("x", x_api_page, {"boost": 1, "media_only": 1}),
    # a boost in an archive's outbox holds only a link to the boosted post
    "mastodon": ("mastodon", fixture("mastodon", "archive", "outbox.json"), {"boost": 1}),
    # a post of only an image
    "bluesky": ("bluesky", fixture("bluesky", "search_posts.json"), {"media_only": 1}),
    # a photo shared in a group without words
    "facebook": ("facebook", fixture("facebook", "dyi", "your_facebook_activity", "groups",
                                     "group_posts_and_comments.json"), {"media_only": 1}),
}


@pytest.mark.parametrize(("platform", "export", "reasons"), EXPORTS.values(), ids=EXPORTS)
def test_boosts_and_media_only_posts_are_skipped_with_a_reason(
    org, tmp_path, platform, export, reasons
):
    source = Source.objects.create(org=org, platform=platform, name="export")

    run = run_import(org, source, export(tmp_path), platform)

    assert run.status == ImportRun.Status.FINISHED, run.message
    assert run.skip_reasons == reasons
    assert run.skipped_count == sum(reasons.values())
    assert (run.error_count, run.error_list) == (0, [])
    assert run.new_count == Post.objects.count() > 0


def test_the_summary_says_why_records_were_skipped(org, tmp_path):
    app = typer.Typer()
    service_cli.register(app)
    export = x_archive(tmp_path)

    result = CliRunner().invoke(app, ["import", str(export), "--platform", "x",
                                      "--source", "archive"])

    assert result.exit_code == 0, result.output
    assert ("3 records: 1 new, 0 updated, 2 skipped (unchanged: 0, boost: 1, media only: 1), "
            "0 errors") in flat(result.stderr)
    assert "error" not in result.stderr.replace("0 errors", "")
