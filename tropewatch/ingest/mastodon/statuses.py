"""Mastodon posts to records: REST API ``Status`` entities and ActivityPub ``Note`` objects.

``status_to_record`` is the conversion the live REST connector reuses. Ids differ between the
two shapes, as they do on Mastodon itself: a REST status id is the serving instance's local id,
while an ActivityPub object is identified by its URI (the REST status's ``uri``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..errors import InvalidRecord
from ..fields import (
    as_object,
    optional_id,
    optional_text,
    parse_time,
    reach_from,
    required_id,
    required_text,
    web_url,
)
from ..records import AuthorRecord, PostRecord
from .html_text import html_to_text

PLATFORM = "mastodon"

_STATUS_REACH = {"likes": "favourites_count", "shares": "reblogs_count", "replies": "replies_count"}
# ActivityPub object types that carry a post's text (Question is a poll).
_POST_OBJECTS = frozenset({"Note", "Question", "Article", "Page"})


def status_to_record(status: Any, *, source_line: int | None = None) -> PostRecord:
    """A REST ``Status``. A boost becomes the boosted post, by its original author."""
    status = as_object(status, "status")
    shown = status["reblog"] if isinstance(status.get("reblog"), Mapping) else status
    post_id = required_id(shown.get("id"), "id")
    return PostRecord(
        platform=PLATFORM,
        platform_id=post_id,
        text=_post_text(shown.get("spoiler_text"), shown.get("content"), "content",
                        media=bool(shown.get("media_attachments"))),
        created_at=parse_time(shown.get("created_at"), "created_at"),
        url=web_url(shown.get("url")) or web_url(shown.get("uri")),
        author=account_to_author(shown.get("account")),
        parent_platform_id=optional_id(shown.get("in_reply_to_id"), "in_reply_to_id"),
        reach=reach_from(shown, _STATUS_REACH),
        raw=dict(status),
        source_line=source_line,
    )


def account_to_author(account: Any) -> AuthorRecord:
    """A REST ``Account``; the handle is always the full user@instance form."""
    account = as_object(account, "account")
    account_id = required_id(account.get("id"), "account.id")
    acct = optional_text(account.get("acct"), "account.acct")
    if acct and "@" not in acct:  # local accounts are listed without their instance
        host = _host(account.get("url"))
        acct = f"{acct}@{host}" if host else acct
    note = optional_text(account.get("note"), "account.note")
    return AuthorRecord(
        platform=PLATFORM,
        platform_id=account_id,
        handle=acct,
        display_name=optional_text(account.get("display_name"), "account.display_name"),
        bio=html_to_text(note) if note else None,
    )


def activity_to_record(
    activity: Any, author: AuthorRecord, *, source_line: int | None = None
) -> PostRecord:
    """A ``Create`` activity of an outbox, whose object is the post."""
    activity = as_object(activity, "activity")
    kind = activity.get("type")
    if kind == "Announce":
        raise InvalidRecord(
            f"a boost of {str(activity.get('object'))[:200]}: the archive holds no text for it",
            "boost",
        )
    if kind != "Create":
        raise InvalidRecord(f"activity type {str(kind)[:40]!r} is not a post", "unsupported")
    note = activity.get("object")
    object_type = note.get("type") if isinstance(note, Mapping) else None
    if not (isinstance(object_type, str) and object_type in _POST_OBJECTS):
        raise InvalidRecord("the activity's object is not an embedded post", "unsupported")
    content = note.get("content")
    if content is None and isinstance(note.get("contentMap"), Mapping):
        content = next(iter(note["contentMap"].values()), None)
    return PostRecord(
        platform=PLATFORM,
        platform_id=required_id(note.get("id"), "object.id"),
        text=_post_text(note.get("summary"), content, "object.content",
                        media=bool(note.get("attachment"))),
        created_at=parse_time(note.get("published"), "object.published"),
        url=web_url(note.get("url")) or web_url(note.get("id")),
        author=author,
        parent_platform_id=optional_id(note.get("inReplyTo"), "object.inReplyTo"),
        # an ActivityPub id is the post's address on its server
        parent_url=web_url(note.get("inReplyTo")),
        raw=dict(activity),
        source_line=source_line,
    )


def actor_to_author(actor: Any) -> AuthorRecord:
    """An ActivityPub actor (the archive's actor.json)."""
    actor = as_object(actor, "actor")
    actor_id = required_id(actor.get("id"), "actor.id")
    username = optional_text(actor.get("preferredUsername"), "actor.preferredUsername")
    host = _host(actor_id)
    summary = optional_text(actor.get("summary"), "actor.summary")
    return AuthorRecord(
        platform=PLATFORM,
        platform_id=actor_id,
        handle=f"{username}@{host}" if username and host else username,
        display_name=optional_text(actor.get("name"), "actor.name"),
        bio=html_to_text(summary) if summary else None,
    )


def actor_url_to_author(actor_id: str) -> AuthorRecord:
    """When the archive lacks actor.json: Mastodon actor URLs end in /users/<username>."""
    host = _host(actor_id)
    username = actor_id.rstrip("/").rsplit("/", 1)[-1]
    handle = f"{username}@{host}" if username and host else None
    return AuthorRecord(platform=PLATFORM, platform_id=actor_id, handle=handle)


def _post_text(warning: Any, content: Any, field: str, *, media: bool) -> str:
    """The content as text, after its content warning: the warning is part of what was said.
    ``media``: the post has attachments (see ``required_text``)."""
    html = required_text(content, field, media=media)
    text = html_to_text(html)
    spoiler = optional_text(warning, "spoiler_text")
    if spoiler and spoiler.strip():
        text = f"{spoiler.strip()}\n\n{text}" if text else spoiler.strip()
    return required_text(text, field, media=media)


def _host(url: Any) -> str | None:
    link = web_url(url)
    try:
        return urlsplit(link).hostname if link else None
    except ValueError:  # e.g. an unbalanced [ in the host part
        return None
