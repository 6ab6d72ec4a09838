"""Bluesky over XRPC with the atproto SDK: post search and author feeds, newest first.

The SDK handles the base URL, login and session refresh. Pages are read as the JSON the server
sent rather than as the SDK's models: the models reject a whole page for one odd post, while
the shared converters report that post and keep the others, and the raw JSON is what gets
stored with each post.

With a ``CursorStore`` the newest post time seen becomes the next run's lower bound. As with
the Mastodon connector it is stored only once a walk reached its end (or on a first run), so a
run cut short never skips what it did not reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from atproto import Client, models
from atproto.exceptions import AtProtocolError
from pydantic import ValidationError

from ..bluesky.posts import feed_view_to_record, post_view_to_record
from ..fields import dig
from ..records import PostRecord, RecordError
from .convert import LiveConverter
from .cursor import CursorStore
from .errors import LiveSourceError

# Anonymous reads go to Bluesky's public AppView; a logged-in client talks to its own PDS,
# which proxies app.bsky calls to the AppView with the user's credentials.
PUBLIC_APPVIEW = "https://public.api.bsky.app"
MAX_PAGE_SIZE = 100  # the documented maximum of `limit` for both methods
# Search indexes some posts minutes after they were written, with their earlier time; a
# resumed search looks back this far so those posts are not missed. The repeats are dropped
# by the importer, which never stores a post twice.
SEARCH_OVERLAP = timedelta(minutes=10)
REPOST = "app.bsky.feed.defs#reasonRepost"
PIN = "app.bsky.feed.defs#reasonPin"

SEARCH_POSTS = "app.bsky.feed.searchPosts"
GET_AUTHOR_FEED = "app.bsky.feed.getAuthorFeed"


def make_client(
    base_url: str | None = None, handle: str | None = None, app_password: str | None = None
) -> Client:
    """An SDK client, logged in when ``handle`` and ``app_password`` are given.

    Without ``base_url`` an anonymous client reads the public AppView and a logged-in one
    starts at bsky.social, which sends it on to the account's own PDS.
    """
    if bool(handle) != bool(app_password):
        raise ValueError("Bluesky login needs both a handle and an app password")
    if handle and app_password:
        client = Client(base_url)
        try:
            client.login(handle, app_password)
        except AtProtocolError as exc:
            raise LiveSourceError(
                f"XRPC com.atproto.server.createSession at {_base(client)}: login as {handle} "
                f"failed: {_describe(exc)}"
            ) from exc
        return client
    return Client(base_url or PUBLIC_APPVIEW)


def search_posts(
    client: Client,
    query: str,
    *,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    limit: int | None = None,
    page_size: int = MAX_PAGE_SIZE,
    lang: str | None = None,
    cursor_store: CursorStore | None = None,
    cursor_key: str | None = None,
) -> Iterator[PostRecord | RecordError]:
    """Posts matching ``query``, newest first (``app.bsky.feed.searchPosts``, sort=latest)."""
    key = cursor_key or f"bluesky:search:{query}"
    if since is None and cursor_store is not None:
        stored = cursor_store.get(key)
        since = _stored_time(stored, key) - SEARCH_OVERLAP if stored else None
    params = {"q": query, "sort": "latest", "limit": page_size, "lang": lang}
    params |= {"since": _iso(since), "until": _iso(until)}

    def fetch(page_cursor: str | None) -> Mapping[str, Any]:
        return _query(
            client, SEARCH_POSTS, models.AppBskyFeedSearchPosts.Params, params, page_cursor
        )

    yield from _walk(
        fetch,
        list_key="posts",
        converter=LiveConverter(f"{SEARCH_POSTS} at {_base(client)}", post_view_to_record),
        keep=lambda view: True,
        sort_time=_post_sort_time,
        limit=limit,
        bounded=since is not None or until is not None,
        stop_before=None,
        cursor_store=cursor_store,
        cursor_key=key,
    )


def author_feed(
    client: Client,
    actor: str,
    *,
    since: datetime | None = None,
    limit: int | None = None,
    page_size: int = MAX_PAGE_SIZE,
    include_reposts: bool = False,
    feed_filter: str = "posts_with_replies",
    cursor_store: CursorStore | None = None,
    cursor_key: str | None = None,
) -> Iterator[PostRecord | RecordError]:
    """Posts of one account (handle or DID), newest first (``app.bsky.feed.getAuthorFeed``).

    Reposts are left out by default: a repost shows someone else's post, which belongs to
    that author. The feed has no ``since`` parameter, so the walk stops at the first item
    older than ``since`` (the stored cursor, when a store is given).
    """
    key = cursor_key or f"bluesky:author:{actor}"
    if since is None and cursor_store is not None:
        stored = cursor_store.get(key)
        since = _stored_time(stored, key) if stored else None
    params = {"actor": actor, "limit": page_size, "filter": feed_filter, "include_pins": False}

    def fetch(page_cursor: str | None) -> Mapping[str, Any]:
        return _query(
            client, GET_AUTHOR_FEED, models.AppBskyFeedGetAuthorFeed.Params, params, page_cursor
        )

    yield from _walk(
        fetch,
        list_key="feed",
        converter=LiveConverter(f"{GET_AUTHOR_FEED} at {_base(client)}", feed_view_to_record),
        keep=lambda item: include_reposts or dig(item, "reason", "$type") != REPOST,
        sort_time=_feed_item_sort_time,
        limit=limit,
        bounded=since is not None,
        stop_before=since,
        cursor_store=cursor_store,
        cursor_key=key,
    )


def _walk(
    fetch: Callable[[str | None], Mapping[str, Any]],
    *,
    list_key: str,
    converter: LiveConverter,
    keep: Callable[[Any], bool],
    sort_time: Callable[[Any], datetime | None],
    limit: int | None,
    bounded: bool,
    stop_before: datetime | None,
    cursor_store: CursorStore | None,
    cursor_key: str,
) -> Iterator[PostRecord | RecordError]:
    newest: datetime | None = None
    yielded = 0
    page_cursor: str | None = None
    while True:
        page = fetch(page_cursor)
        items = page.get(list_key)
        if not isinstance(items, list):
            raise LiveSourceError(f"{converter.source}: answer has no {list_key!r} list")
        for item in items:
            if not keep(item):
                continue
            item_time = sort_time(item)
            if stop_before is not None and item_time is not None and item_time < stop_before:
                _store(cursor_store, cursor_key, newest)
                return
            for result in converter.convert([item]):
                if isinstance(result, PostRecord) and item_time is not None:
                    newest = item_time if newest is None else max(newest, item_time)
                yield result
                yielded += isinstance(result, PostRecord)
            if limit is not None and yielded >= limit:
                if not bounded:
                    _store(cursor_store, cursor_key, newest)
                return
        page_cursor = page.get("cursor")
        if page_cursor is not None and not isinstance(page_cursor, str):
            raise LiveSourceError(f"{converter.source}: cursor is not a string")
        if not items or page_cursor is None:
            _store(cursor_store, cursor_key, newest)
            return


def _query(
    client: Client,
    nsid: str,
    params_model: type[Any],
    params: Mapping[str, Any],
    page_cursor: str | None,
) -> Mapping[str, Any]:
    endpoint = f"{nsid} at {_base(client)}"
    values = {name: value for name, value in params.items() if value is not None}
    try:
        typed = params_model(**values, cursor=page_cursor)
    except ValidationError as exc:
        raise ValueError(f"{nsid}: invalid parameters: {exc}") from exc
    try:
        response = client.invoke_query(nsid, params=typed)
    except AtProtocolError as exc:
        raise LiveSourceError(f"{endpoint}: request failed: {_describe(exc)}") from exc
    if not isinstance(response.content, Mapping):
        raise LiveSourceError(f"{endpoint}: answer is not a JSON object")
    return response.content


def _post_sort_time(view: Any) -> datetime | None:
    """Bluesky's ``sortAt``: the earlier of when the post says it was written and when the
    network saw it, so a post dated in the future cannot jump ahead of the cursor."""
    times = [_time(dig(view, "record", "createdAt")), _time(dig(view, "indexedAt"))]
    known = [moment for moment in times if moment is not None]
    return min(known) if known else None


def _feed_item_sort_time(item: Any) -> datetime | None:
    reason = dig(item, "reason", "$type")
    if reason == PIN:
        return None  # shown first whatever its age, so it says nothing about where we are
    if reason == REPOST:
        return _time(dig(item, "reason", "indexedAt"))
    return _post_sort_time(dig(item, "post"))


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _stored_time(value: str, key: str) -> datetime:
    moment = _time(value)
    if moment is None:
        raise LiveSourceError(f"cursor {key!r} is not a timezone-aware ISO time: {value[:60]!r}")
    return moment


def _iso(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("since/until must be timezone-aware")
        return value.isoformat()
    return value


def _store(cursor_store: CursorStore | None, key: str, newest: datetime | None) -> None:
    if cursor_store is not None and newest is not None:
        cursor_store.set(key, newest.isoformat())


def _describe(exc: AtProtocolError) -> str:
    """The SDK's own message (status and XRPC error), or for a transport failure, its cause."""
    message = str(exc) or type(exc).__name__
    return f"{message} ({exc.__cause__})" if exc.__cause__ else message


def _base(client: Client) -> str:
    # The SDK keeps the XRPC root (…/xrpc) it sends requests to; naming it tells an operator
    # which server answered.
    return str(getattr(client, "_base_url", "?"))
