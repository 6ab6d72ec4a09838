"""X posts to records, for both shapes X hands out: the account archive's v1.1-style tweet
objects and API v2 tweet objects."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidRecord
from ..fields import (
    as_object,
    dig,
    media_only,
    optional_id,
    optional_text,
    parse_time,
    reach_from,
    required_id,
    required_text,
)
from ..records import AuthorRecord, PostRecord

PLATFORM = "x"
# X puts a t.co link to the photo or video at the end of a tweet's text; a tweet of media
# only has nothing else.
_ONLY_LINKS = re.compile(r"(?:\s*https://t\.co/\w+)*\s*")

_ARCHIVE_REACH = {"likes": "favorite_count", "shares": "retweet_count"}
_API_REACH = {
    "likes": "public_metrics.like_count",
    "shares": "public_metrics.retweet_count",
    "replies": "public_metrics.reply_count",
    "views": "public_metrics.impression_count",
}


def tweet_url(post_id: str, handle: str | None) -> str:
    # x.com/i/web/status/<id> resolves without knowing the account, for API pages without users
    return f"https://x.com/{handle or 'i/web'}/status/{post_id}"


def _tweet_text(value: Any, field: str) -> str:
    # X escapes exactly &, < and > as entities in tweet text (and every & it contains), so a
    # full unescape restores what the person typed.
    return html.unescape(required_text(value, field))


def archive_tweet_to_record(
    item: Any, author: AuthorRecord, *, source_line: int | None = None
) -> PostRecord:
    """One element of data/tweets.js: {"tweet": {...}} (or a bare tweet in early archives)."""
    wrapper = as_object(item, "archive entry")
    tweet = as_object(wrapper["tweet"], "tweet") if "tweet" in wrapper else wrapper
    post_id = required_id(tweet.get("id_str") or tweet.get("id"), "tweet.id_str")
    text = _tweet_text(tweet.get("full_text", tweet.get("text")), "tweet.full_text")
    # The archive keeps a retweet only as "RT @name: " and the start of the other's text.
    if text.startswith("RT @"):
        raise InvalidRecord(f"a retweet: {text.split(':', 1)[0][3:][:60]}'s post, cut short",
                            "boost")
    media = dig(tweet, "extended_entities", "media") or dig(tweet, "entities", "media")
    _refuse_media_only(text, bool(media), "tweet.full_text")
    parent = optional_id(
        tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"),
        "tweet.in_reply_to_status_id_str",
    )
    parent_handle = optional_text(tweet.get("in_reply_to_screen_name"),
                                  "tweet.in_reply_to_screen_name")
    return PostRecord(
        platform=PLATFORM,
        platform_id=post_id,
        text=text,
        created_at=parse_time(tweet.get("created_at"), "tweet.created_at"),
        url=tweet_url(post_id, author.handle),
        author=author,
        parent_platform_id=parent,
        parent_url=tweet_url(parent, parent_handle) if parent else None,
        reach=reach_from(tweet, _ARCHIVE_REACH),
        raw=dict(wrapper),
        source_line=source_line,
    )


def api_tweet_to_record(
    tweet: Any, users: Mapping[str, Mapping[str, Any]], *, source_line: int | None = None
) -> PostRecord:
    """An API v2 tweet object; ``users`` is the page's includes.users by id."""
    tweet = as_object(tweet, "tweet")
    post_id = required_id(tweet.get("id"), "id")
    # Long posts carry their full text in note_tweet; "text" is then cut at 280 characters.
    long_text = dig(tweet, "note_tweet", "text")
    author = _api_author(optional_id(tweet.get("author_id"), "author_id"), users)
    conversation = optional_id(tweet.get("conversation_id"), "conversation_id")
    retweeted = _referenced(tweet.get("referenced_tweets"), "retweeted")
    if retweeted is not None:
        raise InvalidRecord(f"a retweet of {retweeted}: its text is the other post's", "boost")
    text = _tweet_text(long_text or tweet.get("text"), "text")
    _refuse_media_only(text, bool(dig(tweet, "attachments", "media_keys")), "text")
    parent = _referenced(tweet.get("referenced_tweets"), "replied_to")
    return PostRecord(
        platform=PLATFORM,
        platform_id=post_id,
        text=text,
        created_at=parse_time(tweet.get("created_at"), "created_at"),
        url=tweet_url(post_id, author.handle if author else None),
        author=author,
        parent_platform_id=parent,
        parent_url=tweet_url(parent, None) if parent else None,
        thread_root_id=conversation if conversation != post_id else None,
        reach=reach_from(tweet, _API_REACH),
        raw=dict(tweet),
        source_line=source_line,
    )


def _api_author(
    author_id: str | None, users: Mapping[str, Mapping[str, Any]]
) -> AuthorRecord | None:
    if author_id is None:
        return None
    user = users.get(author_id, {})
    return AuthorRecord(
        platform=PLATFORM,
        platform_id=author_id,
        handle=optional_text(user.get("username"), "includes.users.username"),
        display_name=optional_text(user.get("name"), "includes.users.name"),
        bio=optional_text(user.get("description"), "includes.users.description"),
    )


def _refuse_media_only(text: str, has_media: bool, field: str) -> None:
    if has_media and _ONLY_LINKS.fullmatch(text):
        raise media_only(field)


def _referenced(references: Any, kind: str) -> str | None:
    """The id of the tweet this one refers to as ``kind`` (replied_to, retweeted, quoted)."""
    if not isinstance(references, list):
        return None
    for reference in references:
        if isinstance(reference, Mapping) and reference.get("type") == kind:
            return optional_id(reference.get("id"), "referenced_tweets.id")
    return None
