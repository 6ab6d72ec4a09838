"""Bluesky posts to records, from every JSON shape that carries an ``app.bsky.feed.post``.

``post_view_to_record`` and ``jetstream_event_to_record`` are the conversions the live
connectors (atproto SDK, Jetstream) reuse, so offline files and live data give equal records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..errors import InvalidRecord
from ..fields import as_object, dig, optional_text, parse_time, reach_from, required_text
from ..records import AuthorRecord, PostRecord

PLATFORM = "bluesky"
POST_TYPE = "app.bsky.feed.post"
REPOST_TYPE = "app.bsky.feed.repost"

_POST_URI = re.compile(r"at://(?P<repo>[^/\s]+)/app\.bsky\.feed\.post/(?P<rkey>[^/\s]+)")
_VIEW_REACH = {
    "likes": "likeCount",
    "shares": "repostCount",
    "replies": "replyCount",
}


def post_view_to_record(view: Any, *, source_line: int | None = None) -> PostRecord:
    """An ``app.bsky.feed.defs#postView`` (searchPosts, getPosts, inside feeds)."""
    view = as_object(view, "post view")
    author = as_object(view.get("author"), "post view author")
    return _post_record(
        view.get("uri"),
        view.get("record"),
        _author(author),
        reach_from(view, _VIEW_REACH),
        raw=view,
        source_line=source_line,
    )


def feed_view_to_record(item: Any, *, source_line: int | None = None) -> PostRecord:
    """An ``app.bsky.feed.defs#feedViewPost`` (getAuthorFeed, getTimeline): the post it shows.
    A repost shows the original post, by its original author."""
    item = as_object(item, "feed item")
    record = post_view_to_record(item.get("post"), source_line=source_line)
    return replace(record, raw=dict(item))


def repo_record_to_record(item: Any, *, source_line: int | None = None) -> PostRecord:
    """An entry of ``com.atproto.repo.listRecords``: {uri, cid, value}. Only the DID is known."""
    item = as_object(item, "repo record")
    _skip_repost(item.get("value"))  # before the URI, which names a repost, not a post
    uri = item.get("uri")
    repo = _split_uri(uri)[0]
    return _post_record(uri, item.get("value"), _did_author(repo), {}, item, source_line)


def jetstream_event_to_record(event: Any, *, source_line: int | None = None) -> PostRecord:
    """A Jetstream commit event that creates a post: {did, kind, commit: {operation, ...}}."""
    event = as_object(event, "Jetstream event")
    commit = as_object(event.get("commit"), "Jetstream commit")
    if event.get("kind") != "commit" or commit.get("operation") != "create":
        raise InvalidRecord("Jetstream event is not the creation of a post", "unsupported")
    if commit.get("collection") != POST_TYPE:
        raise InvalidRecord(f"Jetstream commit is not a {POST_TYPE}", "unsupported")
    did = optional_text(event.get("did"), "did")
    rkey = optional_text(commit.get("rkey"), "commit.rkey")
    if not did or not rkey:
        raise InvalidRecord("missing id: Jetstream event without did or rkey", "missing_id")
    uri = f"at://{did}/{POST_TYPE}/{rkey}"
    return _post_record(uri, commit.get("record"), _did_author(did), {}, event, source_line)


def item_to_record(item: Any, *, source_line: int | None = None) -> PostRecord:
    """Whichever of the shapes above ``item`` is."""
    item = as_object(item, "item")
    if isinstance(item.get("post"), Mapping):
        return feed_view_to_record(item, source_line=source_line)
    if "uri" in item and "record" in item:
        return post_view_to_record(item, source_line=source_line)
    if "uri" in item and "value" in item:
        return repo_record_to_record(item, source_line=source_line)
    if "commit" in item and "did" in item:
        return jetstream_event_to_record(item, source_line=source_line)
    if item.get("$type") == POST_TYPE or ("text" in item and "createdAt" in item):
        raise InvalidRecord(
            "missing id: a bare app.bsky.feed.post record has no at:// URI", "missing_id"
        )
    raise InvalidRecord(
        "not a Bluesky post: expected a postView, feedViewPost, repo record or Jetstream event",
        "unsupported",
    )


def post_url(uri: str, handle: str | None) -> str:
    repo, rkey = _split_uri(uri)
    return f"https://bsky.app/profile/{handle or repo}/post/{rkey}"


def _post_record(
    uri: Any,
    value: Any,
    author: AuthorRecord,
    reach: dict[str, int],
    raw: Mapping[str, Any],
    source_line: int | None,
) -> PostRecord:
    _skip_repost(value)
    _split_uri(uri)
    post = as_object(value, "post record")
    parent = _reply_uri(post, "parent")
    declared = post.get("$type")
    if declared is not None and declared != POST_TYPE:
        raise InvalidRecord(f"record is a {declared!r}, not a {POST_TYPE}", "unsupported")
    return PostRecord(
        platform=PLATFORM,
        platform_id=uri,
        # an embed (images, video, a quoted post) with no text is a post of media only
        text=required_text(post.get("text"), "record.text",
                           media=isinstance(post.get("embed"), Mapping)),
        created_at=parse_time(post.get("createdAt"), "record.createdAt"),
        url=post_url(uri, author.handle),
        author=author,
        parent_platform_id=parent,
        parent_url=post_url(parent, None) if parent and _POST_URI.fullmatch(parent) else None,
        thread_root_id=_reply_uri(post, "root"),
        reach=reach,
        raw=dict(raw),
        source_line=source_line,
    )


def _skip_repost(value: Any) -> None:
    if dig(value, "$type") == REPOST_TYPE:
        raise InvalidRecord(f"a repost of {str(dig(value, 'subject', 'uri'))[:200]}: it holds "
                            "no text of its own", "boost")


def _split_uri(uri: Any) -> tuple[str, str]:
    if uri is None or uri == "":
        raise InvalidRecord("missing id: no at:// URI", "missing_id")
    match = _POST_URI.fullmatch(uri) if isinstance(uri, str) else None
    if match is None:
        raise InvalidRecord(f"uri is not the at:// URI of a post: {str(uri)[:80]!r}")
    return match["repo"], match["rkey"]


def _reply_uri(post: Mapping[str, Any], which: str) -> str | None:
    uri = dig(post, "reply", which, "uri")
    return uri if isinstance(uri, str) and uri else None


def _author(author: Mapping[str, Any]) -> AuthorRecord:
    did = optional_text(author.get("did"), "author.did")
    if not did:
        raise InvalidRecord("author has no did")
    return AuthorRecord(
        platform=PLATFORM,
        platform_id=did,
        handle=optional_text(author.get("handle"), "author.handle"),
        display_name=optional_text(author.get("displayName"), "author.displayName"),
        bio=optional_text(author.get("description"), "author.description"),
    )


def _did_author(did: str) -> AuthorRecord:
    return AuthorRecord(platform=PLATFORM, platform_id=did)
